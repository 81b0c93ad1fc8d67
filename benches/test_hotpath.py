"""Benchmarks of the hot path: tiktoken's calls, count_file on 1 and all cores, each backend.

Every benchmark stores in ``extra_info``: input, encoding, bytes, tokens, ``MB_per_s``,
``tokens_per_s`` and ``ratio`` = its MB/s over the single-call ``encode_ordinary`` MB/s of the
same input and encoding, measured in the same run (``conftest.Baselines``). count_file also
stores ``target_ratio`` = MB/s over (cores × single-call MB/s), the issue's ≥ 0.9 target.

    pytest benches/ --benchmark-enable -n 0 --benchmark-columns=median,iqr,rounds
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tokstats import get_encoding
from tokstats.counting._count import count_file, default_jobs

try:
    import quicktok
except ImportError:
    quicktok = None
try:
    import bpe_openai._bindings as bpe_bindings
except ImportError:
    bpe_bindings = None

_LAUNCH = json.loads((Path(__file__).resolve().parent.parent / "corpora" / "gpt4o-launch.json").read_text("utf-8"))
FAMILIES = sorted({e["family"].split(" › ")[0] for e in _LAUNCH["entries"]})
BATCH_BYTES = 3 << 20  # encode_ordinary_batch runs ~1 MB/s: time it on the first 3 MB of lines


def run(benchmark: Any, fn: Callable[[], int], rounds: int) -> int:
    return int(benchmark.pedantic(fn, rounds=rounds, iterations=1, warmup_rounds=1))


def record(
    benchmark: Any, inp: Any, encoding: str, tokens: int, baselines: Any, nbytes: int | None = None, **extra: Any
) -> None:
    nbytes = inp.nbytes if nbytes is None else nbytes
    info = {"input": inp.name, "encoding": encoding, "bytes": nbytes, "tokens": tokens, **extra}
    stats = getattr(benchmark, "stats", None)
    if stats is not None:  # None when run with --benchmark-disable
        median = stats.stats.median
        base = baselines.mbps(inp, encoding)
        info.update(
            MB_per_s=round(nbytes / 1e6 / median, 2),
            tokens_per_s=round(tokens / median),
            baseline_MB_per_s=round(base, 2),
            ratio=round(nbytes / 1e6 / median / base, 3),
        )
    benchmark.extra_info.update(info)


# --- per input (language families, code): tiktoken calls and the backends' single calls ---------

METHODS = ["encode_ordinary", "encode", "encode_ordinary_batch_lines", "quicktok_count", "bpe_openai_count"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("inp_name", ["code"] + [f"family:{f}" for f in FAMILIES])
def test_input(
    benchmark: Any, inputs: dict[str, Any], baselines: Any, encoding: str, method: str, inp_name: str
) -> None:
    if inp_name not in inputs:
        pytest.skip(f"no {inp_name} text in the corpora")
    inp = inputs[inp_name]
    enc = get_encoding(encoding)
    benchmark.group = f"{inp_name} {encoding}"
    text = inp.text
    if method == "encode_ordinary":
        fn = lambda: len(enc.encode_ordinary(text))
    elif method == "encode":
        fn = lambda: len(enc.encode(text, disallowed_special=()))
    elif method == "encode_ordinary_batch_lines":
        lines = text.splitlines(keepends=True)
        fn = lambda: sum(map(len, enc.encode_ordinary_batch(lines)))
    elif method == "quicktok_count":
        if quicktok is None:
            pytest.skip("quicktok-v1 not installed")
        fn = quicktok.get_encoding(encoding).count
        fn = lambda f=fn: f(text)
    else:
        if bpe_bindings is None:
            pytest.skip("bpe-openai not installed")
        tok = bpe_bindings.tokenizer_for_encoding(encoding)
        fn = lambda: tok.count(text)
    tokens = run(benchmark, fn, rounds=5)
    exact = tokens == len(enc.encode_ordinary(text))
    if method != "encode_ordinary_batch_lines":  # lines are not pre-token boundaries: not exact
        assert exact, f"{method} miscounts {inp_name}"
    record(benchmark, inp, encoding, tokens, baselines, method=method, exact=exact)


# --- the ~24 MB multilingual + code file --------------------------------------------------------

BIG = [
    ("encode_ordinary", 1, "tiktoken"),
    ("encode_ordinary_batch_lines", 0, "tiktoken"),
    ("count_file", 1, "tiktoken"),
    ("count_file", default_jobs(), "tiktoken"),
    ("count_file", 1, "quicktok"),
    ("count_file", default_jobs(), "quicktok"),
]


@pytest.mark.parametrize("method,jobs,backend", BIG, ids=[f"{m}-j{j}-{b}" for m, j, b in BIG])
def test_big_file(
    benchmark: Any, big_file: Any, baselines: Any, encoding: str, method: str, jobs: int, backend: str
) -> None:
    if backend == "quicktok" and quicktok is None:
        pytest.skip("quicktok-v1 not installed")
    enc = get_encoding(encoding)
    benchmark.group = f"24MB mixed {encoding}"
    nbytes = big_file.nbytes
    if method == "encode_ordinary":
        fn = lambda: len(enc.encode_ordinary(big_file.text))
    elif method == "encode_ordinary_batch_lines":
        head = big_file.text.encode()[:BATCH_BYTES].decode("utf-8", "ignore")
        lines = head.splitlines(keepends=True)
        nbytes = len(head.encode())
        fn = lambda: sum(map(len, enc.encode_ordinary_batch(lines)))
    else:
        fn = lambda: count_file(big_file.name, encoding, jobs, backend=backend)
    tokens = run(benchmark, fn, rounds=3)
    if method == "count_file":
        assert tokens == len(enc.encode_ordinary(big_file.text))
    extra: dict[str, Any] = {"method": method, "jobs": jobs, "backend": backend, "cores": default_jobs()}
    record(benchmark, big_file, encoding, tokens, baselines, nbytes=nbytes, **extra)
    stats = getattr(benchmark, "stats", None)
    if stats is not None and method == "count_file":
        mbps = nbytes / 1e6 / stats.stats.median
        benchmark.extra_info["target_ratio"] = round(mbps / (default_jobs() * baselines.mbps(big_file, encoding)), 3)


# --- a codebase: many small files -------------------------------------------------------------

MANY = [("file_by_file", 1), ("count_files", 1), ("count_files", default_jobs())]


@pytest.mark.parametrize("method,jobs", MANY, ids=[f"{m}-j{j}" for m, j in MANY])
def test_many_files(benchmark: Any, many_files: Any, baselines: Any, encoding: str, method: str, jobs: int) -> None:
    """Many small files, each one chunk: counted one by one (what a loop over count_file does) or
    side by side with ``count_files``. Ratio against one ``encode_ordinary`` call on all the text."""
    from tokstats.counting._count import count_files

    benchmark.group = f"codebase {encoding}"
    if method == "file_by_file":
        fn = lambda: sum(count_file(p, encoding, jobs) for p in many_files.paths)
    else:
        fn = lambda: sum(c.tokens for c in count_files(many_files.paths, encoding, jobs))
    tokens = run(benchmark, fn, rounds=3)
    enc = get_encoding(encoding)
    assert tokens == sum(
        len(enc.encode_ordinary(open(p, encoding="utf-8", newline="").read())) for p in many_files.paths
    )
    record(
        benchmark, many_files.whole, encoding, tokens, baselines, method=method, jobs=jobs, files=len(many_files.paths)
    )
