"""Exact token counts of texts and large files, streamed and counted on all cores.

``count_file(path, encoding)`` equals ``len(encoding.encode_ordinary(exact_file_text))`` — the
file's bytes decoded as strict UTF-8, nothing translated — but never holds the whole file: it
reads blocks, cuts them only at stable pre-token boundaries (:mod:`tokstats.chunking`) and counts
the chunks in threads (tiktoken releases the GIL while it encodes). At most ``2 × jobs`` chunks
of about 1 MiB wait at any time, so memory stays flat as files grow.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

import tiktoken

from tokstats.backends import get_counter, tiktoken_counter
from tokstats.chunking import BLOCK_SIZE, can_cut, iter_file_chunks, split_text
from tokstats.errors import InputError
from tokstats.textio import STDIN, describe_os_error, open_input

EncodingLike = str | tiktoken.Encoding
Progress = Callable[[int], None]

if TYPE_CHECKING:
    from concurrent.futures import Future


#: The most counting threads accepted (each holds up to two chunks of about 1 MiB in flight).
MAX_JOBS = 256


def default_jobs() -> int:
    """How many threads to count with by default: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _resolve(encoding: EncodingLike) -> tuple[str, str]:
    """(encoding name, its split pattern), loading the encoding offline and verified if named."""
    if isinstance(encoding, tiktoken.Encoding):
        return encoding.name, encoding._pat_str
    from tokstats.encodings import get_encoding

    enc = get_encoding(encoding)
    return enc.name, enc._pat_str


def _check_jobs(jobs: int | None) -> int:
    if jobs is None:
        return default_jobs()
    if isinstance(jobs, bool) or not isinstance(jobs, int) or not 1 <= jobs <= MAX_JOBS:
        raise InputError(f"jobs must be a whole number from 1 to {MAX_JOBS}, got {jobs!r}")
    return jobs


def _counter(encoding: EncodingLike, backend: str) -> tuple[Callable[[str], int], str]:
    if not isinstance(encoding, (str, tiktoken.Encoding)):
        raise InputError(f"encoding must be a name or a tiktoken Encoding, not {type(encoding).__name__}")
    if not isinstance(backend, str):
        raise InputError(f"backend must be a name such as 'tiktoken', not {backend!r}")
    name, pattern = _resolve(encoding)
    if isinstance(encoding, tiktoken.Encoding) and backend == "tiktoken":
        return tiktoken_counter(encoding), pattern
    return get_counter(name, backend), pattern


def count(text: str, encoding: EncodingLike, *, jobs: int | None = None, backend: str = "tiktoken") -> int:
    """``len(encoding.encode_ordinary(text))``; long texts are cut at stable boundaries and
    counted in ``jobs`` threads (default: all CPUs)."""
    if not isinstance(text, str):
        raise InputError(f"text must be a str, not {type(text).__name__} (decode bytes first, or use count_file)")
    counter, pattern = _counter(encoding, backend)
    jobs = _check_jobs(jobs)
    if jobs == 1 or len(text) < 2 * BLOCK_SIZE or not can_cut(pattern):
        return counter(text)
    from concurrent.futures import ThreadPoolExecutor

    pieces = split_text(text, BLOCK_SIZE)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return sum(pool.map(counter, pieces))


def count_file(
    path: str | os.PathLike[str],
    encoding: EncodingLike,
    jobs: int | None = None,
    *,
    backend: str = "tiktoken",
    block_size: int = BLOCK_SIZE,
    progress: Progress | None = None,
) -> int:
    """The exact token count of the UTF-8 file at ``path`` (see the module docstring).

    ``jobs``: counting threads (default: all CPUs; 1 counts in the calling thread). ``progress``
    is called with the number of bytes of each chunk once it is counted. Raises
    :class:`~tokstats.errors.InputError` naming the file for a missing or unreadable file, a
    directory, invalid UTF-8 (with the absolute byte offset), a read error part-way, or a file
    whose size changes while it is read.
    """
    return count_file_sized(path, encoding, jobs, backend=backend, block_size=block_size, progress=progress)[0]


def count_file_sized(
    path: str | os.PathLike[str],
    encoding: EncodingLike,
    jobs: int | None = None,
    *,
    backend: str = "tiktoken",
    block_size: int = BLOCK_SIZE,
    progress: Progress | None = None,
    digest: "hashlib._Hash | None" = None,
) -> tuple[int, int]:
    """``(tokens, bytes)`` of the file at ``path``: :func:`count_file` and how many bytes it read.

    ``digest`` (e.g. ``hashlib.sha256()``) is fed every byte read, so the file is hashed in the
    same pass that counts it (for the signature), not read twice.
    """
    counter, pattern = _counter(encoding, backend)
    jobs = _check_jobs(jobs)
    name = "<stdin>" if os.fspath(path) == STDIN else os.fspath(path)
    f = open_input(path)  # a regular file, or standard input (capped); anything else is refused
    with f:
        try:
            st = os.fstat(f.fileno())
        except OSError as e:
            raise InputError(describe_os_error(name, e)) from None
        reader: BinaryIO = f if digest is None else HashingReader(f, digest)  # type: ignore[assignment]
        chunks = iter_file_chunks(reader, name, block_size=block_size, cut=can_cut(pattern))
        total, nbytes = _count_chunks(chunks, counter, jobs, progress, f, name)
    if stat.S_ISREG(st.st_mode) and nbytes != st.st_size:
        raise InputError(
            f"{name}: changed while being counted ({st.st_size} bytes when opened, {nbytes} bytes read)"
        )
    return total, nbytes


#: Files smaller than this are counted whole in one thread each, several files at a time; larger
#: files are counted one at a time with all threads on their chunks.
SMALL_FILE = 8 * BLOCK_SIZE


class FileCount(NamedTuple):
    """One counted file: its tokens, its size in bytes, and the sha256 of those bytes."""

    tokens: int
    nbytes: int
    sha256: str


class HashingReader:
    """A binary reader that feeds every byte it returns to a hash."""

    def __init__(self, f: BinaryIO, digest: "hashlib._Hash") -> None:
        self._f = f
        self._digest = digest

    def read(self, n: int = -1) -> bytes:
        data = self._f.read(n)
        self._digest.update(data)
        return data


def count_one(
    path: str | os.PathLike[str], encoding: EncodingLike, jobs: int | None = None, *,
    backend: str = "tiktoken", progress: Progress | None = None,
) -> FileCount:
    """:func:`count_file_sized` with the file's sha256, hashed in the same pass."""
    digest = hashlib.sha256()
    tokens, nbytes = count_file_sized(path, encoding, jobs, backend=backend, progress=progress, digest=digest)
    return FileCount(tokens, nbytes, digest.hexdigest())


def count_files(
    paths: Sequence[str | os.PathLike[str]],
    encoding: EncodingLike,
    jobs: int | None = None,
    *,
    backend: str = "tiktoken",
    progress: Progress | None = None,
    skip_invalid: bool = False,
) -> list[FileCount | InputError]:
    """Tokens, bytes and sha256 of each file, in order: :func:`count_one` over many files.

    With ``skip_invalid``, a file that cannot be counted (invalid UTF-8, unreadable, vanished)
    gives its :class:`InputError` in its place instead of stopping the run, so a caller can report
    it; the default stops at the first such file.

    A codebase is many small files, each a single chunk: counted one after another they would use
    one core. Small files are therefore counted side by side (one thread each, at most
    ``2 × jobs`` waiting), large ones one at a time on all threads. The first bad file in input
    order raises, as a sequential loop would.
    """
    from concurrent.futures import Future, ThreadPoolExecutor

    jobs = _check_jobs(jobs)

    def one(path: str | os.PathLike[str], threads: int) -> FileCount | InputError:
        try:
            return count_one(path, encoding, threads, backend=backend, progress=progress)
        except InputError as e:
            if skip_invalid:
                return e
            raise

    if jobs == 1:
        return [one(p, 1) for p in paths]
    results: list[FileCount | InputError] = []
    pending: deque[Future[FileCount | InputError]] = deque()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        try:
            for path in paths:
                if os.fspath(path) == STDIN or file_size(path) >= SMALL_FILE:
                    while pending:
                        results.append(pending.popleft().result())
                    results.append(one(path, jobs))
                    continue
                if len(pending) >= 2 * jobs:
                    results.append(pending.popleft().result())
                pending.append(pool.submit(one, path, 1))
            while pending:
                results.append(pending.popleft().result())
        finally:
            for fut in pending:
                fut.cancel()
    return results


def file_size(path: str | os.PathLike[str]) -> int:
    """The file's size in bytes, or 0 if it cannot be read (counting it then names the problem)."""
    try:
        return os.path.getsize(path)
    except OSError:
        return 0  # count_file_sized names the problem when it opens the file


def _count_chunks(
    chunks: object,
    counter: Callable[[str], int],
    jobs: int,
    progress: Progress | None,
    f: BinaryIO,
    name: str,
) -> tuple[int, int]:
    """Sum ``counter`` over ``chunks``, in ``jobs`` threads with at most ``2 × jobs`` in flight."""
    total = 0
    nbytes = 0
    pool = None  # started with the second chunk: a one-chunk file is counted in this thread
    held: tuple[str, int] | None = None  # the first chunk, until we know there is a second
    in_flight: deque[tuple[Future[int], int]] = deque()

    def done(tokens: int, n: int) -> int:
        if progress is not None:
            progress(n)  # reported when counted, not when read, so the bar shows real progress
        return tokens

    try:
        for text, n in chunks:  # type: ignore[attr-defined]
            nbytes += n
            if jobs == 1:
                total += done(counter(text), n)
            elif pool is None and held is None:
                held = (text, n)
            else:
                if pool is None:
                    from concurrent.futures import ThreadPoolExecutor

                    pool = ThreadPoolExecutor(max_workers=jobs)
                    if held is not None:
                        in_flight.append((pool.submit(counter, held[0]), held[1]))
                        held = None
                if len(in_flight) >= 2 * jobs:
                    fut, m = in_flight.popleft()
                    total += done(fut.result(), m)
                in_flight.append((pool.submit(counter, text), n))
        if held is not None:
            total += done(counter(held[0]), held[1])
        while in_flight:
            fut, m = in_flight.popleft()
            total += done(fut.result(), m)
    except OSError as e:
        where = _tell(f)
        at = f" after {where} bytes" if where is not None else ""
        raise InputError(f"{describe_os_error(name, e)} (read failed{at})") from None
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return total, nbytes


def _tell(f: BinaryIO) -> int | None:
    try:
        return f.tell()
    except (OSError, ValueError):
        return None
