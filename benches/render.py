"""Render the JSON of ``benches/run.py`` as the Markdown benchmark page (``docs/benchmarks.md``).

    python benches/render.py benches/results.json -o docs/benchmarks.md

Numbers only, as measured: throughput and ratios within the run, never a verdict.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # benches/families.py, for its table

REF = "tiktoken encode_ordinary, one call"
DEFAULT = "tokstats count (default)"


def _f(x: float | None, digits: int = 1) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def _table(header: Sequence[str], rows: list[Sequence[str]], right_from: int = 1) -> list[str]:
    align = ["---" if i < right_from else "---:" for i in range(len(header))]
    out = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]


def _mb(n: float) -> str:
    return f"{n / 1e6:g} MB" if n >= 1e6 else f"{n / 1e3:g} KB"


def machine(res: dict[str, Any]) -> list[str]:
    m = res["machine"]
    v = m["versions"]
    la0, la1 = res["load_average_start"], res["load_average_end"]
    return [
        f"Run of {m['date']}{' (quick mode: small inputs)' if res.get('quick') else ''}: "
        f"{m['cpus']} CPUs ({m.get('cpu_model') or 'unknown CPU'}), {m['platform']}, Python {m['python']}; "
        f"tokstats {v.get('tokstats')}, tiktoken {v.get('tiktoken')}, quicktok-v1 {v.get('quicktok-v1') or 'not installed'}, "
        f"bpe-openai {v.get('bpe-openai') or 'not installed'}. Load average (1, 5, 15 min) "
        f"{', '.join(f'{x:.1f}' for x in la0)} at the start and {', '.join(f'{x:.1f}' for x in la1)} at the end; "
        f"the run took {res['seconds'] / 60:.0f} min. Compare rows within this run, not with other machines.",
        "",
    ]


def throughput(rows: list[dict[str, Any]], cpus: int) -> list[str]:
    if not rows:
        return []
    out = [
        "## Throughput by input kind",
        "",
        "MB/s is wall-clock; MB per CPU-second divides by the CPU time of all threads (single calls: "
        "this process; `tokstats count`: the child process, start-up and loading included). "
        "`× tiktoken` is MB/s over the single tiktoken call on the same input. "
        "`share of all-core limit` is `tokstats count` MB/s over (the fastest exact single call's "
        f"MB per CPU-second × {cpus} CPUs): it can only approach 1 when the machine's CPUs are free "
        "(see the load average above). `CPU vs fastest call` is MB per CPU-second over the fastest exact "
        "single call's: the work a command spends per byte beyond that call (start-up, loading, reading, "
        "hashing, chunking, threads).",
        "",
    ]
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault((r["kind"], r["encoding"]), []).append(r)
    for (kind, enc), rs in groups.items():
        ref = next((r for r in rs if r["method"] == REF), None)
        singles = [r for r in rs if r["method"].endswith("one call") and r["exact"] and r.get("MB_per_cpu_s")]
        limit = max((r["MB_per_cpu_s"] for r in singles), default=None)
        body = []
        for r in rs:
            ratio = r["MB_per_s"] / ref["MB_per_s"] if ref and r.get("MB_per_s") else None
            share = (r["MB_per_s"] / (limit * cpus)) if limit and r["method"].startswith("tokstats") else None
            cpu_share = r["MB_per_cpu_s"] / limit if limit and r.get("MB_per_cpu_s") else None
            body.append(
                [
                    f"`{r['method']}`",
                    _f(r.get("MB_per_s")),
                    _f(r.get("MB_per_cpu_s")),
                    _f(ratio, 2),
                    _f(share, 2) if share is not None else "",
                    _f(cpu_share, 2),
                    "yes" if r["exact"] else "**no**",
                ]
            )
        out += [f"### {kind}, {enc} ({rs[0]['bytes'] / 1e6:.1f} MB)", ""]
        out += _table(
            ["method", "MB/s", "MB per CPU-s", "× tiktoken", "share of all-core limit", "CPU vs fastest call", "exact"],
            body,
        )
    return out


def many_files(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return []
    r0 = rows[0]
    out = [
        "## Many small files",
        "",
        f"{r0['files']} Python standard-library files ({r0['bytes'] / 1e6:.1f} MB). Every row is a fresh process "
        "(interpreter start, imports, vocabulary load included). A plain loop reads each file, decodes it and "
        "counts it with one backend; `× plain loop` compares `tokstats count -r` with the plain loop over the "
        "backend it used (the default: over the backend named in its signature).",
        "",
    ]
    by_enc: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_enc.setdefault(r["encoding"], []).append(r)
    for enc, rs in by_enc.items():
        loops = {r["method"].removeprefix("plain loop, "): r for r in rs if r["method"].startswith("plain loop")}
        body = []
        for r in rs:
            backend = r.get("backend") or ""
            used = (
                "quicktok" if backend.startswith("quicktok") else "tiktoken" if backend.startswith("tiktoken") else None
            )
            if "--backend" in r["method"]:
                used = r["method"].rsplit(" ", 1)[-1]
            base = loops.get(used) if used and not r["method"].startswith("plain loop") else None
            cpu_ratio = r["cpu_seconds"] / base["cpu_seconds"] if base and base.get("cpu_seconds") else None
            body.append(
                [
                    f"`{r['method']}`",
                    _f(r["seconds"], 2),
                    _f(r.get("cpu_seconds"), 2),
                    _f(r["seconds"] / base["seconds"], 2) if base else "",
                    _f(cpu_ratio, 2) if cpu_ratio is not None else "",
                    backend,
                    "yes" if r["exact"] else "**no**",
                ]
            )
        out += [f"### {enc}", ""]
        out += _table(
            [
                "method",
                "seconds",
                "CPU seconds",
                "× plain loop (wall)",
                "× plain loop (CPU)",
                "backend (signature)",
                "exact",
            ],
            body,
        )
    return out


def sizes(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return []
    out = [
        "## File size sweep",
        "",
        "One file of multilingual text and Python code, each size counted by a fresh process. "
        "Peak RSS is the child's high-water mark (VmHWM). The `bare tiktoken script` reads the "
        "whole file and calls `encode_ordinary` once.",
        "",
    ]
    methods = list(dict.fromkeys(r["method"] for r in rows))
    by_enc: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_enc.setdefault(r["encoding"], []).append(r)
    for enc, rs in by_enc.items():
        body = []
        for mb in dict.fromkeys(r["MB"] for r in rs):
            cells = [f"{mb:g}"]
            for m in methods:
                r = next((x for x in rs if x["MB"] == mb and x["method"] == m), None)
                if r is None:
                    cells.append("")
                else:
                    flag = "" if r["exact"] else " (not exact)"
                    cells.append(
                        f"{r['seconds']:.2f} / {_f(r.get('cpu_seconds'), 2)} s, "
                        f"{_f((r.get('peak_rss') or 0) / 1e6, 0)} MB{flag}"
                    )
            body.append(cells)
        out += [f"### {enc} (wall / CPU seconds, peak RSS)", ""]
        out += _table(["MB", *[f"`{m}`" for m in methods]], body)
        tk = {r["MB"]: r.get("cpu_seconds") for r in rs if r["method"] == "tokstats count --backend tiktoken"}
        qt = {r["MB"]: r.get("cpu_seconds") for r in rs if r["method"] == "tokstats count --backend quicktok"}
        cheaper = [mb for mb in sorted(qt) if tk.get(mb) and qt[mb] and qt[mb] < tk[mb]]
        if tk and qt:
            out += [
                f"In CPU seconds, `--backend quicktok` cost less than `--backend tiktoken` at "
                f"{', '.join(f'{mb:g}' for mb in cheaper)} MB in this run."
                if cheaper
                else "`--backend quicktok` did not cost less CPU than `--backend tiktoken` at any size in this run.",
                "",
            ]
    return out


def pretoken(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return []
    out = [
        "## One huge pre-token",
        "",
        "A file that is one run of a single character: `a` (one letter pre-token) or a space "
        "(one whitespace pre-token). `tokstats count` (default) against a bare tiktoken script, "
        "each in a fresh process; `exact` compares with the bare script where it ran.",
        "",
    ]
    by: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        by.setdefault((r["kind"], r["encoding"]), []).append(r)
    for (kind, enc), rs in by.items():
        body = []
        for n in dict.fromkeys(r["bytes"] for r in rs):
            bare = next((r for r in rs if r["bytes"] == n and r["method"] == "bare tiktoken script"), None)
            ours = next((r for r in rs if r["bytes"] == n and r["method"] == DEFAULT), None)
            if bare is None:
                bare_cell = "not run"
            elif "failed" in bare:
                why = "" if bare["failed"].startswith("VMHWM") else f": {bare['failed'][:80]}"
                bare_cell = f"failed (exit status not 0){why}"
            else:
                bare_cell = f"{bare['seconds']:.2f} s, {_f((bare.get('peak_rss') or 0) / 1e6, 0)} MB"
            ours_cell = (
                "" if ours is None else f"{ours['seconds']:.2f} s, {_f((ours.get('peak_rss') or 0) / 1e6, 0)} MB"
            )
            per_mb = f"{ours['cpu_seconds'] / (n / 1e6):.2f}" if ours and ours.get("cpu_seconds") else ""
            exact = "" if ours is None or bare is None or "failed" in bare else ("yes" if ours["exact"] else "**no**")
            body.append([_mb(n), bare_cell, ours_cell, per_mb, (ours or {}).get("backend") or "", exact])
        out += [f"### {kind}, {enc}", ""]
        out += _table(
            [
                "length",
                "bare tiktoken (s, peak RSS)",
                "tokstats count (s, peak RSS)",
                "tokstats CPU-s per MB",
                "backend",
                "exact",
            ],
            body,
        )
    return out


def startup(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return []
    out = [
        "## Start-up on a tiny file",
        "",
        "`tokstats count small.txt` (about 1 KB) against a bare tiktoken script (`import tiktoken`, "
        "`get_encoding`, one `encode_ordinary`, reading the same rank file from tiktoken's cache; "
        "tokstats' bytecode compiled, as `pip install` leaves it), "
        f"{rows[0]['runs']} alternating runs each: medians, with the quartiles in brackets. "
        "`× bare` is the median over the bare script's.",
        "",
    ]
    by_enc: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_enc.setdefault(r["encoding"], []).append(r)
    body = []
    for enc, rs in by_enc.items():
        bare = next((r for r in rs if r["method"] == "bare tiktoken script"), None)
        for r in rs:
            q, c = r["seconds_quartiles"], r["cpu_seconds_quartiles"]
            body.append(
                [
                    enc,
                    f"`{r['method']}`",
                    f"{r['seconds'] * 1000:.0f} ms ({q[0] * 1000:.0f}–{q[1] * 1000:.0f})",
                    f"{r['cpu_seconds'] * 1000:.0f} ms ({c[0] * 1000:.0f}–{c[1] * 1000:.0f})",
                    _f(r["seconds"] / bare["seconds"], 2) if bare else "",
                    _f(r["cpu_seconds"] / bare["cpu_seconds"], 2) if bare else "",
                    "yes" if r["exact"] else "**no**",
                ]
            )
    return out + _table(
        ["encoding", "method", "wall", "CPU", "× bare (wall)", "× bare (CPU)", "exact"], body, right_from=2
    )


def families_section(fam: dict[str, Any] | None) -> list[str]:
    """The table ``benches/families.py`` wrote: every family against its own library."""
    if not fam:
        return []
    import families

    return [
        "## Every family against its own library",
        "",
        "Written by `python benches/families.py` (its own run, described here): `tokstats count` and the "
        "family's own library encoding the whole text, on the same file, alternating.",
        "",
        families.markdown(fam),
    ]


def hf_section(fam: dict[str, Any] | None) -> list[str]:
    """The table ``benches/families.py --train-hf`` wrote: ``hf:`` files of each shape against
    the ``tokenizers`` library."""
    if not fam:
        return []
    import families

    return [
        "## `hf:` files of each shape against tokenizers",
        "",
        "Written by `python benches/families.py --train-hf DIR --families hf` (its own run, described here) on "
        "`tokenizer.json` files trained offline by `benches/hf_files.py` on the shipped corpora: "
        "SentencePiece-style Unigram and BPE (`nmt_nfkc` map, `Metaspace` with `prepend_scheme: first`, "
        "16,000 pieces; cut at spaces between ASCII letters) and GPT-2's byte-level BPE (cut after lone "
        "newlines, at spaces between ASCII letters, between an ideograph and CJK punctuation). `cjk` has no "
        "place a GPT-2-style file may be cut exactly (one pre-token), so that file is counted whole there.",
        "",
        families.markdown(fam),
    ]


def render(res: dict[str, Any], fam: dict[str, Any] | None = None, hf: dict[str, Any] | None = None) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Generated by `python benches/render.py` from the JSON that `python benches/run.py` wrote; "
        "see [count.md](count.md) for what is measured and why the default backend is what it is.",
        "",
    ]
    lines += machine(res)
    cpus = res["machine"]["cpus"]
    rounds = res.get("config", {}).get("rounds", 1)
    if rounds > 1:
        lines += [
            f"Throughput and many-file rows are each method's fastest of {rounds} rounds (every round runs "
            "every method in turn, so a burst of load on a shared machine costs one sample, not one "
            "method); the JSON keeps every round.",
            "",
        ]
    lines += startup(res.get("startup", []))
    lines += throughput(res.get("throughput", []), cpus)
    lines += many_files(res.get("many_files", []))
    lines += sizes(res.get("sizes", []))
    lines += pretoken(res.get("pretoken", []))
    lines += families_section(fam)
    lines += hf_section(hf)
    lines += [
        "To reproduce: `pip install -e '.[bench]'`, then `python benches/run.py` (full) or "
        "`python benches/run.py --quick`, `python benches/families.py`, and "
        "`python benches/families.py --train-hf /tmp/hf --families hf --shapes lines,one-line,cjk-punct,cjk "
        "--out benches/families-hf.json`, and `python benches/render.py benches/results.json --families "
        "benches/families.json --hf-families benches/families-hf.json -o docs/benchmarks.md`.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("json", help="the file benches/run.py wrote")
    ap.add_argument("-o", "--out", default=None, help="Markdown file to write (default: stdout)")
    ap.add_argument("--families", default=None, help="also the table benches/families.py wrote (its JSON)")
    ap.add_argument("--hf-families", default=None, help="also the table of benches/families.py --train-hf (its JSON)")
    a = ap.parse_args(argv)
    fam = json.loads(Path(a.families).read_text("utf-8")) if a.families else None
    hf = json.loads(Path(a.hf_families).read_text("utf-8")) if a.hf_families else None
    text = render(json.loads(Path(a.json).read_text("utf-8")), fam, hf)
    if a.out:
        Path(a.out).write_text(text, "utf-8")
    else:
        print(text, end="")


if __name__ == "__main__":
    main()
