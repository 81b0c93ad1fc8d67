"""What a vocabulary holds: its size, its tokens per script, what it shares with another.

Every figure is over the *ordinary* tokens as byte strings (``tokstats.comparison._vocabulary``):

* ``vocabulary``: how many there are (``|V|`` of the Rényi efficiency);
* ``not_utf8``: tokens whose bytes are not valid UTF-8 on their own (pieces of a character);
* ``scripts``: tokens per script. A token belongs to a script when all its letters (``str.isalpha``)
  are in that script (Unicode Script property, ISO 15924 codes: ``Latn``, ``Cyrl``, ``Hani`` …);
  ``none``: no letter at all (spaces, digits, punctuation); ``mixed``: letters of two or more
  scripts; ``bytes``: not valid UTF-8;
* ``mean_bytes`` and ``mean_bytes_by_script``: mean length of the tokens in bytes;
* ``shared`` (a pair): how many byte strings both vocabularies hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from itertools import combinations
from typing import TYPE_CHECKING, Any

import regex

from tokstats._api import check_specs
from tokstats.comparison._vocabulary import vocabulary
from tokstats.tokenizers import Tokenizer
from tokstats.tokenizers._registry import TokenizerLike, as_tokenizer

if TYPE_CHECKING:
    import pandas as pd

#: ISO 15924 codes a letter's script is looked up among (the Unicode scripts with letters in
#: common use); a letter of none of them counts as ``Zyyy`` (common).
SCRIPTS = (
    "Latn Cyrl Grek Armn Geor Hebr Arab Syrc Thaa Nkoo Adlm Samr Mand Deva Beng Guru Gujr Orya Taml "
    "Telu Knda Mlym Sinh Thai Laoo Tibt Mymr Khmr Hang Hira Kana Hani Bopo Ethi Cher Cans Ogam Runr "
    "Mong Tfng Vaii Yiii Bali Java Sund Bugi Lana Tavt Cakm Olck Copt Gran Tglg Limb Mtei Sylo Tale "
    "Talu Lisu Bamu Glag Goth Brah Phag Saur Kali Rjng Cham Batk Lepc"
).split()
_SCRIPT = regex.compile("|".join(rf"(?P<{s}>\p{{Script={s}}})" for s in SCRIPTS))
NO_LETTERS, MIXED, NOT_UTF8 = "none", "mixed", "bytes"


@cache
def letter_script(ch: str) -> str:
    """The ISO 15924 code of one character's script (``Zyyy`` when none of ``SCRIPTS``)."""
    m = _SCRIPT.match(ch)
    return m.lastgroup if m and m.lastgroup else "Zyyy"


def token_script(token: bytes) -> str:
    """The script a token belongs to: the one all its letters are in, else ``none``/``mixed``/``bytes``."""
    try:
        text = token.decode("utf-8")
    except UnicodeDecodeError:
        return NOT_UTF8
    scripts = {letter_script(ch) for ch in text if ch.isalpha()}
    if not scripts:
        return NO_LETTERS
    return scripts.pop() if len(scripts) == 1 else MIXED


def vocabulary_row(tok: Tokenizer) -> dict[str, Any]:
    """The figures of one tokenizer's vocabulary (see the module docstring)."""
    vocab = vocabulary(tok)
    counts: dict[str, int] = {}
    lengths: dict[str, int] = {}
    for token in vocab.values():
        script = token_script(token)
        counts[script] = counts.get(script, 0) + 1
        lengths[script] = lengths.get(script, 0) + len(token)
    order = sorted(counts, key=lambda s: (-counts[s], s))
    total = len(vocab)
    return {
        "tokenizer": tok.name,
        "vocabulary": total,
        "not_utf8": counts.get(NOT_UTF8, 0),
        "mean_bytes": sum(lengths.values()) / total if total else None,
        "scripts": {s: counts[s] for s in order},
        "mean_bytes_by_script": {s: lengths[s] / counts[s] for s in order},
    }


def shared_tokens(a: Tokenizer, b: Tokenizer) -> int:
    """How many byte strings are ordinary tokens of both ``a`` and ``b``."""
    return len(set(vocabulary(a).values()) & set(vocabulary(b).values()))


def pair_rows(toks: Sequence[Tokenizer]) -> list[dict[str, Any]]:
    """For each pair of tokenizers: the byte strings both hold, and that as a share of each."""
    out = []
    for a, b in combinations(toks, 2):
        shared = shared_tokens(a, b)
        na, nb = len(vocabulary(a)), len(vocabulary(b))
        out.append(
            {
                "a": a.name,
                "b": b.name,
                "shared": shared,
                "share_of_a": shared / na if na else None,
                "share_of_b": shared / nb if nb else None,
            }
        )
    return out


def vocabulary_rows(tokenizers: Sequence[TokenizerLike]) -> tuple[list[Tokenizer], list[dict[str, Any]]]:
    """The tokenizers, loaded, and one row of figures for each."""
    toks = [as_tokenizer(t) for t in tokenizers]
    return toks, [vocabulary_row(t) for t in toks]


def vocabulary_summary(tokenizers: Sequence[TokenizerLike], *, pairs: bool = False) -> pd.DataFrame:
    """The vocabularies of ``tokenizers`` as a DataFrame: one row per tokenizer (size, tokens
    not valid UTF-8 alone, mean bytes, and ``scripts.<code>`` / ``mean_bytes.<code>`` columns per
    script), or with ``pairs=True`` one row per pair with ``shared``, the byte strings both hold.

    Raises ``ParameterError`` for a ``tokenizers`` that is not a list of specs,
    ``UnknownTokenizerError`` for an unknown one, ``InputError`` for a kind whose vocabulary
    cannot be listed.
    """
    import pandas as pd

    from tokstats.output._signature import build_signature

    toks, rows = vocabulary_rows(check_specs("tokenizers", tokenizers))
    if pairs:
        df = pd.DataFrame(pair_rows(toks), columns=["a", "b", "shared", "share_of_a", "share_of_b"])
    else:
        df = pd.json_normalize(rows)
    df.attrs["signature"] = build_signature(toks)
    return df
