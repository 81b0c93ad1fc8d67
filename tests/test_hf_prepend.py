"""Llama 2 style ``tokenizer.json`` files (``Prepend`` + ``Replace``, no pre-tokenizer, BPE) are cut
where their pieces cannot cover the cut, later chunks counted without the ``Prepend``.

The file is built as ``transformers`` converts a SentencePiece BPE model: a BPE vocabulary trained
here (offline) word by word (``Metaspace``), then written back with the Llama 2 normalizer and no
pre-tokenizer, so BPE runs over the whole text as one word. The reference is ``tokenizers``
encoding the whole text with that file.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tokstats.counting._count import count_file, make_plan
from tokstats.tokenizers import get_tokenizer
from tokstats.tokenizers._chunking import CutRule, find_cut, iter_file_chunks, split_text
from tokstats.tokenizers._hf_prepend import why_not

TRAINING = [
    "Hello world. The quick brown fox jumps over the lazy dog.\n",
    "第一行。第二行，中文。日本語のテキスト\u3000です。\n",
    "I'm sure we'll see  indented code();\n",
    "Grüß Gott e\u0301 1234567 ٤٥٦ 42\n",
] * 30
ATOMS = [
    "\n",
    "\n\n",
    " \n",
    "\n ",
    "\r\n",
    "\n/",
    " ",
    "  ",
    "\t",
    "\u2581",
    "\u3000",
    "a",
    "Ab",
    "word",
    "Hello",
    "fox",
    "x y",
    ".",
    "!\n",
    "中文",
    "。\n",
    "<s>",
    "</s>",
    "\u0301",
    "👍",
]
TEXT = st.lists(st.one_of(st.sampled_from(ATOMS), st.text(max_size=3)), max_size=40).map("".join)
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def llama2_style(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(prepend_scheme="first", split=True)
    tok.decoder = decoders.Metaspace()
    alphabet = [f"<0x{b:02X}>" for b in range(256)]
    tok.train_from_iterator(
        TRAINING,
        trainers.BpeTrainer(vocab_size=500, special_tokens=["<unk>", "<s>", "</s>", *alphabet], show_progress=False),
    )
    config = json.loads(tok.to_str())
    config["normalizer"] = {
        "type": "Sequence",
        "normalizers": [
            {"type": "Prepend", "prepend": "\u2581"},
            {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"},
        ],
    }
    config["pre_tokenizer"] = None
    # byte pieces are vocabulary, not added tokens (as SentencePiece conversions write them)
    config["added_tokens"] = [t for t in config["added_tokens"] if not t["content"].startswith("<0x")]
    path = tmp_path_factory.mktemp("llama2-style") / "tokenizer.json"
    path.write_text(json.dumps(config), "utf-8")
    return path


def library(path: Path, prepend: bool = True) -> Any:
    from tokenizers import Tokenizer

    config = json.loads(path.read_text("utf-8"))
    if not prepend:
        config["normalizer"] = config["normalizer"]["normalizers"][1]
    tok = Tokenizer.from_str(json.dumps(config))
    tok.encode_special_tokens = True
    return tok


def ids(tok: Any, text: str) -> list[int]:
    return list(tok.encode(text, add_special_tokens=False).ids)


def pieces_ids(path: Path, pieces: list[str]) -> list[int]:
    first, later = library(path), library(path, prepend=False)
    return [t for i, p in enumerate(pieces) for t in ids(first if i == 0 else later, p)]


def test_the_file_is_cut_at_the_tiktoken_places(llama2_style: Path) -> None:
    config = json.loads(llama2_style.read_text("utf-8"))
    assert why_not(config) is None
    tok = get_tokenizer(f"hf:{llama2_style}")
    assert tok.cut_rule is None  # comparisons, which count pieces alike, never cut it
    assert make_plan(tok, "auto", 0)[1] is CutRule.TIKTOKEN


@SETTINGS
@given(text=TEXT, target=st.integers(1, 20), block=st.integers(1, 9))
def test_every_cut_keeps_the_ids(llama2_style: Path, text: str, target: int, block: int) -> None:
    whole = ids(library(llama2_style), text)
    end = len(text)
    while (p := find_cut(text[:end], 0, None, CutRule.TIKTOKEN)) != -1:
        assert pieces_ids(llama2_style, [text[:p], text[p:]]) == whole, (text, p)
        end = p
    pieces = split_text(text, target, CutRule.TIKTOKEN)
    assert pieces_ids(llama2_style, pieces) == whole
    chunks = [c for c, _ in iter_file_chunks(io.BytesIO(text.encode()), "t.txt", block_size=block)]
    assert pieces_ids(llama2_style, chunks) == whole


def test_count_file_in_small_blocks_is_exact(llama2_style: Path, tmp_path: Path) -> None:
    text = "".join(ATOMS) * 3 + "".join(TRAINING) * 4
    f = tmp_path / "big.txt"
    f.write_bytes(text.encode())
    want = len(ids(library(llama2_style), text))
    assert count_file(f, f"hf:{llama2_style}", 2, block_size=256) == want
    assert count_file(f, f"hf:{llama2_style}", 1, block_size=97) == want


def test_other_shapes_are_counted_whole(llama2_style: Path) -> None:
    config = json.loads(llama2_style.read_text("utf-8"))
    model = config["model"]
    vocab = dict(model["vocab"])
    rejected = {
        "crossing piece": {"model": {**model, "vocab": {**vocab, "o\u2581w": len(vocab)}}},
        "newline piece": {"model": {**model, "vocab": {**vocab, "\nT": len(vocab)}}},
        "dropout": {"model": {**model, "dropout": 0.1}},
        "ignore merges": {"model": {**model, "ignore_merges": True}},
        "fused unknowns": {"model": {**model, "byte_fallback": False}},
        "pre-tokenizer": {
            "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": True}
        },
        "no Prepend": {"normalizer": config["normalizer"]["normalizers"][1]},
        "plain added token": {
            "added_tokens": [*config["added_tokens"], {**config["added_tokens"][0], "special": False, "content": "<t>"}]
        },
    }
    for why, change in rejected.items():
        assert why_not({**config, **change}) is not None, why
    # The Prepend step is why later chunks need their own counter: with it, "b" alone gets a ▁.
    tok = library(llama2_style)
    assert [t for p in ("a.\n", "bcd") for t in ids(tok, p)] != ids(tok, "a.\nbcd")
    assert pieces_ids(llama2_style, ["a.\n", "bcd"]) == ids(tok, "a.\nbcd")
