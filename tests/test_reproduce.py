"""``tokstats reproduce``: the API table and every output format, parsed back to the same rows."""

from __future__ import annotations

import csv
import io
import json

import pytest

import tokstats
from tokstats.comparison._reproduction import COLUMNS, reproduce_rows

DF = tokstats.reproduce()


def test_api_dataframe() -> None:
    assert list(DF.columns) == COLUMNS
    assert len(DF) == 20
    assert DF["reproduced"].all()
    assert (DF["cl100k_base"] == DF["published_cl100k"]).all()
    assert (DF["o200k_base"] == DF["published_o200k"]).all()
    assert ((DF["ratio"] - DF["cl100k_base"] / DF["o200k_base"]).abs() < 1e-12).all()
    assert (DF["ratio"].round(1) == DF["published_ratio"]).all()
    shown = DF[DF["displayed_cl100k"].notna()].set_index("language")
    assert shown.loc["Persian", ["displayed_cl100k", "displayed_o200k"]].tolist() == [63, 32]
    assert shown.loc["Italian", ["displayed_cl100k", "displayed_o200k"]].tolist() == [33, 27]
    assert shown["note"].str.len().gt(20).all()
    sig = DF.attrs["signature"]
    assert sig.corpus == "gpt4o-launch" and set(sig.encodings) == {"cl100k_base", "o200k_base"}


def _expected_rows() -> list[dict[str, object]]:
    rows, _ = reproduce_rows()
    return rows


def test_json_parses_back_to_the_same_rows(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("reproduce", "--format", "json")
    assert r.returncode == 0, r.stderr
    obj = json.loads(r.stdout)
    assert obj["rows"] == _expected_rows()
    sig = obj["signature"]
    assert sig["tokstats"] == tokstats.__version__
    assert sig["corpus"] == {"name": "gpt4o-launch", "sha256": tokstats.load_corpus("gpt4o-launch").sha256}
    assert [e["name"] for e in sig["encodings"]] == ["cl100k_base", "o200k_base"]
    assert sig["encodings"][0]["rank_sha256"] == "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
    assert sig["encodings"][1]["rank_sha256"] == "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d"


def test_csv_parses_back_to_the_same_rows(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("reproduce", "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines()[-1].startswith("# signature: tokstats:")
    parsed = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(parsed) == 20
    for got, want in zip(parsed, _expected_rows()):
        for col in COLUMNS:
            value = want[col]
            if value is None:
                assert got[col] == ""
            elif isinstance(value, bool):
                assert got[col] == str(value)
            elif isinstance(value, float):
                assert float(got[col]) == pytest.approx(value, rel=1e-12)
            else:
                assert got[col] == str(value)
    import pandas as pd

    df = pd.read_csv(io.StringIO(r.stdout), comment="#")
    assert df["cl100k_base"].tolist() == DF["cl100k_base"].tolist()


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_text_formats_end_with_the_signature(run_cli, fmt: str) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("reproduce", "--format", fmt)
    assert r.returncode == 0, r.stderr
    last = r.stdout.strip().splitlines()[-1]
    short = DF.attrs["signature"].short()
    assert short in last
    for lang in ("Gujarati", "English", "Persian", "Italian"):
        assert lang in r.stdout
    assert "piacere" in r.stdout  # the Italian note is printed under the table


def test_default_is_table_and_exit_0(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("reproduce")
    assert r.returncode == 0 and r.stderr == ""
    body = [line for line in r.stdout.splitlines() if line.split() and line.split()[0] in {p for p in DF["language"]}]
    assert len(body) == 20 and all(" yes" in line for line in body)


def test_a_row_that_does_not_reproduce_exits_1_and_names_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tokstats.load_corpus("gpt4o-launch")
    entries = [dict(e) for e in corpus.entries]
    entries[19] = {**entries[19], "published": {**entries[19]["published"], "o200k_base": 23}}
    broken = tokstats.Corpus(name="broken", sha256="0" * 64, meta=corpus.meta, entries=entries)
    rows, _ = reproduce_rows(broken)
    assert [r["language"] for r in rows if not r["reproduced"]] == ["English"]
    # The same through the CLI (shipped corpora are read-only, so swap the loader in-process).
    from tokstats.cli import main

    monkeypatch.setattr("tokstats.comparison._reproduction.load_corpus", lambda name: broken)
    assert main(["reproduce"]) == 1
    out, err = capsys.readouterr()
    assert err.strip() == "tokstats reproduce: 1 of 20 rows do not reproduce: English"
    english = next(line for line in out.splitlines() if line.startswith("English"))
    assert english.split()[1:10] == ["27", "→", "23", "1.1", "27", "→", "24", "1.12", "no"]


def test_unknown_format_is_refused(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("reproduce", "--format", "xml")
    assert r.returncode == 2 and "invalid choice: 'xml'" in r.stderr and "Traceback" not in r.stderr


def test_table_fits_a_100_column_terminal(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("reproduce")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert all(len(line) <= 100 for line in lines if not line.startswith("signature:"))
    # what the table leaves out is in the notes: the displayed sentences' counts
    assert "As displayed today: 63 → 32." in r.stdout.replace("\n    ", " ")
