"""``tokstats report``: what the HTML report holds, checked against the library's own numbers.

The page is read as text here (charts as their Plotly specifications, tables as their JSON
rows); tests/test_browser.py opens it in a real browser.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytest.importorskip("plotly")

import tokstats
from tokstats.report import build_report, gather
from tokstats.report._charts import charts

RESAMPLES = 50


@pytest.fixture(scope="module")
def udhr_models() -> tokstats.report.ReportData:  # type: ignore[name-defined]
    return gather(models=["gpt-4-turbo", "gpt-4o"], resamples=RESAMPLES)


@pytest.fixture(scope="module")
def page(udhr_models) -> str:  # type: ignore[no-untyped-def]
    return build_report(udhr_models)


def _json_block(page: str, block_id: str) -> object:
    m = re.search(rf'<script type="application/json" id="{block_id}">(.*?)</script>', page, re.S)
    assert m, block_id
    return json.loads(m.group(1))


def test_page_is_self_contained(page: str) -> None:
    assert "<script src" not in page.lower() and "<link" not in page.lower()
    assert "cdn.plot.ly/plotly" not in page
    from plotly.offline import get_plotlyjs

    assert get_plotlyjs()[:2000] in page  # the bundle of the installed package, inline
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_tables_hold_every_row_and_column_of_the_comparison(udhr_models, page: str) -> None:  # type: ignore[no-untyped-def]
    df = udhr_models.comparison
    tables = {t["id"]: t for t in _json_block(page, "table-data")}  # type: ignore[union-attr]
    full = tables["table-all"]
    assert full["columns"] == [str(c) for c in df.columns]
    assert len(full["rows"]) == len(df) == 45
    col = full["columns"].index("tokens.o200k_base")
    assert [r[col] for r in full["rows"]] == [int(v) for v in df["tokens.o200k_base"]]
    assert "table-cost" in tables and "table-prices" in tables


def test_charts_are_sorted_and_say_what_they_measure(udhr_models) -> None:  # type: ignore[no-untyped-def]
    specs = {c["id"]: c for c in charts(udhr_models)}
    assert {"chart-premium", "chart-ratio", "chart-tokens", "chart-cost"} <= set(specs)
    df = udhr_models.comparison
    premium = specs["chart-premium"]["figure"]
    o200k = next(t for t in premium["data"] if t["name"] == "o200k_base")
    values = list(o200k["x"])
    assert values == sorted(values, reverse=True)  # largest premium on top
    by_lang = dict(zip(df["language"], df["premium.o200k_base"]))
    assert o200k["x"][0] == pytest.approx(max(by_lang.values()))
    title = premium["layout"]["title"]["text"]
    assert "English" in title and "Universal Declaration of Human Rights" in title
    assert "per sentence" not in specs["chart-tokens"]["title"]
    assert "48 aligned units" in specs["chart-tokens"]["title"]
    cost = specs["chart-cost"]["figure"]["layout"]["xaxis"]
    assert cost["tickprefix"] == "$" and "USD" in cost["title"]["text"]


def test_cost_split_adds_up_and_matches_the_price_table(udhr_models) -> None:  # type: ignore[no-untyped-def]
    prices = tokstats.load_prices()
    p4t, p4o = prices.quote("gpt-4-turbo").input_per_1m, prices.quote("gpt-4o").input_per_1m
    df = udhr_models.comparison.set_index("source")
    rows = {(r["source"], r["model"]): r for r in udhr_models.costs}
    for lang in ("en", "hi", "ja"):
        chars = df.at[lang, "characters"]
        t_old, t_new = df.at[lang, "tokens.cl100k_base"], df.at[lang, "tokens.o200k_base"]
        new = rows[(lang, "gpt-4o")]
        assert new["usd_per_1m_chars"] == pytest.approx(t_new / chars * p4o)
        assert rows[(lang, "gpt-4-turbo")]["usd_per_1m_chars"] == pytest.approx(t_old / chars * p4t)
        assert new["saving_tokenizer_part_usd"] == pytest.approx((t_old - t_new) / chars * p4t)
        assert new["saving_price_part_usd"] == pytest.approx(t_new / chars * (p4t - p4o))
        assert new["saving_tokenizer_part_usd"] + new["saving_price_part_usd"] == pytest.approx(
            new["saving_vs_first_usd"]
        )


def test_token_view_counts_are_tokstats_count(udhr_models) -> None:  # type: ignore[no-untyped-def]
    assert len(udhr_models.samples) == 45
    for sample in udhr_models.samples[:8]:
        for t in sample["tokenizers"]:
            assert "".join(p[0] for p in t["pieces"]) == sample["text"]
            assert t["tokens"] == tokstats.count(sample["text"], t["tokenizer"])


def test_signature_is_readable_text(udhr_models, page: str) -> None:  # type: ignore[no-untyped-def]
    import html

    assert html.escape(udhr_models.signature.short()) in page


def test_user_files_and_a_marked_unk_row(tmp_path: Path, tiny_tokenizers) -> None:  # type: ignore[no-untyped-def]
    a = tmp_path / "a.txt"
    a.write_text("Hello world. " * 20 + "\n", encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text("ꙮꙮꙮ 𓀀𓀁 ᚠᚢᚦ " * 10 + "\n", encoding="utf-8")
    data = gather([a, b], tokenizers=["o200k_base", f"hf:{tiny_tokenizers['wordpiece']}"], resamples=RESAMPLES)
    assert [s["source"] for s in data.samples] == [str(a), str(b)]
    specs = {c["id"]: c for c in charts(data)}
    assert "chart-premium" not in specs  # no aligned translations: no premium to draw
    labels = specs["chart-tokens"]["figure"]["data"][0]["y"]
    unk = data.comparison.set_index("source")[f"unk_rate.{data.tokenizers[1]}"]
    assert unk[str(b)] >= 0.05
    assert any(str(b) in y and "⚠ UNK" in y for y in labels)
    assert not any(str(a) in y and "⚠" in y for y in labels)


def test_cli_writes_the_report(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    notes = tmp_path / "notes.txt"
    notes.write_text("Hello, world.\nनमस्ते दुनिया।\n", encoding="utf-8")
    out = tmp_path / "sub" / "r.html"
    r = run_cli("report", str(notes), "--output", str(out), "--resamples", "20")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "" and f"wrote {out}" in r.stderr
    text = out.read_text(encoding="utf-8")
    assert f'<div class="sample" data-source="{notes}">' in text and text.rstrip().endswith("</html>")
    assert re.search(r'<span class="t t\d" title="\d+( \d+)*">न', text)  # the second line's tokens shown too


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--output", "r.png"], "a report is an HTML file"),
        (["--encodings", "o200k_base", "--models", "gpt-4o", "--output", "r.html"], "not both"),
        (["--models", "no-such-model", "--output", "r.html"], "no-such-model"),
        (["missing.txt", "--output", "r.html"], "missing.txt"),
    ],
)
def test_cli_bad_input_is_one_line(run_cli, tmp_path: Path, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    import os

    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        r = run_cli("report", *args, "--resamples", "5")
    finally:
        os.chdir(cwd)
    assert r.returncode == 2, r.stderr
    assert r.stderr.count("\n") == 1 and message in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "r.html").exists()


def test_docs_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "report.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", doc, re.S)
    assert blocks
    monkeypatch.chdir(tmp_path)
    for code in blocks:
        exec(
            compile(
                code.replace(
                    'gather(models=["gpt-4-turbo", "gpt-4o"])', 'gather(models=["gpt-4-turbo", "gpt-4o"], resamples=20)'
                ),
                "docs/report.md",
                "exec",
            ),
            {},
        )
    assert (tmp_path / "report.html").stat().st_size > 1_000_000


def test_token_view_is_capped_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from tokstats.report import _data

    monkeypatch.setattr(_data, "SAMPLE_ROWS", 5)
    data = gather(corpus="parallel", resamples=5)
    assert len(data.comparison) == 20 and len(data.samples) == 5
    page = build_report(data)
    assert "The first 5 of the 20 rows." in page
    assert page.count('<div class="sample"') == 5
    tables = {t["id"]: t for t in _json_block(page, "table-data")}  # type: ignore[union-attr]
    assert len(tables["table-main"]["rows"]) == 20  # the tables keep every row
