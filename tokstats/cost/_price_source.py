"""The maintained price source: a snapshot of genai-prices' OpenAI data, read offline.

`genai-prices <https://github.com/pydantic/genai-prices>`_ (Pydantic, MIT licence) keeps the
prices of LLM APIs per provider and model, with the dates prices changed. tokstats ships a copy
of its OpenAI data (``_data/genai_prices_openai.json``, written by
``scripts/vendor_genai_prices.py`` from the released package; provenance inside the file) and
reads it here with the package's own rules, so that run time needs neither pydantic nor the
network, the numbers are the package's decimal strings, and a forecast names the exact data it
used (package version and the snapshot's sha256 in the signature).

The rules reproduced from genai-prices 0.2.x (``types.py``):

* a model reference is lower-cased and matched against each model's clause (equals,
  starts_with, ends_with, contains, regex searched, or/and) in the data's order, first match
  wins; a reference with a compact date (``-20250416``) is retried as ``-2025-04-16``;
* a model's prices are a list of conditional prices tried last to first: the last one whose start
  date is on or before the day applies; if none does, the first applies;
* a price variant (``{"processing": "batch"}``, service tiers) overrides, key by key, the prices
  it gives, from its own start date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).with_name("_data") / "genai_prices_openai.json"

#: A price value: a decimal string, or tiered ``{"base": "2.5", "tiers": [[272000, "5"]]}``.
PriceValue = str | dict[str, Any]

_COMPACT_DATE = re.compile(r"(-)(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)")
BATCH = {"processing": "batch"}


def _day(constraint: Mapping[str, str] | None) -> dt.date | None:
    if not constraint:
        return None
    if "start_date" not in constraint:
        raise ValueError(f"unsupported price constraint {constraint!r}")
    return dt.date.fromisoformat(constraint["start_date"])


def clause_matches(clause: Mapping[str, Any], ref: str) -> bool:
    """Whether a genai-prices match clause (as stored in the snapshot) matches ``ref``."""
    if "or" in clause:
        return any(clause_matches(c, ref) for c in clause["or"])
    if "and" in clause:
        return all(clause_matches(c, ref) for c in clause["and"])
    if "equals" in clause:
        return ref == clause["equals"]
    if "starts_with" in clause:
        return ref.startswith(clause["starts_with"])
    if "ends_with" in clause:
        return ref.endswith(clause["ends_with"])
    if "contains" in clause:
        return clause["contains"] in ref
    if "regex" in clause:
        return re.search(clause["regex"], ref) is not None
    raise ValueError(f"unsupported match clause {clause!r}")


def exact_names(clause: Mapping[str, Any]) -> list[str]:
    """The names a clause matches exactly (its ``equals`` parts), in order."""
    if "or" in clause:
        return [n for c in clause["or"] for n in exact_names(c)]
    return [clause["equals"]] if "equals" in clause else []


@dataclass(frozen=True)
class DatedPrices:
    """One set of prices and the day it starts (None: the model's first recorded price)."""

    start: dt.date | None
    prices: Mapping[str, PriceValue]


@dataclass(frozen=True)
class Variant:
    """Prices selected by a request context (e.g. batch), from ``start`` on."""

    when: Mapping[str, str]
    start: dt.date | None
    prices: Mapping[str, PriceValue]


@dataclass(frozen=True)
class SourceModel:
    """One model entry of the source: how names match it, its window, its dated prices."""

    id: str
    name: str | None
    match: Mapping[str, Any]
    context_window: int | None
    deprecated: bool
    comments: str | None
    prices: tuple[DatedPrices, ...]
    variants: tuple[Variant, ...]

    def matches(self, ref: str) -> bool:
        """Whether the (lower-cased) reference names this model."""
        return clause_matches(self.match, ref.lower())

    @property
    def names(self) -> list[str]:
        """The exact names that select this model (dated snapshots among them)."""
        return exact_names(self.match)

    def prices_on(self, day: dt.date) -> tuple[DatedPrices, dt.date | None]:
        """The prices in force on ``day`` (genai-prices' rule) and the day they stop, if recorded."""
        chosen = 0
        for i in range(len(self.prices) - 1, -1, -1):
            start = self.prices[i].start
            if start is None or start <= day:
                chosen = i
                break
        later = [p.start for p in self.prices[chosen + 1 :] if p.start is not None and p.start > day]
        return self.prices[chosen], (min(later) if later else None)

    def variant(self, when: Mapping[str, str]) -> Variant | None:
        """The first variant selected by exactly ``when`` (e.g. ``BATCH``), if the source has one."""
        return next((v for v in self.variants if dict(v.when) == dict(when)), None)


@dataclass(frozen=True)
class PriceSource:
    """The snapshot: its provenance and the models in the source's order."""

    provenance: Mapping[str, Any]
    sha256: str
    models: tuple[SourceModel, ...]
    path: str

    @property
    def version(self) -> str:
        """The genai-prices version the snapshot was copied from."""
        return str(self.provenance["version"])

    @property
    def label(self) -> str:
        """``genai-prices 0.2.3``: how rows name their source."""
        return f"{self.provenance['package']} {self.version}"

    @property
    def url(self) -> str:
        """The provider's pricing page the source cites first."""
        urls = self.provenance.get("pricing_urls") or [""]
        return str(urls[0])

    def describe(self) -> str:
        """Short provenance for signatures: ``genai-prices-0.2.3@<sha12 of the snapshot>``."""
        return f"{self.provenance['package']}-{self.version}@{self.sha256[:12]}"

    def find(self, ref: str) -> SourceModel | None:
        """The model ``ref`` names, by genai-prices' matching rules, or None."""
        ref = ref.lower()
        for candidate in (ref, _COMPACT_DATE.sub(_dashed, ref)):
            for model in self.models:
                if model.matches(candidate):
                    return model
        return None

    def all_names(self) -> dict[str, SourceModel]:
        """Every exact name in the source and the model it selects."""
        out: dict[str, SourceModel] = {}
        for model in self.models:
            for name in model.names:
                out.setdefault(name, model)
        return out


def _dashed(m: re.Match[str]) -> str:
    year, month, day = int(m.group(2)), int(m.group(3)), int(m.group(4))
    try:
        dt.date(year, month, day)
    except ValueError:
        return m.group(0)
    return f"-{year:04d}-{month:02d}-{day:02d}"


def _model(raw: Mapping[str, Any]) -> SourceModel:
    return SourceModel(
        id=raw["id"],
        name=raw.get("name"),
        match=raw["match"],
        context_window=raw.get("context_window"),
        deprecated=bool(raw.get("deprecated")),
        comments=raw.get("price_comments"),
        prices=tuple(DatedPrices(_day(p.get("constraint")), p["prices"]) for p in raw["prices"]),
        variants=tuple(Variant(v["when"], _day(v.get("constraint")), v["prices"]) for v in raw.get("variants", [])),
    )


def read_source(path: str | Path = SNAPSHOT) -> PriceSource:
    """Read a snapshot file (see ``scripts/vendor_genai_prices.py``)."""
    data = Path(path).read_bytes()
    obj = json.loads(data)
    return PriceSource(
        provenance=obj["source"],
        sha256=hashlib.sha256(data).hexdigest(),
        models=tuple(_model(m) for m in obj["models"]),
        path=str(path),
    )


@cache
def load_source() -> PriceSource:
    """The snapshot shipped with tokstats (read once)."""
    return read_source(SNAPSHOT)
