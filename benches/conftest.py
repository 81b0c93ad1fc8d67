"""Inputs for the hot-path benchmarks: text per language family, source code, a ~24 MB mixed file.

Run with ``pytest benches/ --benchmark-enable -n 0`` (one process: pytest-benchmark times nothing under xdist) (pyproject's addopts disable benchmarks in the
normal test run; the default ``testpaths`` is ``tests/`` so plain ``pytest`` never collects this).

Text per language family comes from the shipped corpora: ``gpt4o-launch.json`` (one greeting per
language, with its family) and, when present, ``parallel.json`` (the same sentences in many
languages); each family's text is repeated to about ``FAMILY_BYTES``. Source code is the first
Python stdlib modules in sorted order. The large file mixes all of it and is written to a
temporary folder once per session.
"""

from __future__ import annotations

import glob
import json
import os
import sysconfig
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FAMILY_BYTES = 256 << 10
CODE_BYTES = 1 << 20
BIG_BYTES = 24 << 20
ENCODINGS = ["cl100k_base", "o200k_base"]


@dataclass(frozen=True)
class Input:
    """A named benchmark input: its text, size in UTF-8 bytes and where it came from."""

    name: str
    text: str
    nbytes: int
    source: str


def _repeat_to(text: str, nbytes: int) -> str:
    size = max(1, len(text.encode("utf-8")))
    return text * max(1, nbytes // size)


def _family_texts() -> dict[str, list[str]]:
    launch = json.loads((REPO / "corpora" / "gpt4o-launch.json").read_text("utf-8"))
    family_of = {e["id"]: e["family"].split(" › ")[0] for e in launch["entries"]}
    texts: dict[str, list[str]] = {}
    for e in launch["entries"]:
        texts.setdefault(family_of[e["id"]], []).append(e["text"])
    parallel = REPO / "corpora" / "parallel.json"
    if parallel.is_file():
        for entry in json.loads(parallel.read_text("utf-8"))["entries"]:
            for lang, text in entry.get("text", {}).items():
                fam = family_of.get(lang)
                if fam is not None and isinstance(text, str):
                    texts[fam].append(text)
    return texts


def _code() -> str:
    files = sorted(glob.glob(os.path.join(sysconfig.get_paths()["stdlib"], "*.py")))
    out, size = [], 0
    for f in files:
        data = Path(f).read_bytes()
        out.append(data.decode("utf-8"))
        size += len(data)
        if size >= CODE_BYTES:
            break
    return "".join(out)


@pytest.fixture(scope="session")
def inputs() -> dict[str, Input]:
    """Family texts (``family:<name>``) and ``code``, each a few hundred KB to 1 MB."""
    out: dict[str, Input] = {}
    for fam, texts in sorted(_family_texts().items()):
        text = _repeat_to("\n".join(texts) + "\n", FAMILY_BYTES)
        out[f"family:{fam}"] = Input(f"family:{fam}", text, len(text.encode()), "corpora gpt4o-launch + parallel")
    code = _code()
    out["code"] = Input("code", code, len(code.encode()), f"Python {sysconfig.get_python_version()} stdlib *.py")
    return out


@pytest.fixture(scope="session")
def big_file(tmp_path_factory: pytest.TempPathFactory, inputs: dict[str, Input]) -> Input:
    """~24 MB of every family's text and source code interleaved, written to a temp file."""
    block = "".join(i.text for i in inputs.values())
    text = _repeat_to(block, BIG_BYTES)
    path = tmp_path_factory.mktemp("bench") / "mixed-24mb.txt"
    path.write_bytes(text.encode("utf-8"))
    return Input(str(path), text, path.stat().st_size, "all inputs interleaved")


class Baselines:
    """Single-call ``encode_ordinary`` MB/s per (input, encoding), measured in this run (best of 3)."""

    def __init__(self) -> None:
        self._mbps: dict[tuple[str, str], float] = {}

    def mbps(self, inp: Input, encoding: str) -> float:
        key = (inp.name, encoding)
        if key not in self._mbps:
            from tokstats import get_encoding

            enc = get_encoding(encoding)
            enc.encode_ordinary(inp.text[:10000])  # warm up
            best = min(_timed(enc.encode_ordinary, inp.text) for _ in range(3))
            self._mbps[key] = inp.nbytes / 1e6 / best
        return self._mbps[key]


def _timed(fn, *args) -> float:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t


@pytest.fixture(scope="session")
def baselines() -> Baselines:
    return Baselines()


@pytest.fixture(params=ENCODINGS)
def encoding(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@dataclass(frozen=True)
class ManyFiles:
    """A folder of many small files (a codebase): their paths, and all their text as one Input."""

    paths: list[str]
    whole: Input


@pytest.fixture(scope="session")
def many_files(tmp_path_factory: pytest.TempPathFactory) -> ManyFiles:
    """~8 MB of the Python stdlib's ``*.py`` files (recursively, UTF-8, < 200 KB each), copied."""
    root = tmp_path_factory.mktemp("codebase")
    stdlib = sysconfig.get_paths()["stdlib"]
    paths, texts, size = [], [], 0
    for f in sorted(glob.glob(os.path.join(stdlib, "**", "*.py"), recursive=True)):
        data = Path(f).read_bytes()
        if len(data) > 200_000:
            continue
        try:
            texts.append(data.decode("utf-8"))
        except UnicodeDecodeError:
            continue
        p = root / f"f{len(paths):05}.py"
        p.write_bytes(data)
        paths.append(str(p))
        size += len(data)
        if size >= 8 << 20:
            break
    text = "".join(texts)
    return ManyFiles(
        paths, Input(f"{len(paths)} stdlib files", text, size, f"Python {sysconfig.get_python_version()} stdlib")
    )
