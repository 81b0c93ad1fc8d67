"""``tokstats prices``: the price table in use, every row with its source and date."""

from __future__ import annotations

import argparse
import sys

from tokstats.cli._options import add_format_option

ORDER = 60

EPILOG = """\
Prices change: every row names its source and the date it applied (as_of). Override or extend
the shipped table with a CSV of the same columns (--prices FILE or TOKSTATS_PRICES=FILE); a row
for a listed model replaces it, a row for a new model is added.

Example:
  tokstats prices --format markdown
  tokstats prices --prices my-prices.csv --format json
"""


def add_prices_option(parser: argparse.ArgumentParser) -> None:
    """``--prices FILE``: a price CSV overriding / extending the shipped table."""
    parser.add_argument(
        "--prices", metavar="FILE",
        help="price CSV overriding or extending the shipped table (default: $TOKSTATS_PRICES if set)",
    )


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser(
        "prices",
        help="list model prices (USD per 1M tokens) with their source and date",
        description="List the price table: model, encoding, USD per 1M input / cached input / output tokens, source, as_of.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_prices_option(p)
    add_format_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tokstats.prices import COLUMNS, load_prices
    from tokstats.render import render
    from tokstats.signature import build_signature

    table = load_prices(args.prices)
    columns = COLUMNS if args.format in ("json", "csv") else [c for c in COLUMNS if c != "note"]
    signature = build_signature([], prices=table.describe())
    sys.stdout.write(render(table.rows(), columns, args.format, signature, digits={
        "input_per_1m": 3, "cached_input_per_1m": 3, "output_per_1m": 3,
    }))
    return 0
