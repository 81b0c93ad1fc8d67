"""``tokstats prices``: the prices in use on a day, every row with its source and dates."""

from __future__ import annotations

import argparse
import sys

from tokstats.cli._options import HelpFormatter, add_format_option, add_wide_option, fit_for_terminal
from tokstats.cli._workload import add_prices_option, prices_note

ORDER = 60

TABLE_COLUMNS = [
    "model",
    "provider",
    "tokenizer",
    "kind",
    "input_per_1m",
    "cached_input_per_1m",
    "output_per_1m",
    "batch_input_per_1m",
    "batch_output_per_1m",
    "context_window",
    "since",
]

EPILOG = """\
Prices come from a snapshot of genai-prices (every provider and model it knows), one row per
PROVIDER:MODEL (the name `tokstats cost --models` takes), with the tokenizer tokstats counts it
with (unknown: none; `cost` then needs --tokenizer-for MODEL=TOKENIZER), each row with its
source, the day it is quoted for (as_of) and the day the source says the price started (since;
empty when the source records no date). --as-of DATE quotes the prices of that day; where the
source cannot say what a name cost then (an alias that may have pointed to another snapshot, a
model not yet released, batch rates before the source records them) the price is left empty and
the note says why. Your own CSV (--prices FILE or TOKSTATS_PRICES=FILE) overrides or extends it.

Filters: --provider ID, --family FAMILY (llama, qwen, mistral, gpt-oss, openai, unknown, or a
tokenizer such as llama3), and NAME, a part of the model's name (case-insensitive).

Examples:
  tokstats prices --provider groq --family llama
  tokstats prices llama-3.3-70b --format csv
  tokstats prices --provider openai --format markdown
  tokstats prices --as-of 2025-06-01 --format json
  tokstats prices --prices my-prices.csv --format csv
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "prices",
        help="list model prices (USD per 1M tokens) with their source and date",
        description="List every priced model: kind, encoding, USD per 1M input / cached input / output "
        "tokens (standard, batch, audio, long context), context window, source and dates.",
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    p.add_argument("name", nargs="?", metavar="NAME", help="list only models whose name contains NAME")
    p.add_argument("--provider", metavar="ID", help="list only this provider's models (groq, together, openai …)")
    p.add_argument(
        "--family",
        metavar="FAMILY",
        help="list only models of this tokenizer family: llama, qwen, mistral, gpt-oss, openai, unknown "
        "(or a tokenizer name such as llama3)",
    )
    add_prices_option(p)
    add_format_option(p)
    add_wide_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tokstats.cost._prices import COLUMNS, load_prices, parse_day
    from tokstats.output._render import render
    from tokstats.output._signature import build_signature

    day = parse_day(args.as_of) if args.as_of is not None else None
    table = load_prices(args.prices)
    if day is not None:
        table.check_day(day, "--as-of")
    rows = table.rows(day, provider=args.provider, family=args.family, name=args.name)
    as_of = str(rows[0]["as_of"]) if rows else ""
    columns = COLUMNS if args.format in ("json", "csv") else TABLE_COLUMNS
    signature = build_signature([], prices=table.describe(), as_of=as_of)
    notes = []
    if args.format in ("table", "markdown"):
        notes.append(prices_note(table.source.label, table.source.provenance["copied"], as_of, day is not None))
        known = sum(r["tokenizer"] != "unknown" for r in rows)
        providers = len({r["provider"] for r in rows})
        notes.append(
            f"{len(rows):,} models from {providers} provider{'s' if providers != 1 else ''}, "
            f"{known:,} with a tokenizer tokstats counts exactly"
        )
        unpriced = [r["model"] for r in rows if r["input_per_1m"] is None]
        if unpriced:
            shown = ", ".join(unpriced[:20]) + (f" and {len(unpriced) - 20:,} more" if len(unpriced) > 20 else "")
            notes.append(f"no token price on {as_of} (see the note column in --format csv/json): {shown}")
        if not rows:
            notes.append("no model matches the filters")
    digits = {c: 4 for c in columns if c.endswith("_per_1m")}
    rows, columns, notes = fit_for_terminal(
        args,
        rows,
        list(columns),
        [
            "batch_output_per_1m",
            "batch_input_per_1m",
            "since",
            "kind",
            "context_window",
            "cached_input_per_1m",
            "provider",
        ],
        notes,
        digits,
    )
    sys.stdout.write(render(rows, columns, args.format, signature, notes=notes, digits=digits))
    return 0
