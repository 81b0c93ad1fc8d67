"""Fitting a text table into a 100-column terminal: fewer columns and shortened text, never wrapping.

A table printed by default must be readable in an ordinary terminal. ``fit_table`` keeps the
columns a command names as essential, drops the others in the order the command gives until the
table fits, and shortens long text cells (titles, paths, hashes) with ``…`` to the room left.
Nothing is lost: ``--wide`` prints every column in full, and ``--format csv``/``json`` always
carry everything. The width is fixed (not the terminal's) so that output is the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tokstats.output._render import render
from tokstats.output._signature import Signature

#: Default table width, in characters.
WIDTH = 100
#: A shortened text column keeps at least this many characters (or its header's length).
MIN_TEXT = 12


@dataclass(frozen=True)
class Fitted:
    """Rows with shortened cells, the columns kept, and the columns left out (in their order)."""

    rows: list[dict[str, Any]]
    columns: list[str]
    hidden: list[str]

    def note(self) -> str:
        """One line saying how to see what was left out or shortened ("" when nothing was)."""
        if not self.hidden:
            return ""
        n = len(self.hidden)
        return f"{n} more column{'s' if n != 1 else ''} ({', '.join(self.hidden[:4])}{' …' if n > 4 else ''}): --wide, or --format csv/json"


def _shorten(text: str, limit: int, keep_end: bool) -> str:
    if len(text) <= limit:
        return text
    return "…" + text[-(limit - 1) :] if keep_end else text[: limit - 1] + "…"


def _measure(rows: Sequence[dict[str, Any]], columns: list[str], render_row: Any) -> int:
    return max(len(line) for line in render_row(rows, columns))


def fit_table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    *,
    drop: Sequence[str] = (),
    shorten: Sequence[str] = (),
    keep_end: Sequence[str] = (),
    width: int = WIDTH,
    digits: dict[str, int] | None = None,
) -> Fitted:
    """Fit ``rows`` (``columns``) into ``width`` characters as ``tokstats.output._render.render``
    draws a table.

    ``drop``: columns that may be left out, first dropped first. ``shorten``: text columns that may
    be cut with ``…`` (at least ``MIN_TEXT`` characters; room left over goes to them in this
    order); those in ``keep_end`` keep their end (paths) instead of their start.
    """
    blank = Signature("", "", {})  # the signature line is not part of the table's width

    def lines(rs: Sequence[dict[str, Any]], cols: list[str]) -> list[str]:
        text = render(rs, cols, "table", blank, digits=digits)
        return text.split("\n\n", 1)[0].split("\n")

    def shortened(cols: list[str], limits: dict[str, int]) -> list[dict[str, Any]]:
        out = []
        for r in rows:
            d = dict(r)
            for c, limit in limits.items():
                if c in cols and isinstance(d.get(c), str):
                    d[c] = _shorten(d[c], limit, c in keep_end)
            out.append(d)
        return out

    cols = list(columns)
    droppable = [c for c in drop if c in cols]
    while True:
        limits = {c: max(MIN_TEXT, len(c)) for c in shorten if c in cols}
        if _measure(shortened(cols, limits), cols, lines) <= width or not droppable:
            break
        cols.remove(droppable.pop(0))
    slack = width - _measure(shortened(cols, limits), cols, lines)
    for c in limits:  # give the room left to the shortened columns, in order
        natural = max([len(c)] + [len(r[c]) for r in rows if isinstance(r.get(c), str)])
        grow = max(0, min(natural - limits[c], slack))
        limits[c] += grow
        slack -= grow
    hidden = [c for c in columns if c not in cols]
    return Fitted(shortened(cols, limits), cols, hidden)


__all__ = ["Fitted", "WIDTH", "fit_table"]
