"""The GPT-4o launch table as a chart: compression ratio per language, published vs measured.

One horizontal pair of bars per language, in the published order (largest gain first):

    published ratio = the figure printed on the launch page ("4.4x fewer tokens", one decimal)
    measured ratio  = cl100k_base tokens / o200k_base tokens, counted now (encode_ordinary)

Where the page now displays a sentence other than the one that gives the published counts
(Persian, Italian), the ratio of the displayed sentence is drawn as a hollow diamond, so the
difference is visible rather than hidden.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tokstats.comparison._reproduction import reproduce
from tokstats.plots._style import PALETTE, add_signature, new_figure

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

TITLE = "GPT-4o launch table: o200k_base needs fewer tokens than cl100k_base"
XLABEL = "compression ratio (cl100k_base tokens ÷ o200k_base tokens, ×)"


def plot_reproduction(table: pd.DataFrame | None = None, *, title: str | None = None) -> Figure:
    """Compression ratio per language, published beside measured, as a Figure.

    ``table`` is the DataFrame of ``tokstats.reproduce`` (default: reproduce it now from the
    ``gpt4o-launch`` corpus). Each measured bar is labelled with its counts ("145→33").
    """
    import math

    if table is None:
        table = reproduce()
    rows: list[dict[str, Any]] = [{str(k): v for k, v in r.items()} for r in table.to_dict("records")]
    n = len(rows)
    fig, ax = new_figure(8.0, 1.2 + 0.36 * n)
    height = 0.38
    ys = list(range(n))
    published = [float(r["published_ratio"]) for r in rows]
    measured = [float(r["ratio"]) if r["ratio"] is not None else math.nan for r in rows]
    ax.barh(
        [y - height / 2 for y in ys], published, height, color=PALETTE[1], label="published (launch page, 1 decimal)"
    )
    bars = ax.barh(
        [y + height / 2 for y in ys],
        measured,
        height,
        color=PALETTE[0],
        label="measured now (text reproducing the published counts)",
    )
    for bar, r in zip(bars, rows):
        label = f"{r['cl100k_base']}→{r['o200k_base']}"
        end = bar.get_width()
        if _present(r.get("displayed_cl100k")):
            label += f"  (displayed today: {r['displayed_cl100k']}→{r['displayed_o200k']})"
            end = max(end, _displayed_ratio(r))
        if not r["reproduced"]:
            label += f"  ✗ published {r['published_cl100k']}→{r['published_o200k']}"
        ax.annotate(
            label,
            (end, bar.get_y() + height / 2),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
            color="0.25",
        )

    displayed = [(y, r) for y, r in zip(ys, rows) if _present(r.get("displayed_cl100k"))]
    if displayed:
        ax.scatter(
            [_displayed_ratio(r) for _, r in displayed],
            [y + height / 2 for y, _ in displayed],
            marker="D",
            s=28,
            facecolors="white",
            edgecolors="black",
            linewidths=1,
            zorder=3,
            label="sentence as the page displays it today",
        )
    ax.set_yticks(ys, [str(r["language"]) for r in rows])
    ax.invert_yaxis()  # published order, top to bottom
    ax.axvline(1.0, color="0.5", linewidth=0.8, linestyle=":")
    ax.set_xlim(0, max([*published, *[v for v in measured if not math.isnan(v)], 1.0]) * 1.15)
    ax.set_xlabel(XLABEL)
    ax.set_title(title or TITLE, fontsize=11)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    add_signature(fig, table.attrs.get("signature"))
    return fig


def _displayed_ratio(row: dict[str, Any]) -> float:
    """cl100k_base ÷ o200k_base tokens of the sentence as the page displays it."""
    return int(row["displayed_cl100k"]) / int(row["displayed_o200k"])


def _present(value: Any) -> bool:
    """Whether a nullable cell (None, NaN, pandas NA) holds a value."""
    try:
        return value is not None and not bool(value != value)
    except TypeError:  # pandas NA refuses bool()
        return False
