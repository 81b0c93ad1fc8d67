"""tiktoken encodings behind the :class:`~tokstats.tokenizers._base.Tokenizer` interface.

The encodings come from :mod:`tokstats.tokenizers._encodings` (offline where tokstats ships the rank files,
verified against tiktoken's pinned sha256). Ids are ``encode_ordinary``'s: special-token strings
are ordinary text. ``count`` never builds a list of ids (:func:`tokstats.tokenizers._backends.tiktoken_counter`)
and the split pattern is the encoding's own, so long texts can be cut exactly
(:mod:`tokstats.tokenizers._chunking`).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from tokstats.tokenizers._base import Tokenizer, TokenizerInfo

if TYPE_CHECKING:
    import tiktoken

KIND = "tiktoken"


class TiktokenTokenizer(Tokenizer):
    """One tiktoken ``Encoding``; ``name`` is the encoding's name."""

    def __init__(self, encoding: tiktoken.Encoding, *, verified: bool = True) -> None:
        from tokstats.tokenizers._backends import tiktoken_counter

        self.encoding = encoding
        self.name = encoding.name
        self._verified = verified  # loaded through tokstats.tokenizers._encodings (not a user's own object)
        self._count = tiktoken_counter(encoding)
        self._bytes: dict[int, bytes] = {}
        self._lock = threading.Lock()
        self._info: TokenizerInfo | None = None

    def encode(self, text: str) -> list[int]:
        from tokstats.tokenizers._backends import (
            encode_ordinary,  # a huge pre-token: quicktok, linear in it
        )

        return encode_ordinary(self.encoding, text)

    def count(self, text: str) -> int:
        return self._count(text)

    def count_batch(self, texts: list[str]) -> list[int]:
        return [self._count(t) for t in texts]

    def token_bytes(self, token: int) -> bytes:
        b = self._bytes.get(token)
        if b is None:
            b = self._bytes[token] = self.encoding.decode_single_token_bytes(token)
        return b

    @property
    def split_pattern(self) -> str:
        return self.encoding._pat_str

    @property
    def info(self) -> TokenizerInfo:
        with self._lock:
            if self._info is None:
                self._info = self._make_info()
            return self._info

    def _make_info(self) -> TokenizerInfo:
        return info_for_name(self.name, verified=self._verified)


def info_for_name(name: str, *, verified: bool = True) -> TokenizerInfo:
    """The provenance of tiktoken encoding ``name`` without building it: its shipped rank file is
    hashed and checked against tiktoken's pin, not parsed (a signature can name the vocabulary
    of a run that quicktok counted without tiktoken's ranks ever being loaded)."""
    import tiktoken

    path = sha = None
    if verified:
        from tokstats.tokenizers._encodings import (
            _verified,
            rank_file_hash,
            verify_rank_file,
        )

        rank = _verified.get(name) or verify_rank_file(name)
        path = rank.path if rank else None
        sha = rank_file_hash(name)
    return TokenizerInfo(
        spec=name,
        kind=KIND,
        library=f"tiktoken {tiktoken.__version__}",
        path=path,
        sha256=sha,
        specials="none added; special-token strings counted as ordinary text (encode_ordinary)",
    )


_lock = threading.Lock()
_wrapped: dict[int, TiktokenTokenizer] = {}


def load(name: str) -> TiktokenTokenizer:
    """The tiktoken encoding ``name``, offline and verified (see :mod:`tokstats.tokenizers._encodings`)."""
    from tokstats.tokenizers._encodings import get_encoding

    return from_encoding(get_encoding(name))


def from_encoding(encoding: tiktoken.Encoding) -> TiktokenTokenizer:
    """The tokenizer of a ``tiktoken.Encoding`` object (one wrapper per object).

    An encoding tokstats loaded itself records its rank file and sha256; any other object (built
    by the caller) records none.
    """
    with _lock:
        tok = _wrapped.get(id(encoding))
        if tok is None or tok.encoding is not encoding:
            from tokstats.tokenizers._encodings import _encodings

            ours = _encodings.get(encoding.name) is encoding
            tok = _wrapped[id(encoding)] = TiktokenTokenizer(encoding, verified=ours)
        return tok
