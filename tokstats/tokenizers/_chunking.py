r"""Cutting text (and files read in blocks) only where the tokenizer's pre-tokenizer cuts anyway.

tiktoken-style tokenizers run BPE inside each pre-token, so the ids of chunks cut at a stable
pre-token boundary, laid end to end, are the ids of the whole: chunks can be counted on several
cores with flat memory and the exact total. This module holds the cut rules (rule 1: after a
newline followed by neither whitespace nor ``/``; rule 2: at a space between ASCII letters, for
long lines; rule 3: after a lone newline, for GPT-2's regex; rule 4: between a CJK ideograph and
CJK punctuation, for GPT-2's regex too; combined as a ``CutRule``),
their byte forms for files cut before decoding, and the block reader that grows a chunk where a
block has no cut. The tokenizer names its rule
(``tokstats.tokenizers._base.Tokenizer.cut_rule``); ``None`` means never cut.

Why each rule keeps the count exact, for cl100k_base, o200k_base and the patterns that vary them
(Llama 3, Qwen, Tekken), and the byte forms: docs/count.md, "Why each cut is exact". Property
tests: ``tests/test_chunking.py``.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable, Iterator
from enum import Enum
from functools import cache
from typing import TYPE_CHECKING, BinaryIO

from tokstats.errors import InputError
from tokstats.sources._textio import decode_exact, describe_decode_error

if TYPE_CHECKING:
    import regex


class CutRule(Enum):
    """Where a tokenizer's text may be cut without changing its count.

    Why each rule keeps the count exact: docs/count.md, "Why each cut is exact".
    """

    #: Rules 1 and 2, derived for tiktoken's cl100k / o200k split patterns.
    TIKTOKEN = "tiktoken"
    #: Rules 1 and 2 again, for pre-tokenizers that drop whitespace: every such cut is at whitespace.
    WHITESPACE = "whitespace"
    #: Rules 3 and 2: after a newline with non-whitespace on both sides, else at a space between
    #: ASCII letters (GPT-2's byte-level regex).
    LONE_NEWLINE = "lone-newline"
    #: Rules 3 and 2, and rule 4: between a CJK ideograph and CJK punctuation (GPT-2's byte-level
    #: regex, where a long line of Chinese or Japanese has neither newlines nor spaces).
    GPT2 = "gpt2"
    #: Rule 2 alone: only at a space between ASCII letters (SentencePiece-style ``tokenizer.json``
    #: files whose ``Metaspace`` pre-tokenizer starts a pre-token at every space, and nowhere else).
    SPACE = "space"


def common_rule(rules: list[CutRule | None]) -> CutRule | None:
    """A rule whose cuts are cuts of every rule in ``rules``, or ``None`` if one of them never cuts.

    Rule-3 cuts are rule-1 cuts, the ``space`` rule's cuts (rule 2) are cuts of every rule, and
    the other two rules cut at the same places, so the strictest rule present serves them all.
    """
    if not rules or any(r is None for r in rules):
        return None
    if all(r is CutRule.GPT2 for r in rules):
        return CutRule.GPT2
    for strictest in (CutRule.SPACE, CutRule.LONE_NEWLINE, CutRule.GPT2):
        if strictest in rules:  # GPT2 beside other rules: its rule-4 cuts are not theirs
            return CutRule.LONE_NEWLINE if strictest is CutRule.GPT2 else strictest
    return rules[0]


#: Split patterns (tiktoken ``_pat_str``) whose stable boundaries the rules above were derived for.
CL100K_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|"""
    r"""\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
O200K_PATTERN = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)
#: Llama 3's pattern (``llama_models.llama3.tokenizer.Tokenizer.pat_str``, and the ``Split`` of
#: its ``tokenizer.json``): cl100k's without possessive quantifiers, ``\s++$``, and with
#: ``\s*[\r\n]+`` for ``\s*[\r\n]``.
LLAMA3_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
    r"|\s*[\r\n]+|\s+(?!\S)|\s+"
)
#: Qwen's pattern (``dashscope.tokenizers.qwen_tokenizer.PAT_STR``; Qwen2's ``tokenizer.json``):
#: Llama 3's with one digit per pre-token.
QWEN_PATTERN = LLAMA3_PATTERN.replace(r"\p{N}{1,3}", r"\p{N}")
#: Tekken's pattern (``mistral_common/data/tekken_240718.json``): o200k's with one digit per
#: pre-token and no contraction suffixes.
TEKKEN_PATTERN = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*""",
        r"""\p{N}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)
#: The patterns rules 1 and 2 hold for (docs/count.md, "Why each cut is exact").
SUPPORTED_PATTERNS = frozenset({CL100K_PATTERN, O200K_PATTERN, LLAMA3_PATTERN, QWEN_PATTERN, TEKKEN_PATTERN})

# Whitespace by every definition in play (Python's str.isspace, Unicode White_Space as used by
# the `regex` module, tiktoken's Rust regex and the Oniguruma regex of Hugging Face
# `tokenizers`), plus "/" for o200k's ``[\r\n/]*``.
_SPACE = r"\s\x1c-\x1f\x85"
_NOT_A_START = r"[" + _SPACE + r"/]"
_NEWLINE_CUT = r"(?<=\n)(?!" + _NOT_A_START + r")(?=.)"
_SPACE_CUT = r"(?<=[A-Za-z])(?= [A-Za-z])"
_LONE_NEWLINE_CUT = r"(?<=[^" + _SPACE + r"]\n)(?!" + _NOT_A_START + r")(?=.)"
#: Rule 4's sides: a CJK Unified Ideograph of Unicode 1.1 (U+4E00-U+9FA5, a letter in every
#: Unicode version; no normalization form changes one), and CJK
#: punctuation that every normal form keeps punctuation (NFKC: ， -> "," …).
CJK_PUNCT = "\u3001\u3002\u300a-\u300f\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1f"
_CJK_CUT = "(?<=[\u4e00-\u9fa5])(?=[" + CJK_PUNCT + "])"

# The byte forms (docs/count.md, "In bytes"): a match's start + 1 is the cut.
_NEWLINE_CUT_B = re.compile(rb"\n[\x21-\x2e\x30-\x7e\xc3-\xe0\xe4-\xf4]")
_SPACE_CUT_B = re.compile(rb"[A-Za-z] [A-Za-z]")
# Rule 4: an ideograph (U+4E00-U+9FA5, checked by _ideograph) then CJK punctuation.
_CJK_CUT_B = re.compile(
    rb"[\xe4-\xe9][\x80-\xbf]{2}(?:\xe3\x80[\x81\x82\x8a-\x8f]|\xef\xbc[\x81\x88\x89\x8c\x9a\x9b\x9f])"
)


@cache
def _cut_patterns(rule: CutRule) -> tuple[tuple[regex.Pattern[str], regex.Pattern[str]], ...]:
    """Compiled cut finders of ``rule`` as ``(last, first)`` pairs, preferred first; ``last``
    searches backwards (REVERSE): its first hit is the last cut."""
    import regex  # imported on first use: small files never need a cut (start-up stays fast)

    texts = [_LONE_NEWLINE_CUT if rule is CutRule.LONE_NEWLINE else _NEWLINE_CUT, _SPACE_CUT]
    if rule is CutRule.SPACE:
        texts = [_SPACE_CUT]
    if rule is CutRule.GPT2:
        texts = [_LONE_NEWLINE_CUT, _SPACE_CUT, _CJK_CUT]
    return tuple((regex.compile(t, regex.REVERSE | regex.DOTALL), regex.compile(t, regex.DOTALL)) for t in texts)


#: Default size of a block read from a file (bytes) and of a chunk handed to the counter. Small
#: enough that tiktoken, which is superlinear in a pre-token's length, never gets a pre-token
#: longer than two blocks unless the text has no cut for that long (see tokstats.tokenizers._backends).
BLOCK_SIZE = 256 << 10


def can_cut(pattern: str | None) -> bool:
    """Whether tokstats knows stable cut points for this split pattern (``SUPPORTED_PATTERNS``)."""
    return pattern in SUPPORTED_PATTERNS


def rule_for_pattern(pattern: str | None) -> CutRule | None:
    """``CutRule.TIKTOKEN`` for a split pattern rules 1 and 2 were derived for, else ``None``."""
    return CutRule.TIKTOKEN if can_cut(pattern) else None


def find_cut(text: str, start: int = 0, end: int | None = None, rule: CutRule = CutRule.TIKTOKEN) -> int:
    """The last stable cut ``p`` of ``text[:end]`` with ``start < p < end``, or -1 if there is none.

    The text is seen as if it ended at ``end`` (default: its length), as a chunk would. Newline
    cuts are preferred; under rules 1 and 2 a space cut is used only when the range has no
    newline cut (long lines: minified code, one-line crawls).
    """
    end = len(text) if end is None else end
    for last, _ in _cut_patterns(rule):
        m = last.search(text, start, end)
        if m is not None and m.start() > start:
            return m.start()
    return -1


def split_text(text: str, target: int = BLOCK_SIZE, rule: CutRule = CutRule.TIKTOKEN) -> list[str]:
    """``text`` cut at ``rule``'s stable boundaries into pieces of about ``target`` characters or more.

    ``"".join(pieces) == text``; a piece is longer than ``target`` only where no stable cut
    exists near it. Linear in the text: each search is bounded, nothing is copied but the pieces.
    """
    pieces: list[str] = []
    pos = 0
    n = len(text)
    while n - pos > target:
        # the last cut in the window (pos, pos + target); else the first after it
        cut = find_cut(text, pos, pos + target, rule)
        if cut == -1:
            cut = _first_cut_after(text, pos + target, rule)
            if cut == -1:
                break
        pieces.append(text[pos:cut])
        pos = cut
    pieces.append(text[pos:])
    return [p for p in pieces if p] or [text]


def _first_cut_after(text: str, pos: int, rule: CutRule) -> int:
    """The first stable cut at or after ``pos`` (forward search), or -1."""
    found = [first.search(text, pos) for _, first in _cut_patterns(rule)]
    cands = [m.start() for m in found if m]
    return min(cands) if cands else -1


def _last_match(
    pat: re.Pattern[bytes],
    size: int,
    data: bytes,
    lo: int,
    hi: int,
    accept: Callable[[bytes, int], bool] | None = None,
) -> int:
    """Start of the last match of ``pat`` (matches are ``size`` bytes) inside ``data[lo:hi]`` that
    ``accept(data, start)`` allows (default: any), or -1.

    Searched backwards in windows that grow fourfold, so text with a cut near its end (almost
    all text) costs a few hundred bytes of scanning, and text with none costs one pass.
    """
    width = 256
    end = hi
    overlap = size - 1
    while end > lo:
        start = max(lo, end - width)
        starts = [m.start() for m in pat.finditer(data, start, end)]
        for s in reversed(starts):
            if accept is None or accept(data, s):
                return s
        if start == lo:
            return -1
        end = start + overlap  # a match straddling the window's start
        width *= 4
    return -1


def _after_non_space(data: bytes, i: int) -> bool:
    """Whether the UTF-8 character ending just before index ``i`` of ``data`` is no whitespace
    by any definition (rule 3's ``text[p-2]``). False when it does not decode from ``data``."""
    if i == 0:
        return False
    b = data[i - 1]
    if b < 0x80:
        return 0x21 <= b <= 0x7E
    j = i - 1
    while j > 0 and i - j < 4 and 0x80 <= data[j] <= 0xBF:  # back over continuation bytes
        j -= 1
    try:
        ch = data[j:i].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return len(ch) == 1 and not _is_space(ch)


def _is_space(ch: str) -> bool:
    """Whitespace by any definition in play (see ``_SPACE``)."""
    return ch.isspace() or ch == "\x85" or "\x1c" <= ch <= "\x1f" or _space_re().match(ch) is not None


@cache
def _space_re() -> regex.Pattern[str]:
    import regex

    return regex.compile(r"\s")


def find_cut_bytes(data: bytes, lo: int = 0, rule: CutRule = CutRule.TIKTOKEN) -> int:
    """The last stable cut of UTF-8 ``data`` whose pattern starts at or after index ``lo``, or -1.

    The byte form of ``find_cut`` (docs/count.md, "In bytes"): under rules 1 and 2 a newline
    cut if there is one, else a space cut; under rule 3 the same, with rule 3's newline cut. The
    cut ``p`` is one past the pattern's start: ``lo < p < len(data)``. Under the ``space`` rule
    only space cuts; under the ``gpt2`` rule, where there is neither, rule 4's (after the ideograph).
    """
    lone = _after_non_space if rule in (CutRule.LONE_NEWLINE, CutRule.GPT2) else None
    m = -1 if rule is CutRule.SPACE else _last_match(_NEWLINE_CUT_B, 2, data, lo, len(data), lone)
    if m == -1:
        m = _last_match(_SPACE_CUT_B, 3, data, lo, len(data))
    if m == -1 and rule is CutRule.GPT2:
        m = _last_match(_CJK_CUT_B, 6, data, lo, len(data), _ideograph)
        return -1 if m == -1 else m + 3
    return -1 if m == -1 else m + 1


def _ideograph(data: bytes, i: int) -> bool:
    """Whether the three bytes at ``i`` are U+4E00-U+9FA5 (E4-E9 always lead a character)."""
    ch = data[i : i + 3].decode("utf-8", "replace")
    return len(ch) == 1 and "\u4e00" <= ch <= "\u9fa5"


class _Ahead:
    """Text decoded ahead of the next cut (a stretch with no cut), with its exact error offsets."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = path
        self.parts: list[str] = []
        self.nbytes = 0  # bytes fed to the decoder so far
        self._decoder = codecs.getincrementaldecoder("utf-8")("strict")

    def feed(self, data: bytes, offset: int, final: bool = False) -> None:
        """Decode ``data`` (which starts at file offset ``offset``) after what was fed before."""
        pending = len(self._decoder.getstate()[0])
        try:
            self.parts.append(self._decoder.decode(data, final))
        except UnicodeDecodeError as e:
            raise InputError(describe_decode_error(self.path, e, offset - pending)) from None
        self.nbytes += len(data)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts = []
        self.nbytes = 0
        self._decoder.reset()
        return text


def iter_file_chunks(
    f: BinaryIO,
    path: str | os.PathLike[str],
    *,
    block_size: int = BLOCK_SIZE,
    rule: CutRule | None = CutRule.TIKTOKEN,
) -> Iterator[tuple[str, int]]:
    """Yield ``(text, nbytes)`` chunks of a binary file, cut at ``rule``'s stable boundaries.

    The chunks concatenate to the file's exact UTF-8 text; ``nbytes`` is how many bytes of the
    file each chunk covers. Cuts are found in the bytes and each chunk is decoded once. Invalid
    UTF-8 raises ``InputError`` naming ``path`` and the absolute byte
    offset (a multi-byte character split across two blocks is never an error). With
    ``rule=None`` the whole file is yielded as one chunk. OSErrors from ``f.read`` propagate
    (the caller names the file).
    """
    buf = b""  # bytes read and not yet yielded, after the text decoded ahead
    buf_offset = 0  # file offset of buf[0]
    ahead = _Ahead(path)  # text before buf with no cut in it, decoded as it was read
    searched = 0  # cuts ending before this index of buf have been looked for already
    min_bytes = max(1, block_size // 4)  # don't cut chunks much smaller than a block
    while True:
        block = f.read(block_size)
        if not block:  # end of file: what is left is the last chunk
            if ahead.parts or ahead.nbytes:
                ahead.feed(buf, buf_offset, final=True)
                n = ahead.nbytes
                text = ahead.take()
            else:
                text, n = decode_exact(buf, path, buf_offset), len(buf)
            if text:
                yield text, n
            return
        buf = buf + block if buf else block
        if rule is None:
            ahead.feed(buf, buf_offset)
            buf_offset += len(buf)
            buf = b""
            continue
        if ahead.nbytes + len(buf) < min_bytes:
            continue
        p = find_cut_bytes(buf, max(0, searched - 5), rule)
        if p == -1:
            searched = len(buf)
            if len(buf) >= block_size:  # a long stretch with no cut: decode it now, keep the
                # keep the last bytes as context for the next search (rule 3 decodes the
                # character before a newline: up to 4 bytes before the 2-byte match)
                keep = min(6, len(buf))
                ahead.feed(buf[:-keep], buf_offset)
                buf_offset += len(buf) - keep
                buf = buf[-keep:]
                searched = keep
            continue
        if ahead.nbytes:
            ahead.feed(buf[:p], buf_offset, final=True)
            n = ahead.nbytes
            text = ahead.take()
        else:
            text, n = decode_exact(buf[:p], path, buf_offset), p
        yield text, n
        buf = buf[p:]
        buf_offset += p
        searched = len(buf)
