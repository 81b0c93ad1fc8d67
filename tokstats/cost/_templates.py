"""Llama, Qwen and DeepSeek-R1-Distill chat framing: the published chat templates, written as code.

Each function below builds the prompt the model's published chat template renders (the Jinja
``chat_template`` of its ``tokenizer_config.json``, as Hugging Face ``apply_chat_template``
and the servers built on it, such as vLLM, render it with ``add_generation_prompt=True``), as a
``Prompt``: a list of pieces that are either one special token or text. The template's own
literals are split at the family's special tokens; the messages' texts never are, so a user who
writes ``<|eot_id|>`` pays for the ordinary tokens of that text, not for one special token. The
prompt's tokens are the specials (one each) plus, for each run of text between two specials, the
tokens of that run (the run is encoded whole, as a tokenizer encodes the rendered string).

``tests/test_chat_templates.py`` renders the vendored published templates with jinja2 and checks
that these counts equal the tokens of the rendered text (encoded with the special tokens
recognised), for every family and on chats with system, user and assistant turns, and tools.

What the templates do, in short (``docs/cost.md``, "Chat framing"):

* Llama 3.0: ``<|begin_of_text|>``, then per message
  ``<|start_header_id|>{role}<|end_header_id|>\\n\\n{content, trimmed}<|eot_id|>``, then the
  generation prompt ``<|start_header_id|>assistant<|end_header_id|>\\n\\n``. No tools.
* Llama 3.1 / 3.2 / 3.3: the same headers, but the prompt always opens with a system block
  ``Cutting Knowledge Date: December 2023\\nToday Date: {date}\\n\\n{system message}``; tools
  add ``Environment: ipython\\n`` to it and go, as indented JSON after an instruction, into the
  first user message.
* Llama 4: ``<|header_start|>{role}<|header_end|>\\n\\n{content}<|eot|>``; a system block only
  when the chat has a system message; tools as in 3.1.
* Qwen (ChatML): ``<|im_start|>{role}\\n{content}<|im_end|>\\n``; Qwen1.5/2/2.5 add a default
  system message, Qwen3/QwQ do not; QwQ opens the reply with ``<think>\\n``; Qwen3 and QwQ drop
  the reasoning (up to ``</think>``) of earlier assistant turns; tools as JSON lines in a
  ``<tools>`` block of the system message (Qwen2.5, QwQ, Qwen3).
* DeepSeek-R1-Distill: ``<｜begin▁of▁sentence｜>{system}<｜User｜>{user}<｜Assistant｜>{reply}
  <｜end▁of▁sentence｜>`` … ``<｜Assistant｜><think>\\n``. No tools.

Assistant tool calls and ``tool`` results are framed where the template frames them (Llama
3.1-3.3 and 4: ``ipython`` turns; Qwen2.5, QwQ, Qwen3: ``<tool_call>`` and ``<tool_response>``),
the calls' ``arguments`` parsed from their JSON text as vLLM does before rendering.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tokstats.errors import InputError
from tokstats.tokenizers._base import Tokenizer

LLAMA3_SPECIALS = ("<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>", "<|eom_id|>")
LLAMA4_SPECIALS = (
    "<|begin_of_text|>",
    "<|header_start|>",
    "<|header_end|>",
    "<|eot|>",
    "<|eom|>",
    "<|python_start|>",
    "<|python_end|>",
)
#: Qwen2.5's added tokens that its templates write (``<tool_call>`` is one token, ``<tools>`` is text).
QWEN25_SPECIALS = ("<|im_start|>", "<|im_end|>", "<tool_call>", "</tool_call>")
#: QwQ-32B and Qwen3 also have ``<think>``, ``</think>``, ``<tool_response>``, ``</tool_response>``.
QWEN3_SPECIALS = (*QWEN25_SPECIALS, "<think>", "</think>", "<tool_response>", "</tool_response>")
DEEPSEEK_SPECIALS = (
    "<｜begin▁of▁sentence｜>",
    "<｜end▁of▁sentence｜>",
    "<｜User｜>",
    "<｜Assistant｜>",
    "<think>",
    "</think>",
)

GPT_OSS_SPECIALS = ("<|start|>", "<|message|>", "<|end|>", "<|channel|>", "<|call|>", "<|return|>", "<|constrain|>")

#: The date Llama 3.1-3.3's template writes when none is given (``date_string``'s default).
LLAMA_DEFAULT_DATE = "26 Jul 2024"

QWEN_DEFAULT_SYSTEM = {
    "qwen1.5": "You are a helpful assistant",
    "qwen2": "You are a helpful assistant.",
    "qwen2.5": "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.",
}

_LLAMA_TOOLS_INTRO = (
    "Given the following functions, please respond with a JSON for a function call "
    "with its proper arguments that best answers the given prompt.\n\n"
    'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.'
    "Do not use variables.\n\n"
)
_QWEN_TOOLS_HEAD = (
    "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
    "You are provided with function signatures within <tools></tools> XML tags:\n<tools>"
)
_QWEN_TOOLS_TAIL = (
    "\n</tools>\n\nFor each function call, return a json object with function name and arguments within "
    '<tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n'
    "</tool_call><|im_end|>\n"
)


@functools.cache
def _splitter(specials: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern whose ``split`` keeps the special-token strings as separate pieces."""
    return re.compile("(" + "|".join(re.escape(s) for s in specials) + ")")


@dataclass
class Prompt:
    """A rendered prompt as pieces: a special token (``str`` in ``specials``) or text."""

    specials: tuple[str, ...]
    pieces: list[tuple[bool, str]] = field(default_factory=list)

    def lit(self, text: str) -> None:
        """A literal of the template: its special-token strings are special tokens."""
        for i, part in enumerate(_splitter(self.specials).split(text)):
            if part:
                self.pieces.append((i % 2 == 1, part))

    def text(self, text: str) -> None:
        """A text of the chat (a message, a tool definition): never a special token."""
        if text:
            self.pieces.append((False, text))

    def runs(self) -> list[str | None]:
        """The text runs between specials (``None`` for each special token)."""
        out: list[str | None] = []
        buffer: list[str] = []
        for special, part in self.pieces:
            if special:
                if buffer:
                    out.append("".join(buffer))
                    buffer = []
                out.append(None)
            else:
                buffer.append(part)
        if buffer:
            out.append("".join(buffer))
        return out

    def count(self, count_text: Callable[[str], int]) -> int:
        """Special tokens plus the tokens of each text run."""
        return sum(1 if run is None else count_text(run) for run in self.runs())


@dataclass(frozen=True)
class Turn:
    """A checked message: its role, its content as one string, its reasoning and its tool calls
    (``(name, arguments)``, the arguments as a JSON value)."""

    role: str
    content: str
    reasoning: str | None = None
    calls: tuple[tuple[str, Any], ...] = ()


ROLES = ("system", "user", "assistant")


def turns(
    messages: Sequence[Mapping[str, Any]],
    framing: str,
    join: str = "\n",
    tool_messages: bool = False,
    extra_roles: tuple[str, ...] = (),
) -> list[Turn]:
    """The messages as ``Turn``s, or one-line ``InputError`` naming the message for what the
    framing cannot count (another role, tool calls where the template has none, a part that is
    not text). ``tool_messages``: the template frames ``tool`` messages and assistant tool calls."""
    roles = (*ROLES, *extra_roles, *(("tool",) if tool_messages else ()))
    out = []
    for i, message in enumerate(messages):
        role = message.get("role")
        if "role" not in message:
            raise InputError(f"message {i} has no 'role'")
        if role not in roles:
            raise InputError(
                f"message {i}: role {role!r} cannot be counted in the {framing} chat framing; "
                f"use one of {', '.join(roles)}"
            )
        calls = _calls(message.get("tool_calls"), i) if message.get("tool_calls") else ()
        if calls and (not tool_messages or role != "assistant"):
            raise InputError(f"message {i}: tool calls cannot be counted in the {framing} chat framing")
        reasoning = message.get("reasoning_content")
        if reasoning is not None and not isinstance(reasoning, str):
            raise InputError(f"message {i} 'reasoning_content' must be a string")
        content = join.join(texts_of(message.get("content"), f"message {i} 'content'"))
        out.append(Turn(str(role), content, reasoning, calls))
    return out


def _calls(value: Any, i: int) -> tuple[tuple[str, Any], ...]:
    """An assistant message's ``tool_calls`` as ``(name, arguments)``: the arguments, a JSON text in
    the OpenAI format, are parsed to the object the templates write back as JSON (as vLLM passes them)."""
    if not isinstance(value, list):
        raise InputError(f"message {i} 'tool_calls' must be a list of tool calls")
    out = []
    for j, call in enumerate(value):
        function = call.get("function", call) if isinstance(call, Mapping) else None
        if not isinstance(function, Mapping) or not isinstance(function.get("name"), str):
            raise InputError(f"message {i} tool call {j}: needs a function with a 'name'")
        arguments = function.get("arguments", {})
        if isinstance(arguments, str):
            try:
                arguments = json.loads(arguments)
            except ValueError:
                raise InputError(f"message {i} tool call {j} ({function['name']}): arguments are not JSON") from None
        out.append((function["name"], arguments))
    return tuple(out)


def texts_of(value: Any, where: str) -> list[str]:
    """The texts of a content: a string, ``None`` (no text), or a list of text parts."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        parts: list[str] = []
        for i, part in enumerate(value):
            if isinstance(part, Mapping) and part.get("type") == "text" and isinstance(part.get("text"), str):
                parts.append(part["text"])
            else:
                kind = part.get("type") if isinstance(part, Mapping) else type(part).__name__
                raise InputError(f"{where} part {i}: only text parts can be counted, not {kind!r}")
        return parts
    raise InputError(f"{where} must be a string or a list of text parts, not {type(value).__name__}")


def _json(tool: Any, indent: int | None = None) -> str:
    """A tool as the templates' ``tojson`` writes it (Hugging Face's: ``json.dumps`` with
    ``ensure_ascii=False``, keys in the given order)."""
    return json.dumps(tool, ensure_ascii=False, indent=indent)


# ---------------------------------------------------------------------------------------- Llama


def llama3(chat: list[Turn], tools: list[Mapping[str, Any]] | None, date: str) -> Prompt:
    """Meta-Llama-3-8B-Instruct's template (Llama 3.0)."""
    p = Prompt(LLAMA3_SPECIALS)
    p.lit("<|begin_of_text|>")
    for turn in chat:
        p.lit(f"<|start_header_id|>{turn.role}<|end_header_id|>\n\n")
        p.text(turn.content.strip())
        p.lit("<|eot_id|>")
    p.lit("<|start_header_id|>assistant<|end_header_id|>\n\n")
    return p


def _llama_tools_user(p: Prompt, chat: list[Turn], tools: list[Mapping[str, Any]], header: str, eot: str) -> list[Turn]:
    """The first message, as the user message that carries the tool definitions; the rest."""
    if not chat:
        raise InputError("tool definitions need a user message to carry them (the template puts them in the first one)")
    p.lit(header.format(role="user"))
    p.lit(_LLAMA_TOOLS_INTRO)
    for tool in tools:
        p.text(_json(tool, indent=4))
        p.lit("\n\n")
    p.text(chat[0].content.strip())
    p.lit(eot)
    return chat[1:]


def llama31(chat: list[Turn], tools: list[Mapping[str, Any]] | None, date: str, trim: bool = True) -> Prompt:
    """Llama 3.1 / 3.2 / 3.3 Instruct's template (no built-in tools); ``trim=False``: Llama 3.2
    Vision's, which writes the messages untrimmed (a text-only chat; images are not counted)."""
    p = Prompt(LLAMA3_SPECIALS)
    header = "<|start_header_id|>{role}<|end_header_id|>\n\n"
    system = ""
    if chat and chat[0].role == "system":
        system, chat = chat[0].content.strip(), chat[1:]
    p.lit("<|begin_of_text|>" + header.format(role="system"))
    if tools is not None:
        p.lit("Environment: ipython\n")
    p.lit(f"Cutting Knowledge Date: December 2023\nToday Date: {date}\n\n")
    p.text(system)
    p.lit("<|eot_id|>")
    if tools is not None:
        chat = _llama_tools_user(p, chat, tools, header, "<|eot_id|>")
    for turn in chat:
        if turn.role == "tool":
            p.lit(header.format(role="ipython"))
            p.text(_json(turn.content))  # the template writes a string result as JSON too
        elif turn.calls:
            if len(turn.calls) != 1:
                raise InputError("the Llama 3.1-3.3 chat template takes one tool call per message")
            p.lit(header.format(role="assistant"))
            p.text(_call_json(*turn.calls[0], "parameters"))
        else:
            p.lit(header.format(role=turn.role))
            p.text(turn.content.strip() if trim else turn.content)
        p.lit("<|eot_id|>")
    p.lit(header.format(role="assistant"))
    return p


def _call_json(name: str, arguments: Any, key: str) -> str:
    """``{"name": "NAME", "KEY": ARGUMENTS}`` as the Llama and Qwen templates write a tool call."""
    return '{"name": "' + name + f'", "{key}": ' + _json(arguments) + "}"


def llama4(chat: list[Turn], tools: list[Mapping[str, Any]] | None, date: str) -> Prompt:
    """Llama 4 Scout / Maverick Instruct's template (the date is set but not written)."""
    p = Prompt(LLAMA4_SPECIALS)
    header = "<|header_start|>{role}<|header_end|>\n\n"
    p.lit("<|begin_of_text|>")
    if chat and chat[0].role == "system":
        system, chat = chat[0].content.strip(), chat[1:]
        p.lit(header.format(role="system"))
        if tools is not None:
            p.lit("Environment: ipython\n")
        p.text(system)
        p.lit("<|eot|>")
    if tools is not None:
        chat = _llama_tools_user(p, chat, tools, header, "<|eot|>")
    for turn in chat:
        if turn.role == "tool":
            p.lit(header.format(role="ipython"))
            p.text(_json(turn.content))
        elif turn.calls:
            p.lit(header.format(role="assistant") + "<|python_start|>")
            p.text(turn.content)
            p.lit("<|python_end|>")
            for name, arguments in turn.calls:
                p.text(_call_json(name, arguments, "parameters"))
        else:
            p.lit(header.format(role=turn.role))
            p.text(turn.content)
        p.lit("<|eot|>")
    p.lit(header.format(role="assistant"))
    return p


# ----------------------------------------------------------------------------------------- Qwen


def _chatml(p: Prompt, role: str, content: str) -> None:
    p.lit(f"<|im_start|>{role}\n")
    p.text(content)
    p.lit("<|im_end|>\n")


def qwen_legacy(version: str) -> Callable[[list[Turn], list[Mapping[str, Any]] | None, str], Prompt]:
    """Qwen1.5-Chat's and Qwen2-Instruct's template: ChatML with a default system message, no tools."""

    def render(chat: list[Turn], tools: list[Mapping[str, Any]] | None, date: str) -> Prompt:
        p = Prompt(QWEN25_SPECIALS)
        if chat and chat[0].role != "system":
            _chatml(p, "system", QWEN_DEFAULT_SYSTEM[version])
        for turn in chat:
            _chatml(p, turn.role, turn.content)
        if version == "qwen2" or not chat or chat[-1].role != "assistant":
            p.lit("<|im_start|>assistant\n")
        return p

    return render


def _qwen_system(p: Prompt, chat: list[Turn], tools: list[Mapping[str, Any]] | None, default: str | None) -> None:
    """The system message of Qwen2.5 / QwQ / Qwen3, with the ``<tools>`` block when there are tools.

    ``default``: the system text when the chat has none (Qwen2.5's sentence; ``""`` for QwQ, whose
    tools block still starts with a blank line; ``None`` for Qwen3)."""
    system = chat[0].content if chat and chat[0].role == "system" else None
    if tools:
        p.lit("<|im_start|>system\n")
        if system is not None:
            p.text(system)
            p.lit("\n\n")
        elif default is not None:
            p.lit(default + "\n\n")
        p.lit(_QWEN_TOOLS_HEAD)
        for tool in tools:
            p.lit("\n")
            p.text(_json(tool))
        p.lit(_QWEN_TOOLS_TAIL)
    elif system is not None:
        _chatml(p, "system", system)
    elif default:
        _chatml(p, "system", default)


def _qwen_tool_result(p: Prompt, chat: list[Turn], i: int) -> None:
    """A ``tool`` message: consecutive results share one user message, each in ``<tool_response>``."""
    if i == 0 or chat[i - 1].role != "tool":
        p.lit("<|im_start|>user")
    p.lit("\n<tool_response>\n")
    p.text(chat[i].content)
    p.lit("\n</tool_response>")
    if i == len(chat) - 1 or chat[i + 1].role != "tool":
        p.lit("<|im_end|>\n")


def _qwen_calls(p: Prompt, turn: Turn, content: str, original: str) -> None:
    """An assistant message with tool calls in Qwen2.5's and QwQ's templates."""
    p.lit("<|im_start|>assistant")
    if original:
        p.lit("\n")
        p.text(content)
    for name, arguments in turn.calls:
        p.lit("\n<tool_call>\n")
        p.text(_call_json(name, arguments, "arguments"))
        p.lit("\n</tool_call>")
    p.lit("<|im_end|>\n")


def qwen25(chat: list[Turn], tools: list[Mapping[str, Any]] | None, date: str) -> Prompt:
    """Qwen2.5-Instruct's template."""
    p = Prompt(QWEN25_SPECIALS)
    _qwen_system(p, chat, tools, QWEN_DEFAULT_SYSTEM["qwen2.5"])
    for i, turn in enumerate(chat):
        if turn.role == "tool":
            _qwen_tool_result(p, chat, i)
        elif turn.calls:
            _qwen_calls(p, turn, turn.content, turn.content)
        elif not (i == 0 and turn.role == "system"):
            _chatml(p, turn.role, turn.content)
    p.lit("<|im_start|>assistant\n")
    return p


def qwq(chat: list[Turn], tools: list[Mapping[str, Any]] | None, date: str) -> Prompt:
    """QwQ-32B's template: no default system; earlier replies lose their reasoning; ``<think>\\n`` opens the reply."""
    p = Prompt(QWEN3_SPECIALS)
    _qwen_system(p, chat, tools, "")
    for i, turn in enumerate(chat):
        if i == 0 and turn.role == "system":
            continue
        if turn.role == "tool":
            _qwen_tool_result(p, chat, i)
            continue
        content = turn.content
        if turn.role == "assistant" and i != len(chat) - 1:
            content = content.split("</think>")[-1].lstrip("\n")
        if turn.calls:
            _qwen_calls(p, turn, content, turn.content)
        else:
            _chatml(p, turn.role, content)
    p.lit("<|im_start|>assistant\n<think>\n")
    return p


def qwen3(chat: list[Turn], tools: list[Mapping[str, Any]] | None, date: str, think: bool = False) -> Prompt:
    """Qwen3's template (hybrid thinking; ``think``: the Thinking-2507 models' ``<think>\\n`` after the prompt)."""
    p = Prompt(QWEN3_SPECIALS)
    _qwen_system(p, chat, tools, None)
    last_query = len(chat) - 1
    for i in range(len(chat) - 1, -1, -1):
        c = chat[i].content
        if chat[i].role == "user" and not (c.startswith("<tool_response>") and c.endswith("</tool_response>")):
            last_query = i
            break
    for i, turn in enumerate(chat):
        if turn.role == "tool":
            _qwen_tool_result(p, chat, i)
            continue
        if turn.role != "assistant":
            if not (i == 0 and turn.role == "system"):
                _chatml(p, turn.role, turn.content)
            continue
        content, reasoning = turn.content, ""
        if turn.reasoning is not None:
            reasoning = turn.reasoning
        elif "</think>" in content:
            reasoning = content.split("</think>")[0].rstrip("\n").split("<think>")[-1].lstrip("\n")
            content = content.split("</think>")[-1].lstrip("\n")
        p.lit("<|im_start|>assistant\n")
        if i > last_query and (i == len(chat) - 1 or reasoning):
            p.lit("<think>\n")
            p.text(reasoning.strip("\n"))
            p.lit("\n</think>\n\n")
            p.text(content.lstrip("\n"))
        else:
            p.text(content)
        for j, (name, arguments) in enumerate(turn.calls):
            p.lit("\n<tool_call>\n" if (j == 0 and content) or j > 0 else "<tool_call>\n")
            p.text(_call_json(name, arguments, "arguments"))
            p.lit("\n</tool_call>")
        p.lit("<|im_end|>\n")
    p.lit("<|im_start|>assistant\n<think>\n" if think else "<|im_start|>assistant\n")
    return p


# ------------------------------------------------------------------------------------- DeepSeek


def deepseek_distill(chat: list[Turn], tools: list[Mapping[str, Any]] | None, date: str) -> Prompt:
    """DeepSeek-R1-Distill-Llama / -Qwen's template: the last system message first, then the turns."""
    p = Prompt(DEEPSEEK_SPECIALS)
    systems = [t.content for t in chat if t.role == "system"]
    p.lit("<｜begin▁of▁sentence｜>")
    p.text(systems[-1] if systems else "")
    for turn in chat:
        if turn.role == "user":
            p.lit("<｜User｜>")
            p.text(turn.content)
        elif turn.role == "assistant":
            p.lit("<｜Assistant｜>")
            p.text(turn.content.split("</think>")[-1])
            p.lit("<｜end▁of▁sentence｜>")
    p.lit("<｜Assistant｜><think>\n")
    return p


# -------------------------------------------------------------------------------------- gpt-oss

#: The system message of gpt-oss's template, around the date (``model_identity`` and
#: ``reasoning_effort`` at the template's defaults).
GPT_OSS_SYSTEM = (
    "You are ChatGPT, a large language model trained by OpenAI.\nKnowledge cutoff: 2024-06\nCurrent date: ",
    "\n\nReasoning: medium\n\n# Valid channels: analysis, commentary, final. Channel must be included for every message.",
)


def gpt_oss(chat: list[Turn], tools: list[Mapping[str, Any]] | None, date: str) -> Prompt:
    """openai/gpt-oss-120b's template (harmony): a system message the template always writes, your
    first system or developer message as the developer's instructions, user turns, earlier replies
    on the ``final`` channel (their reasoning dropped), then ``<|start|>assistant``."""
    p = Prompt(GPT_OSS_SPECIALS)
    p.lit("<|start|>system<|message|>" + GPT_OSS_SYSTEM[0] + date + GPT_OSS_SYSTEM[1] + "<|end|>")
    if chat and chat[0].role in ("system", "developer"):
        if chat[0].content:
            p.lit("<|start|>developer<|message|># Instructions\n\n")
            p.text(chat[0].content)
            p.lit("\n\n<|end|>")
        chat = chat[1:]
    for turn in chat:
        if turn.role == "user":
            p.lit("<|start|>user<|message|>")
        elif turn.role == "assistant":
            p.lit("<|start|>assistant<|channel|>final<|message|>")
        else:  # a later system or developer message: the template does not write it
            continue
        p.text(turn.content)
        p.lit("<|end|>")
    p.lit("<|start|>assistant")
    return p


def count_prompt(prompt: Prompt, tokenizer: Tokenizer, count_text: Callable[[str, Tokenizer], int]) -> int:
    """The tokens of ``prompt``: one per special token, the text runs counted by ``tokenizer``."""
    return prompt.count(lambda text: count_text(text, tokenizer))


@dataclass(frozen=True)
class Template:
    """A published chat template, written as code: the function, its model, its tokenizer family."""

    render: Callable[..., Prompt]
    published: str
    tokenizer: str
    dated: bool = False
    join: str = "\n"
    #: How a ``datetime.date`` is written, and the date written when none is given.
    date_format: str = "%d %b %Y"
    default_date: str = LLAMA_DEFAULT_DATE


#: Framing key (``tokstats.cost._chat_names.chat_framing``) -> the template tokstats applies.
TEMPLATES: dict[str, Template] = {
    "llama-3": Template(llama3, "meta-llama/Meta-Llama-3-8B-Instruct", "llama3"),
    "llama-3.1": Template(llama31, "meta-llama/Llama-3.1-8B-Instruct", "llama3", dated=True),
    "llama-3.2": Template(llama31, "meta-llama/Llama-3.2-3B-Instruct", "llama3", dated=True),
    "llama-3.2-vision": Template(
        functools.partial(llama31, trim=False),
        "meta-llama/Llama-3.2-11B-Vision-Instruct",
        "llama3",
        dated=True,
        join="",
    ),
    "llama-3.3": Template(llama31, "meta-llama/Llama-3.3-70B-Instruct", "llama3", dated=True),
    "llama-4": Template(llama4, "meta-llama/Llama-4-Scout-17B-16E-Instruct", "llama4", join=""),
    "qwen1.5": Template(qwen_legacy("qwen1.5"), "Qwen/Qwen1.5-72B-Chat", "qwen"),
    "qwen2": Template(qwen_legacy("qwen2"), "Qwen/Qwen2-0.5B-Instruct", "qwen"),
    "qwen3-thinking-2507": Template(
        functools.partial(qwen3, think=True),
        "Qwen/Qwen3-0.6B, the reply opened by <think> as the Thinking-2507 model cards say",
        "qwen",
    ),
    "qwen2.5": Template(qwen25, "Qwen/Qwen2.5-7B-Instruct", "qwen"),
    "qwq": Template(qwq, "Qwen/QwQ-32B", "qwen"),
    "qwen3": Template(qwen3, "Qwen/Qwen3-0.6B", "qwen"),
    "gpt-oss": Template(
        gpt_oss, "openai/gpt-oss-120b", "o200k_harmony", dated=True, date_format="%Y-%m-%d", default_date="2025-08-05"
    ),
    "deepseek-r1-distill-llama": Template(deepseek_distill, "deepseek-ai/DeepSeek-R1-Distill-Llama-8B", "llama3"),
    "deepseek-r1-distill-qwen": Template(deepseek_distill, "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", "qwen"),
}

#: Framings whose published template frames ``tool`` messages and assistant tool calls.
TOOL_MESSAGES = (
    "llama-3.1",
    "llama-3.2",
    "llama-3.2-vision",
    "llama-3.3",
    "llama-4",
    "qwen2.5",
    "qwq",
    "qwen3",
    "qwen3-thinking-2507",
)

#: Framings whose published template has no place for tool definitions.
NO_TOOLS = ("llama-3", "qwen1.5", "qwen2", "deepseek-r1-distill-llama", "deepseek-r1-distill-qwen", "gpt-oss")
