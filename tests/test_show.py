"""`tokstats show` and the split view: pieces rebuild the text, counts match encode_ordinary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tokstats
from tokstats import get_encoding
from tokstats.tokenizers._splitview import bracketed, coloured, split_view

ENCS = ["cl100k_base", "o200k_base"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(st.characters(codec="utf-8"), st.sampled_from(["नमस्ते", "👍🏽", "\r\n"])), max_size=30).map(
        "".join
    )
)
@pytest.mark.parametrize("name", ENCS)
def test_pieces_rebuild_text_and_tokens(name: str, text: str) -> None:
    pieces = split_view(text, name)
    assert "".join(p.text for p in pieces) == text
    assert [t for p in pieces for t in p.tokens] == get_encoding(name).encode_ordinary(text)
    assert all(p.text for p in pieces)


def test_byte_tokens_are_grouped_into_characters() -> None:
    # cl100k_base writes "्त" (virama + ta) as byte tokens: shown once with the token count.
    pieces = split_view("नमस्ते", "cl100k_base")
    assert bracketed(pieces) == "".join(
        f"[{p.text}]" + (f"{{{len(p.tokens)}}}" if len(p.tokens) > 1 else "") for p in pieces
    )
    assert any(len(p.tokens) > 1 for p in pieces)
    assert all(len(p.tokens) == 1 for p in split_view("Hello, world", "cl100k_base"))
    assert bracketed(split_view("Hello, world", "cl100k_base")) == "[Hello][,][ world]"
    assert bracketed(split_view("a\nb", "o200k_base")).count("\\n") == 1
    assert "\x1b[" in coloured(split_view("Hello", "o200k_base"))


def test_cli_plain_when_piped(run_cli) -> None:
    r = run_cli("show", "Hello, world <|endoftext|>")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    n_old = len(get_encoding("cl100k_base").encode_ordinary("Hello, world <|endoftext|>"))
    assert lines[0].split() == ["cl100k_base", str(n_old), "tokens"]
    assert lines[1].startswith("[Hello][,][ world]")
    assert "\x1b[" not in r.stdout
    assert lines[-1].startswith("signature: tokstats:")


def test_cli_colour_always_and_json(run_cli, tmp_path: Path) -> None:
    assert "\x1b[" in run_cli("show", "Hello", "--color", "always").stdout
    p = tmp_path / "t.txt"
    text = "Line\r\nनमस्ते"
    p.write_bytes(text.encode())
    r = run_cli("show", "--file", str(p), "--format", "json", "--encodings", "cl100k_base")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    [row] = out["rows"]
    assert row["tokens"] == len(get_encoding("cl100k_base").encode_ordinary(text))
    assert "".join(piece["text"] for piece in row["pieces"]) == text
    assert out["signature"]["encodings"][0]["name"] == "cl100k_base"


def test_cli_errors(run_cli, tmp_path: Path) -> None:
    r = run_cli("show", "--file", str(tmp_path / "nope.txt"))
    assert r.returncode == 2 and r.stderr.strip().endswith("nope.txt: no such file")
    r = run_cli("show", "x", "--encodings", "nope")
    assert r.returncode == 2 and "unknown tokenizer 'nope'; known tokenizers:" in r.stderr
    (tmp_path / "bad.txt").write_bytes(b"abc\xe0")
    r = run_cli("show", "--file", str(tmp_path / "bad.txt"))
    assert r.returncode == 2 and "invalid UTF-8 at byte offset 3" in r.stderr and r.stdout == ""


def test_long_text_is_viewed_in_parts_identically(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A long text is viewed part by part (cut at stable boundaries): the same pieces as whole."""
    from tokstats.tokenizers import _splitview as splitview

    text = ("Hello wörld!\r\n  indented नमस्ते\n中文字符 👍🏽 e\u0301 12345\n" + "z" * 200 + " tail\n") * 30
    whole = splitview._view(text, tokstats.get_tokenizer("o200k_base"))
    monkeypatch.setattr(splitview, "VIEW_PART", 100)
    parts = splitview.split_view(text, "o200k_base")
    assert parts == whole
    assert "".join(p.text for p in parts) == text


def test_control_characters_are_escaped_in_the_view_not_in_json(run_cli) -> None:  # type: ignore[no-untyped-def]
    import re

    text = "a\x1b]0;pwned\x07b\x1b[31mc\u009bd\x01e\x7ff\tg\nh"
    r = run_cli("show", text, "--encodings", "cl100k_base")
    assert r.returncode == 0, r.stderr
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", r.stdout)  # no C0/C1 control but line ends
    assert "\\x1b" in r.stdout and "\\x07" in r.stdout and "\\x9b" in r.stdout and "\\x01" in r.stdout
    pieces = split_view(text, get_encoding("cl100k_base"))
    plain = re.sub("\x1b\\[[0-9;]*m", "", coloured(pieces))  # without the view's own colour codes
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", plain)
    assert plain.startswith("a\\x1b]0;pwned\\x07b\\x1b[31mc\\x9bd\\x01e\\x7ff")
    r = run_cli("show", text, "--encodings", "cl100k_base", "--format", "json")
    assert "".join(p["text"] for p in json.loads(r.stdout)["rows"][0]["pieces"]) == text  # JSON stays exact
