"""Users' corpora as documents: plain text, JSONL, CSV/TSV, Parquet and gettext catalogs.

Every reader returns :class:`Document` objects carrying the exact text (no newline
translation, no Unicode normalisation, a BOM kept as U+FEFF), where it came from, its language
when known and a *unit* id: documents with the same unit are translations of each other (used
for the premium), and units are what confidence intervals resample.

Errors are :class:`~tokstats.errors.InputError` with one line naming the file, the line or row,
and the problem; a column that is missing is named together with the columns found.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tokstats.catalogs import read_mo, read_po
from tokstats.errors import InputError, UnknownNameError
from tokstats.textio import jsonl_objects, read_bytes, read_text_exact

INPUT_FORMATS = ("auto", "text", "jsonl", "csv", "tsv", "parquet", "po", "mo")
_SUFFIXES = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv",
    ".parquet": "parquet", ".pq": "parquet", ".po": "po", ".pot": "po", ".mo": "mo",
}
#: gettext msgids are English by the GNU convention (see :mod:`tokstats.catalogs`).
MSGID_LANGUAGE = "en"


@dataclass(frozen=True)
class Document:
    """One text to count, where it came from, its language (if known) and its unit id."""

    text: str
    source: str
    language: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Columns:
    """Which fields of a record hold the text, the language and the alignment id."""

    text: str = "text"
    language: str | None = None
    id: str | None = None


def detect_format(path: str) -> str:
    """The input format implied by a file name's suffix; ``text`` for anything else."""
    return _SUFFIXES.get(Path(path).suffix.lower(), "text")


def read_documents(path: str, columns: Columns = Columns(), input_format: str = "auto") -> list[Document]:
    """The documents in one input file (see module docstring); ``path`` is kept as given."""
    if input_format not in INPUT_FORMATS:
        raise UnknownNameError("input format", input_format, INPUT_FORMATS)
    fmt = detect_format(path) if input_format == "auto" else input_format
    if fmt == "text":
        return [Document(read_text_exact(path), path, None, path)]
    if fmt in ("po", "mo"):
        return _catalog_documents(path, fmt)
    if fmt == "jsonl":
        records = _jsonl_records(path)
    elif fmt in ("csv", "tsv"):
        records = _csv_records(path, "\t" if fmt == "tsv" else ",", columns)
    else:
        records = _parquet_records(path, columns)
    return [_document(path, where, rec, columns) for where, rec in records]


def _need(path: str, where: str, record: dict[str, Any], column: str) -> str:
    if column not in record:
        found = ", ".join(map(str, record)) or "none"
        raise InputError(f"{path}: {where}: no column {column!r}; columns found: {found}")
    value = record[column]
    if not isinstance(value, str):
        kind = "null" if value is None else type(value).__name__
        raise InputError(f"{path}: {where}: column {column!r} is {kind}, not a string")
    return value


def _document(path: str, where: str, record: dict[str, Any], columns: Columns) -> Document:
    text = _need(path, where, record, columns.text)
    language = _need(path, where, record, columns.language) if columns.language else None
    unit = f"id:{_need(path, where, record, columns.id)}" if columns.id else f"{path}#{where}"
    return Document(text, path, language, unit)


def _jsonl_records(path: str) -> list[tuple[str, dict[str, Any]]]:
    return [(f"line {lineno}", rec) for lineno, rec in jsonl_objects(path)]


def _csv_records(path: str, delimiter: str, columns: Columns) -> list[tuple[str, dict[str, Any]]]:
    text = read_text_exact(path)
    if not text:
        return []
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        found = reader.fieldnames or []
    except csv.Error as e:
        raise InputError(f"{path}: line 1: malformed CSV header: {e}") from None
    for c in (columns.text, columns.language, columns.id):
        if c and c not in found:
            raise InputError(f"{path}: no column {c!r}; columns found: {', '.join(found) or 'none'}")
    records = []
    try:
        for row in reader:
            rec = {k: v for k, v in row.items() if k is not None}
            records.append((f"line {reader.line_num}", rec))
    except csv.Error as e:
        raise InputError(f"{path}: line {reader.line_num}: malformed CSV: {e}") from None
    return records


def _parquet_records(path: str, columns: Columns) -> list[tuple[str, dict[str, Any]]]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(
            f"{path}: reading Parquet needs pyarrow, which is not installed: pip install 'tokstats[parquet]'"
        ) from None
    read_bytes(path)  # a missing or unreadable file is named the same way for every format
    try:
        pf = pq.ParquetFile(path)
    except Exception as e:  # pyarrow raises ArrowInvalid / OSError subclasses for bad files
        raise InputError(f"{path}: not a readable Parquet file: {str(e).splitlines()[0]}") from None
    found = pf.schema_arrow.names
    wanted = [c for c in (columns.text, columns.language, columns.id) if c]
    for c in wanted:
        if c not in found:
            raise InputError(f"{path}: no column {c!r}; columns found: {', '.join(found) or 'none'}")
    table = pf.read(columns=list(dict.fromkeys(wanted)))
    return [(f"row {i + 1}", rec) for i, rec in enumerate(table.to_pylist())]


def _catalog_documents(path: str, fmt: str) -> list[Document]:
    catalog = read_po(path) if fmt == "po" else read_mo(path)
    language = catalog.language or "und"
    docs: list[Document] = []
    for i, m in enumerate(catalog.messages):
        unit = f"{path}#{i}"
        docs.append(Document(m.msgid, path, MSGID_LANGUAGE, unit))
        docs.append(Document(m.msgstr, path, language, unit))
    return docs


def file_sha256(path: str) -> str:
    """sha256 of a file's bytes (for the signature)."""
    import hashlib

    from tokstats.textio import STDIN, open_input

    if os.fspath(path) == STDIN:
        return hashlib.sha256(read_bytes(STDIN)).hexdigest()
    h = hashlib.sha256()
    with open_input(path) as f:
        try:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        except OSError as e:
            from tokstats.textio import describe_os_error

            raise InputError(describe_os_error(path, e)) from None
    return h.hexdigest()


__all__ = ["Columns", "Document", "INPUT_FORMATS", "detect_format", "file_sha256", "read_documents"]
