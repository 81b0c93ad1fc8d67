"""Peak resident memory of ``count_file`` on a large file, measured in a child process.

    python benches/peak_rss.py [--mb 150] [--encoding cl100k_base] [--jobs N] [--backend tiktoken]

Builds a multilingual + source-code file of about ``--mb`` MB in a temporary folder, then runs
``tokstats.count_file`` on it in a fresh Python process and reads that child's peak RSS
(``ru_maxrss`` of RUSAGE_CHILDREN, Linux: KiB). A second child that only loads the encoding
gives the floor (interpreter + tiktoken + ranks), so the streaming cost is the difference.
Prints MB (10^6 bytes). The issue's target: under 300 MB for a 150 MB file.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import resource
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CHILD = """
import sys, time, json
from tokstats import get_encoding
from tokstats.counting import count_file
enc = get_encoding(sys.argv[2])
t = time.perf_counter()
n = count_file(sys.argv[1], enc, int(sys.argv[3]) or None, backend=sys.argv[4]) if sys.argv[1] != "-" else 0
print(json.dumps({"tokens": n, "seconds": time.perf_counter() - t}))
"""


def build_file(path: Path, mb: int) -> int:
    """Write ~``mb`` MB of corpus text (all languages) and stdlib source to ``path``."""
    parts: list[str] = []
    for corpus in sorted((REPO / "corpora").glob("*.json")):
        data = json.loads(corpus.read_text("utf-8"))
        for e in data.get("entries", []):
            t = e.get("text")
            parts += [t] if isinstance(t, str) else [v for v in (t or {}).values() if isinstance(v, str)]
    for f in sorted(glob.glob(os.path.join(sysconfig.get_paths()["stdlib"], "*.py")))[:40]:
        parts.append(Path(f).read_text("utf-8"))
    block = ("\n".join(parts) + "\n").encode("utf-8")
    target = mb * 1_000_000
    with open(path, "wb") as out:
        written = 0
        while written < target:
            out.write(block)
            written += len(block)
    return written


def child_peak(args: list[str]) -> tuple[float, dict[str, float]]:
    """Run one child; return (its peak RSS in MB, its JSON output). Each child runs alone."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    r = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True, check=True)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    peak_kib = max(peak_kib, before)  # ru_maxrss of children: the max over all waited-for children
    return peak_kib * 1024 / 1e6, json.loads(r.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=int, default=150)
    ap.add_argument("--encoding", default="cl100k_base")
    ap.add_argument("--jobs", type=int, default=0, help="0 = all CPUs")
    ap.add_argument("--backend", default="tiktoken")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.txt"
        size = build_file(path, a.mb)
        # the floor first: RUSAGE_CHILDREN keeps the maximum, so the smaller run must go first
        floor, _ = child_peak(["-", a.encoding, "0", a.backend])
        t = time.perf_counter()
        peak, out = child_peak([str(path), a.encoding, str(a.jobs), a.backend])
        wall = time.perf_counter() - t
    print(f"file: {size / 1e6:.1f} MB, encoding {a.encoding}, backend {a.backend}, jobs {a.jobs or os.cpu_count()}")
    print(f"tokens: {out['tokens']}, counted in {out['seconds']:.1f} s ({size / 1e6 / out['seconds']:.1f} MB/s; child wall {wall:.1f} s)")
    print(f"peak RSS, interpreter + encoding only: {floor:.0f} MB")
    print(f"peak RSS, counting the file: {peak:.0f} MB")


if __name__ == "__main__":
    main()
