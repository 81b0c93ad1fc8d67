"""tokstats: how efficiently tokenizers turn text into tokens, language by language.

This is the public API; everything else is private. Names are imported on first use (PEP 562),
so ``import tokstats`` — and ``tokstats count`` — stay as cheap as importing tiktoken.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tokstats._api import lazy_exports
from tokstats._version import __version__

#: Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    "Corpus": "tokstats.sources._corpus",
    "list_corpora": "tokstats.sources._corpus",
    "load_corpus": "tokstats.sources._corpus",
    "encoding_for_model": "tokstats.tokenizers._encodings",
    "get_encoding": "tokstats.tokenizers._encodings",
    "list_encodings": "tokstats.tokenizers._encodings",
    "EncodingUnavailableError": "tokstats.errors",
    "InputError": "tokstats.errors",
    "OutputError": "tokstats.errors",
    "RankFileError": "tokstats.errors",
    "RankFileHashError": "tokstats.errors",
    "TokstatsError": "tokstats.errors",
    "UnknownEncodingError": "tokstats.errors",
    "UnknownModelError": "tokstats.errors",
    "UnknownNameError": "tokstats.errors",
    "UsageError": "tokstats.errors",
    "count": "tokstats.counting._count",
    "count_file": "tokstats.counting._count",
    "reproduce": "tokstats.comparison._reproduction",
    "compare": "tokstats.comparison._compare",
    "pretokens": "tokstats.tokenizers._pretokens",
    "Piece": "tokstats.tokenizers._splitview",
    "bracketed": "tokstats.tokenizers._splitview",
    "split_view": "tokstats.tokenizers._splitview",
    "forecast": "tokstats.cost._forecast",
    "forecast_language_mix": "tokstats.cost._forecast",
    "count_message_tokens": "tokstats.cost._messages",
    "count_tool_tokens": "tokstats.cost._messages",
    "rules_for_model": "tokstats.cost._messages",
    "load_prices": "tokstats.cost._prices",
    "Signature": "tokstats.output._signature",
    "build_signature": "tokstats.output._signature",
    "Tokenizer": "tokstats.tokenizers",
    "TokenizerInfo": "tokstats.tokenizers",
    "get_tokenizer": "tokstats.tokenizers",
    "list_tokenizers": "tokstats.tokenizers",
    "tokenizer_for_model": "tokstats.tokenizers",
    "MissingDependencyError": "tokstats.errors",
    "ParameterError": "tokstats.errors",
    "TokenizerError": "tokstats.errors",
    "UnknownTokenizerError": "tokstats.errors",
    "UnknownChatFramingError": "tokstats.errors",
    "compare_with_studies": "tokstats.comparison._studies",
    "load_studies": "tokstats.comparison._studies",
    "studies_summary": "tokstats.comparison._studies",
    "rank": "tokstats.comparison._rank",
    "vocabulary_summary": "tokstats.comparison._vocab_stats",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


#: Capability folders, importable as attributes after ``import tokstats`` (``tokstats.plots``).
_SUBPACKAGES = (
    "comparison",
    "cost",
    "counting",
    "output",
    "plots",
    "report",
    "scale",
    "serve",
    "sources",
    "tokenizers",
)

__getattr__, __dir__ = lazy_exports(globals(), _EXPORTS, _SUBPACKAGES)


if TYPE_CHECKING:
    from tokstats.comparison._compare import compare
    from tokstats.comparison._rank import rank
    from tokstats.comparison._reproduction import reproduce
    from tokstats.comparison._studies import (
        compare_with_studies,
        load_studies,
        studies_summary,
    )
    from tokstats.comparison._vocab_stats import vocabulary_summary
    from tokstats.cost._forecast import forecast, forecast_language_mix
    from tokstats.cost._messages import count_message_tokens, count_tool_tokens, rules_for_model
    from tokstats.cost._prices import load_prices
    from tokstats.counting._count import count, count_file
    from tokstats.errors import (
        EncodingUnavailableError,
        InputError,
        MissingDependencyError,
        OutputError,
        ParameterError,
        RankFileError,
        RankFileHashError,
        TokenizerError,
        TokstatsError,
        UnknownChatFramingError,
        UnknownEncodingError,
        UnknownModelError,
        UnknownNameError,
        UnknownTokenizerError,
        UsageError,
    )
    from tokstats.output._signature import Signature, build_signature
    from tokstats.sources._corpus import Corpus, list_corpora, load_corpus
    from tokstats.tokenizers import Tokenizer, TokenizerInfo, get_tokenizer, list_tokenizers, tokenizer_for_model
    from tokstats.tokenizers._encodings import (
        encoding_for_model,
        get_encoding,
        list_encodings,
    )
    from tokstats.tokenizers._pretokens import pretokens
    from tokstats.tokenizers._splitview import Piece, bracketed, split_view
