"""Tokenizers of every kind behind one interface (see :mod:`tokstats.tokenizers.base`)."""

from tokstats.tokenizers.base import Tokenizer, TokenizerInfo
from tokstats.tokenizers.registry import get_tokenizer

__all__ = ["Tokenizer", "TokenizerInfo", "get_tokenizer"]
