"""Counting the prompt tokens of a chat request: messages, their framing, tool definitions.

A chat request costs more than the tokens of its texts: each message is framed by special tokens,
the reply is primed, and tool definitions are written into the prompt. How depends on the model's
family, read from its name (``tokstats.cost._chat_names``; a ``provider:`` prefix and an ``org/``
path are allowed):

* **Llama 3.0-3.3 and 4, Qwen 1.5/2/2.5/3 and QwQ, DeepSeek-R1-Distill-Llama/-Qwen**: the prompt
  the model's published chat template renders (``tokstats.cost._templates``, which writes each
  template as code and is proved against the Jinja text in the tests). Llama 3.1-3.3's always
  opens with a system block holding "Cutting Knowledge Date: December 2023" and "Today Date"
  (``date=``, default ``26 Jul 2024`` as the template's own). Tools are framed as the template
  frames them; Llama 3.0, Qwen1.5/2 and the Distill templates have no place for tools, so tools
  for them are refused.
* **Mistral**: ``mistral-common``'s ``encode_chat_completion`` (``tokstats.cost._mistral_chat``),
  per tokenizer version, tools included.
* **gpt-oss** (encoding ``o200k_harmony``): OpenAI's harmony format as gpt-oss's published chat
  template writes it: a system message the template always adds (model identity, knowledge
  cutoff, "Current date", reasoning effort, channels), your first system or developer message as
  the developer's ``# Instructions``, ``<|start|>user<|message|>{content}<|end|>``, earlier replies
  on the ``final`` channel, then ``<|start|>assistant``; tool definitions are refused.
* **OpenAI chat models**: the cookbook "How to count tokens with tiktoken"
  (github.com/openai/openai-cookbook, examples/How_to_count_tokens_with_tiktoken.ipynb),
  sections 6 and 7:

  * gpt-3.5-turbo (0613 and later), gpt-4, gpt-4o, gpt-4o-mini: 3 tokens per message, 1 more
    for a ``name``, 3 for the reply priming.
  * gpt-3.5-turbo-0301: 4 per message, -1 for a ``name`` (the name replaces the role), 3 priming.
  * Tool (function) definitions: per function ``func_init`` + tokens of ``name:description``,
    then ``prop_init`` if it has properties, per property ``prop_key`` + tokens of
    ``name:type:description`` (+ ``enum_init`` and ``enum_item`` + tokens per enum value), and
    ``func_end`` once at the end. func_init is 7 for gpt-4o / gpt-4o-mini and 10 for
    gpt-3.5-turbo / gpt-4; the other constants are 3, 3, -3, 3, 12 for both. A trailing full
    stop of a description is dropped before counting, as the cookbook does.

  The cookbook does not cover the o-series, gpt-4.1, gpt-4.5 or gpt-5; for those (and any other
  o200k_base model) tokstats applies the gpt-4o rules and says so in ``MessageRules.basis``.
  OpenAI calls these counts estimates that may change from model to model.

A model of none of these families is refused with ``UnknownChatFramingError`` (one line naming
it). Only chat models take chat messages: completion, embedding, moderation, image and speech
models (``model_kind``) are refused with one line.

Texts are counted through the ``Tokenizer`` interface, resolved once at each public function's
entry: special-token strings in a message (``<|endoftext|>``, ``<|eot_id|>``, ``<|im_start|>``)
count as text, never as special tokens, and a long text (``LONG_TEXT``) is counted exactly in
chunks on all cores (``tokstats.counting._count.count``).
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tokstats._api import renamed
from tokstats.cost import _templates as templates
from tokstats.cost._chat_names import chat_framing, split_provider
from tokstats.cost._mistral_chat import CONSTRUCTORS, constructor_text, count_mistral
from tokstats.counting._count import count
from tokstats.errors import InputError, ParameterError, TokstatsError, UnknownChatFramingError, UnknownNameError
from tokstats.tokenizers._base import Tokenizer
from tokstats.tokenizers._encodings import encoding_name_for_model
from tokstats.tokenizers._registry import (
    TokenizerLike,
    as_tokenizer,
    get_tokenizer,
    spec_for_model,
    tokenizer_for_model,
)

COOKBOOK = "openai-cookbook How_to_count_tokens_with_tiktoken"

#: Kinds of model that take chat messages.
CHAT_KINDS = ("chat", "reasoning", "audio", "realtime")
_COMPLETION = re.compile(r"(ada|babbage|curie|davinci)(-\d+)?$|text-|.*-instruct")


def model_kind(model: str) -> str:
    """What a model does, from its name: ``chat``, ``reasoning``, ``audio``, ``realtime``,
    ``speech`` (transcription / text-to-speech), ``image``, ``embedding``, ``moderation`` or
    ``completion`` (the legacy completions API). A heuristic over OpenAI's naming."""
    framing = chat_framing(model)
    if framing in templates.TEMPLATES or framing == "mistral":
        reasoning = ("qwq", "deepseek-r1-distill-llama", "deepseek-r1-distill-qwen", "qwen3-thinking-2507")
        return "reasoning" if framing in reasoning or "magistral" in model.lower() else "chat"
    base = split_provider(model)[1].lower().removeprefix("ft:")
    if "embedding" in base:
        return "embedding"
    if "moderation" in base:
        return "moderation"
    if "image" in base:
        return "image"
    if any(word in base for word in ("transcribe", "whisper", "tts")):
        return "speech"
    if "realtime" in base or base.startswith("gpt-live"):
        return "realtime"
    if "audio" in base:
        return "audio"
    if _COMPLETION.match(base) and not base.startswith("text-embedding"):
        return "completion"
    if re.match(r"o\d", base) or base.startswith(("gpt-5", "gpt-6", "gpt-oss", "codex")) or "deep-research" in base:
        return "reasoning"
    return "chat"


def check_chat_model(model: str) -> None:
    """Raise ``InputError`` (one line) unless ``model`` takes chat messages."""
    kind = model_kind(model)
    if kind not in CHAT_KINDS:
        raise InputError(
            f"{model} is {'an' if kind[0] in 'aeiou' else 'a'} {kind} model, not a chat model: it takes no chat "
            "messages, so chat framing cannot be counted for it (count its text with `tokstats count`)"
        )


@dataclass(frozen=True)
class MessageRules:
    """How one model family frames chat messages and tool definitions, and where that is from."""

    family: str
    tokens_per_message: int
    tokens_per_name: int
    reply_priming: int
    func_init: int
    prop_init: int = 3
    prop_key: int = 3
    enum_init: int = -3
    enum_item: int = 3
    func_end: int = 12
    basis: str = COOKBOOK
    #: ``cookbook``, ``harmony``, ``mistral`` or a published template's key (``llama-3.3``, ``qwen3`` …).
    framing: str = "cookbook"
    #: The published chat template applied (its model on the Hugging Face Hub), if any.
    template: str | None = None
    #: The "Today Date" the template writes (Llama 3.1-3.3), if any.
    date: str | None = None
    #: The tokenizer family of the template, or the Mistral tokenizer mistral-common frames with.
    tokenizer: str | None = None


LEGACY_0301 = MessageRules("gpt-3.5-turbo-0301", 4, -1, 3, func_init=10)
GPT35_GPT4 = MessageRules("gpt-3.5-turbo/gpt-4", 3, 1, 3, func_init=10)
GPT4O = MessageRules("gpt-4o/gpt-4o-mini", 3, 1, 3, func_init=7)
ASSUMED_O200K = MessageRules(
    "o200k_base (assumed)",
    3,
    1,
    3,
    func_init=7,
    basis="assumed: gpt-4o rules (the cookbook does not cover this model)",
)
ASSUMED_CL100K = MessageRules(
    "cl100k_base (assumed)",
    3,
    1,
    3,
    func_init=10,
    basis="assumed: gpt-4 rules (the cookbook does not cover this model)",
)


def _harmony(date: Any = None) -> MessageRules:
    """gpt-oss's rules: the harmony format as its published chat template writes it."""
    return _template_rules("gpt-oss", _date_text(date, templates.TEMPLATES["gpt-oss"]))


def rules_for_model(
    model: str, encoding: str | None = None, *, tokenizer: TokenizerLike | None = None, date: Any = None
) -> MessageRules:
    """The chat framing of ``model``, read from its name (``tokstats.cost._chat_names``): a
    published chat template (Llama, Qwen, DeepSeek-R1-Distill), mistral-common (Mistral), harmony
    (gpt-oss) or OpenAI's cookbook rules. A ``provider:`` prefix and an ``org/`` path are allowed
    (``groq:llama-3.3-70b-versatile``, ``together:Qwen/Qwen3-235B-A22B``).

    ``encoding`` (or ``tokenizer``, a spec or a loaded tokenizer) is used for a name tiktoken
    cannot map and picks a Mistral model's tokenizer version; ``date`` is the "Today Date" of
    Llama 3.1-3.3's template (a ``datetime.date`` or a text such as ``"26 Jul 2024"``, the
    template's own default). ``MessageRules.basis`` names the template, its source and the date.

    Raises ``UnknownChatFramingError`` (an ``InputError``, one line naming the model) for a model
    whose framing is not known, ``InputError`` for a model that does not take chat messages.
    """
    if encoding is None and tokenizer is not None:
        encoding = tokenizer if isinstance(tokenizer, str) else as_tokenizer(tokenizer).name
    name = split_provider(model)[1]
    framing = chat_framing(model)
    if framing in templates.TEMPLATES:
        return _template_rules(framing, _date_text(date, templates.TEMPLATES[framing]))
    if framing == "mistral":
        return _mistral_rules(model, name, encoding)
    base = name.removeprefix("ft:")
    check_chat_model(name)
    if framing == "harmony":
        return _harmony(date)
    if encoding is None:
        try:
            encoding = encoding_name_for_model(name)
        except UnknownNameError:
            raise UnknownChatFramingError(model) from None
    if encoding == "o200k_harmony":
        return _harmony(date)
    if base in ("gpt-3.5-turbo-0301", "gpt-35-turbo-0301"):
        return LEGACY_0301
    if base.startswith(("gpt-3.5-turbo", "gpt-35-turbo")):
        return GPT35_GPT4
    if base.startswith("gpt-4o"):
        return GPT4O
    if base.startswith("gpt-4") and not base.startswith(("gpt-4.", "gpt-4o")) and encoding == "cl100k_base":
        return GPT35_GPT4
    if encoding == "o200k_base":
        return ASSUMED_O200K
    if encoding == "cl100k_base":
        return ASSUMED_CL100K
    raise UnknownChatFramingError(model, f"its tokenizer {encoding} is not one OpenAI's rules cover")


def _date_text(date: Any, template: templates.Template) -> str:
    """The date a template writes: its default, a ``datetime.date`` in the template's format, or a one-line text."""
    if date is None:
        return template.default_date
    if isinstance(date, datetime.date):
        return date.strftime(template.date_format)
    if isinstance(date, str) and date.strip() and "\n" not in date and "\r" not in date:
        return date
    raise ParameterError("date", f"date must be a datetime.date or a one-line text such as '26 Jul 2024', not {date!r}")


def _template_rules(framing: str, date: str) -> MessageRules:
    template = templates.TEMPLATES[framing]
    default = date == template.default_date
    if framing == "gpt-oss":
        basis = f"harmony format, as the published chat template of {template.published} writes it"
        basis += f"; Current date: {date}" + (" (assumed; every date costs the same)" if default else "")
    else:
        basis = f"published chat template of {template.published}"
        if template.dated:
            basis += f"; Today Date: {date}" + (" (the template's default)" if default else "")
    return MessageRules(
        "gpt-oss (harmony)" if framing == "gpt-oss" else framing,
        0,
        0,
        0,
        func_init=0,
        basis=basis,
        framing=framing,
        template=template.published,
        date=date if template.dated else None,
        tokenizer=template.tokenizer,
    )


HARMONY = _template_rules("gpt-oss", templates.TEMPLATES["gpt-oss"].default_date)


def _mistral_rules(model: str, name: str, encoding: str | None) -> MessageRules:
    """mistral-common's framing with the instruct tokenizer of the model's Mistral tokenizer."""
    spec = encoding if encoding in CONSTRUCTORS else None
    if spec is None:
        try:
            spec = spec_for_model(name)
        except TokstatsError:
            spec = None
    if spec not in CONSTRUCTORS:
        raise UnknownChatFramingError(model, "its Mistral tokenizer version is not known (name one with tokenizer=)")
    return MessageRules(
        "mistral",
        0,
        0,
        0,
        func_init=0,
        basis=f"mistral-common encode_chat_completion ({constructor_text(spec)}, tokenizer {spec})",
        framing="mistral",
        tokenizer=spec,
    )


_texts_of = templates.texts_of


def _check_model(model: Any, encoding: Any) -> None:
    """``InputError`` unless ``model`` is a non-empty name and ``encoding`` a name, a
    ``Tokenizer``, a ``tiktoken.Encoding`` or None."""
    if not isinstance(model, str) or not model.strip():
        raise ParameterError("model", f"model must be a model name such as 'gpt-4o', not {model!r}")
    tiktoken_object = type(encoding).__module__.startswith("tiktoken")
    if encoding is not None and not isinstance(encoding, (str, Tokenizer)) and not tiktoken_object:
        raise ParameterError(
            "tokenizer",
            f"tokenizer must be an encoding name such as 'o200k_base', a Tokenizer or None, not {encoding!r}",
        )


def _resolve(model: str, encoding: TokenizerLike | None, date: Any = None) -> tuple[MessageRules, Tokenizer]:
    """The rules and the tokenizer of a request to ``model``: ``encoding`` (a name or a tokenizer
    object), else the model's own (``tokenizer_for_model``; for a template family whose model
    tokstats' map does not name, the template's tokenizer family). The rules are checked before any
    vocabulary is loaded."""
    if encoding is not None and not isinstance(encoding, str):
        tok = as_tokenizer(encoding)
        return rules_for_model(model, tok.name, date=date), tok
    if encoding is None and chat_framing(model) is None:
        name = split_provider(model)[1]
        rules = rules_for_model(model, date=date)
        return rules, get_tokenizer(encoding_name_for_model(name))
    rules = rules_for_model(model, encoding, date=date)
    if encoding is not None:
        return rules, get_tokenizer(encoding)
    if rules.framing == "mistral":
        return rules, get_tokenizer(str(rules.tokenizer))
    try:
        return rules, tokenizer_for_model(split_provider(model)[1])
    except UnknownNameError:
        return rules, get_tokenizer(str(rules.tokenizer))


def _check_tools(tools: Any) -> list[Mapping[str, Any]]:
    """``tools`` as a list, or a one-line ``InputError`` for anything that is not a list of tool
    objects, each a function with a name (``{"type": "function", "function": {...}}`` or the bare
    function), ``parameters`` an object, and JSON throughout."""
    if isinstance(tools, (str, bytes, Mapping)) or not isinstance(tools, Iterable):
        raise ParameterError("tools", f"tools must be a list of tool objects, not {type(tools).__name__}")
    out = list(tools)
    for i, tool in enumerate(out):
        if not isinstance(tool, Mapping):
            raise ParameterError("tools", f"tool {i} must be an object, not {type(tool).__name__}")
        function = tool.get("function", tool)
        if tool.get("type", "function") != "function":
            raise InputError(f"tool {i}: only function tools can be counted, not type {tool.get('type')!r}")
        if not isinstance(function, Mapping) or not isinstance(function.get("name"), str) or not function["name"]:
            raise InputError(f"tool {i}: needs a function with a 'name'")
        if not isinstance(function.get("parameters") or {}, Mapping):
            raise InputError(f"tool {i} ({function['name']}): parameters must be an object")
        try:
            json.dumps(tool, allow_nan=False)
        except (TypeError, ValueError) as e:
            raise InputError(f"tool {i} ({function['name']}): not JSON ({e})") from None
    return out


def _as_tool_api(tools: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Each tool as the tools API sends it: a bare function becomes ``{"type": "function", "function": …}``."""
    return [tool if "function" in tool else {"type": "function", "function": tool} for tool in tools]


#: Texts of at least this many characters are counted in chunks on all cores (exact, see
#: ``tokstats.counting._count.count``); shorter ones in one call of ``Tokenizer.count``.
LONG_TEXT = 64 << 10


def text_tokens(text: str, tokenizer: Tokenizer) -> int:
    """The tokens of ``text``'s own (no framing; special-token strings as text)."""
    if len(text) >= LONG_TEXT:
        return count(text, tokenizer)
    return tokenizer.count(text)


def _checked(messages: Sequence[Mapping[str, Any]]) -> list[tuple[int, Mapping[str, Any]]]:
    """The messages, numbered, once each is known to be an object; else one-line InputError."""
    if isinstance(messages, (str, bytes)) or not isinstance(messages, Sequence):
        raise ParameterError("messages", f"messages must be a list of message objects, not {type(messages).__name__}")
    for i, message in enumerate(messages):
        if not isinstance(message, Mapping):
            raise InputError(f"message {i} must be an object with role and content, not {type(message).__name__}")
    return list(enumerate(messages))


@renamed(encoding="tokenizer")
def count_message_tokens(
    messages: Sequence[Mapping[str, Any]],
    model: str,
    *,
    tools: Sequence[Mapping[str, Any]] | None = None,
    tokenizer: str | Tokenizer | None = None,
    date: Any = None,
) -> int:
    """Prompt tokens of a chat request with ``messages`` (and ``tools``) sent to ``model``, framed
    as the model's family frames it (``rules_for_model``; ``docs/cost.md``, "Chat framing").

    OpenAI models follow the cookbook: for each message, ``tokens_per_message`` plus the tokens of
    every field (role, content, name …), plus ``tokens_per_name`` when a ``name`` is present; then
    the reply priming. Llama, Qwen and DeepSeek-R1-Distill models are counted as their published
    chat template renders the chat (with the generation prompt), Mistral models by mistral-common,
    gpt-oss in the harmony format. ``model`` may carry a ``provider:`` prefix and an ``org/`` path.

    ``tokenizer`` overrides the model's own tokenizer (``tokenizer_for_model``, or tiktoken's model
    map): a spec, or a loaded ``Tokenizer`` (or ``tiktoken.Encoding``) whose ``name`` picks OpenAI's
    rules. ``date``: the "Today Date" of Llama 3.1-3.3's template (default ``26 Jul 2024``).
    Raises ``InputError`` naming the message and field for anything that is not text or that the
    family's framing cannot count, and for invalid ``tools`` or tools a framing has no place for;
    ``UnknownChatFramingError`` (an ``InputError``) for a model whose framing is not known;
    ``ParameterError`` (an ``InputError``) naming ``messages``, ``model``, ``tools``,
    ``tokenizer`` or ``date`` for a value of the wrong type.
    """
    _check_model(model, tokenizer)
    _checked(messages)
    if tools is not None:
        tools = _check_tools(tools)
    rules, tokenizer = _resolve(model, tokenizer, date)
    return prompt_tokens(messages, rules, tokenizer, tools=tools, model=model)


def prompt_tokens(
    messages: Sequence[Mapping[str, Any]],
    rules: MessageRules,
    tokenizer: Tokenizer,
    *,
    tools: Sequence[Mapping[str, Any]] | None = None,
    model: str | None = None,
) -> int:
    """Prompt tokens of ``messages`` (and checked ``tools``) framed by ``rules``, their texts counted
    by ``tokenizer`` (``count_message_tokens`` is the checked entry)."""
    tools = list(tools or [])
    where = model or rules.family
    if rules.framing in templates.TEMPLATES:
        template = templates.TEMPLATES[rules.framing]
        if tools and rules.framing == "gpt-oss":
            raise InputError(
                f"{where}: tool definitions are not counted in the harmony format (the template writes them "
                "into the developer message as TypeScript-like namespaces); leave tools out"
            )
        if tools and rules.framing in templates.NO_TOOLS:
            raise InputError(
                f"{where}: tool definitions cannot be counted: the {template.published} chat template has no place "
                "for them; leave tools out"
            )
        chat = templates.turns(
            _checked_list(messages),
            "harmony (gpt-oss)" if rules.framing == "gpt-oss" else rules.framing,
            template.join,
            rules.framing in templates.TOOL_MESSAGES,
            ("developer",) if rules.framing == "gpt-oss" else (),
        )
        prompt = template.render(chat, _as_tool_api(tools) if tools else None, rules.date or "")
        return templates.count_prompt(prompt, tokenizer, text_tokens)
    if rules.framing == "mistral":
        return count_mistral(
            _checked_list(messages), _as_tool_api(tools) if tools else None, str(rules.tokenizer), where
        )
    total = 0
    for i, message in _checked(messages):
        if "role" not in message:
            raise InputError(f"message {i} has no 'role'")
        total += rules.tokens_per_message
        for key, value in message.items():
            total += sum(text_tokens(t, tokenizer) for t in _texts_of(value, f"message {i} {key!r}"))
            if key == "name":
                total += rules.tokens_per_name
    return total + rules.reply_priming + (_tool_tokens(tools, rules, tokenizer) if tools else 0)


def _checked_list(messages: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [message for _, message in _checked(messages)]


def _strip_stop(text: str) -> str:
    return text[:-1] if text.endswith(".") else text


@renamed(encoding="tokenizer")
def count_tool_tokens(
    tools: Iterable[Mapping[str, Any]], model: str, *, tokenizer: str | Tokenizer | None = None, date: Any = None
) -> int:
    """Prompt tokens the tool (function) definitions add to a request to ``model``.

    For OpenAI models, per the cookbook (section 7). For a family framed by a chat template or by
    mistral-common, where what tools add depends a little on the chat around them, it is the
    difference they make to a chat of one user message; ``count_message_tokens(..., tools=...)``
    counts a whole request exactly.

    Accepts ``{"type": "function", "function": {...}}`` entries (the tools API) or bare function
    objects (the older functions API). An empty list adds nothing. ``tokenizer`` and ``date`` as
    for ``count_message_tokens``.

    Raises ``ParameterError`` (an ``InputError``) naming ``model``,
    ``tools`` or ``tokenizer`` for a value of the wrong type, ``InputError`` naming the tool
    for a malformed definition, or when the model's framing has no place for tools,
    ``UnknownChatFramingError`` for a model whose framing is not known.
    """
    _check_model(model, tokenizer)
    tools = _check_tools(tools)
    rules, tokenizer = _resolve(model, tokenizer, date)
    if rules.framing == "gpt-oss":
        raise InputError(f"{model}: tool definitions are not counted in the harmony format")
    if rules.framing == "cookbook":
        return _tool_tokens(tools, rules, tokenizer)
    if not tools:
        return 0
    chat = [{"role": "user", "content": "Hello"}]
    with_tools = prompt_tokens(chat, rules, tokenizer, tools=tools, model=model)
    return with_tools - prompt_tokens(chat, rules, tokenizer, model=model)


def _tool_tokens(tools: list[Mapping[str, Any]], rules: MessageRules, tokenizer: Tokenizer) -> int:
    """The tokens ``tools`` add under ``rules`` (cookbook section 7), texts counted by ``tokenizer``."""
    if not tools:
        return 0
    total = 0
    for i, tool in enumerate(tools):
        function = tool.get("function", tool) if isinstance(tool, Mapping) else None
        if not isinstance(function, Mapping) or not isinstance(function.get("name"), str):
            raise InputError(f"tool {i}: needs a function with a 'name'")
        total += rules.func_init
        description = _strip_stop(str(function.get("description") or ""))
        total += text_tokens(f"{function['name']}:{description}", tokenizer)
        parameters = function.get("parameters") or {}
        if not isinstance(parameters, Mapping):
            raise InputError(f"tool {i} ({function['name']}): parameters must be an object")
        properties = parameters.get("properties") or {}
        if not isinstance(properties, Mapping):
            raise InputError(f"tool {i} ({function['name']}): parameters.properties must be an object")
        if properties:
            total += rules.prop_init
            for key, prop in properties.items():
                prop = prop if isinstance(prop, Mapping) else {}
                total += rules.prop_key
                if "enum" in prop:
                    if isinstance(prop["enum"], (str, bytes, Mapping)) or not isinstance(prop["enum"], Iterable):
                        raise InputError(f"tool {i} ({function['name']}): property {key!r}: enum must be a list")
                    total += rules.enum_init
                    for item in prop["enum"]:
                        total += rules.enum_item + text_tokens(str(item), tokenizer)
                p_desc = _strip_stop(str(prop.get("description") or ""))
                total += text_tokens(f"{key}:{prop.get('type', '')}:{p_desc}", tokenizer)
    total += rules.func_end
    return total
