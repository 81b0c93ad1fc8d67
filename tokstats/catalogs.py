"""gettext message catalogs (``.po`` source and compiled ``.mo``) read as parallel text.

Every translated message is a pair: ``msgid`` (the source string, in English by the GNU gettext
convention: "msgid strings should be written in English") and ``msgstr`` (its translation into
the catalog's language, from the header's ``Language:`` field or the ``<lang>/LC_MESSAGES``
folder the file sits in). Skipped, as ``msgfmt`` skips them when compiling: the header entry
(empty msgid), untranslated messages (empty msgstr), fuzzy and obsolete (``#~``) entries. For
plural messages the singular pair (msgid, msgstr[0]) and the plural pair (msgid_plural,
msgstr[1]) are kept; further plural forms have no English counterpart and are left out.

The ``.mo`` reader follows the format in the GNU gettext manual, section "The Format of GNU MO
Files": magic 0x950412de (either byte order), then the number of strings and the offsets of the
original and translation tables, each a list of (length, offset) pairs.
"""

from __future__ import annotations

import ast
import os
import re
import struct
from dataclasses import dataclass
from pathlib import Path

from tokstats.errors import InputError
from tokstats.textio import decode_exact, read_bytes

MO_MAGIC = 0x950412DE


@dataclass(frozen=True)
class Message:
    """One translated message pair from a catalog."""

    msgid: str
    msgstr: str
    context: str | None = None


@dataclass(frozen=True)
class Catalog:
    """The translated messages of a catalog and the language they were translated into."""

    path: str
    language: str | None
    messages: list[Message]


def _header(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip().lower()] = value.strip()
    return fields


def _language(path: str, header: dict[str, str]) -> str | None:
    lang = header.get("language")
    if lang:
        return lang
    parts = Path(path).parts
    if len(parts) >= 3 and parts[-2] == "LC_MESSAGES":
        return parts[-3]
    return None


def _charset(header: dict[str, str]) -> str:
    m = re.search(r"charset=([\w.:-]+)", header.get("content-type", ""))
    return m.group(1) if m else "utf-8"


def _pairs(msgid: str, plural: str | None, forms: list[str]) -> list[tuple[str, str]]:
    pairs = [(msgid, forms[0])] if forms and forms[0] else []
    if plural is not None and len(forms) > 1 and forms[1]:
        pairs.append((plural, forms[1]))
    return pairs


# --- .mo ---------------------------------------------------------------------------------------


def read_mo(path: str | os.PathLike[str]) -> Catalog:
    """The translated messages of a compiled ``.mo`` catalog, decoded with the header's charset."""
    name = os.fspath(path)
    data = read_bytes(path)
    if len(data) < 20:
        raise InputError(f"{name}: not a gettext .mo file (only {len(data)} bytes)")
    for order in ("<", ">"):
        if struct.unpack(order + "I", data[:4])[0] == MO_MAGIC:
            break
    else:
        raise InputError(f"{name}: not a gettext .mo file (bad magic number {data[:4].hex()})")
    _revision, count, orig_at, trans_at = struct.unpack(order + "4I", data[4:20])

    def table(at: int) -> list[tuple[int, int]]:
        end = at + 8 * count
        if end > len(data):
            raise InputError(f"{name}: truncated .mo file (string table at byte {at} runs past the end)")
        return [struct.unpack(order + "2I", data[at + 8 * i : at + 8 * i + 8]) for i in range(count)]

    def raw(length: int, offset: int) -> bytes:
        if offset + length > len(data):
            raise InputError(f"{name}: truncated .mo file (string at byte {offset} runs past the end)")
        return data[offset : offset + length]

    entries = [(o, t) for o, t in zip(table(orig_at), table(trans_at))]
    header: dict[str, str] = {}
    for (olen, ooff), (tlen, toff) in entries:
        if olen == 0:
            header = _header(raw(tlen, toff).decode("utf-8", errors="replace"))
    charset = _charset(header)

    def text(length: int, offset: int) -> str:
        b = raw(length, offset)
        if charset.lower().replace("_", "-") in ("utf-8", "utf8"):
            return decode_exact(b, name, base_offset=offset)
        try:
            return b.decode(charset)
        except (LookupError, UnicodeDecodeError) as e:
            raise InputError(f"{name}: string at byte offset {offset} is not valid {charset}: {e}") from None

    messages: list[Message] = []
    for (olen, ooff), (tlen, toff) in entries:
        if olen == 0:
            continue
        original, translation = text(olen, ooff), text(tlen, toff)
        context = None
        if "\x04" in original:
            context, original = original.split("\x04", 1)
        msgid, _, plural = original.partition("\x00")
        forms = translation.split("\x00")
        for a, b in _pairs(msgid, plural if "\x00" in original else None, forms):
            messages.append(Message(a, b, context))
    return Catalog(name, _language(name, header), messages)


# --- .po ---------------------------------------------------------------------------------------

_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")
_CONTINUATION = re.compile(r'^(".*")\s*$')


def _unquote(literal: str, name: str, lineno: int) -> str:
    try:
        value = ast.literal_eval(literal)
    except (ValueError, SyntaxError):
        raise InputError(f"{name}:{lineno}: malformed string {literal[:60]}") from None
    if not isinstance(value, str):
        raise InputError(f"{name}:{lineno}: malformed string {literal[:60]}")
    return value


def read_po(path: str | os.PathLike[str]) -> Catalog:
    """The translated messages of a ``.po`` file (UTF-8; C escapes in strings are decoded)."""
    name = os.fspath(path)
    text = decode_exact(read_bytes(path), name)
    entries: list[dict[str, object]] = []
    current: dict[str, object] = {}
    last: str | None = None

    def flush() -> None:
        nonlocal current, last
        if "msgid" in current:
            entries.append(current)
        current, last = {}, None

    for lineno, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s:
            flush()
            continue
        if s.startswith("#"):
            if "msgid" in current and last is not None and last != "comment":
                flush()
            if s.startswith("#,") and "fuzzy" in s:
                current["fuzzy"] = True
            if s.startswith("#~"):
                current["obsolete"] = True
            last = "comment"
            continue
        m = _KEYWORD.match(s)
        if m:
            key, index, literal = m.group(1), m.group(2), m.group(3)
            if key in ("msgctxt", "msgid") and "msgid" in current:
                flush()  # a new entry without a blank line before it
            value = _unquote(literal, name, lineno)
            if key.startswith("msgstr"):
                forms = current.setdefault("msgstr", {})
                assert isinstance(forms, dict)
                forms[int(index or 0)] = value
                last = f"msgstr[{int(index or 0)}]"
            else:
                current[key] = value
                last = key
            continue
        c = _CONTINUATION.match(s)
        if c and last and last != "comment":
            value = _unquote(c.group(1), name, lineno)
            if last.startswith("msgstr["):
                forms = current["msgstr"]
                assert isinstance(forms, dict)
                i = int(last[7:-1])
                forms[i] += value
            else:
                current[last] = str(current[last]) + value
            continue
        raise InputError(f"{name}:{lineno}: not a gettext .po line: {s[:60]}")
    flush()

    header: dict[str, str] = {}
    messages: list[Message] = []
    for e in entries:
        forms_d = e.get("msgstr", {})
        assert isinstance(forms_d, dict)
        forms = [forms_d[i] for i in sorted(forms_d)]
        msgid = str(e["msgid"])
        if msgid == "" and "msgctxt" not in e:
            header = _header(forms[0] if forms else "")
            continue
        if e.get("fuzzy") or e.get("obsolete"):
            continue
        plural = e.get("msgid_plural")
        context = e.get("msgctxt")
        for a, b in _pairs(msgid, None if plural is None else str(plural), forms):
            messages.append(Message(a, b, None if context is None else str(context)))
    return Catalog(name, _language(name, header), messages)
