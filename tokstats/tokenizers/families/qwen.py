"""``qwen``: the Qwen vocabulary, from Alibaba's ``dashscope`` wheel (a verified copy ships with tokstats).

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
from tokstats.tokenizers._backends import QuicktokVocabulary
from tokstats.tokenizers._named import NamedTokenizer
from tokstats.tokenizers._published import PublishedFile, library_version, verify
from tokstats.tokenizers._rank_bpe import RanksTokenizer
from tokstats.tokenizers._rank_files import parse_rank_lines

#: ``dashscope.tokenizers.qwen_tokenizer.PAT_STR`` (one digit per pre-token; defined in
#: ``tokstats.tokenizers._chunking``, ``tests/test_model_families.py`` checks it is dashscope's).
QWEN_PATTERN = chunking.QWEN_PATTERN

#: First special id (``dashscope.tokenizers.qwen_tokenizer.SPECIAL_START_ID``).
QWEN_SPECIAL_START = 151643


#: The file, pinned (``pip download --no-deps dashscope==2.0.2``). tokstats ships this very file
#: (``_ranks/qwen.tiktoken``, with dashscope's LICENSE beside it), so ``qwen`` needs no extra:
#: dashscope itself depends on a web framework and an HTTP stack that counting never uses.
PIN = PublishedFile(
    "dashscope",
    "qwen",
    "dashscope/resources/qwen.tiktoken",
    "b2b1b8dfb5cc5f024bafc373121c6aba3f66f9a5a0269e243470a1de16a33186",
    "2.0.2",
    "dashscope-2.0.2-py3-none-any.whl",
    "0602d1800f7433bdb7953560986eaf5146454ed3988636c0a91963ba24e74258",
    "Apache-2.0 (the wheel's LICENSE)",
    shipped="qwen.tiktoken",
)

#: quicktok's ``qwen3`` holds the same vocabulary and applies NFC as Qwen does; its ids equal
#: tokstats' ``qwen`` on every corpus text and on Hypothesis text (tests/test_model_families.py).
#: It loads in about the time of tokstats' own qwen and counts about twice as fast per core, so
#: ``auto`` hands it inputs from 8 MiB (docs/count.md).
QUICKTOK = QuicktokVocabulary("qwen3", canary=(755, "37199011de83bbf7"), auto_min_bytes=8 << 20)


def qwen_specials() -> dict[str, int]:
    """dashscope's special tokens and their ids (``qwen_tokenizer.SPECIAL_TOKENS``)."""
    names = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", *(f"<|extra_{i}|>" for i in range(205))]
    return {s: QWEN_SPECIAL_START + i for i, s in enumerate(names)}


def load(name: str) -> RanksTokenizer:
    """The ``qwen`` tokenizer, from the verified copy of dashscope's file shipped with tokstats."""
    found = verify(name, PIN)
    ranks = parse_rank_lines(found.path.read_bytes(), str(found.path), pinned=True)
    info = found.tokenizer_info(
        "tiktoken",
        library_version("tiktoken"),
        "none added; special-token strings such as <|endoftext|> and <|im_start|> are counted as ordinary text",
        pattern_and_specials="copied from dashscope.tokenizers.qwen_tokenizer",
        normalization="NFC",
        reference_encoder=("dashscope QwenTokenizer.encode(text, allowed_special=set(), disallowed_special=())"),
    )
    return RanksTokenizer(
        name, ranks=ranks, pattern=QWEN_PATTERN, specials=qwen_specials(), info=info, nfc=True, quicktok=True
    )


#: Qwen, Qwen1.5, Qwen2, Qwen2.5, Qwen3 (with their VL, Coder and Embedding variants), QwQ, the
#: hosted qwen-turbo/plus/max and DeepSeek's R1 distillations into Qwen2.5 share the vocabulary.
#: Qwen3.5 and later ship a larger vocabulary this file does not hold: they stay unknown.
TOKENIZERS = (
    NamedTokenizer(
        "qwen",
        load,
        PIN,
        model_prefixes=("qwen", "qwen1.5", "qwen2", "qwen2.5", "qwen3", "qwq", "deepseek-r1-distill-qwen"),
        model_excludes=(r"qwen-?3\.[1-9]", r"qwen-?[4-9]"),
        quicktok=QUICKTOK,
    ),
)
