"""gettext message catalogs (``.po`` source and compiled ``.mo``) read as parallel text.

Every translated message is a pair: ``msgid`` (the source string, in English by the GNU gettext
convention: "msgid strings should be written in English") and ``msgstr`` (its translation into
the catalog's language, from the header's ``Language:`` field or the ``<lang>/LC_MESSAGES``
folder the file sits in). Skipped, as ``msgfmt`` skips them when compiling: the header entry
(empty msgid), untranslated messages (empty msgstr), fuzzy and obsolete (``#~``) entries.

Plural messages are paired by meaning, through the catalog's ``Plural-Forms`` formula (GNU's
default ``n != 1`` when it is missing or unreadable, as libintl does): ``msgid`` (English for n = 1) goes with the form used for
n = 1; ``msgid_plural`` (English for every other n) goes with a form only when one form serves
every n from 2 to 200, as in German or French. Languages that split the English plural over
several forms (Russian, Polish, Arabic …) keep only the singular pair; their other forms, and the
English plural of one-form languages (Japanese, Chinese …), have no counterpart and are left
out. ``Catalog.unpaired_forms`` counts the strings left out this way.

``.po`` files are parsed by polib; tokstats first checks every string literal as ``msgfmt``
does (its escapes, ``\\n \\t \\b \\r \\f \\v \\a \\\\ \\"``, octal and hex, and nothing else) and
afterwards what polib accepts but msgfmt rejects (plural indexes out of order, ``msgstr[i]``
without ``msgid_plural``, a message defined twice). The ``.mo`` reader follows the GNU gettext
manual ("The Format of GNU MO Files") and, like ``msgunfmt``, also reads the system-dependent
strings of revision 1 files (``%<PRId64>``, ``%Id``), which Python's gettext, polib and Babel drop.
"""

from __future__ import annotations

import codecs
import gettext
import os
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tokstats.errors import InputError
from tokstats.sources._textio import decode_exact, read_bytes

MO_MAGIC = 0x950412DE
#: Charsets ``msgfmt`` treats as portable (gettext's po-charset.c); others are refused.
GETTEXT_CHARSETS = (
    "ASCII",
    "ANSI_X3.4-1968",
    "US-ASCII",
    *(f"ISO-8859-{i}" for i in (1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 14, 15)),
    "KOI8-R",
    "KOI8-U",
    "KOI8-T",
    "CP850",
    "CP866",
    "CP874",
    "CP932",
    "CP949",
    "CP950",
    *(f"CP{i}" for i in range(1250, 1259)),
    "GB2312",
    "EUC-JP",
    "EUC-KR",
    "EUC-TW",
    "BIG5",
    "BIG5-HKSCS",
    "GBK",
    "GB18030",
    "SHIFT_JIS",
    "JOHAB",
    "TIS-620",
    "VISCII",
    "GEORGIAN-PS",
    "UTF-8",
)
#: Counts of n at which plural forms are compared with English (n = 1: singular; 2..200: plural).
_PLURAL_COUNTS = range(2, 201)


@dataclass(frozen=True)
class Message:
    """One translated message pair from a catalog."""

    msgid: str
    msgstr: str
    context: str | None = None


@dataclass(frozen=True)
class Catalog:
    """The translated messages of a catalog and the language they were translated into.

    ``unpaired_forms`` counts plural strings (English or translated) left out because no string
    of the other language means the same (see the module docstring).
    """

    path: str
    language: str | None
    messages: list[Message]
    unpaired_forms: int = 0


@dataclass(frozen=True)
class _Entry:
    """A compiled message: context, English singular and plural, the translated forms."""

    context: str | None
    msgid: str
    plural: str | None
    forms: list[str]


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


def _norm_charset(name: str) -> str:
    return re.sub(r"[-_]", "", name.upper())


_PORTABLE = {_norm_charset(c) for c in GETTEXT_CHARSETS}


def _codec(name: str, charset: str) -> str:
    """The Python codec for a catalog's charset, or ``InputError`` for one msgfmt refuses."""
    if charset.upper() == "CHARSET":  # the placeholder of a template (.pot): nothing translated yet
        return "utf-8"
    if _norm_charset(charset) not in _PORTABLE:
        raise InputError(
            f"{name}: charset {charset!r} is not a gettext charset (msgfmt accepts e.g. UTF-8, ISO-8859-1, CP1251)"
        )
    try:
        return codecs.lookup(charset).name
    except LookupError:
        raise InputError(f"{name}: charset {charset!r} cannot be decoded here (no Python codec)") from None


def _charset_of(header: str) -> str:
    m = re.search(r"charset=([\w.:-]+)", header)
    return m.group(1) if m else "UTF-8"


def _decode(data: bytes, codec: str, name: str, offset: int = 0) -> str:
    if codec == "utf-8":
        return decode_exact(data, name, base_offset=offset)
    try:
        return data.decode(codec)
    except UnicodeError as e:
        at = offset + getattr(e, "start", 0)
        raise InputError(f"{name}: invalid {codec} at byte offset {at}") from None


def _plural_rule(header: dict[str, str]) -> Callable[[int], int]:
    """The ``plural=`` formula of the header; GNU's default ``n != 1`` when it is missing or
    cannot be read, which is what libintl itself falls back to at run time."""
    m = re.search(r"plural\s*=\s*([^;]+)", header.get("plural-forms", ""))
    if m:
        try:
            return gettext.c2py(m.group(1).strip())
        except (ValueError, RecursionError):
            pass
    return lambda n: int(n != 1)


def _messages(entries: list[_Entry], rule: Callable[[int], int]) -> tuple[list[Message], int]:
    """Message pairs of compiled entries, plural forms paired by meaning (module docstring)."""
    try:
        singular = rule(1)
        plural_forms = {rule(n) for n in _PLURAL_COUNTS}
    except (ArithmeticError, RecursionError):  # e.g. a formula dividing by n - 2
        singular, plural_forms = 0, {0, 1}
    plural = next(iter(plural_forms)) if len(plural_forms) == 1 and singular not in plural_forms else None
    messages: list[Message] = []
    unpaired = 0
    for e in entries:
        if e.plural is None or not any(e.forms):  # untranslated plurals are skipped, not unpaired
            if e.forms and e.forms[0]:
                messages.append(Message(e.msgid, e.forms[0], e.context))
            continue
        used: set[int] = set()
        for english, index in ((e.msgid, singular), (e.plural, plural)):
            if index is not None and index < len(e.forms) and e.forms[index]:
                messages.append(Message(english, e.forms[index], e.context))
                used.add(index)
            else:
                unpaired += 1
        unpaired += sum(1 for i, f in enumerate(e.forms) if f and i not in used)
    return messages, unpaired


# --- .mo ---------------------------------------------------------------------------------------


def read_mo(path: str | os.PathLike[str]) -> Catalog:
    """The translated messages of a compiled ``.mo`` catalog, decoded with the header's charset."""
    name = os.fspath(path)
    data = read_bytes(path)
    if len(data) < 28:
        raise InputError(f"{name}: not a gettext .mo file (only {len(data)} bytes)")
    for order in ("<", ">"):
        if struct.unpack(order + "I", data[:4])[0] == MO_MAGIC:
            break
    else:
        raise InputError(f"{name}: not a gettext .mo file (bad magic number {data[:4].hex()})")
    revision, count, orig_at, trans_at = struct.unpack(order + "4I", data[4:20])
    if revision >> 16 not in (0, 1):
        raise InputError(f"{name}: unsupported .mo format revision {revision >> 16}.{revision & 0xFFFF}")

    def u32(at: int) -> int:
        if at + 4 > len(data):
            raise InputError(f"{name}: truncated .mo file (table at byte {at} runs past the end)")
        value: int = struct.unpack(order + "I", data[at : at + 4])[0]
        return value

    def raw(length: int, offset: int) -> bytes:
        if offset + length > len(data):
            raise InputError(f"{name}: truncated .mo file (string at byte {offset} runs past the end)")
        return data[offset : offset + length]

    strings = [  # (original bytes, its offset, translation bytes, its offset)
        (
            raw(u32(orig_at + 8 * i), u32(orig_at + 8 * i + 4)),
            u32(orig_at + 8 * i + 4),
            raw(u32(trans_at + 8 * i), u32(trans_at + 8 * i + 4)),
            u32(trans_at + 8 * i + 4),
        )
        for i in range(count)
    ]
    if revision & 0xFFFF:
        strings += _sysdep_strings(name, data, u32, raw)
    header_bytes = next((t for o, _, t, _ in strings if o == b""), b"")
    header = _header(header_bytes.decode("ascii", errors="replace"))
    codec = _codec(name, _charset_of(header.get("content-type", "")))
    entries: list[_Entry] = []
    for ob, ooff, tb, toff in strings:
        if not ob:
            continue
        original, translation = _decode(ob, codec, name, ooff), _decode(tb, codec, name, toff)
        context = None
        if "\x04" in original:
            context, original = original.split("\x04", 1)
        msgid, sep, plural = original.partition("\x00")
        entries.append(_Entry(context, msgid, plural if sep else None, translation.split("\x00")))
    messages, unpaired = _messages(entries, _plural_rule(header))
    return Catalog(name, _language(name, header), messages, unpaired)


def _sysdep_strings(
    name: str, data: bytes, u32: Callable[[int], int], raw: Callable[[int, int], bytes]
) -> list[tuple[bytes, int, bytes, int]]:
    """The system-dependent string pairs of a minor-revision-1 ``.mo`` (gettext's ``gmo.h``).

    Each string is static pieces joined by segment names; like ``msgunfmt``, a one-letter segment
    (``I``) is put back as itself and a longer one as ``<NAME>`` (``%<PRId64>``), which gives the
    text of the ``.po`` the file was compiled from. Offsets for errors are those of the first piece.
    """
    n_segments, segments_at, n_strings, orig_at, trans_at = (u32(28 + 4 * i) for i in range(5))

    def segment(ref: int) -> bytes:
        if ref >= n_segments:
            raise InputError(f"{name}: not a gettext .mo file (system-dependent segment {ref} of {n_segments})")
        text = raw(u32(segments_at + 8 * ref), u32(segments_at + 8 * ref + 4)).split(b"\0", 1)[0]
        return b"<" + text + b">" if len(text) > 1 else text

    def string(at: int) -> tuple[bytes, int]:
        start = offset = u32(at)
        out = b""
        for i in range(4, 8 * (n_segments + len(data)), 8):  # bounded: each pair is 8 bytes of the file
            size, ref = u32(at + i), u32(at + i + 4)
            out += raw(size, offset)
            offset += size
            if ref == 0xFFFFFFFF:
                return out[:-1] if out.endswith(b"\0") else out, start
            out += segment(ref)
        raise InputError(f"{name}: not a gettext .mo file (unterminated system-dependent string)")

    return [(*string(u32(orig_at + 4 * i)), *string(u32(trans_at + 4 * i))) for i in range(n_strings)]


# --- .po ---------------------------------------------------------------------------------------

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr\[\d+\]|msgstr)(?=[\s\"])")
_STRING = re.compile(r'"((?:[^"\\]++|\\.)*+)"[ \t\f\v]*', re.S)
_ESCAPE = re.compile(r'\\(?:([ntbrfva\\"])|([0-7]{1,3})|x([0-9A-Fa-f]+)|(.?))', re.S)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "\\": "\\", '"': '"'}
#: How a decoded string is written back for polib, whose unescape knows exactly these.
_POLIB_ESCAPES = {
    ord(k): v
    for k, v in {
        "\\": "\\\\",
        '"': '\\"',
        "\n": "\\n",
        "\t": "\\t",
        "\r": "\\r",
        "\b": "\\b",
        "\f": "\\f",
        "\v": "\\v",
    }.items()
}
#: Characters ``str.splitlines`` breaks at besides those above; polib splits its input with it.
_LINE_BREAKERS = "\x1c\x1d\x1e\x85\u2028\u2029"


def _literals(body: str, name: str, lineno: int, col: int, codec: str) -> str:
    """The value of one or more adjacent ``"..."`` literals, escapes decoded as msgfmt does.

    ``col`` is where ``body`` starts in its line (for error positions, 1-based as msgfmt's).
    """
    value: list[str] = []
    pos = 0
    while pos < len(body):
        m = _STRING.match(body, pos)
        if m is None:
            if body[pos] != '"':
                raise InputError(
                    f"{name}:{lineno}:{col + pos + 1}: expected a string in double quotes, found {body[pos : pos + 20]!r}"
                )
            raise InputError(f"{name}:{lineno}: string not terminated (no closing double quote)")
        content = m.group(1)
        value.append(_unescape(content, name, lineno, col + pos + 1, codec) if "\\" in content else content)
        pos = m.end()
    return "".join(value)


def _unescape(content: str, name: str, lineno: int, col: int, codec: str) -> str:
    """``content`` (a literal without its quotes, at column ``col`` + 1) with escapes decoded."""
    out: list[str] = []
    pending = bytearray()  # bytes from octal/hex escapes, decoded together with the charset
    last = 0
    for m in _ESCAPE.finditer(content):
        at = col + m.start() + 1
        if m.start() > last or m.group(1):
            if pending:
                out.append(_bytes_escape(bytes(pending), codec, name, lineno, at))
                pending.clear()
            out.append(content[last : m.start()])
        if m.group(1):
            out.append(_SIMPLE_ESCAPES[m.group(1)])
        elif m.group(2):
            pending.append(_byte_value(int(m.group(2), 8), name, lineno, at))
        elif m.group(3):
            pending.append(_byte_value(int(m.group(3), 16), name, lineno, at))
        else:
            raise InputError(
                f"{name}:{lineno}:{at + 1}: invalid escape \\{m.group(4)} (msgfmt: invalid control sequence)"
            )
        last = m.end()
    if pending:
        out.append(_bytes_escape(bytes(pending), codec, name, lineno, col + last))
    out.append(content[last:])
    return "".join(out)


def _byte_value(value: int, name: str, lineno: int, col: int) -> int:
    """The byte an octal or hex escape stands for: its low 8 bits, as msgfmt keeps them
    (``\\x41b`` is byte 0x1b); byte 0 is refused, where msgfmt would silently cut the string."""
    if value & 0xFF == 0:
        raise InputError(f"{name}:{lineno}:{col + 1}: escape for byte 0 (msgfmt would cut the string there)")
    return value & 0xFF


def _bytes_escape(data: bytes, codec: str, name: str, lineno: int, col: int) -> str:
    try:
        return data.decode(codec)
    except UnicodeError:
        raise InputError(f"{name}:{lineno}:{col}: octal/hex escapes {data.hex(' ')} are not valid {codec}") from None


def _for_polib(value: str, table: dict[int, str]) -> str:
    return f'"{value.translate(table)}"'


def _normalise_po(text: str, name: str, codec: str, table: dict[int, str]) -> str:
    """The .po text with every literal checked and rewritten in the escapes polib decodes exactly.

    Line numbers are kept (one output line per input line), so polib's line numbers are the file's.
    """
    out: list[str] = []
    for lineno, line in enumerate(text.split("\n"), 1):
        s = line.strip(" \t\r\f\v")
        if lineno == 1:
            s = s.removeprefix("\ufeff")
        prefix = ""
        body = s
        if s.startswith(("#~", "#|")):
            prefix, body = s[:2] + " ", s[2:].lstrip(" \t")
        elif s.startswith("#") or not s:
            out.append("".join(" " if c in _LINE_BREAKERS else c for c in s))
            continue
        m = _KEYWORD.match(body)
        if m:
            rest = body[m.end() :].lstrip(" \t")
            col = len(line) - len(rest)
            out.append(f"{prefix}{m.group(1)} {_for_polib(_literals(rest, name, lineno, col, codec), table)}")
        elif body.startswith('"'):
            col = len(line) - len(body)
            out.append(prefix + _for_polib(_literals(body, name, lineno, col, codec), table))
        elif prefix:  # "#~" or "#|" followed by something else: a comment to msgfmt
            out.append("".join(" " if c in _LINE_BREAKERS else c for c in s))
        else:
            raise InputError(f"{name}:{lineno}: not a gettext .po line: {s[:60]}")
    return "\n".join(out)


def _po_charset(data: bytes) -> str:
    """The charset named in the header (the first ``Content-Type`` line), UTF-8 if none."""
    m = re.search(rb"Content-Type:[^\n]*?charset=([\w.:-]+)", data[:65536])
    return m.group(1).decode("ascii") if m else "UTF-8"


def read_po(path: str | os.PathLike[str]) -> Catalog:
    """The translated messages of a ``.po`` file, decoded with its header's charset."""
    import polib

    name = os.fspath(path)
    data = read_bytes(path)
    codec = _codec(name, _po_charset(data))
    text = _decode(data, codec, name)
    free = (chr(c) for c in range(0x10FFFD, 0xEFFFF, -1) if chr(c) not in text)
    placeholders = {c: next(free) for c in _LINE_BREAKERS}
    table = {**_POLIB_ESCAPES, **{ord(c): p for c, p in placeholders.items()}}
    normalised = _normalise_po(text, name, codec, table)
    try:
        po = polib.pofile(normalised, encoding="utf-8")
    except (OSError, ValueError) as e:  # polib reports syntax errors as IOError with the line
        line = re.search(r"\(line (\d+)\)", str(e))
        detail = re.sub(r"Syntax error in po file\s*(\(line \d+\))?:?\s*", "", str(e)).strip() or "syntax error"
        raise InputError(f"{name}:{line.group(1) if line else '?'}: {detail}") from None
    back = str.maketrans({v: k for k, v in placeholders.items()})
    header = {k.lower(): v.strip() for k, v in po.metadata.items()}
    entries: list[_Entry] = []
    seen: dict[tuple[str | None, str], int] = {}
    for entry in po:  # obsolete entries too: msgfmt checks them as well
        at = f"{name}:{entry.linenum}"
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            raise InputError(f"{at}: duplicate message definition (first defined at line {seen[key]})")
        seen[key] = entry.linenum
        if entry.msgid_plural and not entry.msgstr_plural:
            raise InputError(f"{at}: msgid_plural needs msgstr[0], msgstr[1] … (found msgstr)")
        if entry.msgstr_plural and not entry.msgid_plural:
            raise InputError(f"{at}: msgstr[N] without msgid_plural")
        indexes = [int(i) for i in entry.msgstr_plural]
        if indexes != list(range(len(indexes))):
            raise InputError(
                f"{at}: plural forms must be msgstr[0], msgstr[1] … in order, found "
                + ", ".join(f"msgstr[{i}]" for i in indexes)
            )
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        forms = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)] if entry.msgid_plural else [entry.msgstr]
        entries.append(
            _Entry(
                None if entry.msgctxt is None else entry.msgctxt.translate(back),
                entry.msgid.translate(back),
                entry.msgid_plural.translate(back) if entry.msgid_plural else None,
                [f.translate(back) for f in forms],
            )
        )
    messages, unpaired = _messages(entries, _plural_rule(header))
    return Catalog(name, _language(name, header), messages, unpaired)
