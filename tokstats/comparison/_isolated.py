"""Fertility and continued words as Rust et al. (2021) define them: each word tokenized alone.

Rust et al. ("How Good is Your Tokenizer? On the Monolingual Performance of Multilingual Language
Models", ACL 2021, §3) tokenize every word of a treebank *in isolation* and report

* **fertility** — the average number of subword tokens per word:
  ``Σ_w tokens(w) / number of words``;
* **proportion of continued words** — the share of words split into two or more tokens:
  ``|{w : tokens(w) ≥ 2}| / number of words``.

Words (punctuation marks among them) come from ``tokstats.comparison._segmenters.rust_words``. A word is
encoded as it stands, without the space that precedes it in running text, so for byte-level
BPE tokenizers such as tiktoken's the count can differ from the word's count in context
(``" world"`` and ``"world"`` are different tokens). The in-context variants, where every token
of the running text counts, are ``fertility_in_context`` and ``continued_words_in_context``
(``tokstats.comparison._metrics``).

Everything here takes the tokenizer as a ``count(text) -> int`` callable (or any object with a
``count`` method, such as ``tokstats.tokenizers._base.Tokenizer``), so it works for every
kind of tokenizer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol


class _HasCount(Protocol):
    def count(self, text: str) -> int: ...


Counter = Callable[[str], int] | _HasCount

#: Distinct words remembered per tokenizer (a word's count never changes).
CACHE_WORDS = 1 << 16


@dataclass(frozen=True)
class IsolatedCounts:
    """Additive counts of words tokenized one by one: ``None`` when the text has no words."""

    words: int | None = 0
    tokens: int | None = 0
    continued: int | None = 0

    def __add__(self, other: IsolatedCounts) -> IsolatedCounts:
        def add(a: int | None, b: int | None) -> int | None:
            return None if a is None or b is None else a + b

        return IsolatedCounts(
            add(self.words, other.words), add(self.tokens, other.tokens), add(self.continued, other.continued)
        )


NO_WORDS = IsolatedCounts(None, None, None)


def _count_function(counter: Counter) -> Callable[[str], int]:
    count = getattr(counter, "count", None)
    if callable(count):  # a Tokenizer (tokstats.tokenizers._base) or anything with .count(text)
        return count  # type: ignore[no-any-return]
    if callable(counter):
        return counter
    raise TypeError(f"need a count(text) -> int callable or an object with .count, not {type(counter).__name__}")


def cached(counter: Counter, maxsize: int = CACHE_WORDS) -> Callable[[str], int]:
    """``counter`` as a function that remembers the count of up to ``maxsize`` distinct words."""
    return lru_cache(maxsize=maxsize)(_count_function(counter))


def measure_words(words: Iterable[str] | None, counter: Counter) -> IsolatedCounts:
    """Counts of ``words`` each tokenized alone by ``counter`` (``None``: no words, n/a)."""
    if words is None:
        return NO_WORDS
    count = _count_function(counter)
    n = tokens = continued = 0
    for w in words:
        k = count(w)
        n += 1
        tokens += k
        continued += k >= 2
    return IsolatedCounts(n, tokens, continued)


def fertility(counts: IsolatedCounts) -> float | None:
    """Tokens per word, each word tokenized alone: ``Σ tokens(w) / words`` (Rust et al. 2021)."""
    if counts.words is None or counts.tokens is None or counts.words == 0:
        return None
    return counts.tokens / counts.words


def continued_words(counts: IsolatedCounts) -> float | None:
    """Share of words split into >= 2 tokens when tokenized alone (Rust et al. 2021)."""
    if counts.words is None or counts.continued is None or counts.words == 0:
        return None
    return counts.continued / counts.words
