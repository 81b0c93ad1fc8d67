"""Cutting text (and files read in blocks) only where the encoding's pre-tokenizer cuts anyway.

tiktoken first splits text into pre-tokens with the encoding's regex (``enc._pat_str``), then
runs BPE inside each pre-token. So ``encode_ordinary(a + b) == encode_ordinary(a) +
encode_ordinary(b)`` exactly when ``len(a)`` is a pre-token boundary of ``a + b`` that the regex
also finds in ``a`` alone — a "stable" boundary. Counting chunks cut at stable boundaries, on
several cores, gives the exact count of the whole file.

The cut rules below are derived from the ``cl100k_base`` and ``o200k_base`` patterns (the
``o200k_harmony`` pattern is o200k's) and checked by property tests on adversarial text
(``tests/test_chunking.py``). For any other pattern tokstats does not cut at all: the text is
counted in one piece (exact, but memory then grows with the file).

Rule 1 (newline): cut at ``p`` when ``text[p-1] == "\\n"`` and ``text[p]`` is neither whitespace
nor ``/``. Every alternative that can contain that newline ends at ``p``: ``\\s*[\\r\\n]``
(cl100k) and ``\\s*[\\r\\n]+`` (o200k) stop at the last newline of the whitespace run, which is
``p-1`` because ``text[p]`` is not whitespace (and ``\\s++$`` on the chunk alone matches that
same run); punctuation runs take trailing ``[\\r\\n]*`` (cl100k) or ``[\\r\\n/]*`` (o200k), which
stop before a non-whitespace character other than ``/``. Letter pre-tokens never take a newline
as their optional leading character (``[^\\r\\n\\p{L}\\p{N}]?``), so what starts at ``p`` starts
fresh. ``\\s+(?!\\S)`` (the last space joins the next word) never applies across the cut because
``\\s*[\\r\\n]`` comes first in both patterns.

Rule 2 (space between ASCII letters, for long lines): cut at ``p`` when ``text[p-1]`` and
``text[p+1]`` are ASCII letters and ``text[p] == " "``: the letter pre-token ends at the space
(contraction suffixes need ``'``), and `` b…`` is a fresh pre-token in both texts.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, BinaryIO

from tokstats.textio import decode_exact

if TYPE_CHECKING:
    import regex

#: Split patterns (tiktoken ``_pat_str``) whose stable boundaries the rules above were derived for.
_CL100K_PAT = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|"""
    r"""\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
_O200K_PAT = "|".join(
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
SUPPORTED_PATTERNS = frozenset({_CL100K_PAT, _O200K_PAT})

# Whitespace by every definition in play (Python's str.isspace, Unicode White_Space as used by
# the `regex` module and by tiktoken's Rust regex), plus "/" for o200k's ``[\r\n/]*``.
_NOT_A_START = r"[\s\x1c-\x1f\x85/]"
_NEWLINE_CUT = r"(?<=\n)(?!" + _NOT_A_START + r")(?=.)"
_SPACE_CUT = r"(?<=[A-Za-z])(?= [A-Za-z])"


@cache
def _cut_patterns() -> dict[str, regex.Pattern[str]]:
    """Compiled cut finders; ``*_last`` search backwards (REVERSE): the first hit is the last cut."""
    import regex  # imported on first use: small files never need a cut (start-up stays fast)

    return {
        "newline_last": regex.compile(_NEWLINE_CUT, regex.REVERSE | regex.DOTALL),
        "space_last": regex.compile(_SPACE_CUT, regex.REVERSE),
        "newline_first": regex.compile(_NEWLINE_CUT, regex.DOTALL),
        "space_first": regex.compile(_SPACE_CUT),
    }


#: Default size of a block read from a file (bytes) and of a chunk handed to the counter.
BLOCK_SIZE = 1 << 20


def can_cut(pattern: str) -> bool:
    """Whether tokstats knows stable cut points for this split pattern (cl100k / o200k)."""
    return pattern in SUPPORTED_PATTERNS


def find_cut(text: str, start: int = 0) -> int:
    """The last stable cut position ``p`` with ``start < p < len(text)``, or -1 if there is none.

    Newline cuts are preferred; a space cut is used only when the text after ``start`` has no
    newline cut (long lines: minified code, one-line crawls).
    """
    # the search sees only text[start:], so a lookbehind keeps every match at p > start
    pats = _cut_patterns()
    m = pats["newline_last"].search(text, start)
    if m is None:
        m = pats["space_last"].search(text, start)
    return -1 if m is None else m.start()


def split_text(text: str, target: int = BLOCK_SIZE) -> list[str]:
    """``text`` cut at stable boundaries into pieces of about ``target`` characters or more.

    ``"".join(pieces) == text``; a piece is longer than ``target`` only where no stable cut
    exists near it.
    """
    pieces: list[str] = []
    pos = 0
    n = len(text)
    while n - pos > target:
        # the last cut in the window [pos, pos + target]; else the first after it
        cut = find_cut(text[: pos + target], pos)
        if cut == -1:
            cut = _first_cut_after(text, pos + target)
            if cut == -1:
                break
        pieces.append(text[pos:cut])
        pos = cut
    pieces.append(text[pos:])
    return [p for p in pieces if p] or [text]


def _first_cut_after(text: str, pos: int) -> int:
    """The first stable cut at or after ``pos`` (forward search), or -1."""
    pats = _cut_patterns()
    found = (pats["newline_first"].search(text, pos), pats["space_first"].search(text, pos))
    cands = [m.start() for m in found if m]
    return min(cands) if cands else -1


def _incomplete_tail(data: bytes) -> int:
    """How many bytes at the end of ``data`` are the start of an unfinished UTF-8 sequence (0-3)."""
    for back in range(1, min(4, len(data)) + 1):
        b = data[-back]
        if b < 0x80:
            return 0
        if b >= 0xC0:  # a lead byte: how long should its sequence be?
            need = 2 if b < 0xE0 else 3 if b < 0xF0 else 4
            return back if need > back else 0
    return 0  # only continuation bytes: let the decoder report them


def iter_file_chunks(
    f: BinaryIO,
    path: str | os.PathLike[str],
    *,
    block_size: int = BLOCK_SIZE,
    cut: bool = True,
) -> Iterator[tuple[str, int]]:
    """Yield ``(text, nbytes)`` chunks of a binary file, cut at stable boundaries.

    The chunks concatenate to the file's exact UTF-8 text; ``nbytes`` is how many bytes of the
    file each chunk covers. Invalid UTF-8 raises :class:`~tokstats.errors.InputError` naming
    ``path`` and the absolute byte offset; a multi-byte character split across two blocks is
    carried over, never an error. With ``cut=False`` the whole file is yielded as one chunk.
    OSErrors from ``f.read`` propagate (the caller names the file).
    """
    parts: list[str] = []  # decoded text not yet yielded, oldest first (joined only to cut)
    n_chars = 0  # characters in ``parts``
    searched = 0  # cuts before this index of the pending text have been looked for already
    pending_bytes = 0  # how many file bytes ``parts`` cover
    carry = b""  # undecoded bytes of a character split across blocks
    offset = 0  # file offset of carry[0]
    min_chars = max(1, block_size // 4)  # don't cut chunks much smaller than a block
    while True:
        block = f.read(block_size)
        data = carry + block
        if not block:  # end of file: decode what is left (an unfinished sequence is an error)
            parts.append(decode_exact(data, path, offset))
            rest = "".join(parts)
            if rest:
                yield rest, pending_bytes + len(data)
            return
        keep = _incomplete_tail(data)
        whole = data[: len(data) - keep] if keep else data
        text = decode_exact(whole, path, offset)
        offset += len(whole)
        carry = data[len(whole) :]
        parts.append(text)
        n_chars += len(text)
        pending_bytes += len(whole)
        if not cut or n_chars < min_chars:
            continue
        # Look only at text not searched yet, with two characters of context before it: the
        # rules look one character behind and up to two ahead of a cut.
        start = max(0, searched - 2)
        p = find_cut(_tail(parts, n_chars - start), 0)
        searched = n_chars
        if p == -1:
            continue  # no stable cut yet (one very long line): keep reading
        p += start
        pending = "".join(parts)
        head, rest = pending[:p], pending[p:]
        head_bytes = len(head.encode("utf-8"))
        yield head, head_bytes
        parts, n_chars, searched = [rest], len(rest), len(rest)
        pending_bytes -= head_bytes


def _tail(parts: list[str], n: int) -> str:
    """The last ``n`` characters of ``"".join(parts)``, joining only the parts needed."""
    got, i = 0, len(parts)
    while got < n and i > 0:
        i -= 1
        got += len(parts[i])
    joined = "".join(parts[i:])
    return joined[len(joined) - n :]
