"""Charts (matplotlib, imported lazily): each function returns a Figure; the CLI saves it."""

from tokstats.plots.compare import (
    plot_premium,
    plot_ratio,
    plot_tokens,
    tokens_per_sentence,
)
from tokstats.plots.cost import plot_cost
from tokstats.plots.reproduce import plot_reproduction

__all__ = ["plot_cost", "plot_premium", "plot_ratio", "plot_reproduction", "plot_tokens", "tokens_per_sentence"]
