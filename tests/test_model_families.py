"""Named tokenizers of other model families: tokstats' ids equal the publisher's own encoder.

Each named tokenizer (``llama3``, ``llama4``, ``qwen``, ``mistral-v1`` … ``mistral-v7``,
``tekken``) is checked against the encoder its publisher ships in the same wheel — Meta's
``llama_models`` ``Tokenizer``, dashscope's ``QwenTokenizer``, ``mistral_common``'s
``MistralTokenizer`` with BOS/EOS off — on every text of the shipped corpora and on Hypothesis
text built from the hard cases (CRLF, combining marks, emoji ZWJ sequences, digit runs, every
family's special-token strings). The test extra installs the three wheels, so this runs in CI.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import tokstats
from tokstats.tokenizers import get_tokenizer
from tokstats.tokenizers._base import Tokenizer

Encoder = Callable[[str], list[int]]


# --- the publishers' own encoders -----------------------------------------------------------


@cache
def _meta(version: str) -> Any:
    if version == "llama3":
        from llama_models.llama3.tokenizer import Tokenizer as Llama3

        return Llama3.get_instance()
    from llama_models.llama4.tokenizer import Tokenizer as Llama4

    return Llama4.get_instance()


@cache
def _dashscope_qwen() -> Any:
    from dashscope.tokenizers import get_tokenizer as dashscope_tokenizer

    return dashscope_tokenizer("qwen-turbo")


@cache
def _mistral(name: str) -> Any:
    from mistral_common.tokens.tokenizers.mistral import MistralTokenizer

    loaders: dict[str, Callable[[], Any]] = {
        "mistral-v1": MistralTokenizer.v1,
        "mistral-v2": MistralTokenizer.v2,
        "mistral-v3": MistralTokenizer.v3,
        "mistral-v7": MistralTokenizer.v7,
        "tekken": lambda: MistralTokenizer.v3(is_tekken=True),
    }
    return loaders[name]().instruct_tokenizer.tokenizer


def publisher_encoder(name: str) -> Encoder:
    """The publisher's encoder for a named tokenizer: the text's own tokens, no BOS/EOS."""
    if name in ("llama3", "llama4"):
        return lambda text: list(_meta(name).encode(text, bos=False, eos=False))
    if name == "qwen":
        # dashscope's default turns special strings into special tokens; tokstats counts them
        # as text, which is allowed_special=set(), disallowed_special=().
        return lambda text: list(_dashscope_qwen().encode(text, allowed_special=set(), disallowed_special=()))
    return lambda text: list(_mistral(name).encode(text, bos=False, eos=False))


NAMES = ["llama3", "llama4", "qwen", "mistral-v1", "mistral-v2", "mistral-v3", "mistral-v7", "tekken"]


# --- texts -------------------------------------------------------------------------------------


def corpus_texts() -> Iterator[str]:
    """Every text of every shipped corpus (a corpus entry's text may be one per language); of
    udhr, the texts of its default set (its 45 curated languages, not all 528)."""
    for name in tokstats.list_corpora():
        corpus = tokstats.load_corpus(name)
        keep = set(corpus.meta.get("default_languages") or [])
        for entry in corpus.entries:
            text = entry["text"]
            if isinstance(text, dict):
                yield from (t for lang, t in text.items() if not keep or lang in keep)
            else:
                yield text


SPECIAL_STRINGS = [
    "<|begin_of_text|>",
    "<|end_of_text|>",
    "<|eot_id|>",
    "<|start_header_id|>",
    "<|eot|>",
    "<|header_start|>",
    "<|reserved_special_token_7|>",
    "<|endoftext|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|extra_3|>",
    "<think>",
    "<s>",
    "</s>",
    "<unk>",
    "[INST]",
    "[/INST]",
    "[TOOL_CALLS]",
    "<SPECIAL_42>",
    "<0x0A>",
    "\u2581",
]
HARD_PIECES = [
    "\r\n",
    "\r",
    "\n\n",
    "  \n",
    "\t",
    " ",
    "   ",
    "\u00a0",
    "\u3000",
    "\u200b",
    "e\u0301",
    "\u00e9",
    "A\u030a",
    "\u212b",
    "\u1100\u1161\u11a8",
    "\u0915\u094d\u0937",
    "\u0627\u064e",
    "a\u0308\u0304",
    "\u0301",
    "\ufb01",
    "\U0001f469\u200d\U0001f469\u200d\U0001f467",
    "\U0001f44d\U0001f3fd",
    "\U0001f1eb\U0001f1f7",
    "0",
    "12",
    "123456789",
    "٣٤٥",
    "१२३",
    "3.14159",
    "1,000,000",
    "'s",
    "'LL",
    "don't",
    "HELLO",
    "hello",
    "Hello",
    "//",
    "...",
    "—",
    "«»",
    "日本語",
    "中文",
    "한국어",
    "ગુજરાતી",
    "Ελληνικά",
    "русский",
    "עברית",
]
adversarial_text = st.lists(
    st.one_of(st.sampled_from(HARD_PIECES + SPECIAL_STRINGS), st.text(max_size=6)), max_size=30
).map("".join)


# --- parity with the publisher ----------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_ids_equal_the_publishers_encoder_on_every_corpus_text(name: str) -> None:
    tok = get_tokenizer(name)
    reference = publisher_encoder(name)
    texts = list(corpus_texts())
    assert len(texts) > 80
    for text in texts:
        assert tok.encode(text) == reference(text), text[:60]
    assert tok.count_batch(texts) == [len(reference(t)) for t in texts]


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=150, deadline=None)
@given(text=adversarial_text)
def test_ids_equal_the_publishers_encoder_on_adversarial_text(name: str, text: str) -> None:
    tok = get_tokenizer(name)
    ids = tok.encode(text)
    assert ids == publisher_encoder(name)(text)
    assert tok.count(text) == len(ids)


#: Ids that are special tokens, per named tokenizer (SentencePiece: its control pieces).
SPECIAL_IDS = {
    "llama3": range(128000, 128256),
    "llama4": range(200000, 202048),
    "qwen": range(151643, 151851),
    "tekken": range(0, 1000),
}


@pytest.mark.parametrize("name", NAMES)
def test_special_token_strings_are_counted_as_text(name: str) -> None:
    tok = get_tokenizer(name)
    text = "".join(SPECIAL_STRINGS)
    ids = tok.encode(text)
    assert ids == publisher_encoder(name)(text)
    specials = SPECIAL_IDS.get(name)
    if specials is None:  # SentencePiece never matches a control piece in text
        import sentencepiece

        assert tok.info.path is not None
        sp = sentencepiece.SentencePieceProcessor(model_file=tok.info.path)
        specials = range(0) if not ids else [i for i in ids if sp.is_control(i)]
        assert not specials
    else:
        assert not set(ids) & set(specials)
        assert b"".join(tok.token_bytes(i) for i in ids) == text.encode()
    assert "counted as ordinary text" in tok.info.specials


def test_golden_ids_from_metas_own_test() -> None:
    # llama_models/llama3/tests/api/test_tokenizer.py: encode(..., bos=True, eos=True) gives
    # [128000, 2028, 374, 264, 1296, 11914, 13, 128001]; without BOS/EOS, the middle.
    assert get_tokenizer("llama3").encode("This is a test sentence.") == [2028, 374, 264, 1296, 11914, 13]
    assert get_tokenizer("llama3").token_bytes(128000) == b"<|begin_of_text|>"


# --- the copied patterns and specials are the publisher's ---------------------------------------


def test_llama_patterns_and_specials_are_metas() -> None:
    from tokstats.tokenizers.families import llama

    for name, pattern, specials in [
        ("llama3", llama.LLAMA3_PATTERN, llama.llama3_specials()),
        ("llama4", llama.LLAMA4_PATTERN, llama.llama4_specials()),
    ]:
        meta = _meta(name)
        assert meta.model._pat_str == pattern
        base = meta.model.n_vocab - len(specials)
        assert meta.special_tokens == {s: base + i for i, s in enumerate(specials)}
        tok = get_tokenizer(name)
        assert [tok.token_bytes(base + i) for i in range(len(specials))] == [s.encode() for s in specials]


def test_qwen_pattern_specials_and_nfc_are_dashscopes() -> None:
    from dashscope.tokenizers import qwen_tokenizer

    from tokstats.tokenizers.families import qwen

    assert qwen.QWEN_PATTERN == qwen_tokenizer.PAT_STR
    assert qwen.qwen_specials() == {s: i for i, s in qwen_tokenizer.SPECIAL_TOKENS}
    tok = get_tokenizer("qwen")
    assert tok.info.extra["normalization"] == "NFC"
    assert tok.encode("e\u0301") == tok.encode("\u00e9")
    assert tok.split_pattern is None  # NFC first: a raw-text cut is not provably exact


def test_tekken_specials_and_offset_are_mistral_commons() -> None:
    from mistral_common.tokens.tokenizers.tekken import SpecialTokenPolicy

    ref = _mistral("tekken")
    tok = get_tokenizer("tekken")
    for i in list(range(0, 1000, 37)) + list(range(1000, ref.n_words, 997)):
        assert tok.token_bytes(i) == ref.id_to_byte_piece(i, SpecialTokenPolicy.KEEP), i
    assert tok.info.extra["id_offset"] == "1000"


def test_pixtral_tekken_file_has_the_same_ranks_and_pattern() -> None:
    from mistral_common.tokens.tokenizers.mistral import MistralTokenizer

    from tokstats.tokenizers.families.mistral import tekken_recipe

    nemo = get_tokenizer("tekken")
    assert nemo.info.path is not None
    pixtral_path = Path(nemo.info.path).with_name("tekken_240911.json")
    pixtral = tekken_recipe(json.loads(pixtral_path.read_bytes()), str(pixtral_path))
    assert pixtral == tekken_recipe(json.loads(Path(nemo.info.path).read_bytes()), nemo.info.path)
    ref = MistralTokenizer.v3(is_tekken=True, is_mm=True).instruct_tokenizer.tokenizer
    text = "".join(corpus_texts())
    assert nemo.encode(text) == ref.encode(text, bos=False, eos=False)


def test_sentencepiece_byte_tokens_and_unk() -> None:
    tok = get_tokenizer("mistral-v3")
    ids = tok.encode("a\nb \U0001fae8")  # newline and a rare emoji fall back to bytes
    byte_ids = [i for i in ids if tok.is_byte_token(i)]
    assert [tok.token_bytes(i) for i in byte_ids][0] == b"\n"
    assert b"".join(tok.token_bytes(i) for i in byte_ids[1:]) == "\U0001fae8".encode()
    assert tok.unk_id == 0 and tok.unk_id not in ids
    assert tok.split_pattern is None


# --- quicktok bundles llama3 and qwen3: identical? ----------------------------------------------

QUICKTOK = {"llama3": "llama3", "qwen": "qwen3"}


@pytest.mark.parametrize("name", sorted(QUICKTOK))
def test_quicktok_vocabulary_equals_the_publishers_file(name: str) -> None:
    import quicktok

    from tokstats.tokenizers._published import verify
    from tokstats.tokenizers._rank_files import parse_rank_lines
    from tokstats.tokenizers._registry import named_tokenizers

    found = verify(name, named_tokenizers()[name].pin)
    ranks = parse_rank_lines(found.path.read_bytes(), str(found.path))
    fast = quicktok.get_encoding(QUICKTOK[name])
    assert {fast.decode_single_token_bytes(i): i for i in range(len(ranks))} == ranks


def test_quicktok_qwen3_ids_equal_tokstats_qwen_on_every_corpus_text() -> None:
    import quicktok

    fast = quicktok.get_encoding("qwen3")
    tok = get_tokenizer("qwen")
    for text in corpus_texts():
        assert list(fast.encode_ordinary(text)) == tok.encode(text), text[:60]


@settings(max_examples=300, deadline=None)
@given(text=adversarial_text)
def test_quicktok_qwen3_ids_equal_tokstats_qwen_on_adversarial_text(text: str) -> None:
    import quicktok

    from tokstats.tokenizers._unassigned import has_unassigned

    assume(not has_unassigned(text))  # those texts never go to quicktok (tests/test_backends.py)
    assert list(quicktok.get_encoding("qwen3").encode_ordinary(text)) == get_tokenizer("qwen").encode(text)


def test_quicktok_llama3_is_not_metas_encoder() -> None:
    # Same 128,000 tokens (test above), different BPE: on 28 of the 1,220 corpus texts quicktok
    # 0.4.0 reaches tokens that Meta's rank-order merging does not (here " toplantı", where
    # Meta's encoder gives " to" "plant" "ı"). So quicktok must not serve as llama3's backend.
    # If this starts failing, quicktok changed: re-run the parity tests before relying on it.
    import quicktok

    text = "Kusura bakma, aramanı kaçırdım, toplantıdaydım."
    meta = publisher_encoder("llama3")(text)
    assert get_tokenizer("llama3").encode(text) == meta
    fast = list(quicktok.get_encoding("llama3").encode_ordinary(text))
    assert fast != meta and len(fast) == len(meta) - 2
    assert " toplantı".encode() in [quicktok.get_encoding("llama3").decode_single_token_bytes(i) for i in fast]


# --- provenance, pins and failures --------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_info_records_the_verified_file(name: str) -> None:
    from tokstats.tokenizers._published import sha256_file
    from tokstats.tokenizers._registry import named_tokenizers

    PINS = {n: t.pin for n, t in named_tokenizers().items()}

    info = get_tokenizer(name).info
    assert info.spec == name
    assert info.path is not None and info.sha256 == PINS[name].sha256
    assert sha256_file(Path(info.path)) == info.sha256
    assert info.extra["package"].startswith(PINS[name].dist + " ")
    assert info.extra["file_in_package"] == PINS[name].path
    assert json.loads(json.dumps(info.as_dict()))["sha256"] == info.sha256


def test_a_file_that_does_not_match_its_pin_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from tokstats.errors import RankFileError
    from tokstats.tokenizers import _published as published
    from tokstats.tokenizers.families import qwen

    pin = dataclasses.replace(qwen.PIN, sha256="0" * 64)
    with pytest.raises(
        RankFileError,
        match=r"refusing .*qwen\.tiktoken for tokenizer 'qwen': "
        r"sha256 b2b1b8df\w+ does not match the pinned 0{64}",
    ):
        published.verify("qwen", pin)
    assert published.status("qwen", pin)["verified"].startswith("no: refusing")
    monkeypatch.setattr(qwen, "PIN", pin)  # the family module's own pin decides
    with pytest.raises(RankFileError, match="does not match the pinned"):
        qwen.load("qwen")


def test_a_missing_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from tokstats.errors import MissingDependencyError
    from tokstats.tokenizers.families import llama

    monkeypatch.setitem(
        llama.PINS, "llama3", dataclasses.replace(llama.PINS["llama3"], dist="llama-models-not-installed")
    )
    with pytest.raises(MissingDependencyError) as err:
        llama.load("llama3")
    assert str(err.value) == (
        "tokenizer 'llama3' is read from the llama-models-not-installed package, which is not "
        "installed: pip install 'tokstats[llama]'"
    )


def test_status_lists_where_each_file_loads_from() -> None:
    from tokstats.tokenizers._published import status
    from tokstats.tokenizers._registry import named_tokenizers

    for name in NAMES:
        row = status(name, named_tokenizers()[name].pin)
        assert row["verified"].startswith("yes (sha256 "), row
        pin = named_tokenizers()[name].pin
        assert Path(row["path"]).is_file() and row["path"].endswith(pin.shipped or row["file"])


def test_the_shipped_qwen_file_is_dashscopes_own() -> None:
    """The copy shipped with tokstats is byte for byte the file in the pinned dashscope wheel."""
    import importlib.metadata

    from tokstats.tokenizers._registry import named_tokenizers

    pin = named_tokenizers()["qwen"].pin
    shipped = Path(__file__).resolve().parent.parent / "tokstats" / "tokenizers" / "_ranks" / "qwen.tiktoken"
    in_wheel = Path(str(importlib.metadata.distribution("dashscope").locate_file(pin.path)))
    assert shipped.read_bytes() == in_wheel.read_bytes()
    assert hashlib.sha256(shipped.read_bytes()).hexdigest() == pin.sha256


def test_an_unknown_named_tokenizer_lists_the_known_ones() -> None:
    from tokstats.errors import UnknownTokenizerError

    with pytest.raises(
        UnknownTokenizerError, match="unknown tokenizer 'llama5'; known tokenizers: .*llama3, llama4, mistral-v1"
    ):
        get_tokenizer("llama5")


@pytest.mark.parametrize("name", ["llama3", "llama4", "qwen"])
def test_pinned_rank_files_are_parsed_fast_and_exactly(name: str) -> None:
    """The fast parse of a pinned file (line i holds rank i) equals the strict line-by-line one."""
    from tokstats.tokenizers._published import verify
    from tokstats.tokenizers._rank_files import parse_rank_lines
    from tokstats.tokenizers._registry import named_tokenizers

    found = verify(name, named_tokenizers()[name].pin)
    data = found.path.read_bytes()
    fast = parse_rank_lines(data, name, pinned=True)
    assert fast == parse_rank_lines(data, name) and list(fast) == list(parse_rank_lines(data, name))


def test_a_bad_rank_line_names_the_file_and_line() -> None:
    from tokstats.errors import RankFileError
    from tokstats.tokenizers._rank_files import parse_rank_lines

    assert parse_rank_lines(b"YQ== 0\n\nYg== 1\n", "x") == {b"a": 0, b"b": 1}
    with pytest.raises(RankFileError, match="f.tiktoken: line 2 is not 'BASE64TOKEN RANK'"):
        parse_rank_lines(b"YQ== 0\nnot base64!\n", "f.tiktoken")


@pytest.mark.parametrize(
    ("model", "spec"),
    [
        ("meta-llama/Llama-3.1-8B-Instruct", "llama3"),
        ("Meta-Llama-3-70B", "llama3"),
        ("llama-3.3-70b", "llama3"),
        ("meta-llama/Llama-4-Scout-17B-16E", "llama4"),
        ("Qwen/Qwen3-8B", "qwen"),
        ("qwen2.5-72b-instruct", "qwen"),
        ("qwen-turbo", "qwen"),
        ("mistral-large-2411", "mistral-v7"),
        ("open-mistral-nemo-2407", "tekken"),
        ("mistral-small-2402", "mistral-v2"),
        ("codestral-2405", "mistral-v3"),
        ("mistral-medium-2312", "mistral-v1"),
        ("gpt-4o", None),
        ("llamas", None),
        ("qwenx", None),
    ],
)
def test_family_model_names(model: str, spec: str | None) -> None:
    from tokstats.tokenizers._registry import family_spec_for_model

    assert family_spec_for_model(model) == spec


def test_family_model_table_matches_mistral_commons() -> None:
    from mistral_common.tokens.tokenizers.mistral import MODEL_NAME_TO_TOKENIZER_CLS

    from tokstats.tokenizers.families.mistral import MISTRAL_MODELS

    assert set(MISTRAL_MODELS) == set(MODEL_NAME_TO_TOKENIZER_CLS)
    for model, spec in MISTRAL_MODELS.items():
        ref = MODEL_NAME_TO_TOKENIZER_CLS[model]().instruct_tokenizer.tokenizer
        text = "Hello, wörld! 日本語 \r\n 12345 <s>"
        assert get_tokenizer(spec).encode(text) == ref.encode(text, bos=False, eos=False), model


def test_nfc_differs_from_raw_text_only_where_normalisation_changes_it() -> None:
    # The reason qwen has no split pattern: NFC composes across what the raw pattern splits.
    text = "cafe\u0301"
    assert unicodedata.normalize("NFC", text) != text
    tok: Tokenizer = get_tokenizer("qwen")
    assert tok.count(text) == tok.count("caf\u00e9")


def test_llama3_starts_with_cl100k_base() -> None:
    # docs/model-families.md and notebook 04 say so.
    from tokstats.tokenizers._published import verify
    from tokstats.tokenizers._rank_files import parse_rank_lines
    from tokstats.tokenizers.families.llama import PINS

    found = verify("llama3", PINS["llama3"])
    llama3 = parse_rank_lines(found.path.read_bytes(), str(found.path))
    cl100k = tokstats.get_encoding("cl100k_base")
    by_rank = {rank: token for token, rank in llama3.items()}
    assert len(llama3) == 128000
    assert all(by_rank[i] == cl100k.decode_single_token_bytes(i) for i in range(100256))


def test_mistral_sentencepiece_versions_segment_alike() -> None:
    # docs/model-families.md: v1, v2, v3 and v7 give the same number of tokens on the corpora
    # (v2 adds 768 control pieces before v1's pieces; v3 and v7 rename some of them).
    texts = list(corpus_texts())
    counts = {
        name: get_tokenizer(name).count_batch(texts)
        for name in ("mistral-v1", "mistral-v2", "mistral-v3", "mistral-v7")
    }
    assert counts["mistral-v1"] == counts["mistral-v2"] == counts["mistral-v3"] == counts["mistral-v7"]
    import sentencepiece

    v1, v2 = (
        sentencepiece.SentencePieceProcessor(model_file=get_tokenizer(n).info.path)
        for n in ("mistral-v1", "mistral-v2")
    )
    assert v2.get_piece_size() == v1.get_piece_size() + 768
    assert all(v1.id_to_piece(i) == v2.id_to_piece(i + 768) for i in range(3, v1.get_piece_size()))


def test_the_v7m1_file_is_the_v7_file() -> None:
    from tokstats.tokenizers._published import sha256_file

    v7 = get_tokenizer("mistral-v7").info
    assert v7.path is not None and v7.path.endswith(".model.v7")
    assert sha256_file(Path(v7.path + "m1")) == v7.sha256


def test_the_docs_tables_are_measured() -> None:
    # docs/model-families.md shows docs/family_table.py's output between two markers.
    import runpy

    page = (Path(__file__).resolve().parent.parent / "docs" / "model-families.md").read_text(encoding="utf-8")
    start, end = "<!-- family-table:start -->\n", "\n<!-- family-table:end -->"
    shown = page[page.index(start) + len(start) : page.index(end)]
    script = Path(__file__).resolve().parent.parent / "docs" / "family_table.py"
    assert shown == runpy.run_path(str(script))["markdown"]()


def test_loading_never_imports_the_publishers_packages() -> None:
    # tokstats reads the files only; the wheels' own code (and its dependencies) stays unloaded.
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from tokstats.tokenizers import get_tokenizer\n"
        f"for name in {NAMES!r}:\n"
        "    assert get_tokenizer(name).count('Hello, world') > 0\n"
        "print(sorted(m for m in ('llama_models', 'dashscope', 'mistral_common', 'pydantic')"
        " if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_missing_sentencepiece_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    from tokstats.errors import MissingDependencyError
    from tokstats.tokenizers.families import mistral

    def missing(dist: str) -> str:
        raise importlib.metadata.PackageNotFoundError(dist)

    monkeypatch.setattr(mistral, "library_version", missing)
    with pytest.raises(
        MissingDependencyError,
        match=r"^tokenizer 'mistral-v3' needs the "
        r"sentencepiece library, which is not installed: pip install 'tokstats\[mistral\]'$",
    ):
        mistral.load_sentencepiece("mistral-v3")


def test_a_file_that_is_not_a_tekken_file_is_refused() -> None:
    from tokstats.errors import RankFileError
    from tokstats.tokenizers.families.mistral import tekken_recipe

    with pytest.raises(RankFileError, match=r"^x\.json is not a Tekken tokenizer file"):
        tekken_recipe({"vocab": []}, "x.json")


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(adversarial_text, min_size=1, max_size=8), target=st.integers(1, 40))
def test_cutting_llama4_text_where_tokstats_cuts_keeps_the_count(parts: list[str], target: int) -> None:
    # llama4's pattern is o200k_base's, one tokstats knows stable cuts for; the others are
    # counted whole (no cutting).
    from tokstats.tokenizers._chunking import can_cut, split_text

    tok = get_tokenizer("llama4")
    assert tok.split_pattern is not None and can_cut(tok.split_pattern)
    text = "\n".join(parts) + " and more words here"
    pieces = split_text(text, target)
    assert "".join(pieces) == text
    assert sum(tok.count(p) for p in pieces) == tok.count(text) == len(publisher_encoder("llama4")(text))


def test_only_patterns_with_known_cuts_are_cut() -> None:
    from tokstats.tokenizers._chunking import can_cut

    cuttable = {n for n in NAMES if (p := get_tokenizer(n).split_pattern) is not None and can_cut(p)}
    assert cuttable == {"llama3", "llama4", "tekken"}  # qwen: cut too, but measured with no pattern (NFC)


@pytest.mark.parametrize("name", ["qwen", "mistral-v3", "llama3", "tekken"])
@settings(max_examples=400, deadline=None)
@given(text=adversarial_text)
def test_token_spans_cover_the_raw_text_in_order(name: str, text: str) -> None:
    # Metrics (words split across tokens) and the split view place tokens on the raw text's
    # bytes: spans must follow the text even where qwen's NFC or SentencePiece's "▁" changes it.
    tok = get_tokenizer(name)
    ids, spans = tok.token_spans(text)
    assert ids == tok.encode(text) and len(spans) == len(ids)
    raw = text.encode()
    real = [s for s in spans if s[0] != s[1]]
    starts, ends = [a for a, _ in real], [b for _, b in real]
    assert starts == sorted(starts) and ends == sorted(ends) and all(a < b for a, b in real)
    assert all(a <= prev for a, prev in zip(starts, [0, *ends]))  # no byte left out
    assert (ends[-1] if real else 0) == len(raw)
    if name != "mistral-v3" and unicodedata.is_normalized("NFC", text):
        assert [raw[a:b] for a, b in spans] == [tok.token_bytes(i) for i in ids]


# --- cutting long texts -----------------------------------------------------------------------

#: Pieces on both sides of the tiktoken cut rules: newlines after and before whitespace, "/"
#: after a newline, spaces between ASCII letters next to combining marks NFC composes.
CUT_PIECES = [
    "\n",
    "\n",
    " \n",
    "\n ",
    "\r\n",
    "\n/",
    " ",
    "a b",
    "e b\u0301",
    "x \u0301",
    "\n\u0301",
    "A\u030a b",
    "\n\u00a0",
    ".\n",
    "。\n",
    "1 2",
    "Ab cD",
]
cut_text = st.lists(st.one_of(st.sampled_from(CUT_PIECES + HARD_PIECES), st.text(max_size=4)), max_size=40).map("".join)
RANK_FILE_FAMILIES = ["llama3", "llama4", "qwen", "tekken"]


@pytest.mark.parametrize("name", RANK_FILE_FAMILIES)
def test_rank_file_families_are_cut_by_the_tiktoken_rules(name: str) -> None:
    from tokstats.counting._count import make_plan
    from tokstats.tokenizers._chunking import CutRule

    assert get_tokenizer(name).cut_rule is CutRule.TIKTOKEN
    assert make_plan(tokstats.get_tokenizer(name), "auto", 0)[1] is CutRule.TIKTOKEN
    assert get_tokenizer("mistral-v3").cut_rule is None  # SentencePiece: counted whole


@pytest.mark.parametrize("name", RANK_FILE_FAMILIES)
@settings(max_examples=150, deadline=None)
@given(text=cut_text, target=st.integers(1, 12), block=st.integers(1, 7))
def test_cut_pieces_keep_the_publishers_ids(name: str, text: str, target: int, block: int) -> None:
    """Pieces cut by the rules (text and byte forms) give, end to end, the publisher's ids of the
    whole text (with Qwen's NFC too)."""
    import io

    from tokstats.tokenizers._chunking import CutRule, iter_file_chunks, split_text

    tok, reference = get_tokenizer(name), publisher_encoder(name)
    whole = reference(text)
    pieces = split_text(text, target, CutRule.TIKTOKEN)
    assert [i for p in pieces for i in tok.encode(p)] == whole
    chunks = [
        t for t, _ in iter_file_chunks(io.BytesIO(text.encode("utf-8")), "t", block_size=block, rule=CutRule.TIKTOKEN)
    ]
    assert "".join(chunks) == text
    assert sum(tok.count(c) for c in chunks) == len(whole)


@pytest.mark.parametrize("name", ["llama3", "qwen"])
def test_count_file_of_a_family_is_chunked_and_exact(name: str, tmp_path: Path) -> None:
    from tokstats.counting._count import count_file
    from tokstats.tokenizers._chunking import CutRule, iter_file_chunks

    text = "\n".join(t for t in corpus_texts() if t.strip()) + "\n"
    path = tmp_path / "corpus.txt"
    path.write_text(text * 3, encoding="utf-8", newline="")
    with path.open("rb") as f:
        assert len(list(iter_file_chunks(f, str(path), block_size=4096, rule=CutRule.TIKTOKEN))) > 10
    # the reference is the whole text encoded at once (the publishers' encoders split texts past
    # 400,000 / 100,000 characters themselves; below that they agree, tested above)
    assert count_file(path, name, jobs=2, block_size=4096) == get_tokenizer(name).count(text * 3)


# --- quicktok as qwen's fast backend ----------------------------------------------------------

needs_quicktok = pytest.mark.skipif(
    __import__("importlib").util.find_spec("quicktok") is None, reason="quicktok-v1 is not installed"
)


def test_qwen_canary_ids_are_tokstats_qwens() -> None:
    """The constant quicktok's qwen3 is checked against is what tokstats' own qwen gives."""
    import hashlib

    from tokstats.tokenizers._backends import CANARY, CANARY_IDS

    ids = get_tokenizer("qwen").encode(CANARY)
    assert (len(ids), hashlib.sha256(" ".join(map(str, ids)).encode()).hexdigest()[:16]) == CANARY_IDS["qwen"]
    assert ids == publisher_encoder("qwen")(CANARY)


@needs_quicktok
def test_qwen_is_counted_by_quicktok_when_large_or_forced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tokstats.counting._count import count_one, make_plan
    from tokstats.tokenizers import _backends as backends

    text = "\n".join(t for t in corpus_texts() if t.strip()) + "\n"
    path = tmp_path / "corpus.txt"
    path.write_text(text, encoding="utf-8", newline="")
    want = get_tokenizer("qwen").count(text)
    small = count_one(path, "qwen", backend="auto")
    assert (small.tokens, small.backend) == (want, "tiktoken")  # below the threshold: tokstats' own
    forced = count_one(path, "qwen", backend="quicktok")
    assert (forced.tokens, forced.backend) == (want, "quicktok")
    monkeypatch.setitem(backends.AUTO_MIN_BYTES, "qwen", 0)
    assert make_plan(tokstats.get_tokenizer("qwen"), "auto", 1)[0].main == "quicktok"
    monkeypatch.setitem(backends.CANARY_IDS, "qwen", (1, "0000000000000000"))  # a quicktok that differs
    monkeypatch.setattr(backends, "_quicktok", {})
    assert (
        make_plan(tokstats.get_tokenizer("qwen"), "auto", 1 << 30)[0].main == "tiktoken"
    )  # never chosen automatically


def test_quicktok_is_refused_for_llama3_in_one_line(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "a.txt"
    f.write_text("hello world\n", encoding="utf-8")
    r = run_cli("count", "--backend", "quicktok", "--encoding", "llama3", str(f))
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip().splitlines() == [
        "tokstats count: error: backend quicktok counts tiktoken encodings and qwen, tekken only, "
        "not llama3 (tiktoken); leave out --backend"
    ]


# --- tekken through quicktok: files tokstats writes from its own ranks ---------------------------


def _tekken_quicktok() -> Any:
    import quicktok

    from tokstats.tokenizers._backends import _BUILDS
    from tokstats.tokenizers._registry import named_tokenizers

    vocab = named_tokenizers()["tekken"].quicktok
    assert vocab is not None
    get_tokenizer("tekken")
    return quicktok.get_encoding(vocab.name, _BUILDS["tekken"]())


@needs_quicktok
def test_tekken_canary_is_tokstats_tekkens_and_quicktoks() -> None:
    import hashlib

    from tokstats.tokenizers._backends import CANARY, CANARY_IDS

    ids = get_tokenizer("tekken").encode(CANARY)
    assert (len(ids), hashlib.sha256(" ".join(map(str, ids)).encode()).hexdigest()[:16]) == CANARY_IDS["tekken"]
    assert list(_tekken_quicktok().encode_ordinary(CANARY)) == ids


@needs_quicktok
def test_quicktok_tekken_ids_equal_tokstats_tekken_on_corpus_and_long_runs() -> None:
    fast = _tekken_quicktok()
    tok = get_tokenizer("tekken")
    for text in corpus_texts():
        assert list(fast.encode_ordinary(text)) == tok.encode(text), text[:60]
    for c in (" ", "\t", "a", "é", "中", " \n", "\r\n"):  # long runs, below tiktoken's stack limit
        assert list(fast.encode_ordinary(c * 30000)) == tok.encode(c * 30000), repr(c)


@needs_quicktok
@settings(max_examples=200, deadline=None)
@given(text=adversarial_text)
def test_quicktok_tekken_ids_equal_tokstats_tekken_on_adversarial_text(text: str) -> None:
    from tokstats.tokenizers._unassigned import has_unassigned

    assume(not has_unassigned(text))  # those texts never go to quicktok (tests/test_backends.py)
    assert list(_tekken_quicktok().encode_ordinary(text)) == get_tokenizer("tekken").encode(text)


@needs_quicktok
@pytest.mark.parametrize("shape", ["spaces", "word"])
def test_tekken_counts_a_huge_pre_token_through_quicktok(tmp_path: Path, shape: str) -> None:
    # 3 MiB with no cut: tiktoken's regex overflows its stack on the spaces; quicktok is linear
    from tokstats.counting._count import count_one

    text = " " * (3 << 20) if shape == "spaces" else "a" * (3 << 20)
    path = tmp_path / "one.txt"
    path.write_text(text, encoding="utf-8")
    got = count_one(path, "tekken")
    want = 3 << 20 if shape == "spaces" else 3 << 20
    assert got.nbytes == want and "quicktok" in got.backend
    # reference: tokstats' own tekken on a piece that tiktoken can take, times the period
    piece = text[: 1 << 16]
    assert got.tokens == get_tokenizer("tekken").count(piece) * 48
