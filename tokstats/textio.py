"""Reading users' text exactly, or failing with one clear line that names the file and the problem.

"Exactly" means the file's bytes decoded as UTF-8 and nothing else: no newline translation, no
BOM stripping, no Unicode normalisation — the count must equal
``len(encoding.encode_ordinary(exact_file_text))``. Invalid UTF-8 is an error naming the byte
offset, never silently replaced.
"""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from tokstats.errors import InputError


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


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes, or :class:`InputError` with one line naming the file and the problem.

    ``-`` is standard input, read whole once and remembered (so a command may read it twice).
    """
    if os.fspath(path) == "-":
        return stdin_bytes()
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise InputError(describe_os_error(path, e)) from None


_STDIN: list[bytes] = []


def stdin_bytes() -> bytes:
    """Standard input's bytes, exactly (no newline translation), read once per process."""
    if not _STDIN:
        import sys

        try:
            _STDIN.append(sys.stdin.buffer.read() if sys.stdin is not None else b"")
        except (OSError, ValueError, AttributeError) as e:
            raise InputError(f"-: standard input cannot be read: {e}") from None
    return _STDIN[0]


def decode_exact(data: bytes, path: str | os.PathLike[str], base_offset: int = 0) -> str:
    """``data`` decoded as strict UTF-8 (a BOM is kept as U+FEFF), or :class:`InputError`."""
    try:
        return data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        raise InputError(describe_decode_error(path, e, base_offset)) from None


def read_text_exact(path: str | os.PathLike[str]) -> str:
    """The exact text of a UTF-8 file (see module docstring), or :class:`InputError`."""
    return decode_exact(read_bytes(path), path)


#: Longest integer literal read as an int; Python refuses to convert longer ones (CVE-2020-10735
#: limit of 4300 digits), so longer ones are kept as :class:`decimal.Decimal`.
_MAX_INT_DIGITS = 4000
_LONE_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _parse_int(literal: str) -> int | Decimal:
    return int(literal) if len(literal) <= _MAX_INT_DIGITS else Decimal(literal)


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
    integers longer than 4000 digits are read as :class:`decimal.Decimal`; values nested too
    deeply for Python's parser are an error naming the line.
    """
    name = os.fspath(path)
    raw_all = read_bytes(path) if data is None else data
    objects: list[tuple[int, dict[str, Any]]] = []
    offset = 0
    for lineno, raw in enumerate(raw_all.split(b"\n"), start=1):
        line = decode_exact(raw, f"{name}:{lineno}", offset)
        offset += len(raw) + 1
        if not line.strip():
            continue
        try:
            obj = json.loads(line, parse_int=_parse_int)
        except json.JSONDecodeError as e:
            raise InputError(f"{name}:{lineno}: invalid JSON: {e.msg} (column {e.colno})") from None
        except RecursionError:
            raise InputError(f"{name}:{lineno}: JSON nested too deeply to read") from None
        if not isinstance(obj, dict):
            raise InputError(f"{name}:{lineno}: expected a JSON object, found {type(obj).__name__}")
        if _LONE_SURROGATE_ESCAPE.search(line):
            obj = _replace_lone_surrogates(obj)
        objects.append((lineno, obj))
    return objects
