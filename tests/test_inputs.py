"""One input model for every command: globs, '-', file:// URLs, Parquet folders, repeats."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from tokstats.errors import InputError
from tokstats.sources._inputs import expand, local_path
from tokstats.tokenizers._encodings import get_encoding

HAVE_DASK = importlib.util.find_spec("distributed") is not None


def tokens(text: str, name: str = "cl100k_base") -> int:
    return len(get_encoding(name).encode_ordinary(text))


@pytest.fixture
def corpus(tmp_path: Path) -> list[Path]:
    paths = [
        tmp_path / "corpus" / "a.txt",
        tmp_path / "corpus" / "x" / "b.txt",
        tmp_path / "corpus" / "x" / "y" / "c.txt",
        tmp_path / "corpus" / "x" / "note.md",
    ]
    for i, p in enumerate(paths):
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f"document number {i}: some text to count\n", "utf-8")
    return paths


def test_expand_globs_urls_and_repeats(corpus: list[Path]) -> None:
    root = corpus[0].parent
    got = expand([str(root / "**" / "*.txt"), f"file://{corpus[3]}", str(corpus[0]), "-", "-"])
    assert got.paths == [str(corpus[0]), str(corpus[1]), str(corpus[2]), str(corpus[3]), "-"]
    assert got.repeated == [str(corpus[0]), "-"]
    assert got.note("counted") == f"named more than once, counted once: {corpus[0]}, -"
    assert local_path("file:///tmp/a%20b.txt") == "/tmp/a b.txt"
    with pytest.raises(InputError, match=r"\*\.rs: no files match"):
        expand([str(root / "*.rs")])
    with pytest.raises(InputError, match="three slashes"):
        expand(["file://host/tmp/a.txt"])


def test_other_urls_need_a_cluster(run_cli) -> None:  # type: ignore[no-untyped-def]
    for command in ("count", "compare"):
        r = run_cli(command, "s3://bucket/a.txt")
        assert (r.returncode, r.stdout) == (2, "")
        assert r.stderr == (
            f"tokstats {command}: error: s3://bucket/a.txt: URLs other than file:// are read by "
            "Dask workers: add --scheduler ADDRESS|local:N\n"
        )


def test_count_glob_url_and_repeat_locally(run_cli, corpus: list[Path]) -> None:  # type: ignore[no-untyped-def]
    root = corpus[0].parent
    r = run_cli("count", "--format", "json", f"{root}/**/*.txt", f"file://{corpus[0]}")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [f["path"] for f in out["files"]] == [str(p) for p in corpus[:3]]
    assert out["total_tokens"] == sum(tokens(p.read_text("utf-8")) for p in corpus[:3])
    assert r.stderr == f"tokstats count: named more than once, counted once: {corpus[0]}\n"
    r = run_cli("compare", "--format", "json", "--resamples", "10", str(corpus[0]), str(corpus[0]))
    assert len(json.loads(r.stdout)["rows"]) == 1
    assert r.stderr == f"tokstats compare: named more than once, read once: {corpus[0]}\n"


@pytest.mark.skipif(not HAVE_DASK, reason="dask[distributed] is not installed")
def test_count_repeat_and_glob_same_on_a_cluster(run_cli, corpus: list[Path]) -> None:  # type: ignore[no-untyped-def]
    root = corpus[0].parent
    args = ["count", "--format", "json", f"{root}/**/*.txt", str(corpus[1]), f"file://{corpus[2]}"]
    here = run_cli(*args)
    there = run_cli(*args, "--scheduler", "local:1")
    assert here.returncode == there.returncode == 0, there.stderr
    assert json.loads(here.stdout) == json.loads(there.stdout)
    note = f"tokstats count: named more than once, counted once: {corpus[1]}, {corpus[2]}\n"
    assert here.stderr == note and note in there.stderr


def test_standard_input_for_compare_show_and_cost(run_cli) -> None:  # type: ignore[no-untyped-def]
    text = "Standard input, read exactly:\r\n\tnot translated\n"
    r = run_cli("compare", "-", "--format", "json", "--resamples", "10", input=text)
    assert r.returncode == 0, r.stderr
    row = json.loads(r.stdout)["rows"][0]
    assert row["source"] == "-" and row["tokens"]["o200k_base"] == tokens(text, "o200k_base")
    for args in (["show", "-"], ["show", "--file", "-"]):
        r = run_cli(*args, "--format", "json", input=text)
        assert r.returncode == 0, r.stderr
        out = json.loads(r.stdout)
        assert [row["tokens"] for row in out["rows"]] == [tokens(text), tokens(text, "o200k_base")]
        assert "".join(p["text"] for p in out["rows"][0]["pieces"]) == text
    r = run_cli(
        "cost", "-", "--requests", "10", "--models", "gpt-4o", "--output-tokens", "5", "--format", "json", input=text
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["rows"][0]["input_tokens"] > tokens(text, "o200k_base")  # plus chat framing


def test_compare_glob_and_parquet_folder_locally(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    ds = tmp_path / "dir.parquet"
    ds.mkdir()
    rows = [{"text": f"row {i} in the dataset", "lang": "en" if i % 2 else "de"} for i in range(6)]
    pq.write_table(pa.Table.from_pylist(rows[:4]), ds / "part-0.parquet")
    pq.write_table(pa.Table.from_pylist(rows[4:]), ds / "part-1.parquet")
    (ds / "_SUCCESS").write_bytes(b"")
    r = run_cli("compare", f"{ds}/", "--format", "json", "--resamples", "10")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [(row["source"], row["documents"]) for row in out["rows"]] == [(f"{ds}/", 6)]
    assert out["rows"][0]["tokens"]["cl100k_base"] == sum(tokens(row["text"]) for row in rows)
    assert "@listing:" in out["signature"]["inputs"]
    r = run_cli("compare", str(tmp_path / "*.parquet"), "--format", "json", "--resamples", "10")
    assert r.returncode == 2 and "no files match" in r.stderr  # a glob matches files, not folders


def test_by_language_needs_a_language_column(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "records.jsonl"
    data.write_text(
        '{"id": "1", "lang": "en", "body": "Hello world"}\n'
        '{"id": "1", "lang": "de", "body": "Hallo Welt"}\n'
        '{"id": "2", "lang": "de", "body": "Nur deutsch"}\n',
        "utf-8",
    )
    r = run_cli("compare", str(data), "--text-column", "body", "--by", "language")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == (
        f"tokstats compare: error: {data}: grouping by language needs each document's language: "
        "name the field that holds it with --language-column (language_column= in the API); "
        ".po/.mo catalogs carry theirs\n"
    )
    base = ["compare", str(data), "--text-column", "body", "--resamples", "10"]
    r = run_cli(*base)
    assert "premium: not shown; it needs translations linked by --id-column, languages by --language-column" in r.stdout
    r = run_cli(*base, "--language-column", "lang", "--by", "language")
    assert "premium n/a: no text in that row is aligned with 'en' text (--id-column names the field" in r.stdout
    r = run_cli(*base, "--language-column", "lang", "--id-column", "id", "--by", "language", "--format", "json")
    premium = {row["source"]: row["premium"]["cl100k_base"] for row in json.loads(r.stdout)["rows"]}
    assert premium["en"] == 1.0 and premium["de"] == pytest.approx(tokens("Hallo Welt") / tokens("Hello world"))
