"""Published per-language premiums (FLORES-200) beside tokstats' own premiums on its corpora.

The published figures are copies kept in ``corpora/published/`` with their provenance in
``studies.json``: citation, URL, split, definition, copy date and the sha256 of each file (checked
on load). Each study gives, per language and encoding, either totals (the premium is then
computed here as ``total(language) / total(English)``, Petrov et al. 2023) or the premium itself.

``compare_with_studies`` measures the premium of every language of tokstats' corpora (the
same definition: tokens of the language's text ÷ tokens of the English text, summed over
aligned units) and sets it beside each published figure for that language and encoding, with
the difference. ``studies_summary`` condenses that into how far each corpus is from each
study: median and largest absolute difference, and the rank correlation over languages.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokstats._api import check_int, check_names, check_specs
from tokstats.comparison._bootstrap import BootstrapConfig
from tokstats.comparison._compare import compare_rows
from tokstats.defaults import DEFAULT_TOKENIZERS, RESAMPLES_RANGE, SEED_RANGE
from tokstats.errors import InputError, UnknownNameError
from tokstats.output._signature import build_signature
from tokstats.sources._corpus import _corpora_dir, load_corpus

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_CORPORA = ("udhr", "parallel")
DEFAULT_ENCODINGS = DEFAULT_TOKENIZERS
COLUMNS = [
    "source",
    "language",
    "encoding",
    "study",
    "split",
    "published",
    "corpus",
    "premium",
    "premium_ci_low",
    "premium_ci_high",
    "difference",
    "difference_pct",
]
SUMMARY_COLUMNS = [
    "corpus",
    "encoding",
    "study",
    "languages",
    "mean_difference_pct",
    "median_abs_difference_pct",
    "max_abs_difference_pct",
    "max_abs_language",
    "rank_correlation",
]


@dataclass(frozen=True)
class Study:
    """One published table: where it is from, what it measured, and its figures."""

    id: str
    citation: str
    url: str
    data_url: str
    split: str
    definition: str
    file: str
    sha256: str
    #: tokstats language code -> premium, per encoding name
    premiums: dict[str, dict[str, float]] = field(repr=False)

    def languages(self, encoding: str) -> list[str]:
        """Codes of the languages this study gives a premium for under ``encoding``."""
        return list(self.premiums.get(encoding, {}))


def _published_dir() -> Path:
    return _corpora_dir() / "published"


def _flores_matches(entry: dict[str, Any], names: set[str], flores: dict[str, Any]) -> dict[str, str]:
    """udhr language code -> a study's row name, for every row whose FLORES-200 code (ISO 639-3 and
    script) is that of a udhr language (``studies.json``: ``flores200_languages``); the study's
    own ``languages`` map wins, and where several udhr languages match, the curated one, else the
    first in corpus order."""
    raw = (_published_dir() / flores["file"]).read_bytes()
    if hashlib.sha256(raw).hexdigest() != flores["sha256"]:
        raise InputError(
            f"published data {flores['file']}: sha256 does not match the recorded one (reinstall tokstats)"
        )
    table = dict(line.split("\t") for line in raw.decode("utf-8").splitlines()[1:] if line)
    udhr = load_corpus("udhr").meta.get("languages") or []
    by_key: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for lang in udhr:
        by_key.setdefault((lang["iso639_3"], lang["script"]), []).append(lang)
    taken = set(entry["languages"].values())
    out: dict[str, str] = {}
    for name, code in table.items():
        if name not in names or name in taken:
            continue
        iso, _, script = code.partition("_")
        found = sorted(by_key.get((iso, script), []), key=lambda x: not x.get("default"))
        if found and found[0]["code"] not in entry["languages"]:
            out[found[0]["code"]] = name
    return out


def _premiums(entry: dict[str, Any], raw: bytes, flores: dict[str, Any] | None = None) -> dict[str, dict[str, float]]:
    """Premium per encoding and language from one study file, as its ``format`` describes."""
    langs: dict[str, str] = entry["languages"]
    ref = entry["reference"]
    out: dict[str, dict[str, float]] = {}
    if entry["file"].endswith(".csv"):
        table = {r["Language"]: r for r in csv.DictReader(io.StringIO(raw.decode("utf-8")))}
        if entry.get("match_udhr") and flores:
            langs = {**langs, **_flores_matches(entry, set(table), flores)}
        for enc, column in entry["encodings"].items():
            total_ref = float(table[ref][column])
            out[enc] = {code: float(table[name][column]) / total_ref for code, name in langs.items() if name in table}
        return out
    data = json.loads(raw.decode("utf-8"))
    for enc, key in entry["encodings"].items():
        if isinstance(key, int):  # {"premium": {code: [p_enc0, p_enc1]}}
            out[enc] = {code: float(data["premium"][k][key]) for code, k in langs.items() if k in data["premium"]}
        else:  # {flores_code: {enc_key: total}}
            total_ref = float(data[ref][key])
            out[enc] = {code: float(data[k][key]) / total_ref for code, k in langs.items() if k in data}
    return out


@cache
def load_studies() -> tuple[Study, ...]:
    """The published studies shipped in ``corpora/published/``, each file checked by sha256.

    Raises ``InputError`` for a shipped file whose sha256 does not match.
    """
    folder = _published_dir()
    meta = json.loads((folder / "studies.json").read_text("utf-8"))
    studies = []
    for entry in meta["studies"]:
        raw = (folder / entry["file"]).read_bytes()
        actual = hashlib.sha256(raw).hexdigest()
        if actual != entry["sha256"]:
            raise InputError(
                f"published data {entry['file']}: sha256 {actual} does not match the recorded "
                f"{entry['sha256']} (the copy was changed; reinstall tokstats)"
            )
        studies.append(
            Study(
                id=entry["id"],
                citation=entry["citation"],
                url=entry["url"],
                data_url=entry["data_url"],
                split=entry["split"],
                definition=entry["definition"],
                file=entry["file"],
                sha256=actual,
                premiums=_premiums(entry, raw, meta.get("flores200_languages")),
            )
        )
    return tuple(studies)


def _select(studies: Sequence[str] | None) -> list[Study]:
    known = load_studies()
    if studies is None:
        return list(known)
    by_id = {s.id: s for s in known}
    for name in studies:
        if name not in by_id:
            raise UnknownNameError("study", name, by_id, plural="studies")
    return [by_id[name] for name in studies]


def compare_with_studies_rows(
    corpora: Sequence[str] = DEFAULT_CORPORA,
    encodings: Sequence[str] = DEFAULT_ENCODINGS,
    studies: Sequence[str] | None = None,
    *,
    resamples: int = 2000,
    seed: int = 20261123,
) -> tuple[list[dict[str, Any]], Any]:
    """Rows (plain dicts, ``COLUMNS``) and the signature: see ``compare_with_studies``."""
    chosen = _select(studies)
    encs = list(encodings)
    config = BootstrapConfig(resamples=resamples, seed=seed)
    measured: dict[str, dict[str, dict[str, Any]]] = {}
    names: dict[str, str] = {}
    loaded = []
    for name in corpora:
        corpus = load_corpus(name)
        loaded.append(corpus)
        languages = None
        if corpus.meta.get("default_languages"):  # the default set and every language a study has
            have = {code for s in chosen for p in s.premiums.values() for code in p}
            known = {lang["code"] for lang in corpus.meta.get("languages") or []}
            languages = [
                *corpus.meta["default_languages"],
                *sorted((have & known) - set(corpus.meta["default_languages"])),
            ]
        result = compare_rows(corpus=corpus, tokenizers=encs, config=config, languages=languages, words=False)
        measured[name] = {r["source"]: r for r in result.rows}
        for r in result.rows:
            names.setdefault(r["source"], r["language"])
    order = list(dict.fromkeys(code for rows in measured.values() for code in rows))
    rows: list[dict[str, Any]] = []
    for code in order:
        for enc in encs:
            for study in chosen:
                published = study.premiums.get(enc, {}).get(code)
                if published is None:
                    continue
                for name in corpora:
                    m = measured[name].get(code)
                    value = None if m is None else m["premium"][enc]
                    rows.append(
                        {
                            "source": code,
                            "language": names.get(code),
                            "encoding": enc,
                            "study": study.id,
                            "split": study.split,
                            "published": published,
                            "corpus": name,
                            "premium": value,
                            "premium_ci_low": None if m is None else m["premium_ci_low"][enc],
                            "premium_ci_high": None if m is None else m["premium_ci_high"][enc],
                            "difference": None if value is None else value - published,
                            "difference_pct": None if value is None else 100 * (value / published - 1),
                        }
                    )
    settings = {
        "count": "encode_ordinary",
        "reference": "en",
        **config.settings(),
        "corpora": ",".join(f"{c.name}@{c.sha256[:12]}" for c in loaded),
        "studies": ",".join(f"{s.id}@{s.sha256[:12]}" for s in chosen),
    }
    return rows, build_signature(encs, **settings)


def _check_door(corpora: Any, encodings: Any, studies: Any) -> tuple[list[str], list[Any], list[str] | None]:
    """The checks ``compare_with_studies`` and ``studies_summary`` share, at their entry."""
    return (
        check_names("corpora", corpora, "corpus name"),
        check_specs("encodings", encodings),
        None if studies is None else check_names("studies", studies, "study id"),
    )


def compare_with_studies(
    corpora: Sequence[str] = DEFAULT_CORPORA,
    encodings: Sequence[str] = DEFAULT_ENCODINGS,
    studies: Sequence[str] | None = None,
    *,
    resamples: int = 2000,
    seed: int = 20261123,
) -> pd.DataFrame:
    """Published premiums beside tokstats' premiums on ``corpora``, one row per language,
    encoding, study and corpus (``COLUMNS``).

    ``published`` is the study's premium on its ``split``; ``premium`` (with its 95% bootstrap
    interval) is tokstats' on the corpus; ``difference = premium - published`` and
    ``difference_pct = 100 × (premium / published − 1)``. Languages a corpus lacks have
    ``premium`` None; languages a study lacks have no row. ``df.attrs["signature"]`` records
    encodings, corpora and studies with their hashes. One name may stand for a list.

    Raises ``ParameterError`` (an ``InputError``)
    naming the parameter for a value of the wrong type or out of range (``resamples`` 1-100,000,
    ``seed`` 0-2**63-1); ``UnknownNameError`` for an unknown corpus, study
    or tokenizer.
    """
    corpora, encodings, studies = _check_door(corpora, encodings, studies)
    check_int("resamples", resamples, RESAMPLES_RANGE)
    check_int("seed", seed, SEED_RANGE)
    import pandas as pd

    rows, signature = compare_with_studies_rows(corpora, encodings, studies, resamples=resamples, seed=seed)
    df = pd.DataFrame(rows, columns=COLUMNS)
    df.attrs["signature"] = signature
    return df


def _rank(values: list[float]) -> list[float]:
    """Ranks 1..n, ties given their mean rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: list[float], ys: list[float]) -> float | None:
    """Spearman's rank correlation: Pearson's correlation of the ranks (None below 3 pairs)."""
    if len(xs) != len(ys):
        raise ValueError("xs and ys differ in length")
    if len(xs) < 3:
        return None
    rx, ry = _rank(xs), _rank(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return None if vx == 0 or vy == 0 else cov / (vx * vy) ** 0.5


def summary_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """How far each corpus is from each study, per encoding (``SUMMARY_COLUMNS``).

    Over the languages both have, English excluded (its premium is 1 by definition): mean signed
    and median absolute ``difference_pct``, the largest absolute one and its language, and the
    Spearman rank correlation of the premiums.
    """
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for r in rows:
        if r["premium"] is None or r["source"] == "en":
            continue
        groups.setdefault((r["corpus"], r["encoding"], r["study"]), []).append(r)
    out = []
    for (corpus, enc, study), members in groups.items():
        diffs = [r["difference_pct"] for r in members]
        absd = sorted(abs(d) for d in diffs)
        n = len(absd)
        median = absd[n // 2] if n % 2 else (absd[n // 2 - 1] + absd[n // 2]) / 2
        worst = max(members, key=lambda r: abs(r["difference_pct"]))
        out.append(
            {
                "corpus": corpus,
                "encoding": enc,
                "study": study,
                "languages": n,
                "mean_difference_pct": sum(diffs) / n,
                "median_abs_difference_pct": median,
                "max_abs_difference_pct": worst["difference_pct"],
                "max_abs_language": worst["source"],
                "rank_correlation": spearman([r["published"] for r in members], [r["premium"] for r in members]),
            }
        )
    return out


def studies_summary(
    corpora: Sequence[str] = DEFAULT_CORPORA,
    encodings: Sequence[str] = DEFAULT_ENCODINGS,
    studies: Sequence[str] | None = None,
) -> pd.DataFrame:
    """How far each corpus is from each published study (see ``summary_rows``).

    Raises ``ParameterError`` (an ``InputError``)
    naming the parameter for a value of the wrong type; ``UnknownNameError``
    for an unknown corpus, study or tokenizer.
    """
    corpora, encodings, studies = _check_door(corpora, encodings, studies)
    import pandas as pd

    rows, signature = compare_with_studies_rows(corpora, encodings, studies)
    df = pd.DataFrame(summary_rows(rows), columns=SUMMARY_COLUMNS)
    df.attrs["signature"] = signature
    return df
