"""Which tokenizer serves each language best, who pays most, and one parity figure per tokenizer.

All three views are read off the rows of one ``compare_rows`` run on a corpus (one row per
language), so they agree with ``tokstats compare`` number for number:

* **by language** (``rank_rows``): for each language, the tokenizers ordered by tokens, fewest
  first (ties keep the order the tokenizers were given), ``rank`` 1..n, with each one's premium
  over the reference language and its bootstrap interval;
* **by premium** (``premium_rows``): for one tokenizer, the languages ordered by premium, highest
  first (the "who pays most" list), ``rank`` 1..n;
* **summary** (``parity_rows``): per tokenizer, over the chosen languages other than the
  reference, the Gini coefficient of the premiums and the share of languages within 1.2× of the
  reference (``tokstats.comparison._metrics.gini``, ``parity_share``).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tokstats._api import check_choice, check_int, check_specs, check_str
from tokstats.comparison import _metrics as m
from tokstats.comparison._bootstrap import BootstrapConfig
from tokstats.comparison._compare import DEFAULT_ENCODINGS, DEFAULT_REFERENCE, Comparison, compare_rows
from tokstats.defaults import RESAMPLES_RANGE, SEED_RANGE
from tokstats.errors import UnknownNameError
from tokstats.sources._corpus import Corpus
from tokstats.tokenizers._registry import TokenizerLike

if TYPE_CHECKING:
    import pandas as pd

VIEWS = ("language", "premium", "summary")

RANK_COLUMNS = [
    "language",
    "code",
    "tokenizer",
    "rank",
    "tokens",
    "premium",
    "premium_ci_low",
    "premium_ci_high",
    "bytes_per_token",
    "renyi_efficiency",
    "tokens_vs_best",
    "script",
    "family",
]
SUMMARY_COLUMNS = [
    "tokenizer",
    "languages",
    "gini",
    "within_1_2",
    "within_1_2_share",
    "median_premium",
    "max_premium",
    "max_premium_language",
    "best_for",
]


def _meta(comparison: Comparison, corpus_meta: dict[str, dict[str, Any]], row: dict[str, Any]) -> dict[str, Any]:
    info = corpus_meta.get(row["source"], {})
    return {
        "language": row["language"] or row["source"],
        "code": row["source"],
        "script": info.get("script"),
        "family": info.get("family"),
    }


def _entry(row: dict[str, Any], name: str, base: dict[str, Any]) -> dict[str, Any]:
    return {
        **base,
        "tokenizer": name,
        "tokens": row["tokens"][name],
        "premium": row["premium"][name],
        "premium_ci_low": row["premium_ci_low"][name],
        "premium_ci_high": row["premium_ci_high"][name],
        "bytes_per_token": row["bytes_per_token"][name],
        "renyi_efficiency": row["renyi_efficiency"][name],
    }


def rank_rows(comparison: Comparison, languages_meta: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """For each language (in the comparison's order), its tokenizers by tokens, fewest first."""
    meta = {str(x.get("code")): x for x in languages_meta}
    out: list[dict[str, Any]] = []
    for row in comparison.rows:
        base = _meta(comparison, meta, row)
        order = sorted(range(len(comparison.encodings)), key=lambda i: (row["tokens"][comparison.encodings[i]], i))
        best = row["tokens"][comparison.encodings[order[0]]]
        for rank, i in enumerate(order, 1):
            e = _entry(row, comparison.encodings[i], base)
            e["rank"] = rank
            e["tokens_vs_best"] = m._div(e["tokens"], best)
            out.append({k: e.get(k) for k in RANK_COLUMNS})
    return out


def premium_rows(
    comparison: Comparison, tokenizer: str, languages_meta: Sequence[dict[str, Any]] = ()
) -> list[dict[str, Any]]:
    """For ``tokenizer``, every language by premium, highest first (no premium: last)."""
    if tokenizer not in comparison.encodings:
        raise UnknownNameError("tokenizer of this ranking", tokenizer, comparison.encodings)
    meta = {str(x.get("code")): x for x in languages_meta}
    rows = [_entry(r, tokenizer, _meta(comparison, meta, r)) for r in comparison.rows]
    rows.sort(key=lambda e: (e["premium"] is None, -(e["premium"] or 0.0)))
    out = []
    for rank, e in enumerate(rows, 1):
        e["rank"] = rank
        e["tokens_vs_best"] = None
        out.append({k: e.get(k) for k in RANK_COLUMNS})
    return out


def parity_rows(
    comparison: Comparison, reference: str = DEFAULT_REFERENCE, threshold: float = m.PARITY_THRESHOLD
) -> list[dict[str, Any]]:
    """Per tokenizer: Gini of the premiums of the languages other than ``reference``, the share
    within ``threshold``× of it, the median and largest premium, and how many languages it serves
    best (fewest tokens among the tokenizers compared)."""
    best: dict[str, int] = dict.fromkeys(comparison.encodings, 0)
    for row in comparison.rows:
        winner = min(comparison.encodings, key=lambda n: (row["tokens"][n], comparison.encodings.index(n)))
        best[winner] += 1
    out = []
    for name in comparison.encodings:
        pairs = [
            (r["premium"][name], r["language"] or r["source"])
            for r in comparison.rows
            if r["source"] != reference and r["premium"][name] is not None
        ]
        values = [p for p, _ in pairs]
        top = max(pairs, default=(None, None))
        out.append(
            {
                "tokenizer": name,
                "languages": len(values),
                "gini": m.gini(values),
                "within_1_2": sum(1 for v in values if v <= threshold),
                "within_1_2_share": m.parity_share(values, threshold),
                "median_premium": statistics.median(values) if values else None,
                "max_premium": top[0],
                "max_premium_language": top[1],
                "best_for": best[name],
            }
        )
    return out


def rank(
    *,
    tokenizers: Sequence[TokenizerLike] = DEFAULT_ENCODINGS,
    languages: str | Sequence[str] | None = None,
    script: str | None = None,
    family: str | None = None,
    by: str = "language",
    tokenizer: str | None = None,
    reference: str = DEFAULT_REFERENCE,
    corpus: str | Corpus | None = None,
    resamples: int = BootstrapConfig.resamples,
    seed: int = BootstrapConfig.seed,
) -> pd.DataFrame:
    """The best tokenizer for each language: a DataFrame, signature in ``attrs["signature"]``.

    ``by="language"``: per language, ``tokenizers`` ordered by tokens (fewest first), ``rank``
    1..n, premium vs ``reference`` with its 95% bootstrap interval. ``by="premium"``: for
    ``tokenizer`` (default: the first), languages ordered by premium, highest first ("who pays
    most"). ``by="summary"``: per tokenizer, the Gini coefficient of its premiums and the share of
    languages within 1.2× of the reference. Languages as in ``compare`` (``languages``,
    ``script``, ``family``; default: the corpus' default set).

    Raises ``ParameterError`` for a value of the wrong type or out of range, ``UnknownNameError``
    for an unknown tokenizer, view, corpus or language.
    """
    import pandas as pd

    tokenizers = check_specs("tokenizers", tokenizers)
    check_choice("by", by, VIEWS)
    check_str("tokenizer", tokenizer, what="a tokenizer name (a non-empty str)", none=True)
    check_str("reference", reference, what="a language code (a non-empty str)")
    check_int("resamples", resamples, RESAMPLES_RANGE)
    check_int("seed", seed, SEED_RANGE)
    result, meta = ranking(
        tokenizers, languages=languages, script=script, family=family, reference=reference, corpus=corpus,
        config=BootstrapConfig(resamples=resamples, seed=seed), words=False,
    )  # fmt: skip
    rows, columns = view_rows(result, meta, by, tokenizer, reference)
    df = pd.DataFrame(rows, columns=columns)
    df.attrs["signature"] = result.signature
    return df


def ranking(
    tokenizers: Sequence[TokenizerLike],
    *,
    reference: str = DEFAULT_REFERENCE,
    corpus: str | Corpus | None = None,
    config: BootstrapConfig = BootstrapConfig(),
    measure: Any = None,
    **kwargs: Any,
) -> tuple[Comparison, list[dict[str, Any]]]:
    """The comparison a ranking is read from (``compare_rows`` on a corpus, by language, or
    ``measure``, e.g. the same on a Dask cluster), and the corpus' language metadata."""
    from tokstats.sources._corpus import load_corpus

    loaded = corpus if isinstance(corpus, Corpus) else load_corpus(corpus or "udhr")
    result = (measure or compare_rows)(
        None, tokenizers=tokenizers, by="language", reference=reference, corpus=loaded, config=config, **kwargs
    )
    return result, list(loaded.meta.get("languages") or [])


def view_rows(
    result: Comparison, meta: Sequence[dict[str, Any]], by: str, tokenizer: str | None, reference: str
) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows and columns of one view of a ranking."""
    if by == "summary":
        return parity_rows(result, reference), list(SUMMARY_COLUMNS)
    if by == "premium":
        return premium_rows(result, tokenizer or result.encodings[0], meta), list(RANK_COLUMNS)
    return rank_rows(result, meta), list(RANK_COLUMNS)
