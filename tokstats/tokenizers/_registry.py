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
from typing import Any, cast

from tokstats.errors import InputError, UnknownEncodingError, UnknownModelError, UnknownTokenizerError
from tokstats.tokenizers._base import Tokenizer

#: ``prefix:`` -> loader taking the rest of the spec (a path).
PREFIXES: dict[str, str] = {
    "hf": "tokstats.tokenizers._huggingface:load",
    "sp": "tokstats.tokenizers._sentencepiece_kind:load",
}

#: Named tokenizers of other model families -> loader taking the name.
NAMED: dict[str, str] = {
    # Model families, from their publishers' wheels (docs/model-families.md).
    "llama3": "tokstats.tokenizers.families.llama:load",
    "llama4": "tokstats.tokenizers.families.llama:load",
    "qwen": "tokstats.tokenizers.families.qwen:load",
    "mistral-v1": "tokstats.tokenizers.families.mistral:load_sentencepiece",
    "mistral-v2": "tokstats.tokenizers.families.mistral:load_sentencepiece",
    "mistral-v3": "tokstats.tokenizers.families.mistral:load_sentencepiece",
    "mistral-v7": "tokstats.tokenizers.families.mistral:load_sentencepiece",
    "tekken": "tokstats.tokenizers.families.mistral:load_tekken",
}

#: Loader for every other spec: tiktoken encoding names.
TIKTOKEN_LOADER = "tokstats.tokenizers._tiktoken_kind:load"

#: Model name -> tokenizer spec, for ``--model`` (family modules add their models here).
#: Names not listed go to tiktoken's own model map (``gpt-4o`` -> ``o200k_base``).
MODELS: dict[str, str] = {}

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
    if sep and spec not in NAMED:
        raise UnknownTokenizerError(spec, known_specs(), PREFIXES)
    if spec in NAMED:
        return NAMED[spec], spec
    return TIKTOKEN_LOADER, spec


def get_tokenizer(spec: str) -> Tokenizer:
    """The tokenizer a spec names, loaded once per process and shared (thread-safe)."""
    if isinstance(spec, Tokenizer):
        return spec
    if not isinstance(spec, str):
        raise TypeError(f"tokenizer spec must be a str, not {type(spec).__name__}")
    with _lock:
        tok = _loaded.get(spec)
        if tok is None:
            ref, arg = resolve(spec)
            try:
                tok = _loaded[spec] = _loader(ref)(arg)
            except UnknownTokenizerError:
                raise
            except UnknownEncodingError:  # not a tiktoken name either: name every kind of spec
                if ref != TIKTOKEN_LOADER:
                    raise
                raise UnknownTokenizerError(spec, known_specs(), PREFIXES) from None
        return tok


#: What the API accepts wherever a tokenizer is meant: a spec, a loaded :class:`Tokenizer`, or
#: a ``tiktoken.Encoding`` (wrapped; kept for code written before there were other kinds).
TokenizerLike = Any


def as_tokenizer(tokenizer: TokenizerLike) -> Tokenizer:
    """A :class:`Tokenizer` from a spec, a :class:`Tokenizer` or a ``tiktoken.Encoding``."""
    if isinstance(tokenizer, Tokenizer):
        return tokenizer
    if isinstance(tokenizer, str):
        return get_tokenizer(tokenizer)
    if type(tokenizer).__module__.startswith("tiktoken"):
        from tokstats.tokenizers._tiktoken_kind import from_encoding

        return from_encoding(tokenizer)
    raise InputError(f"expected a tokenizer spec, a Tokenizer or a tiktoken.Encoding, not {type(tokenizer).__name__}")


def spec_for_model(model: str) -> str:
    """The tokenizer spec of a model: :data:`MODELS`, the Llama/Qwen/Mistral model names, then
    tiktoken's model map.

    Raises :class:`~tokstats.errors.UnknownModelError` listing both when neither knows it.
    """
    if model in MODELS:
        return MODELS[model]
    from tokstats.tokenizers._family_models import family_spec_for_model

    family = family_spec_for_model(model)
    if family is not None:
        return family
    from tokstats.tokenizers._encodings import encoding_name_for_model, known_models

    try:
        return encoding_name_for_model(model)
    except UnknownModelError:
        raise UnknownModelError(model, [*known_models(), *MODELS]) from None


def known_specs() -> list[str]:
    """Every name a bare spec can be: tiktoken encodings and the named tokenizers."""
    from tokstats.tokenizers._encodings import list_encodings

    return sorted({*list_encodings(), *NAMED})
