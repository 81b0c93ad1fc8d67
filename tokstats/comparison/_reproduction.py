"""Reproducing a published compression table: published counts beside counts measured now.

The launch table of GPT-4o gives, per language, a sentence and how many tokens cl100k_base and
o200k_base need for it. Each row here measures the text that reproduces the published counts and,
where the page now displays different text, also the displayed text — so a mismatch is shown,
never hidden.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tokstats._api import shown
from tokstats.errors import InputError, ParameterError
from tokstats.output._signature import Signature, build_signature
from tokstats.sources._corpus import Corpus, load_corpus
from tokstats.tokenizers import get_tokenizer

if TYPE_CHECKING:
    import pandas as pd

#: The published table compares these two encodings, old first.
OLD, NEW = "cl100k_base", "o200k_base"
DEFAULT_CORPUS = "gpt4o-launch"

COLUMNS = [
    "language",
    "published_cl100k",
    "published_o200k",
    "published_ratio",
    "cl100k_base",
    "o200k_base",
    "ratio",
    "reproduced",
    "displayed_cl100k",
    "displayed_o200k",
    "note",
]


def _count(text: str, encoding: str) -> int:
    # Special-token strings in the text are counted as the ordinary text they are.
    return get_tokenizer(encoding).count(text)


def reproduce_row(entry: dict[str, Any]) -> dict[str, Any]:
    """Published and measured figures for one corpus entry (a row of the published table)."""
    published = entry["published"]
    text = entry.get("reproducing_text") or entry["text"]
    old, new = _count(text, OLD), _count(text, NEW)
    row: dict[str, Any] = {
        "language": entry["language"],
        "published_cl100k": published[OLD],
        "published_o200k": published[NEW],
        "published_ratio": published["ratio"],
        OLD: old,
        NEW: new,
        "ratio": old / new if new else None,
        "reproduced": (old, new) == (published[OLD], published[NEW]),
        "displayed_cl100k": None,
        "displayed_o200k": None,
        "note": entry.get("note"),
    }
    if entry.get("reproducing_text") and entry["reproducing_text"] != entry["text"]:
        row["displayed_cl100k"] = _count(entry["text"], OLD)
        row["displayed_o200k"] = _count(entry["text"], NEW)
    return row


def _check_reproducible(corpus: Corpus) -> None:
    """``InputError`` unless every entry has a language, a text and published counts."""
    for i, e in enumerate(corpus.entries, start=1):
        published = e.get("published")
        ok = (
            isinstance(e.get("language"), str)
            and isinstance(e.get("text"), str)
            and isinstance(published, dict)
            and all(isinstance(published.get(k), int) and not isinstance(published.get(k), bool) for k in (OLD, NEW))
            and isinstance(published.get("ratio"), int | float)
        )
        if not ok:
            raise InputError(
                f'corpus {corpus.name}: entry {i} is not a published-table row (needs "language", '
                f'"text" and "published" counts for {OLD} and {NEW} and a "ratio"); '
                f"reproduce takes a corpus such as {DEFAULT_CORPUS}"
            )


def reproduce_rows(corpus: str | Corpus = DEFAULT_CORPUS) -> tuple[list[dict[str, Any]], Signature]:
    """The reproduction table as plain rows (in published order), with its signature."""
    loaded = load_corpus(corpus) if isinstance(corpus, str) else corpus
    _check_reproducible(loaded)
    rows = [reproduce_row(e) for e in loaded.entries]
    signature = build_signature([OLD, NEW], loaded, count="encode_ordinary")
    return rows, signature


def reproduce(corpus: str | Corpus = DEFAULT_CORPUS) -> pd.DataFrame:
    """The reproduction table as a DataFrame, one row per language in published order.

    Columns are ``COLUMNS``; ``df.attrs["signature"]`` holds the ``Signature``.

    Raises ``ParameterError`` (an ``InputError``) for
    a ``corpus`` that is neither a corpus name nor a ``Corpus``,
    ``UnknownNameError`` for an unknown name and
    ``InputError`` for a corpus that carries no published figures.
    """
    if not isinstance(corpus, str | Corpus):
        raise ParameterError("corpus", f"corpus must be a corpus name (a str) or a Corpus, not {shown(corpus)}")
    import pandas as pd

    rows, signature = reproduce_rows(corpus)
    df = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("displayed_cl100k", "displayed_o200k"):
        df[col] = df[col].astype("Int64")
    df.attrs["signature"] = signature
    return df
