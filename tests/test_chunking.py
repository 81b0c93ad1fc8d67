"""Cuts at stable pre-token boundaries: counting the pieces must equal counting the whole.

The reference is tiktoken itself: for every cut tokstats makes, ``encode_ordinary(whole)`` must
equal the concatenated ids of the pieces (stronger than equal counts). Text comes from
Hypothesis strategies built to attack the cut rules: whitespace runs (``\\s+(?!\\S)`` attaches the
last space to the next word), CR/LF mixes, punctuation before newlines and ``/`` after them
(o200k's ``[\\r\\n/]*``), contractions, combining marks, emoji and multi-byte UTF-8.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tokstats import get_encoding
from tokstats.errors import InputError
from tokstats.tokenizers._chunking import can_cut, find_cut, find_cut_bytes, iter_file_chunks, split_text

ENCODINGS = ["cl100k_base", "o200k_base"]

# Atoms chosen to sit on both sides of every rule: whitespace of several kinds (incl. NBSP,
# ideographic space, NEL, the \x1c-\x1f separators Python calls space), CR/LF, punctuation and
# "/" around newlines, contraction pieces, digits in several scripts, combining marks on their
# own, ZWJ emoji sequences with skin tones, CJK, RTL text, a special-token string.
ATOMS = [
    " ",
    "  ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\n\n",
    " \n",
    "\n ",
    "\u00a0",
    "\u3000",
    "\u0085",
    "\x1c",
    "\u2028",
    "'",
    "'s",
    "'LL",
    "n't",
    "/",
    "//",
    "!",
    "...",
    ".\n",
    "?!\n/",
    "a",
    "A",
    "Ab",
    "word",
    "Hello",
    "x",
    "é",
    "e\u0301",
    "\u0301",
    "\u0308",
    "1",
    "123456",
    "١٢",
    "👍🏽",
    "👨‍👩‍👧",
    "中文",
    "مرحبا",
    "नमस्ते",
    "ß",
    "ǅ",
    "ʰ",
    "<|endoftext|>",
    "{",
    "}",
    '"',
    "#",
    "-",
    "_",
    "$",
]
adversarial_text = st.lists(st.one_of(st.sampled_from(ATOMS), st.text(max_size=3)), max_size=60).map("".join)
any_text = st.one_of(adversarial_text, st.text(max_size=200))

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module", params=ENCODINGS)
def enc(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    return get_encoding(request.param)


def all_cuts(text, finder=find_cut) -> list[int]:  # type: ignore[no-untyped-def]
    """Every cut position the rules allow, found by walking ``finder`` (find_cut or
    find_cut_bytes, on str or bytes) backwards."""
    cuts = []
    end = len(text)
    while True:
        p = finder(text[:end])
        if p == -1:
            return sorted(cuts)
        cuts.append(p)
        end = p


def test_shipped_patterns_are_supported() -> None:
    for name in ["cl100k_base", "o200k_base", "o200k_harmony"]:
        assert can_cut(get_encoding(name)._pat_str), name


@given(any_text)
@SETTINGS
def test_every_cut_is_stable(enc, text: str) -> None:  # type: ignore[no-untyped-def]
    whole = enc.encode_ordinary(text)
    for p in all_cuts(text):
        assert 0 < p < len(text)
        assert enc.encode_ordinary(text[:p]) + enc.encode_ordinary(text[p:]) == whole, (text, p)


@given(any_text, st.integers(min_value=1, max_value=20))
@SETTINGS
def test_split_text_pieces_concatenate_to_the_same_ids(enc, text: str, target: int) -> None:  # type: ignore[no-untyped-def]
    pieces = split_text(text, target)
    assert "".join(pieces) == text
    assert [t for p in pieces for t in enc.encode_ordinary(p)] == enc.encode_ordinary(text)


@given(any_text, st.integers(min_value=1, max_value=9))
@SETTINGS
def test_file_chunks_with_tiny_blocks(enc, text: str, block: int) -> None:  # type: ignore[no-untyped-def]
    """Blocks of 1-9 bytes split multi-byte characters everywhere; nothing may change."""
    data = text.encode("utf-8")
    chunks = list(iter_file_chunks(io.BytesIO(data), "t.txt", block_size=block))
    assert "".join(c for c, _ in chunks) == text
    assert sum(n for _, n in chunks) == len(data)
    assert all(len(c.encode("utf-8")) == n for c, n in chunks)
    assert sum(len(enc.encode_ordinary(c)) for c, _ in chunks) == len(enc.encode_ordinary(text))


def test_cuts_are_actually_made_on_ordinary_text() -> None:
    text = "first line\nsecond line\n  indented\nthird\r\nfourth"
    cuts = all_cuts(text)
    # after "first line\n", "second line\n" and "\r\n" (next char a letter) and the spaces
    # between ASCII words; never after "line\n" followed by spaces
    assert text.index("second") in cuts
    assert text.index("fourth") in cuts
    assert text.index("  indented") not in cuts
    chunks = list(iter_file_chunks(io.BytesIO(("word " * 50 + "\n").encode() * 100), "t", block_size=64))
    assert len(chunks) > 50


@pytest.mark.parametrize(
    "name,text,naive_cut",
    [
        # a cut between two newlines: "\n\n" is one pre-token in both encodings
        ("cl100k_base", "hello\n\nworld", 6),
        ("o200k_base", "hello\n\nworld", 6),
        # a cut after "\n" before "/": o200k's " ?[^\s\p{L}\p{N}]+[\r\n/]*" spans it
        ("o200k_base", "x!\n/y", 3),
        # a cut inside a space run: "\s+(?!\S)" gives the last space to the next word
        ("cl100k_base", "a\n   b", 3),
    ],
)
def test_naive_cuts_do_change_the_ids(name: str, text: str, naive_cut: int) -> None:
    """The properties above have teeth: the cuts the rules refuse really do break exactness."""
    enc = get_encoding(name)
    pieces = enc.encode_ordinary(text[:naive_cut]) + enc.encode_ordinary(text[naive_cut:])
    assert pieces != enc.encode_ordinary(text)
    assert naive_cut not in all_cuts(text)


def test_invalid_utf8_names_the_absolute_offset() -> None:
    data = ("abc\n" * 1000).encode() + b"\xff" + b"tail\n"
    with pytest.raises(InputError) as e:
        list(iter_file_chunks(io.BytesIO(data), "big.txt", block_size=7))
    assert str(e.value) == "big.txt: invalid UTF-8 at byte offset 4000 (byte ff: invalid start byte)"


def test_truncated_character_at_end_of_file_is_an_error() -> None:
    data = "abc é".encode()[:-1]  # the last byte of é is missing
    with pytest.raises(InputError, match=r"t\.txt: invalid UTF-8 at byte offset 4 "):
        list(iter_file_chunks(io.BytesIO(data), "t.txt", block_size=2))


def test_stray_continuation_bytes_across_a_block_border() -> None:
    data = b"ab\n" * 3 + b"\x80\x80" + b"z"
    with pytest.raises(InputError, match="at byte offset 9 "):
        list(iter_file_chunks(io.BytesIO(data), "t.txt", block_size=4))


def test_no_cut_mode_yields_one_chunk() -> None:
    data = ("line\n" * 100).encode()
    chunks = list(iter_file_chunks(io.BytesIO(data), "t", block_size=8, rule=None))
    assert chunks == [(data.decode(), len(data))]


@given(any_text)
@SETTINGS
def test_every_byte_cut_is_a_text_cut_and_stable(enc, text: str) -> None:  # type: ignore[no-untyped-def]
    """Cuts found in the bytes fall on character boundaries, are rule cuts, and keep the ids."""
    data = text.encode("utf-8")
    text_cuts = {len(text[:p].encode("utf-8")) for p in all_cuts(text)}
    whole = enc.encode_ordinary(text)
    for p in all_cuts(data, find_cut_bytes):
        assert 0 < p < len(data) and p in text_cuts, (text, p)
        head, tail = data[:p].decode("utf-8"), data[p:].decode("utf-8")
        assert enc.encode_ordinary(head) + enc.encode_ordinary(tail) == whole


@given(
    st.lists(st.sampled_from(["a" * 50, " " * 40, "中" * 30, "\n", "x\n", " \n", "é"]), max_size=30).map("".join),
    st.integers(min_value=1, max_value=64),
)
@SETTINGS
def test_long_stretches_without_cuts_stream_exactly(enc, text: str, block: int) -> None:  # type: ignore[no-untyped-def]
    """Runs longer than a block (decoded ahead, incrementally) still give the exact text and ids."""
    data = text.encode("utf-8")
    chunks = list(iter_file_chunks(io.BytesIO(data), "t.txt", block_size=block))
    assert "".join(c for c, _ in chunks) == text
    assert [len(c.encode("utf-8")) for c, _ in chunks] == [n for _, n in chunks]
    assert [t for c, _ in chunks for t in enc.encode_ordinary(c)] == enc.encode_ordinary(text)


def test_invalid_utf8_inside_a_long_stretch_names_the_absolute_offset() -> None:
    data = b"ok\n" + "中".encode() * 5000 + b"\xe4\xb8" + b"z" + b"\n" * 10
    with pytest.raises(InputError) as e:
        list(iter_file_chunks(io.BytesIO(data), "run.txt", block_size=64))
    assert str(e.value).startswith(f"run.txt: invalid UTF-8 at byte offset {3 + 15000} (byte e4 b8: ")


def test_split_text_windows_are_bounded() -> None:
    """split_text searches each window once: pieces come out about ``target`` long."""
    text = "word " * 200_000 + "\n"
    pieces = split_text(text, 10_000)
    assert "".join(pieces) == text
    assert all(9_000 <= len(p) <= 10_000 for p in pieces[:-1])
