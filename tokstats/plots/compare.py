"""Encodings compared language by language on a parallel corpus, as charts with 95% intervals.

Three charts, each one horizontal bar per language and encoding, languages in the corpus's order:

* ``plot_tokens`` — mean tokens per sentence: ``sum(tokens) / sentences`` for each language,
  with a percentile bootstrap interval over sentences (``tokstats.comparison._bootstrap``, same seed and
  resamples as ``tokstats compare``). The same 60 sentences in every language, so bar lengths
  are directly comparable.
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
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tokstats._api import renamed
from tokstats.comparison._per_sentence import tokens_per_sentence
from tokstats.defaults import DEFAULT_TOKENIZERS
from tokstats.errors import InputError
from tokstats.plots._style import PALETTE, add_signature, language_labels, new_figure

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


def _grouped_bars(
    ax: Axes,
    labels: list[str],
    series: list[tuple[str, list[float], list[float], list[float]]],
) -> None:
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
            error_kw={"ecolor": "0.2", "elinewidth": 0.8, "capsize": 2},
        )
    ax.set_yticks(list(range(n)), labels)
    ax.set_ylim(n - 0.5, -0.5)  # first label on top
    ax.legend(loc="lower right", fontsize=8, frameon=True, framealpha=0.9)


def _encodings_of(df: pd.DataFrame, metric: str) -> list[str]:
    prefix = f"{metric}."
    return [c[len(prefix) :] for c in df.columns if c.startswith(prefix)]


def _height(n: int) -> float:
    return 1.4 + 0.34 * n


@renamed(encodings="tokenizers")
def plot_tokens(
    data: pd.DataFrame | None = None,
    *,
    corpus: str | Any = "udhr",
    tokenizers: Sequence[TokenizerLike] = DEFAULT_ENCODINGS,
    title: str | None = None,
) -> Figure:
    """Mean tokens per sentence, per language and encoding, with 95% bootstrap error bars.

    ``data`` is the DataFrame of ``tokens_per_sentence`` (default: measure ``corpus`` with
    ``tokenizers`` now).
    """
    if data is None:
        data = tokens_per_sentence(corpus, tokenizers)
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
    fig, ax = new_figure(8.0, _height(len(keys)))
    _grouped_bars(ax, labels, series)
    sentences = sorted({int(s) for s in data["sentences"]})
    per = f"{sentences[0]} sentences" if len(sentences) == 1 else "sentences"
    ax.set_xlabel(f"mean tokens per sentence (tokens; error bars: 95% bootstrap interval over {per})")
    ax.set_title(title or "The same sentences in each language: tokens per sentence", fontsize=11)
    add_signature(fig, data.attrs.get("signature"))
    return fig


def plot_premium(comparison: pd.DataFrame, *, reference: str | None = None, title: str | None = None) -> Figure:
    """Tokenization premium vs the reference language per language and encoding, with 95% error
    bars, from the DataFrame of ``tokstats.comparison._compare.compare``. A dotted line marks 1 (parity)."""
    encs = _encodings_of(comparison, "premium")
    rows = comparison.to_dict("records")
    labels = language_labels([r.get("language") for r in rows], [r.get("source") for r in rows])
    series = [
        (
            enc,
            [_num(r[f"premium.{enc}"]) for r in rows],
            [_num(r[f"premium_ci_low.{enc}"]) for r in rows],
            [_num(r[f"premium_ci_high.{enc}"]) for r in rows],
        )
        for enc in encs
    ]
    ref = reference or _setting(comparison, "reference") or "en"
    ref = next((str(r["language"]) for r in rows if r.get("source") == ref and r.get("language")), ref)
    fig, ax = new_figure(8.0, _height(len(rows)))
    _grouped_bars(ax, labels, series)
    ax.axvline(1.0, color="0.3", linewidth=0.9, linestyle=":")
    ax.set_xlabel(f"premium vs {ref} (tokens ÷ {ref} tokens, same sentences, ×; 95% bootstrap interval)")
    ax.set_title(title or f"Tokenization premium: how many times more tokens than {ref}", fontsize=11)
    add_signature(fig, comparison.attrs.get("signature"))
    return fig


def plot_ratio(comparison: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Compression ratio (first tokenizer ÷ each other one) per language with 95% error bars,
    from the DataFrame of ``tokstats.comparison._compare.compare``. A dotted line marks 1 (no change).

    Two tokenizers give one bar per language (the table's ``ratio``); more give one bar per
    language and tokenizer after the first (``ratio_to_first.<name>``).
    """
    encs = _encodings_of(comparison, "tokens")
    if len(encs) < 2:
        raise InputError("the compression ratio needs two encodings (old,new), e.g. cl100k_base,o200k_base")
    rows = comparison.to_dict("records")
    labels = language_labels([r.get("language") for r in rows], [r.get("source") for r in rows])
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
    fig, ax = new_figure(8.0, _height(len(rows) * max(1, len(series) // 2)))
    _grouped_bars(ax, labels, series)
    ax.axvline(1.0, color="0.3", linewidth=0.9, linestyle=":")
    ax.set_xlabel(f"compression ratio ({what}, ×; 95% bootstrap interval)")
    ax.set_title(title or gain, fontsize=11)
    add_signature(fig, comparison.attrs.get("signature"))
    return fig


def _setting(df: pd.DataFrame, key: str) -> str | None:
    sig = df.attrs.get("signature")
    settings = getattr(sig, "settings", None)
    return settings.get(key) if isinstance(settings, dict) else None
