"""Mistral chat framing: ``mistral-common``'s ``encode_chat_completion``, Mistral AI's own library.

Mistral's framing differs by tokenizer version (``[INST]`` … ``[/INST]``; v3 puts the system
prompt into the last user message, v7 into ``[SYSTEM_PROMPT]`` … ``[/SYSTEM_PROMPT]``; tools in
``[AVAILABLE_TOOLS]``), so tokstats does not re-implement it: it builds mistral-common's
``ChatCompletionRequest`` from the messages and tools and counts the tokens
``encode_chat_completion`` returns. The instruct tokenizer is the one mistral-common maps the
model to (``MistralTokenizer.from_model``; tokstats builds it with the version constructors
``v1()``, ``v2()``, ``v3()``, ``v7()`` and ``v3(is_tekken=True)`` that mapping names, from the
model's named tokenizer ``mistral-v1`` … ``mistral-v7`` or ``tekken``). Texts are encoded as
text by mistral-common (``[INST]`` in a message is ordinary text). Needs the ``mistral`` extra.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from tokstats.errors import InputError, MissingDependencyError

#: tokstats' named Mistral tokenizer -> the mistral-common constructor of its instruct tokenizer.
CONSTRUCTORS = {
    "mistral-v1": ("v1", {}),
    "mistral-v2": ("v2", {}),
    "mistral-v3": ("v3", {}),
    "mistral-v7": ("v7", {}),
    "tekken": ("v3", {"is_tekken": True}),
}


@functools.cache
def instruct_tokenizer(name: str) -> Any:
    """mistral-common's ``MistralTokenizer`` for a named Mistral tokenizer (loaded once)."""
    try:
        from mistral_common.tokens.tokenizers.mistral import MistralTokenizer
    except ImportError:
        raise MissingDependencyError(
            "counting a Mistral chat needs the mistral-common library, which is not installed: "
            "pip install 'tokstats[mistral]'"
        ) from None
    method, kwargs = CONSTRUCTORS[name]
    return getattr(MistralTokenizer, method)(**kwargs)


def constructor_text(name: str) -> str:
    """``MistralTokenizer.v7()`` …: how the instruct tokenizer of ``name`` is built."""
    method, kwargs = CONSTRUCTORS[name]
    return f"MistralTokenizer.{method}({', '.join(f'{k}={v}' for k, v in kwargs.items())})"


#: The fields of mistral-common's messages, by role; other fields (``name`` on a user message,
#: ``reasoning_content`` …) are not part of Mistral's prompt and are dropped.
FIELDS = {
    "system": ("role", "content"),
    "user": ("role", "content"),
    "assistant": ("role", "content", "tool_calls", "prefix"),
    "tool": ("role", "content", "tool_call_id", "name"),
}


def _mistral_message(message: Mapping[str, Any]) -> dict[str, Any]:
    fields = FIELDS.get(str(message.get("role")))
    return dict(message) if fields is None else {k: v for k, v in message.items() if k in fields}


def count_mistral(
    messages: Sequence[Mapping[str, Any]], tools: list[Mapping[str, Any]] | None, name: str, model: str
) -> int:
    """Prompt tokens of ``messages`` (and ``tools``) as mistral-common encodes the chat for
    ``model`` with tokenizer ``name``; one-line ``InputError`` for what it refuses."""
    from pydantic import ValidationError

    tokenizer = instruct_tokenizer(name)
    from mistral_common.exceptions import MistralCommonException
    from mistral_common.protocol.instruct.request import ChatCompletionRequest

    try:
        request: Any = ChatCompletionRequest.model_validate(
            {"messages": [_mistral_message(m) for m in messages], "tools": tools or None}
        )
        return len(tokenizer.encode_chat_completion(request).tokens)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        raise InputError(f"{model}: mistral-common refuses the chat: {where}: {first.get('msg')}") from None
    except (MistralCommonException, ValueError, TypeError, KeyError) as e:
        text = " ".join(str(e).split()) or type(e).__name__
        raise InputError(f"{model}: mistral-common refuses the chat: {text}") from None
