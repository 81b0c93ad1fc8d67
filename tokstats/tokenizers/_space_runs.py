r"""Long runs of one space, tab or ASCII letter counted without handing them to tiktoken whole.

tiktoken's regex overflows its stack on a run of about a million spaces (a ``PanicException``),
and its BPE holds some 60 bytes per byte of one pre-token. For byte-level BPE with a
tiktoken-style pattern (cl100k's, o200k's, and the Llama 3, Llama 4, Qwen and Tekken variants),
a maximal run ``c * n`` of one whitespace character ``c`` (space or tab), with no whitespace on
either side, is split by the pattern the same way wherever it stands:

- the text before it ends in a non-whitespace character, which no alternative can extend into
  whitespace (letters, digits and punctuation runs stop there), so the pre-tokens before the run
  are those of that text alone;
- at the run's first character only ``\s+(?!\S)`` can match (a space prefix needs a letter or
  punctuation next, ``\s*[\r\n]+`` a newline), and it takes ``c * (n - 1)`` when the run is
  followed by a character, ``c * n`` at the end of the text;
- the run's last character then starts the rest, which the patterns (no look-behind) split as
  they split it alone.

So ``count(A + c*n + B) == count(A) + bpe(c * (n - 1)) + count(c + B)``. Likewise a maximal run
of one ASCII letter is a whole pre-token when it starts the text or follows a newline, CR or
digit (which no letter alternative takes as its prefix) and ends the text or is followed by no
letter, mark or apostrophe (which would extend it): ``count(A + c*n + B) == count(A) +
bpe(c * n) + count(B)`` (a digit group or a newline run before it ends where it does in ``A``
alone). ``bpe(c * m)`` for a very
long run comes from a shorter one: rank-order BPE on one repeated character ends in blocks of
one size ``P`` laid from the left (``c * P`` is the first token of a long run), and once the first
token is ``c * P`` no merge ever crossed that boundary, so the rest was merged exactly as it
would be alone: ``bpe(c * (m + P)) == [c * P] + bpe(c * m)``. tokstats takes ``P`` from the
tokenizer itself and tests the identity for every run length from ``BASE`` to ``BASE + 4 P``
and beyond for each family (``tests/test_space_runs.py``).
"""

from __future__ import annotations

import re
import string
import threading
import unicodedata
from collections.abc import Callable

#: Runs shorter than this are left to tiktoken (it takes them whole, fast).
RUN_MIN = 4096
#: Runs are reduced to a length between ``BASE`` and ``BASE + P`` before tiktoken counts them.
BASE = 4096

# Whitespace by every definition in play (tokstats.tokenizers._chunking).
_SPACE = re.compile(r"[\s\x1c-\x1f\x85]")


def _runs_of(text: str, c: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each maximal run of ``c`` at least ``RUN_MIN`` long (C-speed string
    search; no regex backtracking stack, so memory stays flat)."""
    out = []
    probe = c * RUN_MIN
    pos = text.find(probe)
    while pos != -1:
        a = pos
        while a > 0 and text[a - 1] == c:  # find() gives the first full probe: a is its start
            a -= 1
        end = pos + RUN_MIN
        step = RUN_MIN
        while text.startswith(c * step, end):  # gallop to the run's end
            end += step
            step *= 2
        while step > 1:
            step //= 2
            if text.startswith(c * step, end):
                end += step
        out.append((a, end))
        pos = text.find(probe, end)
    return out


def _candidates(text: str) -> set[str]:
    """Characters that may have a run of ``RUN_MIN`` or more in ``text``: such a run covers two
    consecutive samples taken every ``RUN_MIN // 2`` characters, so a run shows as two equal
    samples in a row (cheap: the text is not scanned)."""
    sample = text[:: RUN_MIN // 2]
    return {a for a, b in zip(sample, sample[1:]) if a == b and (a in " \t" or a in string.ascii_letters)}


class RunCounter:
    """``count(text)`` for a tiktoken-style tokenizer, with long runs of spaces or tabs counted
    from shorter ones (see the module docstring). ``count_plain`` counts a text whole;
    ``first_token_length(c)`` is the length of the first token of a long run of ``c``."""

    def __init__(self, count_plain: Callable[[str], int], first_token_length: Callable[[str], int]) -> None:
        self._plain = count_plain
        self._first = first_token_length
        self._period: dict[str, int] = {}
        self._runs: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()

    def count(self, text: str) -> int:
        if len(text) < RUN_MIN:
            return self._plain(text)
        found = _candidates(text)
        if not found:
            return self._plain(text)
        cuts = [*self._space_runs(text, found), *self._letter_runs(text, found)]
        if not cuts:
            return self._plain(text)
        total = 0
        pos = 0
        for a, _end, run in sorted(cuts):
            if a < pos:  # overlaps a run taken already (cannot happen: runs are of one character)
                continue
            total += self._plain(text[pos:a]) if a > pos else 0
            total += self.run(text[a], run)
            pos = a + run
        return total + (self._plain(text[pos:]) if pos < len(text) else 0)

    @staticmethod
    def _space_runs(text: str, found: set[str]) -> list[tuple[int, int, int]]:
        """``(start, end, pre-token length)`` of each maximal run of spaces or tabs that has no
        whitespace beside it: its pre-token is the run less its last character (all of it at
        the end of the text)."""
        if not found & {" ", "\t"}:
            return []
        out = []
        for a, b in sorted(r for c in found & {" ", "\t"} for r in _runs_of(text, c)):
            if (a > 0 and _SPACE.match(text, a - 1)) or (b < len(text) and _SPACE.match(text, b)):
                continue  # other whitespace beside the run joins its pre-token: left whole
            out.append((a, b, b - a if b == len(text) else b - a - 1))
        return out

    @staticmethod
    def _letter_runs(text: str, found: set[str]) -> list[tuple[int, int, int]]:
        """``(start, end, length)`` of each maximal run of one ASCII letter that is a whole
        pre-token: at the text's start or after a newline, CR or digit (which no letter
        alternative takes as its prefix), and before the end or a character that is no letter,
        mark or apostrophe (which would extend it)."""
        if not found - {" ", "\t"}:
            return []
        out = []
        for a, b in sorted(r for c in found - {" ", "\t"} for r in _runs_of(text, c)):
            before_ok = a == 0 or text[a - 1] in "\r\n" or unicodedata.category(text[a - 1]).startswith("N")
            after = text[b] if b < len(text) else ""
            after_ok = after == "" or (after != "'" and unicodedata.category(after)[0] not in "LM")
            if before_ok and after_ok:
                out.append((a, b, b - a))
        return out

    def period(self, c: str) -> int:
        with self._lock:
            p = self._period.get(c)
        if p is None:
            p = self._first(c * (2 * BASE))
            with self._lock:
                self._period[c] = p
        return p

    def run(self, c: str, n: int) -> int:
        """Tokens of the one pre-token ``c * n``."""
        if n <= BASE:
            return self._plain(c * n)
        p = self.period(c)
        r = BASE + (n - BASE) % p
        with self._lock:
            got = self._runs.get((c, r))
        if got is None:
            got = self._plain(c * r)
            with self._lock:
                self._runs[(c, r)] = got
        return got + (n - r) // p
