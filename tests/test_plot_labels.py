"""Charts that explain themselves: order, titles and labels, money axes, the saving split, UNK
marks, sizes at 20 and 500 rows, the signature line. Checked on the Figure objects, not pixels."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

from matplotlib.container import BarContainer  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import tokstats  # noqa: E402
from tokstats.errors import InputError  # noqa: E402
from tokstats.plots import _style  # noqa: E402
from tokstats.plots.compare import plot_premium, plot_ratio, plot_tokens, tokens_per_sentence  # noqa: E402
from tokstats.plots.cost import plot_cost  # noqa: E402

RESAMPLES = 50


def bars(ax) -> list[BarContainer]:  # type: ignore[no-untyped-def]
    return [c for c in ax.containers if isinstance(c, BarContainer)]


def widths(c: BarContainer) -> list[float]:
    return [p.get_width() for p in c.patches]


def ticks(ax) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.get_text() for t in ax.get_yticklabels()]


@pytest.fixture(scope="module")
def udhr():  # type: ignore[no-untyped-def]
    return tokstats.compare(resamples=RESAMPLES)


def test_premium_is_sorted_by_value_largest_on_top(udhr) -> None:  # type: ignore[no-untyped-def]
    fig = plot_premium(udhr)
    (ax,) = fig.axes
    o200k = bars(ax)[-1]
    assert o200k.get_label() == "o200k_base"
    values = widths(o200k)
    assert values == sorted(values, reverse=True)
    # the labels move with the bars: the top row is the language with the largest premium
    top = udhr.loc[udhr["premium.o200k_base"].idxmax()]
    assert ticks(ax)[0] == f"{top['language']} ({top['source']})"
    by_label = {f"{r['language']} ({r['source']})": r["premium.cl100k_base"] for r in udhr.to_dict("records")}
    assert widths(bars(ax)[0]) == pytest.approx([by_label[t] for t in ticks(ax)])
    title = ax.get_title()
    assert "English" in title and "UDHR" in title and "sorted by o200k_base" in title


def test_sort_by_name_and_corpus(udhr) -> None:  # type: ignore[no-untyped-def]
    (ax,) = plot_ratio(udhr, sort="name").axes
    assert ticks(ax) == sorted(ticks(ax), key=str.casefold)
    (ax,) = plot_ratio(udhr, sort="corpus").axes
    assert ticks(ax)[0] == f"{udhr['language'][0]} ({udhr['source'][0]})"
    with pytest.raises(InputError, match="sort: 'size' is not one of value, name, corpus"):
        plot_ratio(udhr, sort="size")


def test_tokens_chart_names_the_unit_of_the_corpus() -> None:
    udhr = tokens_per_sentence("udhr", resamples=RESAMPLES)
    (ax,) = plot_tokens(udhr).axes
    assert "per sentence" not in ax.get_xlabel() + ax.get_title()
    assert "mean tokens per UDHR section" in ax.get_xlabel() and "48 UDHR sections" in ax.get_xlabel()
    assert "UDHR (human translations)" in ax.get_title()
    first = widths(bars(ax)[0])
    assert first == sorted(first, reverse=True)
    parallel = tokens_per_sentence("parallel", resamples=RESAMPLES)
    (ax,) = plot_tokens(parallel).axes
    assert "mean tokens per sentence" in ax.get_xlabel() and "parallel corpus" in ax.get_title()


def test_cost_chart_dollars_and_the_saving_split() -> None:
    df = tokstats.forecast_language_mix(
        "hi=0.6,en=0.4", 1_000_000, ["gpt-4-turbo", "gpt-4o", "gpt-4o-mini"], output_tokens=200
    )
    fig = plot_cost(df)
    cost, split = fig.axes
    assert cost.get_ylabel() == "monthly cost (USD)"
    fig.canvas.draw()
    labels = [t.get_text() for t in cost.get_yticklabels() if t.get_text()]
    assert labels and all(t.startswith("$") for t in labels)
    assert [t.get_text() for t in split.get_xticklabels() if t.get_text()][1].startswith("$")
    tok, price = bars(split)
    rows = df.to_dict("records")[1:]
    assert widths(tok) == pytest.approx([r["saving_tokenizer"] for r in rows])
    assert widths(price) == pytest.approx([r["saving_price"] for r in rows])
    for r in rows:  # the two parts are the whole saving: the first model's cost minus this one's
        assert r["saving_tokenizer"] + r["saving_price"] == pytest.approx(df["monthly_cost"][0] - r["monthly_cost"])
    assert ticks(split) == ["gpt-4o", "gpt-4o-mini"]
    assert "tokenizer part" in tok.get_label() and "price part" in price.get_label()
    assert "hi=0.6,en=0.4" in cost.get_title() and "200 output tokens" in cost.get_title()


def test_one_model_has_no_split_panel() -> None:
    df = tokstats.forecast_language_mix("en=1", 1000, ["gpt-4o"], output_tokens=10)
    assert len(plot_cost(df).axes) == 1


def test_unk_heavy_rows_are_marked(tmp_path: Path, tiny_tokenizers) -> None:  # type: ignore[no-untyped-def]
    a = tmp_path / "plain.txt"
    a.write_text("Hello world. " * 20 + "\n", encoding="utf-8")
    b = tmp_path / "runes.txt"
    b.write_text("ꙮꙮꙮ 𓀀𓀁 ᚠᚢᚦ " * 10 + "\n", encoding="utf-8")
    wp = f"hf:{tiny_tokenizers['wordpiece']}"
    df = tokstats.compare([a, b], tokenizers=["o200k_base", wp], resamples=5)
    unk = df.set_index("source")[f"unk_rate.{df.columns[df.columns.str.startswith('unk_rate.')][1][9:]}"]
    assert unk[str(b)] >= 0.05 > unk[str(a)]
    fig = plot_tokens(df)
    (ax,) = fig.axes
    marked = [t for t in ticks(ax) if "[UNK" in t]
    assert len(marked) == 1 and str(b) in marked[0] and f"[UNK {unk[str(b)]:.0%}]" in marked[0]
    assert "unknown token" in ax.get_xlabel()
    assert "tokens (the whole text of each row)" in ax.get_xlabel()


def _synthetic(n: int):  # type: ignore[no-untyped-def]
    import pandas as pd

    rows = [
        {"source": f"l{i:03d}", "language": f"Language {i}", "premium.a": 1 + i / n, "premium.b": 1 + (n - i) / n}
        for i in range(n)
    ]
    return pd.DataFrame(rows)


@pytest.mark.parametrize(("n", "size"), [(20, 9), (500, 6.5)])
def test_readable_at_20_and_500_rows(n: int, size: float) -> None:
    fig = plot_premium(_synthetic(n), reference="en")
    (ax,) = fig.axes
    assert len(ticks(ax)) == n
    assert {t.get_fontsize() for t in ax.get_yticklabels()} == {size}
    per_row_pt = fig.get_figheight() * 72 * 0.8 / n  # the axes take most of the height
    assert per_row_pt >= size  # a row is at least as tall as its label
    assert fig.get_figheight() * _style.DPI < 65_536  # a PNG that every viewer opens


def test_signature_line_is_legible(udhr) -> None:  # type: ignore[no-untyped-def]
    fig: Figure = plot_premium(udhr)
    sig = fig._supxlabel  # the signature under the chart
    assert sig is not None and sig.get_fontsize() >= 7
    lines = sig.get_text().split("\n")
    assert "".join(lines) == udhr.attrs["signature"].short()
    assert max(len(line) for line in lines) <= _style.SIGNATURE_WIDTH + 40  # one long item may run over


def test_cli_plot_compare_charts_your_files(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a = tmp_path / "a.txt"
    a.write_text("Hello, world.\n" * 5, encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text("नमस्ते दुनिया।\n" * 5, encoding="utf-8")
    out = tmp_path / "files.svg"
    r = run_cli("plot", "compare", str(a), str(b), "--metric", "tokens", "--output", str(out), "--resamples", "5")
    assert r.returncode == 0, r.stderr
    svg = out.read_text(encoding="utf-8")
    assert "a.txt" in svg and "b.txt" in svg
    r = run_cli("plot", "compare", str(a), "--metric", "premium", "--output", str(out), "--resamples", "5")
    assert r.returncode == 2 and "no premium to chart" in r.stderr and r.stderr.count("\n") == 1
    r = run_cli("plot", "compare", "--sort", "size", "--output", str(out))
    assert r.returncode == 2 and "--sort" in r.stderr
