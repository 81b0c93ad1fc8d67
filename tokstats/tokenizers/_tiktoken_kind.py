"""tiktoken encodings behind the ``Tokenizer`` interface.

tokstats' own encodings (offline where tokstats ships the rank files, verified against
tiktoken's pinned sha256; ``tokstats.tokenizers._encodings``) are resolved by name without
parsing their ranks: a run that quicktok counts never needs them, and the signature hashes the
rank file instead. A caller's own ``tiktoken.Encoding`` object is counted with its own ranks.
Ids are ``encode_ordinary``'s: special-token strings are ordinary text.
"""

from __future__ import annotations

import threading

import tiktoken

from tokstats.errors import InputError
from tokstats.tokenizers import _encodings
from tokstats.tokenizers._backends import Counter, Plan, check_backend, encode_ordinary, plan, tiktoken_counter
from tokstats.tokenizers._base import Tokenizer, TokenizerInfo

KIND = "tiktoken"


class TiktokenTokenizer(Tokenizer):
    """One tiktoken encoding; ``name`` is the encoding's name.

    Built from a name (tokstats' own, verified encoding: ranks parsed on first use) or from a
    caller's ``Encoding`` object (counted with that object's ranks, never rerouted to quicktok).
    """

    def __init__(self, name: str, encoding: tiktoken.Encoding | None = None) -> None:
        self.name = name
        self._encoding = encoding
        self._verified = encoding is None or _encodings.is_verified_encoding(encoding)
        self._count: Counter | None = None
        self._bytes: dict[int, bytes] = {}
        self._lock = threading.Lock()
        self._info: TokenizerInfo | None = None

    @property
    def encoding(self) -> tiktoken.Encoding:
        """The ``tiktoken.Encoding`` (tokstats' own is built here, on first use)."""
        if self._encoding is None:
            self._encoding = _encodings.get_encoding(self.name)
        return self._encoding

    def encode(self, text: str) -> list[int]:
        return encode_ordinary(self.encoding, text)  # a huge pre-token: quicktok, linear in it

    def count(self, text: str) -> int:
        if self._count is None:
            self._count = tiktoken_counter(self.encoding)
        return self._count(text)

    def count_batch(self, texts: list[str]) -> list[int]:
        return [self.count(t) for t in texts]

    def token_bytes(self, token: int) -> bytes:
        b = self._bytes.get(token)
        if b is None:
            b = self._bytes[token] = self.encoding.decode_single_token_bytes(token)
        return b

    @property
    def split_pattern(self) -> str:
        if self._encoding is not None:
            return self._encoding._pat_str
        return _encodings.split_pattern(self.name)

    def check_backend(self, backend: str) -> None:
        check_backend(backend)
        if backend == "quicktok" and not self._verified:
            raise InputError(
                f"backend quicktok counts the {self.name} vocabulary it bundles, not this Encoding "
                "object's ranks; pass the encoding name, or use backend='tiktoken'"
            )

    def plan(self, backend: str, nbytes: int) -> Plan:
        """tokstats' own encodings: the backend ``auto`` picks for ``nbytes`` (tiktoken, or
        quicktok where it serves the encoding and passes the canary); a caller's object: its own
        ranks through tiktoken."""
        self.check_backend(backend)
        if not self._verified:
            return plan(self.name, "tiktoken", nbytes, self.count, self.cut_rule)
        return plan(self.name, backend, nbytes, None, self.cut_rule)

    @property
    def info(self) -> TokenizerInfo:
        with self._lock:
            if self._info is None:
                self._info = info_for_name(self.name, verified=self._verified)
            return self._info


def info_for_name(name: str, *, verified: bool = True) -> TokenizerInfo:
    """The provenance of tiktoken encoding ``name`` without building it: its shipped rank file is
    hashed and checked against tiktoken's pin, not parsed (a signature can name the vocabulary
    of a run that quicktok counted without tiktoken's ranks ever being loaded)."""
    path = sha = None
    if verified:
        rank = _encodings._verified.get(name) or _encodings.verify_rank_file(name)
        path = rank.path if rank else None
        sha = _encodings.rank_file_hash(name)
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
    """The tiktoken encoding ``name``, offline and verified (see ``tokstats.tokenizers._encodings``).

    An encoding whose rank file ships with tokstats is resolved without parsing its ranks; any
    other is built now, so a name that cannot be loaded offline fails here, at the door.
    """
    if name not in _encodings.list_encodings() or not _encodings.ships_ranks(name):
        return TiktokenTokenizer(name, _encodings.get_encoding(name))
    return TiktokenTokenizer(name)


def from_encoding(encoding: tiktoken.Encoding) -> TiktokenTokenizer:
    """The tokenizer of a caller's own ``tiktoken.Encoding`` object (one wrapper per object),
    counted with that object's ranks; it records no rank file. (The registry hands out the
    encodings tokstats built itself by name.)"""
    with _lock:
        tok = _wrapped.get(id(encoding))
        if tok is None or tok._encoding is not encoding:
            tok = _wrapped[id(encoding)] = TiktokenTokenizer(encoding.name, encoding)
        return tok
