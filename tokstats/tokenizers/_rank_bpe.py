"""Tokenizers built from tiktoken-format ranks, a split pattern and special tokens.

Meta (Llama 3, Llama 4), Alibaba (Qwen) and Mistral (Tekken) all ship a byte-level BPE
vocabulary as *ranks* — one token's bytes per rank, in tiktoken's ``base64 rank`` lines or a JSON
list — and define the pre-tokenizer pattern, any normalisation and the special tokens in their
own code, which then encodes with tiktoken. ``RanksTokenizer`` is that recipe, written once:
the family modules (``llama``, ``qwen``,
``mistral``) only supply the file, the pattern and the specials copied
from the publisher's code, and tests check the ids against the publisher's own encoder.

Counting rule: ``encode`` is tiktoken's ``encode_ordinary`` — the text's own tokens, no BOS/EOS,
and a special-token string in the text (``<|eot_id|>``) is encoded as ordinary text.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Mapping

import tiktoken

from tokstats.tokenizers._backends import Plan, check_backend, plan, serves, tiktoken_counter
from tokstats.tokenizers._base import Tokenizer, TokenizerInfo
from tokstats.tokenizers._chunking import CutRule, rule_for_pattern
from tokstats.tokenizers._space_runs import RunCounter


def laid_end_to_end(lengths: list[int], start: int = 0) -> list[tuple[int, int]]:
    """Spans of consecutive pieces of the given byte lengths."""
    spans = []
    for n in lengths:
        spans.append((start, start + n))
        start += n
    return spans


class RanksTokenizer(Tokenizer):
    """Byte-level BPE over tiktoken: ranks + split pattern + special tokens (+ NFC, id offset).

    ``specials`` maps each special token's string to its id. They are never produced by
    ``encode`` (special strings in the text are ordinary text); ``token_bytes`` gives
    their strings. ``offset`` is added to every rank to make the id (Tekken puts its special
    tokens first). ``nfc`` normalises the text to NFC before encoding (Qwen does).
    """

    def __init__(
        self,
        name: str,
        *,
        ranks: dict[bytes, int],
        pattern: str,
        specials: Mapping[str, int],
        info: TokenizerInfo,
        nfc: bool = False,
        offset: int = 0,
        quicktok: bool = False,
    ) -> None:
        self.name = name
        self._quicktok = quicktok  # quicktok bundles this vocabulary (QUICKTOK_FAMILIES) and may count it
        self._pattern = pattern
        self._nfc = nfc
        self._offset = offset
        self._info = info
        self._special_bytes = {i: s.encode("utf-8") for s, i in specials.items()}
        # No special tokens inside tiktoken: they are never matched in text, and leaving them
        # out spares building a regex over Llama 4's 2,048 of them.
        self._enc = tiktoken.Encoding(
            name=f"tokstats-{name}", pat_str=pattern, mergeable_ranks=ranks, special_tokens={}
        )
        # no list of ids; long runs of spaces counted from shorter ones (tiktoken's regex
        # overflows its stack on a million); a regex panic left is a one-line error
        plain = tiktoken_counter(self._enc, hint=f"{name} has no backend for a pre-token this long")
        self._runs = RunCounter(plain, self._first_token_length)

    def _fast(self) -> bool:
        return self._quicktok and serves("quicktok", self.name)

    def check_backend(self, backend: str) -> None:
        if self._fast():
            check_backend(backend)
        else:
            super().check_backend(backend)

    def plan(self, backend: str, nbytes: int) -> Plan:
        """Counted by this tokenizer, or by quicktok where it bundles the same vocabulary and
        passes the canary (``auto`` from ``AUTO_MIN_BYTES``)."""
        if not self._fast():
            return super().plan(backend, nbytes)
        check_backend(backend)
        return plan(self.name, backend, nbytes, self.count, self.cut_rule)

    def _prepare(self, text: str) -> str:
        return unicodedata.normalize("NFC", text) if self._nfc else text

    def encode(self, text: str) -> list[int]:
        ids = self._enc.encode_ordinary(self._prepare(text))
        if self._offset:
            return [i + self._offset for i in ids]
        return ids

    def _first_token_length(self, text: str) -> int:
        return len(self._enc.decode_single_token_bytes(self._enc.encode_ordinary(text)[0]))

    def count(self, text: str) -> int:
        return self._runs.count(self._prepare(text))

    def count_batch(self, texts: list[str]) -> list[int]:
        prepared = [self._prepare(t) for t in texts]
        threads = os.cpu_count() or 1
        return [len(ids) for ids in self._enc.encode_ordinary_batch(prepared, num_threads=threads)]

    def token_spans(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """Ids and the UTF-8 byte span of ``text`` each stands for.

        Byte-level BPE: the tokens' bytes are the (normalised) text's bytes, end to end. Where
        NFC changes the text, each grapheme cluster is normalised on its own (checked to give
        the whole text's NFC): offsets inside unchanged clusters map one to one, and a token
        touching a changed cluster gets all of that cluster's raw bytes.
        """
        ids = self.encode(text)
        spans = laid_end_to_end([len(self.token_bytes(t)) for t in ids])
        if not self._nfc or unicodedata.is_normalized("NFC", text):
            return ids, spans
        import bisect

        import regex

        clusters = regex.findall(r"\X", text)
        normal = [unicodedata.normalize("NFC", c).encode("utf-8", "surrogatepass") for c in clusters]
        if b"".join(normal) != self._prepare(text).encode("utf-8", "surrogatepass"):
            size = len(text.encode("utf-8", "surrogatepass"))  # no finer map: the whole text
            return ids, [(0, size) for _ in ids]
        given = [c.encode("utf-8", "surrogatepass") for c in clusters]
        raw = laid_end_to_end([len(g) for g in given])
        norm_starts = [a for a, _ in laid_end_to_end([len(n) for n in normal])]
        same = [g == n for g, n in zip(given, normal)]  # NFC left the cluster as it was

        def to_raw(pos: int, end: bool) -> int:
            k = bisect.bisect_right(norm_starts, pos - end) - 1
            if same[k]:
                return raw[k][0] + pos - norm_starts[k]
            return raw[k][1] if end else raw[k][0]  # inside a changed cluster: all of it

        mapped = [(to_raw(a, False), to_raw(b, True)) for a, b in spans]
        return ids, mapped

    def token_bytes(self, token: int) -> bytes:
        special = self._special_bytes.get(token)
        if special is not None:
            return special
        if token < self._offset:
            raise KeyError(f"{self.name}: no token with id {token}")
        return self._enc.decode_single_token_bytes(token - self._offset)

    @property
    def split_pattern(self) -> str | None:
        # With NFC first, a boundary of the raw text's pre-tokens can fall inside a sequence
        # that normalisation composes ("e" + U+0301 -> "é"), so pre-tokens are not those of
        # the raw text: no pattern to measure them by.
        return None if self._nfc else self._pattern

    @property
    def cut_rule(self) -> CutRule | None:
        """The tiktoken rules where the pattern is one they hold for (``tokstats.tokenizers._chunking``),
        with or without NFC: their cuts fall after a newline or before a space, and both are
        stable under NFC (class 0, composing with nothing before or after), so
        ``NFC(a + b) == NFC(a) + NFC(b)`` and the normalised text keeps the cut."""
        return rule_for_pattern(self._pattern)

    @property
    def info(self) -> TokenizerInfo:
        return self._info
