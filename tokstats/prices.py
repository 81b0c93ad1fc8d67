"""The price table: USD per 1M tokens for each model, with the source and date of every price.

Prices change; a forecast is only as good as the date on its prices. tokstats ships a table
(``_data/prices.csv``) whose every row names the page it came from and the date the price applied,
and lets users override or extend it with their own CSV of the same shape
(``--prices FILE`` or ``$TOKSTATS_PRICES``): a row for a model already in the table replaces it,
a row for a new model is added.

Columns: ``model``, ``encoding`` (may be empty in a user file: tiktoken's model map fills it),
``input_per_1m``, ``cached_input_per_1m`` (may be empty), ``output_per_1m``, ``source``,
``as_of`` (``YYYY-MM-DD``) and an optional ``note``. Every problem is reported as one line naming
the file, the line number and what is wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tokstats.errors import InputError, UnknownNameError, UnknownModelError

#: Environment variable naming a user price file (used when ``--prices`` is not given).
PRICES_ENV = "TOKSTATS_PRICES"

SHIPPED = Path(__file__).with_name("_data") / "prices.csv"
REQUIRED = ("model", "encoding", "input_per_1m", "cached_input_per_1m", "output_per_1m", "source", "as_of")
OPTIONAL = ("note",)
COLUMNS = [*REQUIRED, *OPTIONAL]


@dataclass(frozen=True)
class Price:
    """One model's prices in USD per 1M tokens, where they came from and when they applied."""

    model: str
    encoding: str
    input_per_1m: float
    cached_input_per_1m: float | None
    output_per_1m: float
    source: str
    as_of: str
    note: str = ""

    def as_row(self) -> dict[str, Any]:
        """The row as a plain dict with the table's column names."""
        return asdict(self)


@dataclass(frozen=True)
class PriceTable:
    """Prices by model, and the files (with sha256) they were read from, in order of precedence."""

    prices: dict[str, Price]
    files: tuple[tuple[str, str], ...]

    def __getitem__(self, model: str) -> Price:
        try:
            return self.prices[model]
        except KeyError:
            err = UnknownNameError("priced model", model, self.prices)
            err.args = (f"{err.args[0]}; add a row for it with --prices FILE or ${PRICES_ENV}",)
            raise err from None

    def __contains__(self, model: object) -> bool:
        return model in self.prices

    def rows(self) -> list[dict[str, Any]]:
        """Every price as a dict, in table order."""
        return [p.as_row() for p in self.prices.values()]

    def describe(self) -> str:
        """Short provenance for signatures: ``builtin@<sha12>`` or ``builtin@…+my.csv@…``."""
        return "+".join(
            f"{'builtin' if Path(path) == SHIPPED else Path(path).name}@{sha[:12]}" for path, sha in self.files
        )


def _number(value: str, column: str, where: str, *, optional: bool = False) -> float | None:
    text = value.strip()
    if not text:
        if optional:
            return None
        raise InputError(f"{where}: {column} is empty; give a price in USD per 1M tokens")
    try:
        number = float(text.lstrip("$"))
    except ValueError:
        raise InputError(f"{where}: {column} {value!r} is not a number (USD per 1M tokens)") from None
    if not math.isfinite(number) or number < 0:
        raise InputError(f"{where}: {column} {value!r} must be a finite, non-negative number")
    return number


def _encoding(model: str, given: str, where: str) -> str:
    from tokstats.encodings import encoding_name_for_model, list_encodings

    if given:
        if given not in list_encodings():
            raise InputError(
                f"{where}: unknown encoding {given!r} for model {model!r}; "
                f"known encodings: {', '.join(list_encodings())}"
            )
        return given
    try:
        return encoding_name_for_model(model)
    except UnknownModelError:
        raise InputError(
            f"{where}: unknown model {model!r}: tiktoken's model map has no encoding for it; "
            "fill in the encoding column (e.g. o200k_base)"
        ) from None


def _row(raw: dict[str, str | None], where: str) -> Price:
    cell = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    if not cell["model"]:
        raise InputError(f"{where}: model is empty")
    model = cell["model"]
    if not cell["source"]:
        raise InputError(f"{where}: source is empty for {model!r}; say where the price comes from (a URL)")
    try:
        dt.date.fromisoformat(cell["as_of"])
    except ValueError:
        raise InputError(
            f"{where}: as_of {cell['as_of']!r} for {model!r} is not a date (YYYY-MM-DD)"
        ) from None
    input_price = _number(cell["input_per_1m"], "input_per_1m", where)
    output_price = _number(cell["output_per_1m"], "output_per_1m", where)
    assert input_price is not None and output_price is not None
    return Price(
        model=model,
        encoding=_encoding(model, cell["encoding"], where),
        input_per_1m=input_price,
        cached_input_per_1m=_number(cell["cached_input_per_1m"], "cached_input_per_1m", where, optional=True),
        output_per_1m=output_price,
        source=cell["source"],
        as_of=cell["as_of"],
        note=cell["note"],
    )


def read_price_file(path: str | os.PathLike[str]) -> tuple[list[Price], str]:
    """The validated rows of one price CSV, and the sha256 of its bytes.

    Raises :class:`InputError` naming the file, line and problem: a missing column, an empty or
    non-numeric or negative price, a date that is not ``YYYY-MM-DD``, a model tiktoken cannot map
    (and no encoding given), or a model listed twice.
    """
    from tokstats.textio import read_bytes, decode_exact

    name = os.fspath(path)
    data = read_bytes(path)
    text = decode_exact(data, path).removeprefix("\ufeff")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
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
            price = _row(raw, where)
            if price.model in seen:
                raise InputError(f"{where}: model {price.model!r} already given on line {seen[price.model]}")
            seen[price.model] = line
            prices.append(price)
    except csv.Error as e:
        raise InputError(f"{name}:{reader.line_num}: not valid CSV: {e}") from None
    return prices, hashlib.sha256(data).hexdigest()


def load_prices(path: str | os.PathLike[str] | None = None, *, use_env: bool = True) -> PriceTable:
    """The shipped price table, overridden and extended by ``path`` (or ``$TOKSTATS_PRICES``).

    Rows in the user file replace shipped rows of the same model and add new models after them.
    """
    user = path
    if user is None and use_env:
        user = os.environ.get(PRICES_ENV) or None
    files: list[tuple[str, str]] = []
    prices: dict[str, Price] = {}
    for source in [SHIPPED] + ([Path(user)] if user else []):
        rows, sha = read_price_file(source)
        files.append((str(source), sha))
        for price in rows:
            prices[price.model] = price
    return PriceTable(prices=prices, files=tuple(files))
