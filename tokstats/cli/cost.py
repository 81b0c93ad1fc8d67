"""``tokstats cost``: forecast a month of requests on each model, and where the saving comes from."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from tokstats.cli._charts import check_output_path, write_chart
from tokstats.cli._options import (
    HelpFormatter,
    add_format_option,
    add_wide_option,
    fit_for_terminal,
)
from tokstats.cli._workload import (
    add_workload_options,
    forecast_from_args,
    parse_share,
    prices_note,
)

if TYPE_CHECKING:
    pass

ORDER = 50

TABLE_COLUMNS = [
    "model",
    "tokenizer",
    "input_tokens",
    "output_tokens",
    "input_per_1m",
    "output_per_1m",
    "monthly_cost",
    "saving",
    "saving_tokenizer",
    "saving_price",
    "since",
    "priced_as",
]

EPILOG = """\
SAMPLE: JSONL files (*.jsonl, *.ndjson), one request per line:
  {"messages": [{"role": "user", "content": "..."}], "completion": "..."}
or any other file, whose whole text is one prompt (one user message). Without a sample,
--language-mix forecasts from the built-in parallel corpus.

A request without a "completion" is charged --output-tokens K output tokens.

monthly_cost = requests x mean tokens x USD per 1M / 1e6, input and output. saving is against the
first model; saving_tokenizer = first model's prices x the token difference, saving_price = the
price difference x this model's tokens; they add up to saving. With --cached-share S the input
price is (1 - S) x input + S x cached input; --batch uses the batch rates; --as-of DATE that
day's prices (default: today; an alias such as gpt-4o is priced as the snapshot it meant then,
shown in priced_as). Prices: genai-prices, every provider it knows (see `tokstats prices`).
Models are PROVIDER:MODEL or a name its maker serves; each is counted with its own tokenizer
(tokenizer column); one tokstats has none for is refused unless --tokenizer-for names a
stand-in, and its rows are marked ~ (approximate). --reasoning-tokens K charges K hidden
reasoning tokens per request at the output rate.

Examples:
  tokstats cost chats.jsonl --requests 100000 --models gpt-4-turbo,gpt-4o,gpt-4o-mini --output-tokens 250
  tokstats cost prompt.txt --requests 50000 --models gpt-4o-2024-08-06,o3-pro,gpt-5 --output-tokens 300
  tokstats cost prompt.txt --requests 50000 --models o3 --output-tokens 300 --as-of 2025-06-01
  tokstats cost prompt.txt --requests 50000 --models gpt-4o-mini,azure:gpt-4o-mini,cerebras:gpt-oss-120b \
      --output-tokens 300
  tokstats cost prompt.txt --requests 50000 --models gpt-4o,anthropic:claude-3-5-sonnet --output-tokens 300 \
      --tokenizer-for anthropic:claude-3-5-sonnet=o200k_base
  tokstats cost prompt.txt --requests 50000 --models o3,o4-mini --output-tokens 300 --reasoning-tokens 500
  tokstats cost chats.jsonl --requests 100000 --models gpt-4.1,gpt-5 --cached-share 0.6 --batch
  tokstats cost --language-mix hi=0.6,en=0.4 --requests 1000000 --models gpt-4-turbo,gpt-4o-2024-05-13 \\
      --output-tokens 200 --plot cost.png
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "cost",
        help="forecast the monthly cost of a workload on each model",
        description="Count a sample of chat requests with each model's tokenizer and message rules, "
        "and forecast the cost of N requests a month.",
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    add_workload_options(p)
    p.add_argument(
        "--plot",
        metavar="FILE",
        help="also save the chart of `tokstats plot cost` (.png, .svg or .pdf; a missing folder is created)",
    )
    add_format_option(p)
    add_wide_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tokstats.cost._forecast import COLUMNS
    from tokstats.output._render import render

    if args.plot:  # an unknown suffix fails before any counting; a missing folder is created
        check_output_path(args.plot, "--plot")
    df = forecast_from_args(args)
    signature = df.attrs["signature"]
    rows: list[dict[str, Any]] = [{str(k): _plain(v) for k, v in r.items()} for r in df.to_dict("records")]
    if args.plot:  # the chart of `tokstats plot cost`, saved the same way
        from tokstats.plots.cost import plot_cost

        write_chart(plot_cost(df), args.plot, "--plot")
    columns = COLUMNS if args.format in ("json", "csv") else TABLE_COLUMNS
    if args.format in ("table", "markdown"):  # a visible mark on rows priced with a stand-in tokenizer
        for r in rows:
            if r["approximate"]:
                r["model"] = f"~{r['model']}"
    notes = []
    if args.format in ("table", "markdown"):
        notes += _notes(args, rows)
    over = [r for r in rows if r["over_context"]]
    for r in over:  # also on stderr, whatever the format: a request over the window would fail
        print(
            f"tokstats cost: warning: {r['over_context']} sample request(s) exceed {r['model']}'s context window "
            f"of {r['context_window']:,} tokens",
            file=sys.stderr,
        )
    digits = {c: 2 for c in ("monthly_cost", "saving", "saving_tokenizer", "saving_price")}
    digits.update(input_tokens=1, output_tokens=1)
    rows, columns, notes = fit_for_terminal(
        args,
        rows,
        list(columns),
        [
            "since",
            "priced_as",
            "output_tokens",
            "input_tokens",
            "tokenizer",
            "output_per_1m",
            "input_per_1m",
        ],
        notes,
        digits,
    )
    sys.stdout.write(render(rows, columns, args.format, signature, notes=notes, digits=digits))
    return 0


def _plain(value: Any) -> Any:
    """A DataFrame cell as a plain value: a missing number (NaN, NA) is None, a whole count an int."""
    import pandas as pd

    if value is None or (not isinstance(value, str | bool) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return value


def _notes(args: argparse.Namespace, rows: list[dict[str, Any]]) -> list[str]:
    """The lines under the cost table: what the numbers are, whose prices for which day, caveats."""
    from tokstats.cost._price_source import load_source

    source = load_source()
    how = []
    share = parse_share(args.cached_share)
    if share:
        how.append(f"{share:g} of input tokens cached")
    if args.batch:
        how.append("batch rates")
    notes = [
        f"monthly_cost in USD for {args.requests:,} requests; tokens are means per request; "
        f"saving vs {args.models[0]} = saving_tokenizer + saving_price"
        + (f"; {', '.join(how)} (effective prices in --format csv/json)" if how else ""),
        prices_note(source.label, source.provenance["copied"], str(rows[0]["as_of"]), args.as_of is not None),
    ]
    approximate = [r["model"] for r in rows if r["approximate"]]
    if approximate:
        notes.append(
            "~ approximate: counted with a stand-in tokenizer (--tokenizer-for), not the model's own: "
            + ", ".join(approximate)
        )
    hidden = [r["model"] for r in rows if "hidden reasoning tokens not counted" in str(r["note"])]
    if hidden:
        notes.append(
            "hidden reasoning tokens were not counted (add --reasoning-tokens K, or usage in the JSONL sample) for: "
            + ", ".join(hidden)
        )
    reasoning = [r for r in rows if r["reasoning_tokens"]]
    if reasoning:
        notes.append("output_tokens include hidden reasoning tokens (reasoning_tokens in --format csv/json)")
    assumed = [r["model"] for r in rows if str(r["message_rules"]).startswith("assumed")]
    if assumed:
        notes.append(f"chat framing assumed (gpt-4o/gpt-4 rules; not in OpenAI's cookbook) for: {', '.join(assumed)}")
    if share:
        uncached = [r["model"] for r in rows if r["cached_input_per_1m"] is None]
        if uncached:
            notes.append(f"no cached-input rate (cached tokens charged at the input rate): {', '.join(uncached)}")
    for r in rows:
        if r["over_context"]:
            notes.append(
                f"{r['over_context']} sample request(s) exceed {r['model']}'s context window "
                f"({r['context_window']:,} input tokens)"
            )
    return notes
