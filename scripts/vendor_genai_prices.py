"""Copy the price data of the installed ``genai-prices`` into ``tokstats/cost/_data/``.

tokstats prices models offline from a snapshot of genai-prices' data rather than importing the
package at run time (see docs/cost.md, "Where prices come from"). This script writes that
snapshot: every provider genai-prices knows (its id, name, pricing pages, the rules that match
provider ids and model names to it, the providers it falls back to) and every model of each,
with its match rules, context window, dated prices and price variants (batch, service tiers),
exactly as the package holds them (decimal strings, no rounding), in the package's order (the
order decides which model a name matches first), plus where the data came from (package
version, sha256 of the package's ``data.py`` and, if given, of the wheel), its licence and the
date it was copied.

The file is JSON with sorted keys and one model per line: about 0.9 MB, which the wheel and git
both store compressed (zip, zlib), so gzip here would only hide the diff of a price update.

Usage, to update the snapshot after a new genai-prices release::

    pip download --no-deps genai-prices==X.Y.Z -d /tmp/w && pip install /tmp/w/genai_prices-*.whl
    python scripts/vendor_genai_prices.py --wheel /tmp/w/genai_prices-X.Y.Z-py3-none-any.whl

then set the same version in the ``test`` extra of pyproject.toml (the tests compare the snapshot
with the installed package's own figures) and run ``pytest tests/test_prices.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "tokstats" / "cost" / "_data"
SNAPSHOT = OUT / "genai_prices.json"
LICENCE = OUT / "genai_prices_LICENSE.txt"


def _clause(clause: Any) -> dict[str, Any]:
    """A genai-prices match clause as plain JSON: {"equals": ...}, {"or": [...]} …"""
    from genai_prices import types

    if isinstance(clause, types.ClauseOr):
        return {"or": [_clause(c) for c in clause.or_]}
    if isinstance(clause, types.ClauseAnd):
        return {"and": [_clause(c) for c in clause.and_]}
    for kind in ("equals", "starts_with", "ends_with", "contains", "regex"):
        if hasattr(clause, kind):
            return {kind: getattr(clause, kind)}
    raise ValueError(f"unknown clause {clause!r}")


def _value(value: Any) -> Any:
    from genai_prices.types import TieredPrices

    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, TieredPrices):
        return {"base": str(value.base), "tiers": [[t.start, str(t.price)] for t in value.tiers]}
    raise ValueError(f"unexpected price value {value!r}")


def _prices(model_price: Any) -> dict[str, Any]:
    return {k: _value(v) for k, v in model_price.__dict__.items() if v is not None and not k.startswith("_")}


def _constraint(constraint: Any) -> dict[str, str] | None:
    if constraint is None:
        return None
    if hasattr(constraint, "start_date"):
        return {"start_date": constraint.start_date.isoformat()}
    return {"start_time": constraint.start_time.isoformat(), "end_time": constraint.end_time.isoformat()}


def _model(m: Any) -> dict[str, Any]:
    from genai_prices.types import ModelPrice

    prices = [m.prices] if isinstance(m.prices, ModelPrice) else m.prices
    return {
        "id": m.id,
        "name": m.name,
        "match": _clause(m.match),
        "context_window": m.context_window,
        "deprecated": bool(m.deprecated),
        "price_comments": m.price_comments,
        "prices": [
            {"constraint": _constraint(getattr(p, "constraint", None)), "prices": _prices(getattr(p, "prices", p))}
            for p in prices
        ],
        "variants": [
            {"when": dict(v.when), "constraint": _constraint(v.constraint), "prices": _prices(v.prices)}
            for v in m.price_variants or []
        ],
    }


def _provider(p: Any) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "api_pattern": p.api_pattern,
        "pricing_urls": list(p.pricing_urls or []),
        "price_comments": p.price_comments,
        "model_match": _clause(p.model_match) if p.model_match is not None else None,
        "provider_match": _clause(p.provider_match) if p.provider_match is not None else None,
        "fallback_model_providers": list(p.fallback_model_providers or []),
        "models": [_model(m) for m in p.models],
    }


def snapshot(wheel: Path | None) -> dict[str, Any]:
    """The snapshot object written to ``genai_prices.json``."""
    import genai_prices
    from genai_prices.data import providers

    data_file = Path(genai_prices.__file__).with_name("data.py")
    return {
        "source": {
            "package": "genai-prices",
            "version": metadata.version("genai-prices"),
            "homepage": "https://github.com/pydantic/genai-prices",
            "data_file": "genai_prices/data.py",
            "data_sha256": hashlib.sha256(data_file.read_bytes()).hexdigest(),
            "wheel": wheel.name if wheel else None,
            "wheel_sha256": hashlib.sha256(wheel.read_bytes()).hexdigest() if wheel else None,
            "licence": "MIT",
            "licence_file": LICENCE.name,
            "copied": dt.date.today().isoformat(),
        },
        "providers": [_provider(p) for p in providers],
    }


def dumps(obj: dict[str, Any]) -> str:
    """The snapshot as text: sorted keys, one model per line (small diffs when prices change)."""

    def line(value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    out = ['{"source":' + line(obj["source"]) + ',"providers":[']
    for i, provider in enumerate(obj["providers"]):
        head = {k: v for k, v in provider.items() if k != "models"}
        out.append(line(head)[:-1] + ',"models":[')
        out += [line(m) + ("," if j < len(provider["models"]) - 1 else "") for j, m in enumerate(provider["models"])]
        out.append("]}" + ("," if i < len(obj["providers"]) - 1 else ""))
    out.append("]}")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wheel", type=Path, help="the wheel the installed package came from (its sha256 is recorded)")
    args = parser.parse_args()
    import genai_prices

    obj = snapshot(args.wheel)
    text = dumps(obj)
    if json.loads(text) != obj:  # pragma: no cover - the line layout must not change the data
        raise SystemExit("snapshot layout lost data")
    SNAPSHOT.write_text(text, "utf-8")
    licence = next(f for f in metadata.files("genai-prices") or [] if f.name == "LICENSE")
    LICENCE.write_text(Path(str(licence.locate())).read_text("utf-8"), "utf-8")
    print(f"wrote {SNAPSHOT} from genai-prices {genai_prices.__version__}")


if __name__ == "__main__":
    main()
