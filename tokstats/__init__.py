"""tokstats: how efficiently tokenizers turn text into tokens, language by language.

This is the public API; everything else is private.
"""

from tokstats._version import __version__
from tokstats.comparison import compare
from tokstats.corpus import Corpus, list_corpora, load_corpus
from tokstats.encodings import encoding_for_model, get_encoding, list_encodings
from tokstats.errors import (
    EncodingUnavailableError,
    InputError,
    RankFileError,
    RankFileHashError,
    TokstatsError,
    UnknownEncodingError,
    UnknownModelError,
    UnknownNameError,
)
from tokstats.forecast import forecast, forecast_language_mix
from tokstats.messages import count_message_tokens, count_tool_tokens
from tokstats.prices import load_prices
from tokstats.pretokens import pretokens
from tokstats.reproduction import reproduce
from tokstats.signature import Signature, build_signature
from tokstats.splitview import Piece, bracketed, split_view

__all__ = [
    "Corpus",
    "Piece",
    "EncodingUnavailableError",
    "InputError",
    "RankFileError",
    "RankFileHashError",
    "Signature",
    "TokstatsError",
    "UnknownEncodingError",
    "UnknownModelError",
    "UnknownNameError",
    "__version__",
    "bracketed",
    "build_signature",
    "compare",
    "count_message_tokens",
    "count_tool_tokens",
    "encoding_for_model",
    "forecast",
    "forecast_language_mix",
    "get_encoding",
    "list_corpora",
    "list_encodings",
    "load_corpus",
    "load_prices",
    "pretokens",
    "reproduce",
    "split_view",
]
