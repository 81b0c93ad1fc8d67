"""Pre-tokens: the pieces a tokenizer's own split pattern cuts text into before BPE runs.

tiktoken-style tokenizers first split text with a regular expression (words with their leading
space, runs of up to three digits, punctuation runs, whitespace) and then merge bytes *within*
each piece; a token never crosses a piece boundary. How many pieces came out as a single token
says how much of a language's vocabulary the tokenizer holds whole. Tokenizers without such a
pattern (``Tokenizer.split_pattern`` is ``None``) have no pre-tokens here: n/a.

The pattern is run with the ``regex`` module (it uses ``\\p{…}`` classes and possessive
quantifiers that ``re`` lacks), exactly as tiktoken's pure-Python reference does.
"""

from __future__ import annotations

from functools import cache

import regex

from tokstats._api import check_spec, check_str, renamed
from tokstats.errors import InputError
from tokstats.tokenizers._registry import TokenizerLike, as_tokenizer


@cache
def split_pattern(encoding_name: str, pattern: str) -> regex.Pattern[str]:
    """The compiled split pattern of a tokenizer (cached per name and pattern text)."""
    return regex.compile(pattern)


def pretoken_spans(text: str, tokenizer: TokenizerLike) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the pre-tokens of ``text`` under the tokenizer's pattern.

    Raises ``InputError`` for a tokenizer that has no split pattern.
    """
    tok = as_tokenizer(tokenizer)
    pattern = tok.split_pattern
    if pattern is None:
        raise InputError(f"tokenizer {tok.name} has no split pattern: pre-tokens are not defined for it")
    return [m.span() for m in split_pattern(tok.name, pattern).finditer(text)]


@renamed(encoding="tokenizer")
def pretokens(text: str, tokenizer: TokenizerLike) -> list[str]:
    """The pre-tokens of ``text`` (the pieces BPE is applied to), in order.

    Raises ``ParameterError`` (an ``InputError``) for
    a ``text`` that is not a str or a bad ``tokenizer``, ``InputError`` for
    a tokenizer with no split pattern, ``UnknownTokenizerError`` for an
    unknown spec.
    """
    check_str("text", text, what="a str", empty=True)
    check_spec("tokenizer", tokenizer)
    return [text[a:b] for a, b in pretoken_spans(text, tokenizer)]
