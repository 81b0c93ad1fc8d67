"""Exact reading of users' text: no newline translation, no BOM stripping, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tokstats.errors import InputError
from tokstats.sources._textio import decode_exact, read_text_exact


def test_exact_bytes_kept(tmp_path: Path) -> None:
    raw = "\ufeffa\r\nb\rc\n<|endoftext|>\u0065\u0301".encode()
    p = tmp_path / "t.txt"
    p.write_bytes(raw)
    assert read_text_exact(p).encode("utf-8") == raw


def test_empty_file_is_empty_text(tmp_path: Path) -> None:
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    assert read_text_exact(p) == ""


def test_invalid_utf8_names_file_and_offset(tmp_path: Path) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(b"hello \xe2\x82 world")
    with pytest.raises(InputError) as e:
        read_text_exact(p)
    assert str(e.value).startswith(f"{p}: invalid UTF-8 at byte offset 6 ")
    assert "\n" not in str(e.value)


def test_offset_is_absolute_with_a_base() -> None:
    with pytest.raises(InputError, match="x.txt: invalid UTF-8 at byte offset 1002 "):
        decode_exact(b"ab\xff", "x.txt", base_offset=1000)


def test_missing_file_and_directory_are_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.txt: no such file$"):
        read_text_exact(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_text_exact(tmp_path)
