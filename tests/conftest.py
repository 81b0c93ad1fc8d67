"""Shared fixtures: running the CLI as a user would, in a subprocess with an empty tiktoken cache."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def offline_env(tmp_path: Path) -> dict[str, str]:
    """Environment with an empty tiktoken cache and a proxy that refuses, so no download can succeed."""
    env = dict(os.environ)
    cache = tmp_path / "tiktoken-cache"
    cache.mkdir()
    env.update(
        TIKTOKEN_CACHE_DIR=str(cache),
        HTTPS_PROXY="http://127.0.0.1:9",
        HTTP_PROXY="http://127.0.0.1:9",
        NO_PROXY="",
        PYTHONIOENCODING="utf-8",
    )
    env.pop("TOKSTATS_RANK_DIR", None)
    return env


@pytest.fixture
def run_cli(offline_env: dict[str, str]) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``python -m tokstats ARGS`` offline; returns the completed process (text mode)."""

    def run(
        *args: str, env: dict[str, str] | None = None, input: str | None = None, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tokstats", *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**offline_env, **(env or {})},
            input=input,
            stdin=subprocess.DEVNULL if input is None else None,  # never the runner's own stdin
            timeout=300,
            cwd=cwd,
        )

    return run


#: Text the tiny tokenizers are trained on: a few scripts, so that each has real merges.
TRAINING_TEXT = [
    "Hello world. The quick brown fox jumps over the lazy dog, don't you think?",
    "Grüß Gott! Ça va très bien, merci. Ελληνικά κείμενα εδώ.",
    "नमस्ते दुनिया, मेरा नाम है। こんにちは世界 今日は良い天気です",
    "emoji 👩\u200d👩\u200d👧 and 👍🏽 in line 42\r\nnext line\tafter a tab",
] * 40


@pytest.fixture(scope="session")
def tiny_tokenizers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Tokenizers trained here, offline, one of each shape tokstats must handle, by name -> file.

    - ``bytelevel``: BPE over GPT-2 byte-level pieces, with the special token ``<|endoftext|>``;
    - ``wordpiece``: WordPiece with ``[UNK]``, whitespace-dropping pre-tokenizer, no normalizer
      (the one shape whose long texts are cut into chunks);
    - ``bert``: WordPiece behind BertNormalizer (lowercase, accents) and BertPreTokenizer;
    - ``unigram``: Unigram over Metaspace (``▁``), SentencePiece-style;
    - ``sp-bpe``: SentencePiece BPE with byte fallback; ``sp-unigram``: without (unknown pieces).
    """
    import io

    import sentencepiece as spm
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

    d = tmp_path_factory.mktemp("tiny-tokenizers")
    out: dict[str, Path] = {}

    bl = Tokenizer(models.BPE())
    bl.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bl.decoder = decoders.ByteLevel()
    bl.train_from_iterator(
        TRAINING_TEXT,
        trainers.BpeTrainer(
            vocab_size=400, special_tokens=["<|endoftext|>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
        ),
    )
    wp = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    wp.pre_tokenizer = pre_tokenizers.Whitespace()
    wp.train_from_iterator(TRAINING_TEXT, trainers.WordPieceTrainer(vocab_size=150, special_tokens=["[UNK]", "[CLS]"]))
    bert = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    bert.normalizer = normalizers.BertNormalizer()
    bert.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    bert.train_from_iterator(
        TRAINING_TEXT, trainers.WordPieceTrainer(vocab_size=150, special_tokens=["[UNK]", "[SEP]"])
    )
    uni = Tokenizer(models.Unigram())
    uni.pre_tokenizer = pre_tokenizers.Metaspace()
    uni.decoder = decoders.Metaspace()
    uni.train_from_iterator(
        TRAINING_TEXT, trainers.UnigramTrainer(vocab_size=120, special_tokens=["<s>", "<unk>"], unk_token="<unk>")
    )
    for name, tok in (("bytelevel", bl), ("wordpiece", wp), ("bert", bert), ("unigram", uni)):
        out[name] = d / f"{name}.json"
        tok.save(str(out[name]))

    for name, kind, fallback in (("sp-bpe", "bpe", True), ("sp-unigram", "unigram", False)):
        buf = io.BytesIO()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(TRAINING_TEXT),
            model_writer=buf,
            vocab_size=400,
            model_type=kind,
            hard_vocab_limit=False,
            byte_fallback=fallback,
            character_coverage=0.98,
            minloglevel=2,
        )
        out[name] = d / f"{name}.model"
        out[name].write_bytes(buf.getvalue())
    return out


@pytest.fixture
def recording_tokenizer() -> Callable[[Any], tuple[Any, list[int]]]:
    """A factory: ``(tokenizer, seen)`` where ``tokenizer`` counts as ``inner`` does (same cut
    rule) and ``seen`` gets the length of every text it is asked to encode (memory stays flat
    when no text handed over is much longer than a block)."""
    from tokstats.tokenizers._base import Tokenizer

    def make(inner: Any) -> tuple[Any, list[int]]:
        seen: list[int] = []

        class Recording(Tokenizer):
            name = "recording"
            cut_rule = inner.cut_rule
            info = inner.info

            def encode(self, text: str) -> list[int]:
                seen.append(len(text))
                return list(inner.encode(text))

            def token_bytes(self, token: int) -> bytes:
                return bytes(inner.token_bytes(token))

        return Recording(), seen

    return make
