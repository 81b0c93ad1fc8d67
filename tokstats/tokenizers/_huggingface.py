"""``hf:PATH``: a local Hugging Face ``tokenizer.json`` (or a folder holding one), via ``tokenizers``.

Counting rule (the same as every kind): the ids of the text's own tokens.

- ``add_special_tokens=False``: the post-processor adds no BOS/EOS/CLS/SEP;
- ``encode_special_tokens = True``: a special-token string in the text (``<|endoftext|>``,
  ``[CLS]``) is split and encoded like any other text instead of becoming the special token;
  added tokens that are not special stay whole, as the library always matches them;
- truncation and padding, if the file configures them, are switched off.

Offsets come from the library (``Encoding.offsets``, characters of the original text), so
metrics that map tokens onto words work whatever the normalizer and pre-tokenizer do.

A long text is cut into chunks only for the ``tokenizer.json`` shapes
``tokstats.tokenizers._hf_cuts`` accepts (whitespace-dropping pre-tokenizers: at whitespace;
byte-level BPE with a ``Split`` of Llama 3's, Qwen2's, cl100k's or o200k's regex: where tiktoken
encodings are cut; with GPT-2's regex: after a newline with non-whitespace on both sides, or at
a space between ASCII letters; SentencePiece style, ``Metaspace`` starting a pre-token at every
space: only at a space between ASCII letters), where the count of the pieces is provably the count of the
whole (and checked on trained tokenizers in ``tests/test_hf_cuts.py``). Llama 2 style files
(``tokstats.tokenizers._hf_prepend``) are cut where tiktoken encodings are, their later chunks
counted without the ``Prepend`` step (``plan``; ``cut_rule`` stays ``None``, as chunks are not
counted alike). Any other file is counted whole. The chunks of a file go to the library's batch encoder, which releases the GIL.
"""

from __future__ import annotations

import json
import re
import threading
from functools import cache
from typing import TYPE_CHECKING, Any

from tokstats.errors import TokenizerError
from tokstats.sources._textio import utf8_offsets
from tokstats.tokenizers._base import Tokenizer, TokenizerInfo
from tokstats.tokenizers._chunking import CutRule
from tokstats.tokenizers._files import (
    CachedTokenBytes,
    file_sha256,
    find_file,
    import_library,
    library_version,
)
from tokstats.tokenizers._hf_cuts import cut_rule, types
from tokstats.tokenizers._hf_prepend import later_counter

if TYPE_CHECKING:
    from tokstats.tokenizers._backends import Plan

PREFIX = "hf"
KIND = "huggingface"

_BYTE_PIECE = re.compile(r"<0x([0-9A-Fa-f]{2})>")


@cache
def _byte_decoder() -> dict[str, int]:
    """GPT-2's byte-level alphabet, character -> byte (printable bytes as themselves, the rest
    shifted above U+0100), as the ``ByteLevel`` pre-tokenizer writes tokens."""
    bs = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    cs = list(bs)
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(bs, cs)}


class HuggingFaceTokenizer(CachedTokenBytes, Tokenizer):
    """A ``tokenizers.Tokenizer`` loaded from a local file."""

    def __init__(self, spec: str, path: str) -> None:
        tokenizers = import_library("tokenizers", "tokenizers", "hf", spec)
        self.name = spec
        self.path = path
        try:
            tok = tokenizers.Tokenizer.from_file(path)
        except Exception as e:  # the library raises plain Exception for a malformed file
            reason = str(e).splitlines()[0] if str(e) else type(e).__name__
            raise TokenizerError(
                f"{spec}: {path} is not a Hugging Face tokenizer.json ({reason[:160]}); "
                "give the tokenizer.json a model ships (or use sp:PATH for a SentencePiece .model)"
            ) from None
        tok.no_truncation()
        tok.no_padding()
        tok.encode_special_tokens = True
        self._tok = tok
        config: dict[str, Any] = json.loads(tok.to_str())
        model = config.get("model") or {}
        self._model_type = str(model.get("type"))
        self._byte_fallback = bool(model.get("byte_fallback"))
        self._byte_level = "ByteLevel" in (
            types(config.get("pre_tokenizer"), "pretokenizers") + types(config.get("decoder"), "decoders")
        )
        self._prefix = str(model.get("continuing_subword_prefix") or "") if self._model_type == "WordPiece" else ""
        self._added = {int(t["id"]) for t in config.get("added_tokens") or []}
        unk = model.get("unk_token")
        unk_id = tok.token_to_id(unk) if isinstance(unk, str) else model.get("unk_id")
        self._unk = int(unk_id) if isinstance(unk_id, int) else None
        normalizer = tok.normalizer
        self._cut_rule = cut_rule(config, normalizer.normalize_str if normalizer is not None else None)
        self._config = config
        self._later: Any = None  # the counter of later chunks (Llama 2 style files), built once
        self._bytes: dict[int, bytes] = {}
        self._info: TokenizerInfo | None = None
        self._lock = threading.Lock()
        self._fast = getattr(tok, "encode_batch_fast", tok.encode_batch)

    def encode(self, text: str) -> list[int]:
        ids: list[int] = self._tok.encode(text, add_special_tokens=False).ids
        return ids

    def count(self, text: str) -> int:
        return len(self._fast([text], add_special_tokens=False)[0])

    def count_batch(self, texts: list[str]) -> list[int]:
        """Counted by the library's batch API, in parallel in Rust."""
        return [len(e) for e in self._fast(list(texts), add_special_tokens=False)]

    def token_spans(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        enc = self._tok.encode(text, add_special_tokens=False)
        at = utf8_offsets(text)
        return list(enc.ids), [(at[a], at[b]) for a, b in enc.offsets]

    def _token_bytes(self, token: int) -> bytes:
        s = self._tok.id_to_token(token)
        if s is None:
            return b""
        if token in self._added:
            return s.encode("utf-8")
        m = _BYTE_PIECE.fullmatch(s)
        if m and self._byte_fallback:
            return bytes([int(m.group(1), 16)])
        if self._byte_level:
            table = _byte_decoder()
            if all(c in table for c in s):
                return bytes(table[c] for c in s)
        if self._prefix and s.startswith(self._prefix):
            s = s[len(self._prefix) :]
        return s.replace("▁", " ").encode("utf-8")

    def is_byte_token(self, token: int) -> bool:
        if self._byte_fallback:
            s = self._tok.id_to_token(token)
            if s is not None and _BYTE_PIECE.fullmatch(s):
                return True
        if not self._byte_level:
            return False
        return super().is_byte_token(token)

    @property
    def unk_id(self) -> int | None:
        return self._unk

    def plan(self, backend: str, nbytes: int) -> Plan:
        """Cut by ``cut_rule``; a Llama 2 style file (``tokstats.tokenizers._hf_prepend``) at the
        tiktoken places, its chunks after the first counted without the ``Prepend`` step."""
        if self._cut_rule is not None:
            return super().plan(backend, nbytes)
        self.check_backend(backend)
        from tokstats.tokenizers._backends import Plan

        with self._lock:
            if self._later is None:
                self._later = later_counter(self._config, self._load_configured) or False
        library = self.info.library.replace(" ", "-")
        if not self._later:
            return Plan(self.name, library, self.count, long_ok=False, rule=None)
        return Plan(self.name, library, self.count, long_ok=False, rule=CutRule.TIKTOKEN, later=self._later)

    @staticmethod
    def _load_configured(text: str) -> Any:
        import tokenizers

        tok = tokenizers.Tokenizer.from_str(text)
        tok.no_truncation()
        tok.no_padding()
        tok.encode_special_tokens = True
        return tok

    @property
    def cut_rule(self) -> CutRule | None:
        return self._cut_rule

    @property
    def info(self) -> TokenizerInfo:
        with self._lock:
            if self._info is None:
                norm = "+".join(types(self._config.get("normalizer"), "normalizers")) or "none"
                pre = "+".join(types(self._config.get("pre_tokenizer"), "pretokenizers")) or "none"
                self._info = TokenizerInfo(
                    spec=self.name,
                    kind=KIND,
                    library=library_version("tokenizers"),
                    path=self.path,
                    sha256=file_sha256(self.path),
                    specials="none added (add_special_tokens=False); special-token strings counted as "
                    "ordinary text (encode_special_tokens=True); no truncation",
                    extra={
                        "model": self._model_type,
                        "normalizer": norm,
                        "pre_tokenizer": pre,
                        "vocab_size": str(self._tok.get_vocab_size()),
                    },
                )
            return self._info


def load(path: str) -> HuggingFaceTokenizer:
    """``hf:PATH`` -> the tokenizer in ``PATH`` (a ``tokenizer.json`` or a folder holding one), or in
    the Hugging Face cache for a Hub id ``org/name[@revision]`` (``tokstats.tokenizers._hub``)."""
    spec = f"{PREFIX}:{path}"
    return HuggingFaceTokenizer(spec, find_file(spec, path, "tokenizer.json", hub=True))
