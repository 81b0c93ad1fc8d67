"""The corpus registry: which corpora ship with tokstats, where their files are, and their hashes.

A corpus is one JSON file in ``corpora/`` (installed as the ``tokstats.corpora`` package), plain
(``NAME.json``) or gzip-compressed (``NAME.json.gz``, for the large udhr). Its sha256 over the
exact file bytes goes into every signature, so a reader can tell whether a number was measured on
the same text.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from tokstats._api import shown
from tokstats.errors import InputError, ParameterError, UnknownNameError
from tokstats.sources._textio import decode_exact, loads_json, read_bytes


def _corpora_dir() -> Path:
    """The folder holding the corpus files: the installed package, or ``corpora/`` in a checkout."""
    try:
        return Path(str(resources.files("tokstats.corpora")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent.parent / "corpora"


def list_corpora() -> list[str]:
    """Names of the corpora that ship with tokstats. Raises nothing of its own (no parameters)."""
    return sorted(_files())


def _files() -> dict[str, Path]:
    """Corpus name -> its file (``NAME.json`` or ``NAME.json.gz``)."""
    folder = _corpora_dir()
    files = {p.name.removesuffix(".gz").removesuffix(".json"): p for p in folder.glob("*.json.gz")}
    files.update({p.stem: p for p in folder.glob("*.json")})
    return files


@dataclass(frozen=True)
class Corpus:
    """A loaded corpus file: its name, sha256, metadata (provenance) and entries."""

    name: str
    sha256: str
    meta: dict[str, Any] = field(repr=False)
    entries: list[dict[str, Any]] = field(repr=False)

    @property
    def short_hash(self) -> str:
        """The first 12 hex digits of the sha256, as printed in short signatures."""
        return self.sha256[:12]


def load_corpus(name: str) -> Corpus:
    """Load a shipped corpus by name (see ``list_corpora``).

    Only a name is accepted: a path (``/tmp/x.json``, ``../x``) is an unknown corpus, so a file
    can never pass for a built-in one. Load your own corpus file with ``load_corpus_file``.

    Raises ``ParameterError`` (an ``InputError``) for
    a ``name`` that is not a str, ``UnknownNameError`` for an unknown one.
    """
    if not isinstance(name, str):  # checked before the cache, which would hash it
        raise ParameterError("name", f"name must be a corpus name (a str), not {shown(name)}")
    return _load_corpus(name)


@cache
def _load_corpus(name: str) -> Corpus:
    files = _files()
    if name not in files:
        raise UnknownNameError("corpus", name, sorted(files), plural="corpora")
    raw = files[name].read_bytes()
    text = gzip.decompress(raw) if files[name].suffix == ".gz" else raw
    return _parse(name, text, f"corpus {name}", sha256=hashlib.sha256(raw).hexdigest())


def load_corpus_file(path: str | os.PathLike[str]) -> Corpus:
    """Load a corpus from a JSON file of your own (``--corpus-file``), in the shipped format:
    an object with ``entries``, a list of objects (see ``corpora/README.md``).

    The corpus is named after the file (``user:<stem>``), so a signature never mistakes it for a
    shipped corpus; its sha256 is of the file's bytes. Raises ``InputError`` naming the file
    for a file that cannot be read, is not JSON (or nested too deeply), or has no entries list.
    """
    name = os.fspath(path)
    return _parse(f"user:{Path(name).stem}", read_bytes(name), name)


def _parse(name: str, raw: bytes, where: str, sha256: str | None = None) -> Corpus:
    data = loads_json(decode_exact(raw, where), where)
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise InputError(f'{where}: not a corpus: expected a JSON object with an "entries" list of objects')
    meta = {k: v for k, v in data.items() if k != "entries"}
    return Corpus(name=name, sha256=sha256 or hashlib.sha256(raw).hexdigest(), meta=meta, entries=entries)


def corpus_summary(corpus: Corpus) -> dict[str, Any]:
    """One line about a corpus: name, title, size, source, date, licence, caveat and sha256."""
    meta = corpus.meta
    languages = meta.get("languages")
    n_languages = len(languages) if languages else len({e.get("language") for e in corpus.entries})
    return {
        "name": corpus.name,
        "title": meta.get("title"),
        "entries": len(corpus.entries),
        "languages": n_languages,
        "source": meta.get("source_url") or "original text, written and translated for tokstats",
        "date": meta.get("published_date") or meta.get("created"),
        "licence": meta.get("licence"),
        "caveat": meta.get("caveat"),
        "sha256": corpus.sha256,
    }
