"""The ordinary tokens of a tokenizer's vocabulary, as byte strings, for every kind tokstats loads.

*Ordinary* tokens are the ones encoding text can produce: special and control tokens
(``<|endoftext|>``, ``<s>``, ``</s>``, added special tokens) are left out. Each token is given
as the bytes it writes (``Tokenizer.token_bytes``), so vocabularies of different kinds compare
as byte strings: SentencePiece's ``▁`` is a space, a byte-fallback piece ``<0xE3>`` the byte
0xE3, a GPT-2-style byte-level piece its bytes.

* tiktoken encodings and the rank-file families (llama3, llama4, qwen, tekken): the mergeable
  ranks (tiktoken's ``_mergeable_ranks``), the ids shifted by the family's offset;
* ``hf:`` files: the model's vocabulary (``get_vocab(with_added_tokens=False)``) plus added
  tokens that are not special;
* SentencePiece (``sp:``, mistral): every piece that is neither a control piece (``<s>``,
  ``[INST]``) nor the unknown piece ``<unk>`` (which stands for text, but writes none).
"""

from __future__ import annotations

from functools import cache

from tokstats.errors import InputError
from tokstats.tokenizers import Tokenizer


def _ranks(tok: Tokenizer) -> tuple[dict[bytes, int], int] | None:
    """The mergeable ranks of a tiktoken-based tokenizer and the offset of its ids."""
    enc = getattr(tok, "_enc", None)  # RanksTokenizer (llama3, qwen, tekken …)
    if enc is not None and hasattr(enc, "_mergeable_ranks"):
        return enc._mergeable_ranks, int(getattr(tok, "_offset", 0) or 0)
    if hasattr(type(tok), "encoding"):  # TiktokenTokenizer
        encoding = tok.encoding  # type: ignore[attr-defined]
        if hasattr(encoding, "_mergeable_ranks"):
            return encoding._mergeable_ranks, 0
    return None


def _ordinary_ids(tok: Tokenizer) -> list[int]:
    sp = getattr(tok, "_sp", None)
    if sp is not None:
        return [i for i in range(sp.get_piece_size()) if not (sp.is_control(i) or sp.is_unknown(i))]
    hf = getattr(tok, "_tok", None)
    if hf is not None and hasattr(hf, "get_vocab"):
        ids = set(hf.get_vocab(with_added_tokens=False).values())
        config = getattr(tok, "_config", {}) or {}
        ids |= {int(t["id"]) for t in config.get("added_tokens") or [] if not t.get("special")}
        return sorted(ids)
    raise InputError(f"{tok.name}: tokstats cannot list the vocabulary of this kind of tokenizer")


@cache
def vocabulary(tok: Tokenizer) -> dict[int, bytes]:
    """Id -> bytes of every ordinary token of ``tok`` (see the module docstring)."""
    ranks = _ranks(tok)
    if ranks is not None:
        table, offset = ranks
        return {rank + offset: b for b, rank in table.items()}
    return {i: tok.token_bytes(i) for i in _ordinary_ids(tok)}


@cache
def vocabulary_size(tok: Tokenizer) -> int:
    """The number of ordinary tokens of ``tok`` (``|V|`` of the Rényi efficiency)."""
    ranks = _ranks(tok)
    if ranks is not None:
        return len(ranks[0])
    return len(_ordinary_ids(tok))
