"""Exact token counts of texts and large files, streamed and counted on all cores.

``count_file(path, encoding)`` equals ``len(encoding.encode_ordinary(exact_file_text))`` (the
file's bytes decoded as strict UTF-8, nothing translated) but never holds the whole file: it
reads blocks, cuts them only where the tokenizer's
``cut_rule`` allows (``tokstats.tokenizers._chunking``)
and counts the chunks in threads (both counting backends, and ``tokenizers``' batch encoder for
``hf:`` files, release the GIL while they encode). A tokenizer with no cut rule is counted whole.
At most ``2 × jobs`` chunks of about a block wait at any time, so memory stays flat as files
grow. Which backend counts is decided once per call from the input's size
(``tokstats.tokenizers._backends.choose_backend``). docs/count.md, "How a file is counted"
and "Bounds", describes the whole path.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, BinaryIO, NamedTuple, TypeVar

from tokstats._api import check_int, check_path, check_spec, check_str, renamed, shown
from tokstats._executor import MapExecutor, map_ordered
from tokstats.defaults import BLOCK_SIZE_RANGE, JOBS_RANGE, default_jobs
from tokstats.errors import InputError, ParameterError
from tokstats.sources._inputs import is_url
from tokstats.sources._textio import STDIN, decode_exact, describe_os_error, open_input
from tokstats.tokenizers._backends import (
    Plan,
    label,
)
from tokstats.tokenizers._chunking import (
    BLOCK_SIZE,
    CutRule,
    iter_file_chunks,
    split_text,
)
from tokstats.tokenizers._registry import TokenizerLike, as_tokenizer

#: What the public counting functions accept: a spec, a ``Tokenizer`` or a ``tiktoken.Encoding``;
#: each resolves it once, at entry (``as_tokenizer``).
EncodingLike = TokenizerLike
Progress = Callable[[int], None]
T = TypeVar("T")

if TYPE_CHECKING:
    from concurrent.futures import Future

    from tokstats.tokenizers._base import Tokenizer


def _check_jobs(jobs: int | None) -> int:
    jobs = check_int("jobs", jobs, JOBS_RANGE, none=True)
    return default_jobs() if jobs is None else jobs


def _check_door(tokenizer: EncodingLike, jobs: int | None, backend: str) -> int:
    """The checks ``count`` and ``count_file`` share, at their entry: the jobs to use."""
    check_spec("tokenizer", tokenizer)
    check_str("backend", backend, what="a backend name: auto, tiktoken or quicktok")  # unknown names: UnknownNameError
    return _check_jobs(jobs)


def check_tokenizer(tokenizer: EncodingLike, backend: str) -> Tokenizer:
    """The resolved tokenizer of ``tokenizer``, after checking that ``backend`` can count it;
    tokstats' named error now if not (a tiktoken tokenizer's ranks are not loaded)."""
    tok = as_tokenizer(tokenizer)
    tok.check_backend(backend)
    return tok


def make_plan(tok: Tokenizer, backend: str, nbytes: int) -> tuple[Plan, CutRule | None]:
    """The counting ``Plan`` for ``nbytes`` of input, and where
    long texts may be cut into chunks for this tokenizer (exactly; ``None``: nowhere). The
    tokenizer decides both (``plan``)."""
    counter = tok.plan(backend, nbytes)
    return counter, counter.rule


@renamed(encoding="tokenizer")
def count(text: str, tokenizer: EncodingLike, *, jobs: int | None = None, backend: str = "auto") -> int:
    """``len(tokenizer.encode_ordinary(text))``; long texts are cut at stable boundaries and
    counted in ``jobs`` threads (default: all CPUs). ``backend``: ``auto`` (default),
    ``tiktoken`` or ``quicktok`` (see ``tokstats.tokenizers._backends``).

    Raises ``ParameterError`` (an ``InputError``) for
    a ``text`` that is not a str, ``jobs`` outside 1-256 or a bad ``tokenizer``/``backend``;
    ``UnknownTokenizerError`` for an unknown spec.
    """
    check_str("text", text, what="a str", empty=True)
    jobs = _check_door(tokenizer, jobs, backend)
    counter, rule = make_plan(as_tokenizer(tokenizer), backend, len(text))
    if len(text) < 2 * BLOCK_SIZE or rule is None:
        return counter.count(text)
    pieces = split_text(text, BLOCK_SIZE, rule)
    firsts = [True] + [False] * (len(pieces) - 1)

    def one(piece: str, first: bool) -> int:
        return counter.count_marked(piece, set(), first)

    if jobs == 1:
        return sum(map(one, pieces, firsts))
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return sum(pool.map(one, pieces, firsts))


@renamed(encoding="tokenizer")
def count_file(
    path: str | os.PathLike[str],
    tokenizer: EncodingLike,
    jobs: int | None = None,
    *,
    backend: str = "auto",
    block_size: int = BLOCK_SIZE,
    progress: Progress | None = None,
) -> int:
    """The exact token count of the UTF-8 file at ``path`` (see the module docstring).

    ``jobs``: counting threads (default: all CPUs; 1 counts in the calling thread). ``progress``
    is called with the number of bytes of each chunk once it is counted. Raises
    ``InputError`` naming the file for a missing or unreadable file, a
    directory, invalid UTF-8 (with the absolute byte offset), a read error part-way, or a file
    whose size changes while it is read.

    Raises ``ParameterError`` (an ``InputError``) for
    a ``path`` that is no str or os.PathLike, ``jobs`` outside 1-256, ``block_size`` outside
    1 B-1 GiB, a ``progress`` that is not callable or a bad ``tokenizer``/``backend``;
    ``UnknownTokenizerError`` for an unknown spec.
    """
    check_path("path", path)
    jobs = _check_door(tokenizer, jobs, backend)
    check_int("block_size", block_size, BLOCK_SIZE_RANGE)
    if progress is not None and not callable(progress):
        raise ParameterError("progress", f"progress must be a callable or None, not {shown(progress)}")
    return count_file_sized(path, tokenizer, jobs, backend=backend, block_size=block_size, progress=progress)[0]


@renamed(encoding="tokenizer")
def count_file_sized(
    path: str | os.PathLike[str],
    tokenizer: EncodingLike,
    jobs: int | None = None,
    *,
    backend: str = "auto",
    block_size: int = BLOCK_SIZE,
    progress: Progress | None = None,
    digest: hashlib._Hash | None = None,
) -> tuple[int, int]:
    """``(tokens, bytes)`` of the file at ``path``: ``count_file`` and how many bytes it read.

    ``digest`` (e.g. ``hashlib.sha256()``) is fed every byte read, so the file is hashed in the
    same pass that counts it (for the signature), not read twice.
    """
    jobs = _check_jobs(jobs)
    counter, rule = make_plan(as_tokenizer(tokenizer), backend, file_size(path))
    tokens, nbytes, _ = _count_path(path, counter, rule, jobs, block_size, progress, digest)
    return tokens, nbytes


#: Files smaller than this are read whole and counted in one piece, several files at a time;
#: larger files are counted one at a time with all threads on their chunks.
SMALL_FILE = 8 * BLOCK_SIZE

#: Small files are handed to a thread in batches of about this many bytes (fewer hand-offs).
BATCH_BYTES = 256 << 10


class FileCount(NamedTuple):
    """One counted file: its tokens, its size in bytes, the sha256 of those bytes, the backend.

    ``backend`` is ``tiktoken``, ``quicktok``, or ``tiktoken+quicktok`` when tiktoken counted the
    file but a chunk holding one huge pre-token went to quicktok.
    """

    tokens: int
    nbytes: int
    sha256: str
    backend: str = "tiktoken"


class HashingReader:
    """A binary reader that feeds every byte it returns to a hash."""

    def __init__(self, f: BinaryIO, digest: hashlib._Hash) -> None:
        self._f = f
        self._digest = digest

    def read(self, n: int = -1) -> bytes:
        data = self._f.read(n)
        self._digest.update(data)
        return data


def _open(path: str | os.PathLike[str]) -> tuple[BinaryIO, str, os.stat_result]:
    """The file opened for binary reading, its display name and its stat (errors named)."""
    name = "<stdin>" if os.fspath(path) == STDIN else os.fspath(path)
    f = open_input(path)  # a regular file, or standard input (capped); anything else is refused
    try:
        st = os.fstat(f.fileno())
    except OSError as e:
        f.close()
        raise InputError(describe_os_error(name, e)) from None
    return f, name, st


def _count_path(
    path: str | os.PathLike[str],
    counter: Plan,
    rule: CutRule | None,
    jobs: int,
    block_size: int,
    progress: Progress | None,
    digest: hashlib._Hash | None,
) -> tuple[int, int, set[str]]:
    """(tokens, bytes, backends used) of one file, streamed in chunks."""
    f, name, st = _open(path)
    used: set[str] = set()
    with f:
        reader: BinaryIO = f if digest is None else HashingReader(f, digest)  # type: ignore[assignment]
        chunks = _tagged(iter_file_chunks(reader, name, block_size=block_size, rule=rule))
        total, nbytes = _count_chunks(chunks, lambda t: counter.count_marked(t[0], used, t[1]), jobs, progress, f, name)
    if stat.S_ISREG(st.st_mode) and nbytes != st.st_size:
        raise InputError(f"{name}: changed while being counted ({st.st_size} bytes when opened, {nbytes} bytes read)")
    return total, nbytes, used


def _tagged(chunks: Iterable[tuple[str, int]]) -> Iterator[tuple[tuple[str, bool], int]]:
    """``((text, first), nbytes)``: each chunk marked with whether it starts the file."""
    for k, (text, n) in enumerate(chunks):
        yield (text, k == 0), n


def _count_small(
    path: str | os.PathLike[str], counter: Plan, rule: CutRule | None, progress: Progress | None
) -> FileCount:
    """One small regular file read whole, hashed and decoded once, counted in this thread."""
    f, name, st = _open(path)
    with f:
        if not stat.S_ISREG(st.st_mode) or st.st_size >= SMALL_FILE:  # not what file_size said
            f.close()
            return _count_large(path, counter, rule, 1, progress)
        try:
            data = f.read()
        except OSError as e:
            raise InputError(f"{describe_os_error(name, e)} (read failed)") from None
    if len(data) != st.st_size:
        raise InputError(
            f"{name}: changed while being counted ({st.st_size} bytes when opened, {len(data)} bytes read)"
        )
    used: set[str] = set()
    tokens = counter.count_marked(decode_exact(data, name), used) if data else 0
    if progress is not None:
        progress(len(data))
    return FileCount(tokens, len(data), hashlib.sha256(data).hexdigest(), label(used) or counter.main)


def _count_large(
    path: str | os.PathLike[str],
    counter: Plan,
    rule: CutRule | None,
    jobs: int,
    progress: Progress | None,
) -> FileCount:
    digest = hashlib.sha256()
    tokens, nbytes, used = _count_path(path, counter, rule, jobs, BLOCK_SIZE, progress, digest)
    return FileCount(tokens, nbytes, digest.hexdigest(), label(used) or counter.main)


@renamed(encoding="tokenizer")
def count_one(
    path: str | os.PathLike[str],
    tokenizer: EncodingLike,
    jobs: int | None = None,
    *,
    backend: str = "auto",
    progress: Progress | None = None,
) -> FileCount:
    """``count_file_sized`` with the file's sha256, hashed in the same pass, and the backend."""
    jobs = _check_jobs(jobs)
    counter, rule = make_plan(as_tokenizer(tokenizer), backend, file_size(path))
    return _count_large(path, counter, rule, jobs, progress)


def count_item(
    path: str | os.PathLike[str],
    tokenizer: EncodingLike,
    jobs: int = 1,
    backend: str = "auto",
    skip_invalid: bool = False,
) -> FileCount | InputError:
    """One work item of ``count_files`` on an executor: ``count_one`` of a file, or of an
    fsspec URL streamed (hashed in the same pass); with ``skip_invalid`` an error is returned."""
    try:
        if is_url(os.fspath(path)):
            return _count_url(os.fspath(path), tokenizer, backend)
        return count_one(path, tokenizer, jobs, backend=backend)
    except InputError as e:
        if skip_invalid:
            return e
        raise


def _count_url(url: str, tokenizer: EncodingLike, backend: str) -> FileCount:
    import fsspec

    counter, rule = make_plan(as_tokenizer(tokenizer), backend, 0)  # size unknown: auto picks by loaded backends
    total = nbytes = 0
    used: set[str] = set()
    digest = hashlib.sha256()
    try:
        with fsspec.open(url, "rb") as f:
            for k, (text, n) in enumerate(iter_file_chunks(HashingReader(f, digest), url, rule=rule)):  # type: ignore[arg-type]
                total += counter.count_marked(text, used, k == 0)
                nbytes += n
    except OSError as e:
        raise InputError(describe_os_error(url, e)) from None
    return FileCount(total, nbytes, digest.hexdigest(), label(used) or counter.main)


@renamed(encoding="tokenizer")
def count_files(
    paths: Sequence[str | os.PathLike[str]],
    tokenizer: EncodingLike,
    jobs: int | None = None,
    *,
    backend: str = "auto",
    progress: Progress | None = None,
    skip_invalid: bool = False,
    executor: MapExecutor | None = None,
) -> list[FileCount | InputError]:
    """Tokens, bytes, sha256 and backend of each file, in order.

    The backend is chosen once for the run from the total size of the files (``auto``: the fast
    backend's load time is paid once, when the run is big enough to repay it). With
    ``skip_invalid``, a file that cannot be counted (invalid UTF-8, unreadable, vanished) gives
    its ``InputError`` in its place instead of stopping the run, so a caller can report
    it; the default stops at the first such file, in input order, as a sequential loop would.

    Small files (a codebase) are read whole, hashed and decoded once each, and handed to the
    threads in batches of about ``BATCH_BYTES``, at most ``2 × jobs`` batches waiting;
    large files are counted one at a time, all threads on their chunks.

    With an ``executor`` (a ``concurrent.futures.Executor``, or
    ``tokstats.scale.DaskExecutor``), each file is one work item, ``count_item``, counted
    in ``jobs`` threads (default 1) wherever the executor runs it, its backend chosen from its own
    size; an fsspec URL is streamed by the item itself. ``progress`` is then called once per file.
    """
    if executor is not None:
        jobs = 1 if jobs is None else _check_jobs(jobs)
        item = partial(count_item, tokenizer=tokenizer, jobs=jobs, backend=backend, skip_invalid=skip_invalid)
        counted = map_ordered(executor, item, list(paths))
        if progress is not None:
            for c in counted:
                if isinstance(c, FileCount):
                    progress(c.nbytes)
        return counted
    jobs = _check_jobs(jobs)
    sizes = [0 if os.fspath(p) == STDIN else file_size(p) for p in paths]
    planned = sum(sizes)
    if any(os.fspath(p) == STDIN for p in paths):
        piped = stdin_size()  # a file redirected in has a size; a pipe has none (-1: unknown)
        planned = -1 if piped < 0 else planned + piped
    counter, rule = make_plan(as_tokenizer(tokenizer), backend, planned)

    def one(path: str | os.PathLike[str], size: int, threads: int) -> FileCount | InputError:
        try:
            if os.fspath(path) != STDIN and size < SMALL_FILE:
                return _count_small(path, counter, rule, progress)
            return _count_large(path, counter, rule, threads, progress)
        except InputError as e:
            if skip_invalid:
                return e
            raise

    if jobs == 1 or (len(paths) == 1 and sizes[0] < SMALL_FILE) or sum(sizes) < BATCH_BYTES:
        # one thread: nothing to share, or too little to repay starting threads
        return [one(p, n, jobs if n >= SMALL_FILE or os.fspath(p) == STDIN else 1) for p, n in zip(paths, sizes)]

    def batch(items: list[tuple[str | os.PathLike[str], int]]) -> list[FileCount | InputError]:
        out: list[FileCount | InputError] = []
        for p, n in items:
            out.append(one(p, n, 1))
        return out

    from concurrent.futures import ThreadPoolExecutor

    results: list[FileCount | InputError] = []
    pending: deque[Future[list[FileCount | InputError]]] = deque()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        try:
            for group, large in _batches(paths, sizes):
                if large:
                    while pending:
                        results += pending.popleft().result()
                    results.append(one(group[0][0], group[0][1], jobs))
                    continue
                if len(pending) >= 2 * jobs:
                    results += pending.popleft().result()
                pending.append(pool.submit(batch, group))
            while pending:
                results += pending.popleft().result()
        finally:
            for fut in pending:
                fut.cancel()
    return results


def _batches(
    paths: Sequence[str | os.PathLike[str]], sizes: Sequence[int]
) -> Iterable[tuple[list[tuple[str | os.PathLike[str], int]], bool]]:
    """Consecutive small files grouped to about ``BATCH_BYTES``; a large file (or ``-``) alone."""
    group: list[tuple[str | os.PathLike[str], int]] = []
    size = 0
    for path, n in zip(paths, sizes):
        if os.fspath(path) == STDIN or n >= SMALL_FILE:
            if group:
                yield group, False
                group, size = [], 0
            yield [(path, n)], True
            continue
        group.append((path, n))
        size += n
        if size >= BATCH_BYTES or len(group) >= 64:
            yield group, False
            group, size = [], 0
    if group:
        yield group, False


def stdin_size() -> int:
    """The size of standard input when it is a regular file (``< file``), else -1 (a pipe)."""
    try:
        st = os.fstat(0)
    except OSError:
        return -1
    return st.st_size if stat.S_ISREG(st.st_mode) else -1


def file_size(path: str | os.PathLike[str]) -> int:
    """The file's size in bytes, or 0 if it cannot be read (counting it then names the problem)."""
    if os.fspath(path) == STDIN:
        return 0
    try:
        return os.path.getsize(path)
    except OSError:
        return 0  # counting names the problem when it opens the file


def _count_chunks(
    chunks: Iterable[tuple[T, int]],
    counter: Callable[[T], int],
    jobs: int,
    progress: Progress | None,
    f: BinaryIO,
    name: str,
) -> tuple[int, int]:
    """Sum ``counter`` over ``chunks``, in ``jobs`` threads with at most ``2 × jobs`` in flight."""
    total = 0
    nbytes = 0
    pool = None  # started with the second chunk: a one-chunk file is counted in this thread
    held: tuple[T, int] | None = None  # the first chunk, until we know there is a second
    in_flight: deque[tuple[Future[int], int]] = deque()

    def done(tokens: int, n: int) -> int:
        if progress is not None:
            progress(n)  # reported when counted, not when read, so the bar shows real progress
        return tokens

    try:
        for text, n in chunks:
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
