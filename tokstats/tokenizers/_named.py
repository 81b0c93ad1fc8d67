"""What a named tokenizer of a model family is, in one record: its file, its models, its fast path.

Each module of ``tokstats.tokenizers.families`` declares ``TOKENIZERS``, a tuple of
``NamedTokenizer``; the registry finds them there. Adding a family is one module: the
pinned file it is read from, the loader that builds it, the model names that use it, and, where
quicktok bundles the same vocabulary, how quicktok may count it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tokstats.tokenizers._backends import QuicktokVocabulary
from tokstats.tokenizers._base import Tokenizer
from tokstats.tokenizers._published import PublishedFile


@dataclass(frozen=True)
class NamedTokenizer:
    """One named tokenizer (``llama3``, ``qwen``, ``tekken`` …) and everything tokstats knows of it."""

    #: The spec users type.
    name: str
    #: Builds the tokenizer (given ``name``) from the verified file.
    load: Callable[[str], Tokenizer]
    #: The publisher's file it is read from, pinned by sha256.
    pin: PublishedFile
    #: Model-name prefixes that use it, lower case (``qwen2.5`` matches ``Qwen/Qwen2.5-7B``).
    model_prefixes: tuple[str, ...] = ()
    #: Exact model names that use it, lower case.
    models: tuple[str, ...] = ()
    #: Regular expressions (searched from the start of the name) of names that a prefix above
    #: matches but that use another tokenizer (``qwen3.5`` is not ``qwen3``'s vocabulary).
    model_excludes: tuple[str, ...] = ()
    #: quicktok's copy of the same vocabulary, or ``None``.
    quicktok: QuicktokVocabulary | None = None
