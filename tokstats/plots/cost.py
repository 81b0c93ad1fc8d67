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
    """A stacked bar chart of monthly cost per model (input below, output on top), in USD.

    ``forecast`` is the DataFrame of ``tokstats.cost._forecast.forecast`` or its rows; each bar is
    labelled with its total. ``signature`` (default: the DataFrame's) is printed small underneath.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = _rows(forecast)
    if signature is None and hasattr(forecast, "attrs"):
        sig = forecast.attrs.get("signature")
        signature = sig.short() if sig is not None else None
    # A stand-in tokenizer's row is marked "~" (approximate) on its label and hatched.
    models = [("~" if r.get("approximate") else "") + str(r["model"]) for r in rows]
    hatches = ["//" if r.get("approximate") else "" for r in rows]
    inputs = [float(r["input_cost"]) for r in rows]
    outputs = [float(r["output_cost"]) for r in rows]
    many = len(rows) > 12  # dozens of models: horizontal bars, one per line
    fig = Figure(
        figsize=(9.0, max(4.8, 0.32 * len(rows) + 1.5)) if many else (max(6.0, 1.1 * len(rows) + 2), 4.8),
        layout="constrained",
    )
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    x = range(len(rows))
    if many:
        ax.barh(x, inputs, label="input", color="#4C72B0", hatch=hatches)
        ax.barh(x, outputs, left=inputs, label="output", color="#DD8452", hatch=hatches)
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
    else:
        ax.bar(x, inputs, label="input", color="#4C72B0", hatch=hatches)
        ax.bar(x, outputs, bottom=inputs, label="output", color="#DD8452", hatch=hatches)
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
    requests = rows[0].get("requests") if rows else None
    ax.set_title(
        title
        or (f"Monthly cost of {int(requests):,} requests" if isinstance(requests, numbers.Integral) else "Monthly cost")
    )
    ax.legend()
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
    if signature:
        # supxlabel takes part in the constrained layout, so the signature never overlaps the axes.
        lines, line = [], ""
        for part in signature.split("|"):
            if line and len(line) + len(part) > 110:
                lines.append(line + "|")
                line = ""
            line = f"{line}|{part}" if line else part
        fig.supxlabel("\n".join([*lines, line]), fontsize=6, color="0.4")
    return fig
