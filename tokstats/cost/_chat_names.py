"""Which chat framing a model name asks for: the family and version read from the name.

Hosts name one model many ways: ``groq:llama-3.3-70b-versatile``,
``together:meta-llama/Llama-3.3-70B-Instruct-Turbo``,
``fireworks:accounts/fireworks/models/llama-v3p3-70b-instruct``,
``aws:meta.llama3-3-70b-instruct-v1:0``, ``Qwen/Qwen3-235B-A22B``, ``mistral-large-2411``. A
``provider:`` prefix (a plain word before the first colon; ``ft:`` is OpenAI's fine-tune mark,
not a provider) and any ``org/`` path are dropped, the name is lower-cased, and Fireworks'
``3p1`` is read as ``3.1``. What remains picks the framing (``chat_framing``):

=========================================  ===========================================
name contains                              framing
=========================================  ===========================================
``deepseek-r1-distill-llama`` / ``-qwen``  ``deepseek-r1-distill-llama`` / ``-qwen``
``llama3`` / ``llama-3`` (no minor)        ``llama-3`` (Llama 3.0)
``llama-3.1`` / ``3.2`` / ``3.3``          ``llama-3.1`` / ``llama-3.2`` / ``llama-3.3``
``llama-3.2`` and ``vision``               ``llama-3.2-vision``
``llama-4`` / ``llama4``                   ``llama-4``
``qwq`` (not the 32B preview)              ``qwq``
``qwen1.5`` / ``qwen2`` / ``qwen2.5``      ``qwen1.5`` / ``qwen2`` / ``qwen2.5``
``qwen3`` / ``qwen-3`` (not Coder or VL)   ``qwen3`` (``qwen3-thinking-2507``)
mistral, mixtral, codestral, ministral …   ``mistral`` (mistral-common)
``gpt-oss``                                ``harmony``
=========================================  ===========================================

Anything else is left to OpenAI's rules (``None``). Versions with templates of their own that
tokstats has not checked (Llama 2, Qwen2.5-VL/-Math, QwQ-32B-Preview, Qwen3-Coder, Qwen3.5 …)
match no row and, not being OpenAI models either, are refused.
"""

from __future__ import annotations

import functools
import re

_PROVIDER = re.compile(r"([a-z0-9][a-z0-9_-]*):(?=.)", re.IGNORECASE)

#: Words that mark a Mistral AI model.
MISTRAL_WORDS = ("mistral", "mixtral", "codestral", "ministral", "pixtral", "magistral", "devstral", "mathstral")

_LLAMA = re.compile(r"llama[-_]?v?(\d)(?!\d)(?:[.\-_](\d)(?![\db]))?")  # "-8b" is a size, not a minor version
_QWEN_UNCHECKED = ("-vl", "-math", "-audio", "-omni", "qwen3-coder", "qwen3.5", "qwen3-next")


def split_provider(model: str) -> tuple[str | None, str]:
    """``("groq", "llama-3.3-70b-versatile")`` from ``groq:llama-3.3-70b-versatile``; the name
    alone when it has no provider prefix (``ft:…`` is an OpenAI fine-tune, not a provider)."""
    match = _PROVIDER.match(model)
    if match is None or match.group(1).lower() == "ft":
        return None, model
    return match.group(1), model[match.end() :]


def normalized(model: str) -> str:
    """The name that picks the framing: no provider, no ``org/`` path, lower case, ``3p1`` -> ``3.1``,
    Bedrock's ``meta.`` dropped."""
    name = split_provider(model.strip())[1].lower().rsplit("/", 1)[-1]
    name = re.sub(r"(?<=\d)p(?=\d)", ".", name)
    return name.removeprefix("meta.")


@functools.lru_cache(maxsize=4096)
def chat_framing(model: str) -> str | None:
    """The framing key of ``model`` (module docstring), or ``None`` for OpenAI's rules."""
    name = normalized(model)
    if "gpt-oss" in name:
        return "harmony"
    if "deepseek-r1-distill-llama" in name:
        return "deepseek-r1-distill-llama"
    if "deepseek-r1-distill-qwen" in name:
        return "deepseek-r1-distill-qwen"
    if any(word in name for word in MISTRAL_WORDS):
        return "mistral"
    if "qwq" in name:
        return None if "preview" in name else "qwq"
    if "qwen" in name:
        key = _qwen(name)
        return "qwen3-thinking-2507" if key == "qwen3" and "thinking-2507" in name else key
    match = _LLAMA.search(name)
    if match and "hermes" not in name and "guard" not in name:
        major, minor = match.group(1), match.group(2)
        if major == "3":
            if minor == "2" and "vision" in name:
                return "llama-3.2-vision"
            return "llama-3" if minor in (None, "0") else (f"llama-3.{minor}" if minor in "123" else None)
        if major == "4":
            return "llama-4"
    return None


def _qwen(name: str) -> str | None:
    if any(word in name for word in _QWEN_UNCHECKED):
        return None
    for version, key in (("1.5", "qwen1.5"), ("2.5", "qwen2.5"), ("3", "qwen3"), ("2", "qwen2")):
        if re.search(rf"qwen[-_]?{re.escape(version)}(?![.\d])", name):
            return key
    return None
