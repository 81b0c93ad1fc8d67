"""Throughput of counting and comparing on one machine vs a Dask ``local:N`` cluster.

    python benches/bench_distributed.py                 # ~1-2 min on 2 cores
    python benches/bench_distributed.py --workers 2 --rounds 5 --sizes 1,8,32

Inputs: files made of the parallel corpus's sentences (all 20 languages, shuffled with a fixed
seed), ``--files`` files per size. For each total size it times, median of ``--rounds`` rounds
after one warm-up:

* local, 1 thread: ``count_file_sized(path, enc, 1)`` file after file;
* local, all CPUs: ``count_files(paths, enc, cores)`` (what ``tokstats count`` does: small files
  side by side, large ones on all threads);
* cluster: ``count_rows`` on an already running ``local:N`` cluster (``--scheduler`` cost
  without start-up), and start-up (cluster start + encodings loaded on every worker) apart;
* compare: ``compare_rows`` locally vs on the cluster (far more work per byte than counting).

``overhead`` = cluster seconds ÷ local-all-CPUs seconds on the same files (above 1: the cluster
is slower). The last lines fit ``seconds = a + b × MB`` to the cluster runs of the first series
and say how many workers, and how much data, it takes before a cluster beats this machine's
threads.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def make_files(root: Path, total_mb: float, files: int, seed: int = 20261123) -> list[str]:
    from tokstats.comparison._compare import corpus_documents
    from tokstats.sources._corpus import load_corpus

    texts = [d.text for d in corpus_documents(load_corpus("parallel"))]
    rng = random.Random(seed)
    per_file = int(total_mb * 1e6 / files)
    paths = []
    for i in range(files):
        parts, size = [], 0
        while size < per_file:
            t = rng.choice(texts) + "\n"
            parts.append(t)
            size += len(t.encode("utf-8"))
        p = root / f"{total_mb:g}MB-{i:03d}.txt"
        p.write_text("".join(parts), "utf-8")
        paths.append(str(p))
    return paths


def timed(fn: Callable[[], object], rounds: int) -> tuple[float, float]:
    """(median seconds, spread = max - min) over ``rounds`` after one warm-up call."""
    fn()
    runs = []
    for _ in range(rounds):
        t = time.perf_counter_ns()
        fn()
        runs.append((time.perf_counter_ns() - t) / 1e9)
    return statistics.median(runs), max(runs) - min(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--sizes", default="0.25,2,12", help="total MB per run, comma-separated")
    ap.add_argument("--files", default="48,8", help="files per size, comma-separated: each is a series")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--encoding", default="cl100k_base")
    ap.add_argument("--compare-mb", type=float, default=2.0, help="size for the compare row, in 8 files (0: skip)")
    args = ap.parse_args()

    import dask
    import distributed
    import tiktoken

    from tokstats import __version__
    from tokstats.comparison._compare import compare_rows
    from tokstats.counting._count import count_file_sized, count_files, default_jobs
    from tokstats.scale._cluster import connect, count_rows, prepare_workers
    from tokstats.scale._compare import compare_rows as cluster_compare_rows

    cores = default_jobs()
    print(
        f"# tokstats {__version__}, tiktoken {tiktoken.__version__}, dask {dask.__version__}, "
        f"distributed {distributed.__version__}, Python {platform.python_version()}, {cores} CPUs, "
        f"load average at start {os.getloadavg()[0]:.2f}; encoding {args.encoding}; "
        f"input: parallel-corpus sentences, {args.files} files per size; median of {args.rounds} rounds"
    )
    series = [int(n) for n in args.files.split(",")]

    t0 = time.perf_counter()
    with connect(f"local:{args.workers}") as client:
        prepare_workers(client, [args.encoding, "o200k_base"])
        startup = time.perf_counter() - t0
        print(f"cluster start-up (local:{args.workers}, encodings loaded on every worker): {startup:.2f} s")
        print()
        print(
            f"| what | files | MB | local 1 thread MB/s | local {cores} threads MB/s | local:{args.workers} MB/s "
            "| local:{0} spread s | overhead (cluster s / local s) |".format(args.workers)
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        fit: list[tuple[float, float]] = []
        local_rate = 0.0
        with tempfile.TemporaryDirectory(prefix="tokstats-bench-") as tmp:
            for files, mb in ((f, float(s)) for f in series for s in args.sizes.split(",")):
                paths = make_files(Path(tmp), mb, files)
                real_mb = sum(os.path.getsize(p) for p in paths) / 1e6
                one, _ = timed(lambda ps=paths: [count_file_sized(p, args.encoding, 1) for p in ps], args.rounds)
                many, _ = timed(lambda ps=paths: count_files(ps, args.encoding, cores), args.rounds)
                dist, spread = timed(
                    lambda ps=paths: count_rows(ps, args.encoding, client=client, progress=False), args.rounds
                )
                if files == series[0]:
                    fit.append((real_mb, dist))
                    local_rate = real_mb / many  # the largest size's rate is used below
                print(
                    f"| count | {files} | {real_mb:.2f} | {real_mb / one:.1f} | {real_mb / many:.1f} | {real_mb / dist:.1f} "
                    f"| {spread:.2f} | {dist / many:.2f} |"
                )
            if args.compare_mb > 0:
                paths = make_files(Path(tmp), args.compare_mb, 8)
                real_mb = sum(os.path.getsize(p) for p in paths) / 1e6
                encs = [args.encoding, "o200k_base"]
                loc, _ = timed(lambda: compare_rows(paths, tokenizers=encs), max(1, args.rounds - 1))
                dist, spread = timed(
                    lambda: cluster_compare_rows(paths, encodings=encs, client=client, progress=False),
                    max(1, args.rounds - 1),
                )
                print(
                    f"| compare (2 encodings) | 8 | {real_mb:.2f} | {real_mb / loc:.2f} | (1 thread) | {real_mb / dist:.2f} "
                    f"| {spread:.2f} | {dist / loc:.2f} (vs 1 thread) |"
                )

    # seconds = a + b * MB on the cluster; local threads: MB / rate
    n = len(fit)
    mx = sum(x for x, _ in fit) / n
    my = sum(y for _, y in fit) / n
    b = sum((x - mx) * (y - my) for x, y in fit) / max(1e-12, sum((x - mx) ** 2 for x, _ in fit))
    a = max(0.0, my - b * mx)  # a noisy fit can dip below 0: no run is free
    per_worker = 1 / (b * args.workers) if b > 0 else float("inf")  # MB/s one worker process delivers
    print()
    print(
        f"fit on the cluster runs: seconds = {a:.3f} + {b:.4f} × MB  "
        f"(fixed cost per run {a * 1000:.0f} ms; {per_worker:.1f} MB/s per worker process; "
        f"local {cores} threads: {local_rate:.1f} MB/s)"
    )
    print(f"start-up, paid once per command with local:N (an existing cluster: 0): {startup:.2f} s")
    print("model: a cluster of W such workers (one core each) beats this machine's threads when")
    print("  fixed + MB / (W × per-worker) < MB / local, i.e. MB > fixed / (1/local - 1/(W × per-worker))")
    print("| workers W | break-even MB, existing cluster | break-even MB, incl. local:N start-up |")
    print("|---:|---:|---:|")
    for w in (2, 4, 8, 16, 64):
        gain = 1 / local_rate - 1 / (w * per_worker)
        if gain <= 0:
            print(f"| {w} | never (W × per-worker ≤ local) | never |")
        else:
            print(f"| {w} | {a / gain:.0f} | {(a + startup) / gain:.0f} |")


if __name__ == "__main__":
    main()
