r"""Where a SentencePiece model's text may be cut into chunks that are counted apart, exactly.

SentencePiece encodes the whole normalized text at once: the normalizer rewrites it (whitespace
escaped as ``▁``, a dummy-prefix ``▁`` added at the very start), user-defined symbols are matched
longest first from left to right, and the BPE model merges adjacent symbols into pieces of its
vocabulary, best score first. For a model of the shape below, cutting ``text`` at ``p`` right
after a ``"\n"`` (or at a space between two ASCII letters) and encoding ``text[p:]`` *without*
the dummy prefix gives the ids of the whole, laid end to end:

- the normalizer is ``identity`` with no rules (no character map, no rule TSV) and
  ``remove_extra_whitespaces`` off: it only escapes spaces, character by character, so the
  normalized text of ``a + b`` is that of ``a`` followed by that of ``b`` (no dummy prefix);
- the model is BPE (not Unigram: its Viterbi sums float scores, and a different sum before the cut
  could round a near tie the other way) and whitespace is not treated as a suffix;
- no piece of the vocabulary (normal, user-defined or any other) holds a ``"\n"`` that is not its
  last character, nor an ASCII letter followed by ``▁`` (or by a space, when spaces are not
  escaped): so no user-defined symbol match and no BPE merge can cover the cut. A merge joins two
  adjacent symbols into a vocabulary piece, so the symbols left of the cut and right of it merge
  apart, in the same order (best score, then leftmost) as they would alone.

The cut places are the tiktoken rules' (``tokstats.tokenizers._chunking``: after a newline
followed by neither whitespace nor ``/``, or at a space between ASCII letters), a subset of the
places allowed here, so the block reader and its byte forms serve as they are. Property tests
(``tests/test_sp_cuts.py``) check on generated text, against ``sentencepiece`` encoding the whole,
that the pieces' ids are the ids of the whole, for Mistral's models and trained ones. Models of any
other shape (``nmt_nfkc``, Unigram, …) are counted whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tokstats.tokenizers._backends import Plan
from tokstats.tokenizers._chunking import BLOCK_SIZE, CutRule
from tokstats.tokenizers._protobuf import fields

_BPE = 2  # TrainerSpec.ModelType
# A piece that could cover a cut: "\n" before another character, or an ASCII letter before a space.
_CROSSING = re.compile("\n.|[A-Za-z][\u2581 ]", re.DOTALL)


def _message(parent: list[tuple[int, int | bytes]], number: int) -> list[tuple[int, int | bytes]]:
    """The fields of embedded message ``number`` (merged, as protobuf merges repeats)."""
    out: list[tuple[int, int | bytes]] = []
    for k, v in parent:
        if k == number and isinstance(v, bytes):
            out += fields(v)
    return out


def why_not(proto: bytes) -> str | None:
    """``None`` when a model (its serialized ``ModelProto``) may be cut as above, else why not."""
    top = fields(proto)
    trainer = dict(_message(top, 2))
    normalizer = dict(_message(top, 3))
    if trainer.get(3, 1) != _BPE:
        return "not a BPE model"
    if trainer.get(24, 0):
        return "whitespace is treated as a suffix"
    if normalizer.get(1, b"") != b"identity" or normalizer.get(2, b"") or normalizer.get(6, b""):
        return "its normalizer rewrites text"
    if normalizer.get(4, 1):
        return "it removes extra whitespace"
    for k, v in top:
        if k == 1 and isinstance(v, bytes):
            piece = dict(fields(v)).get(1, b"")
            if isinstance(piece, bytes) and _CROSSING.search(piece.decode("utf-8", "replace")):
                return f"its piece {piece.decode('utf-8', 'replace')!r} could cover a cut"
    return None


def without_dummy_prefix(proto: bytes) -> bytes:
    """The same model with ``add_dummy_prefix`` off: a second ``normalizer_spec`` holding only
    that field, which protobuf merges into the first."""
    return proto + b"\x1a\x02\x18\x00"


def sentencepiece_cuts(sp: Any) -> tuple[CutRule, Callable[[str], int]] | None:
    """``(rule, later)`` for a loaded ``SentencePieceProcessor``: the rule whose cuts keep its count
    exact and a counter for chunks after the first (no dummy prefix); ``None``: never cut."""
    proto = sp.serialized_model_proto()
    if why_not(proto) is not None:
        return None
    import sentencepiece

    if dict(_message(fields(proto), 3)).get(3, 1):
        later = sentencepiece.SentencePieceProcessor()
        later.LoadFromSerializedProto(without_dummy_prefix(proto))
    else:
        later = sp
    return CutRule.TIKTOKEN, counter(later)


#: A text longer than this is one whole input (no cut in it): encoded by the plain call, which
#: spends less CPU than the batch call; no other chunk waits for the GIL meanwhile.
WHOLE = 4 * BLOCK_SIZE


def counter(sp: Any) -> Callable[[str], int]:
    """``len(sp.encode(text))``; a chunk goes through the batch call, which lets other threads
    run while it encodes."""

    def count(text: str) -> int:
        if len(text) > WHOLE:
            return len(sp.encode(text, add_bos=False, add_eos=False))
        out: list[list[int]] = sp.encode([text], add_bos=False, add_eos=False, num_threads=1)
        return len(out[0])

    return count


def sentencepiece_plan(name: str, library: str, sp: Any) -> Plan:
    """The counting ``Plan`` of a SentencePiece tokenizer: cut where ``sentencepiece_cuts``
    allows it, the first chunk encoded as the whole text would start, the others without the
    dummy prefix; a model of another shape is counted whole."""
    cuts = _cuts_of(sp)
    main = library.replace(" ", "-")
    if cuts is None:
        return Plan(name, main, counter(sp), long_ok=False, rule=None)
    rule, later = cuts
    return Plan(name, main, counter(sp), long_ok=False, rule=rule, later=later)


_CACHE: dict[int, tuple[Any, tuple[CutRule, Callable[[str], int]] | None]] = {}


def _cuts_of(sp: Any) -> tuple[CutRule, Callable[[str], int]] | None:
    """``sentencepiece_cuts(sp)``, worked out once per processor."""
    got = _CACHE.get(id(sp))
    if got is None or got[0] is not sp:
        got = _CACHE[id(sp)] = (sp, sentencepiece_cuts(sp))
    return got[1]
