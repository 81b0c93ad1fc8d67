"""Shared figure helpers: a bare Agg figure, the signature footer, encoding colours, saving.

Figures are ``matplotlib.figure.Figure`` objects on the Agg canvas, never pyplot's global
state, so they can be drawn in a server, a test or a notebook without a display. Every label is
Latin text (language *names*, not the scripts themselves): matplotlib's bundled DejaVu Sans has
no glyphs for Gujarati, Telugu, Tamil, Devanagari, Chinese, Japanese or Korean and would draw
empty boxes ("tofu") for them.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Literal

from tokstats.errors import InputError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: File formats ``save`` writes, by file suffix.
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}

#: One colour per encoding, in the order given (colour-blind safe: Okabe & Ito 2008).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")

#: Dots per inch of saved PNGs (readable when zoomed, small enough to commit or attach).
DPI = 150

#: The one look of every tokstats chart, from the command line or a notebook: font sizes (pt)
#: of the title, axis labels, tick labels, legend and the signature line underneath.
TITLE_SIZE = 12
LABEL_SIZE = 10
TICK_SIZE = 9
LEGEND_SIZE = 9
SIGNATURE_SIZE = 7.5

#: Most characters per line of the signature under a chart (it wraps at ``|``, sooner on a narrow chart).
SIGNATURE_WIDTH = 120

#: How rows are ordered in the bar charts: by value (largest on top), by name, or as the corpus lists them.
SORTS = ("value", "name", "corpus")

#: Share of a row's tokens that are the unknown token from which its label is marked ``[UNK n%]``.
UNK_MARK = 0.05

#: What one aligned unit of each built-in corpus is, and how the corpus is named on a chart.
CORPUS_UNITS = {"udhr": "UDHR section", "parallel": "sentence", "gpt4o-launch": "sentence"}
CORPUS_NAMES = {
    "udhr": "the UDHR (human translations)",
    "parallel": "the parallel corpus (machine-translated)",
    "gpt4o-launch": "the GPT-4o launch sentences",
}


def new_figure(width: float, height: float) -> tuple[Figure, Axes]:
    """A figure of ``width`` x ``height`` inches with one axes, on the Agg canvas."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    style_axes(ax)
    return fig, ax


def style_axes(ax: Axes, grid: Literal["x", "y", "both"] = "x") -> None:
    """The shared look of an axes: a light grid along ``grid``, no top or right spine, tick sizes."""
    ax.grid(axis=grid, color="0.9", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=TICK_SIZE)
    ax.xaxis.label.set_fontsize(LABEL_SIZE)
    ax.yaxis.label.set_fontsize(LABEL_SIZE)


def money_axis(ax: Axes, axis: str = "y") -> None:
    """Label the ticks of a money axis in US dollars: ``$1,200``, ``$0.50``."""
    from matplotlib.ticker import FuncFormatter

    def dollars(value: float, _pos: int) -> str:
        if value == 0:
            return "$0"
        sign = "−" if value < 0 else ""
        v = abs(value)
        return f"{sign}${v:,.0f}" if v >= 100 else f"{sign}${v:,.2f}" if v >= 0.01 else f"{sign}${v:.2g}"

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(FuncFormatter(dollars))


def row_height(n: int) -> tuple[float, float]:
    """Inches per row and tick-label size for ``n`` rows of bars: roomy up to 40 rows, then
    denser, so that 20 languages and 500 both stay readable (and a PNG stays under 65,536 px)."""
    if n <= 40:
        return 0.34, TICK_SIZE
    if n <= 120:
        return 0.22, 7.5
    return 0.15, 6.5


def corpus_phrase(signature: Any) -> str:
    """What a chart was measured on, from its signature: a built-in corpus by name, else 'your files'."""
    name = getattr(signature, "corpus", None)
    if not name:
        return "your files"
    return CORPUS_NAMES.get(str(name), f"the {name} corpus")


def corpus_unit(signature: Any) -> str:
    """What one aligned unit of the signature's corpus is (``UDHR section``, ``sentence``)."""
    return CORPUS_UNITS.get(str(getattr(signature, "corpus", "") or ""), "aligned unit")


def order_rows(values: list[float], labels: list[str], sort: str) -> list[int]:
    """Row indices in the order ``sort`` asks: ``value`` (largest first, missing last),
    ``name`` (alphabetical) or ``corpus`` (as given). Raises ``InputError`` for another."""
    import math

    if sort not in SORTS:
        raise InputError(f"sort: {sort!r} is not one of {', '.join(SORTS)}")
    idx = list(range(len(labels)))
    if sort == "name":
        return sorted(idx, key=lambda i: labels[i].casefold())
    if sort == "value":
        return sorted(idx, key=lambda i: math.inf if values[i] != values[i] else -values[i])
    return idx


def add_signature(fig: Figure, signature: Any) -> None:
    """Print the signature (a ``tokstats.output._signature.Signature`` or its text) small under the
    figure, wrapped at ``|``, so a chart carries what it was measured with."""
    if signature is None:
        return
    text = signature.short() if hasattr(signature, "short") else str(signature)
    # as many monospace characters as the figure is wide (a character is 0.6 em), at most SIGNATURE_WIDTH
    width = min(SIGNATURE_WIDTH, int(fig.get_figwidth() * 72 / (0.6 * SIGNATURE_SIZE)) - 4)
    lines: list[str] = []
    line = ""
    for part in text.split("|"):
        if line and len(line) + len(part) > width:
            lines.append(line + "|")
            line = ""
        line = f"{line}|{part}" if line else part
    lines.append(line)
    # supxlabel takes part in the constrained layout, so it never overlaps the axes.
    fig.supxlabel("\n".join(lines), fontsize=SIGNATURE_SIZE, color="0.35", family="DejaVu Sans Mono")


def language_labels(names: list[Any], codes: list[Any]) -> list[str]:
    """Axis labels ``"Gujarati (gu)"``; the code alone when a name is missing."""
    out = []
    for name, code in zip(names, codes):
        name = None if name is None or name != name else str(name)  # NaN != NaN
        out.append(f"{name} ({code})" if name and code and name != code else str(name or code))
    return out


def check_output(path: str | os.PathLike[str], option: str = "--output") -> str:
    """The image format for ``path`` (by suffix), its folder created if missing — checked before
    anything is measured, so a typo costs nothing. Raises ``InputError`` naming ``option``
    for another suffix, or a target that exists but is not a regular file (``/dev/full``, a folder)."""
    name = os.fspath(path)
    suffix = os.path.splitext(name)[1].lower()
    fmt = FORMATS.get(suffix)
    if fmt is None:
        raise InputError(f"{option} {name}: unknown image type {suffix or '(no suffix)'!r}; use .png, .svg or .pdf")
    if os.path.lexists(name) and not os.path.isfile(name):
        raise InputError(f"{option} {name}: exists and is not a regular file; give a file name")
    folder = os.path.dirname(name)
    if folder:
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as e:
            raise InputError(f"{option} {name}: cannot create the folder {folder}: {e.strerror or e}") from None
    return fmt


def save(fig: Figure, path: str | os.PathLike[str], option: str = "--output") -> str:
    """Save ``fig`` as PNG (150 dpi), SVG or PDF, chosen by the suffix of ``path`` (its folder is
    created if missing); returns the format. ``tokstats plot`` and ``tokstats cost --plot`` both
    save through here, so the same chart comes out the same.

    The chart is written to a temporary file in the same folder and renamed into place, so a
    failed write (a full disk, an interrupt) never leaves a truncated chart or replaces a good
    one. Raises ``InputError`` (naming ``option``) for another suffix or a file that cannot
    be written.
    """
    import tempfile

    fmt = check_output(path, option)
    name = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(name))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(name)}.", suffix=".tmp")
    except OSError as e:
        raise InputError(f"{option} {name}: cannot write the chart: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            fig.savefig(f, format=fmt, dpi=DPI)
            f.flush()
            os.fsync(f.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # as a plain open() would have made it, not mkstemp's 0600
        os.replace(tmp, name)
    except OSError as e:
        _remove(tmp)
        raise InputError(f"{option} {name}: cannot write the chart: {e.strerror or e}") from None
    except BaseException:
        _remove(tmp)
        raise
    return fmt


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
