"""Comparing tokenizers on a corpus: metrics, intervals, words, published studies, reproduction.

``._compare`` measures every document and aggregates per language or file with bootstrap
intervals (``._bootstrap``); the metrics are defined once in ``._metrics``; words come from
``._words``, ``._segmenters`` and ``._isolated``; ``._studies`` sets published
FLORES-200 premiums beside tokstats' own; ``._reproduction`` rebuilds the GPT-4o launch table;
``._rank`` orders tokenizers per language and languages per premium; ``._vocabulary`` lists a
tokenizer's ordinary tokens and ``._vocab_stats`` describes vocabularies; ``._token_tables``
looks per-token facts up in arrays for the metrics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tokstats._api import lazy_exports

_EXPORTS: dict[str, str] = {
    "DEFAULT_CORPUS": "tokstats.comparison._compare",
    "compare": "tokstats.comparison._compare",
    "compare_rows": "tokstats.comparison._compare",
    "corpus_documents": "tokstats.comparison._compare",
    "rank": "tokstats.comparison._rank",
    "vocabulary_summary": "tokstats.comparison._vocab_stats",
    "reproduce": "tokstats.comparison._reproduction",
    "reproduce_rows": "tokstats.comparison._reproduction",
    "compare_with_studies": "tokstats.comparison._studies",
    "compare_with_studies_rows": "tokstats.comparison._studies",
    "load_studies": "tokstats.comparison._studies",
    "studies_summary": "tokstats.comparison._studies",
    "summary_rows": "tokstats.comparison._studies",
    "BootstrapConfig": "tokstats.comparison._bootstrap",
    "ratio_ci": "tokstats.comparison._bootstrap",
    "split_words": "tokstats.comparison._words",
    "tokens_per_sentence": "tokstats.comparison._per_sentence",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(globals(), _EXPORTS)

if TYPE_CHECKING:
    from tokstats.comparison._bootstrap import BootstrapConfig, ratio_ci
    from tokstats.comparison._compare import (
        DEFAULT_CORPUS,
        compare,
        compare_rows,
        corpus_documents,
    )
    from tokstats.comparison._per_sentence import tokens_per_sentence
    from tokstats.comparison._rank import rank
    from tokstats.comparison._reproduction import reproduce, reproduce_rows
    from tokstats.comparison._studies import (
        compare_with_studies,
        compare_with_studies_rows,
        load_studies,
        studies_summary,
        summary_rows,
    )
    from tokstats.comparison._vocab_stats import vocabulary_summary
    from tokstats.comparison._words import split_words
