"""count / count_file equal len(encode_ordinary(exact text)); bad files are named; backends agree."""

from __future__ import annotations

import errno
import glob
import io
import json
import os
import sysconfig
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tokstats import get_encoding
from tokstats.counting import _count as counting
from tokstats.counting._count import count, count_file, count_file_sized
from tokstats.errors import InputError, UnknownNameError
from tokstats.sources._corpus import load_corpus
from tokstats.tokenizers._backends import get_counter

ENCODINGS = ["cl100k_base", "o200k_base"]
REPO = Path(__file__).resolve().parent.parent


def corpus_texts() -> list[str]:
    """Every string in the shipped corpora (whatever their layout), for realistic multilingual text."""
    out: list[str] = []

    def walk(x: object) -> None:
        if isinstance(x, str):
            out.append(x)
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    for path in sorted((REPO / "corpora").glob("*.json")):
        walk(json.loads(path.read_text("utf-8")))
    return out


def stdlib_source(n_files: int = 40) -> str:
    files = sorted(glob.glob(os.path.join(sysconfig.get_paths()["stdlib"], "*.py")))[:n_files]
    return "".join(Path(f).read_bytes().decode("utf-8") for f in files)


@pytest.fixture(scope="module")
def mixed_text() -> str:
    """~1 MB of multilingual prose, CRLF lines, a BOM, special-token strings and Python source."""
    prose = "\n".join(corpus_texts())
    crlf = prose.replace("\n", "\r\n")
    return "\ufeff" + prose + "\n<|endoftext|> <|fim_prefix|>\n" + stdlib_source() + crlf + "\n   \n\t"


@pytest.mark.parametrize("name", ENCODINGS)
def test_golden_counts(name: str) -> None:
    # tiktoken's own test suite: cl100k_base encodes "hello world" as [15339, 1917]
    assert count("hello world", "cl100k_base") == 2
    # special-token strings are ordinary text: "<|endoftext|>" is 7 tokens in cl100k_base
    # (len(enc.encode_ordinary("<|endoftext|>")) with tiktoken 0.14.0)
    assert count("<|endoftext|>", "cl100k_base") == 7
    enc = get_encoding(name)
    assert count("", enc) == 0


def test_corpus_is_loadable_for_the_benches() -> None:
    corpus = load_corpus("gpt4o-launch")
    assert corpus.name == "gpt4o-launch"
    assert len(corpus_texts()) >= 20


@pytest.mark.parametrize("name", ENCODINGS)
@pytest.mark.parametrize("jobs", [1, 2])
def test_count_file_equals_whole_text(tmp_path: Path, mixed_text: str, name: str, jobs: int) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes(mixed_text.encode("utf-8"))
    enc = get_encoding(name)
    expected = len(enc.encode_ordinary(mixed_text))
    # small blocks: hundreds of chunks, characters split across block borders
    assert count_file(path, name, jobs, block_size=4096) == expected
    assert count_file(path, enc, jobs) == expected
    assert count_file_sized(str(path), enc, jobs, block_size=1000) == (expected, path.stat().st_size)


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_reports_every_byte_once(tmp_path: Path, mixed_text: str, jobs: int) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes(mixed_text.encode("utf-8"))
    seen: list[int] = []
    count_file(path, "cl100k_base", jobs, block_size=8192, progress=seen.append)
    assert len(seen) > 10 and sum(seen) == path.stat().st_size


def test_long_text_is_counted_in_pieces(mixed_text: str) -> None:
    enc = get_encoding("o200k_base")
    text = mixed_text * 3  # > 2 MiB characters: the split-and-thread path
    assert len(text) > 2 * counting.BLOCK_SIZE
    assert count(text, enc, jobs=2) == len(enc.encode_ordinary(text))


def test_file_with_no_cut_points_still_counts(tmp_path: Path) -> None:
    text = "\u4e2d" * 50_000 + "!" * 10_000  # no newline, no space: one chunk
    path = tmp_path / "oneline.txt"
    path.write_text(text, "utf-8")
    assert count_file(path, "cl100k_base", 2, block_size=1024) == count(text, "cl100k_base")


def test_invalid_utf8_in_the_middle_names_file_and_offset(tmp_path: Path) -> None:
    good = ("line of text\n" * 10_000).encode()
    path = tmp_path / "bad.txt"
    path.write_bytes(good + b"\xc3\x28" + good)
    with pytest.raises(InputError) as e:
        count_file(path, "cl100k_base", 2, block_size=4096)
    assert str(e.value) == f"{path}: invalid UTF-8 at byte offset {len(good)} (byte c3: invalid continuation byte)"


def test_missing_file_and_directory_are_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.txt: no such file"):
        count_file(tmp_path / "nope.txt", "cl100k_base")
    with pytest.raises(InputError, match=r"is a directory"):
        count_file(tmp_path, "cl100k_base")


class _FailingFile(io.BufferedReader):
    """A real file whose third read fails with EIO, as a dying disk or a network mount would."""

    reads = 0

    def read(self, size: int | None = -1) -> bytes:  # type: ignore[override]
        type(self).reads += 1
        if type(self).reads == 3:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return super().read(size)


def test_read_error_mid_run_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "flaky.txt"
    path.write_text("abc\n" * 5000, "utf-8")
    _FailingFile.reads = 0
    monkeypatch.setattr(counting, "open_input", lambda p: _FailingFile(io.FileIO(p, "rb")))
    with pytest.raises(InputError) as e:
        count_file(path, "cl100k_base", 2, block_size=1024)
    assert str(e.value) == f"{path}: cannot be read: Input/output error (read failed after 2048 bytes)"


def test_file_truncated_mid_run_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "shrinking.log"
    path.write_text("abc\n" * 5000, "utf-8")

    class Shrinking(io.BufferedReader):
        def read(self, size: int | None = -1) -> bytes:  # type: ignore[override]
            data = super().read(size)
            os.truncate(path, 4096)  # another process truncates the log while we read it
            return data

    monkeypatch.setattr(counting, "open_input", lambda p: Shrinking(io.FileIO(p, "rb")))
    with pytest.raises(InputError, match=r"shrinking\.log: changed while being counted \(20000 bytes when opened"):
        count_file(path, "cl100k_base", 1, block_size=1024)


def test_bad_jobs_and_backend() -> None:
    with pytest.raises(InputError, match="jobs must be a whole number from 1 to 256 or None, not 0"):
        count_file(__file__, "cl100k_base", 0)
    with pytest.raises(UnknownNameError, match="unknown backend 'fast'; known backends: auto, quicktok, tiktoken"):
        count("x", "cl100k_base", backend="fast")


SPECIALS = ["<|endoftext|>", "<|fim_prefix|>", "<|endofprompt|>", "<|im_start|>", "<|"]


@pytest.mark.parametrize("name", [*ENCODINGS, "o200k_harmony"])
@given(parts=st.lists(st.one_of(st.text(max_size=20), st.sampled_from(SPECIALS)), max_size=12))
@settings(max_examples=200, deadline=None)
def test_tiktoken_counter_equals_encode_ordinary(name: str, parts: list[str]) -> None:
    """The list-free tiktoken counter treats special-token strings as text, like encode_ordinary."""
    text = "".join(parts)
    enc = get_encoding(name)
    assert get_counter(name, "tiktoken")(text) == len(enc.encode_ordinary(text))


# --- the optional exact backend: parity with tiktoken ------------------------------------------

try:
    import quicktok
except ImportError:  # the optional backend (extra "fast") is not installed
    quicktok = None
needs_quicktok = pytest.mark.skipif(quicktok is None, reason="optional backend quicktok-v1 not installed")

ATOMS = [
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\u00a0",
    "\u3000",
    "'s",
    "'LL",
    "/",
    "!\n",
    "a",
    "Ab",
    "é",
    "e\u0301",
    "\u0301",
    "123456",
    "👍🏽",
    "👨‍👩‍👧",
    "中文",
    "مرحبا",
    "नमस्ते",
    "<|endoftext|>",
    "\x00",
]
parity_text = st.one_of(st.text(max_size=300), st.lists(st.sampled_from(ATOMS), max_size=80).map("".join))


@needs_quicktok
@pytest.mark.parametrize("name", ENCODINGS)
@given(text=parity_text)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_quicktok_ids_equal_tiktoken(name: str, text: str) -> None:
    enc = get_encoding(name)
    tok = quicktok.get_encoding(name)
    assert tok.encode_ordinary(text) == enc.encode_ordinary(text)
    assert tok.count(text) == len(enc.encode_ordinary(text))


@needs_quicktok
@pytest.mark.parametrize("name", [*ENCODINGS, "o200k_harmony"])
def test_quicktok_on_corpora_and_source(name: str, mixed_text: str, tmp_path: Path) -> None:
    enc = get_encoding(name)
    tok = quicktok.get_encoding(name)
    for text in corpus_texts():
        assert tok.encode_ordinary(text) == enc.encode_ordinary(text), text
    assert tok.encode_ordinary(mixed_text) == enc.encode_ordinary(mixed_text)
    path = tmp_path / "mixed.txt"
    path.write_text(mixed_text, "utf-8", newline="")
    assert count_file(path, name, 2, backend="quicktok", block_size=4096) == len(enc.encode_ordinary(mixed_text))
    assert get_counter(name, "quicktok")("<|endoftext|>") == len(enc.encode_ordinary("<|endoftext|>"))


def test_count_files_matches_one_by_one_in_order(tmp_path: Path) -> None:
    from tokstats.counting._count import SMALL_FILE, count_files

    enc = get_encoding("o200k_base")
    texts = [f"file {i}: " + "héllo wörld\n" * (i * 37) for i in range(12)]
    texts.insert(5, "big line\n" * (SMALL_FILE // 9 + 10))  # one file counted on all threads
    paths = []
    for i, text in enumerate(texts):
        p = tmp_path / f"f{i:02}.txt"
        p.write_text(text, encoding="utf-8", newline="")
        paths.append(p)
    import hashlib

    want = [(len(enc.encode_ordinary(t)), len(t.encode()), hashlib.sha256(t.encode()).hexdigest()) for t in texts]
    for jobs in (1, 2):
        got = count_files(paths, "o200k_base", jobs=jobs)
        assert [tuple(c)[:3] for c in got] == want
        assert {c.backend for c in got if not isinstance(c, InputError)} <= {"tiktoken", "quicktok"}


def test_count_files_names_the_first_bad_file_in_order(tmp_path: Path) -> None:
    from tokstats.counting._count import count_files

    good = tmp_path / "a.txt"
    good.write_text("fine\n")
    bad1 = tmp_path / "b.txt"
    bad1.write_bytes(b"ok\n\xff")
    bad2 = tmp_path / "c.txt"
    bad2.write_bytes(b"\xfe")
    with pytest.raises(InputError, match=r"b\.txt: invalid UTF-8 at byte offset 3"):
        count_files([good, bad1, bad2, good], "cl100k_base", jobs=2)


def test_count_files_same_through_an_executor(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    paths = []
    for i in range(5):
        p = tmp_path / f"f{i}.txt"
        p.write_text(f"file {i}: " + "hello wörld 日本 " * (100 * i + 1), "utf-8")
        paths.append(str(p))
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\n\xff")
    local = counting.count_files(paths, "cl100k_base", backend="tiktoken")
    with ThreadPoolExecutor(max_workers=2) as pool:
        pooled = counting.count_files(paths, "cl100k_base", backend="tiktoken", executor=pool)
        assert pooled == local
        skipped = counting.count_files(
            [*paths, str(bad)], "cl100k_base", backend="tiktoken", skip_invalid=True, executor=pool
        )
        assert skipped[:-1] == local and isinstance(skipped[-1], InputError)
        with pytest.raises(InputError) as pooled_error:
            counting.count_files([str(bad), *paths], "cl100k_base", executor=pool)
    with pytest.raises(InputError) as local_error:
        counting.count_files([str(bad), *paths], "cl100k_base")
    assert str(pooled_error.value) == str(local_error.value)
