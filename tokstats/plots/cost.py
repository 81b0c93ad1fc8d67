"""The cost forecast as a chart: one bar per model, input and output cost stacked.

Drawn on a bare ``matplotlib.figure.Figure`` with the Agg canvas, so it never touches
pyplot's global state or needs a display; the caller saves it (``fig.savefig(path)``).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure


def _rows(forecast: pd.DataFrame | Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    if hasattr(forecast, "to_dict"):
        return list(forecast.to_dict("records"))
    return list(forecast)


def plot_cost(
    forecast: pd.DataFrame | Sequence[Mapping[str, Any]], *, title: str | None = None, signature: str | None = None
) -> Figure:
    """Monthly cost per model, in US dollars: a stacked bar per model (input below, output on
    top, each bar labelled with its total); beside it, where the forecast has a saving against
    its first model, that saving split into its **tokenizer part** (fewer tokens, at the first
    model's price) and its **price part** (a lower price, on the model's own tokens).

    ``forecast`` is the DataFrame of ``tokstats.cost._forecast.forecast`` or its rows.
    ``signature`` (default: the DataFrame's) is printed underneath. The first axes is the cost
    chart; the saving chart, when drawn, is the second.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from tokstats.plots._style import LEGEND_SIZE, TITLE_SIZE, add_signature, money_axis, style_axes

    rows = _rows(forecast)
    sig_obj = forecast.attrs.get("signature") if hasattr(forecast, "attrs") else None
    if signature is None and sig_obj is not None:
        signature = sig_obj.short()
    # A stand-in tokenizer's row is marked "~" (approximate) on its label and hatched.
    models = [("~" if r.get("approximate") else "") + str(r["model"]) for r in rows]
    hatches = ["//" if r.get("approximate") else "" for r in rows]
    inputs = [float(r["input_cost"]) for r in rows]
    outputs = [float(r["output_cost"]) for r in rows]
    savings = [r for r in rows[1:] if _has_split(r)]
    wide = bool(savings)
    many = len(rows) > 12  # dozens of models: horizontal bars, one per line
    size = (9.0, max(4.8, 0.32 * len(rows) + 1.5)) if many else (max(6.5, 1.1 * len(rows) + 2), 5.2)
    fig = Figure(figsize=(size[0] + (5.5 if wide else 0.0), size[1]), layout="constrained")
    FigureCanvasAgg(fig)
    if wide:
        ax, split = fig.subplots(1, 2, width_ratios=[max(1.0, 0.5 * len(rows)), 1.4])
    else:
        ax, split = fig.add_subplot(), None
    style_axes(ax, grid="y")
    x = range(len(rows))
    if many:
        style_axes(ax, grid="x")
        ax.barh(x, inputs, label="input", color="#0072B2", hatch=hatches)
        ax.barh(x, outputs, left=inputs, label="output", color="#E69F00", hatch=hatches)
        for i, (a, b) in enumerate(zip(inputs, outputs)):
            ax.annotate(
                f"${a + b:,.2f}",
                (a + b, i),
                ha="left",
                va="center",
                fontsize=7,
                xytext=(2, 0),
                textcoords="offset points",
            )
        ax.set_yticks(list(x), models, fontsize=7)
        ax.invert_yaxis()
        ax.set_xlabel("monthly cost (USD)")
        money_axis(ax, "x")
    else:
        ax.bar(x, inputs, label="input", color="#0072B2", hatch=hatches)
        ax.bar(x, outputs, bottom=inputs, label="output", color="#E69F00", hatch=hatches)
        for i, (a, b) in enumerate(zip(inputs, outputs)):
            ax.annotate(
                f"${a + b:,.2f}",
                (i, a + b),
                ha="center",
                va="bottom",
                fontsize=8,
                xytext=(0, 2),
                textcoords="offset points",
            )
        ax.set_xticks(list(x), models, rotation=25 if len(rows) > 3 else 0, ha="right" if len(rows) > 3 else "center")
        ax.set_ylabel("monthly cost (USD)")
        money_axis(ax, "y")
    requests = rows[0].get("requests") if rows else None
    what = _workload(sig_obj)
    ax.set_title(
        title
        or (f"Monthly cost of {int(requests):,} requests" if isinstance(requests, numbers.Integral) else "Monthly cost")
        + (f"\n{what}" if what else ""),
        fontsize=TITLE_SIZE,
    )
    ax.legend(fontsize=LEGEND_SIZE)
    if any(hatches):
        ax.text(
            0.01,
            0.99,
            "~ hatched: approximate (stand-in tokenizer)",
            transform=ax.transAxes,
            fontsize=7,
            va="top",
            color="0.3",
        )
    ax.margins(x=0.12) if many else ax.margins(y=0.12)
    if split is not None:
        _draw_split(split, models[0], savings)
    if signature:
        add_signature(fig, signature)
    return fig


def _has_split(row: Mapping[str, Any]) -> bool:
    try:
        return float(row["saving_tokenizer"]) == float(row["saving_tokenizer"]) and row.get("saving_price") is not None
    except (KeyError, TypeError, ValueError):
        return False


def _draw_split(ax: Any, first: str, rows: list[Mapping[str, Any]]) -> None:
    """Horizontal bars per model: the tokenizer part and the price part of its saving, apart."""
    from tokstats.plots._style import LEGEND_SIZE, TITLE_SIZE, money_axis, style_axes

    style_axes(ax, grid="x")
    names = [str(r["model"]) for r in rows]
    tok = [float(r["saving_tokenizer"]) for r in rows]
    price = [float(r["saving_price"]) for r in rows]
    ys = list(range(len(rows)))
    h = 0.38
    ax.barh([y - h / 2 for y in ys], tok, h, label="tokenizer part (fewer tokens, at the old price)", color="#009E73")
    ax.barh([y + h / 2 for y in ys], price, h, label="price part (lower price, on the new tokens)", color="#CC79A7")
    for y, a, b in zip(ys, tok, price):
        ax.annotate(f"${a:,.2f}", (a, y - h / 2), va="center", fontsize=8, xytext=(3, 0), textcoords="offset points")
        ax.annotate(f"${b:,.2f}", (b, y + h / 2), va="center", fontsize=8, xytext=(3, 0), textcoords="offset points")
    ax.set_yticks(ys, names)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.axvline(0, color="0.3", linewidth=0.8)
    ax.set_xlabel("monthly saving (USD); the two parts add up to the saving")
    money_axis(ax, "x")
    ax.set_title(f"Saving vs {first}, split into its two parts", fontsize=TITLE_SIZE)
    ax.legend(fontsize=LEGEND_SIZE - 1, loc="lower right")
    ax.margins(x=0.25)


def _workload(sig: Any) -> str:
    """What the requests are, from the forecast's signature (a language mix of a corpus, or files)."""
    settings = getattr(sig, "settings", None) or {}
    mix = settings.get("language_mix")
    out = settings.get("output_tokens")
    parts = []
    if mix:
        parts.append(f"each like a {getattr(sig, 'corpus', '') or 'corpus'} text, languages {mix}")
    elif settings.get("inputs"):
        parts.append("each like a request of your sample")
    if out:
        parts.append(f"{int(out):,} output tokens each")
    return "; ".join(parts)
