"""Charts: the right bars with the right lengths, titles, axis labels with units, glyphs that render,
and ``tokstats plot`` writing PNG / SVG files (or failing with one line)."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("matplotlib")

from matplotlib.container import BarContainer  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from tokstats.errors import InputError  # noqa: E402
from tokstats.plots import _style  # noqa: E402
from tokstats.plots.compare import plot_premium, plot_ratio, plot_tokens, tokens_per_sentence  # noqa: E402
from tokstats.plots.reproduce import plot_reproduction  # noqa: E402

# Few resamples: the charts' shape does not depend on them, and the tests stay fast.
RESAMPLES = 200


def bar_groups(fig: Figure) -> list[BarContainer]:
    (ax,) = fig.axes
    return [c for c in ax.containers if isinstance(c, BarContainer)]


def widths(container: BarContainer) -> list[float]:
    return [p.get_width() for p in container.patches]


def all_text(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")) if t.get_text()]


def assert_renders(fig: Figure) -> None:
    """Every character of every label has a glyph in the font it is drawn with (no tofu boxes)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    missing = set()
    for t in fig.findobj(lambda a: hasattr(a, "get_fontproperties") and hasattr(a, "get_text")):
        text = t.get_text()
        if not text:
            continue
        font = FT2Font(font_manager.findfont(t.get_fontproperties()))
        missing |= {c for c in text if not c.isspace() and font.get_char_index(ord(c)) == 0}
    assert not missing, f"characters without a glyph: {sorted(missing)}"


@pytest.fixture(scope="module")
def reproduction():
    import tokstats

    return tokstats.reproduce()


@pytest.fixture(scope="module")
def comparison():
    from tokstats.comparison._compare import compare

    return compare(resamples=RESAMPLES)  # the default corpus: udhr, 45 languages


@pytest.fixture(scope="module")
def tokens():
    return tokens_per_sentence("parallel", resamples=RESAMPLES)


# --- reproduce --------------------------------------------------------------------------------


def test_reproduction_chart_has_published_and_measured_bar_per_language(reproduction) -> None:
    fig = plot_reproduction(reproduction)
    published, measured = bar_groups(fig)
    assert len(published) == len(measured) == 20
    # Golden values: the launch page, https://openai.com/index/hello-gpt-4o/ (2024-05-13):
    # Gujarati "4.4x fewer tokens (from 145 to 33)", English "1.1x (27 to 24)".
    assert widths(published)[0] == pytest.approx(4.4)
    assert widths(measured)[0] == pytest.approx(145 / 33)
    assert widths(measured)[-1] == pytest.approx(27 / 24)
    (ax,) = fig.axes
    assert [t.get_text() for t in ax.get_yticklabels()] == list(reproduction["language"])
    assert ax.get_yticklabels()[0].get_text() == "Gujarati"
    assert "cl100k_base" in ax.get_title() and "o200k_base" in ax.get_title()
    assert "compression ratio" in ax.get_xlabel() and "×" in ax.get_xlabel()  # unit: times
    texts = all_text(fig)
    assert "145→33" in texts
    assert any(t.startswith("tokstats:") for t in texts), "the signature is printed under the chart"
    assert_renders(fig)


def test_reproduction_chart_marks_the_displayed_sentences(reproduction) -> None:
    fig = plot_reproduction(reproduction)
    (ax,) = fig.axes
    (points,) = ax.collections
    xs = sorted(round(float(x), 6) for x, _ in points.get_offsets())
    # Persian as displayed: 63 / 32; Italian as displayed: 33 / 27 (corpora/gpt4o-launch.json evidence).
    assert xs == sorted([round(63 / 32, 6), round(33 / 27, 6)])
    assert any("displayed today: 63→32" in t for t in all_text(fig))


def test_reproduction_chart_flags_a_row_that_does_not_reproduce(reproduction) -> None:
    broken = reproduction.copy()
    broken.attrs = dict(reproduction.attrs)
    broken.loc[0, "reproduced"] = False
    broken.loc[0, "cl100k_base"] = 146
    fig = plot_reproduction(broken)
    assert any("✗ published 145→33" in t for t in all_text(fig))


# --- compare ----------------------------------------------------------------------------------


def test_tokens_per_sentence_is_the_mean_with_an_interval_around_it(tokens) -> None:
    import tokstats

    corpus = tokstats.load_corpus("parallel")
    enc = tokstats.get_encoding("o200k_base")
    counts = [len(enc.encode_ordinary(e["text"]["hi"])) for e in corpus.entries]
    row = tokens[(tokens["source"] == "hi") & (tokens["encoding"] == "o200k_base")].iloc[0]
    assert row["sentences"] == len(counts)
    assert row["tokens"] == sum(counts)
    assert row["mean"] == pytest.approx(sum(counts) / len(counts))
    assert row["ci_low"] < row["mean"] < row["ci_high"]
    assert len(tokens) == 20 * 2
    assert "resamples=200" in str(tokens.attrs["signature"])


def test_tokens_chart_one_bar_per_language_and_encoding_with_error_bars(tokens) -> None:
    fig = plot_tokens(tokens, sort="corpus")
    groups = bar_groups(fig)
    assert [g.get_label() for g in groups] == ["cl100k_base", "o200k_base"]
    assert [len(g) for g in groups] == [20, 20]
    assert all(g.errorbar is not None for g in groups)
    first = tokens[tokens["encoding"] == "cl100k_base"]
    assert widths(groups[0]) == pytest.approx(list(first["mean"]))
    (ax,) = fig.axes
    assert ax.get_yticklabels()[0].get_text() == "Gujarati (gu)"
    assert "tokens per sentence" in ax.get_xlabel() and "95%" in ax.get_xlabel()
    assert ax.get_title()
    assert_renders(fig)


def test_tokens_chart_with_three_encodings_has_three_bars_per_language() -> None:
    data = tokens_per_sentence("parallel", ["cl100k_base", "o200k_base", "o200k_harmony"], resamples=50)
    groups = bar_groups(plot_tokens(data, sort="corpus"))
    assert [len(g) for g in groups] == [20, 20, 20]
    # o200k_harmony shares o200k_base's ranks and pattern: identical ordinary counts.
    assert widths(groups[2]) == pytest.approx(widths(groups[1]))


def test_premium_chart(comparison) -> None:
    fig = plot_premium(comparison, sort="corpus")
    groups = bar_groups(fig)
    assert [g.get_label() for g in groups] == ["cl100k_base", "o200k_base"]
    assert [len(g) for g in groups] == [len(comparison)] * 2 and len(comparison) >= 40
    assert widths(groups[1]) == pytest.approx(list(comparison["premium.o200k_base"]))
    english = list(comparison["source"]).index("en")
    assert widths(groups[0])[english] == pytest.approx(1.0)  # English vs itself
    (ax,) = fig.axes
    assert "English" in ax.get_title()
    assert "premium vs English" in ax.get_xlabel() and "×" in ax.get_xlabel()
    assert_renders(fig)


def test_ratio_chart(comparison) -> None:
    fig = plot_ratio(comparison, sort="corpus")
    (group,) = bar_groups(fig)
    assert len(group) == len(comparison)
    assert widths(group) == pytest.approx(list(comparison["ratio"]))
    (ax,) = fig.axes
    assert "cl100k_base tokens ÷ o200k_base tokens" in ax.get_xlabel()


def test_ratio_chart_needs_two_encodings() -> None:
    from tokstats.comparison._compare import compare

    with pytest.raises(InputError, match="two encodings"):
        plot_ratio(compare(encodings=["o200k_base"], resamples=10))


@settings(max_examples=15, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=25),
    k=st.integers(min_value=1, max_value=3),
    data=st.data(),
)
def test_premium_chart_any_shape(n: int, k: int, data: st.DataObject) -> None:
    """Any number of languages and encodings: n x k bars, widths the premiums, no negative error bar."""
    import pandas as pd

    encs = [f"enc{i}" for i in range(k)]
    rows = []
    for j in range(n):
        row: dict[str, object] = {"source": f"l{j}", "language": None if j % 3 == 0 else f"Lang {j}"}
        for e in encs:
            v = data.draw(st.floats(min_value=0.1, max_value=20))
            lo = data.draw(st.one_of(st.none(), st.floats(min_value=0.0, max_value=25)))
            row.update(
                {f"premium.{e}": v, f"premium_ci_low.{e}": lo, f"premium_ci_high.{e}": None if lo is None else v + 0.5}
            )
        rows.append(row)
    fig = plot_premium(pd.DataFrame(rows), reference="en", sort="corpus")
    groups = bar_groups(fig)
    assert [len(g) for g in groups] == [n] * k
    assert widths(groups[-1]) == pytest.approx([r[f"premium.{encs[-1]}"] for r in rows])
    for g in groups:
        segments = g.errorbar.lines[2][0].get_segments()
        assert all(seg[0][0] <= seg[1][0] for seg in segments)


# --- saving -----------------------------------------------------------------------------------


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_save_by_suffix(tmp_path: Path, comparison) -> None:
    fig = plot_ratio(comparison)
    assert _style.save(fig, tmp_path / "r.PNG") == "png"
    width, height = png_size(tmp_path / "r.PNG")
    assert width >= 1000 and height >= 1000  # 8 x 8.2 in at 150 dpi
    assert _style.save(fig, tmp_path / "r.svg") == "svg"
    assert (tmp_path / "r.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    with pytest.raises(InputError, match=r"\.jpg.*use \.png, \.svg or \.pdf"):
        _style.save(fig, tmp_path / "r.jpg")
    assert _style.save(fig, tmp_path / "missing" / "r.pdf") == "pdf"  # a missing folder is created
    assert (tmp_path / "missing" / "r.pdf").read_bytes()[:4] == b"%PDF"
    (tmp_path / "a-file").write_text("")
    with pytest.raises(InputError, match="cannot create the folder"):
        _style.save(fig, tmp_path / "a-file" / "r.png")


def test_language_labels() -> None:
    assert _style.language_labels(["Hindi", None, float("nan"), "en"], ["hi", "xx", "yy", "en"]) == [
        "Hindi (hi)",
        "xx",
        "yy",
        "en",
    ]


# --- command line -----------------------------------------------------------------------------


def test_cli_plot_reproduce_png(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "ratios.png"
    r = run_cli("plot", "reproduce", "--output", str(out))
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    assert "wrote" in r.stderr
    width, height = png_size(out)
    assert width > 1000 and height > 1000


def test_cli_plot_compare_svg(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "premium.svg"
    r = run_cli("plot", "compare", "--metric", "premium", "--resamples", "100", "-o", str(out))
    assert r.returncode == 0, r.stderr
    svg = out.read_text(encoding="utf-8")
    assert "<svg" in svg and "premium" in svg


def test_cli_plot_cost(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "cost.png"
    r = run_cli(
        "plot",
        "cost",
        "--language-mix",
        "hi=0.6,en=0.4",
        "--requests",
        "1000000",
        "--models",
        "gpt-4-turbo,gpt-4o-2024-05-13",
        "--output-tokens",
        "200",
        "--output",
        str(out),
    )
    assert r.returncode == 0, r.stderr
    png_size(out)


@pytest.mark.parametrize(
    "args, message",
    [
        (["plot", "reproduce", "--output", "ratios.jpg"], "unknown image type '.jpg'; use .png, .svg or .pdf"),
        (["plot", "compare", "--encodings", "nope", "--output", "x.png"], "unknown tokenizer 'nope'"),
        (["plot", "cost", "--requests", "10", "--models", "gpt-4o", "--output", "x.png"], "nothing to forecast"),
        (["plot", "reproduce", "--output", "/dev/null/r.png"], "cannot create the folder /dev/null"),
    ],
    ids=["bad-suffix", "bad-encoding", "cost-without-sample", "unwritable"],
)
def test_cli_plot_errors_are_one_line(run_cli, tmp_path: Path, args: list[str], message: str) -> None:
    args = [str(tmp_path / a) if a.endswith((".jpg", ".png")) else a for a in args]
    r = run_cli(*args)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1 and message in r.stderr
