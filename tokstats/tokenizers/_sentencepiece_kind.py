"""``sp:PATH``: a local SentencePiece ``.model``, via the ``sentencepiece`` library.

Counting rule (the same as every kind): the ids of the text's own tokens. No BOS or EOS is added
(``add_bos=False, add_eos=False``). SentencePiece never turns text into a control symbol, so
``<s>`` or ``</s>`` in the text is ordinary text; user-defined symbols are matched, as the model
says.

Byte-fallback models write a character the vocabulary lacks as pieces ``<0xE6>``,
``<0x97>`` …: each such piece is a byte token (``is_byte_token``) whose bytes are that byte.
Models without byte fallback write it as the unknown piece instead (the UNK rate).

Offsets come from the library (``return_type="offset_mapping"`` with byte offsets), so the
``▁`` SentencePiece adds for spaces, and the whitespace it removes, do not shift any token.

Long texts are cut into chunks where the model's shape keeps the count exact
(``tokstats.tokenizers._sp_cuts``: identity normalizer, BPE, no piece across a newline or before a
space; chunks after the first are encoded without the dummy-prefix space); models of any other
shape (``nmt_nfkc`` collapses and strips whitespace) are counted whole. Batches of texts are
encoded by the library on several threads.
"""

from __future__ import annotations

import threading

from tokstats.defaults import default_jobs
from tokstats.errors import TokenizerError
from tokstats.tokenizers._backends import Plan
from tokstats.tokenizers._base import Tokenizer, TokenizerInfo
from tokstats.tokenizers._files import (
    CachedTokenBytes,
    file_sha256,
    find_file,
    import_library,
    library_version,
)
from tokstats.tokenizers._protobuf import fields
from tokstats.tokenizers._sp_cuts import sentencepiece_plan

PREFIX = "sp"
KIND = "sentencepiece"


class SentencePieceTokenizer(CachedTokenBytes, Tokenizer):
    """A ``sentencepiece.SentencePieceProcessor`` loaded from a local ``.model`` file."""

    def __init__(self, spec: str, path: str) -> None:
        spm = import_library("sentencepiece", "sentencepiece", "sentencepiece", spec)
        self.name = spec
        self.path = path
        sp = spm.SentencePieceProcessor()
        try:
            sp.Load(path)
        except (OSError, RuntimeError) as e:
            reason = str(e).splitlines()[0] if str(e) else type(e).__name__
            raise TokenizerError(
                f"{spec}: {path} is not a SentencePiece model ({reason[:160]}); give a .model file "
                "(or use hf:PATH for a Hugging Face tokenizer.json)"
            ) from None
        self._sp = sp
        self._bytes: dict[int, bytes] = {}
        self._info: TokenizerInfo | None = None
        self._lock = threading.Lock()
        unk = sp.unk_id()
        self._unk = unk if unk >= 0 else None
        self._byte_fallback = any(sp.is_byte(i) for i in range(sp.get_piece_size()))

    def encode(self, text: str) -> list[int]:
        ids: list[int] = self._sp.encode(text, add_bos=False, add_eos=False)
        return ids

    def count_batch(self, texts: list[str]) -> list[int]:
        """Encoded by the library on as many threads as there are CPUs."""
        if not texts:
            return []
        out = self._sp.encode(list(texts), add_bos=False, add_eos=False, num_threads=default_jobs())
        return [len(ids) for ids in out]

    def plan(self, backend: str, nbytes: int) -> Plan:
        """Cut where the model's shape allows it (``tokstats.tokenizers._sp_cuts``), else whole."""
        self.check_backend(backend)
        return sentencepiece_plan(self.name, self.info.library, self._sp)

    def token_spans(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        try:  # sentencepiece >= 0.2.1: offsets directly
            res = self._sp.Encode(text, return_type="offset_mapping", return_bytes=True, add_bos=False, add_eos=False)
        except (TypeError, ValueError):  # older: the same offsets from the serialized result
            return _proto_spans(self._sp.encode(text, out_type="serialized_proto", add_bos=False, add_eos=False))
        return list(res["ids"]), [(int(a), int(b)) for a, b in res["offsets"]]

    def _token_bytes(self, token: int) -> bytes:
        sp = self._sp
        piece: str = sp.id_to_piece(token)
        if sp.is_byte(token):
            return bytes([int(piece[3:5], 16)])
        if sp.is_control(token) or sp.is_unknown(token):
            return b""
        return piece.replace("▁", " ").encode("utf-8")

    def is_byte_token(self, token: int) -> bool:
        return bool(self._sp.is_byte(token))

    @property
    def unk_id(self) -> int | None:
        return self._unk

    @property
    def info(self) -> TokenizerInfo:
        with self._lock:
            if self._info is None:
                self._info = TokenizerInfo(
                    spec=self.name,
                    kind=KIND,
                    library=library_version("sentencepiece"),
                    path=self.path,
                    sha256=file_sha256(self.path),
                    specials="no BOS/EOS added; <s>, </s> in the text counted as ordinary text",
                    extra={
                        "vocab_size": str(self._sp.get_piece_size()),
                        "byte_fallback": "yes" if self._byte_fallback else "no",
                    },
                )
            return self._info


def _proto_spans(serialized: bytes) -> tuple[list[int], list[tuple[int, int]]]:
    """Ids and byte spans from a ``SentencePieceText`` message: its pieces (field 2), each with
    ``id`` (2), ``begin`` (4) and ``end`` (5) as byte offsets of the input."""
    ids: list[int] = []
    spans: list[tuple[int, int]] = []
    for number, piece in fields(serialized):
        if number != 2 or not isinstance(piece, bytes):
            continue
        f = {k: v for k, v in fields(piece) if isinstance(v, int)}
        ids.append(f.get(2, 0))
        spans.append((f.get(4, 0), f.get(5, 0)))
    return ids, spans


def load(path: str) -> SentencePieceTokenizer:
    """``sp:PATH`` -> the SentencePiece model at ``PATH``."""
    spec = f"{PREFIX}:{path}"
    return SentencePieceTokenizer(spec, find_file(spec, path))
