"""Per-token facts looked up in arrays, so measuring a text has no per-token Python loop.

Measuring a text needs, for each of its tokens, its length in bytes (to lay the tokens end to
end: their byte spans) and whether it is a byte token (not UTF-8 on its own). Both are facts of
the token id alone; a ``TokenTable`` asks the tokenizer once per distinct id
(``token_bytes``, ``is_byte_token``) and keeps the answers in NumPy arrays indexed by id, so a
text's tokens are looked up all at once (``table.lengths(ids)``), whatever its size.
"""

from __future__ import annotations

import threading
import unicodedata
from typing import TYPE_CHECKING

import numpy as np

from tokstats.tokenizers import Tokenizer

if TYPE_CHECKING:
    from numpy.typing import NDArray

_TABLES: dict[int, TokenTable] = {}
_LOCK = threading.Lock()


class TokenTable:
    """Byte length and byte-token flag of each id of one tokenizer, filled in as ids are seen."""

    def __init__(self, tok: Tokenizer) -> None:
        self.tok = tok
        self._known = np.zeros(0, dtype=bool)
        self._length = np.zeros(0, dtype=np.int64)
        self._byte = np.zeros(0, dtype=bool)
        self._lock = threading.Lock()

    def _fill(self, ids: NDArray[np.int64]) -> None:
        if len(ids) == 0:
            return
        top = int(ids.max()) + 1
        if top <= len(self._known) and self._known[ids].all():
            return
        with self._lock:
            if top > len(self._known):
                size = max(top, 2 * len(self._known))
                self._known = np.concatenate([self._known, np.zeros(size - len(self._known), dtype=bool)])
                self._length = np.concatenate([self._length, np.zeros(size - len(self._length), dtype=np.int64)])
                self._byte = np.concatenate([self._byte, np.zeros(size - len(self._byte), dtype=bool)])
            new = np.unique(ids[~self._known[ids]])
            for t in new.tolist():
                self._length[t] = len(self.tok.token_bytes(t))
                self._byte[t] = self.tok.is_byte_token(t)
            self._known[new] = True

    def lengths(self, ids: NDArray[np.int64]) -> NDArray[np.int64]:
        """The byte length of each token."""
        self._fill(ids)
        return self._length[ids]

    def byte_tokens(self, ids: NDArray[np.int64]) -> int:
        """How many of the tokens are byte tokens."""
        self._fill(ids)
        return int(self._byte[ids].sum())

    def byte_tokens_known(self, ids: NDArray[np.int64]) -> int:
        """``byte_tokens`` for ids already looked up (by ``lengths``)."""
        return int(self._byte[ids].sum())


def table(tok: Tokenizer) -> TokenTable:
    """The table of ``tok`` (one per tokenizer object in this process)."""
    with _LOCK:
        found = _TABLES.get(id(tok))
        if found is None or found.tok is not tok:
            found = _TABLES[id(tok)] = TokenTable(tok)
        return found


def _laid_end_to_end(tok: Tokenizer, text: str) -> bool:
    """Whether ``tok``'s token spans are its tokens' bytes end to end for this text: the kinds
    that do not override ``Tokenizer.token_spans``, and rank-file kinds where NFC leaves the text
    as it is (``tokstats.tokenizers._rank_bpe``)."""
    method = type(tok).token_spans
    if method is Tokenizer.token_spans:
        return True
    if type(tok).__name__ == "RanksTokenizer":
        return not getattr(tok, "_nfc", True) or unicodedata.is_normalized("NFC", text)
    return False


def token_spans(tok: Tokenizer, text: str) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """The ids of ``text`` and their byte spans as two arrays (starts, ends), equal to
    ``tok.token_spans(text)``; computed from the table where the tokens lie end to end."""
    if _laid_end_to_end(tok, text):
        ids = np.asarray(tok.encode(text), dtype=np.int64)
        lengths = table(tok).lengths(ids)
        ends = np.cumsum(lengths)
        return ids, ends - lengths, ends
    got, spans = tok.token_spans(text)
    ids = np.asarray(got, dtype=np.int64)
    pairs = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    return ids, pairs[:, 0], pairs[:, 1]


def tokens_per_span(
    starts: NDArray[np.int64], ends: NDArray[np.int64], spans: list[tuple[int, int]]
) -> NDArray[np.int64]:
    """For each byte span ``(a, b)`` (in text order), how many tokens overlap it.

    A token overlaps when it starts before ``b`` and ends after ``a``; a token with an empty span
    ``(p, p)`` counts as ``(p, p + 1)``. Tokens are in text order, so both bounds are monotone
    and two binary searches per span do it.
    """
    if not spans:
        return np.zeros(0, dtype=np.int64)
    q = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    eff = np.maximum(ends, starts + 1)
    first = np.searchsorted(eff, q[:, 0], side="right")
    last = np.searchsorted(starts, q[:, 1], side="left")
    return np.maximum(0, last - first)
