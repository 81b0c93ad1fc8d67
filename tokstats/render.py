"""Rendering result rows as a table, Markdown, CSV or JSON, each carrying its signature.

Rows are plain dicts so that commands which do not need pandas never import it. Text formats
(table, markdown, csv) print the signature as their last line (``# signature: …`` in CSV, so
``csv``/``pandas.read_csv(comment="#")`` readers skip it); JSON is ``{"signature": {...}, "rows": [...]}``.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from typing import Any

from tokstats.errors import UnknownNameError
from tokstats.signature import Signature

FORMATS = ("table", "markdown", "csv", "json")


def _cell(value: Any, *, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def render(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: str,
    signature: Signature,
    *,
    notes: Sequence[str] = (),
    extra: dict[str, Any] | None = None,
    digits: dict[str, int] | None = None,
) -> str:
    """Render ``rows`` (only ``columns``, in that order) in ``fmt``, ending with ``signature``.

    ``notes`` are printed under text tables (before the signature); ``extra`` adds top-level
    keys to the JSON object (e.g. a total); ``digits`` sets decimals per float column in table
    and Markdown (default 3). CSV and JSON keep full precision.
    """
    if fmt not in FORMATS:
        raise UnknownNameError("format", fmt, FORMATS)
    if fmt == "json":
        obj: dict[str, Any] = {"signature": signature.as_dict()}
        obj["rows"] = [{c: _json_value(r.get(c)) for c in columns} for r in rows]
        obj.update(extra or {})
        return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow(["" if r.get(c) is None else r.get(c) for c in columns])
        buf.write(f"# signature: {signature.short()}\n")
        return buf.getvalue()
    places = digits or {}
    cells = [[_cell(r.get(c), digits=places.get(c, 3)) for c in columns] for r in rows]
    lines: list[str] = []
    if fmt == "markdown":
        esc = [[v.replace("|", "\\|") for v in row] for row in cells]
        lines.append("| " + " | ".join(columns) + " |")
        lines.append("|" + "|".join("---" for _ in columns) + "|")
        lines += ["| " + " | ".join(row) + " |" for row in esc]
        lines.append("")
        lines += [f"{n}  " for n in notes]
        if notes:
            lines.append("")
        lines.append(f"Signature: `{signature.short()}`")
    else:
        widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
        numeric = [all(_is_number(r.get(c)) for r in rows if r.get(c) is not None) for c in columns]

        def fmt_row(values: Sequence[str]) -> str:
            return "  ".join(
                v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)
            ).rstrip()

        lines.append(fmt_row(columns))
        lines.append("  ".join("-" * w for w in widths))
        lines += [fmt_row(row) for row in cells]
        if notes:
            lines.append("")
            lines += list(notes)
        lines.append("")
        lines.append(f"signature: {signature.short()}")
    return "\n".join(lines) + "\n"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
