"""Byte-level BPE ``tokenizer.json`` files are cut only where the count provably stays exact.

For each shape :mod:`tokstats.tokenizers._hf_cuts` accepts, a tiny byte-level BPE tokenizer is
trained here (offline, tokenizers' ``BpeTrainer``) on text full of the places a wrong cut would
show: spaces and ``\\r`` around newlines, ``/`` after them, blank lines, punctuation runs. The
reference is the library's own encoder on the whole text: the ids of the pieces, laid end to
end, must be the ids of the whole, for every cut the rule allows (text and byte forms) and for
files read in tiny blocks. Shapes outside the list are counted whole.
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
from tokstats.tokenizers._hf_cuts import GPT2_PATTERN, SPLIT_PATTERNS, cut_rule

#: Text with merges across every place a wrong cut would break: " \n", "\n\n", "!\n/", "\r\n" …
TRAINING = [
    "Hello world. \nThe quick brown fox  \njumps!\n/over the lazy dog, don't you think?\n\n",
    "I'm sure we'll see\r\n  indented\n\tcode();\n}\n// comment\n/* x */\n",
    "第一行。\n第二行，中文。\n\u3000全角\n日本語のテキスト\u3000です。\n",
    "中文，标点。引号「文字」『书名』《书》！问？冒：分；（括号）が。\u3099。䷀。\u9fff。",
    "Grüß Gott\u00a0\n e\u0301 \u0301\n1234567 ٤٥٦ 42\n\u2028line\u2029para\x85nel\n",
    "<|endoftext|> <tool> [CLS] <s>\n  \n   \n\t\n",
] * 30

#: The accepted shapes, by name: (Split pattern or None for ByteLevel's own regex, normalizers).
SHAPES: dict[str, tuple[str | None, list[str]]] = {
    "gpt2": (None, []),
    "gpt2-nfkc": (None, ["NFKC"]),
    "gpt2-nfd-lower": (None, ["NFD", "Lowercase"]),
    "llama3": (SPLIT_PATTERNS["llama3"], []),
    "llama3-nfkd-lower": (SPLIT_PATTERNS["llama3"], ["NFKD", "Lowercase"]),
    "qwen2-nfc": (SPLIT_PATTERNS["qwen2"], ["NFC"]),
    "cl100k": (SPLIT_PATTERNS["cl100k"], []),
    "o200k": (SPLIT_PATTERNS["o200k"], []),
    "o200k-nfd": (SPLIT_PATTERNS["o200k"], ["NFD"]),
}

#: Atoms that sit on both sides of the rule: whitespace of every kind next to newlines, CR/LF,
#: "/" after a newline, blank lines, combining marks right after a newline, characters NFKC
#: turns into a space and a mark (¨ ´ ΄ ゛) or into "/" (／), contractions, digits, CJK, and the
#: special and added tokens' strings.
ATOMS = [
    "\n",
    "\n",
    "\n\n",
    " \n",
    "\n ",
    "  \n",
    "\r\n",
    "\r",
    " ",
    "  ",
    "\t",
    "\n/",
    "/",
    "//",
    "!",
    "!\n",
    ".\n",
    "。\n",
    "。",
    "，",
    "文。",
    "中文，",
    "字「",
    "」",
    "『",
    "！",
    "？",
    "（",
    "）",
    "：",
    "；",
    "《",
    "が",
    "\u3099",
    "䷀",
    "\u9fff",
    "\u4e00",
    "\u9fa5",
    "\u00a0",
    "\u00a0\n",
    "\n\u00a0",
    "\u3000",
    "\n\u3000",
    "\u2028",
    "\u2029",
    "\x85",
    "\x1c",
    "\x0b",
    "\x0c",
    "\u0301",
    "\n\u0301",
    "e\u0301",
    "\u00a8",
    "\u00b4",
    "\u0384",
    "\u309b",
    "\uff0f",
    "\n\uff0f",
    "'s",
    "'LL",
    "n't",
    "don't",
    "a",
    "Ab",
    "word",
    "x",
    "1",
    "123456",
    "٤٥",
    "中文",
    "第一行",
    "日本",
    "👍🏽",
    "<|endoftext|>",
    "<tool>",
    "[CLS]",
    "İ",
    "ß",
    "Σ",
]
TEXT = st.lists(st.one_of(st.sampled_from(ATOMS), st.text(max_size=3)), max_size=50).map("".join)
SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


def _train(pattern: str | None, norms: list[str], path: Path, prefix_space: bool = False) -> Path:
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    if norms:
        tok.normalizer = normalizers.Sequence([getattr(normalizers, n)() for n in norms])
    if pattern is None:
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=prefix_space, use_regex=True)
    else:
        tok.pre_tokenizer = pre_tokenizers.Sequence(
            [
                pre_tokenizers.Split(Regex(pattern), behavior="isolated", invert=False),
                pre_tokenizers.ByteLevel(add_prefix_space=prefix_space, use_regex=False),
            ]
        )
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(
        TRAINING,
        trainers.BpeTrainer(
            vocab_size=600,
            special_tokens=["<|endoftext|>"],
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
            show_progress=False,
        ),
    )
    tok.add_tokens([AddedToken("<tool>", single_word=True)])  # not special, no whitespace: allowed
    tok.save(str(path))
    return path


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("hf-shapes")
    return {name: _train(pattern, norms, d / f"{name}.json") for name, (pattern, norms) in SHAPES.items()}


def library(path: Path) -> Any:
    """The library's own tokenizer, configured as tokstats documents (special strings as text)."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path))
    tok.encode_special_tokens = True
    return tok


def ids(tok: Any, text: str) -> list[int]:
    return list(tok.encode(text, add_special_tokens=False).ids)


def rule_of(name: str) -> CutRule:
    """The rule each accepted shape is cut by: GPT-2's regex needs the lone-newline rule."""
    return CutRule.GPT2 if name.startswith("gpt2") else CutRule.TIKTOKEN


def all_cuts(text: Any, finder: Any, rule: CutRule = CutRule.LONE_NEWLINE) -> list[int]:
    """Every cut ``rule`` makes in ``text`` (str or bytes), walking backwards."""
    cuts = []
    end = len(text)
    while (p := finder(text[:end], 0, None, rule) if isinstance(text, str) else finder(text[:end], 0, rule)) != -1:
        cuts.append(p)
        end = p
    return sorted(cuts)


def assert_pieces_exact(tok: Any, text: str, pieces: list[str]) -> None:
    assert "".join(pieces) == text
    whole = ids(tok, text)
    assert [t for p in pieces for t in ids(tok, p)] == whole, (text, pieces)
    assert sum(len(ids(tok, p)) for p in pieces) == len(whole)


def test_every_accepted_shape_gets_its_rule(shapes: dict[str, Path]) -> None:
    for name, path in shapes.items():
        assert get_tokenizer(f"hf:{path}").cut_rule is rule_of(name), name
        assert make_plan(get_tokenizer(f"hf:{path}"), "auto", 0)[1] is rule_of(name), name


@pytest.mark.parametrize("name", list(SHAPES))
@SETTINGS
@given(text=TEXT)
def test_every_cut_keeps_the_ids(shapes: dict[str, Path], name: str, text: str) -> None:
    tok = library(shapes[name])
    rule = rule_of(name)
    for finder, positions in (
        (find_cut, all_cuts(text, find_cut, rule)),
        (find_cut_bytes, all_cuts(text.encode(), find_cut_bytes, rule)),
    ):
        if finder is find_cut_bytes:  # byte positions -> character positions
            data = text.encode()
            positions = [len(data[:p].decode()) for p in positions]
        for p in positions:
            assert 0 < p < len(text)
            assert_pieces_exact(tok, text, [text[:p], text[p:]])
        assert_pieces_exact(tok, text, [text[a:b] for a, b in zip([0, *positions], [*positions, len(text)])])


@pytest.mark.parametrize("name", list(SHAPES))
@SETTINGS
@given(text=TEXT, target=st.integers(1, 20), block=st.integers(1, 9))
def test_split_text_and_file_chunks_keep_the_count(
    shapes: dict[str, Path], name: str, text: str, target: int, block: int
) -> None:
    tok = library(shapes[name])
    assert_pieces_exact(tok, text, split_text(text, target, rule_of(name)))
    data = text.encode()
    chunks = list(iter_file_chunks(io.BytesIO(data), "t.txt", block_size=block, rule=rule_of(name)))
    assert all(len(c.encode()) == n for c, n in chunks)
    assert_pieces_exact(tok, text, [c for c, _ in chunks])
    counter = get_tokenizer(f"hf:{shapes[name]}")
    assert sum(counter.count_batch([c for c, _ in chunks])) == len(ids(tok, text))


def test_the_tiktoken_newline_rule_is_wrong_for_gpt2s_regex(shapes: dict[str, Path]) -> None:
    # "a \nb": GPT-2's regex gives " ", "\n", "b", but "a \n" alone ends with " \n" (\s+(?!\S)
    # at the end of the text): the tiktoken rule would cut after that newline, rule 3 does not.
    pre = library(shapes["gpt2"]).pre_tokenizer
    assert [p for p, _ in pre.pre_tokenize_str("a \nb")] == ["a", "Ġ", "Ċ", "b"]
    assert [p for p, _ in pre.pre_tokenize_str("a \n")] == ["a", "ĠĊ"]
    assert find_cut("a \nb", 0, None, CutRule.TIKTOKEN) == 3
    assert find_cut("a \nb", 0, None, CutRule.LONE_NEWLINE) == -1
    assert find_cut_bytes(b"a \nb", 0, CutRule.LONE_NEWLINE) == -1
    assert find_cut("a.\nb", 0, None, CutRule.LONE_NEWLINE) == 3


def test_byte_form_cuts_after_any_script_and_never_after_whitespace() -> None:
    text = "第一行。\n第二行，中文。\nإنه نص\nтекст\n🙂\nend"
    cuts = all_cuts(text.encode(), find_cut_bytes)
    assert (
        [len(text.encode()[:p].decode()) for p in cuts]
        == all_cuts(text, find_cut)
        == [i + 1 for i, c in enumerate(text) if c == "\n"]
    )
    for bad in [
        "x\u3000\nb",
        "x\u00a0\nb",
        "x\u2028\nb",
        "x\x85\nb",
        "x\x1c\nb",
        "x\t\nb",
        "x\r\nb",
        "x\n\u3000b",
        "x\n\u00a0b",
        "x\n/b",
        "x\n b",
        "x\n\nb",
        "\nb",
    ]:
        assert find_cut_bytes(bad.encode(), 0, CutRule.LONE_NEWLINE) == -1, bad
        assert find_cut(bad, 0, None, CutRule.LONE_NEWLINE) == -1, bad
    # A character cut off at the front of the bytes searched gives no cut (conservative).
    assert find_cut_bytes("。\nb".encode()[1:], 0, CutRule.LONE_NEWLINE) == -1


# --- shapes outside the list are counted whole ------------------------------------------------


def _config(path: Path) -> dict[str, Any]:
    return json.loads(library(path).to_str())


def _with(config: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**json.loads(json.dumps(config)), **changes}


def test_unlisted_shapes_are_counted_whole(shapes: dict[str, Path]) -> None:
    gpt2, llama = _config(shapes["gpt2"]), _config(shapes["llama3"])
    o200k = _config(shapes["o200k"])
    split, byte_level = llama["pre_tokenizer"]["pretokenizers"]
    assert cut_rule(gpt2) is CutRule.GPT2 and cut_rule(llama) is cut_rule(o200k) is CutRule.TIKTOKEN
    rejected = {
        "prefix space": _with(gpt2, pre_tokenizer={**gpt2["pre_tokenizer"], "add_prefix_space": True}),
        "no regex": _with(gpt2, pre_tokenizer={**gpt2["pre_tokenizer"], "use_regex": False}),
        "Metaspace without split": _with(
            gpt2, pre_tokenizer={"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": False}
        ),
        "unknown regex": _with(
            llama,
            pre_tokenizer={
                **llama["pre_tokenizer"],
                "pretokenizers": [{**split, "pattern": {"Regex": GPT2_PATTERN + "|x"}}, byte_level],
            },
        ),
        "string split": _with(
            llama,
            pre_tokenizer={
                **llama["pre_tokenizer"],
                "pretokenizers": [{**split, "pattern": {"String": "\n"}}, byte_level],
            },
        ),
        "merged behavior": _with(
            llama,
            pre_tokenizer={
                **llama["pre_tokenizer"],
                "pretokenizers": [{**split, "behavior": "MergedWithPrevious"}, byte_level],
            },
        ),
        "inverted": _with(
            llama, pre_tokenizer={**llama["pre_tokenizer"], "pretokenizers": [{**split, "invert": True}, byte_level]}
        ),
        "split prefix space": _with(
            llama,
            pre_tokenizer={
                **llama["pre_tokenizer"],
                "pretokenizers": [split, {**byte_level, "add_prefix_space": True}],
            },
        ),
        "two splits": _with(
            llama, pre_tokenizer={**llama["pre_tokenizer"], "pretokenizers": [split, split, byte_level]}
        ),
        "Prepend": _with(llama, normalizer={"type": "Prepend", "prepend": "▁"}),
        "Replace": _with(llama, normalizer={"type": "Replace", "pattern": {"String": " "}, "content": "▁"}),
        "StripAccents": _with(
            llama, normalizer={"type": "Sequence", "normalizers": [{"type": "NFD"}, {"type": "StripAccents"}]}
        ),
        "o200k NFKC": _with(o200k, normalizer={"type": "NFKC"}),
        "dropout": _with(llama, model={**llama["model"], "dropout": 0.1}),
        "Unigram": _with(
            llama, model={"type": "Unigram", "unk_id": None, "vocab": [["a", 0.0]], "byte_fallback": False}
        ),
        "added newline": _with(
            llama, added_tokens=[*llama["added_tokens"], {**llama["added_tokens"][-1], "content": "\n\n", "id": 999}]
        ),
        "added lstrip": _with(
            llama,
            added_tokens=[
                *llama["added_tokens"],
                {**llama["added_tokens"][-1], "content": "<x>", "lstrip": True, "id": 999},
            ],
        ),
        "special newline beside a plain token": _with(
            llama, added_tokens=[*llama["added_tokens"], {**llama["added_tokens"][0], "content": "x\ny", "id": 999}]
        ),
    }
    for name, config in rejected.items():
        assert cut_rule(config) is None, name
    # A special token holding whitespace is harmless when every added token is special.
    only_special = [t for t in llama["added_tokens"] if t["special"]]
    assert (
        cut_rule(_with(llama, added_tokens=[*only_special, {**only_special[0], "content": " \n", "id": 999}]))
        is CutRule.TIKTOKEN
    )


@pytest.mark.parametrize(
    ("name", "change", "text", "at"),
    [
        # Each change breaks a cut the rule would make: proof that the shape must be refused.
        ("gpt2", {"add_prefix_space": True}, "a.\nb", 3),  # "b" alone gets a space before it
        ("o200k", "NFKC", "x!\n\uff0fy", 3),  # ／ -> "/" joins "!\n" in o200k
    ],
    ids=["prefix-space", "o200k-nfkc"],
)
def test_refused_shapes_would_be_wrong_if_cut(
    shapes: dict[str, Path], tmp_path: Path, name: str, change: Any, text: str, at: int
) -> None:
    from tokenizers import Tokenizer

    config = _config(shapes[name])
    if change == "NFKC":
        config["normalizer"] = {"type": "NFKC"}
    else:
        config["pre_tokenizer"] = {**config["pre_tokenizer"], **change}
    path = tmp_path / "refused.json"
    path.write_text(json.dumps(config), "utf-8")
    assert cut_rule(json.loads(Tokenizer.from_file(str(path)).to_str())) is None
    assert get_tokenizer(f"hf:{path}").cut_rule is None
    tok = library(path)
    assert find_cut(text, 0, None, CutRule.LONE_NEWLINE) == at
    pre = tok.pre_tokenizer
    normalize = tok.normalizer.normalize_str if tok.normalizer else (lambda s: s)
    whole = [p for p, _ in pre.pre_tokenize_str(normalize(text))]
    pieces = [p for part in (text[:at], text[at:]) for p, _ in pre.pre_tokenize_str(normalize(part))]
    assert whole != pieces
    # … so tokstats counts such a file whole, and exactly.
    f = tmp_path / "t.txt"
    f.write_text(text * 200, "utf-8")
    assert count_file(f, f"hf:{path}", 2, block_size=64) == len(ids(tok, text * 200))


# --- files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["gpt2", "llama3", "qwen2-nfc"])
def test_count_file_in_small_blocks_is_exact_and_chunked(
    shapes: dict[str, Path], tmp_path: Path, name: str, recording_tokenizer: Any
) -> None:
    recording, seen = recording_tokenizer(get_tokenizer(f"hf:{shapes[name]}"))
    text = "".join(ATOMS) * 3 + "".join(TRAINING) * 4
    f = tmp_path / "big.txt"
    f.write_bytes(text.encode())
    want = len(ids(library(shapes[name]), text))
    assert count_file(f, f"hf:{shapes[name]}", 2, block_size=256) == want
    assert count_file(f, f"hf:{shapes[name]}", 1, block_size=97) == want
    assert count_file(f, recording, 2, block_size=1024) == want
    assert len(seen) > 20 and max(seen) < 4 * 1024  # handed over in pieces: memory stays flat


def test_cli_count_of_a_multi_block_file(run_cli, shapes: dict[str, Path], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tokstats.tokenizers._chunking import BLOCK_SIZE

    text = ("".join(ATOMS) + "".join(TRAINING)) * 300
    f = tmp_path / "big.txt"
    f.write_bytes(text.encode())
    assert f.stat().st_size > 8 * BLOCK_SIZE  # several blocks: the file is cut into chunks
    for name in ("gpt2", "llama3"):
        r = run_cli("count", "--encoding", f"hf:{shapes[name]}", str(f), "--format", "json")
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["total_tokens"] == len(ids(library(shapes[name]), text))


def test_crlf_text_is_cut_for_split_patterns_and_at_spaces_for_gpt2s_regex(shapes: dict[str, Path]) -> None:
    text = "first line\r\nsecond line \r\nthird\r\n" * 50
    gpt2, llama = (get_tokenizer(f"hf:{shapes[n]}") for n in ("gpt2", "llama3"))
    assert gpt2.cut_rule is CutRule.GPT2
    assert not [p for p in all_cuts(text, find_cut, CutRule.LONE_NEWLINE) if text[p - 1] == "\n"]
    pieces = split_text(text, 64, gpt2.cut_rule)  # only between "first" and "line", "second" and "line"
    assert len(pieces) > 10 and all(
        text[len("".join(pieces[:i])) - 1 :][:2] in ("t ", "d ") for i in range(1, len(pieces))
    )
    assert_pieces_exact(library(shapes["gpt2"]), text, pieces)
    assert llama.cut_rule is CutRule.TIKTOKEN
    pieces = split_text(text, 64, llama.cut_rule)
    assert len(pieces) > 10
    assert_pieces_exact(library(shapes["llama3"]), text, pieces)


def test_common_rule_of_several_tokenizers() -> None:
    # measure() and show cut a text once for several tokenizers: at cuts every rule allows.
    from tokstats.tokenizers._chunking import common_rule

    assert common_rule([CutRule.TIKTOKEN, CutRule.LONE_NEWLINE, CutRule.WHITESPACE]) is CutRule.LONE_NEWLINE
    assert common_rule([CutRule.WHITESPACE, CutRule.TIKTOKEN]) in (CutRule.WHITESPACE, CutRule.TIKTOKEN)
    assert common_rule([CutRule.TIKTOKEN, CutRule.SPACE, CutRule.LONE_NEWLINE]) is CutRule.SPACE
    assert common_rule([CutRule.GPT2, CutRule.GPT2]) is CutRule.GPT2
    assert common_rule([CutRule.GPT2, CutRule.TIKTOKEN]) is CutRule.LONE_NEWLINE  # rule 4 is GPT-2's alone
    assert common_rule([CutRule.GPT2, CutRule.SPACE]) is CutRule.SPACE
    assert common_rule([CutRule.TIKTOKEN, None]) is None and common_rule([]) is None
    text = "a \nb\nc\r\nd\n/e\n f\n中。\n文"
    lone = set(all_cuts(text, find_cut, CutRule.LONE_NEWLINE))
    assert lone and lone <= set(all_cuts(text, find_cut, CutRule.TIKTOKEN))


def test_gpt2s_regex_is_cut_between_an_ideograph_and_cjk_punctuation(
    shapes: dict[str, Path], tmp_path: Path, recording_tokenizer: Any
) -> None:
    # One long line of Chinese with neither newline nor space: rule 4 still cuts it, exactly.
    text = "第二行，中文。日本語「文字」『书名』《书》！问？冒：分；（括号）" * 400
    pre = library(shapes["gpt2"]).pre_tokenizer
    assert [p for p, _ in pre.pre_tokenize_str("中文，字")] == ["ä¸Ńæĸĩ", "ï¼Į", "åŃĹ"]  # the regex cuts there
    assert find_cut(text, 0, None, CutRule.LONE_NEWLINE) == -1
    f = tmp_path / "one-line.txt"
    f.write_bytes(text.encode())
    for name in ("gpt2", "gpt2-nfkc", "gpt2-nfd-lower"):
        recording, seen = recording_tokenizer(get_tokenizer(f"hf:{shapes[name]}"))
        want = len(ids(library(shapes[name]), text))
        assert count_file(f, recording, 2, block_size=1024) == want
        assert len(seen) > 20 and max(seen) < 4 * 1024
    # Neither side of a rule-4 cut may be a character the regex or a normal form treats otherwise.
    for not_a_cut in ("\u4dc0。", "\u9fff。", "が。", "文\u3099。", "文a。", "文，"[:1] + ".", "ア。"):
        assert find_cut(not_a_cut, 0, None, CutRule.GPT2) == -1, not_a_cut
        assert find_cut_bytes(not_a_cut.encode(), 0, CutRule.GPT2) == -1, not_a_cut
    # A plain added token holding an ideograph before CJK punctuation could cover the cut.
    gpt2 = _config(shapes["gpt2"])
    plain = {**gpt2["added_tokens"][0], "special": False, "content": "中文，", "id": 999}
    assert cut_rule(_with(gpt2, added_tokens=[*gpt2["added_tokens"], plain])) is CutRule.LONE_NEWLINE
