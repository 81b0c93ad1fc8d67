"""Options and helpers shared by ``tokstats cost``, ``tokstats plot cost`` and ``tokstats prices``:
the workload a forecast is made for, and which prices on which day."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from tokstats.cli._options import output_tokens_type, requests_type

if TYPE_CHECKING:
    import pandas as pd


def models_list(text: str) -> list[str]:
    models = [m.strip() for m in text.split(",") if m.strip()]
    if not models:
        raise argparse.ArgumentTypeError("give at least one model, e.g. gpt-4o,gpt-4o-mini")
    return models


def parse_share(text: str) -> float:
    """``--cached-share``: a decimal from 0 to 1 (``0.6``), else one-line ``InputError``."""
    import re

    from tokstats.errors import InputError

    if not re.fullmatch(r"\d*\.?\d+|\d+\.", text.strip()) or not 0 <= float(text) <= 1:
        raise InputError(f"--cached-share {text!r} is not a share from 0 to 1 (e.g. 0.6)")
    return float(text)


def add_workload_options(p: argparse.ArgumentParser) -> None:
    """The workload options shared by ``tokstats cost`` and ``tokstats plot cost``."""
    p.add_argument(
        "sample",
        nargs="*",
        metavar="SAMPLE",
        help="JSONL request files or plain text prompt files (globs; '-': standard input, one prompt)",
    )
    p.add_argument("--requests", type=requests_type, required=True, metavar="N", help="requests per month")
    p.add_argument(
        "--models",
        type=models_list,
        required=True,
        metavar="M1,M2,…",
        help="models to compare, comma-separated, each PROVIDER:MODEL (groq:llama-3.3-70b-versatile) or a "
        "name its maker serves (gpt-4o, mistral-large-2411); the first is the baseline for savings",
    )
    p.add_argument(
        "--reasoning-tokens",
        type=output_tokens_type,
        metavar="K",
        help="hidden reasoning tokens per request, charged at the output rate (a JSONL record's "
        "usage.completion_tokens_details.reasoning_tokens wins)",
    )
    p.add_argument(
        "--tokenizer-for",
        action="append",
        default=[],
        metavar="MODEL=TOKENIZER",
        help="count MODEL (one tokstats has no tokenizer for) with a stand-in TOKENIZER; its rows are "
        "marked approximate (repeatable)",
    )
    p.add_argument(
        "--output-tokens",
        type=output_tokens_type,
        metavar="K",
        help='output tokens per request without a "completion" (required for text files and --language-mix)',
    )
    p.add_argument(
        "--language-mix",
        metavar="CODE=W,…",
        help="forecast from the built-in parallel corpus mixed by language, e.g. hi=0.6,en=0.4",
    )
    p.add_argument(
        "--cached-share",
        default="0",
        metavar="S",
        help="share of input tokens served from the prompt cache, 0 to 1 (default 0)",
    )
    p.add_argument("--batch", action="store_true", help="price at the batch API's rates (where the source has them)")
    add_prices_option(p)


def forecast_from_args(args: argparse.Namespace) -> pd.DataFrame:
    """The forecast the workload options describe (a sample, or a language mix), checked."""
    from tokstats.cost._forecast import forecast, forecast_language_mix
    from tokstats.cost._prices import load_prices, parse_day
    from tokstats.errors import InputError

    if args.sample and args.language_mix:
        raise InputError("give either SAMPLE files or --language-mix, not both")
    if not args.sample and not args.language_mix:
        raise InputError("nothing to forecast: give SAMPLE files or --language-mix CODE=W,…")
    prices = load_prices(args.prices)
    day = parse_day(args.as_of) if args.as_of is not None else None
    if day is not None:
        prices.check_day(day, "--as-of")
    from tokstats.cost._forecast import parse_tokenizer_for

    pricing = {
        "as_of": day,
        "cached_share": parse_share(args.cached_share),
        "batch": args.batch,
        "reasoning_tokens": args.reasoning_tokens,
        "tokenizer_for": parse_tokenizer_for(args.tokenizer_for) or None,
    }
    late = prices.after_snapshot(day)
    if late:
        print(f"tokstats {args.command}: warning: {late}", file=sys.stderr)
    if args.language_mix:
        if args.output_tokens is None:
            raise InputError("--language-mix needs --output-tokens K (the corpus has no replies)")
        df = forecast_language_mix(
            args.language_mix,
            args.requests,
            args.models,
            output_tokens=args.output_tokens,
            prices=prices,
            **pricing,
        )
    else:
        from tokstats.sources._inputs import expand

        sample = expand(args.sample)
        df = forecast(
            sample.paths, args.requests, args.models, output_tokens=args.output_tokens, prices=prices, **pricing
        )
        if sample.repeated:  # said once the forecast has succeeded: an error stays one line
            print(f"tokstats {args.command}: {sample.note()}", file=sys.stderr)
    return df


def add_prices_option(parser: argparse.ArgumentParser) -> None:
    """``--prices FILE`` and ``--as-of DATE``: which prices, on which day."""
    parser.add_argument(
        "--prices",
        metavar="FILE",
        help="price CSV overriding or extending the shipped prices (default: $TOKSTATS_PRICES if set)",
    )
    parser.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="quote the prices of that day, as the source records them (default: today)",
    )


def prices_note(source_label: str, copied: str, as_of: str, given: bool) -> str:
    """The line under a table saying whose prices, for which day."""
    when = f"as of {as_of}" + ("" if given else " (today)")
    return (
        f"prices {when}: {source_label} (snapshot copied {copied}); USD per 1M tokens; "
        "an empty since means the source records no start date for that price"
    )
