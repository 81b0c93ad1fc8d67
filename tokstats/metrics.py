"""Tokenizer efficiency metrics, each defined once, with its formula and source.

Measuring a text gives *additive counts* (:class:`TextCounts`: bytes, graphemes, words and, per
encoding, tokens, byte tokens, pre-tokens …). Sums of counts over documents are the counts of
the documents together, so an aggregate metric is always a ratio of sums — never a mean of
per-document ratios, which would weight a three-word chat message like a page of news.

The metric functions below take those (summed) counts and return a float, or ``None`` when the
denominator is zero or the quantity does not exist (words in Japanese): n/a, never a made-up 0.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import cache

import regex
import tiktoken

from tokstats.encodings import get_encoding
from tokstats.pretokenizer import pretoken_spans
from tokstats.words import UNSEGMENTED_SHARE, letter_counts, split_words, unsegmented_share

_GRAPHEME = regex.compile(r"\X")


def _div(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


# --- counts of one text -----------------------------------------------------------------------


def utf8_bytes(text: str) -> int:
    """Size of ``text`` in UTF-8 bytes: ``len(text.encode("utf-8"))``."""
    return len(text.encode("utf-8"))


def graphemes(text: str) -> int:
    """User-perceived characters: extended grapheme clusters (Unicode UAX #29), regex ``\\X``.

    "नमस्ते" is 6 code points but 3 graphemes; an emoji with skin tone is one.
    """
    return len(_GRAPHEME.findall(text))


@cache
def _token_bytes(encoding_name: str) -> dict[int, bytes]:
    return {}


def token_bytes(encoding: tiktoken.Encoding, token: int) -> bytes:
    """The bytes of one token (cached per encoding)."""
    table = _token_bytes(encoding.name)
    b = table.get(token)
    if b is None:
        b = table[token] = encoding.decode_single_token_bytes(token)
    return b


def is_byte_token(encoding: tiktoken.Encoding, token: int) -> bool:
    """Whether a token's bytes are not valid UTF-8 on their own (a piece of a character)."""
    try:
        token_bytes(encoding, token).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


@dataclass
class EncodingCounts:
    """Additive counts of one text under one encoding."""

    tokens: int = 0
    byte_tokens: int = 0
    pretokens: int = 0
    single_token_pretokens: int = 0
    #: words needing >= 2 tokens; ``None`` when the text has no words (unsegmented script)
    continued_words: int | None = 0

    def __add__(self, other: "EncodingCounts") -> "EncodingCounts":
        return EncodingCounts(
            self.tokens + other.tokens,
            self.byte_tokens + other.byte_tokens,
            self.pretokens + other.pretokens,
            self.single_token_pretokens + other.single_token_pretokens,
            None if self.continued_words is None or other.continued_words is None
            else self.continued_words + other.continued_words,
        )


@dataclass
class TextCounts:
    """Additive counts of a text (or of several texts, summed with ``+``)."""

    documents: int = 0
    bytes: int = 0
    characters: int = 0
    #: ``None`` when any text summed in is written without spaces (see :mod:`tokstats.words`)
    words: int | None = 0
    encodings: dict[str, EncodingCounts] = field(default_factory=dict)

    def __add__(self, other: "TextCounts") -> "TextCounts":
        names = list(dict.fromkeys([*self.encodings, *other.encodings]))
        return TextCounts(
            self.documents + other.documents,
            self.bytes + other.bytes,
            self.characters + other.characters,
            None if self.words is None or other.words is None else self.words + other.words,
            {n: self.encodings.get(n, EncodingCounts()) + other.encodings.get(n, EncodingCounts())
             for n in names},
        )


def _byte_offsets(text: str) -> list[int]:
    """``offsets[i]`` = UTF-8 byte offset of character ``i`` (one extra entry for the end)."""
    return [0, *itertools.accumulate(len(c.encode("utf-8")) for c in text)]


def _token_starts(encoding: tiktoken.Encoding, tokens: list[int]) -> list[int]:
    return [0, *itertools.accumulate(len(token_bytes(encoding, t)) for t in tokens)]


def _tokens_per_span(bounds: list[int], spans: list[tuple[int, int]]) -> list[int]:
    """For each byte span, how many tokens (byte ranges ``bounds[k]..bounds[k+1]``) overlap it."""
    out: list[int] = []
    k = 0
    n = len(bounds) - 1
    for a, b in spans:
        while k < n and bounds[k + 1] <= a:
            k += 1
        j = k
        while j < n and bounds[j] < b:
            j += 1
        out.append(j - k)
    return out


def measure_encoding(
    text: str, encoding: tiktoken.Encoding, word_spans: list[tuple[int, int]] | None,
    offsets: list[int] | None = None,
) -> EncodingCounts:
    """Counts of ``text`` under ``encoding``; ``word_spans`` are byte spans (``None``: no words)."""
    from tokstats.backends import encode_ordinary

    tokens = encode_ordinary(encoding, text)
    bounds = _token_starts(encoding, tokens)
    offsets = offsets if offsets is not None else _byte_offsets(text)
    pieces = [(offsets[a], offsets[b]) for a, b in pretoken_spans(text, encoding)]
    per_piece = _tokens_per_span(bounds, pieces)
    continued = None
    if word_spans is not None:
        continued = sum(1 for n in _tokens_per_span(bounds, word_spans) if n >= 2)
    return EncodingCounts(
        tokens=len(tokens),
        byte_tokens=sum(1 for t in tokens if is_byte_token(encoding, t)),
        pretokens=len(pieces),
        single_token_pretokens=sum(1 for n in per_piece if n == 1),
        continued_words=continued,
    )


#: A text longer than this (characters) is measured in pieces cut at stable boundaries, so a
#: huge document costs time linear in its length and memory bounded by a piece, not by the text.
MEASURE_PIECE = 1 << 20


def measure(text: str, encodings: list[str], segmented: bool | None = None) -> TextCounts:
    """All counts of one text under each encoding in ``encodings`` (names).

    ``segmented`` says whether the text's language separates words with spaces (``None``:
    detect from its scripts, see :func:`tokstats.words.split_words`).

    A long text is cut where every encoding's pre-tokenizer cuts anyway (after a newline, or
    before a space between ASCII letters: :mod:`tokstats.chunking`). Such a cut is also a
    boundary of words, graphemes and pre-tokens, so every count is additive across it and the
    pieces' counts sum to the whole text's (tested in tests/test_metrics.py).
    """
    from tokstats.chunking import can_cut, split_text

    if len(text) > MEASURE_PIECE and all(can_cut(get_encoding(n)._pat_str) for n in encodings):
        pieces = split_text(text, MEASURE_PIECE // 2)
        if len(pieces) > 1:
            if segmented is None:  # decided on the whole text, as for a short one
                counts = [letter_counts(p) for p in pieces]
                summed = (sum(c[0] for c in counts), sum(c[1] for c in counts))
                segmented = unsegmented_share("", summed) <= UNSEGMENTED_SHARE
            total = TextCounts()
            for piece in pieces:
                total = total + _measure_whole(piece, encodings, segmented)
            total.documents = 1
            return total
    return _measure_whole(text, encodings, segmented)


def _measure_whole(text: str, encodings: list[str], segmented: bool | None) -> TextCounts:
    words = split_words(text, segmented)
    offsets = _byte_offsets(text)
    spans = None if words is None else [(offsets[w.start], offsets[w.end]) for w in words]
    return TextCounts(
        documents=1,
        bytes=offsets[-1],
        characters=graphemes(text),
        words=None if words is None else len(words),
        encodings={n: measure_encoding(text, get_encoding(n), spans, offsets) for n in encodings},
    )


# --- metrics: ratios of (summed) counts -------------------------------------------------------


def compression_ratio(old_tokens: int, new_tokens: int) -> float | None:
    """How many times fewer tokens the new encoding needs: ``old_tokens / new_tokens``.

    The figure of OpenAI's GPT-4o launch table ("Gujarati 4.4x fewer tokens, from 145 to 33"),
    with old = cl100k_base and new = o200k_base. Above 1: the new encoding is more compact.
    """
    return _div(old_tokens, new_tokens)


def token_reduction_pct(old_tokens: int, new_tokens: int) -> float | None:
    """Tokens saved by the new encoding, in percent: ``100 × (old − new) / old``.

    Equals ``100 × (1 − 1 / compression_ratio)``; 4.4x fewer tokens is a 77% reduction.
    """
    d = _div(old_tokens - new_tokens, old_tokens)
    return None if d is None else 100 * d


def bytes_per_token(n_bytes: int, tokens: int) -> float | None:
    """UTF-8 bytes per token: ``bytes / tokens`` (a compression rate; higher is more compact).

    Comparable across tokenizers on the same text; across languages it also reflects how many
    bytes each script needs (Latin 1, Cyrillic 2, Devanagari 3 per code point).
    """
    return _div(n_bytes, tokens)


def characters_per_token(characters: int, tokens: int) -> float | None:
    """Graphemes (user-perceived characters, regex ``\\X``) per token: ``characters / tokens``."""
    return _div(characters, tokens)


def fertility(tokens: int, words: int | None) -> float | None:
    """Tokens per word: ``tokens / words`` (Rust et al. 2021, "How Good is Your Tokenizer?").

    Rust et al. count the subwords of each word of a treebank; here the numerator is every token
    of the text (punctuation and whitespace tokens included) and words are those of
    :mod:`tokstats.words`. ``None`` (n/a) for scripts written without spaces.
    """
    return _div(tokens, words)


def continued_word_share(continued_words: int | None, words: int | None) -> float | None:
    """Proportion of continued words: ``words split into >= 2 tokens / words`` (Rust et al. 2021).

    A word counts as continued when two or more tokens of the text's own encoding overlap its
    bytes (the word is tokenized in context, with the space tiktoken attaches to it).
    """
    return _div(continued_words, words)


def premium(tokens: int, reference_tokens: int) -> float | None:
    """Tokenization premium (Petrov et al. 2023, "Language Model Tokenizers Introduce Unfairness
    Between Languages"): ``tokens(language) / tokens(reference)`` on parallel text.

    Summed over the aligned sentences present in both languages; the reference (English by
    default) has premium 1. Above 1: the same content costs more tokens in this language.
    """
    return _div(tokens, reference_tokens)


def byte_token_rate(byte_tokens: int, tokens: int) -> float | None:
    """Share of tokens whose bytes are not valid UTF-8 on their own: ``byte_tokens / tokens``.

    Such tokens are fragments of a character: the encoding has no token for the character and
    falls back to its bytes. High rates mark scripts the vocabulary barely covers.
    """
    return _div(byte_tokens, tokens)


def single_token_pretoken_share(single: int, pretokens: int) -> float | None:
    """Share of pre-tokens (pieces of the encoding's split pattern) that became exactly one token."""
    return _div(single, pretokens)
