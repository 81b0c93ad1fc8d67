"""``tokenizer.json`` files of each ``hf:`` shape, trained offline on the shipped corpora, for the benchmarks.

    python benches/hf_files.py /tmp/hf          # writes /tmp/hf/<shape>.json, prints the paths

No Hub access is needed: each file is trained here by ``tokenizers`` on the multilingual corpora
(``benches/run.py``), at a realistic vocabulary size, in the shape real models ship:

- ``sp-unigram``: SentencePiece style as converted Unigram models ship (XLM-R, T5, mBART):
  SentencePiece's ``nmt_nfkc`` character map (``Precompiled``), ``Replace(" {2,}", " ")``,
  ``Metaspace(prepend_scheme="first", split=true)``, Unigram with 16,000 pieces;
- ``sp-bpe``: the same pre-tokenizer over a BPE model with byte fallback;
- ``gpt2``: GPT-2's byte-level BPE (``ByteLevel`` with its own regex), 16,000 tokens;
- ``llama2``: as ``transformers`` converts a SentencePiece BPE model (Llama 2): a BPE vocabulary
  with byte fallback trained word by word, written with ``Prepend("▁")`` + ``Replace(" ", "▁")``
  and no pre-tokenizer.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as hot  # noqa: E402

VOCAB = 16000


def _charsmap(lines: list[str]) -> bytes:
    """SentencePiece's ``nmt_nfkc`` character map, from a small model trained on ``lines``."""
    import sentencepiece as spm

    from tokstats.tokenizers._sp_cuts import _fields, _message

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buf,
        vocab_size=4000,
        hard_vocab_limit=False,
        character_coverage=0.98,
        minloglevel=2,
    )
    charsmap = dict(_message(_fields(buf.getvalue()), 3)).get(2)
    assert isinstance(charsmap, bytes)
    return charsmap


def train(shape: str, lines: list[str], path: Path) -> Path:
    """Train the ``shape`` file on ``lines`` and save it to ``path``."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

    if shape == "gpt2":
        tok = Tokenizer(models.BPE())
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        tok.decoder = decoders.ByteLevel()
        trainer = trainers.BpeTrainer(
            vocab_size=VOCAB,
            special_tokens=["<|endoftext|>"],
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
            show_progress=False,
        )
    else:
        if shape == "sp-unigram":
            tok = Tokenizer(models.Unigram())
            trainer = trainers.UnigramTrainer(
                vocab_size=VOCAB, special_tokens=["<unk>", "<s>", "</s>"], unk_token="<unk>", show_progress=False
            )
        else:
            tok = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True))
            trainer = trainers.BpeTrainer(
                vocab_size=VOCAB, special_tokens=["<unk>", "<s>", "</s>"], show_progress=False
            )
        tok.normalizer = normalizers.Sequence(
            [normalizers.Precompiled(_charsmap(lines)), normalizers.Replace(Regex(" {2,}"), " ")]
        )
        tok.pre_tokenizer = pre_tokenizers.Metaspace(prepend_scheme="first", split=True)
        tok.decoder = decoders.Metaspace(prepend_scheme="first")
    tok.train_from_iterator(lines, trainer)
    if shape == "llama2":
        config = json.loads(tok.to_str())
        config["normalizer"] = {
            "type": "Sequence",
            "normalizers": [
                {"type": "Prepend", "prepend": "\u2581"},
                {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"},
            ],
        }
        config["pre_tokenizer"] = None
        config["added_tokens"] = [t for t in config["added_tokens"] if not t["content"].startswith("<0x")]
        path.write_text(json.dumps(config, ensure_ascii=False), "utf-8")
        return path
    tok.save(str(path))
    return path


SHAPES = ["sp-unigram", "sp-bpe", "gpt2", "llama2"]


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    lines = [line for line in hot.multilingual().splitlines() if line.strip()]
    for shape in SHAPES:
        print(train(shape, lines, out / f"{shape}.json"))


if __name__ == "__main__":
    main()
