"""``hf:PATH``: a local Hugging Face ``tokenizer.json`` (or a folder holding one), via ``tokenizers``.

Counting rule (the same as every kind): the ids of the text's own tokens.

- ``add_special_tokens=False``: the post-processor adds no BOS/EOS/CLS/SEP;
- ``encode_special_tokens = True``: a special-token string in the text (``<|endoftext|>``,
  ``[CLS]``) is split and encoded like any other text instead of becoming the special token;
  added tokens that are not special stay whole, as the library always matches them;
- truncation and padding, if the file configures them, are switched off.

Offsets come from the library (``Encoding.offsets``, characters of the original text), so
metrics that map tokens onto words work whatever the normalizer and pre-tokenizer do.

A long text is cut into chunks (:mod:`tokstats.chunking`'s cut points: after a newline, or at a
space between ASCII letters) only when the pre-tokenizer drops whitespace (``Whitespace``,
``WhitespaceSplit``, ``BertPreTokenizer``, in a ``Sequence`` with ``Punctuation``/``Digits``),
the normalizer works character by character (none, Unicode normal forms, ``Lowercase``,
``StripAccents``, ``BertNormalizer``) and no added token holds whitespace or strips it: then
no token can cross a whitespace character, so the count of the pieces is the count of the
whole (proved on trained tokenizers in ``tests/test_tokenizer_kinds.py``).
"""

from __future__ import annotations

import json
import re
import threading
from functools import cache
from typing import Any

from tokstats.errors import TokenizerError
from tokstats.tokenizers._files import CachedTokenBytes, file_sha256, find_file, import_library, library_version
from tokstats.tokenizers.base import Tokenizer, TokenizerInfo

PREFIX = "hf"
KIND = "huggingface"

_WHITESPACE_DROPPING = frozenset({"Whitespace", "WhitespaceSplit", "BertPreTokenizer"})
_SPLIT_ONLY = frozenset({"Punctuation", "Digits"})
_PER_CHARACTER = frozenset({"Lowercase", "NFC", "NFD", "NFKC", "NFKD", "StripAccents", "BertNormalizer"})
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


def _types(component: Any, key: str) -> list[str]:
    """Types of a normalizer / pre-tokenizer / decoder, flattening ``Sequence``s."""
    if not isinstance(component, dict):
        return []
    if component.get("type") == "Sequence":
        return [t for c in component.get(key) or [] for t in _types(c, key)]
    return [str(component.get("type"))]


def _cuts_exactly(config: dict[str, Any]) -> bool:
    """Whether no token can cross a whitespace character (see the module docstring)."""
    pre = _types(config.get("pre_tokenizer"), "pretokenizers")
    norm = _types(config.get("normalizer"), "normalizers")
    if not pre or not set(pre) & _WHITESPACE_DROPPING or not set(pre) <= _WHITESPACE_DROPPING | _SPLIT_ONLY:
        return False
    if not set(norm) <= _PER_CHARACTER:
        return False
    for added in config.get("added_tokens") or []:
        if added.get("special"):
            continue  # encoded as text (encode_special_tokens)
        content = str(added.get("content", ""))
        if added.get("lstrip") or added.get("rstrip") or any(c.isspace() for c in content):
            return False
    return True


def _char_to_byte(text: str) -> list[int]:
    out = [0]
    pos = 0
    for c in text:
        pos += len(c.encode("utf-8", "surrogatepass"))
        out.append(pos)
    return out


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
        self._byte_level = "ByteLevel" in (_types(config.get("pre_tokenizer"), "pretokenizers")
                                           + _types(config.get("decoder"), "decoders"))
        self._prefix = str(model.get("continuing_subword_prefix") or "") if self._model_type == "WordPiece" else ""
        self._added = {int(t["id"]) for t in config.get("added_tokens") or []}
        unk = model.get("unk_token")
        unk_id = tok.token_to_id(unk) if isinstance(unk, str) else model.get("unk_id")
        self._unk = int(unk_id) if isinstance(unk_id, int) else None
        self._cuts = _cuts_exactly(config)
        self._config = config
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
        at = _char_to_byte(text)
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
            s = s[len(self._prefix):]
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

    @property
    def cuts_exactly(self) -> bool:
        return self._cuts

    @property
    def info(self) -> TokenizerInfo:
        with self._lock:
            if self._info is None:
                norm = "+".join(_types(self._config.get("normalizer"), "normalizers")) or "none"
                pre = "+".join(_types(self._config.get("pre_tokenizer"), "pretokenizers")) or "none"
                self._info = TokenizerInfo(
                    spec=self.name, kind=KIND, library=library_version("tokenizers"), path=self.path,
                    sha256=file_sha256(self.path),
                    specials="none added (add_special_tokens=False); special-token strings counted as "
                    "ordinary text (encode_special_tokens=True); no truncation",
                    extra={"model": self._model_type, "normalizer": norm, "pre_tokenizer": pre,
                           "vocab_size": str(self._tok.get_vocab_size())},
                )
            return self._info


def load(path: str) -> HuggingFaceTokenizer:
    """``hf:PATH`` -> the tokenizer in ``PATH`` (a ``tokenizer.json`` or a folder holding one)."""
    spec = f"{PREFIX}:{path}"
    return HuggingFaceTokenizer(spec, find_file(spec, path, "tokenizer.json"))
