"""Offline, verified encodings: golden ids, tiktoken's own pattern, hash refusal, unknown names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tokstats
from tokstats.tokenizers._encodings import read_rank_file, shipped_sources

ENCODINGS = ["cl100k_base", "o200k_base", "o200k_harmony"]
SHIPPED = Path(tokstats.__file__).parent / "tokenizers" / "_ranks"

# Golden ids, from tiktoken's own test suite (tests/test_encoding.py, test_simple) and the
# OpenAI tokenizer page for o200k_base.
GOLDEN = {
    ("cl100k_base", "hello world"): [15339, 1917],
    ("o200k_base", "hello world"): [24912, 2375],
    ("o200k_harmony", "hello world"): [24912, 2375],
    ("cl100k_base", "hello <|endoftext|>"): [15339, 83739, 8862, 728, 428, 91, 29],
}


@pytest.mark.parametrize("name,text", list(GOLDEN), ids=lambda v: str(v))
def test_golden_ids(name: str, text: str) -> None:
    assert tokstats.get_encoding(name).encode_ordinary(text) == GOLDEN[(name, text)]


@pytest.mark.parametrize("name", ENCODINGS)
def test_built_from_tiktokens_own_constructor(name: str) -> None:
    from tiktoken_ext import openai_public

    def fake_loader(blobpath: str, expected_hash: str | None = None) -> dict[bytes, int]:
        return {}

    original = openai_public.load_tiktoken_bpe
    openai_public.load_tiktoken_bpe = fake_loader
    try:
        spec = openai_public.ENCODING_CONSTRUCTORS[name]()
    finally:
        openai_public.load_tiktoken_bpe = original
    enc = tokstats.get_encoding(name)
    assert enc._pat_str == spec["pat_str"]
    assert enc._special_tokens == spec["special_tokens"]
    assert enc.name == name


@pytest.mark.parametrize("name", ["cl100k_base", "o200k_base"])
def test_shipped_file_hashes_match_record_and_tiktoken(name: str) -> None:
    record = shipped_sources()["files"][name]
    import hashlib

    raw = (SHIPPED / record["file"]).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == record["sha256"]
    # The wheel's gzip file, recompressed, is not byte-identical (gzip headers), so its recorded
    # hash documents the origin; the content hash is what tiktoken pins and what is checked.
    assert len(record["gzip_sha256"]) == 64 and record["bytes"] == len(raw)
    assert tokstats.tokenizers._encodings._pinned_hash(name) == record["sha256"]


def test_model_map() -> None:
    assert tokstats.encoding_for_model("gpt-4o").name == "o200k_base"
    assert tokstats.encoding_for_model("gpt-4o-mini").name == "o200k_base"
    assert tokstats.encoding_for_model("gpt-4").name == "cl100k_base"
    assert tokstats.encoding_for_model("gpt-3.5-turbo-0125").name == "cl100k_base"


def test_unknown_encoding_names_the_known_ones() -> None:
    with pytest.raises(tokstats.UnknownEncodingError) as e:
        tokstats.get_encoding("o300k_base")
    assert str(e.value).startswith("unknown encoding 'o300k_base'; known encodings: ")
    assert "cl100k_base" in str(e.value) and "o200k_base" in str(e.value)


def test_unknown_model_names_the_known_ones() -> None:
    with pytest.raises(tokstats.UnknownModelError) as e:
        tokstats.encoding_for_model("gpt-9")
    assert "unknown model 'gpt-9'" in str(e.value) and "gpt-4o" in str(e.value)


def _tampered_dir(tmp_path: Path, how: str) -> Path:
    d = tmp_path / "ranks"
    d.mkdir()
    for name in ("cl100k_base", "o200k_base"):
        shutil.copy(SHIPPED / f"{name}.tiktoken", d)
    target = d / "cl100k_base.tiktoken"
    if how == "corrupt":  # one rank changed
        data = bytearray(target.read_bytes())
        data[-2:-1] = b"7" if data[-2:-1] != b"7" else b"8"
        target.write_bytes(bytes(data))
    else:  # substituted: o200k's ranks under cl100k's name
        shutil.copy(SHIPPED / "o200k_base.tiktoken", target)
    return d


@pytest.mark.parametrize("how", ["corrupt", "substituted"])
def test_tampered_rank_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    d = _tampered_dir(tmp_path, how)
    monkeypatch.setenv("TOKSTATS_RANK_DIR", str(d))
    expected = shipped_sources()["files"]["cl100k_base"]["sha256"]
    with pytest.raises(tokstats.RankFileHashError) as e:
        read_rank_file("cl100k_base", expected)
    assert e.value.expected == expected
    assert e.value.actual != expected
    assert expected in str(e.value) and e.value.actual in str(e.value)
    assert "refusing" in str(e.value)


def test_tampered_rank_file_refused_at_the_cli(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    d = _tampered_dir(tmp_path, "corrupt")
    r = run_cli("reproduce", env={"TOKSTATS_RANK_DIR": str(d)})
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    assert (
        "refusing rank file" in lines[0]
        and "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7" in lines[0]
    )
    listing = run_cli("encodings", env={"TOKSTATS_RANK_DIR": str(d)})
    assert listing.returncode == 1
    row = next(line for line in listing.stdout.splitlines() if line.startswith("cl100k_base"))
    assert " no " in row and "refusing" in row
    assert next(line for line in listing.stdout.splitlines() if line.startswith("o200k_base ")).split()[2] == "yes"


def test_missing_rank_file_is_named(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("reproduce", env={"TOKSTATS_RANK_DIR": str(tmp_path)})
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "rank file for cl100k_base not found" in r.stderr


def test_not_shipped_encoding_fails_clearly_offline(offline_env: dict[str, str]) -> None:
    import subprocess
    import sys

    code = (
        "import tokstats\n"
        "try:\n    tokstats.get_encoding('r50k_base')\n"
        "except tokstats.EncodingUnavailableError as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=offline_env, timeout=120)
    assert "encoding r50k_base is not shipped with tokstats" in out.stdout, out.stderr
    assert "TIKTOKEN_CACHE_DIR" in out.stdout


def test_cli_unknown_model_one_line_exit_2(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("encodings", "--model", "gpt-9")
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1
    assert r.stderr.startswith("tokstats encodings: error: unknown model 'gpt-9'; known models: ")


def test_encodings_listing_offline(run_cli) -> None:  # type: ignore[no-untyped-def]
    import json

    r = run_cli("encodings", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = {row["name"]: row for row in json.loads(r.stdout)["rows"]}
    for name in ENCODINGS:
        assert rows[name]["verified"] == "yes"
        assert rows[name]["source"].endswith(".tiktoken")
    assert rows["r50k_base"]["verified"] == "n/a"


@settings(max_examples=200, deadline=None)
@given(text=st.text())
@pytest.mark.parametrize("name", ["cl100k_base", "o200k_base"])
def test_round_trip(name: str, text: str) -> None:
    enc = tokstats.get_encoding(name)
    assert enc.decode(enc.encode_ordinary(text)) == text


@pytest.mark.parametrize("name", ["cl100k_base", "o200k_base"])
def test_rank_parse_equals_tiktokens_own(name: str) -> None:
    """The fast parse of a shipped rank file gives exactly the ranks tiktoken's loader gives."""
    import base64

    from tokstats.tokenizers._rank_files import parse_rank_lines

    contents = (SHIPPED / f"{name}.tiktoken").read_bytes()
    # tiktoken.load.load_tiktoken_bpe, minus the download (tiktoken 0.14.0)
    reference = {
        base64.b64decode(token): int(rank) for token, rank in (line.split() for line in contents.splitlines() if line)
    }
    ranks = parse_rank_lines(contents, name, pinned=True)
    assert ranks == reference
    assert list(ranks) == list(reference)  # the same order too
