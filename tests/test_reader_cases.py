"""Corpus-reading bugs found on real catalogs and hostile files (issues 11, 13 and 16), one small
file each: every one is read correctly or refused with one line naming the file and the problem."""

from __future__ import annotations

import gettext
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tokstats.sources._corpus
from tokstats.comparison._compare import compare_rows
from tokstats.comparison._words import split_words
from tokstats.errors import InputError, UnknownNameError
from tokstats.sources._catalogs import read_mo, read_po
from tokstats.sources._readers import Columns, read_documents
from tokstats.tokenizers._encodings import get_encoding

CATALOGS = Path(__file__).parent / "data" / "catalogs"
ENCS = ("cl100k_base", "o200k_base")


def tokens(text: str, encoding: str = "cl100k_base") -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


def po(tmp_path: Path, body: str, language: str = "de", plural_forms: str = "", name: str = "x.po") -> Path:
    header = f'msgid ""\nmsgstr ""\n"Language: {language}\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    if plural_forms:
        header += f'"Plural-Forms: {plural_forms}\\n"\n'
    p = tmp_path / name
    p.write_text(header + "\n" + body, "utf-8")
    return p


def pairs(catalog: object) -> list[tuple[str, str]]:
    return [(m.msgid, m.msgstr) for m in catalog.messages]  # type: ignore[attr-defined]


# --- issue 11 item 4: catalogs as a new user meets them -------------------------------------------

KOREAN = r"""
msgid "Open the file"
msgstr "파일을 엽니다"

msgid "Settings"
msgstr "설정(設定)"

msgid "Save the document now"
msgstr "지금 문서를 저장합니다"
"""


def test_one_text_without_spaces_does_not_erase_a_rows_word_metrics(tmp_path: Path) -> None:
    p = po(tmp_path, KOREAN, "ko")
    [row] = [r for r in compare_rows([str(p)], by="language").rows if r["source"] == "ko"]
    texts = ["파일을 엽니다", "설정(設定)", "지금 문서를 저장합니다"]
    assert split_words(texts[1]) is None  # half of its letters are Han: no words in it
    with_words = [t for t in texts if split_words(t) is not None]
    words = sum(len(split_words(t) or []) for t in with_words)
    assert row["words"] == words == 5
    for n in ENCS:  # fertility in context: tokens of the texts that have words over their words
        assert row["fertility_in_context"][n] == pytest.approx(sum(tokens(t, n) for t in with_words) / words)
        assert row["tokens"][n] == sum(tokens(t, n) for t in texts)  # every text is still counted


def test_a_catalogs_row_describes_the_translation_against_its_msgids(tmp_path: Path) -> None:
    p = po(tmp_path, KOREAN, "ko")
    [row] = compare_rows([str(p)]).rows  # default grouping: one row per input
    msgids = ["Open the file", "Settings", "Save the document now"]
    msgstrs = ["파일을 엽니다", "설정(設定)", "지금 문서를 저장합니다"]
    assert row["source"] == str(p) and row["documents"] == 3
    assert row["bytes"] == sum(len(t.encode()) for t in msgstrs)
    for n in ENCS:
        assert row["tokens"][n] == sum(tokens(t, n) for t in msgstrs)
        assert row["premium"][n] == pytest.approx(
            sum(tokens(t, n) for t in msgstrs) / sum(tokens(t, n) for t in msgids)
        )
    assert row["aligned_units"] == 3
    # grouped by language the msgids are the English row, as before
    rows = {r["source"]: r for r in compare_rows([str(p)], by="language").rows}
    assert rows["en"]["tokens"]["cl100k_base"] == sum(tokens(t) for t in msgids)


def test_mo_system_dependent_strings_are_read_like_msgunfmt() -> None:
    mo, source = CATALOGS / "fa_sysdep.mo", CATALOGS / "fa_sysdep.po"
    with open(mo, "rb") as f:  # Python's own reader loses them: the bug this guards against
        assert set(gettext.GNUTranslations(f)._catalog) == {"", "Plain"}  # type: ignore[attr-defined]
    compiled = read_mo(mo)
    assert sorted(pairs(compiled)) == sorted(pairs(read_po(source)))
    assert ("%d files", "%Id فایل") in pairs(compiled)
    assert ("Size %<PRId64> bytes", "اندازه %<PRId64> بایت") in pairs(compiled)
    assert len(compiled.messages) == 5 and compiled.language == "fa"


@pytest.mark.parametrize("suffix", [".po", ".mo"])
def test_plural_forms_are_paired_by_meaning(suffix: str) -> None:
    arabic = (read_po if suffix == ".po" else read_mo)(CATALOGS / f"ar_plural{suffix}")
    # n = 1 is form 1 ("one"), not form 0 ("zero"); the English plural covers forms 2-5: skipped
    assert sorted(pairs(arabic)) == [("%d file", "ملف واحد"), ("Open", "فتح")]
    assert arabic.unpaired_forms == 6  # msgid_plural and the five other Arabic forms
    french = (read_po if suffix == ".po" else read_mo)(CATALOGS / f"fr_plural{suffix}")
    assert pairs(french) == [("%d file", "%d fichier"), ("%d files", "%d fichiers")]
    assert french.unpaired_forms == 0


def test_one_form_languages_pair_only_the_singular(tmp_path: Path) -> None:
    p = po(
        tmp_path,
        'msgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] "%d 個のファイル"\n',
        "ja",
        "nplurals=1; plural=0;",
    )
    cat = read_po(p)
    assert pairs(cat) == [("%d file", "%d 個のファイル")] and cat.unpaired_forms == 1


# --- issue 16: .po and .mo as msgfmt reads them ---------------------------------------------------


def test_po_obsolete_entry_followed_directly_by_a_real_one(tmp_path: Path) -> None:
    p = po(tmp_path, '#~ msgid "Old"\n#~ msgstr "Alt"\nmsgid "New"\nmsgstr "Neu"\n')
    assert pairs(read_po(p)) == [("New", "Neu")]


@pytest.mark.parametrize(("literal", "column"), [(r"a\qb", 10), (r"a\'b", 10), (r"\?", 9), (r"ok\e", 11)])
def test_po_escapes_msgfmt_rejects_are_errors(tmp_path: Path, literal: str, column: int) -> None:
    p = po(tmp_path, f'msgid "{literal}"\nmsgstr "x"\n')
    with pytest.raises(InputError) as e:
        read_po(p)
    assert str(e.value).startswith(f"{p}:6:{column}: invalid escape")


def test_po_escapes_msgfmt_accepts_are_decoded_as_msgfmt_does(tmp_path: Path) -> None:
    p = po(tmp_path, r'msgid "caf\303\251 \x41\a\b\f\v\t\\ \"q\""' + '\nmsgstr "x\\nline \u2028 sep"\n')
    [(msgid, msgstr)] = pairs(read_po(p))
    assert msgid == 'café A\a\b\f\v\t\\ "q"'
    assert msgstr == "x\nline \u2028 sep"  # a raw U+2028 stays one line of the .po


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            'msgid "f"\nmsgid_plural "fs"\nmsgstr[0] "a"\nmsgstr[2] "c"\n',
            "plural forms must be msgstr[0], msgstr[1] … in order",
        ),
        (
            'msgid "f"\nmsgid_plural "fs"\nmsgstr[1] "a"\nmsgstr[0] "b"\n',
            "plural forms must be msgstr[0], msgstr[1] … in order",
        ),
        ('msgid "f"\nmsgid_plural "fs"\nmsgstr "a"\n', "msgid_plural needs msgstr[0]"),
        ('msgid "f"\nmsgstr[0] "a"\n', "msgstr[N] without msgid_plural"),
        ('msgid "a"\nmsgstr "x"\n\nmsgid "a"\nmsgstr "y"\n', "duplicate message definition (first defined at line 6)"),
    ],
)
def test_po_plural_and_entry_errors_msgfmt_rejects(tmp_path: Path, body: str, problem: str) -> None:
    p = po(tmp_path, body)
    with pytest.raises(InputError, match=rf"^{p}:\d+: ") as e:
        read_po(p)
    assert problem in str(e.value)


CASES_FOR_MSGFMT = {
    "escapes": r'msgid "caf\303\251 \x41\a"' + '\nmsgstr "tab\\there"\n\nmsgid "two" "strings"\nmsgstr "zwei"\n',
    "obsolete_then_real": '#~ msgid "Old"\n#~ msgstr "Alt"\nmsgid "New"\nmsgstr "Neu"\n',
    "fuzzy_untranslated": '#, fuzzy\nmsgid "A"\nmsgstr "B"\n\nmsgid "C"\nmsgstr ""\n\nmsgctxt "m"\nmsgid "C"\nmsgstr "D"\n',
    "plural": 'msgid "f"\nmsgid_plural "fs"\nmsgstr[0] "a"\nmsgstr[1] ""\n',
}


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@pytest.mark.parametrize("case", sorted(CASES_FOR_MSGFMT))
def test_po_reads_what_msgfmt_compiles(tmp_path: Path, case: str) -> None:
    p = po(tmp_path, CASES_FOR_MSGFMT[case], plural_forms="nplurals=2; plural=(n != 1);")
    subprocess.run(["msgfmt", "-o", str(tmp_path / "x.mo"), str(p)], check=True)
    key = lambda m: (m.context or "", m.msgid, m.msgstr)  # noqa: E731
    assert sorted(map(key, read_po(p).messages)) == sorted(map(key, read_mo(tmp_path / "x.mo").messages))


def test_mo_charset_that_is_not_a_text_encoding_is_refused(tmp_path: Path) -> None:
    p = po(tmp_path, 'msgid "a"\nmsgstr "b"\n').read_text("utf-8").replace("charset=UTF-8", "charset=idna")
    (tmp_path / "idna.po").write_text(p, "utf-8")
    with pytest.raises(InputError, match=r"idna.po: charset 'idna' is not a gettext charset"):
        read_po(tmp_path / "idna.po")
    data = (CATALOGS / "fr_plural.mo").read_bytes().replace(b"charset=UTF-8", b"charset=idna ")
    (tmp_path / "idna.mo").write_bytes(data)
    with pytest.raises(InputError, match=r"idna.mo: charset 'idna' is not a gettext charset"):
        read_mo(tmp_path / "idna.mo")


def test_catalog_in_a_legacy_charset_is_decoded(tmp_path: Path) -> None:
    text = po(tmp_path, 'msgid "Open"\nmsgstr "Öffnen"\n').read_text("utf-8").replace("UTF-8", "ISO-8859-1")
    (tmp_path / "l1.po").write_bytes(text.encode("latin-1"))
    assert pairs(read_po(tmp_path / "l1.po")) == [("Open", "Öffnen")]


# --- issue 16: JSONL, CSV, Parquet, corpora -------------------------------------------------------


def test_jsonl_nested_too_deep_is_one_error(tmp_path: Path) -> None:
    p = tmp_path / "deep.jsonl"
    p.write_text('{"text": "ok"}\n{"text": "x", "a": ' + "[" * 100_000 + "]" * 100_000 + "}\n", "utf-8")
    with pytest.raises(InputError, match=rf"^{p}:2: JSON nested too deeply to read$"):
        read_documents(str(p))


def test_jsonl_huge_integer_is_read(tmp_path: Path) -> None:
    p = tmp_path / "big.jsonl"
    p.write_text('{"text": "ok", "n": ' + "7" * 4301 + "}\n", "utf-8")
    assert [d.text for d in read_documents(str(p))] == ["ok"]


def test_jsonl_lone_surrogate_counts_as_tiktoken_does(tmp_path: Path) -> None:
    p = tmp_path / "s.jsonl"
    p.write_text('{"text": "a\\ud800b"}\n', "utf-8")
    [doc] = read_documents(str(p))
    assert doc.text == "a\ufffdb"
    [row] = compare_rows([str(p)]).rows
    for n in ENCS:  # tiktoken itself replaces a lone surrogate by U+FFFD before encoding
        assert row["tokens"][n] == len(get_encoding(n).encode("a\ud800b")) == tokens("a\ufffdb", n)


def test_chat_jsonl_is_read_as_its_messages_texts(tmp_path: Path) -> None:
    p = tmp_path / "chat.jsonl"
    p.write_text(
        json.dumps(
            {
                "messages": [
                    {"role": "system", "content": "Be brief."},
                    {"role": "user", "content": [{"type": "text", "text": "Hallo"}, {"type": "text", "text": " Welt"}]},
                ],
                "completion": "Hi!",
            }
        )
        + "\n"
        + json.dumps({"messages": [{"role": "user", "content": "Again"}]})
        + "\n",
        "utf-8",
    )
    docs = read_documents(str(p))
    assert [d.text for d in docs] == ["Be brief.", "Hallo", " Welt", "Hi!", "Again"]
    assert len({d.unit for d in docs[:4]}) == 1 and docs[4].unit != docs[0].unit  # a request is one unit
    p.write_text(json.dumps({"messages": [{"role": "user", "content": [{"type": "image_url"}]}]}) + "\n", "utf-8")
    with pytest.raises(
        InputError,
        match=r"line 1: message 0 content part 0: only text can be counted, not .image_url. \(a text part is",
    ):
        read_documents(str(p))


def test_csv_row_with_more_fields_than_the_header(tmp_path: Path) -> None:
    p = tmp_path / "d.csv"
    p.write_text("text,lang\nHello, world,en\n", "utf-8")
    with pytest.raises(InputError) as e:
        read_documents(str(p))
    assert str(e.value) == (
        f"{p}: line 2: 3 fields, but the CSV header has 2 (a delimiter inside an unquoted field? quote the field)"
    )


def test_csv_header_naming_a_column_twice(tmp_path: Path) -> None:
    p = tmp_path / "d.csv"
    p.write_text("text,text\nfirst,second\n", "utf-8")
    with pytest.raises(InputError, match=r"line 1: the header names column 'text' twice \(columns 1 and 2\)"):
        read_documents(str(p))


def test_csv_header_after_a_bom(tmp_path: Path) -> None:
    p = tmp_path / "d.csv"
    p.write_bytes("\ufefftext,lang\n\ufeffkept,en\n".encode())
    docs = read_documents(str(p), Columns("text", "lang"))
    assert [(d.text, d.language) for d in docs] == [("\ufeffkept", "en")]  # only the header's BOM goes


def test_csv_errors_name_the_line_the_row_starts_on(tmp_path: Path) -> None:
    p = tmp_path / "d.csv"
    p.write_text('id,text,lang\n1,"two\nlines"\n', "utf-8")
    with pytest.raises(InputError, match=rf"^{p}: line 2: 2 fields, but the CSV header has 3$"):
        read_documents(str(p), Columns("text", "lang", "id"))
    p.write_text('text\n\nok\n"never closed\nmore\n', "utf-8")
    with pytest.raises(InputError, match=rf"^{p}: line 4: malformed CSV row starting here"):
        read_documents(str(p))
    p.write_text('text,lang\n"a\nb",en\n\nc,\n', "utf-8")
    assert [d.unit for d in read_documents(str(p))] == [f"{p}#line 2", f"{p}#line 5"]


def test_corrupt_parquet_page_is_one_error(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    p = tmp_path / "d.parquet"
    pq.write_table(pa.table({"text": [f"hello world {i}" for i in range(200)]}), p, use_dictionary=False)
    column = pq.ParquetFile(p).metadata.row_group(0).column(0)
    data = bytearray(p.read_bytes())
    for k in range(column.data_page_offset + 30, column.data_page_offset + column.total_compressed_size - 10):
        data[k] ^= 0x5A
    p.write_bytes(bytes(data))
    with pytest.raises(InputError, match=rf"^{p}: corrupt Parquet data: "):
        read_documents(str(p))


@pytest.fixture
def corpora_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], None]:
    monkeypatch.setattr(tokstats.sources._corpus, "_corpora_dir", lambda: tmp_path)
    tokstats.sources._corpus._load_corpus.cache_clear()

    def add(name: str, text: str) -> None:
        (tmp_path / f"{name}.json").write_text(text, "utf-8")

    yield add  # type: ignore[misc]
    tokstats.sources._corpus._load_corpus.cache_clear()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("not json at all", "invalid JSON"),
        ('{"title": "no entries"}', 'not a corpus: expected a JSON object with an "entries" list of objects'),
        ("[1, 2]", 'not a corpus: expected a JSON object with an "entries" list of objects'),
    ],
)
def test_corpus_file_that_is_not_a_corpus(corpora_dir: Callable[[str, str], None], text: str, problem: str) -> None:
    corpora_dir("broken", text)
    with pytest.raises(InputError, match=r"^corpus broken: ") as e:
        tokstats.sources._corpus.load_corpus("broken")
    assert problem in str(e.value)


def test_corpus_name_is_never_a_path(corpora_dir: Callable[[str, str], None], tmp_path: Path) -> None:
    corpora_dir("ok", '{"entries": []}')
    (tmp_path.parent / "outside.json").write_text('{"entries": []}', "utf-8")
    assert tokstats.sources._corpus.load_corpus("ok").entries == []
    with pytest.raises(UnknownNameError, match="unknown corpus '../outside'; known corpora: ok"):
        tokstats.sources._corpus.load_corpus("../outside")


# --- at the command line: one line, exit 2, nothing on stdout -------------------------------------


def test_cli_compare_reads_chat_jsonl_beside_text(
    tmp_path: Path, run_cli: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    notes, chat = tmp_path / "notes.txt", tmp_path / "chat.jsonl"
    notes.write_text("Meeting notes: ship on Friday.\n", "utf-8")
    chat.write_text(
        json.dumps({"messages": [{"role": "user", "content": "Summarise my notes."}], "completion": "Ship on Friday."})
        + "\n",
        "utf-8",
    )
    r = run_cli("compare", str(notes), str(chat), "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = {row["source"]: row for row in json.loads(r.stdout)["rows"]}
    assert rows[str(chat)]["tokens"]["cl100k_base"] == tokens("Summarise my notes.") + tokens("Ship on Friday.")
    assert rows[str(notes)]["tokens"]["o200k_base"] == tokens("Meeting notes: ship on Friday.\n", "o200k_base")


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("deep.jsonl", '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}\n", ":1: JSON nested too deeply to read"),
        ("extra.csv", "text\na,b\n", ": line 2: 2 fields, but the CSV header has 1"),
        ("bad.po", 'msgid "a\\qb"\nmsgstr "x"\n', ":1:10: invalid escape \\q"),
    ],
)
def test_cli_bad_inputs_are_one_line(
    tmp_path: Path, run_cli: Callable[..., subprocess.CompletedProcess[str]], name: str, content: str, problem: str
) -> None:
    p = tmp_path / name
    p.write_text(content, "utf-8")
    r = run_cli("compare", str(p))
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert f"{p}{problem}" in r.stderr


def test_catalog_rows_identical_on_a_cluster(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    from tokstats.comparison._bootstrap import BootstrapConfig
    from tokstats.scale import _compare as dc

    paths = [str(po(tmp_path, KOREAN, "ko")), str(CATALOGS / "ar_plural.mo")]
    config = BootstrapConfig(resamples=50)
    with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster, Client(cluster) as client:
        for by in ("source", "language"):
            remote = dc.compare_rows(paths, by=by, config=config, client=client).rows
            assert remote == compare_rows(paths, by=by, config=config).rows
    assert {r["source"]: r["documents"] for r in remote} == {"en": 5, "ko": 3, "ar": 2}  # en: the msgids


# --- no input gives anything but documents or one InputError --------------------------------------

SEEDS = {
    ".mo": [(CATALOGS / f).read_bytes() for f in ("fa_sysdep.mo", "ar_plural.mo")],
    ".po": [(CATALOGS / f).read_bytes() for f in ("fa_sysdep.po", "ar_plural.po")],
    ".csv": [b'id,text,lang\r\n1,"two\r\nlines, quoted",en\r\n2,plain,de\r\n'],
    ".jsonl": [
        b'{"text": "a"}\n{"messages": [{"role": "user", "content": [{"type": "text", "text": "y"}]}], "completion": "z"}\n'
    ],
}
SPLICES = [b'"', b"\\", b"\n", b"\x00", b"#~ ", b'msgstr[1] "q"\n', b"\xff\xff\xff\xff", b",", b"{", b"[", b"\\ud800"]


@given(st.data())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_damaged_files_are_read_or_refused_in_one_line(tmp_path: Path, data: st.DataObject) -> None:
    suffix = data.draw(st.sampled_from(sorted(SEEDS)))
    raw = bytearray(data.draw(st.sampled_from(SEEDS[suffix])))
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(raw)))
        action = data.draw(st.sampled_from(["byte", "splice", "cut"]))
        if action == "byte" and raw:
            raw[min(at, len(raw) - 1)] = data.draw(st.integers(0, 255))
        elif action == "splice":
            raw[at:at] = data.draw(st.sampled_from(SPLICES))
        else:
            del raw[at : at + data.draw(st.integers(1, 16))]
    p = tmp_path / f"damaged{suffix}"
    p.write_bytes(bytes(raw))
    try:
        docs = read_documents(str(p))
    except InputError as e:
        assert str(e).startswith(str(p)) and "\n" not in str(e)
    else:
        assert all(isinstance(d.text, str) and d.text.encode("utf-8") is not None for d in docs)


ESCAPABLE = [
    "a",
    "Z",
    " ",
    "é",
    "中",
    "😀",
    "\u2028",
    "\x85",
    "\x1c",
    "\x7f",
    '"',
    "\\",
    "\n",
    "\t",
    "\r",
    "\b",
    "\f",
    "\v",
    "\a",
]
SIMPLE = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\b": "\\b",
    "\f": "\\f",
    "\v": "\\v",
    "\a": "\\a",
}


@st.composite
def escaped_literals(draw: st.DrawFn) -> str:
    """A .po string body: characters written raw (where a literal may hold them), as simple,
    octal or hex escapes of their UTF-8 bytes, or as an escape msgfmt may refuse."""
    out = []
    for c in draw(st.lists(st.sampled_from(ESCAPABLE), max_size=12)):
        how = draw(st.sampled_from(["raw", "simple", "octal", "hex", "other"]))
        if how == "other":
            out.append("\\" + draw(st.sampled_from(list("qe?'8uUx") + ["x1"])) + "z")
        elif how == "octal":
            out.append("".join(f"\\{b:03o}" for b in c.encode()))
        elif how == "hex":
            out.append("".join(f"\\x{b:02x}" for b in c.encode()) + (draw(st.sampled_from(["", "g", " "]))))
        elif how == "simple" and c in SIMPLE:
            out.append(SIMPLE[c])
        else:
            out.append(SIMPLE.get(c, c) if c in '"\\\n' else c)
    return "".join(out)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@given(escaped_literals())
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_po_strings_agree_with_msgfmt(tmp_path: Path, literal: str) -> None:
    p = po(tmp_path, f'msgid "key"\nmsgstr "<{literal}>"\n')
    compiled = subprocess.run(["msgfmt", "-o", str(tmp_path / "x.mo"), str(p)], capture_output=True)
    try:
        ours = pairs(read_po(p))
    except InputError:
        ours = None
    if compiled.returncode != 0:  # msgfmt refuses it: so does tokstats
        assert ours is None, compiled.stderr
        return
    try:
        theirs = pairs(read_mo(tmp_path / "x.mo"))
    except InputError:  # msgfmt wrote bytes that are not UTF-8 (e.g. \377): refused by both readers
        theirs = None
    assert ours == theirs


@st.composite
def po_entries(draw: st.DrawFn) -> str:
    """A sequence of entries of every kind, separated by a blank line or by nothing."""
    out = []
    for i in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["plain", "fuzzy", "obsolete", "untranslated", "context", "plural", "comments"]))
        key = f"m{draw(st.integers(0, 7))}"  # repeated keys: msgfmt's duplicate check
        entry = {
            "plain": f'msgid "{key}"\nmsgstr "t{i}"\n',
            "fuzzy": f'#, fuzzy\nmsgid "{key}"\nmsgstr "t{i}"\n',
            "obsolete": f'#~ msgid "{key}"\n#~ msgstr "t{i}"\n',
            "untranslated": f'msgid "{key}"\nmsgstr ""\n',
            "context": f'msgctxt "c"\nmsgid "{key}"\nmsgstr "t{i}"\n',
            "plural": f'msgid "{key}"\nmsgid_plural "{key}s"\nmsgstr[0] "t{i}"\nmsgstr[1] "t{i}s"\n',
            "comments": f'# note\n#. extracted\n#: file.c:{i}\n#| msgid "old"\nmsgid "{key}"\nmsgstr "t{i}"\n',
        }[kind]
        out.append(entry + draw(st.sampled_from(["", "\n"])))
    return "".join(out)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@given(po_entries())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_po_entries_agree_with_msgfmt(tmp_path: Path, body: str) -> None:
    p = po(tmp_path, body, plural_forms="nplurals=2; plural=(n != 1);")
    compiled = subprocess.run(["msgfmt", "-o", str(tmp_path / "x.mo"), str(p)], capture_output=True)
    try:
        ours = sorted(pairs(read_po(p)))
    except InputError:
        ours = None
    theirs = sorted(pairs(read_mo(tmp_path / "x.mo"))) if compiled.returncode == 0 else None
    assert ours == theirs, compiled.stderr
