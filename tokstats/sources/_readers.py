"""Users' corpora as documents: plain text, JSONL (records or chat requests), CSV/TSV, Parquet
and gettext catalogs.

Every reader returns ``Document`` objects carrying the exact text (no newline
translation, no Unicode normalisation, a BOM kept as U+FEFF), where it came from, its language
when known and a *unit* id: documents with the same unit are translations of each other (used
for the premium), and units are what confidence intervals resample.

Errors are ``InputError`` with one line naming the file, the line or row,
and the problem; a column that is missing is named together with the columns found. Nothing
is dropped silently: a CSV row with more or fewer fields than the header, a header naming a
column twice, or a gettext construct ``msgfmt`` rejects is an error (see docs/file-formats.md).
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tokstats.errors import InputError, UnknownNameError
from tokstats.sources._catalogs import read_mo, read_po
from tokstats.sources._textio import (
    STDIN,
    describe_os_error,
    jsonl_objects,
    open_input,
    read_bytes,
    read_text_exact,
    sha256_stream,
)

INPUT_FORMATS = ("auto", "text", "jsonl", "csv", "tsv", "parquet", "po", "mo")
_SUFFIXES = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".po": "po",
    ".pot": "po",
    ".mo": "mo",
}
#: gettext msgids are English by the GNU convention (see ``tokstats.sources._catalogs``).
MSGID_LANGUAGE = "en"


@dataclass(frozen=True)
class Document:
    """One text to count, where it came from, its language (if known) and its unit id."""

    text: str
    source: str
    language: str | None = None
    unit: str | None = None
    #: aligned reference text only (a catalog's English msgid): the premium's denominator and
    #: part of its language's row, but not of its file's row when rows are per source
    reference_only: bool = False


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
    docs: list[Document] = []
    for where, rec in records:
        if fmt == "jsonl" and columns.text not in rec and "messages" in rec:  # a chat request
            base = _document(path, where, {**rec, columns.text: ""}, columns)
            docs += [Document(t, path, base.language, base.unit) for t in _chat_texts(path, where, rec)]
        else:
            docs.append(_document(path, where, rec, columns))
    return docs


def _names(names: Iterable[str]) -> str:
    """Column names for a one-line message: as they are, or quoted when one holds a line break."""
    shown = [n if n.isprintable() else repr(n) for n in names]
    return ", ".join(shown) or "none"


def _need(path: str, where: str, record: dict[str, Any], column: str) -> str:
    if column not in record:
        found = _names(map(str, record))
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


def _chat_texts(path: str, where: str, record: dict[str, Any]) -> list[str]:
    """The texts of a chat request (the JSONL ``tokstats cost`` reads): every message's content
    (a string or a list of text parts) and the completion, if any. Roles and names are framing,
    not text, and are left out."""
    messages = record["messages"]
    if not isinstance(messages, list):
        raise InputError(f'{path}: {where}: "messages" must be a list of message objects')
    texts: list[str] = []
    for i, message in enumerate(messages):
        if not isinstance(message, dict):
            raise InputError(f"{path}: {where}: message {i} must be an object, not {type(message).__name__}")
        content = message.get("content")
        parts = content if isinstance(content, list) else [content]
        for j, part in enumerate(parts):
            text = part.get("text") if isinstance(part, dict) and part.get("type") == "text" else part
            if isinstance(text, str):
                texts.append(text)
            elif part is not None:
                kind = part.get("type") if isinstance(part, dict) else type(part).__name__
                raise InputError(
                    f"{path}: {where}: message {i} content part {j}: only text can be counted, "
                    f'not {kind!r} (a text part is {{"type": "text", "text": "..."}})'
                )
    completion = record.get("completion")
    if completion is not None and not isinstance(completion, str):
        raise InputError(f'{path}: {where}: "completion" must be a string, not {type(completion).__name__}')
    return texts + ([completion] if completion is not None else [])


def _csv_records(path: str, delimiter: str, columns: Columns) -> list[tuple[str, dict[str, Any]]]:
    """Rows as records keyed by the header; ``where`` is the line the row starts on.

    A BOM before the header is not part of the first column's name. Rows with more or fewer
    fields than the header (an unquoted delimiter, a lost quote) are errors, not truncated rows.
    """
    text = read_text_exact(path)
    if not text:
        return []
    kind = "TSV" if delimiter == "\t" else "CSV"
    previous = csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # a long text is one field
    try:
        return _csv_rows(path, text, delimiter, columns, kind)
    finally:
        csv.field_size_limit(previous)  # csv's limit is process-wide: leave it as found


def _csv_rows(path: str, text: str, delimiter: str, columns: Columns, kind: str) -> list[tuple[str, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[str, dict[str, Any]]] = []
    header: list[str] | None = None
    start = 1
    try:
        for row in reader:
            where, start = f"line {start}", reader.line_num + 1
            if not row:
                continue  # a blank line
            if header is None:
                header = _csv_header(path, where, row, columns)
            elif len(row) != len(header):
                hint = " (a delimiter inside an unquoted field? quote the field)" if len(row) > len(header) else ""
                raise InputError(f"{path}: {where}: {len(row)} fields, but the {kind} header has {len(header)}{hint}")
            else:
                records.append((where, dict(zip(header, row))))
    except csv.Error as e:
        raise InputError(f"{path}: line {start}: malformed {kind} row starting here: {e}") from None
    return records


def _csv_header(path: str, where: str, header: list[str], columns: Columns) -> list[str]:
    first: dict[str, int] = {}
    for i, name in enumerate(header, 1):
        if name in first:
            raise InputError(f"{path}: {where}: the header names column {name!r} twice (columns {first[name]} and {i})")
        first[name] = i
    for c in (columns.text, columns.language, columns.id):
        if c and c not in header:
            raise InputError(f"{path}: no column {c!r}; columns found: {_names(header)}")
    return header


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
            raise InputError(f"{path}: no column {c!r}; columns found: {_names(found)}")
    try:
        table = pf.read(columns=list(dict.fromkeys(wanted)))
        rows = table.to_pylist()
    except Exception as e:  # a corrupt page surfaces only when it is decoded
        raise InputError(
            f"{path}: corrupt Parquet data: {' '.join(str(e).split())[:200] or type(e).__name__}"
        ) from None
    return [(f"row {i + 1}", rec) for i, rec in enumerate(rows)]


def _catalog_documents(path: str, fmt: str) -> list[Document]:
    """A catalog's translations, each with its English msgid as reference-only aligned text."""
    catalog = read_po(path) if fmt == "po" else read_mo(path)
    language = catalog.language or "und"
    docs: list[Document] = []
    for i, m in enumerate(catalog.messages):
        unit = f"{path}#{i}"
        docs.append(Document(m.msgid, path, MSGID_LANGUAGE, unit, reference_only=True))
        docs.append(Document(m.msgstr, path, language, unit))
    return docs


def file_sha256(path: str) -> str:
    """sha256 of a file's bytes (for the signature)."""
    import hashlib

    if os.fspath(path) == STDIN:
        return hashlib.sha256(read_bytes(STDIN)).hexdigest()
    with open_input(path) as f:
        try:
            return sha256_stream(f)
        except OSError as e:
            raise InputError(describe_os_error(path, e)) from None


__all__ = ["Columns", "Document", "INPUT_FORMATS", "detect_format", "file_sha256", "read_documents"]
