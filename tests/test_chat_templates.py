"""Chat framing of Llama, Qwen, DeepSeek-R1-Distill and Mistral models against their references.

Llama, Qwen and DeepSeek-R1-Distill: the published chat templates (``tests/data/chat_templates/``,
provenance in ``SOURCES.json``) are rendered with jinja2 exactly as Hugging Face transformers'
``apply_chat_template`` renders them (``transformers/utils/chat_template_utils.py``:
``ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)`` with the loopcontrols
extension, a ``tojson`` filter that is ``json.dumps(x, ensure_ascii=False, indent=indent)``,
``raise_exception``; ``add_generation_prompt=True``). The rendered text is encoded by the
publisher's own encoder with its special tokens recognised (Meta's ``llama_models`` Tokenizer,
dashscope's ``QwenTokenizer``); added tokens those encoders do not know (``<think>``,
``<tool_call>``, DeepSeek's ``<｜User｜>`` …, each one token in the model's published
``tokenizer.json``) are split out first and counted as one token each. tokstats' count must
equal that. Mistral: mistral-common's ``MistralTokenizer.from_model(name).encode_chat_completion``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tokstats.cost._chat_names import chat_framing, split_provider
from tokstats.cost._messages import count_message_tokens, count_tool_tokens, rules_for_model
from tokstats.errors import InputError, UnknownChatFramingError

jinja2 = pytest.importorskip("jinja2")
from jinja2.sandbox import ImmutableSandboxedEnvironment  # noqa: E402

TEMPLATES = Path(__file__).parent / "data" / "chat_templates"
SOURCES = json.loads((TEMPLATES / "SOURCES.json").read_text("utf-8"))

#: Added tokens of the published tokenizers that the templates write and the publishers' Python
#: encoders (llama_models, dashscope) do not know: one token each in the model's tokenizer.json.
EXTRA_SPECIALS = {
    "qwen2.5": ("<tool_call>", "</tool_call>"),
    "qwen3": ("<tool_call>", "</tool_call>", "<think>", "</think>", "<tool_response>", "</tool_response>"),
    "deepseek": (
        "<｜begin▁of▁sentence｜>",
        "<｜end▁of▁sentence｜>",
        "<｜User｜>",
        "<｜Assistant｜>",
        "<think>",
        "</think>",
    ),
}

#: template file -> (model names that use it, publisher encoder, bos_token, extra specials)
CASES: dict[str, tuple[tuple[str, ...], str, str, tuple[str, ...]]] = {
    "llama-3": (("llama3-70b-8192", "meta-llama/Meta-Llama-3-8B-Instruct"), "llama3", "<|begin_of_text|>", ()),
    "llama-3.1": (("fireworks:accounts/fireworks/models/llama-v3p1-8b-instruct",), "llama3", "<|begin_of_text|>", ()),
    "llama-3.2": (("together:meta-llama/Llama-3.2-3B-Instruct-Turbo",), "llama3", "<|begin_of_text|>", ()),
    "llama-3.2-vision": (
        ("together:meta-llama/Llama-3.2-90B-Vision-Instruct-Turbo", "groq:llama-3.2-11b-vision-preview"),
        "llama3",
        "<|begin_of_text|>",
        (),
    ),
    "llama-3.3": (
        ("groq:llama-3.3-70b-versatile", "together:meta-llama/Llama-3.3-70B-Instruct-Turbo"),
        "llama3",
        "<|begin_of_text|>",
        (),
    ),
    "llama-4": (("groq:meta-llama/llama-4-scout-17b-16e-instruct",), "llama4", "<|begin_of_text|>", ()),
    "qwen1.5": (("Qwen/Qwen1.5-72B-Chat",), "qwen", "", ()),
    "qwen2": (("Qwen/Qwen2-7B-Instruct",), "qwen", "", ()),
    "qwen2.5": (("together:Qwen/Qwen2.5-72B-Instruct-Turbo",), "qwen", "", EXTRA_SPECIALS["qwen2.5"]),
    "qwq": (("groq:qwen-qwq-32b", "Qwen/QwQ-32B"), "qwen", "", EXTRA_SPECIALS["qwen3"]),
    "qwen3": (("together:Qwen/Qwen3-235B-A22B", "cerebras:qwen-3-32b"), "qwen", "", EXTRA_SPECIALS["qwen3"]),
    "deepseek-r1-distill-qwen": (("deepseek-ai/DeepSeek-R1-Distill-Qwen-32B",), "qwen", "", EXTRA_SPECIALS["deepseek"]),
    "deepseek-r1-distill-llama": (("groq:deepseek-r1-distill-llama-70b",), "llama3", "", EXTRA_SPECIALS["deepseek"]),
    "gpt-oss": (("groq:openai/gpt-oss-120b", "gpt-oss-20b"), "o200k_harmony", "", ()),
}
#: The DeepSeek templates write the BOS token themselves as {{bos_token}}.
BOS = {"deepseek-r1-distill-qwen": "<｜begin▁of▁sentence｜>", "deepseek-r1-distill-llama": "<｜begin▁of▁sentence｜>"}
WITH_TOOLS = ("llama-3.1", "llama-3.2", "llama-3.2-vision", "llama-3.3", "llama-4", "qwen2.5", "qwq", "qwen3")

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_current_weather",
            "description": "Get the current weather in a given location.",
            "parameters": {
                "type": "object",
                "properties": {
                    "location": {"type": "string", "description": "The city, e.g. Chiang Mai / เชียงใหม่"},
                    "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                },
                "required": ["location"],
            },
        },
    },
    {"type": "function", "function": {"name": "now", "description": "The time now", "parameters": {}}},
]

CHATS: dict[str, list[dict[str, Any]]] = {
    "one user message": [{"role": "user", "content": "What does a support ticket in Thai cost?"}],
    "system and user": [
        {"role": "system", "content": "You are a terse assistant.\n"},
        {"role": "user", "content": "  สวัสดีครับ ช่วยสรุปให้หน่อย  \n"},
    ],
    "multi-turn": [
        {"role": "system", "content": "Answer in French."},
        {"role": "user", "content": "Hello!"},
        {"role": "assistant", "content": "Bonjour ! Comment puis-je vous aider ?"},
        {"role": "user", "content": "\nCount: 1, 22, 333, 4444.\n\n"},
    ],
    "reasoning in history": [
        {"role": "user", "content": "2+2?"},
        {"role": "assistant", "content": "<think>\nSimple sum.\n</think>\n\nIt is 4."},
        {"role": "user", "content": "And 3+3?"},
    ],
    # Qwen3 turns the last reply's <think>…</think> into its own <think> block (special tokens
    # of the template); QwQ keeps the text, where tokstats counts "<think>" as text.
    "user, assistant last": [
        {"role": "user", "content": "Name a colour."},
        {"role": "assistant", "content": "<think>pick one</think>Blue."},
    ],
    "assistant last, no tags": [
        {"role": "user", "content": "Name a colour."},
        {"role": "assistant", "content": "Blue."},
    ],
}


def _transformers_env() -> Any:
    """jinja2 set up as transformers' ``_compile_jinja_template`` sets it up."""

    def raise_exception(message: str) -> None:
        raise jinja2.exceptions.TemplateError(message)

    def tojson(
        x: Any, ensure_ascii: bool = False, indent: Any = None, separators: Any = None, sort_keys: bool = False
    ) -> str:
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    return env


@cache
def _template(name: str) -> Any:
    text = (TEMPLATES / f"{name}.jinja").read_text("utf-8")
    assert hashlib.sha256(text.encode()).hexdigest() == SOURCES[name]["sha256"], name
    return _transformers_env().from_string(text)


def render(name: str, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None = None, **extra: Any) -> str:
    bos = BOS.get(name, CASES[name][2])
    if name == "gpt-oss":  # transformers' strftime_now writes the server's date; tokstats assumes this one
        extra = {"strftime_now": lambda fmt: datetime.date(2025, 8, 5).strftime(fmt), **extra}
    return str(
        _template(name).render(
            messages=messages, tools=tools, add_generation_prompt=True, bos_token=bos, eos_token="", **extra
        )
    )


@cache
def _publisher(family: str) -> Any:
    if family == "llama3":
        from llama_models.llama3.tokenizer import Tokenizer

        return Tokenizer.get_instance()
    if family == "llama4":
        from llama_models.llama4.tokenizer import Tokenizer as Llama4

        return Llama4.get_instance()
    if family == "o200k_harmony":
        import tiktoken

        from tokstats import get_encoding

        encoding = get_encoding("o200k_harmony")  # tiktoken's own constructor, on the shipped ranks
        assert isinstance(encoding, tiktoken.Encoding)
        return encoding
    from dashscope.tokenizers import get_tokenizer

    return get_tokenizer("qwen-turbo")


def publisher_count(
    text: str, family: str, extra: tuple[str, ...] = (), allowed: Any = "all", put_back: tuple[str, str] = ("", "")
) -> int:
    """Tokens of a rendered prompt by the publisher's encoder, special tokens recognised
    (``put_back``: a stand-in replaced by a message's text once the specials are split out)."""
    encoder = _publisher(family)
    pieces = re.split("(" + "|".join(map(re.escape, extra)) + ")", text) if extra else [text]
    total = 0
    for i, piece in enumerate(pieces):
        if put_back[0]:
            piece = piece.replace(*put_back)
        if i % 2:
            total += 1
        elif piece:
            if family in ("qwen", "o200k_harmony"):
                total += len(encoder.encode(piece, allowed_special=allowed, disallowed_special=()))
            else:
                total += len(encoder.encode(piece, bos=False, eos=False, allowed_special=allowed))
    return total


@pytest.mark.parametrize("chat_name", list(CHATS))
@pytest.mark.parametrize("name", list(CASES))
def test_count_equals_the_published_template(name: str, chat_name: str) -> None:
    models, family, _, extra = CASES[name]
    chat = CHATS[chat_name]
    if name == "qwq" and chat_name == "user, assistant last":
        # QwQ keeps the last reply whole: its "<think>" is the message's text, not the template's token.
        # Render with a stand-in character, split out the specials, then put the text back.
        text = chat[-1]["content"]
        stand_in = [*chat[:-1], {"role": "assistant", "content": "\ue000"}]
        expected = publisher_count(render(name, stand_in), family, extra, put_back=("\ue000", text))
    else:
        expected = publisher_count(render(name, chat), family, extra)
    for model in models:
        assert chat_framing(model) == ("harmony" if name == "gpt-oss" else name), model
        assert count_message_tokens(chat, model) == expected, (model, chat_name)


@pytest.mark.parametrize("with_system", [False, True])
@pytest.mark.parametrize("name", WITH_TOOLS)
def test_tools_as_the_template_frames_them(name: str, with_system: bool) -> None:
    models, family, _, extra = CASES[name]
    chat = CHATS["multi-turn"] if with_system else CHATS["one user message"]
    expected = publisher_count(render(name, chat, TOOLS), family, extra)
    for model in models:
        assert count_message_tokens(chat, model, tools=TOOLS) == expected, model
        without = count_message_tokens(CHATS["one user message"], model)
        with_tools = publisher_count(render(name, CHATS["one user message"], TOOLS), family, extra)
        assert count_tool_tokens(TOOLS, model) == with_tools - without
    # a bare function (the older functions API) is sent as {"type": "function", "function": ...}
    bare = [tool["function"] for tool in TOOLS]
    assert count_message_tokens(chat, models[0], tools=bare) == expected


def test_done_when_groq_llama_33_one_message() -> None:
    chat = [{"role": "user", "content": "Summarise this ticket: my order #4411 never arrived."}]
    rendered = render("llama-3.3", chat)
    assert rendered.startswith(
        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
        "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>"
    )
    assert count_message_tokens(chat, "groq:llama-3.3-70b-versatile") == publisher_count(rendered, "llama3")
    rules = rules_for_model("groq:llama-3.3-70b-versatile")
    assert rules.template == "meta-llama/Llama-3.3-70B-Instruct" and rules.date == "26 Jul 2024"
    assert "Today Date: 26 Jul 2024 (the template's default)" in rules.basis


@pytest.mark.parametrize("name", ["llama-3.1", "llama-3.3", "llama-3.2"])
def test_today_date(name: str) -> None:
    import datetime

    chat = CHATS["system and user"]
    model = CASES[name][0][0]
    expected = publisher_count(render(name, chat, date_string="02 Dec 2026"), "llama3")
    assert count_message_tokens(chat, model, date="02 Dec 2026") == expected
    assert count_message_tokens(chat, model, date=datetime.date(2026, 12, 2)) == expected
    assert rules_for_model(model, date="02 Dec 2026").basis.endswith("Today Date: 02 Dec 2026")
    with pytest.raises(InputError, match="date must be"):
        count_message_tokens(chat, model, date="1\n2")


def test_special_strings_in_messages_are_text() -> None:
    """``<|python_tag|>`` in a message is text: the publisher's encoder agrees when only the
    template's own specials are allowed; ``<|eot_id|>`` costs its text tokens, not one."""
    chat = [{"role": "user", "content": "print <|python_tag|> and <|im_start|>"}]
    template_specials = {"<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"}
    expected = publisher_count(render("llama-3.3", chat), "llama3", allowed=template_specials)
    assert count_message_tokens(chat, "llama-3.3-70b") == expected
    plain = count_message_tokens([{"role": "user", "content": "a"}], "llama-3.3-70b")
    tricky = count_message_tokens([{"role": "user", "content": "a<|eot_id|>"}], "llama-3.3-70b")
    assert tricky - plain == len(_publisher("llama3").encode("a<|eot_id|>", bos=False, eos=False)) - 1 > 1
    # Qwen3: <|im_start|> "user\n<|im_end|>" <|im_end|> "\n" <|im_start|> "assistant\n", by hand
    qwen = count_message_tokens([{"role": "user", "content": "<|im_end|>"}], "Qwen/Qwen3-8B")
    runs = ("user\n<|im_end|>", "\n", "assistant\n")
    assert qwen == 3 + sum(
        len(_publisher("qwen").encode(r, allowed_special=set(), disallowed_special=())) for r in runs
    )


def test_text_parts_are_joined_with_newlines() -> None:
    parts = [{"type": "text", "text": "first"}, {"type": "text", "text": "second"}]
    joined = [{"role": "user", "content": "first\nsecond"}]
    assert count_message_tokens([{"role": "user", "content": parts}], "llama-3.1-8b") == count_message_tokens(
        joined, "llama-3.1-8b"
    )


# --- Mistral: mistral-common ---------------------------------------------------------------------


def _mistral_reference(model: str, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None = None) -> int:
    from mistral_common.protocol.instruct.request import ChatCompletionRequest
    from mistral_common.tokens.tokenizers.mistral import MistralTokenizer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        tokenizer = MistralTokenizer.from_model(model)
    return len(tokenizer.encode_chat_completion(ChatCompletionRequest(messages=messages, tools=tools)).tokens)


def _mistral_names() -> list[str]:
    from mistral_common.tokens.tokenizers.mistral import MODEL_NAME_TO_TOKENIZER_CLS

    return sorted(MODEL_NAME_TO_TOKENIZER_CLS)


@pytest.mark.parametrize("model", _mistral_names())
def test_mistral_equals_mistral_common(model: str) -> None:
    for chat_name in ("one user message", "system and user", "multi-turn"):
        chat = CHATS[chat_name]
        assert count_message_tokens(chat, model) == _mistral_reference(model, chat), (model, chat_name)
    expected = _mistral_reference(model, CHATS["multi-turn"], TOOLS)
    assert count_message_tokens(CHATS["multi-turn"], f"mistral:{model}", tools=TOOLS) == expected


def test_done_when_mistral_large_2411() -> None:
    chat = [{"role": "user", "content": "Summarise this ticket: my order #4411 never arrived."}]
    assert count_message_tokens(chat, "mistral:mistral-large-2411") == _mistral_reference("mistral-large-2411", chat)
    rules = rules_for_model("mistral:mistral-large-2411")
    assert rules.tokenizer == "mistral-v7" and "MistralTokenizer.v7()" in rules.basis


def test_mistral_drops_fields_its_messages_do_not_have() -> None:
    named = [
        {"role": "system", "content": "Be brief.", "name": "ops"},
        {"role": "user", "content": "hi", "name": "bob"},
    ]
    plain = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}]
    assert count_message_tokens(named, "mistral-large-2411") == _mistral_reference("mistral-large-2411", plain)


def test_mistral_tool_calls_and_results() -> None:
    call = {"id": "abcDEF123", "type": "function", "function": {"name": "now", "arguments": "{}"}}
    chat = [
        {"role": "user", "content": "Time?"},
        {"role": "assistant", "content": "", "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "abcDEF123", "name": "now", "content": "14:05"},
    ]
    for model in ("mistral-large-2411", "open-mistral-nemo-2407", "mistral-large-2407"):
        assert count_message_tokens(chat, model, tools=TOOLS) == _mistral_reference(model, chat, TOOLS)


def test_mistral_refusals_are_one_line() -> None:
    with pytest.raises(InputError) as info:
        count_message_tokens(
            [{"role": "user", "content": "hi"}, {"role": "bogus", "content": "x"}], "mistral-large-2411"
        )
    assert "\n" not in str(info.value) and "mistral-large-2411" in str(info.value)


# --- names, refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model, framing",
    [
        ("groq:llama-3.3-70b-versatile", "llama-3.3"),
        ("groq:llama-3.1-8b-instant", "llama-3.1"),
        ("groq:llama3-8b-8192", "llama-3"),
        ("together:meta-llama/Llama-3-70b-chat-hf", "llama-3"),
        ("together:meta-llama/Meta-Llama-3.1-405B-Instruct-Turbo", "llama-3.1"),
        ("aws:meta.llama3-3-70b-instruct-v1:0", "llama-3.3"),
        ("aws:meta.llama3-70b-instruct-v1:0", "llama-3"),
        ("cerebras:llama3.1-8b", "llama-3.1"),
        ("fireworks:accounts/fireworks/models/llama-v3p3-70b-instruct", "llama-3.3"),
        ("fireworks:accounts/fireworks/models/llama4-maverick-instruct-basic", "llama-4"),
        ("meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8", "llama-4"),
        ("fireworks:accounts/fireworks/models/qwen2p5-72b-instruct", "qwen2.5"),
        ("Qwen/Qwen2.5-Coder-32B-Instruct", "qwen2.5"),
        ("Qwen/Qwen3-235B-A22B", "qwen3"),
        ("together:Qwen/Qwen3-235B-A22B-Thinking-2507", "qwen3-thinking-2507"),
        ("deepinfra:deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", "deepseek-r1-distill-qwen"),
        ("mistral-large-2411", "mistral"),
        ("together:mistralai/Mixtral-8x7B-Instruct-v0.1", "mistral"),
        ("groq:openai/gpt-oss-120b", "harmony"),
        ("openai:gpt-4o", None),
        ("ft:gpt-4o-mini:org::abc", None),
    ],
)
def test_framing_from_the_name(model: str, framing: str | None) -> None:
    assert chat_framing(model) == framing


def test_provider_prefix() -> None:
    assert split_provider("groq:llama-3.3-70b-versatile") == ("groq", "llama-3.3-70b-versatile")
    assert split_provider("ft:gpt-4o-mini:org::abc") == (None, "ft:gpt-4o-mini:org::abc")
    assert split_provider("meta.llama3-70b-instruct-v1:0") == (None, "meta.llama3-70b-instruct-v1:0")
    chat = CHATS["multi-turn"]
    assert count_message_tokens(chat, "openai:gpt-4o") == count_message_tokens(chat, "gpt-4o")
    assert count_message_tokens(chat, "groq:openai/gpt-oss-120b") == count_message_tokens(chat, "gpt-oss-120b")


@pytest.mark.parametrize(
    "model",
    [
        "meta-llama/Llama-2-70b-chat-hf",
        "anthropic:claude-3-5-sonnet",
        "qwen-turbo",
        "gemini-2.0-flash",
        "Qwen/QwQ-32B-Preview",
    ],
)
def test_unknown_framing_is_refused_in_one_line(model: str) -> None:
    with pytest.raises(UnknownChatFramingError) as info:
        count_message_tokens([{"role": "user", "content": "hi"}], model)
    assert isinstance(info.value, InputError)
    message = str(info.value)
    assert "\n" not in message and repr(model) in message


@pytest.mark.parametrize("model", ["llama3-70b-8192", "Qwen/Qwen2-7B-Instruct", "deepseek-r1-distill-llama-70b"])
def test_tools_where_the_template_has_no_place_for_them(model: str) -> None:
    with pytest.raises(InputError, match="tool definitions cannot be counted") as info:
        count_message_tokens([{"role": "user", "content": "hi"}], model, tools=TOOLS)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "tools, problem",
    [
        ([{"type": "function", "function": {"description": "no name"}}], "needs a function with a 'name'"),
        ([{"type": "retrieval"}], "only function tools"),
        ([{"type": "function", "function": {"name": "f", "parameters": [1]}}], "parameters must be an object"),
        ([{"type": "function", "function": {"name": "f", "parameters": {"x": float("nan")}}}], "not JSON"),
        ("get_weather", "tools must be a list"),
    ],
)
def test_invalid_tools_are_refused(tools: Any, problem: str) -> None:
    for model in ("groq:llama-3.3-70b-versatile", "Qwen/Qwen3-8B", "mistral-large-2411", "gpt-4o"):
        with pytest.raises(InputError, match=problem) as info:
            count_message_tokens([{"role": "user", "content": "hi"}], model, tools=tools)
        assert "\n" not in str(info.value)


def test_roles_a_template_framing_cannot_count() -> None:
    with pytest.raises(InputError, match="message 0 has no 'role'"):
        count_message_tokens([{"content": "x"}], "groq:llama-3.3-70b-versatile")
    with pytest.raises(InputError, match="role 'tool' cannot be counted in the llama-3 chat framing"):
        count_message_tokens([{"role": "tool", "content": "42"}], "llama3-70b-8192")
    with pytest.raises(InputError, match="role 'developer' cannot be counted in the qwen3 chat framing"):
        count_message_tokens([{"role": "developer", "content": "42"}], "qwen3-8b")
    call = {"function": {"name": "f", "arguments": "{}"}}
    with pytest.raises(InputError, match="tool calls cannot be counted"):
        count_message_tokens(
            [{"role": "assistant", "content": None, "tool_calls": [call]}], "deepseek-r1-distill-qwen-32b"
        )


def test_the_docs_example_prints_what_it_says() -> None:
    """docs/cost.md, "Chat framing": each ``expression  # value`` line evaluates to that value."""
    page = (Path(__file__).resolve().parent.parent / "docs" / "cost.md").read_text("utf-8")
    section = page[page.index("## Chat framing") :]
    block = section[section.index("```python\n") + len("```python\n") :]
    block = block[: block.index("```")]
    scope: dict[str, Any] = {}
    checked = 0
    for line in block.splitlines():
        code, sep, shown = line.partition("  # ")
        if not sep:
            exec(code, scope)
            continue
        assert repr(eval(code, scope)) == shown, code
        checked += 1
    assert checked >= 10


def test_a_given_tokenizer_is_used() -> None:
    from tokstats.tokenizers import get_tokenizer

    chat = CHATS["multi-turn"]
    default = count_message_tokens(chat, "groq:llama-3.3-70b-versatile")
    assert count_message_tokens(chat, "groq:llama-3.3-70b-versatile", tokenizer="llama3") == default
    assert count_message_tokens(chat, "groq:llama-3.3-70b-versatile", tokenizer=get_tokenizer("llama3")) == default
    # another vocabulary counts the same framing's texts differently, the specials the same
    other = count_message_tokens(chat, "groq:llama-3.3-70b-versatile", tokenizer="o200k_base")
    assert other != default and rules_for_model("groq:llama-3.3-70b-versatile", "o200k_base").framing == "llama-3.3"
    # a Mistral model's tokenizer version can be named when its name alone does not say it
    assert rules_for_model("my-mistral-finetune", "mistral-v3").tokenizer == "mistral-v3"
    assert count_message_tokens(chat, "my-mistral-finetune", tokenizer="mistral-v7") == count_message_tokens(
        chat, "mistral-large-2411"
    )


@pytest.mark.parametrize(
    "model, kind",
    [
        ("groq:llama-3.3-70b-versatile", "chat"),
        ("together:meta-llama/Llama-3.3-70B-Instruct-Turbo", "chat"),
        ("Qwen/Qwen2.5-72B-Instruct", "chat"),
        ("groq:qwen-qwq-32b", "reasoning"),
        ("groq:deepseek-r1-distill-llama-70b", "reasoning"),
        ("mistral:magistral-medium-2506", "reasoning"),
        ("mistral:mistral-large-2411", "chat"),
        ("openai:text-embedding-3-small", "embedding"),
    ],
)
def test_model_kind_of_family_names(model: str, kind: str) -> None:
    from tokstats.cost._messages import model_kind

    assert model_kind(model) == kind


TOOL_CHAT = [
    {"role": "system", "content": "Use the tools."},
    {"role": "user", "content": "Weather in Chiang Mai and the time?"},
    {
        "role": "assistant",
        "content": "",
        "tool_calls": [
            {
                "id": "c1",
                "type": "function",
                "function": {"name": "get_current_weather", "arguments": '{"location": "เชียงใหม่", "unit": "celsius"}'},
            }
        ],
    },
    {"role": "tool", "tool_call_id": "c1", "content": '{"temperature": 31}'},
    {"role": "tool", "tool_call_id": "c2", "content": "14:05"},
]


def _as_vllm_passes_it(chat: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tool-call arguments parsed to objects, as vLLM hands them to the template."""
    out = json.loads(json.dumps(chat))
    for message in out:
        for call in message.get("tool_calls", []):
            call["function"]["arguments"] = json.loads(call["function"]["arguments"])
    return out


@pytest.mark.parametrize("with_tools", [False, True])
@pytest.mark.parametrize("name", WITH_TOOLS)
def test_tool_calls_and_results_as_the_template_frames_them(name: str, with_tools: bool) -> None:
    models, family, _, extra = CASES[name]
    tools = TOOLS if with_tools else None
    expected = publisher_count(render(name, _as_vllm_passes_it(TOOL_CHAT), tools), family, extra)
    assert count_message_tokens(TOOL_CHAT, models[0], tools=tools) == expected


def test_tool_messages_where_the_template_has_none() -> None:
    with pytest.raises(InputError, match="message 2: tool calls cannot be counted in the qwen2 chat framing"):
        count_message_tokens(TOOL_CHAT, "Qwen/Qwen2-7B-Instruct")
    with pytest.raises(InputError, match="arguments are not JSON"):
        bad = [{"role": "assistant", "tool_calls": [{"function": {"name": "f", "arguments": "{"}}]}]
        count_message_tokens(bad, "Qwen/Qwen3-8B")
