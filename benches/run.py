"""One benchmark run of the counting hot path, written as JSON (render it with ``benches/render.py``).

    python benches/run.py                       # full run: 64 MB inputs, 1-256 MB sweep (~15-25 min on 2 cores)
    python benches/run.py --quick               # small inputs, a few seconds to a minute
    python benches/run.py --quick --out /tmp/b.json && python benches/render.py /tmp/b.json -o /tmp/b.md

In one run, on the same machine and inputs:

* ``throughput``: (best of three rounds, methods interleaved) MB/s and MB per CPU-second of tiktoken's single ``encode_ordinary`` call, each
  installed backend's single call (quicktok ``count``, bpe-openai ``count``) and ``tokstats count``
  (default, and each ``--backend``) as a user runs it (a child process: start-up included), on
  three kinds of input: multilingual corpus text, Python code, English prose.
* ``startup``: ``tokstats count`` on a tiny file against a bare tiktoken script (``import
  tiktoken``, ``get_encoding``, one ``encode_ordinary``), alternating runs, medians.
* ``many_files``: (best of three rounds) a codebase of small files: a plain Python loop over each backend (a child
  process that loads the backend, reads, decodes and counts each file) vs ``tokstats count -r``.
* ``sizes``: ``tokstats count`` per backend on one file of growing size, wall time and peak RSS
  (the break-even of ``auto``: where quicktok's load time is repaid).
* ``pretoken``: one huge pre-token (a run of one letter, a run of spaces) of growing length:
  ``tokstats count`` default, and a bare tiktoken call where it can run at all.

tokstats' bytecode is compiled first, as ``pip install`` does. Every count is checked against
tiktoken's (``exact``). Machine facts (CPUs, load average before
and after, versions, date) are recorded: the machine may be shared, so compare ratios within
one run. CPU seconds are user + system time of the process (all threads) or the child.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import platform
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


# --- inputs ------------------------------------------------------------------------------------


def _strings(x: object) -> list[str]:
    if isinstance(x, str):
        return [x]
    if isinstance(x, dict):
        return [s for v in x.values() for s in _strings(v)]
    if isinstance(x, list):
        return [s for v in x for s in _strings(v)]
    return []


def multilingual() -> str:
    """Every text of the shipped corpora (20+ languages), one per line."""
    texts: list[str] = []
    for path in sorted((REPO / "corpora").glob("*.json")):
        for e in json.loads(path.read_text("utf-8")).get("entries", []):
            texts += [t for t in _strings(e.get("text")) if t.strip()]
    return "\n".join(texts) + "\n"


def code(limit: int = 8 << 20) -> str:
    """Python standard library modules, in sorted order."""
    out, size = [], 0
    for f in sorted(glob.glob(os.path.join(sysconfig.get_paths()["stdlib"], "**", "*.py"), recursive=True)):
        try:
            text = Path(f).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        out.append(text)
        size += len(text)
        if size >= limit:
            break
    return "".join(out)


def english() -> str:
    """English prose: licence texts on this machine (the Python and Debian licences) and the
    English entries of the corpora."""
    parts: list[str] = []
    for pattern in (os.path.join(sysconfig.get_paths()["stdlib"], "LICENSE.txt"), "/usr/share/common-licenses/*"):
        for f in sorted(glob.glob(pattern)):
            try:
                parts.append(Path(f).read_text("utf-8"))
            except (OSError, UnicodeDecodeError):
                pass
    for path in sorted((REPO / "corpora").glob("*.json")):
        for e in json.loads(path.read_text("utf-8")).get("entries", []):
            t = e.get("text")
            if isinstance(t, dict) and isinstance(t.get("en"), str):
                parts.append(t["en"])
            elif isinstance(t, str) and str(e.get("id", "")).startswith("en"):
                parts.append(t)
    return "\n\n".join(parts) + "\n"


def repeat_to(text: str, nbytes: int) -> str:
    size = max(1, len(text.encode("utf-8")))
    reps = max(1, -(-nbytes // size))
    out = text * reps
    return out.encode("utf-8")[:nbytes].decode("utf-8", "ignore")


# --- measuring ---------------------------------------------------------------------------------


def in_process(fn: Callable[[], int]) -> dict[str, float | int]:
    """Wall and CPU seconds (this process, all threads) of one call, and its result."""
    c0, t0 = time.process_time(), time.perf_counter()
    result = fn()
    return {"seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0, "tokens": result}


#: Prepended to every child's code: at exit it reports the child's peak RSS (VmHWM, KiB) on
#: stderr. Read inside the child because a forked child's rusage also counts the parent's pages.
PEAK = """
import atexit, sys
def _report_peak():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM"):
                sys.stderr.write("\\nVMHWM " + line.split()[1] + "\\n")
atexit.register(_report_peak)
"""

TOKSTATS_MAIN = "import sys\nfrom tokstats.cli import main\nsys.exit(main(sys.argv[1:]))\n"


def run_child(code: str, args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``python -c code args``: wall and CPU seconds (``os.wait4``), peak RSS, stdout."""
    import threading

    t0 = time.perf_counter()
    p = subprocess.Popen(
        [sys.executable, "-c", PEAK + code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    out_parts: list[bytes] = []
    err_parts: list[bytes] = []

    def drain(stream: Any, sink: list[bytes]) -> None:
        sink.append(stream.read())

    threads = [
        threading.Thread(target=drain, args=(p.stdout, out_parts)),
        threading.Thread(target=drain, args=(p.stderr, err_parts)),
    ]
    for t in threads:
        t.start()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    for t in threads:
        t.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    err = b"".join(err_parts).decode(errors="replace")
    peak = [line.split()[1] for line in err.splitlines() if line.startswith("VMHWM ")]
    err = "\n".join(line for line in err.splitlines() if line.strip() and not line.startswith("VMHWM "))
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {err[-500:]}")
    return {
        "seconds": wall,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_rss": int(peak[-1]) * 1024 if peak else None,
        "stdout": b"".join(out_parts).decode(),
    }


def tokstats_count(args: list[str]) -> dict[str, Any]:
    """``tokstats count --format json ARGS`` in a child process: total tokens, time, CPU, RSS."""
    r = run_child(TOKSTATS_MAIN, ["count", "--format", "json", *args])
    out = json.loads(r.pop("stdout"))
    r["tokens"] = out["total_tokens"]
    r["backend"] = out["signature"].get("backend")
    return r


PLAIN_LOOP = """
import sys, time
name, backend, listing = sys.argv[1:4]
paths = open(listing, encoding="utf-8").read().split("\\n")
if backend == "quicktok":
    import quicktok
    count = quicktok.get_encoding(name).count
else:
    import tiktoken
    enc = tiktoken.get_encoding(name)
    count = lambda text: len(enc.encode_ordinary(text))
total = 0
for p in paths:
    with open(p, "rb") as f:
        total += count(f.read().decode("utf-8"))
print(total)
"""

BARE_TIKTOKEN = """
import sys, tiktoken
enc = tiktoken.get_encoding(sys.argv[1])
with open(sys.argv[2], "rb") as f:
    print(len(enc.encode_ordinary(f.read().decode("utf-8"))))
"""

#: Where tiktoken downloads its rank files from: a bare script gets a cache folder holding the
#: files tokstats ships, named as tiktoken names its cache entries (sha1 of the URL), so it runs
#: offline and tiktoken checks their sha256 as after a download.
BLOBS = {
    name: f"https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"
    for name in ("cl100k_base", "o200k_base")
}


def bare_env(tmp: Path) -> dict[str, str]:
    """Environment for a bare tiktoken script: an offline tiktoken cache of the shipped ranks."""
    import hashlib

    cache = tmp / "tiktoken-cache"
    if not cache.exists():
        cache.mkdir()
        for name, url in BLOBS.items():
            ranks = (REPO / "tokstats" / "tokenizers" / "_ranks" / f"{name}.tiktoken").read_bytes()
            (cache / hashlib.sha1(url.encode()).hexdigest()).write_bytes(ranks)
    return {**os.environ, "TIKTOKEN_CACHE_DIR": str(cache), "HTTPS_PROXY": "http://127.0.0.1:9"}


def cli_runs(label: str, args: list[str], forced: list[str], mods: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """``tokstats count ARGS`` with the default backend, then with each installed backend forced."""
    found = [(f"{label} (default)", tokstats_count(args))]
    for backend in forced:
        if backend != "quicktok" or "quicktok" in mods:
            found.append((f"{label} --backend {backend}", tokstats_count(["--backend", backend, *args])))
    return found


def rates(r: dict[str, Any], nbytes: int) -> dict[str, Any]:
    mb = nbytes / 1e6
    r["MB_per_s"] = mb / r["seconds"] if r["seconds"] else None
    cpu = r.get("cpu_seconds")
    r["MB_per_cpu_s"] = mb / cpu if cpu else None
    return r


# --- the sections ------------------------------------------------------------------------------


def installed() -> dict[str, Any]:
    mods: dict[str, Any] = {}
    try:
        import quicktok

        mods["quicktok"] = quicktok
    except ImportError:
        pass
    try:
        import bpe_openai._bindings as bpe

        mods["bpe-openai"] = bpe
    except ImportError:
        pass
    return mods


def best_of(rounds: int, one_round: Callable[[], list[tuple[str, dict[str, Any]]]]) -> list[tuple[str, dict[str, Any]]]:
    """Each method's fastest run (wall time) over ``rounds`` rounds, every round running every
    method in turn, so that a burst of load on a shared machine hits one sample, not one method.
    ``seconds_all`` keeps every round's time."""
    runs = [one_round() for _ in range(rounds)]
    best = []
    for i, (method, _) in enumerate(runs[0]):
        samples = [r[i][1] for r in runs]
        pick = dict(min(samples, key=lambda x: x["seconds"]))
        pick["seconds_all"] = [x["seconds"] for x in samples]
        pick["exact_all"] = len({x["tokens"] for x in samples}) == 1
        best.append((method, pick))
    return best


def throughput(
    tmp: Path, encodings: list[str], nbytes: int, forced: list[str], log: Callable[[str], None], rounds: int = 1
) -> list[dict[str, Any]]:
    from tokstats.tokenizers._encodings import get_encoding

    mods = installed()
    rows: list[dict[str, Any]] = []
    kinds = {"multilingual": multilingual(), "code": code(), "english": english()}
    for kind, base in kinds.items():
        text = repeat_to(base, nbytes)
        size = len(text.encode("utf-8"))
        path = tmp / f"{kind}.txt"
        path.write_bytes(text.encode("utf-8"))
        for name in encodings:
            enc = get_encoding(name)
            enc.encode_ordinary(text[:10_000])
            counters: list[tuple[str, Callable[[], int]]] = [
                ("tiktoken encode_ordinary, one call", lambda: len(enc.encode_ordinary(text)))
            ]
            if "quicktok" in mods:
                tok = mods["quicktok"].get_encoding(name)
                tok.count(text[:10_000])
                counters.append(("quicktok count, one call", lambda: tok.count(text)))
            if "bpe-openai" in mods and name in mods["bpe-openai"].supported_encodings():
                bpe = mods["bpe-openai"].tokenizer_for_encoding(name)
                bpe.count(text[:10_000])
                counters.append(("bpe-openai count, one call", lambda: bpe.count(text)))

            def one_round() -> list[tuple[str, dict[str, Any]]]:
                found = [(method, in_process(fn)) for method, fn in counters]
                return found + cli_runs("tokstats count", ["--encoding", name, str(path)], forced, mods)

            found = best_of(rounds, one_round)
            want = found[0][1]["tokens"]
            for method, r in found:
                rows.append(
                    rates(
                        {
                            "kind": kind,
                            "encoding": name,
                            "bytes": size,
                            "method": method,
                            **r,
                            "exact": r["tokens"] == want and r.get("exact_all", True),
                        },
                        size,
                    )
                )
                log(f"throughput {kind} {name} {method}: {rows[-1]['MB_per_s']:.1f} MB/s")
    return rows


def many_files(
    tmp: Path, encodings: list[str], n_files: int, forced: list[str], log: Callable[[str], None], rounds: int = 1
) -> list[dict[str, Any]]:
    root = tmp / "codebase"
    root.mkdir()
    paths: list[str] = []
    size = 0
    for f in sorted(glob.glob(os.path.join(sysconfig.get_paths()["stdlib"], "**", "*.py"), recursive=True)):
        data = Path(f).read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        p = root / f"d{len(paths) // 100:03}" / f"f{len(paths):05}.py"
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(data)
        paths.append(str(p))
        size += len(data)
        if len(paths) >= n_files:
            break
    paths.sort()
    listing = tmp / "listing.txt"
    listing.write_text("\n".join(paths), "utf-8")
    mods = installed()
    rows: list[dict[str, Any]] = []
    for name in encodings:

        def one_round() -> list[tuple[str, dict[str, Any]]]:
            found: list[tuple[str, dict[str, Any]]] = []
            for backend in ("tiktoken", "quicktok"):
                if backend == "quicktok" and "quicktok" not in mods:
                    continue
                r = run_child(PLAIN_LOOP, [name, backend, str(listing)], bare_env(tmp))
                r["tokens"] = int(r.pop("stdout"))
                found.append((f"plain loop, {backend}", r))
            return found + cli_runs("tokstats count -r", ["--encoding", name, "-r", str(root)], forced, mods)

        found = best_of(rounds, one_round)
        want = found[0][1]["tokens"]
        for method, r in found:
            rows.append(
                rates(
                    {
                        "encoding": name,
                        "files": len(paths),
                        "bytes": size,
                        "method": method,
                        **r,
                        "exact": r["tokens"] == want and r.get("exact_all", True),
                    },
                    size,
                )
            )
            log(f"many files {name} {method}: {r['seconds']:.2f} s")
    return rows


def sizes(
    tmp: Path, encodings: list[str], mbs: list[float], bare_max_mb: float, forced: list[str], log: Callable[[str], None]
) -> list[dict[str, Any]]:
    mods = installed()
    block = repeat_to(multilingual() + code(1 << 20), 4 << 20)
    rows: list[dict[str, Any]] = []
    for mb in mbs:
        path = tmp / f"size-{mb:g}MB.txt"
        text = repeat_to(block, int(mb * 1e6))
        path.write_bytes(text.encode("utf-8"))
        del text
        size = path.stat().st_size
        for name in encodings:
            found: list[tuple[str, dict[str, Any]]] = []
            if mb <= bare_max_mb:
                r = run_child(BARE_TIKTOKEN, [name, str(path)], bare_env(tmp))
                r["tokens"] = int(r.pop("stdout"))
                found.append(("bare tiktoken script", r))
            found += cli_runs("tokstats count", ["--encoding", name, str(path)], forced, mods)
            tiktoken_rows = [r for m, r in found if m in ("bare tiktoken script", "tokstats count --backend tiktoken")]
            want = (tiktoken_rows or [found[0][1]])[0]["tokens"]
            for method, r in found:
                rows.append(
                    rates(
                        {
                            "encoding": name,
                            "MB": mb,
                            "bytes": size,
                            "method": method,
                            **r,
                            "exact": r["tokens"] == want and r.get("exact_all", True),
                        },
                        size,
                    )
                )
                log(f"size {mb:g} MB {name} {method}: {r['seconds']:.2f} s, {r.get('peak_rss', 0) / 1e6:.0f} MB RSS")
        path.unlink()
    return rows


def pretoken(
    tmp: Path, encodings: list[str], lengths: list[int], bare_max: int, log: Callable[[str], None]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for unit, kind in (("a", "letter run"), (" ", "space run")):
        for n in lengths:
            path = tmp / f"run-{n}.txt"
            path.write_bytes(unit.encode() * n)
            for name in encodings:
                found: list[tuple[str, dict[str, Any]]] = []
                if n <= bare_max:
                    try:
                        r = run_child(BARE_TIKTOKEN, [name, str(path)], bare_env(tmp))
                        r["tokens"] = int(r.pop("stdout"))
                        found.append(("bare tiktoken script", r))
                    except RuntimeError as e:
                        log(f"bare tiktoken failed on {n} × {unit!r} ({name}): {str(e)[-120:]}")
                        lines = [ln for ln in str(e).splitlines() if "Error" in ln or "panicked" in ln]
                        rows.append(
                            {
                                "kind": kind,
                                "encoding": name,
                                "bytes": n,
                                "method": "bare tiktoken script",
                                "failed": (lines or [str(e).strip().splitlines()[-1]])[-1][:200],
                            }
                        )
                found.append(("tokstats count (default)", tokstats_count(["--encoding", name, str(path)])))
                want = found[0][1]["tokens"]
                for method, r in found:
                    rows.append(
                        rates(
                            {
                                "kind": kind,
                                "encoding": name,
                                "bytes": n,
                                "method": method,
                                **r,
                                "exact": r["tokens"] == want,
                            },
                            n,
                        )
                    )
                    log(
                        f"pre-token {kind} {n} {name} {method}: {r['seconds']:.2f} s, {r.get('peak_rss', 0) / 1e6:.0f} MB RSS"
                    )
            path.unlink()
    return rows


def _printed_total(stdout: str) -> int:
    """The count a bare script prints, or the ``total: N tokens`` line of ``tokstats count``."""
    import re

    m = re.search(r"^total: (\d+) tokens", stdout, re.M)
    return int(m.group(1) if m else stdout.split()[-1])


def startup(tmp: Path, encodings: list[str], runs: int, log: Callable[[str], None]) -> list[dict[str, Any]]:
    """``tokstats count`` on a tiny file against a bare tiktoken script, ``runs`` alternating runs
    each (so both see the same noise): median wall and CPU seconds, and the quartiles."""
    import statistics

    small = tmp / "small.txt"
    small.write_text("Hello, world! Bonjour le monde. こんにちは世界\n" * 20, "utf-8")
    rows: list[dict[str, Any]] = []
    for name in encodings:
        cmds = {
            "bare tiktoken script": (BARE_TIKTOKEN, [name, str(small)], bare_env(tmp)),
            "tokstats count (default)": (TOKSTATS_MAIN, ["count", "--encoding", name, str(small)], None),
        }
        got: dict[str, list[dict[str, Any]]] = {m: [] for m in cmds}
        for i in range(runs + 1):
            for method, (code_, args, env) in cmds.items():
                r = run_child(code_, args, env)
                if i:  # the first round warms the OS file cache
                    got[method].append(r)
        counts = {m: {_printed_total(x["stdout"]) for x in rs} for m, rs in got.items()}
        for method, rs in got.items():
            wall = sorted(x["seconds"] for x in rs)
            cpu = sorted(x["cpu_seconds"] for x in rs)
            rows.append(
                {
                    "encoding": name,
                    "method": method,
                    "runs": runs,
                    "seconds": statistics.median(wall),
                    "cpu_seconds": statistics.median(cpu),
                    "seconds_quartiles": statistics.quantiles(wall, n=4)[::2],
                    "cpu_seconds_quartiles": statistics.quantiles(cpu, n=4)[::2],
                    "peak_rss": max(x["peak_rss"] or 0 for x in rs),
                    "exact": counts[method] == counts["bare tiktoken script"] and len(counts[method]) == 1,
                }
            )
            log(
                f"start-up {name} {method}: median {rows[-1]['seconds'] * 1000:.0f} ms, "
                f"{rows[-1]['cpu_seconds'] * 1000:.0f} ms CPU"
            )
    return rows


def machine() -> dict[str, Any]:
    from importlib import metadata

    def version(dist: str) -> str | None:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None

    cpu_model = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from tokstats.counting._count import default_jobs

    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": default_jobs(),
        "cpu_model": cpu_model,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": {d: version(d) for d in ("tokstats", "tiktoken", "quicktok-v1", "bpe-openai")},
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small inputs (seconds, for the test suite)")
    ap.add_argument("--out", default=str(REPO / "benches" / "results.json"), help="JSON file to write")
    ap.add_argument(
        "--encodings", default=None, help="comma-separated (default: cl100k_base,o200k_base; quick: cl100k_base)"
    )
    ap.add_argument("--only", default="startup,throughput,many_files,sizes,pretoken", help="sections to run")
    a = ap.parse_args(argv)
    encodings = (a.encodings or ("cl100k_base" if a.quick else "cl100k_base,o200k_base")).split(",")
    if a.quick:
        conf = {
            "throughput_bytes": 200_000,
            "files": 40,
            "sizes_mb": [0.1],
            "bare_max_mb": 0.1,
            "pretoken_lengths": [100_000],
            "pretoken_bare_max": 100_000,
            "forced": [],
            "startup_runs": 3,
            "rounds": 1,
        }
    else:
        conf = {
            "throughput_bytes": 64 << 20,
            "files": 5000,
            "sizes_mb": [0.06, 0.25, 1, 4, 16, 64, 256],
            "bare_max_mb": 64,
            "pretoken_lengths": [1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000],
            "pretoken_bare_max": 1_000_000,
            "forced": ["tiktoken", "quicktok"],
            "startup_runs": 21,
            "rounds": 3,
        }
    sections = a.only.split(",")
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    result: dict[str, Any] = {
        "quick": a.quick,
        "config": conf,
        "encodings": encodings,
        "machine": machine(),
        "load_average_start": os.getloadavg(),
    }
    t0 = time.perf_counter()
    # Imports read bytecode, as after `pip install` (which compiles it): an editable checkout
    # run with PYTHONDONTWRITEBYTECODE would otherwise compile tokstats from source in every child.
    import compileall

    import tokstats

    compileall.compile_dir(str(Path(tokstats.__file__).parent), quiet=1)
    with tempfile.TemporaryDirectory(prefix="tokstats-bench-") as tmp_name:
        tmp = Path(tmp_name)
        forced = conf["forced"]
        if "startup" in sections:
            result["startup"] = startup(tmp, encodings, conf["startup_runs"], log)
        if "throughput" in sections:
            result["throughput"] = throughput(tmp, encodings, conf["throughput_bytes"], forced, log, conf["rounds"])
        if "many_files" in sections:
            result["many_files"] = many_files(tmp, encodings, conf["files"], forced, log, conf["rounds"])
        if "sizes" in sections:
            result["sizes"] = sizes(tmp, encodings, conf["sizes_mb"], conf["bare_max_mb"], forced, log)
        if "pretoken" in sections:
            result["pretoken"] = pretoken(tmp, encodings, conf["pretoken_lengths"], conf["pretoken_bare_max"], log)
    result["load_average_end"] = os.getloadavg()
    result["seconds"] = time.perf_counter() - t0
    Path(a.out).write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    log(f"wrote {a.out} ({result['seconds']:.0f} s)")


if __name__ == "__main__":
    main()
