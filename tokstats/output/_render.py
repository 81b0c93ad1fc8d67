"""Rendering result rows as a table, Markdown, CSV or JSON, each carrying its signature.

Rows are plain dicts so that commands which do not need pandas never import it. Table and
Markdown print the signature as their last line; JSON is ``{"signature": {...}, "rows": [...]}``.
CSV holds only the header and the rows, so that a plain ``pandas.read_csv`` reads the numbers as
numbers: its signature and notes are ``# …`` lines handed to the *trailer* set with
``csv_trailer_to`` (the CLI sends them to stderr); with no trailer set they end the text, as
comment lines (``pandas.read_csv(comment="#")`` skips them). ``signature_shown(False)`` leaves
the signature out of every format (the CLI's ``--no-signature``).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from tokstats.errors import UnknownNameError
from tokstats.output._signature import Signature

FORMATS = ("table", "markdown", "csv", "json")

#: Where CSV's ``# signature`` and ``# note`` lines go: ``None`` appends them to the text.
_CSV_TRAILER: ContextVar[Callable[[str], None] | None] = ContextVar("csv_trailer", default=None)
#: Whether rendered output carries the signature at all.
_SIGNATURE_SHOWN: ContextVar[bool] = ContextVar("signature_shown", default=True)


@contextmanager
def csv_trailer_to(sink: Callable[[str], None] | None) -> Iterator[None]:
    """While the block runs, CSV's comment lines (signature, notes) go to ``sink`` rather than
    ending the CSV text, so the CSV itself is only a header and rows."""
    token = _CSV_TRAILER.set(sink)
    try:
        yield
    finally:
        _CSV_TRAILER.reset(token)


@contextmanager
def signature_shown(shown: bool) -> Iterator[None]:
    """While the block runs, rendered output carries the signature only if ``shown``."""
    token = _SIGNATURE_SHOWN.set(shown)
    try:
        yield
    finally:
        _SIGNATURE_SHOWN.reset(token)


#: Characters a name may not carry into output as they are: C0/C1 controls (a newline would start a
#: bogus row), line/paragraph separators, bidirectional overrides ("Trojan Source") and lone
#: surrogates (a non-UTF-8 file name decoded with ``surrogateescape``; unencodable as UTF-8).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: A backslash that would read as the start of an escape (``\n``, ``\x``, ``\u``, ``\\`` …).
_ESCAPE_LOOKALIKE = re.compile(r"\\(?=[\\nrtxu])")

#: CSV cells starting with one of these are read as formulas by spreadsheets (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _escape_char(m: re.Match[str]) -> str:
    c = m.group()
    if c in _NAMED:
        return _NAMED[c]
    code = ord(c)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the original byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _is_number_text(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def printable(text: str, *, lookalikes: bool = True) -> str:
    """``text`` safe to print on one line: when it holds a control character, a line separator, a
    bidi override or a lone surrogate, those are written as escapes (``\\n``, ``\\xff`` for an
    undecodable file-name byte, ``\\u202e``) and backslashes are doubled; otherwise only a
    backslash that would read as an escape (``\\n``, ``\\x``, ``\\u``, ``\\r``, ``\\t``, ``\\\\``) is
    doubled (unless ``lookalikes`` is false), so the name ``x\\nfile.txt`` does not print as the
    name holding a newline does. The printed form is unambiguous and always valid UTF-8."""
    if not _UNSAFE.search(text):
        return _ESCAPE_LOOKALIKE.sub(r"\\\\", text) if lookalikes and "\\" in text else text
    return _UNSAFE.sub(_escape_char, text.replace("\\", "\\\\"))


def csv_safe(value: Any) -> Any:
    """A CSV cell that a spreadsheet will not run as a formula: a text starting with ``= + - @``
    (or a tab or carriage return) gets a leading ``'``, as OWASP recommends. Numbers are left as
    they are, as is text that is a plain number or the standard-input name ``-``."""
    if isinstance(value, str):
        value = printable(value)
        if value.startswith(FORMULA_START) and value != "-" and not _is_number_text(value):
            return "'" + value
    return value


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _cell(value: Any, *, digits: int = 3) -> str:
    if _missing(value):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def json_value(value: Any) -> Any:
    """``value`` as strict JSON can hold it: NaN and ±infinity become null (JSON has neither),
    numpy scalars plain numbers, names with lone surrogates escaped; lists and dicts recursively."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return printable(value) if _SURROGATE.search(value) else value
    if isinstance(value, dict):
        return {json_value(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps(obj: Any) -> str:
    """Strict JSON text of ``obj`` (see ``json_value``): never ``NaN`` or ``Infinity``."""
    return json.dumps(json_value(obj), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def is_signature_shown() -> bool:
    """Whether output written now carries the signature (see ``signature_shown``)."""
    return _SIGNATURE_SHOWN.get()


def signature_fields(signature: Signature) -> dict[str, Any]:
    """``{"signature": {...}}`` for a JSON object, or ``{}`` under ``signature_shown(False)``."""
    return {"signature": signature.as_dict()} if _SIGNATURE_SHOWN.get() else {}


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

    Text in cells, notes and the signature goes through ``printable`` (a newline in a file
    name cannot start a bogus row); CSV cells through ``csv_safe`` (no spreadsheet formulas);
    JSON through ``dumps`` (strict: no NaN or Infinity).

    ``notes`` are printed under text tables (before the signature) and as ``#`` comment lines in
    CSV (callers pass only what CSV readers need, such as skipped files); ``extra`` adds top-level
    keys to the JSON object (e.g. a total); ``digits`` sets decimals per float column in table
    and Markdown (default 3). CSV and JSON keep full precision.
    """
    if fmt not in FORMATS:
        raise UnknownNameError("format", fmt, FORMATS)
    shown = _SIGNATURE_SHOWN.get()
    if fmt == "json":
        obj: dict[str, Any] = signature_fields(signature)
        obj["rows"] = [{c: r.get(c) for c in columns} for r in rows]
        obj.update(extra or {})
        return dumps(obj)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([csv_safe(c) for c in columns])
        for r in rows:
            writer.writerow(["" if _missing(r.get(c)) else csv_safe(r.get(c)) for c in columns])
        trailer = [f"# {printable(note)}\n" for note in notes]  # e.g. the files --skip-invalid left out
        if shown:
            trailer.append(f"# signature: {printable(signature.short())}\n")
        sink = _CSV_TRAILER.get()
        if sink is None:
            return buf.getvalue() + "".join(trailer)
        for line in trailer:
            sink(line)
        return buf.getvalue()
    places = digits or {}
    cells = [[printable(_cell(r.get(c), digits=places.get(c, 3))) for c in columns] for r in rows]
    notes = [printable(n) for n in notes]
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
        if shown:
            lines.append(f"Signature: `{printable(signature.short())}`")
        elif lines[-1] == "":
            lines.pop()
    else:
        widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
        numeric = [all(_is_number(r.get(c)) for r in rows if r.get(c) is not None) for c in columns]

        def fmt_row(values: Sequence[str]) -> str:
            return "  ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)).rstrip()

        lines.append(fmt_row(columns))
        lines.append("  ".join("-" * w for w in widths))
        lines += [fmt_row(row) for row in cells]
        if notes:
            import textwrap

            lines.append("")
            for note in notes:  # a table's notes fit 100 columns too; the signature stays one line
                indent = note[: len(note) - len(note.lstrip())]
                lines += textwrap.wrap(
                    note, width=100, subsequent_indent=indent + "  ", break_long_words=False, break_on_hyphens=False
                ) or [""]
        if shown:
            lines.append("")
            lines.append(f"signature: {printable(signature.short())}")
    return "\n".join(lines) + "\n"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
