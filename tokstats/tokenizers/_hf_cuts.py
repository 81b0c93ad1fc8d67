r"""Which Hugging Face ``tokenizer.json`` files may be cut into chunks, and where.

The library encodes in stages: the added-token matcher cuts out added tokens, the normalizer
rewrites the rest, the pre-tokenizer splits it into pre-tokens, and the model encodes each
pre-token alone. So ``count(a + b) == count(a) + count(b)`` when ``len(a)`` is a boundary that
every stage also finds in ``a`` and ``b`` alone. :func:`cut_rule` reads the file's configuration
as the library writes it back (every option explicit) and names the
:class:`~tokstats.tokenizers._chunking.CutRule` that keeps the count exact, or ``None``: every shape not
listed here is counted whole, in one piece (exact, memory growing with the text).

**Whitespace rule** (WordPiece style). The pre-tokenizer drops whitespace (``Whitespace``,
``WhitespaceSplit``, ``BertPreTokenizer``, in a ``Sequence`` with ``Punctuation``/``Digits``),
the normalizer works character by character (none, Unicode normal forms, ``Lowercase``,
``StripAccents``, ``BertNormalizer``) and no added token holds whitespace or strips it: no
token can cross a whitespace character, and every cut of the rule is at one.

**Byte-level BPE** (GPT-2, Llama 3, Qwen2 style). Accepted shapes:

- model ``BPE`` without dropout;
- pre-tokenizer ``ByteLevel(add_prefix_space=false, use_regex=true)`` (GPT-2's regex
  :data:`GPT2_PATTERN`): the **lone-newline rule**, cut at ``p`` when ``text[p-1] == "\n"``,
  ``text[p-2]`` is not whitespace (by every definition: Python's ``isspace``, Unicode
  White_Space, which is Oniguruma's ``\s``, ``\x1c``-``\x1f``, ``\x85``) and ``text[p]`` is
  neither whitespace nor ``/``, and, in long lines, at a space between ASCII letters;
- or ``Sequence[Split(Regex(P), behavior=Isolated, invert=false), ByteLevel(add_prefix_space=
  false, use_regex=false)]`` with ``P`` one of :data:`SPLIT_PATTERNS` (Llama 3's, Qwen2's,
  tiktoken's cl100k and o200k): the **tiktoken rules** of :mod:`tokstats.tokenizers._chunking` (after a
  newline whose next character is neither whitespace nor ``/``; at a space between ASCII
  letters). That ``ByteLevel`` only maps each pre-token's bytes to characters and adds no space
  at the start of a chunk;
- normalizer none, or ``NFC``, ``NFD``, ``NFKC``, ``NFKD``, ``Lowercase`` (alone or in a
  ``Sequence``), but not NFKC/NFKD with o200k's pattern (below); no ``Prepend``, ``Replace``,
  ``Strip``, ``StripAccents`` …;
- no added token that is not special holds whitespace or strips it (``lstrip``/``rstrip``), and
  if there is such a token, no special token holds whitespace either.

Why each stage keeps the cut (every cut is right after a ``"\n"`` or right before a space):

1. *Added tokens.* Special tokens are encoded as text (``encode_special_tokens``). The others
   hold no whitespace, so no match covers the ``"\n"`` or the space at the cut: the matches
   left of it are found in ``text[:p]``, those right of it in ``text[p:]``, as in the whole
   (``single_word`` looks at the neighbour: a newline or space is no word character, like the
   text's end). The matcher takes the longest match and then skips a special one, so a special
   token holding whitespace could hide a non-special match across the cut: hence the last
   condition.
2. *Normalizer.* The normal forms decompose each character alone, reorder runs of combining
   marks (class > 0) and compose a starter with the marks after it; ``"\n"`` and the space are
   starters (class 0) that compose with nothing, so ``N(a + b) == N(a) + N(b)``; ``Lowercase``
   maps character by character (ASCII letters stay letters). The normalized text has the same
   characters at the cut — no character normalizes to text that ends in whitespace or holds
   ``"\n"`` or ``/`` — except that NFKC/NFKD write 50 characters (``¨``, ``´``, ``΄`` …) as a
   space and a combining mark, and ``／`` (U+FF0F) as ``/``.
3. *GPT-2's regex, lone-newline rule.* Only ``\s+(?!\S)`` and ``\s+`` can take a ``"\n"``; the
   other alternatives take letters, digits, other non-space characters, an apostrophe or one
   leading space. With no whitespace at ``p-2`` and ``p``, at ``p-1`` ``\s+(?!\S)`` fails and
   ``\s+`` takes the ``"\n"`` alone; in ``text[:p]`` alone ``\s+(?!\S)`` takes the same
   ``"\n"`` at the end. (An NFKC space at ``p`` changes nothing: ``\s+(?!\S)`` fails on
   ``"\n "`` before a mark and then takes ``"\n"``.) The tiktoken rule would be wrong here: in
   ``"a \nb"`` the regex gives ``" "``, ``"\n"``, ``"b"``, but ``"a \n"`` alone ends in one
   pre-token ``" \n"``; and ``"\r\n"`` likewise. At a space between ASCII letters (``p`` at
   the space) the letter run ``\p{L}+`` ends at ``p`` (a contraction ends there too) and
   `` ?\p{L}+``, which comes before ``\s+(?!\S)``, takes ``" b…"`` from ``p`` in both texts;
   ASCII letters and the space are left as they are by every accepted normalizer, and the space
   composes with nothing. So files whose lines end in ``"\r\n"`` or ``" \n"`` are still cut in
   their long lines.
4. *Split patterns, tiktoken rules.* Llama 3's pattern is cl100k's without possessive
   quantifiers, Qwen2's is Llama 3's with one digit per pre-token, and the argument of
   :mod:`tokstats.tokenizers._chunking` for rules 1 and 2 holds for all four word for word:
   ``\s*[\r\n]+`` (``\s*[\r\n]`` in cl100k) comes before ``\s+(?!\S)`` and ``\s+`` and stops at
   the last newline of the whitespace run, which is ``p-1``, in both texts (cl100k's ``\s++$``
   fails there in the whole text and takes the same run in the chunk); a punctuation run may end
   with newlines (``[\r\n]*``, o200k's ``[\r\n/]*``) and stops at ``text[p]``, no newline and
   no ``/`` (hence no NFKC with o200k, whose ``／`` would become one), or at the chunk's end;
   letter pre-tokens never start with a newline (``[^\r\n\p{L}\p{N}]?``). One NFKC space after
   the newline, before a mark, is not taken by ``\s*[\r\n]+`` either. At a space between ASCII
   letters the letter run ends, contractions need ``'``, and ``" b…"`` starts a pre-token in
   both texts.

In every case a match left of the cut reads at most one character past its end, where the
whole text has a character that alternative cannot take and the chunk has its end, so the
pre-tokens left of the cut are the same; the patterns have no look-behind and no anchor that
``text[p:]`` alone would see differently (``$`` follows ``\s++``, which takes every newline),
so the pre-tokens from ``p`` on are those of ``text[p:]`` alone. Property tests train a
tokenizer of each shape (``tests/test_hf_cuts.py``) and check that the ids of the chunks are
the ids of the whole on adversarial text.
"""

from __future__ import annotations

from typing import Any

from tokstats.tokenizers._chunking import (
    CL100K_PATTERN,
    LLAMA3_PATTERN,
    O200K_PATTERN,
    QWEN_PATTERN,
    CutRule,
)

#: The regex the ``ByteLevel`` pre-tokenizer splits by when ``use_regex`` is true (GPT-2's).
GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""

#: ``Split`` patterns the lone-newline rule is argued for (module docstring), by name.
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
    :data:`SPLIT_PATTERNS`), or ``None``."""
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
    """The byte-level BPE shapes (see the module docstring): the lone-newline rule for GPT-2's
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
    return CutRule.LONE_NEWLINE if shape == "gpt2" else CutRule.TIKTOKEN


def cut_rule(config: dict[str, Any]) -> CutRule | None:
    """The cut rule a ``tokenizer.json`` configuration allows, or ``None`` (counted whole)."""
    if _whitespace_rule(config):
        return CutRule.WHITESPACE
    return _byte_level_rule(config)
