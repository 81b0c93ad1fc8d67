"""The price table: USD per 1M tokens for a model on a given day, with the source of every price.

Prices come from genai-prices (``tokstats.cost._price_source``, a dated, maintained source shipped
as a snapshot) and, optionally, from the user's own CSV (``--prices FILE`` or
``$TOKSTATS_PRICES``), whose rows override the source for the models they name from their
``as_of`` date on.

A price is quoted for a day (``as_of``; today when not given). A day in the past is priced as
the source records it (o3: $10 / $40 until 2025-06-09, $2 / $8 from 2025-06-10), and where the
source cannot say what a name cost on that day the quote has no price and a note says why:

* a dated snapshot (``gpt-4o-2024-08-06``) asked for before its date;
* an alias (``gpt-4o``) when the source knows snapshots of it at other prices that the alias may
  have pointed to on that day (genai-prices does not record which snapshot an alias meant when);
* batch rates before the date the source starts recording them.

User CSV columns: ``model``, ``encoding`` (may be empty: tiktoken's model map fills it),
``input_per_1m``, ``cached_input_per_1m`` (may be empty), ``output_per_1m``, ``source``,
``as_of`` (``YYYY-MM-DD``, the day the price starts) and an optional ``note``. Every problem is
reported as one line naming the file, the line number and what is wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from tokstats._api import check_bool, check_path
from tokstats.cost._aliases import AliasNotYetError, alias_step
from tokstats.cost._messages import model_kind
from tokstats.cost._price_source import (
    BATCH,
    PriceSource,
    PriceValue,
    Resolved,
    SourceModel,
    load_source,
)
from tokstats.defaults import MAX_PRICE_FILE_BYTES, MAX_PRICE_FILE_ROWS
from tokstats.errors import InputError, UnknownModelError, UnknownNameError
from tokstats.sources._textio import decode_exact, read_bytes
from tokstats.tokenizers._encodings import list_encodings
from tokstats.tokenizers._registry import known_specs, model_key, spec_for_model

#: Environment variable naming a user price file (used when ``--prices`` is not given).
PRICES_ENV = "TOKSTATS_PRICES"

REQUIRED = ("model", "encoding", "input_per_1m", "cached_input_per_1m", "output_per_1m", "source", "as_of")
OPTIONAL = ("note",)
USER_COLUMNS = [*REQUIRED, *OPTIONAL]

#: Columns of ``tokstats prices`` (JSON and CSV; the table shows the main ones).
COLUMNS = [
    "model",
    "provider",
    "kind",
    "tokenizer",
    "family",
    "encoding",
    "input_per_1m",
    "cached_input_per_1m",
    "output_per_1m",
    "input_audio_per_1m",
    "cached_input_audio_per_1m",
    "output_audio_per_1m",
    "batch_input_per_1m",
    "batch_cached_input_per_1m",
    "batch_output_per_1m",
    "long_context_from",
    "long_input_per_1m",
    "long_cached_input_per_1m",
    "long_output_per_1m",
    "context_window",
    "since",
    "until",
    "as_of",
    "source",
    "url",
    "names",
    "note",
]

#: A price above this (USD per 1M tokens) in a user file is refused as a typo or an overflow.
MAX_PRICE = Decimal(1_000_000)
_NUMBER = re.compile(r"\$?(?:\d+(?:\.\d*)?|\.\d+)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SNAPSHOT_SUFFIX = re.compile(r"-(\d{4}-\d{2}-\d{2}|\d{4})$")
#: The earliest day a price is quoted for: the ChatGPT API's launch, the day of the oldest
#: snapshot the shipped source names (gpt-3.5-turbo-0301); earlier dates in a source or a user
#: file move it back. No prices are known before it.
FIRST_DAY = dt.date(2023, 3, 1)
#: How far ahead of today a price is quoted (the source's current prices, or a user row's).
MAX_DAYS_AHEAD = 366

# genai-prices price keys -> tokstats fields (USD per 1M tokens).
_TOKEN_KEYS = {
    "input_mtok": "input_per_1m",
    "cache_read_mtok": "cached_input_per_1m",
    "output_mtok": "output_per_1m",
    "input_audio_mtok": "input_audio_per_1m",
    "cache_audio_read_mtok": "cached_input_audio_per_1m",
    "output_audio_mtok": "output_audio_per_1m",
}


@dataclass(frozen=True)
class Price:
    """A model's prices (USD per 1M tokens) on one day, where they come from, and any caveat.

    ``input_per_1m`` is None when there is no token price to quote (the note says why).
    ``long_*`` are the rates the source charges every token of a request whose input exceeds
    ``long_context_from`` tokens. ``since`` / ``until`` bound the price as the source records it
    (empty: not recorded). ``batch`` says whether these are batch rates.
    """

    model: str
    priced_as: str
    kind: str
    encoding: str | None
    input_per_1m: float | None
    cached_input_per_1m: float | None
    output_per_1m: float | None
    as_of: str
    source: str
    url: str = ""
    since: str = ""
    until: str = ""
    context_window: int | None = None
    input_audio_per_1m: float | None = None
    cached_input_audio_per_1m: float | None = None
    output_audio_per_1m: float | None = None
    long_context_from: int | None = None
    long_input_per_1m: float | None = None
    long_cached_input_per_1m: float | None = None
    long_output_per_1m: float | None = None
    batch: bool = False
    note: str = ""
    provider: str = ""

    @property
    def tokenizer(self) -> str | None:
        """The tokenizer spec the model's tokens are counted with (None: unknown)."""
        return self.encoding

    def as_row(self) -> dict[str, Any]:
        """The price as a plain dict (with ``tokenizer`` and its ``family``)."""
        row = asdict(self)
        row["tokenizer"] = self.encoding or "unknown"
        row["family"] = tokenizer_family(self.encoding)
        return row


class PriceUnavailableError(InputError):
    """A model the table knows, but cannot price as asked (that day, in batch, or per token)."""


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _split(value: PriceValue | None) -> tuple[Decimal | None, int | None, Decimal | None]:
    """A source price value -> (base, long-context threshold, long-context price)."""
    if value is None:
        return None, None, None
    if isinstance(value, str):
        return Decimal(value), None, None
    tiers = value.get("tiers") or []
    start, price = tiers[0] if tiers else (None, None)  # later tiers: see _more_tiers
    return Decimal(value["base"]), start, (Decimal(price) if price is not None else None)


def _more_tiers(values: Mapping[str, PriceValue]) -> list[str]:
    """A note for price tiers past the first (the long-context rate tokstats models)."""
    later = sorted({int(t[0]) for v in values.values() if isinstance(v, dict) for t in (v.get("tiers") or [])[1:]})
    if not later:
        return []
    return [f"the source has further price tiers from {', '.join(f'{n:,}' for n in later)} input tokens, not applied"]


def _encoding_for(model: str) -> str | None:
    """The tokenizer the registry maps ``model`` to (``tokstats.tokenizers``), or None."""
    try:
        return spec_for_model(model)
    except UnknownModelError:
        return None


def tokenizer_for_entry(name: str, entry: SourceModel | None) -> str | None:
    """The tokenizer of a priced model: the name asked for, else the source entry's id, else
    the one tokenizer all of the entry's exact names map to (None when they disagree)."""
    found = _encoding_for(name)
    if found is not None or entry is None:
        return found
    found = _encoding_for(entry.id)
    if found is not None:
        return found
    specs = {_encoding_for(n) for n in entry.names}
    return specs.pop() if len(specs) == 1 else None


#: Tokenizer -> the family ``tokstats prices --family`` filters on.
_FAMILIES = {"llama3": "llama", "llama4": "llama", "qwen": "qwen", "o200k_harmony": "gpt-oss", "tekken": "mistral"}


def tokenizer_family(tokenizer: str | None) -> str:
    """``llama``, ``qwen``, ``mistral``, ``gpt-oss``, ``openai`` (tiktoken's other encodings),
    ``local`` (a file) or ``unknown``."""
    if tokenizer is None:
        return "unknown"
    if tokenizer in _FAMILIES:
        return _FAMILIES[tokenizer]
    if tokenizer.startswith("mistral-"):
        return "mistral"
    if tokenizer in _encodings():
        return "openai"
    return "local"


@cache
def _encodings() -> frozenset[str]:
    return frozenset(list_encodings())


@cache
def _specs() -> frozenset[str]:
    return frozenset(known_specs())


def _snapshot_date(name: str) -> dt.date | None:
    m = _SNAPSHOT_SUFFIX.search(name)
    if m and len(m.group(1)) == 10:
        try:
            return dt.date.fromisoformat(m.group(1))
        except ValueError:
            return None
    return None


_REASONING = re.compile(r"(?:^|[-_/.])(?:r1|qwq|thinking|reasoner|reasoning|magistral)(?:$|[-_/.:])")


def _kind(model: str, tokenizer: str | None = None) -> str:
    """What the model does (``tokstats.cost._messages.model_kind`` for OpenAI's names; for other
    makers' names only its embedding / image / speech words apply, plus reasoning names such as
    ``deepseek-r1``, ``qwq``, ``magistral`` and ``*-thinking``)."""
    key = model_key(model)
    if tokenizer_family(tokenizer) in ("openai", "gpt-oss"):
        return model_kind(key)
    kind = model_kind(key)
    if kind in ("embedding", "moderation", "image", "speech"):
        return kind
    if "embed" in key or "rerank" in key:
        return "embedding"
    return "reasoning" if _REASONING.search(key) else "chat"


@dataclass(frozen=True)
class PriceTable:
    """The source snapshot, the user's rows (by model), and the user files with their sha256."""

    source: PriceSource
    user: Mapping[str, Price]
    files: tuple[tuple[str, str], ...] = ()

    # -- quoting ---------------------------------------------------------------------------

    def quote(self, model: str, as_of: dt.date | None = None, *, batch: bool = False) -> Price:
        """The price of ``model`` on ``as_of`` (today if None); no price and a note when unknown.

        Raises ``UnknownNameError`` for a model neither the source nor a user file names.
        """
        day, historic = self._day(as_of)
        own = self.user.get(model)
        if own is not None and dt.date.fromisoformat(own.as_of) <= day:
            price = replace(own, as_of=day.isoformat())
            if batch:
                return self._unavailable(price, f"{own.source} gives no batch rate for {model}")
            return price
        found = self.source.resolve(model)
        if found is None:
            if own is not None:
                return self._unavailable(
                    replace(own, as_of=day.isoformat()),
                    f"{own.source} prices {model} from {own.as_of}, not on {day}, and {self.source.label} does not know it",
                )
            raise self._unknown(model)
        return self._quote_resolved(model, found, day, historic, batch)

    def _unknown(self, model: str) -> UnknownNameError:
        provider, name = self.source.split(model)
        head, sep, _ = model.partition(":")
        where = f"{provider.id} in {self.source.label}" if provider else f"{self.source.label}"
        hint = ""
        if provider is None and sep and self.source.provider(head) is None and ":" not in head and "/" not in head:
            hint = f"; {head!r} is not a provider (`tokstats prices` lists them in its provider column)"
        err = UnknownNameError("priced model", model, [])
        err.args = (
            f"unknown priced model {model!r}: {where} and the price files do not know it "
            f"(`tokstats prices` lists the {len(self.source.models):,} it knows){hint}; "
            f"add a row for it with --prices FILE or ${PRICES_ENV}",
        )
        return err

    def _quote_resolved(self, model: str, found: Resolved, day: dt.date, historic: bool, batch: bool) -> Price:
        """Quote a resolved model; an OpenAI alias on a past day is priced as the snapshot it meant."""
        if historic and found.provider.id == "openai":
            try:
                step = alias_step(found.name, day)
            except AliasNotYetError as e:
                raise PriceUnavailableError(f"{model}: no price: {e}") from None
            if step is not None:
                target = self.source.in_provider(found.provider, step.snapshot)
                if target is not None:
                    price = self._quote_source(model, target, day, False, batch, provider=found.provider.id)
                    encoding = price.encoding or tokenizer_for_entry(step.snapshot, target)
                    return replace(price, priced_as=step.snapshot, encoding=encoding)
        return self._quote_source(model, found.model, day, historic, batch, provider=found.provider.id)

    def after_snapshot(self, day: dt.date | None) -> str:
        """A one-line warning when ``day`` is after the day the price data was copied ('' if not)."""
        copied = dt.date.fromisoformat(self.source.provenance["copied"])
        if day is None or day <= copied:
            return ""
        return (
            f"prices for {day} are those {self.source.label} knew when copied on {copied}; later changes are not in it"
        )

    def day_range(self) -> tuple[dt.date, dt.date]:
        """The days a price can be quoted for: from the first day any price is known to a year ahead."""
        starts = [p.start for m in self.source.models for p in m.prices if p.start is not None]
        starts += [v.start for m in self.source.models for v in m.variants if v.start is not None]
        first = min([FIRST_DAY, *starts, *(dt.date.fromisoformat(u.as_of) for u in self.user.values())])
        return first, dt.date.today() + dt.timedelta(days=MAX_DAYS_AHEAD)

    def check_day(self, day: dt.date, what: str = "as_of") -> None:
        """Raise ``InputError`` for a day outside ``day_range()``, saying the range."""
        first, last = self.day_range()
        if not first <= day <= last:
            raise InputError(
                f"{what} {day.isoformat()} is out of range: give a day from {first} (the first known prices) "
                f"to {last} (a year from today)"
            )

    def _day(self, as_of: dt.date | None) -> tuple[dt.date, bool]:
        """The day to quote (today if None) and whether it predates the snapshot (historic)."""
        if as_of is not None:
            self.check_day(as_of)
        copied = dt.date.fromisoformat(self.source.provenance["copied"])
        return as_of or dt.date.today(), as_of is not None and as_of < copied

    def _unavailable(self, price: Price, why: str) -> Price:
        return replace(
            price,
            input_per_1m=None,
            cached_input_per_1m=None,
            output_per_1m=None,
            long_context_from=None,
            long_input_per_1m=None,
            long_cached_input_per_1m=None,
            long_output_per_1m=None,
            input_audio_per_1m=None,
            cached_input_audio_per_1m=None,
            output_audio_per_1m=None,
            note=why,
        )

    def _quote_source(
        self, model: str, entry: SourceModel, day: dt.date, historic: bool, batch: bool, *, provider: str = ""
    ) -> Price:
        dated, until = entry.prices_on(day)
        values: dict[str, PriceValue] = dict(dated.prices)
        _, bare = self.source.split(model)
        encoding = tokenizer_for_entry(bare, entry)
        base = Price(
            model=model,
            provider=provider or entry.provider,
            priced_as=entry.id,
            kind=_kind(bare, encoding),
            encoding=encoding,
            input_per_1m=None,
            cached_input_per_1m=None,
            output_per_1m=None,
            as_of=day.isoformat(),
            source=self.source.label,
            url=self.source.url_of(provider or entry.provider),
            since=dated.start.isoformat() if dated.start else "",
            until=(until - dt.timedelta(days=1)).isoformat() if until else "",
            context_window=entry.context_window,
            batch=batch,
        )
        if historic:
            why = self._historic_problem(model, entry, day)
            if why:
                return self._unavailable(base, why)
        if batch:
            variant = entry.variant(BATCH)
            if variant is None:
                return self._unavailable(base, f"{self.source.label} has no batch rate for {model}")
            if variant.start is not None and variant.start > day:
                return self._unavailable(
                    base,
                    f"{self.source.label} records batch rates from {variant.start} on; "
                    f"earlier batch history is not modelled (drop --batch or ask for a later --as-of)",
                )
            values.update(variant.prices)
        fields: dict[str, Any] = {}
        long_from: int | None = None
        for key, field in _TOKEN_KEYS.items():
            value, start, long_price = _split(values.get(key))
            fields[field] = _float(value)
            if start is not None:
                long_from = start
                if f"long_{field}" in Price.__dataclass_fields__:
                    fields[f"long_{field}"] = _float(long_price)
        notes: list[str] = _more_tiers(values)
        if entry.hourly:
            notes.append(f"{self.source.label} prices some hours of the day differently: quoted at 12:00 UTC")
        if fields["input_per_1m"] is None:
            other = sorted(k for k in values if k not in _TOKEN_KEYS)
            notes.append(
                f"not priced per token in {self.source.label} (priced by {', '.join(other) or 'nothing listed'})"
            )
        if base.encoding is None:
            notes.append("no tokenizer known to tokstats (price it with a stand-in: --tokenizer-for MODEL=TOKENIZER)")
        return replace(base, long_context_from=long_from, note="; ".join(notes), **fields)

    def _names(self, provider: str) -> dict[str, SourceModel]:
        """The exact names of one provider's models (cached per table)."""
        cache: dict[str, dict[str, SourceModel]] = self.__dict__.setdefault("_names_cache", {})
        if provider not in cache:
            cache[provider] = self.source.all_names(provider)
        return cache[provider]

    def _historic_problem(self, model: str, entry: SourceModel, day: dt.date) -> str:
        """Why the source cannot give ``model``'s price on a past ``day`` ('' if it can)."""
        model = self.source.split(model)[1]
        released = _snapshot_date(model)
        if released is not None:
            return f"{model} was released on {released}, after {day}" if released > day else ""
        if _SNAPSHOT_SUFFIX.search(model):
            return ""  # a snapshot with a 4-digit date (gpt-4-0613): a fixed model
        pattern = re.compile(re.escape(model.lower()) + _SNAPSHOT_SUFFIX.pattern)
        siblings = {n: m for n, m in self._names(entry.provider).items() if pattern.fullmatch(n)}
        if not siblings:
            return ""
        dates = {n: _snapshot_date(n) for n in siblings}
        if all(d is not None and d > day for d in dates.values()):
            first = min(d for d in dates.values() if d is not None)
            return f"{model} was not released on {day} (its first snapshot in {self.source.label} is from {first})"
        here = entry.prices_on(day)[0].prices
        drift = sorted(
            n
            for n, m in siblings.items()
            if m is not entry
            and (dates[n] is None or dates[n] <= day)  # type: ignore[operator]
            and dict(m.prices_on(day)[0].prices) != dict(here)
        )
        if drift:
            return (
                f"on {day} the alias {model} may have meant {', '.join(drift)}, priced differently; "
                f"{self.source.label} does not record which snapshot an alias pointed to when: "
                f"name a dated snapshot instead"
            )
        return ""

    def lookup(self, model: str, as_of: dt.date | None = None, *, batch: bool = False) -> Price:
        """The token price of ``model`` on ``as_of``; raises when it cannot be given.

        Raises ``UnknownNameError`` for an unknown model and ``PriceUnavailableError``
        (one line naming the model and the reason) for a quote without a token price.
        """
        price = self.quote(model, as_of, batch=batch)
        if price.input_per_1m is None:
            raise PriceUnavailableError(f"{model}: no price: {price.note}")
        return price

    def __getitem__(self, model: str) -> Price:
        return self.lookup(model)

    def __contains__(self, model: object) -> bool:
        if not isinstance(model, str):
            return False
        try:
            return model in self.user or self.source.find(model) is not None
        except InputError:  # ambiguous: several providers serve it
            return True

    # -- listing ---------------------------------------------------------------------------

    def rows(
        self,
        as_of: dt.date | None = None,
        *,
        provider: str | None = None,
        family: str | None = None,
        name: str | None = None,
    ) -> list[dict[str, Any]]:
        """Every model of the source (``provider:id``) and every user row, priced on ``as_of``,
        sorted by provider and model; filtered by ``provider`` (an id), ``family`` (``llama``,
        ``qwen``, ``mistral``, ``gpt-oss``, ``openai``, ``unknown`` or a tokenizer name) and a
        case-insensitive ``name`` substring."""
        day, historic = self._day(as_of)
        wanted = None
        if provider is not None:
            found = self.source.provider(provider)
            if found is None:
                known = ", ".join(p.id for p in self.source.providers)
                raise InputError(f"unknown provider {provider!r}; known providers: {known}")
            wanted = found.id
        quotes: list[tuple[Price, Price, str]] = []
        for entry in self.source.models:
            key = entry.label
            if key in self.user or (wanted is not None and entry.provider != wanted):
                continue
            if name is not None and name.lower() not in key.lower():
                continue
            quotes.append(
                (
                    self._quote_source(key, entry, day, historic, False, provider=entry.provider),
                    self._quote_source(key, entry, day, historic, True, provider=entry.provider),
                    ",".join(entry.names),
                )
            )
        for own in self.user:
            if wanted is not None or (name is not None and name.lower() not in own.lower()):
                continue
            quotes.append((self.quote(own, as_of), self.quote(own, as_of, batch=True), own))
        out: list[dict[str, Any]] = []
        for price, batch, names in quotes:
            row = price.as_row()
            if family is not None and family.lower() not in (row["family"], row["tokenizer"]):
                continue
            row.update(
                batch_input_per_1m=batch.input_per_1m,
                batch_cached_input_per_1m=batch.cached_input_per_1m,
                batch_output_per_1m=batch.output_per_1m,
                names=names,
            )
            out.append(row)
        out.sort(key=lambda r: (str(r["provider"]), str(r["model"]).lower()))
        return out

    def describe(self) -> str:
        """Short provenance for signatures: ``genai-prices-0.2.3@<sha12>`` (+ ``my.csv@<sha12>``)."""
        return "+".join([self.source.describe()] + [f"{Path(p).name}@{sha[:12]}" for p, sha in self.files])


# -- user price files -----------------------------------------------------------------------


def _number(value: str, column: str, where: str, *, optional: bool = False) -> float | None:
    text = value.strip()
    if not text:
        if optional:
            return None
        raise InputError(f"{where}: {column} is empty; give a price in USD per 1M tokens")
    if text.startswith("-") and _NUMBER.fullmatch(text[1:]):
        raise InputError(f"{where}: {column} {value!r} must not be negative")
    if not _NUMBER.fullmatch(text):
        raise InputError(
            f"{where}: {column} {value!r} is not a price: write a plain decimal number of USD per 1M tokens (e.g. 2.50)"
        )
    try:
        number = Decimal(text.removeprefix("$"))
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise InputError(f"{where}: {column} {value!r} is not a number") from None
    if number > MAX_PRICE:
        raise InputError(f"{where}: {column} {value!r} is above {MAX_PRICE:,} USD per 1M tokens; is it a typo?")
    return float(number)


def _user_encoding(model: str, given: str, where: str) -> str:
    if given:
        if given not in _specs() and not given.startswith(("hf:", "sp:")):
            raise InputError(
                f"{where}: unknown encoding {given!r} for model {model!r}; known encodings: {', '.join(known_specs())}"
            )
        return given
    found = _encoding_for(load_source().split(model)[1])
    if found is None:
        raise InputError(
            f"{where}: unknown model {model!r}: tokstats knows no tokenizer for it; "
            "fill in the encoding column (e.g. o200k_base or llama3)"
        )
    return found


def _user_row(raw: dict[str, str | None], where: str) -> Price:
    cell = {k: (raw.get(k) or "").strip() for k in USER_COLUMNS}
    model = cell["model"]
    if not model:
        raise InputError(f"{where}: model is empty")
    if not cell["source"]:
        raise InputError(f"{where}: source is empty for {model!r}; say where the price comes from (a URL)")
    try:
        if not _DATE.fullmatch(cell["as_of"]):
            raise ValueError
        dt.date.fromisoformat(cell["as_of"])
    except ValueError:
        raise InputError(f"{where}: as_of {cell['as_of']!r} for {model!r} is not a date (YYYY-MM-DD)") from None
    found = load_source().exact(model)  # exact names only: a long file stays quick
    encoding = _user_encoding(model, cell["encoding"], where)
    return Price(
        model=model,
        provider=found.provider.id if found else "",
        priced_as=model,
        kind=_kind(load_source().split(model)[1], encoding),
        encoding=encoding,
        input_per_1m=_number(cell["input_per_1m"], "input_per_1m", where),
        cached_input_per_1m=_number(cell["cached_input_per_1m"], "cached_input_per_1m", where, optional=True),
        output_per_1m=_number(cell["output_per_1m"], "output_per_1m", where),
        as_of=cell["as_of"],
        since=cell["as_of"],
        source=cell["source"],
        context_window=found.model.context_window if found else None,
        note=cell["note"],
    )


def read_price_file(path: str | os.PathLike[str]) -> tuple[list[Price], str]:
    """The validated rows of one user price CSV, and the sha256 of its bytes.

    Raises ``InputError`` naming the file, line and problem: a missing column, an empty,
    malformed (``$$5``, ``1_000``, ``1e3``), negative or implausibly large price, a date that is
    not ``YYYY-MM-DD``, a model tiktoken cannot map (and no encoding given), or a model listed twice.
    """
    name = os.fspath(path)
    try:
        size = os.stat(name).st_size if name != "-" else 0
    except OSError:
        size = 0  # read_bytes says what is wrong
    if size > MAX_PRICE_FILE_BYTES:
        raise InputError(
            f"{name}: {size:,} bytes is too large for a price file (at most {MAX_PRICE_FILE_BYTES:,}); "
            "give only the models you price yourself"
        )
    data = read_bytes(path)
    if len(data) > MAX_PRICE_FILE_BYTES:
        raise InputError(f"{name}: too large for a price file (at most {MAX_PRICE_FILE_BYTES:,} bytes)")
    if b"\0" in data[:8192]:
        raise InputError(f"{name}: not a price file: it holds binary data (NUL bytes); give a CSV file")
    text = decode_exact(data, path).removeprefix("\ufeff")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
    except csv.Error as e:  # e.g. a header field past csv's field size limit
        raise InputError(f"{name}:1: not valid CSV: {e}") from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(
            f"{name}:1: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            f"a price file needs the columns {','.join(REQUIRED)} (note optional)"
        )
    prices: list[Price] = []
    seen: dict[str, int] = {}
    try:
        for raw in reader:
            line = reader.line_num
            where = f"{name}:{line}"
            if None in raw:
                raise InputError(f"{where}: more fields than the header has columns")
            if all(not (v or "").strip() for v in raw.values()):
                continue
            if len(prices) >= MAX_PRICE_FILE_ROWS:
                raise InputError(
                    f"{where}: more than {MAX_PRICE_FILE_ROWS:,} price rows; give only the models you price"
                )
            price = _user_row(raw, where)
            if price.model in seen:
                raise InputError(f"{where}: model {price.model!r} already given on line {seen[price.model]}")
            seen[price.model] = line
            prices.append(price)
    except csv.Error as e:
        raise InputError(f"{name}:{reader.line_num}: not valid CSV: {e}") from None
    return prices, hashlib.sha256(data).hexdigest()


def load_prices(path: str | os.PathLike[str] | None = None, *, use_env: bool = True) -> PriceTable:
    """The source's prices, overridden and extended by ``path`` (or ``$TOKSTATS_PRICES``).

    Raises ``ParameterError`` (an ``InputError``) for
    a ``path`` that is no str or os.PathLike or a ``use_env`` that is not a bool;
    ``InputError`` naming the file and line for a price file that cannot be
    read or is malformed.
    """
    check_path("path", path, none=True)
    check_bool("use_env", use_env)
    user_path = path
    if user_path is None and use_env:
        user_path = os.environ.get(PRICES_ENV) or None
    user: dict[str, Price] = {}
    files: list[tuple[str, str]] = []
    if user_path:
        rows, sha = read_price_file(user_path)
        files.append((os.fspath(user_path), sha))
        user = {p.model: p for p in rows}
    return PriceTable(source=load_source(), user=user, files=tuple(files))


def parse_day(text: str, what: str = "--as-of") -> dt.date:
    """A ``YYYY-MM-DD`` day, strictly (``20260101`` is refused)."""
    if not text.strip():
        raise InputError(f"{what} is empty: give a date (YYYY-MM-DD)")
    try:
        if not _DATE.fullmatch(text.strip()):
            raise ValueError
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{what} {text!r} is not a date (YYYY-MM-DD)") from None
