"""Who pays most, as a chart that stays readable with 500 languages.

``plot_rank`` takes the ``by="premium"`` DataFrame of ``tokstats.rank`` (one tokenizer, languages
by premium, highest first) and draws three panels: the ``top`` languages that pay most and the
``top`` that pay least, each a horizontal bar with its 95% interval, and every language as one
point of a sorted curve (log scale), coloured by script for the scripts with most languages,
with the reference (1) and the parity threshold (1.2) marked. Names stay legible whatever the
number of languages, because only ``2 × top`` are written out.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from tokstats.errors import InputError
from tokstats.plots._style import PALETTE, add_signature, new_figure

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _bars(ax: Axes, rows: Any, color: str, title: str) -> None:
    labels = [f"{r.language} ({r.code})" for r in rows.itertuples()]
    values = [float(v) for v in rows["premium"]]
    lows = [0.0 if _nan(lo) else max(v - float(lo), 0.0) for v, lo in zip(values, rows["premium_ci_low"])]
    highs = [0.0 if _nan(hi) else max(float(hi) - v, 0.0) for v, hi in zip(values, rows["premium_ci_high"])]
    ys = list(range(len(values)))
    ax.barh(ys, values, 0.7, color=color, xerr=[lows, highs], error_kw={"ecolor": "0.2", "elinewidth": 0.7})
    ax.set_yticks(ys, labels, fontsize=7)
    ax.invert_yaxis()
    ax.axvline(1.0, color="0.4", linewidth=0.8, linestyle=":")
    ax.set_title(title, fontsize=9)
    ax.set_xlabel("premium (tokens / English tokens)", fontsize=8)


def _nan(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def plot_rank(df: pd.DataFrame, top: int = 20, scripts: int = 6) -> Figure:
    """Top and bottom ``top`` languages by premium, and every language on one sorted curve.

    ``df`` is ``tokstats.rank(..., by="premium")``. Raises ``InputError`` for a DataFrame that is
    not such a ranking or holds more than one tokenizer.
    """
    needed = {"language", "code", "tokenizer", "premium", "premium_ci_low", "premium_ci_high", "script"}
    if not needed <= set(df.columns):
        raise InputError("plot_rank needs the DataFrame of tokstats.rank(by='premium')")
    if df["tokenizer"].nunique() != 1:
        raise InputError("plot_rank draws one tokenizer: pass tokstats.rank(by='premium', tokenizer=...)")
    data = df[df["premium"].notna()].sort_values("premium", ascending=False)
    if data.empty:
        raise InputError("plot_rank: no language has a premium")
    n = min(top, len(data))
    fig, _ = new_figure(15, max(4.5, 0.18 * n + 1.8))
    fig.clear()
    grid = fig.add_gridspec(1, 3, width_ratios=[1, 1, 1.7])
    most, least, curve = (fig.add_subplot(grid[0, i]) for i in range(3))
    tokenizer = str(data["tokenizer"].iloc[0])
    _bars(most, data.head(n), PALETTE[5], f"pays most ({tokenizer})")
    _bars(least, data.tail(n).iloc[::-1], PALETTE[2], "pays least")
    common = data["script"].value_counts().index[:scripts].tolist()
    xs = list(range(1, len(data) + 1))
    for k, script in enumerate([*common, None]):
        mask = ~data["script"].isin(common) if script is None else data["script"] == script
        px = [x for x, keep in zip(xs, mask) if keep]
        py = [float(v) for v, keep in zip(data["premium"], mask) if keep]
        if px:
            color = "0.6" if script is None else PALETTE[k % len(PALETTE)]
            curve.scatter(px, py, s=6, color=color, label=script or "other scripts")
    curve.set_yscale("log")
    curve.axhline(1.0, color="0.4", linewidth=0.8, linestyle=":")
    curve.axhline(1.2, color="0.4", linewidth=0.8, linestyle="--", label="1.2× (parity)")
    curve.set_xlabel("languages, highest premium first", fontsize=8)
    curve.set_ylabel("premium (log)", fontsize=8)
    curve.set_title(f"all {len(data)} languages", fontsize=9)
    curve.legend(fontsize=7, markerscale=2, loc="upper right")
    add_signature(fig, df.attrs.get("signature"))
    return fig
