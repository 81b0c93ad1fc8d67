"""Published studies: the vendored copies (hashes, internal consistency), the comparison and `tokstats studies`."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tokstats
from tokstats.comparison import _studies as S
from tokstats.errors import InputError

REPO = Path(__file__).resolve().parent.parent
PUBLISHED = REPO / "corpora" / "published"
LAUNCH = [e["id"] for e in json.loads((REPO / "corpora" / "gpt4o-launch.json").read_text("utf-8"))["entries"]]


@pytest.fixture(scope="module")
def studies() -> dict[str, S.Study]:
    return {s.id: s for s in S.load_studies()}


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return S.compare_with_studies_rows(resamples=100)[0]


def test_every_study_has_provenance_and_its_file_matches_its_hash(studies) -> None:
    meta = json.loads((PUBLISHED / "studies.json").read_text("utf-8"))
    assert [s["id"] for s in meta["studies"]] == list(studies) == ["petrov2023", "owoori", "mothertoken"]
    for entry in meta["studies"]:
        for key in ("citation", "url", "data_url", "split", "definition", "file", "sha256", "format"):
            assert entry[key], (entry["id"], key)
    assert meta["copied"] == "2026-11-23"


def test_a_changed_copy_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(PUBLISHED, tmp_path / "published")
    target = tmp_path / "published" / "owoori_flores200_devtest_premiums.json"
    target.chmod(0o644)
    target.write_text(target.read_text("utf-8").replace('"gu": [7.662', '"gu": [7.663'), "utf-8")
    monkeypatch.setattr(S, "_published_dir", lambda: tmp_path / "published")
    S.load_studies.cache_clear()
    try:
        with pytest.raises(InputError, match="owoori_flores200_devtest_premiums.json: sha256 .* does not match"):
            S.load_studies()
    finally:
        S.load_studies.cache_clear()


def test_petrov_premiums_are_totals_over_the_english_total(studies) -> None:
    table = {
        r["Language"]: r
        for r in csv.DictReader((PUBLISHED / "petrov2023_tokenization_lengths.csv").open(encoding="utf-8"))
    }
    en = int(table["English"]["cl100k_base"])
    p = studies["petrov2023"].premiums["cl100k_base"]
    assert p["en"] == 1.0
    assert p["gu"] == int(table["Gujarati"]["cl100k_base"]) / en
    assert p["zh"] == int(table["Chinese (Simplified)"]["cl100k_base"]) / en
    assert set(LAUNCH) <= set(p) and len(p) >= 45
    assert "o200k_base" not in studies["petrov2023"].premiums  # the study predates o200k_base


def test_mothertoken_is_internally_consistent() -> None:
    data = json.loads((PUBLISHED / "mothertoken_flores_plus_dev.json").read_text("utf-8"))
    en = data["eng_Latn"]
    for row in data.values():  # published premiums, ratio and fertility are the stated ratios of its totals
        assert row["prem_c"] == pytest.approx(row["cl100k"] / en["cl100k"], abs=6e-4)
        assert row["prem_o"] == pytest.approx(row["o200k"] / en["o200k"], abs=6e-4)
        assert row["ratio"] == pytest.approx(row["cl100k"] / row["o200k"], abs=6e-3)
        assert row["fert_o"] == pytest.approx(row["o200k"] / row["words"], abs=6e-4)


def test_the_three_studies_agree_where_they_overlap(studies) -> None:
    """Different splits of the same benchmark: premiums within 3 %, English totals within 0.5 %."""
    petrov, owoori, mt = (studies[k].premiums for k in ("petrov2023", "owoori", "mothertoken"))
    for code in LAUNCH:
        assert owoori["cl100k_base"][code] == pytest.approx(petrov["cl100k_base"][code], rel=0.03)
    for code in mt["o200k_base"]:
        if code in owoori["o200k_base"]:
            assert mt["o200k_base"][code] == pytest.approx(owoori["o200k_base"][code], rel=0.02)
    # dev+devtest (Petrov) ≈ dev (mothertoken, FLORES+) + devtest (owoori) for English under cl100k_base
    table = {
        r["Language"]: r
        for r in csv.DictReader((PUBLISHED / "petrov2023_tokenization_lengths.csv").open(encoding="utf-8"))
    }
    dev = json.loads((PUBLISHED / "mothertoken_flores_plus_dev.json").read_text("utf-8"))["eng_Latn"]["cl100k"]
    devtest = json.loads((PUBLISHED / "owoori_flores200_devtest_premiums.json").read_text("utf-8"))["en_tokens"][
        "cl100k_base"
    ]
    assert int(table["English"]["cl100k_base"]) == pytest.approx(dev + devtest, rel=0.005)


def test_rows_set_tokstats_premiums_beside_published_ones(rows, studies) -> None:
    codes = sorted({r["source"] for r in rows if r["corpus"] == "udhr"})
    assert len(codes) >= 150  # every FLORES-200 language of udhr, not only the 45 curated ones
    measured = tokstats.compare(corpus="udhr", languages=codes, resamples=100)
    udhr = {r["source"]: r for r in measured.to_dict("records")}
    for r in rows:
        assert list(r) == S.COLUMNS
        assert r["published"] == studies[r["study"]].premiums[r["encoding"]][r["source"]]
        if r["premium"] is not None:
            assert r["difference"] == pytest.approx(r["premium"] - r["published"])
            assert r["difference_pct"] == pytest.approx(100 * (r["premium"] / r["published"] - 1))
        if r["corpus"] == "udhr":
            assert r["premium"] == udhr[r["source"]][f"premium.{r['encoding']}"]
    launch_o200k = {r["source"] for r in rows if r["encoding"] == "o200k_base" and r["corpus"] == "udhr"}
    assert set(LAUNCH) <= launch_o200k
    parallel_only = [r for r in rows if r["corpus"] == "parallel" and r["source"] == "bo"]
    assert parallel_only and all(r["premium"] is None for r in parallel_only)  # parallel lacks Tibetan


def test_summary_says_how_far_each_corpus_is(rows) -> None:
    summary = {(s["corpus"], s["encoding"], s["study"]): s for s in S.summary_rows(rows)}
    s = summary[("udhr", "cl100k_base", "petrov2023")]
    members = [
        r
        for r in rows
        if (r["corpus"], r["encoding"], r["study"]) == ("udhr", "cl100k_base", "petrov2023") and r["source"] != "en"
    ]
    assert s["languages"] == len(members)
    assert s["max_abs_difference_pct"] == max((r["difference_pct"] for r in members), key=abs)
    assert s["rank_correlation"] > 0.9  # the ordering of languages holds on human-translated text


@given(st.lists(st.integers(min_value=-(10**6), max_value=10**6), min_size=3, max_size=30, unique=True))
def test_spearman_is_one_for_any_increasing_transform_and_minus_one_reversed(xs: list[int]) -> None:
    assert S.spearman(xs, [x * 3 + 1 for x in xs]) == pytest.approx(1.0)
    assert S.spearman(xs, [-x for x in xs]) == pytest.approx(-1.0)


def test_spearman_with_ties_and_too_few() -> None:
    assert S.spearman([1, 2], [2, 1]) is None
    assert S._rank([10, 20, 20, 30]) == [1, 2.5, 2.5, 4]
    # d = ranks differ by (0, 1, -1, 0): 1 - 6*2/(4*15) = 0.8 without ties
    assert S.spearman([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(0.8)


def test_cli_studies_table_has_the_launch_languages_for_both_encodings(run_cli) -> None:
    r = run_cli("studies", "--resamples", "100", "--format", "markdown")
    assert r.returncode == 0, r.stderr
    lines = {line.split(" | ")[0].strip("| "): line for line in r.stdout.splitlines() if line.startswith("| ")}
    header = lines["source"].strip("|").split(" | ")
    for code in LAUNCH:
        cells = dict(zip(header, (c.strip() for c in lines[code].strip("|").split(" | "))))
        assert cells["cl100k:published"] and cells["o200k:published"] and cells["cl100k:udhr Δ%"], code
    assert "Petrov" in r.stdout and "FLORES-200 dev+devtest" in r.stdout
    assert "studies:petrov2023@68ef66ea899d" in r.stdout


def test_cli_studies_json_and_summary(run_cli) -> None:
    out = json.loads(
        run_cli("studies", "--corpora", "udhr", "--studies", "owoori", "--resamples", "100", "--format", "json").stdout
    )
    assert {row["study"] for row in out["rows"]} == {"owoori"} and {row["corpus"] for row in out["rows"]} == {"udhr"}
    assert len({(row["source"], row["encoding"]) for row in out["rows"]}) == 40
    summary = json.loads(run_cli("studies", "--summary", "--resamples", "100", "--format", "json").stdout)["rows"]
    assert {(s["corpus"], s["study"]) for s in summary} >= {("udhr", "petrov2023"), ("parallel", "owoori")}


def test_cli_studies_unknown_study(run_cli) -> None:
    r = run_cli("studies", "--studies", "nope")
    assert r.returncode == 2
    assert r.stderr == "tokstats studies: error: unknown study 'nope'; known studies: mothertoken, owoori, petrov2023\n"


def test_docs_quote_the_summary_the_tool_computes(run_cli) -> None:
    """docs/corpora.md quotes `tokstats studies --summary --format markdown`; it must not drift."""
    r = run_cli("studies", "--summary", "--format", "markdown")
    table = [line for line in r.stdout.splitlines() if line.startswith("|")]
    docs = (REPO / "docs" / "corpora.md").read_text("utf-8")
    assert table and all(line in docs for line in table)


def test_petrov_rows_are_matched_to_udhr_by_flores_code(studies) -> None:
    """A udhr language outside the curated set gets Petrov et al.'s row whose FLORES-200 code is
    its ISO 639-3 code and script: Afrikaans (afr_Latn) and Belarusian (bel_Cyrl)."""
    table = {
        r["Language"]: r
        for r in csv.DictReader((PUBLISHED / "petrov2023_tokenization_lengths.csv").open(encoding="utf-8"))
    }
    english = float(table["English"]["cl100k_base"])
    petrov = studies["petrov2023"].premiums["cl100k_base"]
    langs = {x["code"]: x for x in tokstats.load_corpus("udhr").meta["languages"]}
    for code, name in (("af", "Afrikaans"), ("be", "Belarusian")):
        assert (langs[code]["iso639_3"], langs[code]["script"]) in {("afr", "Latn"), ("bel", "Cyrl")}
        assert petrov[code] == float(table[name]["cl100k_base"]) / english
    assert petrov["hi"] == float(table["Hindi"]["cl100k_base"]) / english  # the curated map still holds
