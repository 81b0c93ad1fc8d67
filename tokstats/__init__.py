"""tokstats: how efficiently tokenizers turn text into tokens, language by language.

This is the public API; everything else is private. Names are imported on first use (PEP 562),
so ``import tokstats`` — and ``tokstats count`` — stay as cheap as importing tiktoken.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from tokstats._version import __version__

#: Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    "Corpus": "tokstats.corpus",
    "list_corpora": "tokstats.corpus",
    "load_corpus": "tokstats.corpus",
    "encoding_for_model": "tokstats.encodings",
    "get_encoding": "tokstats.encodings",
    "list_encodings": "tokstats.encodings",
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
    "count": "tokstats.counting",
    "count_file": "tokstats.counting",
    "reproduce": "tokstats.reproduction",
    "compare": "tokstats.comparison",
    "pretokens": "tokstats.pretokenizer",
    "Piece": "tokstats.splitview",
    "bracketed": "tokstats.splitview",
    "split_view": "tokstats.splitview",
    "forecast": "tokstats.forecast",
    "forecast_language_mix": "tokstats.forecast",
    "count_message_tokens": "tokstats.messages",
    "count_tool_tokens": "tokstats.messages",
    "load_prices": "tokstats.prices",
    "Signature": "tokstats.signature",
    "build_signature": "tokstats.signature",
    "Tokenizer": "tokstats.tokenizers",
    "TokenizerInfo": "tokstats.tokenizers",
    "get_tokenizer": "tokstats.tokenizers",
    "TokenizerError": "tokstats.errors",
    "UnknownTokenizerError": "tokstats.errors",
    "compare_with_studies": "tokstats.studies",
    "load_studies": "tokstats.studies",
    "studies_summary": "tokstats.studies",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'tokstats' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:
    from tokstats.comparison import compare
    from tokstats.corpus import Corpus, list_corpora, load_corpus
    from tokstats.counting import count, count_file
    from tokstats.encodings import encoding_for_model, get_encoding, list_encodings
    from tokstats.errors import (
        EncodingUnavailableError,
        InputError,
        OutputError,
        RankFileError,
        RankFileHashError,
        TokenizerError,
        TokstatsError,
        UnknownEncodingError,
        UnknownModelError,
        UnknownNameError,
        UnknownTokenizerError,
        UsageError,
    )
    from tokstats.forecast import forecast, forecast_language_mix
    from tokstats.messages import count_message_tokens, count_tool_tokens
    from tokstats.pretokenizer import pretokens
    from tokstats.prices import load_prices
    from tokstats.reproduction import reproduce
    from tokstats.signature import Signature, build_signature
    from tokstats.splitview import Piece, bracketed, split_view
    from tokstats.tokenizers import Tokenizer, TokenizerInfo, get_tokenizer
    from tokstats.studies import compare_with_studies, load_studies, studies_summary
