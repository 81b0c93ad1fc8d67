"""``tokstats cost``: forecast a month of requests on each model, and where the saving comes from."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from tokstats.cli._options import add_format_option, output_tokens_type, requests_type
from tokstats.cli.prices import add_prices_option

if TYPE_CHECKING:
    import pandas as pd

ORDER = 50

TABLE_COLUMNS = [
    "model", "encoding", "input_tokens", "output_tokens", "input_per_1m", "output_per_1m",
    "monthly_cost", "saving", "saving_tokenizer", "saving_price", "as_of",
]

EPILOG = """\
SAMPLE: JSONL files (*.jsonl, *.ndjson), one request per line:
  {"messages": [{"role": "user", "content": "..."}], "completion": "..."}
or any other file, whose whole text is one prompt (one user message). Without a sample,
--language-mix forecasts from the built-in parallel corpus.

monthly_cost = requests x mean tokens x USD per 1M / 1e6, input and output. saving is against the
first model; saving_tokenizer = first model's prices x the token difference, saving_price = the
price difference x this model's tokens; they add up to saving.

Examples:
  tokstats cost chats.jsonl --requests 100000 --models gpt-4-turbo,gpt-4o,gpt-4o-mini
  tokstats cost prompt.txt --requests 50000 --models gpt-4,gpt-4o --output-tokens 300
  tokstats cost --language-mix hi=0.6,en=0.4 --requests 1000000 --models gpt-4-turbo,gpt-4o-2024-05-13 \\
      --output-tokens 200 --plot cost.png
"""


def _models(text: str) -> list[str]:
    models = [m.strip() for m in text.split(",") if m.strip()]
    if not models:
        raise argparse.ArgumentTypeError("give at least one model, e.g. gpt-4o,gpt-4o-mini")
    return models


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser(
        "cost",
        help="forecast the monthly cost of a workload on each model",
        description="Count a sample of chat requests with each model's tokenizer and message rules, "
        "and forecast the cost of N requests a month.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_workload_options(p)
    p.add_argument("--plot", metavar="FILE", help="also save a stacked input/output bar chart (png, svg, pdf …)")
    add_format_option(p)
    p.set_defaults(func=run)


def add_workload_options(p: argparse.ArgumentParser) -> None:
    """The workload options shared by ``tokstats cost`` and ``tokstats plot cost``."""
    p.add_argument("sample", nargs="*", metavar="SAMPLE", help="JSONL request files or plain text prompt files")
    p.add_argument("--requests", type=requests_type, required=True, metavar="N", help="requests per month")
    p.add_argument("--models", type=_models, required=True, metavar="M1,M2,…",
                   help="models to compare, comma-separated; the first is the baseline for savings")
    p.add_argument("--output-tokens", type=output_tokens_type, metavar="K",
                   help="output tokens per request without a \"completion\" (required for text files and --language-mix)")
    p.add_argument("--language-mix", metavar="CODE=W,…",
                   help="forecast from the built-in parallel corpus mixed by language, e.g. hi=0.6,en=0.4")
    add_prices_option(p)


def forecast_from_args(args: argparse.Namespace) -> "pd.DataFrame":
    """The forecast the workload options describe (a sample, or a language mix), checked."""
    from tokstats.errors import InputError
    from tokstats.forecast import forecast, forecast_language_mix
    from tokstats.prices import load_prices

    if args.sample and args.language_mix:
        raise InputError("give either SAMPLE files or --language-mix, not both")
    if not args.sample and not args.language_mix:
        raise InputError("nothing to forecast: give SAMPLE files or --language-mix CODE=W,…")
    prices = load_prices(args.prices)
    if args.language_mix:
        if args.output_tokens is None:
            raise InputError("--language-mix needs --output-tokens K (the corpus has no replies)")
        df = forecast_language_mix(
            args.language_mix, args.requests, args.models, output_tokens=args.output_tokens, prices=prices
        )
    else:
        df = forecast(args.sample, args.requests, args.models, output_tokens=args.output_tokens, prices=prices)
    return df


def run(args: argparse.Namespace) -> int:
    from tokstats.errors import InputError
    from tokstats.forecast import COLUMNS
    from tokstats.render import render

    df = forecast_from_args(args)
    signature = df.attrs["signature"]
    rows: list[dict[str, Any]] = [{str(k): v for k, v in r.items()} for r in df.to_dict("records")]
    if args.plot:
        from tokstats.plots.cost import plot_cost

        from tokstats.plots._style import save

        formats = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
        try:
            save(plot_cost(df), args.plot, formats)
        except InputError as e:
            raise InputError(str(e).replace("--output", "--plot", 1)) from None
    columns = COLUMNS if args.format in ("json", "csv") else TABLE_COLUMNS
    notes = []
    if args.format in ("table", "markdown"):
        notes.append(f"monthly_cost in USD for {args.requests:,} requests; tokens are means per request; "
                     f"saving vs {args.models[0]} = saving_tokenizer + saving_price")
        assumed = [r["model"] for r in rows if str(r["message_rules"]).startswith("assumed")]
        if assumed:
            notes.append(f"chat framing assumed (gpt-4o/gpt-4 rules; not in OpenAI's cookbook) for: {', '.join(assumed)}")
    digits = {c: 2 for c in ("monthly_cost", "saving", "saving_tokenizer", "saving_price")}
    digits.update(input_tokens=1, output_tokens=1)
    sys.stdout.write(render(rows, columns, args.format, signature, notes=notes, digits=digits))
    return 0
