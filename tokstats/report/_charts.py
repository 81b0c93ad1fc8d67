"""The report's interactive charts as Plotly figures (JSON specifications drawn by Plotly.js).

Each chart is one horizontal bar per row of the comparison and tokenizer (or model), sorted by
value with the largest on top, titled with what is measured on what text, the unit on its axis
($ on money), a dotted line where a ratio is 1, 95% intervals as error bars where the comparison
has them, and rows where a tokenizer maps at least ``UNK_MARK`` of its tokens to UNK marked ⚠.
A chart is left out when its numbers are missing (no premium without aligned units, no ratio
with one tokenizer, no cost without models).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from tokstats.report._data import UNK_MARK, ReportData, _label, _num

#: One series of bars: its name, values, and the interval's low and high ends (None: no interval).
Series = tuple[str, Sequence[float | None], Sequence[float | None] | None, Sequence[float | None] | None]

#: One colour per tokenizer or model (colour-blind safe: Okabe & Ito 2008), as the matplotlib charts.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")


def _labels(data: ReportData) -> list[str]:
    """Row labels ``Gujarati (gu)``, with `` ⚠ UNK`` where some tokenizer's UNK share is high."""
    out = []
    for row in data.comparison.to_dict("records"):
        label = _label(row)
        worst = max((_num(row.get(f"unk_rate.{n}")) or 0.0 for n in data.tokenizers), default=0.0)
        out.append(f"{label} ⚠ UNK {worst:.0%}" if worst >= UNK_MARK else label)
    return out


def _height(rows: int, bars: int) -> int:
    """Pixels for ``rows`` groups of ``bars`` bars: every bar stays at least ~7 px thick."""
    return int(160 + rows * max(18, 8 * bars))


def _hbar(
    chart_id: str,
    title: str,
    axis: str,
    labels: list[str],
    series: Sequence[Series],
    *,
    sort_by: int = -1,
    one: bool = False,
    money: bool = False,
    stacked: bool = False,
) -> dict[str, Any]:
    """A horizontal grouped (or stacked) bar chart, rows sorted by series ``sort_by`` descending."""
    import plotly.graph_objects as go

    key: list[float | None] = (
        list(series[sort_by][1])
        if not stacked
        else [sum(v or 0.0 for v in vals) for vals in zip(*(s[1] for s in series))]
    )

    def rank(i: int) -> float:
        v = key[i]
        return math.inf if v is None else -v

    order = sorted(range(len(labels)), key=rank)
    ys = [labels[i] for i in order]
    fig = go.Figure()
    for k, (name, values, lows, highs) in enumerate(series):
        xs = [values[i] for i in order]
        error = None
        if lows is not None and highs is not None:
            plus = [_gap(highs[i], v) for v, i in zip(xs, order)]
            minus = [_gap(v, lows[i]) for v, i in zip(xs, order)]
            error = {"type": "data", "array": plus, "arrayminus": minus, "thickness": 1, "width": 2}
        fig.add_trace(
            go.Bar(
                x=xs,
                y=ys,
                name=name,
                orientation="h",
                marker_color=PALETTE[k % len(PALETTE)],
                error_x=error,
                hovertemplate=("%{y}: $%{x:,.4f}" if money else "%{y}: %{x:,.3f}") + f"<extra>{name}</extra>",
            )
        )
    if one:
        fig.add_vline(x=1, line_dash="dot", line_color="#444", line_width=1)
    height = _height(len(labels), 1 if stacked else len(series))
    fig.update_layout(
        title={
            "text": title,
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 12, "l": 8},
            "font": {"size": 16},
        },
        barmode="relative" if stacked else "group",
        height=height,
        margin={"l": 10, "r": 20, "t": 140, "b": 30},
        legend={
            "orientation": "h",
            "y": 1 - 52 / height,
            "yanchor": "top",
            "x": 0,
            "xanchor": "left",
            "yref": "container",
        },
        template="plotly_white",
        font={"family": "system-ui, sans-serif", "size": 12},
    )
    fig.update_xaxes(title_text=axis, tickprefix="$" if money else "", side="top", automargin=True)
    fig.update_yaxes(autorange="reversed", automargin=True, type="category")
    return {"id": chart_id, "title": title, "figure": fig.to_plotly_json()}


def _gap(high: float | None, low: float | None) -> float | None:
    """``high - low`` (at least 0), None when either is missing: one side of an error bar."""
    return None if high is None or low is None else max(high - low, 0.0)


def _col(data: ReportData, column: str) -> list[float | None]:
    df = data.comparison
    return [_num(v) for v in df[column]] if column in df.columns else [None] * len(df)


def charts(data: ReportData) -> list[dict[str, Any]]:
    """The charts of a report, in the order shown: premium, ratio, tokens, cost, saving split."""
    df = data.comparison
    labels = _labels(data)
    names = data.tokenizers
    on = data.what
    out = []
    ref = _reference(data)
    premium = [
        (n, _col(data, f"premium.{n}"), _col(data, f"premium_ci_low.{n}"), _col(data, f"premium_ci_high.{n}"))
        for n in names
    ]
    if any(v is not None for s in premium for v in s[1]):
        out.append(
            _hbar(
                "chart-premium",
                f"Tokenization premium vs {ref}: how many times more tokens the same text takes<br>"
                f"<sup>on {on}; sorted by {names[-1]}; error bars: 95% bootstrap interval</sup>",
                f"premium (tokens ÷ {ref} tokens for the same text, ×)",
                labels,
                premium,
                one=True,
            )
        )
    if len(names) >= 2:
        ratio = [
            (
                f"{names[0]} ÷ {n}",
                _col(data, f"ratio_to_first.{n}"),
                _col(data, f"ratio_to_first_ci_low.{n}"),
                _col(data, f"ratio_to_first_ci_high.{n}"),
            )
            for n in names[1:]
        ]
        if any(v is not None for s in ratio for v in s[1]):
            out.append(
                _hbar(
                    "chart-ratio",
                    f"Compression ratio: {names[0]}'s tokens ÷ each other tokenizer's (above 1: fewer tokens)<br>"
                    f"<sup>on {on}; sorted by {ratio[-1][0]}; error bars: 95% bootstrap interval</sup>",
                    f"compression ratio ({names[0]} tokens ÷ tokens, ×)",
                    labels,
                    ratio,
                    one=True,
                )
            )
    unit = f"the {data.units} aligned units of each language" if data.units else "each row's whole text"
    tokens = [(n, _col(data, f"tokens.{n}"), None, None) for n in names]
    out.append(
        _hbar(
            "chart-tokens",
            f"Tokens for {unit}<br><sup>on {on}; sorted by {names[0]}</sup>",
            f"tokens (total over {unit})",
            labels,
            tokens,
            sort_by=0,
        )
    )
    if data.costs:
        out += _cost_charts(data, labels, on)
    del df
    return out


def _cost_charts(data: ReportData, labels: list[str], on: str) -> list[dict[str, Any]]:
    keys = [str(s) for s in data.comparison["source"]]
    by = {(str(r["source"]), r["model"]): r for r in data.costs}
    prices = ", ".join(f"{p['model']} ${p['input_usd_per_1m_tokens']:g}/1M tokens" for p in data.prices)
    series = [(m, [by.get((k, m), {}).get("usd_per_1m_chars") for k in keys], None, None) for m in data.models]
    out = [
        _hbar(
            "chart-cost",
            f"Input cost of the same text on each model, per million characters<br>"
            f"<sup>on {on}; input prices: {prices}; sorted by {data.models[0]}</sup>",
            "USD per 1M characters of input text",
            labels,
            series,
            sort_by=0,
            money=True,
        )
    ]
    first = data.models[0]
    for m in data.models[1:]:
        split = [
            (
                f"tokenizer part ({first}'s tokenizer → {m}'s, at {first}'s price)",
                [by.get((k, m), {}).get("saving_tokenizer_part_usd") for k in keys],
                None,
                None,
            ),
            (
                f"price part ({first}'s price → {m}'s, on {m}'s tokens)",
                [by.get((k, m), {}).get("saving_price_part_usd") for k in keys],
                None,
                None,
            ),
        ]
        out.append(
            _hbar(
                "chart-saving-" + re.sub(r"[^A-Za-z0-9]+", "-", m),
                f"Saving of {m} over {first}, split into its tokenizer and price parts<br>"
                f"<sup>on {on}; USD per 1M characters of input; the two parts add up to the saving; sorted by saving</sup>",
                f"saving, USD per 1M characters of input ({first} cost − {m} cost)",
                labels,
                split,
                money=True,
                stacked=True,
            )
        )
    return out


def _reference(data: ReportData) -> str:
    sig = data.signature
    settings = getattr(sig, "settings", None)
    ref = settings.get("reference") if isinstance(settings, dict) else None
    ref = ref or "en"
    for row in data.comparison.to_dict("records"):
        if row.get("source") == ref and row.get("language") and row.get("language") == row.get("language"):
            return str(row["language"])
    return ref
