"""Encodings compared language by language on a parallel corpus, as charts with 95% intervals.

Three charts, each one horizontal bar per language (or file) and encoding. Rows are sorted by
value, largest on top (``sort="name"`` or ``"corpus"`` for another order); titles and axis
labels name what is measured on what corpus; a row where a tokenizer maps at least 5% of its
tokens to the unknown token is marked ``[UNK n%]`` (its counts are low because text was lost);
rows get denser and labels smaller past 40 and 120 rows, so 20 languages and 500 both read:

* ``plot_tokens`` — mean tokens per aligned unit (a UDHR section, a sentence of the parallel
  corpus): ``sum(tokens) / units`` for each language, with a percentile bootstrap interval over
  units (``tokstats.comparison._bootstrap``, same seed and resamples as ``tokstats compare``).
  The same units in every language, so bar lengths are directly comparable. Given the
  DataFrame of ``compare`` instead (your files), the total tokens of each row.
* ``plot_premium`` — the tokenization premium vs the reference language (Petrov et al. 2023):
  ``tokens(language) / tokens(reference)`` on the aligned sentences, per encoding, with the
  interval of ``tokstats.comparison._compare.compare``.
* ``plot_ratio`` — the compression ratio ``tokens(first encoding) / tokens(second)``, with its
  interval: where the newer encoding gains most.

The premium and ratio charts take the DataFrame of ``tokstats.comparison._compare.compare``, so a
chart shows exactly the numbers of the table.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from tokstats._api import renamed
from tokstats.comparison._per_sentence import tokens_per_sentence
from tokstats.defaults import DEFAULT_TOKENIZERS
from tokstats.errors import InputError
from tokstats.plots._style import (
    LEGEND_SIZE,
    PALETTE,
    TITLE_SIZE,
    UNK_MARK,
    add_signature,
    corpus_phrase,
    corpus_unit,
    language_labels,
    new_figure,
    order_rows,
    row_height,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from tokstats.tokenizers._registry import TokenizerLike

DEFAULT_ENCODINGS = DEFAULT_TOKENIZERS


def _num(value: Any) -> float:
    """A float, NaN for a missing value (None, NaN, pandas NA)."""
    try:
        return math.nan if value is None or value != value else float(value)
    except TypeError:
        return math.nan


Series = tuple[str, list[float], list[float], list[float]]


def _grouped_bars(ax: Axes, labels: list[str], series: list[Series], tick_size: float) -> None:
    """One group of horizontal bars per label, one bar per series ``(name, values, lows, highs)``,
    with error bars from the interval; a missing interval draws no error bar."""
    n, k = len(labels), len(series)
    height = 0.8 / max(k, 1)
    for i, (name, values, lows, highs) in enumerate(series):
        ys = [y - 0.4 + height * (i + 0.5) for y in range(n)]
        lo_err = [0.0 if math.isnan(lo) else max(v - lo, 0.0) for v, lo in zip(values, lows)]
        hi_err = [0.0 if math.isnan(hi) else max(hi - v, 0.0) for v, hi in zip(values, highs)]
        ax.barh(
            ys,
            values,
            height,
            color=PALETTE[i % len(PALETTE)],
            label=name,
            xerr=[lo_err, hi_err],
            error_kw={"ecolor": "0.2", "elinewidth": 0.8, "capsize": 2 if n <= 120 else 0},
        )
    ax.set_yticks(list(range(n)), labels, fontsize=tick_size)
    ax.set_ylim(n - 0.5, -0.5)  # first label on top
    ax.legend(loc="lower right", fontsize=LEGEND_SIZE, frameon=True, framealpha=0.9)


def _ordered(labels: list[str], series: list[Series], sort: str, key: int) -> tuple[list[str], list[Series]]:
    """Labels and series reordered by ``sort`` (``value``: by series ``key``, largest first)."""
    order = order_rows(series[key][1] if series else [], labels, sort)
    pick = lambda xs: [xs[i] for i in order]  # noqa: E731
    return pick(labels), [(name, pick(v), pick(lo), pick(hi)) for name, v, lo, hi in series]


def _encodings_of(df: pd.DataFrame, metric: str) -> list[str]:
    prefix = f"{metric}."
    return [c[len(prefix) :] for c in df.columns if c.startswith(prefix)]


def _height(n: int) -> tuple[float, float]:
    """Figure height (inches) and tick-label size for ``n`` rows of bars."""
    per_row, size = row_height(n)
    return 1.8 + per_row * n, size


def _unk_labels(rows: Sequence[Mapping[Any, Any]], labels: list[str], encs: list[str]) -> tuple[list[str], bool]:
    """``labels`` with ``[UNK n%]`` appended where a tokenizer's UNK share reaches ``UNK_MARK``."""
    out, marked = [], False
    for row, label in zip(rows, labels):
        worst = max((_num(row.get(f"unk_rate.{e}")) for e in encs), default=math.nan)
        if worst == worst and worst >= UNK_MARK:
            out.append(f"{label} [UNK {worst:.0%}]")
            marked = True
        else:
            out.append(label)
    return out, marked


UNK_NOTE = "[UNK n%]: n% of that row's tokens are the unknown token: text lost, so its count is low"


def _sort_note(sort: str, by: str) -> str:
    return {"value": f"sorted by {by}, largest on top", "name": "sorted by name"}.get(sort, "in the corpus's order")


@renamed(encodings="tokenizers")
def plot_tokens(
    data: pd.DataFrame | None = None,
    *,
    corpus: str | Any = "udhr",
    tokenizers: Sequence[TokenizerLike] = DEFAULT_ENCODINGS,
    title: str | None = None,
    sort: str = "value",
) -> Figure:
    """Tokens per language and encoding: the mean per aligned unit with 95% bootstrap error bars.

    ``data`` is the DataFrame of ``tokens_per_sentence`` (default: measure ``corpus`` with
    ``tokenizers`` now), or that of ``compare`` (your files: the total tokens of each row).
    ``sort`` orders the rows: ``value`` (the first encoding's, largest on top), ``name`` or
    ``corpus``.
    """
    if data is None:
        data = tokens_per_sentence(corpus, tokenizers)
    if "encoding" not in data.columns and _encodings_of(data, "tokens"):
        return _plot_totals(data, title=title, sort=sort)
    sig = data.attrs.get("signature")
    encs = list(dict.fromkeys(data["encoding"]))
    keys = list(dict.fromkeys(data["source"]))
    first = data.drop_duplicates("source").set_index("source")
    labels = language_labels([first.at[k, "language"] for k in keys], keys)
    series = []
    for enc in encs:
        part = data[data["encoding"] == enc].set_index("source").reindex(keys)
        series.append(
            (
                enc,
                [_num(v) for v in part["mean"]],
                [_num(v) for v in part["ci_low"]],
                [_num(v) for v in part["ci_high"]],
            )
        )
    labels, series = _ordered(labels, series, sort, 0)
    height, size = _height(len(keys))
    fig, ax = new_figure(8.0, height)
    _grouped_bars(ax, labels, series, size)
    unit = corpus_unit(sig)
    units = sorted({int(s) for s in data["sentences"]})
    over = f"the {units[0]} {unit}s" if len(units) == 1 else f"the {unit}s"
    ax.set_xlabel(f"mean tokens per {unit}\nerror bars: 95% bootstrap interval over {over}")
    ax.set_title(
        title
        or f"Tokens per {unit}: the same text in each language\non {corpus_phrase(sig)}; {_sort_note(sort, encs[0])}",
        fontsize=TITLE_SIZE,
    )
    add_signature(fig, sig)
    return fig


def _plot_totals(df: pd.DataFrame, *, title: str | None, sort: str) -> Figure:
    """Total tokens of each row of a ``compare`` DataFrame (one row per file or language)."""
    encs = _encodings_of(df, "tokens")
    rows = df.to_dict("records")
    labels = language_labels([r.get("language") for r in rows], [r.get("source") for r in rows])
    labels, marked = _unk_labels(rows, labels, encs)
    nan = [math.nan] * len(rows)
    series = [(e, [_num(r[f"tokens.{e}"]) for r in rows], nan, nan) for e in encs]
    labels, series = _ordered(labels, series, sort, 0)
    height, size = _height(len(rows))
    fig, ax = new_figure(8.0, height)
    _grouped_bars(ax, labels, series, size)
    sig = df.attrs.get("signature")
    ax.set_xlabel("tokens (the whole text of each row)" + (f"\n{UNK_NOTE}" if marked else ""))
    ax.set_title(
        title or f"Tokens of each input\non {corpus_phrase(sig)}; {_sort_note(sort, encs[0])}",
        fontsize=TITLE_SIZE,
    )
    add_signature(fig, sig)
    return fig


def plot_premium(
    comparison: pd.DataFrame, *, reference: str | None = None, title: str | None = None, sort: str = "value"
) -> Figure:
    """Tokenization premium vs the reference language per language and encoding, with 95% error
    bars, from the DataFrame of ``tokstats.comparison._compare.compare``. A dotted line marks 1
    (parity). ``sort``: ``value`` (the last encoding's premium, largest on top), ``name`` or
    ``corpus``."""
    encs = _encodings_of(comparison, "premium")
    rows = comparison.to_dict("records")
    labels = language_labels([r.get("language") for r in rows], [r.get("source") for r in rows])
    labels, marked = _unk_labels(rows, labels, encs)
    series = [
        (
            enc,
            [_num(r[f"premium.{enc}"]) for r in rows],
            [_num(r.get(f"premium_ci_low.{enc}")) for r in rows],
            [_num(r.get(f"premium_ci_high.{enc}")) for r in rows],
        )
        for enc in encs
    ]
    labels, series = _ordered(labels, series, sort, -1)
    ref = reference or _setting(comparison, "reference") or "en"
    ref = next((str(r["language"]) for r in rows if r.get("source") == ref and r.get("language")), ref)
    height, size = _height(len(rows))
    fig, ax = new_figure(8.0, height)
    _grouped_bars(ax, labels, series, size)
    ax.axvline(1.0, color="0.3", linewidth=0.9, linestyle=":")
    ax.set_xlabel(
        f"premium vs {ref} (tokens ÷ {ref} tokens for the same text, ×)\nerror bars: 95% bootstrap interval"
        + (f"\n{UNK_NOTE}" if marked else "")
    )
    on = corpus_phrase(comparison.attrs.get("signature"))
    ax.set_title(
        title
        or f"Tokenization premium vs {ref}: how many times more tokens the same text takes\n"
        f"on {on}; {_sort_note(sort, encs[-1] if encs else '')}",
        fontsize=TITLE_SIZE,
    )
    add_signature(fig, comparison.attrs.get("signature"))
    return fig


def plot_ratio(comparison: pd.DataFrame, *, title: str | None = None, sort: str = "value") -> Figure:
    """Compression ratio (first tokenizer ÷ each other one) per language with 95% error bars,
    from the DataFrame of ``tokstats.comparison._compare.compare``. A dotted line marks 1 (no change).

    Two tokenizers give one bar per language (the table's ``ratio``); more give one bar per
    language and tokenizer after the first (``ratio_to_first.<name>``). ``sort``: ``value``
    (the last ratio, largest on top), ``name`` or ``corpus``.
    """
    encs = _encodings_of(comparison, "tokens")
    if len(encs) < 2:
        raise InputError("the compression ratio needs two encodings (old,new), e.g. cl100k_base,o200k_base")
    rows = comparison.to_dict("records")
    labels = language_labels([r.get("language") for r in rows], [r.get("source") for r in rows])
    labels, marked = _unk_labels(rows, labels, encs)
    old = encs[0]
    if len(encs) == 2 or f"ratio_to_first.{encs[2]}" not in comparison.columns:
        new = encs[1]
        series = [
            (
                f"{old} ÷ {new}",
                [_num(r["ratio"]) for r in rows],
                [_num(r["ratio_ci_low"]) for r in rows],
                [_num(r["ratio_ci_high"]) for r in rows],
            )
        ]
        what, gain = f"{old} tokens ÷ {new} tokens", f"Where {new} gains most over {old}"
    else:
        series = [
            (
                f"{old} ÷ {n}",
                [_num(r[f"ratio_to_first.{n}"]) for r in rows],
                [_num(r[f"ratio_to_first_ci_low.{n}"]) for r in rows],
                [_num(r[f"ratio_to_first_ci_high.{n}"]) for r in rows],
            )
            for n in encs[1:]
        ]
        what, gain = f"{old} tokens ÷ each tokenizer's tokens", f"Where each tokenizer gains most over {old}"
    labels, series = _ordered(labels, series, sort, -1)
    height, size = _height(len(rows))
    fig, ax = new_figure(8.0, height + (0.1 * len(rows) if len(series) > 2 else 0.0))
    _grouped_bars(ax, labels, series, size)
    ax.axvline(1.0, color="0.3", linewidth=0.9, linestyle=":")
    ax.set_xlabel(
        f"compression ratio ({what}, ×; above 1: fewer tokens)\nerror bars: 95% bootstrap interval"
        + (f"\n{UNK_NOTE}" if marked else "")
    )
    on = corpus_phrase(comparison.attrs.get("signature"))
    ax.set_title(
        title or f"{gain}\non {on}; {_sort_note(sort, series[-1][0])}",
        fontsize=TITLE_SIZE,
    )
    add_signature(fig, comparison.attrs.get("signature"))
    return fig


def _setting(df: pd.DataFrame, key: str) -> str | None:
    sig = df.attrs.get("signature")
    settings = getattr(sig, "settings", None)
    return settings.get(key) if isinstance(settings, dict) else None
