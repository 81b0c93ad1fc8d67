"""Tokenizers of every kind behind one interface (see :mod:`tokstats.tokenizers._base`)."""

from tokstats.tokenizers._base import Tokenizer, TokenizerInfo
from tokstats.tokenizers._registry import get_tokenizer

__all__ = ["Tokenizer", "TokenizerInfo", "get_tokenizer"]
