"""Tokenizer specs: the one syntax every command and API function accepts.

- a tiktoken encoding name: ``cl100k_base``, ``o200k_base``, ``o200k_harmony`` …;
- ``hf:PATH``: a local Hugging Face ``tokenizer.json`` (or a folder holding one);
- ``sp:PATH``: a local SentencePiece ``.model``;
- a named tokenizer of a model family (``llama3``, ``qwen``, ``mistral-v3`` …), loaded offline
  from the file its publisher ships in a PyPI wheel and verified by sha256.

A new kind is one module in this package plus one line in ``PREFIXES`` (``"module:function"``,
imported only when the spec is used, so an optional library such as ``tokenizers`` is imported
only by the specs that need it). A new named tokenizer is one module in
``tokstats.tokenizers.families`` declaring ``TOKENIZERS`` (``NamedTokenizer`` records);
the registry finds them there.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import threading
from collections.abc import Callable, Sequence
from typing import cast

import tiktoken

from tokstats._api import check_str
from tokstats.errors import (
    InputError,
    MissingDependencyError,
    TokstatsError,
    UnknownModelError,
    UnknownTokenizerError,
)
from tokstats.tokenizers import families
from tokstats.tokenizers._backends import register_quicktok
from tokstats.tokenizers._base import Tokenizer
from tokstats.tokenizers._encodings import encoding_name_for_model, is_verified_encoding, known_models, list_encodings
from tokstats.tokenizers._named import NamedTokenizer
from tokstats.tokenizers._tiktoken_kind import from_encoding
from tokstats.tokenizers._tiktoken_kind import load as load_encoding

#: ``prefix:`` -> loader taking the rest of the spec (a path).
PREFIXES: dict[str, str] = {
    "hf": "tokstats.tokenizers._huggingface:load",
    "sp": "tokstats.tokenizers._sentencepiece_kind:load",
}

#: Model name -> tokenizer spec, for ``--model`` (an extension point: entries here win). Other
#: names go to the families' own model lists, then to tiktoken's model map (``gpt-4o``).
MODELS: dict[str, str] = {}

_lock = threading.RLock()
_loaded: dict[str, Tokenizer] = {}
_named: dict[str, NamedTokenizer] | None = None


def _loader(ref: str) -> Callable[[str], Tokenizer]:
    module, _, function = ref.partition(":")
    return cast(Callable[[str], Tokenizer], getattr(importlib.import_module(module), function))


def named_tokenizers() -> dict[str, NamedTokenizer]:
    """Every named tokenizer the modules of ``tokstats.tokenizers.families`` declare, by name
    (found on first use; those quicktok also holds are registered with it then)."""
    global _named
    with _lock:
        if _named is None:
            found: dict[str, NamedTokenizer] = {}
            for module_info in pkgutil.iter_modules(families.__path__):
                module = importlib.import_module(f"{families.__name__}.{module_info.name}")
                for named in getattr(module, "TOKENIZERS", ()):
                    found[named.name] = named
                    if named.quicktok is not None:
                        register_quicktok(named.name, named.quicktok)
            _named = found
        return _named


def _load(spec: str) -> Tokenizer:
    prefix, sep, rest = spec.partition(":")
    named = named_tokenizers()
    if sep and prefix in PREFIXES:
        return _loader(PREFIXES[prefix])(rest)
    if spec in named:
        return named[spec].load(spec)
    if sep or spec not in list_encodings():
        raise UnknownTokenizerError(spec, known_specs(), PREFIXES, "" if sep else suggest_for(spec))
    return load_encoding(spec)


def suggest_for(spec: str) -> str:
    """What to add to "unknown tokenizer SPEC": for a model name, ``--model`` and the tokenizer
    it uses (``gpt-4o`` -> o200k_base); else the closest tokenizer and model names, if any are
    close (``o200k`` -> o200k_base, ``gpt4o`` -> ``--model gpt-4o``); else ``""``."""
    import difflib

    try:
        return f"; {spec!r} is a model, not a tokenizer: give --model {spec} (it uses {spec_for_model(spec)})"
    except TokstatsError:
        pass
    specs = known_specs()
    models = {*(m for m in known_models() if "*" not in m), *MODELS}
    models |= {m for tok in named_tokenizers().values() for m in tok.models}
    models -= set(specs)
    by_lower = {name.lower(): name for name in [*sorted(models), *specs]}  # a tokenizer wins
    close = [by_lower[m] for m in difflib.get_close_matches(spec.lower(), by_lower, n=3, cutoff=0.6)]
    if not close:
        return ""
    return "; did you mean " + " or ".join(name if name in specs else f"--model {name}" for name in close) + "?"


def get_tokenizer(spec: str) -> Tokenizer:
    """The tokenizer a spec names, loaded once per process and shared (thread-safe).

    Raises ``ParameterError`` (an ``InputError``) for
    a ``spec`` that is not a non-empty str (or a Tokenizer, returned as is),
    ``UnknownTokenizerError`` for an unknown spec and
    ``TokenizerError`` for a tokenizer file that cannot be used.
    """
    if isinstance(spec, Tokenizer):
        return spec
    check_str("spec", spec, what="a tokenizer spec such as 'o200k_base' or 'hf:PATH' (a non-empty str)")
    with _lock:
        tok = _loaded.get(spec)
        if tok is None:
            tok = _loaded[spec] = _load(spec)
        return tok


#: What the API accepts wherever a tokenizer is meant: a spec, a loaded ``Tokenizer``, or
#: a ``tiktoken.Encoding`` (wrapped; kept for code written before there were other kinds).
#: Public functions turn it into a ``Tokenizer`` once, at entry (``as_tokenizer``);
#: everything below takes the resolved ``Tokenizer``.
TokenizerLike = str | tiktoken.Encoding | Tokenizer


def as_tokenizer(tokenizer: TokenizerLike) -> Tokenizer:
    """A ``Tokenizer`` from a spec, a ``Tokenizer`` or a ``tiktoken.Encoding``."""
    if isinstance(tokenizer, Tokenizer):
        return tokenizer
    if isinstance(tokenizer, str):
        return get_tokenizer(tokenizer)
    if isinstance(tokenizer, tiktoken.Encoding):
        if is_verified_encoding(tokenizer):  # the one tokstats built: its registered tokenizer
            return get_tokenizer(tokenizer.name)
        return from_encoding(tokenizer)
    raise InputError(f"expected a tokenizer spec, a Tokenizer or a tiktoken.Encoding, not {type(tokenizer).__name__}")


def as_tokenizers(tokenizers: Sequence[TokenizerLike]) -> list[Tokenizer]:
    """``as_tokenizer`` of each; when several need extras that are not installed, one
    ``MissingDependencyError`` names them all (``pip install 'tokstats[llama,mistral]'``), so a user
    installs once rather than once per run."""
    toks: list[Tokenizer] = []
    missing: list[tuple[str, MissingDependencyError]] = []
    for spec in tokenizers:
        try:
            toks.append(as_tokenizer(spec))
        except MissingDependencyError as e:
            missing.append((str(getattr(spec, "name", spec)), e))
    if len(missing) == 1:
        raise missing[0][1]
    if missing:
        extras = sorted({e.extra for _, e in missing if e.extra})
        if not extras or any(e.extra is None for _, e in missing):  # one we cannot name: each message
            raise MissingDependencyError("; ".join(str(e) for _, e in missing))
        names = ", ".join(repr(n) for n, _ in missing)
        raise MissingDependencyError(
            f"tokenizers {names} need packages that are not installed: pip install 'tokstats[{','.join(extras)}]'",
            ",".join(extras),
        )
    return toks


#: How hosts dress a model's name, undone by ``model_key`` (in order).
_HOST_NAME_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        # a provider (``groq:``, ``openai:``): tokstats' PROVIDER:MODEL names
        (r"^[a-z0-9_-]+:(?=[^:])", ""),
        # AWS Bedrock: a region scope and the maker (``us.meta.``), a version (``-v1:0``)
        (r"^(?:(?:global|us|eu|apac)\.)?(?:meta|mistral|openai|qwen|deepseek)\.", ""),
        (r"(?:-v?\d+)?:\d+$", ""),
        # OpenRouter's routing variants
        (r":(?:free|nitro|beta|extended|floor|thinking|online)$", ""),
        # Fireworks writes 3.1 as 3p1, OVHcloud as 3_1
        (r"(?<=\d)[p_](?=\d)", "."),
        (r"^llama-v(?=\d)", "llama-"),
        # Databricks' endpoint names
        (r"^databricks-", ""),
    )
)


def model_key(model: str) -> str:
    """A model name as its family declares it: lower case, without a ``provider:`` prefix, an
    ``org/`` or host path
    (``accounts/fireworks/models/``, ``@cf/meta/``), a Bedrock scope or version, or an
    OpenRouter variant; Fireworks' ``v3p1`` and OVHcloud's ``3_3`` read as ``3.1``, ``3.3``.
    ``meta.llama3-1-70b-instruct-v1:0`` -> ``llama3-1-70b-instruct``."""
    name = model.strip().lower()
    provider = _HOST_NAME_RULES[0][0]
    name = provider.sub("", name).rsplit("/", 1)[-1]
    for pattern, replacement in _HOST_NAME_RULES[1:]:
        name = pattern.sub(replacement, name)
    return name


def family_spec_for_model(model: str) -> str | None:
    """The named tokenizer of a model of the Llama, Qwen or Mistral family, or ``None``.

    Names are matched case-insensitively on their ``model_key`` (``org/`` and host
    decorations dropped: ``meta-llama/Llama-3.1-8B-Instruct`` -> ``llama-3.1-8b-instruct``);
    an exact model name wins, then the longest family prefix that the name equals or
    continues with ``-`` or ``.`` (``qwen3-8b``, ``llama-3.1-8b``), unless one of that family's
    ``model_excludes`` matches (``qwen3.5-9b`` is not ``qwen``).
    """
    named = named_tokenizers().values()
    for name in dict.fromkeys((model.strip().lower().rsplit("/", 1)[-1], model_key(model))):
        for tok in named:
            if name in tok.models:
                return tok.name
        prefixes = {p: tok for tok in named for p in tok.model_prefixes}
        for prefix in sorted(prefixes, key=len, reverse=True):
            if name == prefix or name.startswith((prefix + "-", prefix + ".")):
                tok = prefixes[prefix]
                if any(re.match(x, name) for x in tok.model_excludes):
                    return None
                return tok.name
    return None


def spec_for_model(model: str) -> str:
    """The tokenizer spec of a model: ``MODELS``, the families' model names
    (``family_spec_for_model``), then tiktoken's model map (the name as given, then its
    ``model_key``: ``openai/gpt-4o`` -> o200k_base, ``openai.gpt-oss-120b-1:0`` -> o200k_harmony).

    Raises ``UnknownModelError`` listing both when neither knows it.
    """
    if model in MODELS:
        return MODELS[model]
    family = family_spec_for_model(model)
    if family is not None:
        return family
    for name in dict.fromkeys((model, model_key(model))):
        try:
            return encoding_name_for_model(name)
        except UnknownModelError:
            pass
    raise UnknownModelError(model, [*known_models(), *MODELS]) from None


def known_specs() -> list[str]:
    """Every name a bare spec can be: tiktoken encodings and the named tokenizers."""
    return sorted({*list_encodings(), *named_tokenizers()})


def list_tokenizers() -> list[str]:
    """Every tokenizer tokstats can name without a file: tiktoken's encodings and the named
    tokenizers of model families (``hf:PATH`` and ``sp:PATH`` load any local file besides).

    Raises nothing of its own (it takes no parameters).
    """
    return known_specs()


def tokenizer_for_model(model: str) -> Tokenizer:
    """The tokenizer ``model`` uses (``gpt-4o``, ``meta-llama/Llama-3.1-8B-Instruct``,
    ``Qwen/Qwen3-8B``, ``mistral-large-2411`` …), loaded offline and verified.

    Raises ``UnknownModelError`` naming the known models when no family
    and not tiktoken's model map knows it, and ``ParameterError`` (an
    ``InputError``) for a ``model`` that is not a non-empty str.
    """
    check_str("model", model, what="a model name such as 'gpt-4o' (a non-empty str)")
    return get_tokenizer(spec_for_model(model))
