"""Pre-tokens: the pieces an encoding's own split pattern cuts text into before BPE runs.

tiktoken first splits text with a regular expression (``Encoding._pat_str``: words with their
leading space, runs of up to three digits, punctuation runs, whitespace) and then merges bytes
*within* each piece; a token never crosses a piece boundary. How many pieces came out as a
single token says how much of a language's vocabulary the encoding holds whole.

The pattern is run with the ``regex`` module (it uses ``\\p{…}`` classes and possessive
quantifiers that :mod:`re` lacks), exactly as tiktoken's pure-Python reference does.
"""

from __future__ import annotations

from functools import cache

import regex
import tiktoken


@cache
def split_pattern(encoding_name: str, pattern: str) -> "regex.Pattern[str]":
    """The compiled split pattern of an encoding (cached per name and pattern text)."""
    return regex.compile(pattern)


def pretoken_spans(text: str, encoding: tiktoken.Encoding) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the pre-tokens of ``text`` under ``encoding``'s pattern."""
    pat = split_pattern(encoding.name, encoding._pat_str)
    return [m.span() for m in pat.finditer(text)]


def pretokens(text: str, encoding: tiktoken.Encoding) -> list[str]:
    """The pre-tokens of ``text`` (the pieces BPE is applied to), in order."""
    return [text[a:b] for a, b in pretoken_spans(text, encoding)]
