"""Start-up time: ``tokstats count small.txt`` against a bare tiktoken script counting the same file.

    python benches/startup.py [--runs 15] [--encoding cl100k_base]

The bare script is what a user would otherwise write: ``import tiktoken``, ``get_encoding``,
``len(enc.encode_ordinary(open(f).read()))``. Both run offline; the bare script gets a
tiktoken cache folder holding the same rank file tokstats ships (tiktoken checks its sha256), so
neither downloads. Runs alternate (to share the machine's noise fairly); prints the median and
quartiles of wall time in ms, and the ratio tokstats / bare.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

BARE = """
import sys, tiktoken
enc = tiktoken.get_encoding(sys.argv[2])
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    print(len(enc.encode_ordinary(f.read())))
"""

BLOBS = {
    "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
    "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
}


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    return (time.perf_counter() - t) * 1000, r.stdout


def quartiles(xs: list[float]) -> str:
    q = statistics.quantiles(xs, n=4)
    return f"median {statistics.median(xs):6.1f} ms (IQR {q[0]:.1f}–{q[2]:.1f})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--encoding", default="cl100k_base", choices=sorted(BLOBS))
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        cache.mkdir()
        ranks = (REPO / "tokstats" / "_ranks" / f"{a.encoding}.tiktoken").read_bytes()
        (cache / hashlib.sha1(BLOBS[a.encoding].encode()).hexdigest()).write_bytes(ranks)
        small = Path(tmp) / "small.txt"
        small.write_text("Hello, world! Bonjour le monde. こんにちは世界\n" * 20, "utf-8")
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE, "utf-8")
        env = {**os.environ, "TIKTOKEN_CACHE_DIR": str(cache), "HTTPS_PROXY": "http://127.0.0.1:9"}
        ours_cmd = [sys.executable, "-m", "tokstats", "count", "--encoding", a.encoding, str(small)]
        bare_cmd = [sys.executable, str(bare), str(small), a.encoding]
        timed(ours_cmd, env), timed(bare_cmd, env)  # warm the OS file cache
        ours, theirs = [], []
        for _ in range(a.runs):
            ms, out = timed(ours_cmd, env)
            ours.append(ms)
            ms, bare_out = timed(bare_cmd, env)
            theirs.append(ms)
        assert bare_out.strip() in out, "the two commands disagree on the count"
    print(f"tokstats count small.txt : {quartiles(ours)}")
    print(f"bare tiktoken script     : {quartiles(theirs)}")
    print(f"ratio tokstats / bare    : {statistics.median(ours) / statistics.median(theirs):.2f} ({a.runs} alternating runs)")


if __name__ == "__main__":
    main()
