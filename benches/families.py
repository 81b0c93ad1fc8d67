"""Every tokenizer family against its own library, on every input shape: one table.

    python benches/families.py                          # 8 MiB inputs, 3 rounds (about 15 min on 2 cores)
    python benches/families.py --size 1 --rounds 1      # a quick look
    python benches/families.py --hf path/tokenizer.json --families o200k_base,hf
    python benches/families.py --train-hf /tmp/hf --families hf --shapes lines,one-line,cjk-punct,cjk
    python benches/families.py --out /tmp/f.json --markdown /tmp/f.md

For each family and input shape, in one run and on the same file: ``tokstats count`` as a user
runs it (a child process), and the family's own library encoding the whole text once (a child
process that loads the tokenizer and calls it: tiktoken's ``encode_ordinary`` for OpenAI
encodings and the families built on tiktoken ranks, ``sentencepiece``'s ``encode`` for Mistral's
models, ``tokenizers``' ``encode`` for an ``hf:`` file). The two alternate within each round, so
a burst of load from other work on a shared machine costs one pair, not one method; the table
quotes the median over rounds of the per-round ratio. Peak RSS is each child's high-water mark
(VmHWM). A library that cannot encode the whole text (a regex stack overflow) is shown as
``fails``; ``same count`` compares the totals where both finished.

Shapes: ``lines`` (the shipped corpora, one text per line), ``crlf`` (the same with CRLF line
ends), ``one-line`` (the same with every line end a space), ``cjk`` (Chinese and Japanese text
with no space and no line end), ``spaces`` (only spaces), ``one-letter`` (one letter repeated),
``letters`` (letters in no pattern, no space), ``cjk-punct`` (Chinese and Japanese text with its
punctuation, no space and no line end).

``--train-hf DIR`` trains a ``tokenizer.json`` of each ``hf:`` shape offline
(``benches/hf_files.py``: SentencePiece-style Unigram and BPE, GPT-2 byte-level) into ``DIR`` and
adds them as ``hf`` families.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import string
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as hot  # noqa: E402  (benches/run.py: inputs, child processes, machine facts)

FAMILIES = ["o200k_base", "cl100k_base", "llama3", "llama4", "qwen", "tekken", "mistral-v3"]
SHAPES = ["lines", "crlf", "one-line", "cjk", "spaces", "one-letter", "letters", "cjk-punct"]

#: The library's own call on the whole text, in a child process.
LIBRARY = """
import sys
name, path = sys.argv[1:3]
text = open(path, encoding="utf-8", newline="").read()
if name.startswith("hf:"):
    import tokenizers
    tok = tokenizers.Tokenizer.from_file(name[3:])
    tok.no_truncation()
    tok.encode_special_tokens = True
    print(len(tok.encode(text, add_special_tokens=False).ids))
else:
    from tokstats.tokenizers import get_tokenizer
    tok = get_tokenizer(name)
    if hasattr(tok, "_sp"):
        print(len(tok._sp.encode(text)))
    elif hasattr(tok, "_enc"):
        print(len(tok._enc.encode_ordinary(tok._prepare(text))))
    else:
        print(len(tok.encoding.encode_ordinary(text)))
"""


def library_name(family: str) -> str:
    if family.startswith("hf:"):
        return "tokenizers"
    return "sentencepiece" if family.startswith("mistral") else "tiktoken"


def make_input(shape: str, nbytes: int) -> str:
    """Text of one shape, about ``nbytes`` of UTF-8."""
    if shape == "spaces":
        return " " * nbytes
    if shape == "one-letter":
        return "a" * nbytes
    if shape == "letters":
        rng = random.Random(25)
        return "".join(rng.choices(string.ascii_letters, k=nbytes))
    text = hot.multilingual()
    if shape in ("cjk", "cjk-punct"):
        marks = "\u3001\u3002\u300a\u300b\u300c\u300d\u300e\u300f\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1f"
        keep = [
            c
            for c in text
            if "\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" or (shape == "cjk-punct" and c in marks)
        ]
        return hot.repeat_to("".join(keep), nbytes)
    text = hot.repeat_to(text, nbytes)
    if shape == "crlf":
        return text.replace("\n", "\r\n")
    if shape == "one-line":
        return text.replace("\n", " ")
    return text


def one_pair(family: str, path: Path) -> dict[str, Any]:
    """``tokstats count`` and the library on one file, in that order."""
    out: dict[str, Any] = {}
    try:
        out["tokstats"] = hot.tokstats_count(["--encoding", family, str(path)])
    except RuntimeError as e:
        out["tokstats"] = {"error": str(e).splitlines()[-1][:200]}
    try:
        r = hot.run_child(LIBRARY, [family, str(path)])
        r["tokens"] = int(r.pop("stdout").split()[-1])
        out["library"] = r
    except RuntimeError as e:
        out["library"] = {"error": str(e).splitlines()[-1][:200]}
    return out


def measure(families: list[str], shapes: list[str], nbytes: int, rounds: int, log: Any) -> list[dict[str, Any]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for shape in shapes:
            path = Path(tmp) / f"{shape}.txt"
            path.write_text(make_input(shape, nbytes), encoding="utf-8", newline="")
            size = path.stat().st_size
            for family in families:
                pairs = [one_pair(family, path) for _ in range(rounds)]
                rows.append({"family": family, "shape": shape, "bytes": size, "rounds": pairs})
                log(row_line(summarise(rows[-1])))
            path.unlink()
    return rows


def summarise(row: dict[str, Any]) -> dict[str, Any]:
    """The table's figures for one family and shape: medians over rounds."""
    pairs = row["rounds"]
    mb = row["bytes"] / 1e6
    ours = [p["tokstats"] for p in pairs if "error" not in p["tokstats"]]
    lib = [p["library"] for p in pairs if "error" not in p["library"]]
    ratios = [
        p["tokstats"]["seconds"] / p["library"]["seconds"]
        for p in pairs
        if "error" not in p["tokstats"] and "error" not in p["library"]
    ]
    same = None
    if ours and lib:
        same = ours[0]["tokens"] == lib[0]["tokens"]
    return {
        "family": row["family"],
        "shape": row["shape"],
        "MB": mb,
        "bytes": row["bytes"],
        "library": library_name(row["family"]),
        "tokens": ours[0]["tokens"] if ours else None,
        "MB_per_cpu_s": statistics.median(mb / r["cpu_seconds"] for r in ours) if ours else None,
        "library_MB_per_cpu_s": statistics.median(mb / r["cpu_seconds"] for r in lib) if lib else None,
        "wall_ratio": statistics.median(ratios) if ratios else None,
        "peak_rss": max((r["peak_rss"] or 0) for r in ours) if ours else None,
        "library_peak_rss": max((r["peak_rss"] or 0) for r in lib) if lib else None,
        "same_count": same,
        "error": None if ours else pairs[0]["tokstats"]["error"],
        "library_error": None if lib else pairs[0]["library"]["error"],
    }


def _num(x: float | None, fmt: str) -> str:
    return "" if x is None else format(x, fmt)


def _mb(x: int | None) -> str:
    return "" if not x else f"{x / 2**20:.0f} MiB"


COLUMNS = [
    "family",
    "input",
    "tokstats MB per CPU-s",
    "library MB per CPU-s",
    "wall × library",
    "tokstats peak RSS",
    "library peak RSS",
    "same count",
]


def row_cells(s: dict[str, Any]) -> list[str]:
    same = {True: "yes", False: "**no**", None: ""}[s["same_count"]]
    return [
        f"`{display(s['family'])}` ({s['library']})",
        s["shape"],
        _num(s["MB_per_cpu_s"], ".1f") if not s["error"] else f"fails: {s['error'][:60]}",
        _num(s["library_MB_per_cpu_s"], ".1f") if not s["library_error"] else "fails",
        _num(s["wall_ratio"], ".2f"),
        _mb(s["peak_rss"]),
        _mb(s["library_peak_rss"]),
        same,
    ]


def display(family: str) -> str:
    """A family's name in the table: an ``hf:`` file by its file name."""
    return f"hf:{Path(family[3:]).name}" if family.startswith("hf:") else family


def row_line(s: dict[str, Any]) -> str:
    return " | ".join(row_cells(s))


def markdown(result: dict[str, Any]) -> str:
    m = result["machine"]
    lines = [
        f"Run of {result['date']}: {m.get('cpus')} CPUs ({m.get('cpu_model', 'unknown CPU')}), {m.get('platform')}, "
        f"Python {m.get('python')}; {result['MB']:.1f} MB per input, {result['rounds_per_row']} rounds per row. "
        f"Load average (1, 5, 15 min) {m.get('load_before')} at the start and {m.get('load_after')} at the end.",
        "",
        "`wall × library` is `tokstats count`'s wall time over the library's whole-text call, the median of the "
        "per-round ratios (below 1: tokstats is faster). MB per CPU-second divides by user + system time of all "
        "threads of the child (start-up and loading included for both).",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join(["---"] * 2 + ["---:"] * (len(COLUMNS) - 2)) + "|",
    ]
    for s in result["rows"]:
        lines.append("| " + " | ".join(row_cells(s)) + " |")
    for note in result.get("notes", []):
        lines += ["", note]
    return "\n".join(lines) + "\n"


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "platform": __import__("platform").platform(),
        "python": __import__("platform").python_version(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return info


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=float, default=8, help="MiB per input (default 8)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--families", default=",".join(FAMILIES), help="comma-separated; 'hf' means the --hf file")
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--hf", action="append", default=[], help="a tokenizer.json to measure as hf:PATH (repeatable)")
    ap.add_argument("--train-hf", metavar="DIR", help="train a tokenizer.json of each hf: shape into DIR and add them")
    ap.add_argument("--out", default=str(Path(__file__).with_name("families.json")))
    ap.add_argument("--markdown", help="also write the table as Markdown here")
    a = ap.parse_args(argv)
    if a.train_hf:
        import hf_files

        lines = [line for line in hot.multilingual().splitlines() if line.strip()]
        Path(a.train_hf).mkdir(parents=True, exist_ok=True)
        for shape in hf_files.SHAPES:
            path = Path(a.train_hf) / f"{shape}.json"
            a.hf.append(str(path if path.is_file() else hf_files.train(shape, lines, path)))
    families = [g for f in a.families.split(",") if f for g in ([f"hf:{h}" for h in a.hf] if f == "hf" else [f])]
    from datetime import UTC, datetime

    info = machine()
    info["load_before"] = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    rows = measure(families, a.shapes.split(","), int(a.size * 2**20), a.rounds, lambda s: print(s, flush=True))
    info["load_after"] = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    result = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": info,
        "MB": a.size * 2**20 / 1e6,
        "rounds_per_row": a.rounds,
        "rows": [summarise(r) for r in rows],
        "raw": rows,
    }
    Path(a.out).write_text(json.dumps(result, indent=1), encoding="utf-8")
    table = markdown(result)
    if a.markdown:
        Path(a.markdown).write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
