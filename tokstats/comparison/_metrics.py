"""Tokenizer efficiency metrics, each defined once, with its formula and source.

Measuring a text gives *additive counts* (``TextCounts``: bytes, graphemes, words and, per
encoding, tokens, byte tokens, pre-tokens …). Sums of counts over documents are the counts of
the documents together, so an aggregate metric is always a ratio of sums — never a mean of
per-document ratios, which would weight a three-word chat message like a page of news.

The metric functions below take those (summed) counts and return a float, or ``None`` when the
denominator is zero or the quantity does not exist (words in Japanese): n/a, never a made-up 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import regex

from tokstats.comparison import _isolated as isolated
from tokstats.comparison import _token_tables as tables
from tokstats.comparison._segmenters import rust_words, script_of
from tokstats.comparison._words import (
    UNSEGMENTED_SHARE,
    letter_counts,
    split_words,
    unsegmented_share,
)
from tokstats.sources._textio import utf8_offsets
from tokstats.tokenizers import Tokenizer
from tokstats.tokenizers._chunking import common_rule, split_text
from tokstats.tokenizers._pretokens import pretoken_spans

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


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


@dataclass
class EncodingCounts:
    """Additive counts of one text under one tokenizer (``None``: not defined for it)."""

    tokens: int = 0
    byte_tokens: int = 0
    #: pre-tokens of the tokenizer's split pattern; ``None`` when it has none
    pretokens: int | None = 0
    single_token_pretokens: int | None = 0
    #: words needing >= 2 tokens; ``None`` when the text has no words (unsegmented script)
    continued_words: int | None = None
    #: tokens that are the tokenizer's unknown token (always 0 for byte-level BPE)
    unk_tokens: int = 0
    #: tokens of the texts that have words (the numerator of fertility; see ``TextCounts``)
    word_text_tokens: int = 0
    #: words (Rust et al.'s, punctuation included) each tokenized alone: see ``tokstats.comparison._isolated``
    isolated: isolated.IsolatedCounts = field(default_factory=isolated.IsolatedCounts)
    #: the token ids of each text summed in, one array per text (their distribution is the
    #: unigram distribution of the Rényi efficiency; kept as arrays so that a sum costs nothing)
    ids: tuple[Any, ...] = field(default=(), compare=False, repr=False)

    def __add__(self, other: EncodingCounts) -> EncodingCounts:
        return EncodingCounts(
            self.tokens + other.tokens,
            self.byte_tokens + other.byte_tokens,
            _add(self.pretokens, other.pretokens),
            _add(self.single_token_pretokens, other.single_token_pretokens),
            _add_optional(self.continued_words, other.continued_words),
            self.unk_tokens + other.unk_tokens,
            self.word_text_tokens + other.word_text_tokens,
            self.isolated + other.isolated,
            self.ids + other.ids,
        )

    def id_counts(self) -> Any:
        """How often each distinct token id occurs, over every text summed in (a NumPy array)."""
        import numpy as np

        if not self.ids:
            return np.zeros(0, dtype=np.int64)
        return np.unique(np.concatenate(self.ids), return_counts=True)[1]


def _add_optional(a: int | None, b: int | None) -> int | None:
    """Sum of word counts where ``None`` is a text without words: it adds nothing, and the sum
    is ``None`` only when no text summed in has words."""
    if a is None or b is None:
        return b if a is None else a
    return a + b


@dataclass
class TextCounts:
    """Additive counts of a text (or of several texts, summed with ``+``)."""

    documents: int = 0
    bytes: int = 0
    characters: int = 0
    #: words of the texts that have them; ``None`` when every text summed in is written without
    #: spaces (see ``tokstats.comparison._words``). Decided per text: one Japanese quotation in a Korean
    #: catalog leaves the other texts' words counted, and word metrics divide only the tokens
    #: of texts with words (``EncodingCounts.word_text_tokens``) by them.
    words: int | None = None
    encodings: dict[str, EncodingCounts] = field(default_factory=dict)
    #: how the isolated words were found, one entry per method (see ``tokstats.comparison._segmenters``)
    word_methods: tuple[str, ...] = ()

    def __add__(self, other: TextCounts) -> TextCounts:
        names = list(dict.fromkeys([*self.encodings, *other.encodings]))
        return TextCounts(
            self.documents + other.documents,
            self.bytes + other.bytes,
            self.characters + other.characters,
            _add_optional(self.words, other.words),
            {n: self.encodings.get(n, EncodingCounts()) + other.encodings.get(n, EncodingCounts()) for n in names},
            tuple(dict.fromkeys([*self.word_methods, *other.word_methods])),
        )


def measure_encoding(
    text: str,
    tok: Tokenizer,
    word_spans: list[tuple[int, int]] | None,
    offsets: list[int] | None = None,
) -> EncodingCounts:
    """Counts of ``text`` under a tokenizer; ``word_spans`` are byte spans (``None``: no words)."""
    ids, starts, ends = tables.token_spans(tok, text)
    offsets = offsets if offsets is not None else utf8_offsets(text)
    pretokens = single = None
    if tok.split_pattern is not None:
        pieces = [(offsets[a], offsets[b]) for a, b in pretoken_spans(text, tok)]
        pretokens = len(pieces)
        single = int((tables.tokens_per_span(starts, ends, pieces) == 1).sum())
    continued = None
    if word_spans is not None:
        continued = int((tables.tokens_per_span(starts, ends, word_spans) >= 2).sum())
    unk = tok.unk_id
    return EncodingCounts(
        tokens=len(ids),
        byte_tokens=tables.table(tok).byte_tokens(ids),
        pretokens=pretokens,
        single_token_pretokens=single,
        continued_words=continued,
        unk_tokens=0 if unk is None else int((ids == unk).sum()),
        word_text_tokens=0 if word_spans is None else len(ids),
        ids=(ids.astype(np.int32),),
    )


#: A text longer than this (characters) is measured in pieces cut at stable boundaries, so a
#: huge document costs time linear in its length and memory bounded by a piece, not by the text.
MEASURE_PIECE = 1 << 20


#: The word method of a text measured without word metrics (``measure(..., words=False)``).
NO_WORD_METRICS = "n/a: word metrics not asked for"


def measure(
    text: str, tokenizers: Sequence[Tokenizer], segmented: bool | None = None, words: bool = True
) -> TextCounts:
    """All counts of one text under each of ``tokenizers`` (resolved by the caller, once), keyed by
    tokenizer name.

    ``segmented`` says whether the text's language separates words with spaces (``None``:
    detect from its scripts, see ``tokstats.comparison._words.split_words``).

    A long text is cut where every encoding's pre-tokenizer cuts anyway (after a newline, or
    before a space between ASCII letters: ``tokstats.tokenizers._chunking``, the rule all of them allow). Such a cut is also a
    boundary of words, graphemes and pre-tokens, so every count is additive across it and the
    pieces' counts sum to the whole text's (tested in tests/test_metrics.py).

    ``words=False`` skips the word metrics (words, fertility, continued words: ``None``), and with
    them every word segmenter, which is then never loaded.
    """
    rule = common_rule([tok.cut_rule for tok in tokenizers]) if len(text) > MEASURE_PIECE else None
    if rule is not None:
        pieces = split_text(text, MEASURE_PIECE // 2, rule)
        if len(pieces) > 1:
            if segmented is None:  # decided on the whole text, as for a short one
                counts = [letter_counts(p) for p in pieces]
                summed = (sum(c[0] for c in counts), sum(c[1] for c in counts))
                segmented = unsegmented_share("", summed) <= UNSEGMENTED_SHARE
            script = None if segmented or not words else script_of(text)  # one segmenter for the document
            total = TextCounts()
            for piece in pieces:
                total = total + _measure_whole(piece, tokenizers, segmented, script, words)
            total.documents = 1
            return total
    return _measure_whole(text, tokenizers, segmented, words=words)


def _measure_whole(
    text: str,
    tokenizers: Sequence[Tokenizer],
    segmented: bool | None,
    script: tuple[str, str | None] | None = None,
    words: bool = True,
) -> TextCounts:
    found = split_words(text, segmented) if words else None
    offsets = utf8_offsets(text)
    spans = None if found is None else [(offsets[w.start], offsets[w.end]) for w in found]
    alone = rust_words(text, segmented, script) if words else None
    counts = {}
    for tok in tokenizers:
        c = counts[tok.name] = measure_encoding(text, tok, spans, offsets)
        c.isolated = isolated.measure_words(alone.words, _isolated_counter(tok)) if alone else isolated.NO_WORDS
    return TextCounts(
        documents=1,
        bytes=offsets[-1],
        characters=graphemes(text),
        words=None if found is None else len(found),
        encodings=counts,
        word_methods=(alone.method if alone else NO_WORD_METRICS,),
    )


@cache
def _isolated_counter(tok: Tokenizer) -> Callable[[str], int]:
    """Tokens of one word under ``tok``, remembered per tokenizer (see ``tokstats.comparison._isolated.cached``)."""
    return isolated.cached(tok)


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


def fertility_in_context(tokens: int, words: int | None) -> float | None:
    """Tokens of the running text per word: ``tokens / words``.

    Not Rust et al.'s fertility (that is ``tokstats.comparison._isolated.fertility``, each word tokenized
    alone): here the numerator is every token of the texts that have words (punctuation and
    whitespace tokens included) and words are those of ``tokstats.comparison._words``. ``None`` (n/a) when
    no text has words (scripts written without spaces).
    """
    return _div(tokens, words)


def continued_word_share_in_context(continued_words: int | None, words: int | None) -> float | None:
    """Share of words that two or more tokens of the running text overlap: ``continued / words``.

    The word is tokenized in context, with the space tiktoken attaches to it; Rust et al.'s
    proportion of continued words (each word tokenized alone) is
    ``tokstats.comparison._isolated.continued_words``.
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


def single_token_pretoken_share(single: int | None, pretokens: int | None) -> float | None:
    """Share of pre-tokens (pieces of the tokenizer's split pattern) that became exactly one token.

    ``None`` (n/a) for tokenizers without a split pattern.
    """
    return _div(single, pretokens)


def unk_rate(unk_tokens: int, tokens: int) -> float | None:
    """Share of tokens that are the tokenizer's unknown token: ``unk_tokens / tokens``.

    Text the vocabulary cannot write at all is lost to ``<unk>``; 0 for byte-level BPE and for
    byte-fallback models, which write any character as bytes instead.
    """
    return _div(unk_tokens, tokens)


#: The order α of the Rényi efficiency by default: 2.5, the value Zouhar et al. (2023) found to
#: correlate best with downstream BLEU.
RENYI_ALPHA = 2.5


def renyi_entropy(counts: Mapping[int, int] | Sequence[int] | Any, alpha: float = RENYI_ALPHA) -> float | None:
    """Rényi entropy of order ``alpha`` (natural log) of the distribution the counts give:
    ``H_α(p) = log(Σ p_i^α) / (1 − α)``; ``α = 1`` is Shannon's ``−Σ p_i log p_i``.

    ``counts`` are occurrences per token id (a mapping, or the counts alone). ``None`` when empty.
    """
    values = np.asarray(list(counts.values()) if isinstance(counts, Mapping) else counts, dtype=float)
    values = values[values > 0]
    total = values.sum()
    if total == 0:
        return None
    p = values / total
    if alpha == 1:
        return float(-(p * np.log(p)).sum())
    return float(np.log((p**alpha).sum()) / (1 - alpha))


def renyi_efficiency(
    counts: Mapping[int, int] | Sequence[int] | Any, vocabulary_size: int | None, alpha: float = RENYI_ALPHA
) -> float | None:
    """Rényi efficiency (Zouhar et al. 2023, "Tokenization and the Noiseless Channel", ACL):
    ``H_α(p) / log |V|``, with ``p`` the unigram distribution of the token ids of the text and
    ``|V|`` the tokenizer's number of ordinary (non-special) tokens. Between 0 and 1; higher
    means the text uses the vocabulary more evenly. ``alpha = 1`` gives the Shannon efficiency.
    """
    h = renyi_entropy(counts, alpha)
    if h is None or not vocabulary_size or vocabulary_size < 2:
        return None
    return h / math.log(vocabulary_size)


def gini(values: Sequence[float]) -> float | None:
    """Gini coefficient of non-negative values: ``Σ_i Σ_j |x_i − x_j| / (2 n² mean)``.

    0 when every value is equal; used on the per-language premiums of one tokenizer as one figure
    of how unequally it treats languages. ``None`` for no values or a zero mean.
    """
    x = np.sort(np.asarray([v for v in values if v is not None], dtype=float))
    n = len(x)
    if n == 0 or x.sum() == 0:
        return None
    ranks = np.arange(1, n + 1)
    return float((2 * ranks - n - 1).dot(x) / (n * x.sum()))


#: A language is at parity with the reference when its premium is at most this (Petrov et al.
#: 2023 discuss parity as premiums near 1; 1.2 is tokstats' threshold, a setting of the summary).
PARITY_THRESHOLD = 1.2


def parity_share(premiums: Sequence[float | None], threshold: float = PARITY_THRESHOLD) -> float | None:
    """Share of languages whose premium is at most ``threshold`` (within 1.2× of the reference)."""
    values = [v for v in premiums if v is not None]
    return sum(1 for v in values if v <= threshold) / len(values) if values else None
