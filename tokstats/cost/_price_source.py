"""The maintained price source: a snapshot of genai-prices' data, every provider, read offline.

`genai-prices <https://github.com/pydantic/genai-prices>`_ (Pydantic, MIT licence) keeps the
prices of LLM APIs per provider and model, with the dates prices changed. tokstats ships a copy
of its data (``_data/genai_prices.json``, written by
``scripts/vendor_genai_prices.py`` from the released package; provenance inside the file) and
reads it here with the package's own rules, so that run time needs neither pydantic nor the
network, the numbers are the package's decimal strings, and a forecast names the exact data it
used (package version and the snapshot's sha256 in the signature).

The rules reproduced from genai-prices 0.2.x (``types.py``, ``data_snapshot.py``):

* a model reference is lower-cased and matched against each of a provider's models' clause
  (equals, starts_with, ends_with, contains, regex searched, or/and) in the data's order, first
  match wins; a reference with a compact date (``-20250416``) is retried as ``-2025-04-16``;
  a provider that falls back to others (Azure to OpenAI …) tries theirs next, one step deep;
* a provider named by the user is found by its id, else by its ``provider_match`` clause;
  a bare model name goes to the first provider whose ``model_match`` clause matches it
  (``gpt-4o`` -> openai, ``mistral-large-2411`` -> mistral, ``claude-…`` -> anthropic). tokstats
  adds one rule where genai-prices gives up: a bare name no provider claims is looked up in
  every provider, and served by exactly one it resolves there (several: ``AmbiguousModelError``);
* a model's prices are a list of conditional prices tried last to first: the last one whose start
  date is on or before the day applies; if none does, the first applies; a price that holds
  only at some hours of each day (DeepSeek's peak hours) is taken as it stands at 12:00 UTC;
* a price variant (``{"processing": "batch"}``, service tiers) overrides, key by key, the prices
  it gives, from its own start date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from tokstats.errors import InputError

SNAPSHOT = Path(__file__).with_name("_data") / "genai_prices.json"

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
    """Whether a genai-prices match clause (as stored in the snapshot) matches ``ref``: text
    clauses compare case-insensitively, a regex is searched as written (genai-prices' rules)."""
    if "or" in clause:
        return any(clause_matches(c, ref) for c in clause["or"])
    if "and" in clause:
        return all(clause_matches(c, ref) for c in clause["and"])
    if "equals" in clause:
        return ref.lower() == clause["equals"].lower()
    if "starts_with" in clause:
        return ref.lower().startswith(clause["starts_with"].lower())
    if "ends_with" in clause:
        return ref.lower().endswith(clause["ends_with"].lower())
    if "contains" in clause:
        return clause["contains"].lower() in ref.lower()
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
    #: For a price that holds only at some hours of each day: (start, end) minutes of the UTC day.
    window: tuple[int, int] | None = None

    def in_force_at_noon(self) -> bool:
        """Whether a time-of-day price holds at 12:00 UTC (genai-prices' interval rule)."""
        if self.window is None:
            return True
        start, end = self.window
        return (NOON >= start or NOON < end) if end < start else start <= NOON < end


#: The time of day a day's price is quoted for, where a source prices hours differently.
NOON = 12 * 60


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
    provider: str = "openai"

    @property
    def key(self) -> str:
        """``provider:id``: the name that selects this entry and no other."""
        return f"{self.provider}:{self.id}"

    def matches(self, ref: str) -> bool:
        """Whether the (lower-cased) reference names this model."""
        return clause_matches(self.match, ref.lower())

    @property
    def hourly(self) -> bool:
        """Whether the source prices some hours of the day differently (quoted at 12:00 UTC)."""
        return any(p.window is not None for p in self.prices)

    @property
    def label(self) -> str:
        """``provider:name``: the entry's first exact name (its id if it has none) under its provider."""
        names = self.names
        return f"{self.provider}:{names[0] if names else self.id}"

    @property
    def names(self) -> list[str]:
        """The exact names that select this model (dated snapshots among them)."""
        return exact_names(self.match)

    def prices_on(self, day: dt.date) -> tuple[DatedPrices, dt.date | None]:
        """The prices in force on ``day`` (genai-prices' rule) and the day they stop, if recorded."""
        chosen = 0
        for i in range(len(self.prices) - 1, -1, -1):
            start = self.prices[i].start
            if self.prices[i].window is not None:
                if self.prices[i].in_force_at_noon():
                    chosen = i
                    break
            elif start is None or start <= day:
                chosen = i
                break
        later = [p.start for p in self.prices[chosen + 1 :] if p.start is not None and p.start > day]
        return self.prices[chosen], (min(later) if later else None)

    def variant(self, when: Mapping[str, str]) -> Variant | None:
        """The first variant selected by exactly ``when`` (e.g. ``BATCH``), if the source has one."""
        return next((v for v in self.variants if dict(v.when) == dict(when)), None)


class AmbiguousModelError(InputError):
    """A bare model name that several providers serve and none of them makes."""


@dataclass(frozen=True)
class Provider:
    """One provider of the source: its id and name, how it is recognised, its models in order."""

    id: str
    name: str
    pricing_urls: tuple[str, ...]
    model_match: Mapping[str, Any] | None
    provider_match: Mapping[str, Any] | None
    fallbacks: tuple[str, ...]
    models: tuple[SourceModel, ...] = field(repr=False)

    def own_model(self, ref: str) -> SourceModel | None:
        """The first of this provider's own models that ``ref`` names (compact dates retried)."""
        ref = ref.lower()
        for candidate in dict.fromkeys((ref, _COMPACT_DATE.sub(_dashed, ref))):
            for model in self.models:
                if model.matches(candidate):
                    return model
        return None


@dataclass(frozen=True)
class Resolved:
    """What a model reference names: the provider, the entry that prices it, the bare name."""

    provider: Provider
    model: SourceModel
    name: str

    @property
    def qualified(self) -> str:
        """``provider:name`` (the bare name as given, under the provider that serves it)."""
        return f"{self.provider.id}:{self.name}"


@dataclass(frozen=True)
class PriceSource:
    """The snapshot: its provenance and its providers (with their models) in the source's order."""

    provenance: Mapping[str, Any]
    sha256: str
    providers: tuple[Provider, ...]
    path: str

    @property
    def models(self) -> tuple[SourceModel, ...]:
        """Every model entry of every provider, in the source's order."""
        return tuple(m for p in self.providers for m in p.models)

    @property
    def version(self) -> str:
        """The genai-prices version the snapshot was copied from."""
        return str(self.provenance["version"])

    @property
    def label(self) -> str:
        """``genai-prices 0.2.3``: how rows name their source."""
        return f"{self.provenance['package']} {self.version}"

    def url_of(self, provider: str) -> str:
        """The first pricing page the source cites for ``provider`` ('' if none)."""
        found = self.provider(provider)
        return found.pricing_urls[0] if found and found.pricing_urls else ""

    def describe(self) -> str:
        """Short provenance for signatures: ``genai-prices-0.2.3@<sha12 of the snapshot>``."""
        return f"{self.provenance['package']}-{self.version}@{self.sha256[:12]}"

    def provider(self, ref: str) -> Provider | None:
        """The provider ``ref`` names: its id, else its ``provider_match`` clause (``xai`` -> x-ai)."""
        ref = ref.strip().lower()
        for provider in self.providers:
            if provider.id == ref:
                return provider
        if not _PROVIDER_WORD.fullmatch(ref):
            return None
        for provider in self.providers:
            if provider.provider_match is not None and clause_matches(provider.provider_match, ref):
                return provider
        return None

    def split(self, ref: str) -> tuple[Provider | None, str]:
        """``groq:llama-3.3-70b-versatile`` -> (groq, the bare name); a bare name -> (None, name).
        Only a known provider before the first ``:`` counts (``amazon.nova-lite-v1:0`` is bare)."""
        head, sep, rest = ref.partition(":")
        if sep and rest and _PROVIDER_WORD.fullmatch(head.strip().lower()):
            provider = self.provider(head)
            if provider is not None:
                return provider, rest.strip()
        return None, ref.strip()

    def in_provider(self, provider: Provider, name: str) -> SourceModel | None:
        """``name`` among ``provider``'s models, then those of the providers it falls back to."""
        found = provider.own_model(name)
        if found is not None:
            return found
        for other in provider.fallbacks:
            fallback = self.provider(other)
            if fallback is not None and (found := fallback.own_model(name)) is not None:
                return found
        return None

    def servers(self, name: str) -> list[Resolved]:
        """Every provider whose own models include ``name``, with the entry that prices it there."""
        out = []
        for provider in self.providers:
            found = provider.own_model(name)
            if found is not None:
                out.append(Resolved(provider, found, name))
        return out

    def resolve(self, ref: str) -> Resolved | None:
        """The provider and entry ``ref`` names (``provider:name`` or a bare name), or None.

        A bare name goes to the maker's own API: the first provider whose ``model_match``
        claims it and that prices it; else to the one provider that serves it. Raises
        ``AmbiguousModelError`` (one line, the providers listed) when several serve it.
        """
        provider, name = self.split(ref)
        if provider is not None:
            found = self.in_provider(provider, name)
            if found is not None:
                return Resolved(provider, found, name)
            if provider.id == ref.partition(":")[0].strip().lower():
                return None
            provider, name = None, ref.strip()  # ``mistral-nemo:free``: a bare name after all
        lower = name.lower()
        for provider in self.providers:
            if provider.model_match is not None and clause_matches(provider.model_match, lower):
                found = self.in_provider(provider, name)
                if found is not None:
                    return Resolved(provider, found, name)
        servers = self.servers(name)
        maker = _maker(name)
        own = [r for r in servers if r.provider.id == maker]
        if len(servers) == 1 or own:
            return (own or servers)[0]
        if servers:
            listed = ", ".join(r.qualified for r in servers[:12])
            more = f" and {len(servers) - 12} more" if len(servers) > 12 else ""
            raise AmbiguousModelError(
                f"model {name!r} is served by {len(servers)} providers: name one as PROVIDER:MODEL, e.g. {listed}{more}"
            )
        return None

    def find(self, ref: str) -> SourceModel | None:
        """The model entry ``ref`` names, by genai-prices' matching rules, or None."""
        found = self.resolve(ref)
        return found.model if found is not None else None

    def exact(self, ref: str) -> Resolved | None:
        """``ref`` by exact names only (no rules, no scan): quick enough for every row of a user's
        price file. A bare name goes to the first provider that lists it."""
        index: dict[tuple[str, str], SourceModel] = self.__dict__.get("_exact") or {}
        if not index:
            for model in reversed(self.models):  # the first entry that lists a name wins
                for name in model.names:
                    index[(model.provider, name.lower())] = model
                    index[("", name.lower())] = model
            object.__setattr__(self, "_exact", index)
        provider, name = self.split(ref)
        if provider is not None:
            found = index.get((provider.id, name.lower()))
            return Resolved(provider, found, name) if found is not None else None
        found = index.get(("", name.lower()))
        if found is None:
            return None
        owner = self.provider(found.provider)
        return Resolved(owner, found, name) if owner is not None else None

    def all_names(self, provider: str | None = None) -> dict[str, SourceModel]:
        """Every exact name in the source (of one provider if given) and the model it selects."""
        out: dict[str, SourceModel] = {}
        for model in self.models:
            if provider is None or model.provider == provider:
                for name in model.names:
                    out.setdefault(name, model)
        return out


def _maker(name: str) -> str | None:
    """The provider that makes a model, from its tokenizer: OpenAI's encodings -> ``openai``,
    Mistral's -> ``mistral`` (for a bare name the maker's model_match does not claim)."""
    from tokstats.errors import UnknownModelError
    from tokstats.tokenizers._encodings import list_encodings
    from tokstats.tokenizers._registry import spec_for_model

    try:
        spec = spec_for_model(name)
    except UnknownModelError:
        return None
    if spec.startswith("mistral-") or spec == "tekken":
        return "mistral"
    return "openai" if spec in list_encodings() and spec != "o200k_harmony" else None


#: What a provider prefix may look like (``groq``, ``huggingface_groq``, ``x-ai``).
_PROVIDER_WORD = re.compile(r"[a-z0-9_-]+")


def _dashed(m: re.Match[str]) -> str:
    year, month, day = int(m.group(2)), int(m.group(3)), int(m.group(4))
    try:
        dt.date(year, month, day)
    except ValueError:
        return m.group(0)
    return f"-{year:04d}-{month:02d}-{day:02d}"


def _time_of_day(price: Mapping[str, Any]) -> bool:
    """Whether a conditional price holds only at some hours of each day (peak / off-peak)."""
    return "start_time" in (price.get("constraint") or {})


def _utc_minute(text: str) -> int:
    t = dt.time.fromisoformat(text)
    offset = t.utcoffset()
    minutes = t.hour * 60 + t.minute - (int(offset.total_seconds()) // 60 if offset else 0)
    return minutes % (24 * 60)


def _window(constraint: Mapping[str, str]) -> tuple[int, int]:
    """A daily interval as (start, end) minutes of the UTC day."""
    return _utc_minute(constraint["start_time"]), _utc_minute(constraint["end_time"])


def _model(raw: Mapping[str, Any], provider: str) -> SourceModel:
    return SourceModel(
        provider=provider,
        id=raw["id"],
        name=raw.get("name"),
        match=raw["match"],
        context_window=raw.get("context_window"),
        deprecated=bool(raw.get("deprecated")),
        comments=raw.get("price_comments"),
        prices=tuple(
            DatedPrices(None, p["prices"], window=_window(p["constraint"]))
            if _time_of_day(p)
            else DatedPrices(_day(p.get("constraint")), p["prices"])
            for p in raw["prices"]
        ),
        variants=tuple(Variant(v["when"], _day(v.get("constraint")), v["prices"]) for v in raw.get("variants", [])),
    )


def read_source(path: str | Path = SNAPSHOT) -> PriceSource:
    """Read a snapshot file (see ``scripts/vendor_genai_prices.py``)."""
    data = Path(path).read_bytes()
    obj = json.loads(data)
    providers = tuple(
        Provider(
            id=p["id"],
            name=p["name"],
            pricing_urls=tuple(p.get("pricing_urls") or ()),
            model_match=p.get("model_match"),
            provider_match=p.get("provider_match"),
            fallbacks=tuple(p.get("fallback_model_providers") or ()),
            models=tuple(_model(m, p["id"]) for m in p["models"]),
        )
        for p in obj["providers"]
    )
    return PriceSource(
        provenance=obj["source"], sha256=hashlib.sha256(data).hexdigest(), providers=providers, path=str(path)
    )


@cache
def load_source() -> PriceSource:
    """The snapshot shipped with tokstats (read once)."""
    return read_source(SNAPSHOT)
