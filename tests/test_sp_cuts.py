"""SentencePiece cut rule (tokstats/tokenizers/_sp_cuts.py): cutting after a newline or at a space
between ASCII letters, the first chunk encoded as usual and the others without the dummy prefix,
gives the ids ``sentencepiece`` gives for the whole text; models of other shapes are never cut."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sentencepiece = pytest.importorskip("sentencepiece")

from tokstats.counting._count import count, count_file  # noqa: E402
from tokstats.tokenizers import get_tokenizer  # noqa: E402
from tokstats.tokenizers._chunking import CutRule, split_text  # noqa: E402
from tokstats.tokenizers._sp_cuts import why_not, without_dummy_prefix  # noqa: E402

TRAINING = [
    "The quick brown fox jumps over the lazy dog.",
    "Grüß Gott, wie geht es dir? Ça va très bien, merci.",
    "中文字符和日本語のテキスト, 한국어 문장도 있습니다.",
    "def f(x):    return x  # code with    spaces",
    "नमस्ते दुनिया, यह एक वाक्य है।",
    "numbers 12345 and 3.14159 and <s> [INST] tags",
] * 20


_TRAINED: dict[str, bytes] = {}


def trained(**options: Any) -> bytes:
    key = repr(sorted(options.items()))
    if key in _TRAINED:
        return _TRAINED[key]
    buf = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(TRAINING),
        model_writer=buf,
        vocab_size=600,
        hard_vocab_limit=False,
        character_coverage=0.98,
        minloglevel=2,
        **options,
    )
    _TRAINED[key] = buf.getvalue()
    return _TRAINED[key]


LLAMA_STYLE = {
    "model_type": "bpe",
    "byte_fallback": True,
    "normalization_rule_name": "identity",
    "remove_extra_whitespaces": False,
    "user_defined_symbols": ["<tag>", "[X]"],
}


def processor(proto: bytes) -> Any:
    sp = sentencepiece.SentencePieceProcessor()
    sp.LoadFromSerializedProto(proto)
    return sp


NAMES = ["mistral-v1", "mistral-v3", "mistral-v7", "trained-bpe"]


@cache
def models() -> dict[str, bytes]:
    out = {"trained-bpe": trained(**LLAMA_STYLE)}
    for name in ("mistral-v1", "mistral-v3", "mistral-v7"):
        out[name] = get_tokenizer(name)._sp.serialized_model_proto()  # type: ignore[attr-defined]
    return out


chars = st.sampled_from(
    list("ab xyzQ\n\n\n  \t\r/.,'")
    + ["\r\n", " \n", "\n ", "▁", "<tag>", "[X]", "<s>", "[INST]", "é", "e\u0301", "中文", "\u3000", "\u00a0", "🙂"]
    + ["\u2028", "\x85", "12", "x\ny", "the quick", "Grüß"]
)
texts = st.lists(chars, min_size=0, max_size=60).map("".join)


@pytest.mark.parametrize("name", NAMES)
def test_these_models_may_be_cut(name: str) -> None:
    assert why_not(models()[name]) is None


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=150, deadline=None)
@given(text=texts, target=st.integers(1, 12))
def test_pieces_encode_to_the_ids_of_the_whole(name: str, text: str, target: int) -> None:
    proto = models()[name]
    whole = processor(proto)
    later = processor(without_dummy_prefix(proto))
    pieces = split_text(text, target, CutRule.TIKTOKEN)
    assert "".join(pieces) == text
    ids = list(whole.encode(pieces[0])) if pieces else []
    for piece in pieces[1:]:
        ids += later.encode(piece)
    assert ids == whole.encode(text)


@pytest.mark.parametrize(
    "options, reason",
    [
        ({**LLAMA_STYLE, "model_type": "unigram"}, "not a BPE model"),
        ({**LLAMA_STYLE, "normalization_rule_name": "nmt_nfkc"}, "its normalizer rewrites text"),
        ({**LLAMA_STYLE, "remove_extra_whitespaces": True}, "it removes extra whitespace"),
        ({**LLAMA_STYLE, "user_defined_symbols": ["a\nb"]}, "could cover a cut"),
        ({**LLAMA_STYLE, "user_defined_symbols": ["x y"]}, "could cover a cut"),
        ({**LLAMA_STYLE, "treat_whitespace_as_suffix": True}, "whitespace is treated as a suffix"),
    ],
)
def test_other_shapes_are_never_cut(options: dict[str, Any], reason: str, tmp_path: Path) -> None:
    proto = trained(**options)
    assert reason in (why_not(proto) or "")
    path = tmp_path / "m.model"
    path.write_bytes(proto)
    plan = get_tokenizer(f"sp:{path}").plan("auto", 1 << 30)
    assert plan.rule is None


def test_a_user_symbol_across_a_cut_would_change_the_ids() -> None:
    # why the piece check exists: "a\nb" matched whole, but the pieces "a\n" + "b" lose it
    proto = trained(**{**LLAMA_STYLE, "user_defined_symbols": ["a\nb"]})
    sp, later = processor(proto), processor(without_dummy_prefix(proto))
    assert sp.encode("xa\nb") != sp.encode("xa\n") + later.encode("b")


@pytest.mark.parametrize("spec", ["mistral-v3", "sp"])
def test_a_large_file_is_counted_in_chunks_with_the_whole_texts_count(spec: str, tmp_path: Path) -> None:
    if spec == "sp":
        (tmp_path / "m.model").write_bytes(trained(**LLAMA_STYLE))
        spec = f"sp:{tmp_path / 'm.model'}"
    line = "Grüß Gott <tag> 中文字符 the quick brown fox\r\n  indented  [X] line\n\nx\n"
    text = "".join(f"{i} {line}" for i in range(3000))
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8", newline="")
    tok = get_tokenizer(spec)
    want = len(tok._sp.encode(text))  # type: ignore[attr-defined]
    plan = tok.plan("auto", len(text))
    assert plan.rule is CutRule.TIKTOKEN
    assert count_file(path, spec, block_size=4096) == want
    assert count_file(path, spec, jobs=1, block_size=1000) == want
    assert count(text * 3, spec) == len(tok._sp.encode(text * 3))  # type: ignore[attr-defined]
