"""Metrics: golden values with their sources, and invariants over arbitrary text (hypothesis)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tokstats
from tokstats import get_encoding, get_tokenizer, load_corpus
from tokstats.comparison import _metrics as m
from tokstats.comparison._words import is_space_segmented, split_words
from tokstats.tokenizers._pretokens import pretokens

ENCODINGS = ["cl100k_base", "o200k_base"]
# Text mixing scripts, whitespace of every kind, digits, emoji with modifiers and special-token strings.
TEXT = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["\n", "\r\n", " ", "\t", "नमस्ते", "こんにちは", "👍🏽", "<|endoftext|>", "don't", "4o"]),
    ),
    max_size=40,
).map("".join)
SETTINGS = settings(max_examples=60, deadline=None)


def measure_specs(text: str, specs: list[str], *args: Any) -> Any:
    """``measure`` of ``text`` under the tokenizers ``specs`` name (resolved once, as compare does)."""
    from tokstats.tokenizers import get_tokenizer

    return m.measure(text, [get_tokenizer(s) for s in specs], *args)


def test_count_tokens_golden() -> None:
    # tiktoken's README / tests: cl100k_base encodes "hello world" as [15339, 1917].
    assert tokstats.count("hello world", "cl100k_base") == 2


@pytest.mark.parametrize("entry", load_corpus("gpt4o-launch").entries[:3], ids=lambda e: e["language"])
def test_counts_match_published_launch_table(entry: dict) -> None:
    # OpenAI's GPT-4o launch page (2024-05-13): e.g. Gujarati "from 145 to 33"; the corpus
    # holds the text that reproduces each published count.
    text = entry.get("reproducing_text") or entry["text"]
    counts = measure_specs(text, ENCODINGS)
    assert counts.encodings["cl100k_base"].tokens == entry["published"]["cl100k_base"]
    assert counts.encodings["o200k_base"].tokens == entry["published"]["o200k_base"]
    ratio = m.compression_ratio(entry["published"]["cl100k_base"], entry["published"]["o200k_base"])
    assert round(ratio, 1) == entry["published"]["ratio"]


def test_graphemes_are_user_perceived_characters() -> None:
    assert m.graphemes("नमस्ते") == 3  # न, म, स्ते (UAX #29 conjunct cluster), 6 code points
    assert m.graphemes("👍🏽") == 1  # emoji + skin-tone modifier
    assert m.graphemes("a\r\nb") == 3  # CRLF is one grapheme (GB3)
    assert m.utf8_bytes("नमस्ते") == 18


def test_special_token_strings_are_ordinary_text() -> None:
    enc = get_encoding("cl100k_base")
    assert tokstats.count("<|endoftext|>", enc) == len(enc.encode_ordinary("<|endoftext|>")) > 1


def test_ratio_and_reduction_formulas() -> None:
    assert m.compression_ratio(145, 33) == pytest.approx(4.3939, abs=1e-4)
    assert m.token_reduction_pct(145, 33) == pytest.approx(100 * 112 / 145)
    assert m.token_reduction_pct(100, 25) == pytest.approx(100 * (1 - 1 / m.compression_ratio(100, 25)))
    assert m.compression_ratio(3, 0) is None and m.bytes_per_token(0, 0) is None
    assert m.fertility_in_context(10, None) is None and m.continued_word_share_in_context(None, None) is None
    assert m.premium(30, 20) == 1.5


def test_words_are_honest_about_unsegmented_scripts() -> None:
    assert [w.text for w in split_words("Don't stop, state-of-the-art 4o!") or []] == [
        "Don't",
        "stop",
        "state-of-the-art",
        "4o",
    ]
    assert split_words("こんにちは、私の名前はGPT-4oです。") is None
    assert split_words("今天天气很好") is None
    assert split_words("สวัสดีครับ") is None
    assert not is_space_segmented("私はGPT-4oです")
    assert is_space_segmented("I like 寿司 very much indeed, thank you")  # a quoted word stays a quote
    # Persian keeps the zero-width non-joiner inside the word (می‌خواهم "I want").
    assert [w.text for w in split_words("من می\u200cخواهم") or []] == ["من", "می\u200cخواهم"]
    assert split_words("こんにちは", segmented=True) is not None  # an override is obeyed


def test_byte_tokens_and_continued_words_on_hindi() -> None:
    # cl100k_base has no tokens for most Devanagari letters and falls back to bytes; o200k_base does.
    counts = measure_specs("नमस्ते, मेरा नाम जीपीटी-4o है।", ENCODINGS)
    old, new = counts.encodings["cl100k_base"], counts.encodings["o200k_base"]
    assert old.byte_tokens > 0 and new.byte_tokens == 0
    assert counts.words == 5
    assert old.continued_words == 5 and new.continued_words is not None and new.continued_words < 5
    assert measure_specs("私はGPT-4oです", ENCODINGS).encodings["o200k_base"].continued_words is None


def test_empty_text_counts_zero() -> None:
    counts = measure_specs("", ENCODINGS)
    assert (counts.bytes, counts.characters, counts.words) == (0, 0, 0)
    assert all(c.tokens == 0 and c.pretokens == 0 for c in counts.encodings.values())


@SETTINGS
@given(TEXT)
@pytest.mark.parametrize("name", ENCODINGS)
def test_pretokens_are_where_bpe_runs(name: str, text: str) -> None:
    # tiktoken applies BPE within each piece of its split pattern, so the pieces' tokens add up.
    enc = get_encoding(name)
    pieces = pretokens(text, enc)
    assert "".join(pieces) == text
    per_piece = [len(enc.encode_ordinary(p)) for p in pieces]
    assert sum(per_piece) == len(enc.encode_ordinary(text))
    counts = measure_specs(text, [name]).encodings[name]
    assert counts.pretokens == len(pieces)
    assert counts.single_token_pretokens == sum(1 for n in per_piece if n == 1)


@SETTINGS
@given(TEXT)
def test_counts_of_a_text(text: str) -> None:
    counts = measure_specs(text, ENCODINGS)
    assert counts.bytes == len(text.encode("utf-8"))
    for name, c in counts.encodings.items():
        tokens = get_encoding(name).encode_ordinary(text)
        assert c.tokens == len(tokens)
        assert 0 <= c.byte_tokens <= c.tokens and 0 <= c.single_token_pretokens <= c.pretokens
        bpt = m.bytes_per_token(counts.bytes, c.tokens)
        if c.tokens:
            assert bpt is not None and bpt * c.tokens == pytest.approx(counts.bytes)
        if counts.words is not None and c.continued_words is not None:
            assert 0 <= c.continued_words <= counts.words


@SETTINGS
@given(st.lists(TEXT, max_size=5))
def test_counts_add_over_documents(docs: list[str]) -> None:
    total = m.TextCounts()
    for d in docs:
        total = total + measure_specs(d, ENCODINGS)
    assert total.documents == len(docs)
    assert total.bytes == sum(len(d.encode()) for d in docs)
    for name in ENCODINGS:
        enc = get_encoding(name)
        assert total.encodings.get(name, m.EncodingCounts()).tokens == sum(len(enc.encode_ordinary(d)) for d in docs)


@SETTINGS
@given(TEXT)
def test_bytes_and_graphemes_add_over_newline_splits(text: str) -> None:
    # Splitting after "\n" never cuts a grapheme (UAX #29 GB4/GB5 break after LF) or a character.
    parts = text.splitlines(keepends=True)
    parts = [p for chunk in parts for p in _after_lf(chunk)]
    assert m.graphemes(text) == sum(m.graphemes(p) for p in parts)
    assert m.utf8_bytes(text) == sum(m.utf8_bytes(p) for p in parts)


def _after_lf(chunk: str) -> list[str]:
    out, start = [], 0
    for i, c in enumerate(chunk):
        if c == "\n":
            out.append(chunk[start : i + 1])
            start = i + 1
    if start < len(chunk):
        out.append(chunk[start:])
    return out


@pytest.mark.parametrize("segmented", [None, True, False])
def test_long_text_measured_in_pieces_equals_whole(monkeypatch: pytest.MonkeyPatch, segmented: bool | None) -> None:
    """A huge document is measured in pieces cut at stable boundaries; every count is additive."""
    from tokstats.comparison import _metrics as metrics

    text = (
        "Hello wörld, don't stop.\r\n  indented line\n中文字符，日本語のテキスト。\nनमस्ते e\u0301 👍🏽 123456\n"
        + "x" * 300
        + " tail words here\n"
    ) * 40
    whole = measure_specs(text, ["cl100k_base", "o200k_base"], segmented)
    monkeypatch.setattr(metrics, "MEASURE_PIECE", 500)
    pieced = measure_specs(text, ["cl100k_base", "o200k_base"], segmented)
    assert pieced == whole
    assert whole.documents == 1


_PIECE_ATOMS = [
    " ",
    "  ",
    "\n",
    "\r\n",
    "\n ",
    "a",
    "Ab",
    "word",
    "don't",
    "x-y",
    "é",
    "e\u0301",
    "\u0301",
    "中文",
    "नमस्ते",
    "👍🏽",
    "123",
    "!\n",
    "/",
    "\u00a0",
    "\u200d",
]


@given(st.lists(st.sampled_from(_PIECE_ATOMS), min_size=1, max_size=120).map("".join))
@settings(max_examples=150, deadline=None)
def test_measure_in_pieces_is_additive(text: str) -> None:
    from tokstats.comparison import _metrics as metrics

    whole = metrics._measure_whole(text, [get_tokenizer("cl100k_base"), get_tokenizer("o200k_base")], None)
    old = metrics.MEASURE_PIECE
    metrics.MEASURE_PIECE = 8
    try:
        assert measure_specs(text, ["cl100k_base", "o200k_base"]) == whole
    finally:
        metrics.MEASURE_PIECE = old
