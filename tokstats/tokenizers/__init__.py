"""Text to tokens, every kind behind one interface: ``Tokenizer``.

A spec (``o200k_base``, ``llama3``, ``hf:PATH``, ``sp:PATH``, a model name through
``tokenizer_for_model``) becomes one ``Tokenizer`` here (``._registry``); what differs
between kinds (how a run is counted and by which backend, where long text may be cut, the bytes
of a token) is a method of it. Inside: OpenAI's encodings and their shipped rank files
(``._encodings``), the tiktoken and quicktok backends (``._backends``), cut rules
(``._chunking``), pre-tokens and the split view, the Hugging Face and SentencePiece kinds, and
the named tokenizers of model families, one module each (``.families``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tokstats._api import lazy_exports

_EXPORTS: dict[str, str] = {
    "Tokenizer": "tokstats.tokenizers._base",
    "TokenizerInfo": "tokstats.tokenizers._base",
    "TokenizerLike": "tokstats.tokenizers._registry",
    "as_tokenizer": "tokstats.tokenizers._registry",
    "get_tokenizer": "tokstats.tokenizers._registry",
    "list_tokenizers": "tokstats.tokenizers._registry",
    "named_tokenizers": "tokstats.tokenizers._registry",
    "spec_for_model": "tokstats.tokenizers._registry",
    "tokenizer_for_model": "tokstats.tokenizers._registry",
    "NamedTokenizer": "tokstats.tokenizers._named",
    "get_encoding": "tokstats.tokenizers._encodings",
    "encoding_for_model": "tokstats.tokenizers._encodings",
    "list_encodings": "tokstats.tokenizers._encodings",
    "CutRule": "tokstats.tokenizers._chunking",
    "pretokens": "tokstats.tokenizers._pretokens",
    "Piece": "tokstats.tokenizers._splitview",
    "bracketed": "tokstats.tokenizers._splitview",
    "split_view": "tokstats.tokenizers._splitview",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(globals(), _EXPORTS)

if TYPE_CHECKING:
    from tokstats.tokenizers._base import Tokenizer, TokenizerInfo
    from tokstats.tokenizers._chunking import CutRule
    from tokstats.tokenizers._encodings import encoding_for_model, get_encoding, list_encodings
    from tokstats.tokenizers._named import NamedTokenizer
    from tokstats.tokenizers._pretokens import pretokens
    from tokstats.tokenizers._registry import (
        TokenizerLike,
        as_tokenizer,
        get_tokenizer,
        list_tokenizers,
        named_tokenizers,
        spec_for_model,
        tokenizer_for_model,
    )
    from tokstats.tokenizers._splitview import Piece, bracketed, split_view
