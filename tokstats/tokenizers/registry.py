"""Tokenizer specs: the one syntax every command and API function accepts.

- a tiktoken encoding name: ``cl100k_base``, ``o200k_base``, ``o200k_harmony`` …;
- ``hf:PATH``: a local Hugging Face ``tokenizer.json`` (or a folder holding one);
- ``sp:PATH``: a local SentencePiece ``.model``;
- a named tokenizer of a model family (``llama3``, ``qwen``, ``mistral-v3`` …), loaded offline
  from the file its publisher ships in a PyPI wheel and verified by sha256.

A new kind is one module in this package plus one line in :data:`PREFIXES` or :data:`NAMED`:
the value is ``"module:function"``, imported only when the spec is used, so an optional
library (``tokenizers``, ``sentencepiece``) is imported only by the specs that need it.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from typing import cast

from tokstats.tokenizers.base import Tokenizer

#: ``prefix:`` -> loader taking the rest of the spec (a path).
PREFIXES: dict[str, str] = {}

#: Named tokenizers of other model families -> loader taking the name.
NAMED: dict[str, str] = {
    # Model families, from their publishers' wheels (docs/model-families.md).
    "llama3": "tokstats.tokenizers.llama:load",
    "llama4": "tokstats.tokenizers.llama:load",
    "qwen": "tokstats.tokenizers.qwen:load",
    "mistral-v1": "tokstats.tokenizers.mistral:load_sentencepiece",
    "mistral-v2": "tokstats.tokenizers.mistral:load_sentencepiece",
    "mistral-v3": "tokstats.tokenizers.mistral:load_sentencepiece",
    "mistral-v7": "tokstats.tokenizers.mistral:load_sentencepiece",
    "tekken": "tokstats.tokenizers.mistral:load_tekken",
}

#: Loader for every other spec: tiktoken encoding names.
TIKTOKEN_LOADER = "tokstats.tokenizers.tiktoken_kind:load"

_lock = threading.RLock()
_loaded: dict[str, Tokenizer] = {}


def _loader(ref: str) -> Callable[[str], Tokenizer]:
    module, _, function = ref.partition(":")
    return cast(Callable[[str], Tokenizer], getattr(importlib.import_module(module), function))


def resolve(spec: str) -> tuple[str, str]:
    """(loader reference, argument) for a spec, without loading anything."""
    prefix, sep, rest = spec.partition(":")
    if sep and prefix in PREFIXES:
        return PREFIXES[prefix], rest
    if spec in NAMED:
        return NAMED[spec], spec
    return TIKTOKEN_LOADER, spec


def get_tokenizer(spec: str) -> Tokenizer:
    """The tokenizer a spec names, loaded once per process and shared (thread-safe)."""
    if not isinstance(spec, str):
        raise TypeError(f"tokenizer spec must be a str, not {type(spec).__name__}")
    with _lock:
        tok = _loaded.get(spec)
        if tok is None:
            ref, arg = resolve(spec)
            tok = _loaded[spec] = _loader(ref)(arg)
        return tok
