"""Reading users' text exactly, or failing with one clear line that names the file and the problem.

"Exactly" means the file's bytes decoded as UTF-8 and nothing else: no newline translation, no
BOM stripping, no Unicode normalisation — the count must equal
``len(encoding.encode_ordinary(exact_file_text))``. Invalid UTF-8 is an error naming the byte
offset, never silently replaced.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import stat
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, BinaryIO

from tokstats.errors import InputError

if TYPE_CHECKING:
    from decimal import Decimal

#: The path that means standard input.
STDIN = "-"
#: Environment variable capping how many bytes are read from standard input.
STDIN_LIMIT_ENV = "TOKSTATS_MAX_STDIN_BYTES"
#: Default cap on standard input: 4 GiB. A pipe that never ends (``</dev/zero``) stops with an
#: error instead of growing until the machine runs out of memory or time.
DEFAULT_STDIN_LIMIT = 4 << 30


def describe_decode_error(path: str | os.PathLike[str], err: UnicodeDecodeError, base_offset: int = 0) -> str:
    """One line naming the file and the absolute byte offset of the first invalid UTF-8 byte.

    ``base_offset`` is where the decoded buffer started in the file (for chunked reading).
    """
    offset = base_offset + err.start
    bad = err.object[err.start : min(err.end, err.start + 4)]
    return f"{os.fspath(path)}: invalid UTF-8 at byte offset {offset} (byte {bad.hex(' ')}: {err.reason})"


def describe_os_error(path: str | os.PathLike[str], err: OSError) -> str:
    """One line naming the file and why it cannot be read (missing, a directory, permission …)."""
    name = os.fspath(path)
    if isinstance(err, FileNotFoundError):
        return f"{name}: no such file"
    if isinstance(err, IsADirectoryError):
        return f"{name}: is a directory, not a file"
    if isinstance(err, PermissionError):
        return f"{name}: permission denied"
    return f"{name}: cannot be read: {err.strerror or err}"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


def open_input(path: str | os.PathLike[str]) -> BinaryIO:
    """Open an input for reading in binary: a regular file, or standard input for ``-``.

    Anything else is refused with one line: a directory, a device (``/dev/zero`` never ends), a
    FIFO (with no writer it would block forever), a socket. The file is opened non-blocking and
    checked with ``fstat`` on the open descriptor, so neither a FIFO nor a swap of the name
    between the check and the open can make it hang. Standard input is read with a cap
    (``stdin_limit``). Raises ``InputError`` naming the input and the problem.
    """
    name = os.fspath(path)
    if name == STDIN:
        return open_stdin()
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise InputError(describe_os_error(name, e)) from None
    except ValueError:  # a NUL character: no file can have that name
        raise InputError(f"{name!r}: not a valid file name (it contains a NUL character)") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(f"{name}: {_kind(mode)}; tokstats reads regular files, and standard input as '-'")
        os.set_blocking(fd, True)
        # unbuffered: every reader asks for large blocks or the whole file, and a buffered
        # reader would copy each block once more (a quarter of the CPU time of reading)
        return os.fdopen(fd, "rb", buffering=0)  # type: ignore[return-value]
    except BaseException:
        os.close(fd)
        raise


def stdin_limit() -> int:
    """The most bytes tokstats reads from standard input: ``$TOKSTATS_MAX_STDIN_BYTES`` (a whole
    number of bytes, optionally with a K, M or G suffix for KiB, MiB, GiB), else 4 GiB."""
    raw = os.environ.get(STDIN_LIMIT_ENV, "").strip()
    if not raw:
        return DEFAULT_STDIN_LIMIT
    scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(raw[-1:].upper(), 1)
    digits = raw[:-1] if scale > 1 else raw
    if not digits.isdigit() or len(digits) > 15 or int(digits) < 1:
        raise InputError(f"{STDIN_LIMIT_ENV}={raw!r}: give a number of bytes of at least 1, e.g. 1048576 or 64M")
    return int(digits) * scale


class CappedReader:
    """Standard input as a binary reader that stops with ``InputError`` past ``limit`` bytes."""

    def __init__(self, f: BinaryIO, limit: int) -> None:
        self._f = f
        self.limit = limit
        self.nread = 0

    def read(self, n: int = -1) -> bytes:
        want = self.limit + 1 - self.nread if n is None or n < 0 else min(n, self.limit + 1 - self.nread)
        data = self._f.read(max(want, 0)) if want > 0 else b""
        self.nread += len(data)
        if self.nread > self.limit:
            raise InputError(
                f"<stdin>: more than {self.limit} bytes on standard input; raise the cap with "
                f"{STDIN_LIMIT_ENV} (e.g. {STDIN_LIMIT_ENV}=16G) or save the input to a file"
            )
        return data

    def fileno(self) -> int:
        return self._f.fileno()

    def tell(self) -> int:
        return self.nread

    def close(self) -> None:
        self._f.close()

    def __enter__(self) -> CappedReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_stdin() -> BinaryIO:
    """Standard input as exact bytes, capped at ``stdin_limit``; ``InputError`` if closed."""
    limit = stdin_limit()
    stream = sys.stdin
    try:
        if stream is None:
            raise OSError("closed")
        fd = os.dup(stream.fileno())
    except (OSError, ValueError, AttributeError):
        raise InputError("<stdin>: standard input is closed") from None
    return CappedReader(os.fdopen(fd, "rb"), limit)  # type: ignore[return-value]


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a regular file (or of standard input for ``-``, capped), or
    ``InputError`` with one line naming the input and the problem (see ``open_input``)."""
    name = os.fspath(path)
    if name == STDIN and _stdin_cache:
        return _stdin_cache[0]
    with open_input(name) as f:
        try:
            data = f.read()
        except OSError as e:
            raise InputError(describe_os_error("<stdin>" if name == STDIN else name, e)) from None
    if name == STDIN:  # standard input can be read only once; later readers (the hash) get the same bytes
        _stdin_cache.append(data)
    return data


_stdin_cache: list[bytes] = []


def decode_exact(data: bytes, path: str | os.PathLike[str], base_offset: int = 0) -> str:
    """``data`` decoded as strict UTF-8 (a BOM is kept as U+FEFF), or ``InputError``."""
    try:
        return data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        raise InputError(describe_decode_error(path, e, base_offset)) from None


def read_text_exact(path: str | os.PathLike[str]) -> str:
    """The exact text of a UTF-8 file (see module docstring), or ``InputError``."""
    return decode_exact(read_bytes(path), "<stdin>" if os.fspath(path) == STDIN else path)


def argument_text(text: str, what: str = "TEXT") -> str:
    """A text given on the command line, checked to be valid UTF-8 (``InputError`` if not).

    Python decodes arguments that are not UTF-8 with ``surrogateescape`` (``$'\\xff'`` becomes
    U+DCFF), which no encoding can count; such an argument is refused as a file would be."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(text)
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise InputError(describe_decode_error(what, e)) from None
        raise InputError(f"{what}: contains a lone surrogate, which is not text") from None
    return text


def loads_json(text: str, where: str) -> Any:
    """``json.loads(text)``, or ``InputError`` naming ``where`` for invalid JSON, a document
    nested too deeply for the parser (not a RecursionError) or an integer longer than Python
    converts (4,300 digits)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: invalid JSON: {e.msg} (line {e.lineno}, column {e.colno})") from None
    except RecursionError:
        raise InputError(f"{where}: JSON nested too deeply to read") from None
    except ValueError as e:  # e.g. an integer of more than 4300 digits
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise InputError(f"{where}: JSON value cannot be read: {first}") from None


#: Longest integer literal read as an int; Python refuses to convert longer ones (CVE-2020-10735
#: limit of 4300 digits), so longer ones are kept as ``decimal.Decimal``.
_MAX_INT_DIGITS = 4000
_LONE_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _parse_int(literal: str) -> int | Decimal:
    if len(literal) <= _MAX_INT_DIGITS:
        return int(literal)
    from decimal import Decimal

    return Decimal(literal)


def _replace_lone_surrogates(obj: Any) -> Any:
    """``obj`` with every lone surrogate (from a ``"\\ud800"`` escape) replaced by U+FFFD.

    That is what tiktoken counts for such a string, so ``compare``, ``count`` and ``cost`` agree.
    Iterative: a value JSON could parse is walked without recursion limits.
    """
    stack: list[Any] = []

    def fix(v: Any) -> Any:
        if isinstance(v, str):
            return v.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        if isinstance(v, (dict, list)):
            stack.append(v)
        return v

    root = fix(obj)
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for k in list(item):
                value = fix(item.pop(k))
                item[fix(k)] = value
        else:
            item[:] = [fix(v) for v in item]
    return root


def jsonl_objects(path: str | os.PathLike[str], data: bytes | None = None) -> list[tuple[int, dict[str, Any]]]:
    """The JSON objects of a JSON Lines file with their line numbers; blank lines are skipped.

    Lines are separated by ``\n`` only (jsonlines.org; a ``\r`` before it is JSON whitespace).
    Errors are one line, ``path:LINE: problem``; invalid UTF-8 also gives the byte offset in the
    whole file. ``data`` is the file's bytes when the caller has read them already. A lone
    surrogate escape (``"\\ud800"``, not a character) is read as U+FFFD, as tiktoken counts it;
    integers longer than 4000 digits are read as ``decimal.Decimal``; values nested too
    deeply for Python's parser are an error naming the line. ``iter_jsonl_objects`` gives the
    same objects one at a time, reading the file as it goes.
    """
    return list(iter_jsonl_objects(path, data))


def iter_jsonl_objects(
    path: str | os.PathLike[str], data: bytes | None = None, digest: Any = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``jsonl_objects`` one line at a time: the file is read in 1 MiB blocks as the caller
    asks for objects, so a bad line is reported as soon as it is reached (a bad line 1 before
    the rest of a large file is read) and memory holds one line, not the file. ``digest`` (a
    ``hashlib`` object), if given, is fed every byte read. Standard input, or ``data`` already
    read, is split in memory."""
    name = os.fspath(path)
    offset = 0
    for lineno, raw in enumerate(_raw_lines(name, data, digest), start=1):
        line = decode_exact(raw, f"{name}:{lineno}", offset)
        offset += len(raw) + 1
        if not line.strip():
            continue
        yield lineno, _jsonl_object(name, lineno, line)


def _raw_lines(name: str, data: bytes | None, digest: Any) -> Iterator[bytes]:
    """The ``\n``-separated lines of a file (the last one possibly empty), read lazily."""
    if data is None and name == STDIN:
        data = read_bytes(name)
    if data is not None:
        if digest is not None:
            digest.update(data)
        start = 0
        while (end := data.find(b"\n", start)) != -1:
            yield data[start:end]
            start = end + 1
        yield data[start:]
        return
    with open_input(name) as f:
        pending: list[bytes] = []  # the line read so far, in pieces (a line may span blocks)
        while True:
            try:
                block = f.read(1 << 20)
            except OSError as e:
                raise InputError(describe_os_error(name, e)) from None
            if not block:
                break
            if digest is not None:
                digest.update(block)
            start = 0
            while (end := block.find(b"\n", start)) != -1:
                pending.append(block[start:end])
                yield b"".join(pending)
                pending = []
                start = end + 1
            pending.append(block[start:])
        yield b"".join(pending)


def _jsonl_object(name: str, lineno: int, line: str) -> dict[str, Any]:
    """One JSON Lines record, or ``InputError`` naming the file and line."""
    try:
        obj = json.loads(line, parse_int=_parse_int)
    except json.JSONDecodeError as e:
        raise InputError(f"{name}:{lineno}: invalid JSON: {e.msg} (column {e.colno})") from None
    except RecursionError:
        raise InputError(f"{name}:{lineno}: JSON nested too deeply to read") from None
    except ValueError as e:  # an integer too long to convert
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise InputError(f"{name}:{lineno}: JSON value cannot be read: {first}") from None
    if not isinstance(obj, dict):
        raise InputError(f"{name}:{lineno}: expected a JSON object, found {type(obj).__name__}")
    if _LONE_SURROGATE_ESCAPE.search(line):
        obj = _replace_lone_surrogates(obj)
    return obj


def sha256_stream(f: BinaryIO) -> str:
    """Hex sha256 of everything ``f`` has left to read, in 1 MiB blocks (``OSError`` propagates)."""
    digest = hashlib.sha256()
    for block in iter(lambda: f.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


def file_sha256(path: str | os.PathLike[str]) -> str:
    """Hex sha256 of a file's bytes, streamed (``OSError`` propagates: the caller names it)."""
    with open(path, "rb") as f:
        return sha256_stream(f)


def utf8_offsets(text: str) -> list[int]:
    """``offsets[i]`` = UTF-8 byte offset of character ``i`` of ``text`` (one extra entry for the
    end); a lone surrogate counts as the 3 bytes it would take."""
    return [0, *itertools.accumulate(len(c.encode("utf-8", "surrogatepass")) for c in text)]
