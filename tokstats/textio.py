"""Reading users' text exactly, or failing with one clear line that names the file and the problem.

"Exactly" means the file's bytes decoded as UTF-8 and nothing else: no newline translation, no
BOM stripping, no Unicode normalisation — the count must equal
``len(encoding.encode_ordinary(exact_file_text))``. Invalid UTF-8 is an error naming the byte
offset, never silently replaced.
"""

from __future__ import annotations

import os
from pathlib import Path

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
    """The file's bytes, or :class:`InputError` with one line naming the file and the problem."""
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise InputError(describe_os_error(path, e)) from None


def decode_exact(data: bytes, path: str | os.PathLike[str], base_offset: int = 0) -> str:
    """``data`` decoded as strict UTF-8 (a BOM is kept as U+FEFF), or :class:`InputError`."""
    try:
        return data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        raise InputError(describe_decode_error(path, e, base_offset)) from None


def read_text_exact(path: str | os.PathLike[str]) -> str:
    """The exact text of a UTF-8 file (see module docstring), or :class:`InputError`."""
    return decode_exact(read_bytes(path), path)
