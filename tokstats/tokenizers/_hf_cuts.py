r"""Which Hugging Face ``tokenizer.json`` files may be cut into chunks, and where.

``cut_rule`` reads a file's configuration as the library writes it back (every option
explicit) and names the ``CutRule`` that keeps the count
exact, or ``None``: every shape not accepted here is counted whole, in one piece (exact, memory
growing with the text). Accepted shapes:

- **whitespace rule** (WordPiece style): a whitespace-dropping pre-tokenizer (``Whitespace``,
  ``WhitespaceSplit``, ``BertPreTokenizer``, in a ``Sequence`` with ``Punctuation``/``Digits``),
  a character-by-character normalizer, no added token holding or stripping whitespace;
- **byte-level BPE** (model ``BPE`` without dropout), normalizer none, ``NFC``, ``NFD``,
  ``NFKC``, ``NFKD`` or ``Lowercase`` (not NFKC/NFKD with o200k's pattern), no non-special added
  token holding or stripping whitespace (and then no special token holding whitespace), with
  either ``ByteLevel(add_prefix_space=false, use_regex=true)`` (GPT-2's regex,
  ``GPT2_PATTERN``): the **lone-newline rule**; or ``Sequence[Split(Regex(P), Isolated,
  invert=false), ByteLevel(add_prefix_space=false, use_regex=false)]`` with ``P`` one of
  ``SPLIT_PATTERNS``: the **tiktoken rules**. With GPT-2's regex and no non-special added token
  holding an ideograph before CJK punctuation, also between the two (rule 4, the ``gpt2`` rule:
  GPT-2's regex always ends a letter run there, and no accepted normalizer changes either side);
- **SentencePiece style**: model ``Unigram``, or ``BPE`` without dropout, behind a ``Metaspace``
  pre-tokenizer that starts a pre-token at every space (``split: true``, alone, or after
  ``WhitespaceSplit``), normalizers among ``NFC``/``NFD``/``NFKC``/``NFKD``, ``Lowercase``,
  ``StripAccents``, ``Precompiled`` (SentencePiece's character map), ``Replace`` of a string
  without whitespace by one without, and ``Replace(" {2,}", " ")``; the whole normalizer must map
  a space between two ASCII letters to itself and each letter to text without whitespace (checked
  on the loaded tokenizer, ``normalize``), no non-special added token holding or stripping
  whitespace: the **space rule**, at a space between ASCII letters only.

Why each stage (added tokens, normalizer, pre-tokenizer) keeps such a cut: docs/tokenizers.md,
"Why a tokenizer.json cut is exact". Property tests train a tokenizer of each shape
(``tests/test_hf_cuts.py``) and check that the ids of the chunks are the ids of the whole.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from typing import Any

from tokstats.tokenizers._chunking import (
    CJK_PUNCT,
    CL100K_PATTERN,
    LLAMA3_PATTERN,
    O200K_PATTERN,
    QWEN_PATTERN,
    CutRule,
)

#: The regex the ``ByteLevel`` pre-tokenizer splits by when ``use_regex`` is true (GPT-2's).
GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""

#: ``Split`` patterns the tiktoken rules are argued for (docs/tokenizers.md), by name.
SPLIT_PATTERNS = {"llama3": LLAMA3_PATTERN, "qwen2": QWEN_PATTERN, "cl100k": CL100K_PATTERN, "o200k": O200K_PATTERN}

_WHITESPACE_DROPPING = frozenset({"Whitespace", "WhitespaceSplit", "BertPreTokenizer"})
_SPLIT_ONLY = frozenset({"Punctuation", "Digits"})
_PER_CHARACTER = frozenset({"Lowercase", "NFC", "NFD", "NFKC", "NFKD", "StripAccents", "BertNormalizer"})
_NEWLINE_SAFE = frozenset({"Lowercase", "NFC", "NFD", "NFKC", "NFKD"})
_COMPATIBILITY = frozenset({"NFKC", "NFKD"})


def types(component: Any, key: str) -> list[str]:
    """Types of a normalizer / pre-tokenizer / decoder, flattening ``Sequence``s."""
    if not isinstance(component, dict):
        return []
    if component.get("type") == "Sequence":
        return [t for c in component.get(key) or [] for t in types(c, key)]
    return [str(component.get("type"))]


def _holds_space(token: dict[str, Any]) -> bool:
    return any(c.isspace() for c in str(token.get("content", "")))


def _plain_added_tokens_ok(config: dict[str, Any]) -> bool:
    """No added token that is not special holds whitespace or strips it."""
    for added in config.get("added_tokens") or []:
        if added.get("special"):
            continue  # encoded as text (encode_special_tokens)
        if added.get("lstrip") or added.get("rstrip") or _holds_space(added):
            return False
    return True


def _whitespace_rule(config: dict[str, Any]) -> bool:
    """The WordPiece-style shape (see the module docstring)."""
    pre = types(config.get("pre_tokenizer"), "pretokenizers")
    norm = types(config.get("normalizer"), "normalizers")
    if not pre or not set(pre) & _WHITESPACE_DROPPING or not set(pre) <= _WHITESPACE_DROPPING | _SPLIT_ONLY:
        return False
    return set(norm) <= _PER_CHARACTER and _plain_added_tokens_ok(config)


def _byte_level(step: Any, use_regex: bool) -> bool:
    return (
        isinstance(step, dict)
        and step.get("type") == "ByteLevel"
        and step.get("add_prefix_space") is False
        and step.get("use_regex") is use_regex
    )


def byte_level_pattern(pre: Any) -> str | None:
    """The name of the accepted byte-level pre-tokenizer shape (``gpt2`` or a key of
    ``SPLIT_PATTERNS``), or ``None``."""
    if _byte_level(pre, True):
        return "gpt2"
    if not isinstance(pre, dict) or pre.get("type") != "Sequence":
        return None
    steps = pre.get("pretokenizers") or []
    if len(steps) != 2 or not _byte_level(steps[1], False):
        return None
    split = steps[0]
    if not (
        isinstance(split, dict)
        and split.get("type") == "Split"
        and split.get("behavior") == "Isolated"
        and split.get("invert") is False
    ):
        return None
    pattern = split.get("pattern")
    regex = pattern.get("Regex") if isinstance(pattern, dict) else None
    return next((name for name, p in SPLIT_PATTERNS.items() if p == regex), None)


def _byte_level_rule(config: dict[str, Any]) -> CutRule | None:
    """The byte-level BPE shapes of the module docstring: the lone-newline rule for GPT-2's
    regex, the tiktoken rules for the ``Split`` patterns, ``None`` for anything else."""
    model = config.get("model") or {}
    if model.get("type") != "BPE" or model.get("dropout"):
        return None
    shape = byte_level_pattern(config.get("pre_tokenizer"))
    if shape is None:
        return None
    norm = set(types(config.get("normalizer"), "normalizers"))
    if not norm <= _NEWLINE_SAFE or (shape == "o200k" and norm & _COMPATIBILITY):
        return None
    if not _plain_added_tokens_ok(config):
        return None
    added = config.get("added_tokens") or []
    if any(not t.get("special") for t in added) and any(_holds_space(t) for t in added):
        return None
    if shape != "gpt2":
        return CutRule.TIKTOKEN
    return CutRule.LONE_NEWLINE if any(_ideograph_punct(t) for t in added if not t.get("special")) else CutRule.GPT2


_IDEOGRAPH_PUNCT = re.compile("[\u4e00-\u9fa5][" + CJK_PUNCT + ",!():;?]")


def _ideograph_punct(token: dict[str, Any]) -> bool:
    """An added token that could cover a rule-4 cut: an ideograph, then CJK punctuation (or what
    NFKC makes of it)."""
    return _IDEOGRAPH_PUNCT.search(str(token.get("content", ""))) is not None


#: Normalizers of the space rule that work character by character (or grapheme by grapheme).
_SPACE_SAFE = frozenset({"NFC", "NFD", "NFKC", "NFKD", "Lowercase", "StripAccents", "Precompiled"})


def _normalizers(component: Any) -> list[dict[str, Any]]:
    """The normalizer steps of a configuration, ``Sequence``s flattened."""
    if not isinstance(component, dict):
        return []
    if component.get("type") == "Sequence":
        return [n for c in component.get("normalizers") or [] for n in _normalizers(c)]
    return [component]


def _space_safe_step(step: dict[str, Any]) -> bool:
    """A normalizer step that never rewrites across a single space between non-whitespace."""
    kind = step.get("type")
    if kind in _SPACE_SAFE:
        return True
    if kind != "Replace":
        return False
    pattern = step.get("pattern") or {}
    content = str(step.get("content", ""))
    if pattern.get("Regex") == " {2,}":
        return content == " "
    literal = pattern.get("String")
    return bool(literal) and not _holds_ws(str(literal)) and not _holds_ws(content)


def _holds_ws(text: str) -> bool:
    return any(c.isspace() or c == "\x85" or "\x1c" <= c <= "\x1f" for c in text)


def _metaspace(step: Any, split: bool | None) -> bool:
    """A ``Metaspace`` step; with ``split`` given, whose ``split`` option is that."""
    return (
        isinstance(step, dict)
        and step.get("type") == "Metaspace"
        and step.get("prepend_scheme") in ("first", "always", "never")
        and len(str(step.get("replacement", ""))) == 1
        and (split is None or step.get("split") is split)
    )


def _metaspace_pre(pre: Any) -> bool:
    """``Metaspace(split: true)``, or ``Sequence[WhitespaceSplit, Metaspace]``: a pre-token
    starts at every space of the normalized text, and nowhere a space is not."""
    if _metaspace(pre, True):
        return True
    if not isinstance(pre, dict) or pre.get("type") != "Sequence":
        return False
    steps = pre.get("pretokenizers") or []
    return len(steps) == 2 and steps[0].get("type") == "WhitespaceSplit" and _metaspace(steps[1], None)


def letters_keep_spaces(normalize: Callable[[str], str]) -> bool:
    """Whether ``normalize`` maps ``"x y"`` to ``normalize("x") + " " + normalize("y")`` for all
    ASCII letters ``x`` and ``y``, with no whitespace in ``normalize("x")``."""
    alone = {c: normalize(c) for c in string.ascii_letters}
    if any(not n or _holds_ws(n) for n in alone.values()):
        return False
    return all(
        normalize(f"{a} {b}") == f"{alone[a]} {alone[b]}" for a in string.ascii_letters for b in string.ascii_letters
    )


def _space_rule(config: dict[str, Any], normalize: Callable[[str], str] | None) -> bool:
    """The SentencePiece-style shape of the module docstring (the space rule)."""
    model = config.get("model") or {}
    if model.get("type") not in ("Unigram", "BPE") or model.get("dropout"):
        return False
    if not _metaspace_pre(config.get("pre_tokenizer")):
        return False
    steps = _normalizers(config.get("normalizer"))
    if not all(_space_safe_step(s) for s in steps) or not _plain_added_tokens_ok(config):
        return False
    if not steps:
        return True
    return normalize is not None and letters_keep_spaces(normalize)


def cut_rule(config: dict[str, Any], normalize: Callable[[str], str] | None = None) -> CutRule | None:
    """The cut rule a ``tokenizer.json`` configuration allows, or ``None`` (counted whole).

    ``normalize``: the loaded tokenizer's normalizer (``normalize_str``), which the space rule
    checks on ASCII letters around a space; without it a SentencePiece-style file with a
    normalizer is counted whole."""
    if _whitespace_rule(config):
        return CutRule.WHITESPACE
    if _space_rule(config, normalize):
        return CutRule.SPACE
    return _byte_level_rule(config)
