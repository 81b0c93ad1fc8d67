"""Splitting text into words, honestly: no whitespace "words" for scripts written without spaces.

A *word* here is a maximal run of letters, combining marks, digits and the joiners ZWNJ/ZWJ
(U+200C/U+200D, which sit inside Persian and Indic words), optionally joined by an apostrophe
or hyphen between two such runs ("don't", "state-of-the-art" are one word each). Punctuation,
symbols and whitespace are not words.

That definition only means something for scripts that separate words with spaces. Chinese and
Japanese (Han, Hiragana, Katakana) and the South-East Asian scripts Thai, Lao, Khmer, Myanmar
and Tibetan write a sentence as one run of letters, so a regex "word" there is a clause. For
such text ``split_words`` returns ``None`` and every word-based metric (words, fertility,
continued words) is reported as n/a rather than as a misleading number. The words of Rust et
al.'s metrics come from dictionary segmenters for Chinese, Japanese and Thai instead, when the
optional extra is installed (``tokstats.comparison._segmenters``).
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

#: Scripts written without spaces between words (Unicode script property names).
UNSEGMENTED_SCRIPTS = ("Han", "Hiragana", "Katakana", "Thai", "Lao", "Khmer", "Myanmar", "Tibetan")

#: Share of letters in ``UNSEGMENTED_SCRIPTS`` above which a text counts as unsegmented.
#: An English sentence quoting one kanji still has words; a Japanese sentence quoting "GPT-4o"
#: does not.
UNSEGMENTED_SHARE = 0.1

_CORE = r"[\p{L}\p{M}\p{N}\u200c\u200d]+"
WORD_PATTERN = regex.compile(rf"{_CORE}(?:['’\-‐]{_CORE})*")
_LETTER = regex.compile(r"\p{L}")
_UNSEGMENTED = regex.compile("|".join(rf"\p{{Script={s}}}" for s in UNSEGMENTED_SCRIPTS))


@dataclass(frozen=True)
class Word:
    """A word and where it is: ``text[start:end]`` (character offsets)."""

    start: int
    end: int
    text: str


def letter_counts(text: str) -> tuple[int, int]:
    """(letters, letters of scripts written without spaces) in ``text``: additive over pieces."""
    return len(_LETTER.findall(text)), len(_UNSEGMENTED.findall(text))


def unsegmented_share(text: str, counts: tuple[int, int] | None = None) -> float:
    """Share of the letters in ``text`` that belong to scripts written without spaces (0 if none).

    ``counts``: ``letter_counts`` of the text when the caller summed them over pieces.
    """
    letters, unsegmented = letter_counts(text) if counts is None else counts
    if letters == 0:
        return 0.0
    return unsegmented / letters


def is_space_segmented(text: str) -> bool:
    """Whether words in ``text`` can be found at spaces and punctuation (see module docstring)."""
    return unsegmented_share(text) <= UNSEGMENTED_SHARE


def split_words(text: str, segmented: bool | None = None) -> list[Word] | None:
    """The words of ``text``, or ``None`` when the text is written without spaces between words.

    ``segmented`` overrides detection when the language is known (e.g. a corpus records
    ``segmented_by_spaces: false`` for Japanese).
    """
    if segmented is None:
        segmented = is_space_segmented(text)
    if not segmented:
        return None
    return [Word(m.start(), m.end(), m.group()) for m in WORD_PATTERN.finditer(text)]
