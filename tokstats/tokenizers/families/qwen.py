"""``qwen``: the Qwen vocabulary, read from Alibaba's ``dashscope`` wheel.

The file is ``dashscope/resources/qwen.tiktoken``: 151,643 byte-level BPE ranks in tiktoken's
format, the vocabulary of Qwen and of Qwen2, Qwen2.5 and Qwen3 (which add only special tokens
after id 151,643). The split pattern, the NFC normalisation and the special tokens are copied
from the publisher's encoder in the same wheel, ``dashscope.tokenizers.qwen_tokenizer``
(``PAT_STR``, ``SPECIAL_TOKENS``, ``QwenTokenizer.encode``). ``tests/test_model_families.py``
checks the copies against that code, the ids against ``QwenTokenizer.encode`` with special
tokens disallowed, and the ids against quicktok's ``qwen3`` encoding, which is exported from
Qwen3's Hugging Face ``tokenizer.json`` (its NFC normaliser included).

Special tokens: dashscope names the ids from 151,643 ``<|endoftext|>``, ``<|im_start|>``,
``<|im_end|>``, ``<|extra_0|>`` … ``<|extra_204|>``; Qwen2.5/3's ``tokenizer.json`` gives some
of those ids newer names (``<|object_ref_start|>``, ``<think>`` …). Neither is ever produced
when counting: special-token strings in the text are ordinary text.

Two differences from dashscope's ``encode``, on purpose: its default turns special-token
strings into special tokens (tokstats counts them as text), and it cuts texts longer than
100,000 characters at line breaks (a workaround for a stack overflow), which can split a
``\\r\\n`` or a run of spaces before a newline; tokstats encodes the text whole.
"""

from __future__ import annotations

from tokstats.tokenizers import _chunking as chunking
from tokstats.tokenizers._published import library_version, verify
from tokstats.tokenizers._rank_bpe import RanksTokenizer, parse_rank_lines

#: ``dashscope.tokenizers.qwen_tokenizer.PAT_STR`` (one digit per pre-token; defined in
#: :mod:`tokstats.tokenizers._chunking`, ``tests/test_model_families.py`` checks it is dashscope's).
QWEN_PATTERN = chunking.QWEN_PATTERN

#: First special id (``dashscope.tokenizers.qwen_tokenizer.SPECIAL_START_ID``).
QWEN_SPECIAL_START = 151643


def qwen_specials() -> dict[str, int]:
    """dashscope's special tokens and their ids (``qwen_tokenizer.SPECIAL_TOKENS``)."""
    names = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", *(f"<|extra_{i}|>" for i in range(205))]
    return {s: QWEN_SPECIAL_START + i for i, s in enumerate(names)}


def load(name: str) -> RanksTokenizer:
    """The ``qwen`` tokenizer, from the verified file in ``dashscope``."""
    found = verify(name)
    ranks = parse_rank_lines(found.path.read_bytes(), str(found.path))
    info = found.tokenizer_info(
        "tiktoken",
        library_version("tiktoken"),
        "none added; special-token strings such as <|endoftext|> and <|im_start|> are counted as ordinary text",
        pattern_and_specials="copied from dashscope.tokenizers.qwen_tokenizer",
        normalization="NFC",
        reference_encoder=("dashscope QwenTokenizer.encode(text, allowed_special=set(), disallowed_special=())"),
    )
    return RanksTokenizer(name, ranks=ranks, pattern=QWEN_PATTERN, specials=qwen_specials(), info=info, nfc=True)
