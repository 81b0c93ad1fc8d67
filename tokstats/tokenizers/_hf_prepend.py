r"""Llama 2 style ``tokenizer.json`` files (``Prepend("▁")`` then ``Replace(" ", "▁")``, no
pre-tokenizer, BPE), cut where a SentencePiece BPE model of the same shape is cut.

Such a file is how ``transformers`` converts a SentencePiece BPE model (Llama 2, Mistral 7B v0.1,
…): the normalizer adds one ``▁`` at the start of the text and writes each space as ``▁``, and
BPE runs over the whole normalized text as one word. Cut ``text`` at ``p`` right after a
``"\n"`` (followed by neither whitespace nor ``/``) or at a space between two ASCII letters (the
tiktoken rules' places, ``tokstats.tokenizers._chunking``), and encode ``text[p:]`` with the same
file *without* the ``Prepend`` step: the ids are those of the whole, laid end to end, when

- the model is ``BPE`` without dropout and without ``ignore_merges`` (which would take a chunk
  found whole in the vocabulary as one token), and unknown characters are not fused across the cut
  (``fuse_unk`` off, or byte fallback with all 256 byte pieces);
- no vocabulary piece holds a ``"\n"`` before another character, or an ASCII letter before ``▁``
  or a space: a merge joins two adjacent symbols into a piece of the vocabulary, so none joins the
  symbols on either side of the cut, and each side merges as it would alone (best rank first,
  leftmost on a tie; a merge on one side never changes the other's candidates);
- every added token is special (encoded as text): a non-special one would cut the text into
  segments, each of which gets its own ``Prepend``.

The normalizer is a function of each character (plus one ``▁`` at the front), so the normalized
whole is the normalized first chunk followed by the others normalized without ``Prepend``.
Checked against ``tokenizers`` encoding the whole text in ``tests/test_hf_prepend.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

#: A piece that could cover a cut: "\n" before another character, or an ASCII letter before ▁ or a space.
_CROSSING = re.compile("\n.|[A-Za-z][\u2581 ]", re.DOTALL)
_PREPEND = {"type": "Prepend", "prepend": "\u2581"}
_REPLACE = {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}


def why_not(config: dict[str, Any]) -> str | None:
    """``None`` when a ``tokenizer.json`` configuration (as the library writes it back) may be cut
    as above, else why not."""
    norm = config.get("normalizer") or {}
    if norm.get("type") != "Sequence" or norm.get("normalizers") != [_PREPEND, _REPLACE]:
        return "not the Prepend + Replace normalizer"
    if config.get("pre_tokenizer") is not None:
        return "it has a pre-tokenizer"
    model = config.get("model") or {}
    if model.get("type") != "BPE" or model.get("dropout") or model.get("ignore_merges"):
        return "not a plain BPE model"
    vocab = model.get("vocab") or {}
    if model.get("fuse_unk") and not (model.get("byte_fallback") and all(f"<0x{b:02X}>" in vocab for b in range(256))):
        return "unknown characters may be fused across a cut"
    if any(not t.get("special") for t in config.get("added_tokens") or []):
        return "it has added tokens that are not special"
    crossing = next((p for p in vocab if _CROSSING.search(p)), None)
    if crossing is not None:
        return f"its piece {crossing!r} could cover a cut"
    return None


def later_counter(config: dict[str, Any], load: Callable[[str], Any]) -> Callable[[str], int] | None:
    """A counter for chunks after the first (the file without ``Prepend``), or ``None`` when the
    file may not be cut. ``load`` builds a configured tokenizer from JSON text."""
    if why_not(config) is not None:
        return None
    later = load(json.dumps({**config, "normalizer": _REPLACE}))
    fast = getattr(later, "encode_batch_fast", later.encode_batch)

    def count(text: str) -> int:
        return len(fast([text], add_special_tokens=False)[0])

    return count
