"""User corpora: exact plain text, JSONL, CSV/TSV, Parquet, gettext .po/.mo, and their errors."""

from __future__ import annotations

import gettext
import glob
import json
import struct
import sys
from pathlib import Path

import pytest

from tokstats.errors import InputError
from tokstats.sources._catalogs import read_mo, read_po
from tokstats.sources._readers import Columns, detect_format, read_documents


def write_mo(path: Path, messages: dict[str, str], order: str = "<") -> Path:
    """A .mo file written by hand, laid out as the GNU gettext manual's "The Format of GNU MO Files"
    describes: header, original table, translation table, then the strings (NUL-terminated)."""
    keys = sorted(messages)
    ids = [k.encode() for k in keys]
    strs = [messages[k].encode() for k in keys]
    n = len(keys)
    orig_at, trans_at = 28, 28 + 8 * n
    data_at = trans_at + 8 * n
    blob = b""
    otable, ttable = [], []
    for s in ids:
        otable.append((len(s), data_at + len(blob)))
        blob += s + b"\0"
    for s in strs:
        ttable.append((len(s), data_at + len(blob)))
        blob += s + b"\0"
    out = struct.pack(order + "7I", 0x950412DE, 0, n, orig_at, trans_at, 0, 0)
    out += b"".join(struct.pack(order + "2I", *e) for e in otable + ttable) + blob
    path.write_bytes(out)
    return path


HEADER = "Language: de\nContent-Type: text/plain; charset=UTF-8\n"
MO_MESSAGES = {
    "": HEADER,
    "Open file": "Datei öffnen",
    "menu\x04Quit": "Beenden",
    "%d file\x00%d files": "%d Datei\x00%d Dateien",
    "Untranslated": "",
}


def test_plain_text_is_exact(tmp_path: Path) -> None:
    raw = "\ufeffline one\r\nCafe\u0301 <|endoftext|>\rend".encode()
    p = tmp_path / "t.txt"
    p.write_bytes(raw)
    [doc] = read_documents(str(p))
    assert doc.text == raw.decode("utf-8")  # BOM kept, CR/CRLF kept, NFD kept
    assert doc.source == str(p) and doc.language is None


def test_formats_by_suffix() -> None:
    assert [detect_format(f"x{s}") for s in (".jsonl", ".CSV", ".tsv", ".parquet", ".po", ".mo", ".md")] == [
        "jsonl",
        "csv",
        "tsv",
        "parquet",
        "po",
        "mo",
        "text",
    ]


def test_jsonl(tmp_path: Path) -> None:
    p = tmp_path / "d.jsonl"
    p.write_text('{"body": "a\\r\\nb", "lang": "en", "id": 7}\n\n{"body": "é", "lang": "fr", "id": "7"}\n', "utf-8")
    with pytest.raises(InputError, match=r"line 1: column 'id' is int, not a string"):
        read_documents(str(p), Columns("body", "lang", "id"))
    docs = read_documents(str(p), Columns("body", "lang"))
    assert [(d.text, d.language) for d in docs] == [("a\r\nb", "en"), ("é", "fr")]
    assert docs[0].unit != docs[1].unit


def test_jsonl_errors(tmp_path: Path) -> None:
    p = tmp_path / "d.jsonl"
    p.write_text('{"text": "ok"}\n{"txt": "x", "n": 1}\n', "utf-8")
    with pytest.raises(InputError) as e:
        read_documents(str(p))
    assert str(e.value) == f"{p}: line 2: no column 'text'; columns found: txt, n"
    p.write_text('{"text": "ok"}\n{"text": \n', "utf-8")
    with pytest.raises(InputError, match=r":2: invalid JSON"):
        read_documents(str(p))
    p.write_text('{"text": null}\n', "utf-8")
    with pytest.raises(InputError, match=r"line 1: column 'text' is null"):
        read_documents(str(p))
    p.write_bytes(b'{"text": "ok"}\n{"text": "\xc3("}\n')
    with pytest.raises(InputError, match=r"invalid UTF-8 at byte offset 25"):
        read_documents(str(p))


def test_csv_keeps_newlines_in_quoted_fields(tmp_path: Path) -> None:
    p = tmp_path / "d.csv"
    p.write_bytes(b'id,text,lang\r\n1,"two\r\nlines, quoted",en\r\n2,plain,de\r\n')
    docs = read_documents(str(p), Columns("text", "lang", "id"))
    assert [(d.text, d.language, d.unit) for d in docs] == [
        ("two\r\nlines, quoted", "en", "id:1"),
        ("plain", "de", "id:2"),
    ]
    t = tmp_path / "d.tsv"
    t.write_text("text\tx\na,b\t1\n", "utf-8")
    assert [d.text for d in read_documents(str(t))] == ["a,b"]


def test_csv_missing_column_names_the_columns_found(tmp_path: Path) -> None:
    p = tmp_path / "d.csv"
    p.write_text("id,body\n1,x\n", "utf-8")
    with pytest.raises(InputError) as e:
        read_documents(str(p))
    assert str(e.value) == f"{p}: no column 'text'; columns found: id, body"
    with pytest.raises(InputError, match="no column 'lang'; columns found: id, body"):
        read_documents(str(p), Columns("body", "lang"))


def test_empty_files_have_no_documents_but_are_not_errors(tmp_path: Path) -> None:
    for name in ("e.csv", "e.jsonl"):
        (tmp_path / name).write_bytes(b"")
        assert read_documents(str(tmp_path / name)) == []
    (tmp_path / "e.txt").write_bytes(b"")
    assert [d.text for d in read_documents(str(tmp_path / "e.txt"))] == [""]


def test_parquet(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    p = tmp_path / "d.parquet"
    pq.write_table(pa.table({"text": ["Hallo\r\nWelt", ""], "lang": ["de", "de"]}), p)
    docs = read_documents(str(p), Columns("text", "lang"))
    assert [(d.text, d.language) for d in docs] == [("Hallo\r\nWelt", "de"), ("", "de")]
    with pytest.raises(InputError) as e:
        read_documents(str(p), Columns("body"))
    assert str(e.value) == f"{p}: no column 'body'; columns found: text, lang"
    (tmp_path / "bad.parquet").write_bytes(b"not parquet")
    with pytest.raises(InputError, match="not a readable Parquet file"):
        read_documents(str(tmp_path / "bad.parquet"))


def test_parquet_without_pyarrow_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(InputError, match=r"needs pyarrow.*pip install 'tokstats\[parquet\]'"):
        read_documents(str(tmp_path / "d.parquet"))


@pytest.mark.parametrize("order", ["<", ">"], ids=["little-endian", "big-endian"])
def test_mo_written_by_hand(tmp_path: Path, order: str) -> None:
    p = write_mo(tmp_path / "m.mo", MO_MESSAGES, order)
    cat = read_mo(p)
    assert cat.language == "de"
    pairs = {(m.context, m.msgid): m.msgstr for m in cat.messages}
    assert pairs == {
        (None, "Open file"): "Datei öffnen",
        ("menu", "Quit"): "Beenden",
        (None, "%d file"): "%d Datei",
        (None, "%d files"): "%d Dateien",
    }
    if order == "<":  # Python's own gettext reads the same file the same way
        with open(p, "rb") as f:
            assert gettext.GNUTranslations(f).gettext("Open file") == "Datei öffnen"


def test_mo_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mo"
    bad.write_bytes(b"\x00" * 40)
    with pytest.raises(InputError, match="not a gettext .mo file"):
        read_mo(bad)
    p = write_mo(tmp_path / "m.mo", {"": HEADER, "Hi": "X\udcff".encode("utf-8", "surrogateescape").decode("latin-1")})
    data = bytearray(p.read_bytes())
    at = data.index(b"X")
    data[at + 1 : at + 3] = b"\xff\x00"  # an invalid UTF-8 byte inside the translation
    p.write_bytes(bytes(data))
    with pytest.raises(InputError, match=rf"invalid UTF-8 at byte offset {at + 1}"):
        read_mo(p)
    with pytest.raises(InputError, match="no such file"):
        read_mo(tmp_path / "missing.mo")


PO = r"""# German translation
msgid ""
msgstr ""
"Language: de\n"
"Content-Type: text/plain; charset=UTF-8\n"

#: main.c:10
msgid "Open file"
msgstr "Datei öffnen"

msgctxt "menu"
msgid "Quit"
msgstr "Beenden"

#, fuzzy
msgid "Save"
msgstr "Speichern?"

msgid ""
"A long "
"message\twith \"quotes\"\n"
msgstr "Eine lange Nachricht\tmit \"Anführungszeichen\"\n"

msgid "%d file"
msgid_plural "%d files"
msgstr[0] "%d Datei"
msgstr[1] "%d Dateien"

msgid "Untranslated"
msgstr ""

#~ msgid "Old"
#~ msgstr "Alt"
"""


def test_po(tmp_path: Path) -> None:
    p = tmp_path / "de.po"
    p.write_text(PO, "utf-8")
    cat = read_po(p)
    assert cat.language == "de"
    assert [(m.context, m.msgid, m.msgstr) for m in cat.messages] == [
        (None, "Open file", "Datei öffnen"),
        ("menu", "Quit", "Beenden"),
        (None, 'A long message\twith "quotes"\n', 'Eine lange Nachricht\tmit "Anführungszeichen"\n'),
        (None, "%d file", "%d Datei"),
        (None, "%d files", "%d Dateien"),
    ]
    docs = read_documents(str(p))
    assert [d.language for d in docs[:2]] == ["en", "de"] and docs[0].unit == docs[1].unit
    p.write_text('msgid "x"\nmsgstr "y"\nbogus line\n', "utf-8")
    with pytest.raises(InputError, match=r"de.po:3: not a gettext .po line"):
        read_po(p)


def test_language_from_locale_folder(tmp_path: Path) -> None:
    folder = tmp_path / "pt_BR" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    p = write_mo(folder / "app.mo", {"": "Content-Type: text/plain; charset=UTF-8\n", "Yes": "Sim"})
    assert read_mo(p).language == "pt_BR"


SYSTEM_MO = sorted(glob.glob("/usr/share/locale/de/LC_MESSAGES/*.mo"))[:3]


@pytest.mark.skipif(not SYSTEM_MO, reason="no German .mo catalogs under /usr/share/locale on this machine")
@pytest.mark.parametrize("path", SYSTEM_MO, ids=lambda p: Path(p).name)
def test_system_catalogs_agree_with_python_gettext(path: str) -> None:
    with open(path, "rb") as f:
        reference = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    cat = read_mo(path)
    for m in cat.messages:
        key = m.msgid if m.context is None else f"{m.context}\x04{m.msgid}"
        if key in reference:
            assert reference[key] == m.msgstr
    singular = [k for k in reference if isinstance(k, str) and k and reference[k]]
    assert len(singular) <= len(cat.messages)
    assert json.dumps([m.msgstr for m in cat.messages], ensure_ascii=False)
