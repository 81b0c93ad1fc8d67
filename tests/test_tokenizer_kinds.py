"""Hugging Face and SentencePiece tokenizers: tokstats counts exactly what the library encodes.

Every tokenizer here is trained in the test session (tests/conftest.py ``tiny_tokenizers``), so
the tests run offline. The reference is always the library's own encoder, called directly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tokstats
from tokstats.comparison import _metrics as m
from tokstats.counting._count import count_file
from tokstats.output._signature import build_signature
from tokstats.tokenizers import Tokenizer, get_tokenizer
from tokstats.tokenizers._chunking import CutRule, split_text
from tokstats.tokenizers._splitview import split_view

HF = ["bytelevel", "wordpiece", "bert", "unigram"]
SP = ["sp-bpe", "sp-unigram"]
#: Adversarial text: CRLF and other whitespace, combining marks, emoji ZWJ sequences and skin
#: tones, scripts the tiny vocabularies barely know, and every special-token string in play.
PIECES = [
    "\r\n",
    "\n",
    "\r",
    " ",
    "  ",
    "\t",
    "\u00a0",
    "\u2028",
    "e\u0301",
    "n\u0303",
    "\u0301",
    "👩\u200d👩\u200d👧",
    "👍🏽",
    "🏳️\u200d🌈",
    "नमस्ते",
    "日本",
    "Grüß",
    "don't",
    "42",
    "<|endoftext|>",
    "[CLS]",
    "[SEP]",
    "[UNK]",
    "<s>",
    "</s>",
    "<unk>",
    "▁",
    "##",
]
TEXT = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(st.characters(codec="utf-8"), max_size=4)),
    max_size=30,
).map("".join)
SETTINGS = settings(max_examples=40, deadline=None)


def measure_specs(text: str, specs: list[str], *args: Any) -> Any:
    """``measure`` of ``text`` under the tokenizers ``specs`` name (resolved once, as compare does)."""
    from tokstats.tokenizers import get_tokenizer

    return m.measure(text, [get_tokenizer(s) for s in specs], *args)


def spec(tiny: dict[str, Path], name: str) -> str:
    return ("sp:" if name.startswith("sp-") else "hf:") + str(tiny[name])


def library_ids(tiny: dict[str, Path], name: str, text: str) -> list[int]:
    """The library's own encoder, configured as tokstats documents: nothing added, specials as text."""
    if name.startswith("sp-"):
        import sentencepiece as spm

        return list(spm.SentencePieceProcessor(model_file=str(tiny[name])).encode(text))
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tiny[name]))
    tok.encode_special_tokens = True
    return list(tok.encode(text, add_special_tokens=False).ids)


@SETTINGS
@given(text=TEXT)
@pytest.mark.parametrize("name", HF + SP)
def test_counts_equal_the_librarys_own_encode(tiny_tokenizers: dict[str, Path], name: str, text: str) -> None:
    s = spec(tiny_tokenizers, name)
    ids = library_ids(tiny_tokenizers, name, text)
    tok = get_tokenizer(s)
    assert tok.encode(text) == ids
    assert tokstats.count(text, s) == tok.count(text) == len(ids)
    assert tok.count_batch([text, text + "x", ""]) == [len(ids), len(library_ids(tiny_tokenizers, name, text + "x")), 0]
    counts = measure_specs(text, [s]).encodings[s]
    assert counts.tokens == len(ids)
    assert counts.unk_tokens == (ids.count(tok.unk_id) if tok.unk_id is not None else 0)
    # Pieces of `show` join to the text and carry every id in order.
    pieces = split_view(text, s)
    assert "".join(p.text for p in pieces) == text
    assert [t for p in pieces for t in p.tokens] == ids


@pytest.mark.parametrize("name", ["bytelevel", "wordpiece", "sp-bpe", "sp-unigram"])
def test_special_token_strings_are_text_and_nothing_is_added(tiny_tokenizers: dict[str, Path], name: str) -> None:
    s = spec(tiny_tokenizers, name)
    tok = get_tokenizer(s)
    if name.startswith("sp-"):
        import sentencepiece as spm

        sp = spm.SentencePieceProcessor(model_file=str(tiny_tokenizers[name]))
        ids = tok.encode("<s>hi</s>")
        assert sp.bos_id() not in ids and sp.eos_id() not in ids and len(ids) > 2
        assert tok.encode("hi") == sp.encode("hi") and sp.bos_id() not in tok.encode("hi")
        return
    from tokenizers import Tokenizer

    special = "<|endoftext|>" if name == "bytelevel" else "[CLS]"
    plain = Tokenizer.from_file(str(tiny_tokenizers[name]))
    special_id = plain.token_to_id(special)
    # Left to its defaults the library would turn the string into its one special id …
    assert plain.encode(special, add_special_tokens=False).ids == [special_id]
    # … tokstats counts it as the text it is.
    ids = tok.encode(f"a {special} b")
    assert special_id not in ids and tok.count(special) > 1


def test_byte_fallback_pieces_are_byte_tokens(tiny_tokenizers: dict[str, Path]) -> None:
    import sentencepiece as spm

    s = spec(tiny_tokenizers, "sp-bpe")
    sp = spm.SentencePieceProcessor(model_file=str(tiny_tokenizers["sp-bpe"]))
    text = "Ωmega 🦜 ξ"  # characters the training text never had: written as bytes
    ids = sp.encode(text)
    byte_pieces = [i for i in ids if sp.id_to_piece(i).startswith("<0x")]
    assert byte_pieces
    tok = get_tokenizer(s)
    counts = measure_specs(text, [s]).encodings[s]
    assert counts.byte_tokens == len(byte_pieces) and counts.unk_tokens == 0
    assert (
        b"".join(
            tok.token_bytes(i) for i in byte_pieces if sp.id_to_piece(i) in {"<0xF0>", "<0x9F>", "<0xA6>", "<0x9C>"}
        )
        == "🦜".encode()
    )
    # Without byte fallback the same text loses characters to <unk>.
    u = spec(tiny_tokenizers, "sp-unigram")
    assert (
        measure_specs(text, [u]).encodings[u].unk_tokens > 0 and measure_specs(text, [u]).encodings[u].byte_tokens == 0
    )


def test_byte_level_bpe_has_no_unknown_token(tiny_tokenizers: dict[str, Path]) -> None:
    s = spec(tiny_tokenizers, "bytelevel")
    tok = get_tokenizer(s)
    assert tok.unk_id is None
    counts = measure_specs("Ωmega 🦜 ξ", [s]).encodings[s]
    assert counts.unk_tokens == 0 and counts.byte_tokens > 0  # 🦜 as four byte tokens
    assert b"".join(tok.token_bytes(t) for t in tok.encode("Ωmega 🦜 ξ")) == "Ωmega 🦜 ξ".encode()


@SETTINGS
@given(text=TEXT, target=st.integers(1, 24))
def test_chunked_count_is_exact_where_tokstats_cuts(tiny_tokenizers: dict[str, Path], text: str, target: int) -> None:
    # A whitespace-dropping pre-tokenizer with no normalizer: the count of the pieces at
    # chunking's cut points is the count of the whole.
    s = spec(tiny_tokenizers, "wordpiece")
    tok = get_tokenizer(s)
    assert tok.cut_rule is CutRule.WHITESPACE
    pieces = split_text(text, target, tok.cut_rule)
    assert "".join(pieces) == text
    assert sum(tok.count(p) for p in pieces) == tok.count(text)


def test_only_proven_shapes_are_cut(tiny_tokenizers: dict[str, Path]) -> None:
    rules = {name: get_tokenizer(spec(tiny_tokenizers, name)).cut_rule for name in HF + SP}
    assert rules == {
        "bytelevel": CutRule.GPT2,
        "wordpiece": CutRule.WHITESPACE,
        "bert": CutRule.WHITESPACE,
        "unigram": CutRule.SPACE,  # Metaspace starts a pre-token at every space
        "sp-bpe": None,
        "sp-unigram": None,
    }
    assert get_tokenizer(spec(tiny_tokenizers, "wordpiece")).split_pattern is None


@pytest.mark.parametrize("name", ["wordpiece", "bert", "bytelevel", "sp-bpe", "unigram"])
def test_count_file_is_exact_in_small_blocks(tiny_tokenizers: dict[str, Path], tmp_path: Path, name: str) -> None:
    text = "".join(PIECES) * 20 + "\n" + "Hello world\n" * 300
    f = tmp_path / "big.txt"
    f.write_bytes(text.encode())
    s = spec(tiny_tokenizers, name)
    want = len(library_ids(tiny_tokenizers, name, text))
    assert count_file(f, s, 2, block_size=64) == want
    assert count_file(f, s, 1, block_size=64) == want
    assert tokstats.count(text * 3, s, jobs=2) == len(library_ids(tiny_tokenizers, name, text * 3))


def test_chunked_files_are_counted_piece_by_piece(
    tiny_tokenizers: dict[str, Path], tmp_path: Path, recording_tokenizer: Any
) -> None:
    # Memory stays flat: no text handed to the counter is much larger than a block.
    inner = get_tokenizer(spec(tiny_tokenizers, "wordpiece"))
    recording, seen = recording_tokenizer(inner)
    f = tmp_path / "big.txt"
    f.write_bytes(("Hello world, line of text\n" * 4000).encode())
    assert count_file(f, recording, 2, block_size=1024) == inner.count(f.read_text())
    assert len(seen) > 50 and max(seen) < 4 * 1024


def test_metrics_across_kinds(tiny_tokenizers: dict[str, Path]) -> None:
    specs = ["o200k_base", spec(tiny_tokenizers, "bert"), spec(tiny_tokenizers, "sp-bpe")]
    df = tokstats.compare(corpus="parallel", encodings=specs, resamples=50)
    hf, sp = specs[1], specs[2]
    assert df["tokens." + hf].gt(0).all() and df["tokens." + sp].gt(0).all()
    en = df.set_index("source").loc["en"]
    assert en["premium." + hf] == pytest.approx(1.0) and en["premium." + sp] == pytest.approx(1.0)
    assert df["ratio"].notna().all()  # o200k_base tokens / bert tokens, across kinds
    assert df["single_token_pretokens.o200k_base"].notna().all()
    assert df["single_token_pretokens." + hf].isna().all()  # no split pattern: n/a
    assert (df["unk_rate.o200k_base"] == 0).all() and (df["unk_rate." + hf] > 0).any()
    sig = df.attrs["signature"]
    entries = {e["name"]: e for e in sig.as_dict()["encodings"]}
    assert entries[hf]["kind"] == "huggingface" and entries[hf]["library"].startswith("tokenizers ")
    assert entries[sp]["kind"] == "sentencepiece" and len(entries[sp]["sha256"]) == 64
    assert "rank_sha256" in entries["o200k_base"] and "rank_sha256" not in entries[hf]


def test_charts_take_any_number_of_tokenizers(tiny_tokenizers: dict[str, Path]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.container import BarContainer

    from tokstats.plots.compare import plot_premium, plot_ratio, plot_tokens, tokens_per_sentence

    specs = ["cl100k_base", "o200k_base", spec(tiny_tokenizers, "bytelevel"), spec(tiny_tokenizers, "sp-bpe")]
    df = tokstats.compare(corpus="parallel", encodings=specs, resamples=30)

    def groups(fig):  # type: ignore[no-untyped-def]
        (ax,) = fig.axes
        return [c for c in ax.containers if isinstance(c, BarContainer)]

    ratio = groups(plot_ratio(df, sort="corpus"))
    assert [g.get_label() for g in ratio] == [f"cl100k_base ÷ {n}" for n in specs[1:]]
    for g, n in zip(ratio, specs[1:]):
        assert [p.get_width() for p in g.patches] == pytest.approx(list(df[f"ratio_to_first.{n}"]))
    assert list(df["ratio"]) == pytest.approx(list(df["ratio_to_first.o200k_base"]))
    assert [len(g) for g in groups(plot_premium(df))] == [20] * 4
    tokens = tokens_per_sentence("parallel", specs, resamples=30)
    assert [len(g) for g in groups(plot_tokens(tokens))] == [20] * 4


def test_signature_of_tiktoken_alone_is_unchanged() -> None:
    import tiktoken

    short = build_signature(["cl100k_base", "o200k_base"], count="encode_ordinary").short()
    assert short == (
        f"tokstats:{tokstats.__version__}|tiktoken:{tiktoken.__version__}|"
        "enc:cl100k_base@223921b76ee9,o200k_base@446a9538cb6c|count:encode_ordinary"
    )


def test_a_folder_holding_tokenizer_json(tiny_tokenizers: dict[str, Path], tmp_path: Path) -> None:
    (tmp_path / "tokenizer.json").write_bytes(tiny_tokenizers["wordpiece"].read_bytes())
    tok = get_tokenizer(f"hf:{tmp_path}")
    assert tok.info.path == str(tmp_path / "tokenizer.json")
    assert tok.count("Hello world") == get_tokenizer(spec(tiny_tokenizers, "wordpiece")).count("Hello world")


# --- the command line -------------------------------------------------------------------------


def test_cli_compare_mixes_kinds(run_cli, tiny_tokenizers: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    specs = ",".join(["o200k_base", spec(tiny_tokenizers, "wordpiece"), spec(tiny_tokenizers, "sp-bpe")])
    r = run_cli("compare", "--encodings", specs, "--resamples", "20", "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    rows = out["rows"] if isinstance(out, dict) and "rows" in out else out
    row = rows[0]
    for s in specs.split(","):
        assert row["tokens"][s] > 0 and s in row["unk_rate"]
    md = run_cli("compare", "--encodings", specs, "--resamples", "20", "--format", "markdown")
    assert md.returncode == 0, md.stderr
    assert "single-token pre-tokens" in md.stdout and "n/a" in md.stdout
    assert "lib:tokenizers-" in md.stdout and "sentencepiece-" in md.stdout


def test_cli_count_and_show_with_files(run_cli, tiny_tokenizers: dict[str, Path], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = "Hello world <|endoftext|>\r\nnext 👩\u200d👩\u200d👧\n" * 50
    f = tmp_path / "t.txt"
    f.write_bytes(text.encode())
    for name in ("bytelevel", "wordpiece", "sp-bpe"):
        r = run_cli("count", "--encoding", spec(tiny_tokenizers, name), str(f), "--format", "json")
        assert r.returncode == 0, r.stderr
        out = json.loads(r.stdout)
        assert out["total_tokens"] == len(library_ids(tiny_tokenizers, name, text))
        assert out["signature"]["encodings"][0]["path"] == str(tiny_tokenizers[name])
    s = run_cli("show", "Hello <s> wörld", "--encodings", f"o200k_base,{spec(tiny_tokenizers, 'sp-bpe')}")
    assert s.returncode == 0, s.stderr
    assert f"{spec(tiny_tokenizers, 'sp-bpe')}  " in s.stdout and "lib:sentencepiece-" in s.stdout


def test_cli_model_option(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "t.txt"
    f.write_text("Hello, world! नमस्ते", "utf-8")
    by_model = json.loads(run_cli("count", "--model", "gpt-4o", str(f), "--format", "json").stdout)
    assert by_model["signature"]["encodings"][0]["name"] == "o200k_base"
    assert by_model["total_tokens"] == tokstats.count(f.read_text("utf-8"), "o200k_base")
    harmony = json.loads(run_cli("count", "--model", "gpt-oss-120b", str(f), "--format", "json").stdout)
    assert harmony["signature"]["encodings"][0]["name"] == "o200k_harmony"
    both = run_cli("compare", str(f), "--model", "gpt-4,gpt-4o", "--format", "json", "--resamples", "10")
    assert both.returncode == 0, both.stderr
    assert list(json.loads(both.stdout)["rows"][0]["tokens"]) == ["cl100k_base", "o200k_base"]
    r = run_cli("count", "--model", "gpt-4o", "--encoding", "cl100k_base", str(f))
    assert r.returncode == 2 and "either --encoding or --model" in r.stderr
    r = run_cli("show", "hi", "--model", "no-such-model")
    assert r.returncode == 2 and "unknown model 'no-such-model'" in r.stderr and "Traceback" not in r.stderr


@pytest.fixture
def no_libraries(tmp_path: Path) -> dict[str, str]:
    """PYTHONPATH that makes ``tokenizers`` and ``sentencepiece`` fail to import (extra not installed)."""
    for mod in ("tokenizers", "sentencepiece"):
        (tmp_path / "blocked" / mod).mkdir(parents=True)
        (tmp_path / "blocked" / mod / "__init__.py").write_text(f"raise ImportError('no module named {mod}')\n")
    return {"PYTHONPATH": str(tmp_path / "blocked")}


@pytest.mark.parametrize(
    ("make_spec", "message"),
    [
        (lambda d, t: "hf:" + str(d / "missing.json"), "no such file"),
        (lambda d, t: "sp:" + str(d / "missing.model"), "no such file"),
        (lambda d, t: "hf:" + str(d), "holds no tokenizer.json"),
        (lambda d, t: "hf:" + str(d / "notes.txt"), "is not a Hugging Face tokenizer.json"),
        (lambda d, t: "sp:" + str(d / "notes.txt"), "is not a SentencePiece model"),
        (lambda d, t: "sp:" + str(t["wordpiece"]), "is not a SentencePiece model"),
        (lambda d, t: "nope_base", "unknown tokenizer 'nope_base'"),
        (lambda d, t: "xx:" + str(d), "unknown tokenizer 'xx:"),
    ],
    ids=[
        "hf-missing",
        "sp-missing",
        "hf-empty-folder",
        "hf-not-json",
        "sp-not-model",
        "sp-given-json",
        "unknown-name",
        "unknown-prefix",
    ],
)
@pytest.mark.parametrize("command", ["count", "compare", "show"])
def test_cli_bad_tokenizer_is_one_line(
    run_cli,
    tiny_tokenizers: dict[str, Path],
    tmp_path: Path,  # type: ignore[no-untyped-def]
    make_spec,
    message: str,
    command: str,
) -> None:
    (tmp_path / "notes.txt").write_text("just some notes\n", "utf-8")
    s = make_spec(tmp_path, tiny_tokenizers)
    args = {
        "count": ["count", "--encoding", s, str(tmp_path / "notes.txt")],
        "compare": ["compare", str(tmp_path / "notes.txt"), "--encodings", f"o200k_base,{s}"],
        "show": ["show", "hi", "--encodings", s],
    }[command]
    r = run_cli(*args)
    assert r.returncode == 2 and r.stdout == ""
    [line] = r.stderr.splitlines()
    assert message in line and "Traceback" not in r.stderr


@pytest.mark.parametrize(("prefix", "name", "extra"), [("hf", "wordpiece", "hf"), ("sp", "sp-bpe", "sentencepiece")])
def test_cli_missing_extra_is_one_line(
    run_cli,
    tiny_tokenizers: dict[str, Path],
    no_libraries: dict[str, str],  # type: ignore[no-untyped-def]
    prefix: str,
    name: str,
    extra: str,
) -> None:
    r = run_cli("show", "hi", "--encodings", f"{prefix}:{tiny_tokenizers[name]}", env=no_libraries)
    assert r.returncode == 2 and r.stdout == ""
    [line] = r.stderr.splitlines()
    assert f"pip install 'tokstats[{extra}]'" in line and "not installed" in line


def test_cli_encodings_lists_named_entries_and_file_specs(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("encodings", "--help")
    assert "hf:PATH" in r.stdout and "sp:PATH" in r.stdout
    listing = run_cli("encodings", "--format", "json")
    assert listing.returncode == 0, listing.stderr
    rows = json.loads(listing.stdout)
    rows = rows["rows"] if isinstance(rows, dict) else rows
    assert {"cl100k_base", "o200k_base"} <= {row["name"] for row in rows}


def test_named_entry_that_cannot_load_is_a_row_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    from tokstats.cli.encodings import named_status
    from tokstats.tokenizers import _registry as registry
    from tokstats.tokenizers._named import NamedTokenizer
    from tokstats.tokenizers.families.qwen import PIN

    def missing(name: str) -> Tokenizer:
        raise ModuleNotFoundError("No module named 'no_such_module'")

    named = registry.named_tokenizers()
    monkeypatch.setitem(named, "broken-family", NamedTokenizer("broken-family", missing, PIN))
    row = named_status("broken-family")
    assert row["verified"] == "n/a" and "not installed" in row["detail"]
    monkeypatch.setitem(
        named, "bad-file", NamedTokenizer("bad-file", registry._loader("tokstats.tokenizers._huggingface:load"), PIN)
    )
    row = named_status("bad-file")  # loads hf:bad-file, a path that does not exist
    assert row["verified"] == "no" and "no such file" in row["detail"]


def test_model_names_resolve_through_the_registry_hook(
    monkeypatch: pytest.MonkeyPatch, tiny_tokenizers: dict[str, Path]
) -> None:
    from tokstats.errors import UnknownModelError
    from tokstats.tokenizers import _registry as registry

    assert registry.spec_for_model("gpt-4o") == "o200k_base"
    assert registry.spec_for_model("gpt-oss-120b") == "o200k_harmony"
    monkeypatch.setitem(registry.MODELS, "tiny-1b", spec(tiny_tokenizers, "sp-bpe"))
    assert registry.spec_for_model("tiny-1b") == spec(tiny_tokenizers, "sp-bpe")
    with pytest.raises(UnknownModelError, match="tiny-1b"):  # the hook's names are listed as known
        registry.spec_for_model("no-such-model")


def test_count_help_says_which_tokenizers_are_counted_whole(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("count", "--help")
    text = " ".join(r.stdout.split())
    assert (
        "counts each file whole" in text
        and "sp: models" in text
        and "hf: tokenizers whose pre-tokenizer drops whitespace" in text
    )
    assert "byte-level BPE hf: tokenizers" in text and "ByteLevel with GPT-2's regex, after a newline" in text
    assert "SentencePiece-style hf: tokenizers" in text and "Llama 2 style hf: tokenizers" in text
