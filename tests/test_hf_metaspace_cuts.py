"""SentencePiece-style ``tokenizer.json`` files (``Metaspace``) are cut only at a space between ASCII letters.

With ``split: true`` the ``Metaspace`` pre-tokenizer starts a pre-token at every space (now
``▁``), and the model (Unigram's Viterbi or BPE) runs on each pre-token alone. A chunk cut right
before a space starts with ``▁``, so neither ``prepend_scheme`` (``first`` or ``always``) adds one
to it. Tokenizers of each accepted shape are trained here (offline), with SentencePiece's own
``nmt_nfkc`` character map as a ``Precompiled`` normalizer for one of them; the reference is the
library encoding the whole text: the ids of the pieces, end to end, must be the ids of the whole.
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
from tokstats.tokenizers._chunking import CutRule, find_cut, find_cut_bytes, iter_file_chunks, split_text
from tokstats.tokenizers._hf_cuts import cut_rule, letters_keep_spaces

TRAINING = [
    "Hello world. The quick brown fox  jumps over the lazy dog, don't you think?\n",
    "第一行。第二行，中文。日本語のテキスト\u3000です。\n",
    "Grüß Gott ｆｕｌｌ ｗｉｄｔｈ e\u0301 ``quoted'' text\u00a0here\n",
    "▁already ▁escaped▁ and  double  spaces <tool> <s>\n\ttab\r\n",
] * 30

ATOMS = [
    " ",
    "  ",
    "   ",
    "\n",
    " \n",
    "\n ",
    "\r\n",
    "\t",
    "\u3000",
    "\u00a0",
    "\u2581",
    "\u2581 ",
    " \u2581",
    "\u0301",
    " \u0301",
    "e\u0301",
    "\u00a8",
    "\u00b4",
    "``",
    "''",
    "`",
    "ｆ",
    "Ａ",
    "a",
    "b",
    "Ab",
    "word",
    "x y",
    "I ",
    " i",
    "fox",
    "Hello",
    "中文",
    "。",
    "日本",
    "<tool>",
    "<s>",
    "İ",
    "ß",
    "👍🏽",
    "🇫🇷",
    "1",
    ".",
]
TEXT = st.lists(st.one_of(st.sampled_from(ATOMS), st.text(max_size=3)), max_size=50).map("".join)
SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)

#: name -> (model, pre-tokenizer, normalizer steps)
SHAPES = {
    "unigram-always": ("Unigram", ("Metaspace", "always"), []),
    "unigram-first-nmt-nfkc": ("Unigram", ("Metaspace", "first"), ["Precompiled", "Spaces"]),
    "unigram-whitespacesplit-first": (
        "Unigram",
        ("WhitespaceSplit+Metaspace", "first"),
        ["NFKC", "Lowercase", "Quotes"],
    ),
    "bpe-first": ("BPE", ("Metaspace", "first"), ["NFKC"]),
    "bpe-always-nmt-nfkc": ("BPE", ("Metaspace", "always"), ["Precompiled", "Spaces"]),
}


def _charsmap() -> bytes:
    """SentencePiece's ``nmt_nfkc`` character map, from a model trained here."""
    import sentencepiece as spm

    from tokstats.tokenizers._protobuf import fields as _fields
    from tokstats.tokenizers._sp_cuts import _message

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(TRAINING), model_writer=buf, vocab_size=60, hard_vocab_limit=False, minloglevel=2
    )
    charsmap = dict(_message(_fields(buf.getvalue()), 3)).get(2)
    assert isinstance(charsmap, bytes) and charsmap
    return charsmap


def _train(model: str, pre: tuple[str, str], norms: list[str], path: Path) -> Path:
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

    steps = {
        "Precompiled": lambda: normalizers.Precompiled(_charsmap()),
        "Spaces": lambda: normalizers.Replace(Regex(" {2,}"), " "),
        "Quotes": lambda: normalizers.Replace("``", '"'),
    }
    if model == "Unigram":
        tok = Tokenizer(models.Unigram())
        trainer: Any = trainers.UnigramTrainer(
            vocab_size=150, special_tokens=["<unk>", "<s>"], unk_token="<unk>", show_progress=False
        )
    else:
        tok = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True))
        trainer = trainers.BpeTrainer(vocab_size=300, special_tokens=["<unk>", "<s>"], show_progress=False)
    if norms:
        tok.normalizer = normalizers.Sequence([steps[n]() if n in steps else getattr(normalizers, n)() for n in norms])
    kind, scheme = pre
    meta = pre_tokenizers.Metaspace(prepend_scheme=scheme, split=True)
    tok.pre_tokenizer = (
        meta if kind == "Metaspace" else pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(), meta])
    )
    tok.decoder = decoders.Metaspace(prepend_scheme=scheme)
    tok.train_from_iterator(TRAINING, trainer)
    tok.add_tokens([AddedToken("<tool>")])  # not special, no whitespace: allowed
    tok.save(str(path))
    return path


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("hf-metaspace")
    return {name: _train(*shape, d / f"{name}.json") for name, shape in SHAPES.items()}


def library(path: Path) -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path))
    tok.encode_special_tokens = True
    return tok


def ids(tok: Any, text: str) -> list[int]:
    return list(tok.encode(text, add_special_tokens=False).ids)


def all_cuts(text: Any) -> list[int]:
    """Every cut of the space rule in ``text`` (str or bytes), walking backwards."""
    cuts = []
    end = len(text)
    while True:
        if isinstance(text, str):
            p = find_cut(text[:end], 0, None, CutRule.SPACE)
        else:
            p = find_cut_bytes(text[:end], 0, CutRule.SPACE)
        if p == -1:
            return sorted(cuts)
        cuts.append(p)
        end = p


def assert_pieces_exact(tok: Any, text: str, pieces: list[str]) -> None:
    assert "".join(pieces) == text
    assert [t for p in pieces for t in ids(tok, p)] == ids(tok, text), (text, pieces)


def test_every_accepted_shape_gets_the_space_rule(shapes: dict[str, Path]) -> None:
    for name, path in shapes.items():
        tok = get_tokenizer(f"hf:{path}")
        assert tok.cut_rule is CutRule.SPACE, name
        assert make_plan(tok, "auto", 0)[1] is CutRule.SPACE, name


def test_the_space_rule_cuts_only_at_a_space_between_ascii_letters() -> None:
    text = "first line\nsecond line\r\n中文 文字。\nab  cd ef"
    cuts = all_cuts(text)
    assert [text[p - 1 : p + 2] for p in cuts] == ["t l", "d l", "d e"]
    assert [len(text.encode()[:p].decode()) for p in all_cuts(text.encode())] == cuts
    assert find_cut_bytes(b"a\nb", 0, CutRule.SPACE) == -1


@pytest.mark.parametrize("name", list(SHAPES))
@SETTINGS
@given(text=TEXT)
def test_every_cut_keeps_the_ids(shapes: dict[str, Path], name: str, text: str) -> None:
    tok = library(shapes[name])
    data = text.encode()
    positions = all_cuts(text)
    in_bytes = [len(data[:p].decode()) for p in all_cuts(data)]
    assert set(in_bytes) <= set(positions)  # the byte search may skip an overlapping match
    for p in in_bytes:
        assert_pieces_exact(tok, text, [text[:p], text[p:]])
    for p in positions:
        assert_pieces_exact(tok, text, [text[:p], text[p:]])
    assert_pieces_exact(tok, text, [text[a:b] for a, b in zip([0, *positions], [*positions, len(text)])])


@pytest.mark.parametrize("name", list(SHAPES))
@SETTINGS
@given(text=TEXT, target=st.integers(1, 20), block=st.integers(1, 9))
def test_split_text_and_file_chunks_keep_the_count(
    shapes: dict[str, Path], name: str, text: str, target: int, block: int
) -> None:
    tok = library(shapes[name])
    assert_pieces_exact(tok, text, split_text(text, target, CutRule.SPACE))
    chunks = list(iter_file_chunks(io.BytesIO(text.encode()), "t.txt", block_size=block, rule=CutRule.SPACE))
    assert all(len(c.encode()) == n for c, n in chunks)
    assert_pieces_exact(tok, text, [c for c, _ in chunks])


@pytest.mark.parametrize("name", list(SHAPES))
def test_count_file_in_small_blocks_is_exact_and_chunked(
    shapes: dict[str, Path], tmp_path: Path, name: str, recording_tokenizer: Any
) -> None:
    recording, seen = recording_tokenizer(get_tokenizer(f"hf:{shapes[name]}"))
    text = "".join(ATOMS) * 3 + "".join(TRAINING) * 4
    f = tmp_path / "big.txt"
    f.write_bytes(text.encode())
    want = len(ids(library(shapes[name]), text))
    assert count_file(f, f"hf:{shapes[name]}", 2, block_size=256) == want
    assert count_file(f, recording, 2, block_size=1024) == want
    assert len(seen) > 10 and max(seen) < 4 * 1024  # handed over in pieces: memory stays flat


def test_cli_count_of_a_multi_block_file(run_cli, shapes: dict[str, Path], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tokstats.tokenizers._chunking import BLOCK_SIZE

    text = ("".join(ATOMS) + "".join(TRAINING)) * 300
    f = tmp_path / "big.txt"
    f.write_bytes(text.encode())
    assert f.stat().st_size > 8 * BLOCK_SIZE
    for name in ("unigram-first-nmt-nfkc", "bpe-first"):
        r = run_cli("count", "--encoding", f"hf:{shapes[name]}", str(f), "--format", "json")
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["total_tokens"] == len(ids(library(shapes[name]), text))


# --- shapes outside the rule are counted whole ---------------------------------------------


def _config(path: Path) -> dict[str, Any]:
    return json.loads(library(path).to_str())


def test_unlisted_shapes_are_counted_whole(shapes: dict[str, Path]) -> None:
    base = _config(shapes["bpe-first"])
    meta = base["pre_tokenizer"]
    norm = library(shapes["bpe-first"]).normalizer.normalize_str
    rejected = {
        "no split": {"pre_tokenizer": {**meta, "split": False}},
        "Split before Metaspace": {
            "pre_tokenizer": {
                "type": "Sequence",
                "pretokenizers": [{"type": "Digits", "individual_digits": True}, meta],
            }
        },
        "Strip": {"normalizer": {"type": "Strip", "strip_left": True, "strip_right": True}},
        "Prepend": {"normalizer": {"type": "Prepend", "prepend": "▁"}},
        "Replace a space": {"normalizer": {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}},
        "Replace by a space": {"normalizer": {"type": "Replace", "pattern": {"String": "x"}, "content": " "}},
        "Replace a regex": {"normalizer": {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "}},
        "dropout": {"model": {**base["model"], "dropout": 0.1}},
        "WordPiece": {"model": {"type": "WordPiece", "unk_token": "<unk>", "vocab": {"<unk>": 0}}},
        "added space": {
            "added_tokens": [*base["added_tokens"], {**base["added_tokens"][-1], "content": "a b", "id": 999}]
        },
        "added rstrip": {
            "added_tokens": [
                *base["added_tokens"],
                {**base["added_tokens"][-1], "content": "<x>", "rstrip": True, "id": 999},
            ]
        },
    }
    assert cut_rule(base, norm) is CutRule.SPACE
    assert cut_rule(base) is None  # a normalizer is checked on the loaded tokenizer, or not cut
    for why, change in rejected.items():
        assert cut_rule({**base, **change}, norm) is None, why
    # The check on letters: a normalizer turning a letter into a space, or a space into two, fails.
    assert letters_keep_spaces(lambda s: s.lower())
    assert not letters_keep_spaces(lambda s: s.replace("x", " "))
    assert not letters_keep_spaces(lambda s: s.replace(" ", "  "))


@pytest.mark.parametrize("scheme", ["first", "always"])
def test_a_newline_cut_would_be_wrong(shapes: dict[str, Path], tmp_path: Path, scheme: str) -> None:
    # Metaspace does not split at a newline, and a chunk starting after one gets a ▁ the whole
    # text has not there: why only spaces are cut.
    tok = library(shapes["unigram-always" if scheme == "always" else "bpe-first"])
    text = "a.\nbcd"
    assert find_cut(text, 0, None, CutRule.TIKTOKEN) == 3
    assert [t for p in (text[:3], text[3:]) for t in ids(tok, p)] != ids(tok, text)
    assert find_cut(text, 0, None, CutRule.SPACE) == -1
