"""The launch corpus: every published figure, every byte of every sentence, every measured count."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import tokstats
from tokstats.sources._corpus import _corpora_dir

# The published figures (cl100k -> o200k), in published order, from OpenAI's "Hello GPT-4o"
# (2024-05-13), section "Language tokenization", as quoted in the project's foundation issue.
PUBLISHED = [
    ("Gujarati", 145, 33),
    ("Telugu", 159, 45),
    ("Tamil", 116, 35),
    ("Marathi", 96, 33),
    ("Hindi", 90, 31),
    ("Urdu", 82, 33),
    ("Arabic", 53, 26),
    ("Persian", 61, 32),
    ("Russian", 39, 23),
    ("Korean", 45, 27),
    ("Vietnamese", 46, 30),
    ("Chinese", 34, 24),
    ("Japanese", 37, 26),
    ("Turkish", 39, 30),
    ("Italian", 34, 28),
    ("German", 34, 29),
    ("Spanish", 29, 26),
    ("Portuguese", 30, 27),
    ("French", 31, 28),
    ("English", 27, 24),
]
CORPUS = tokstats.load_corpus("gpt4o-launch")
ENTRIES = {e["language"]: e for e in CORPUS.entries}


def count(text: str, encoding: str) -> int:
    return len(tokstats.get_encoding(encoding).encode_ordinary(text))


def test_published_figures_in_published_order() -> None:
    got = [(e["language"], e["published"]["cl100k_base"], e["published"]["o200k_base"]) for e in CORPUS.entries]
    assert got == PUBLISHED


@pytest.mark.parametrize("language,old,new", PUBLISHED)
def test_published_ratio_and_label(language: str, old: int, new: int) -> None:
    published = ENTRIES[language]["published"]
    assert published["ratio"] == round(old / new, 1)
    assert published["label"] == f"{published['ratio']}x fewer tokens (from {old} to {new})"


def test_displayed_text_is_the_stored_copy_byte_for_byte() -> None:
    tsv = _corpora_dir() / "sources" / "gpt4o-launch-table.tsv"
    with tsv.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert [r["language"] for r in rows] == [p[0] for p in PUBLISHED]
    for r in rows:
        entry = ENTRIES[r["language"]]
        assert entry["text"].encode("utf-8") == r["displayed_text"].encode("utf-8")
        assert entry["published"]["label"] == r["published_label"]
        assert (entry["published"]["cl100k_base"], entry["published"]["o200k_base"]) == (
            int(r["published_cl100k"]),
            int(r["published_o200k"]),
        )


@pytest.mark.parametrize("language,old,new", PUBLISHED)
def test_each_sentence_reproduces_the_published_counts(language: str, old: int, new: int) -> None:
    entry = ENTRIES[language]
    text = entry.get("reproducing_text", entry["text"])
    assert (count(text, "cl100k_base"), count(text, "o200k_base")) == (old, new)


def test_mismatches_are_recorded_not_hidden() -> None:
    differing = {lang for lang, e in ENTRIES.items() if e.get("reproducing_text")}
    assert differing == {"Persian", "Italian"}
    for lang in differing:
        e = ENTRIES[lang]
        assert e["reproducing_text"] != e["text"]
        assert e["note"] and len(e["evidence"]) > 200
        displayed = (count(e["text"], "cl100k_base"), count(e["text"], "o200k_base"))
        assert displayed != (e["published"]["cl100k_base"], e["published"]["o200k_base"])
    for lang, e in ENTRIES.items():
        if lang not in differing:
            assert (count(e["text"], "cl100k_base"), count(e["text"], "o200k_base")) == (
                e["published"]["cl100k_base"],
                e["published"]["o200k_base"],
            ), lang


def test_every_recorded_alternative_measures_as_recorded() -> None:
    seen = 0
    for e in CORPUS.entries:
        for alt in e.get("alternatives", []):
            assert (count(alt["text"], "cl100k_base"), count(alt["text"], "o200k_base")) == (
                alt["cl100k_base"],
                alt["o200k_base"],
            ), (e["language"], alt["what"])
            seen += 1
    assert seen >= 10


def test_entries_carry_provenance() -> None:
    for key in ("source_url", "published_date", "publisher", "copied", "licence"):
        assert CORPUS.meta[key]
    for e in CORPUS.entries:
        for key in ("language", "iso639_1", "iso639_3", "script", "family", "text", "source_url", "published_date"):
            assert e[key], (e["language"], key)
        assert len(e["iso639_1"]) == 2 and len(e["iso639_3"]) == 3 and len(e["script"]) == 4


def test_corpus_hash_is_of_the_file_bytes() -> None:
    import hashlib

    raw = (Path(_corpora_dir()) / "gpt4o-launch.json").read_bytes()
    assert CORPUS.sha256 == hashlib.sha256(raw).hexdigest()
    assert "gpt4o-launch" in tokstats.list_corpora()


def test_unknown_corpus() -> None:
    with pytest.raises(tokstats.UnknownNameError, match="unknown corpus 'nope'; known corpora: .*gpt4o-launch"):
        tokstats.load_corpus("nope")
