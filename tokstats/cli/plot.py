"""``tokstats plot reproduce|compare|cost``: the charts, written to PNG, SVG or PDF."""

from __future__ import annotations

import argparse

from tokstats.cli._charts import check_output_path, write_chart
from tokstats.cli._options import (
    HelpFormatter,
    add_corpus_options,
    add_encodings_option,
    add_language_options,
    corpus_from_args,
    language_options,
    resamples_type,
    seed_type,
)
from tokstats.cli._workload import add_workload_options, forecast_from_args
from tokstats.defaults import DEFAULT_TOKENIZERS

ORDER = 60

EPILOG = """\
Every chart carries the signature of its numbers in small print underneath. The file type
follows the suffix of --output: .png (150 dpi), .svg or .pdf; a missing folder is created.

Examples:
  tokstats plot reproduce --output ratios.png
  tokstats plot compare --metric premium --output premium.svg
  tokstats plot compare --metric tokens --encodings cl100k_base,o200k_base --output tokens.png
  tokstats plot compare --metric ratio --sort name --output ratio.png
  tokstats plot compare README.md notes.txt --metric tokens --output my-files.png
  tokstats plot cost --language-mix hi=0.6,en=0.4 --requests 1000000 \\
      --models gpt-4-turbo,gpt-4o-2024-05-13 --output-tokens 200 --output cost.png
"""

METRICS = ("tokens", "premium", "ratio")

#: Row orders of the compare charts (``tokstats.plots._style.SORTS``, not imported: help stays light).
SORTS = ("value", "name", "corpus")


def _add_output(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--output", "-o", required=True, metavar="FILE", help="where to write the chart: FILE.png, FILE.svg or FILE.pdf"
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:

    p = sub.add_parser(
        "plot",
        help="draw a chart (reproduce, compare, cost, rank) to a PNG, SVG or PDF file",
        description="Draw the charts of tokstats reproduce, compare and cost to an image file.",
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    charts = p.add_subparsers(dest="chart", metavar="CHART", required=True)

    r = charts.add_parser(
        "reproduce",
        help="compression ratio per language: published vs measured (GPT-4o launch table)",
        epilog="Example:\n  tokstats plot reproduce --output ratios.png",
        formatter_class=HelpFormatter,
    )
    add_corpus_options(r, "gpt4o-launch", "to reproduce")
    _add_output(r)
    r.set_defaults(func=run_reproduce)

    c = charts.add_parser(
        "compare",
        help="tokens, premium or compression ratio per language on a parallel corpus, with 95%% intervals",
        epilog="tokens: mean tokens per aligned unit (a UDHR section, a sentence) per encoding, or\n"
        "with PATHs the total tokens of each input; premium: tokens / reference-language tokens on\n"
        "the same text; ratio: the first encoding's tokens / each other's. Rows are sorted by value,\n"
        "largest on top (--sort name or corpus for another order); a row where a tokenizer maps 5% or\n"
        "more of its tokens to the unknown token is marked [UNK n%].\n\n"
        "Examples:\n  tokstats plot compare --metric premium --output premium.png\n"
        "  tokstats plot compare notes.txt README.md --output files.png",
        formatter_class=HelpFormatter,
    )
    c.add_argument("paths", nargs="*", metavar="PATH", help="your files to chart (default: the corpus)")
    c.add_argument("--metric", choices=METRICS, default="tokens", help="what to chart (default: tokens)")
    c.add_argument(
        "--sort",
        choices=SORTS,
        default="value",
        help="order of the rows: value (largest on top), name, or corpus (as listed) (default: value)",
    )
    add_encodings_option(c, "comma-separated tokenizers, old first, any number", default=list(DEFAULT_TOKENIZERS))
    add_corpus_options(c, "udhr", "(a parallel corpus; udhr is human-translated)")
    c.add_argument(
        "--reference", default="en", metavar="LANG", help="language the premium is relative to (default: en)"
    )
    c.add_argument(
        "--by", choices=("language", "source"), default=None, help="with PATHs: group rows by language or by source"
    )
    c.add_argument("--text-column", default="text", help="JSONL/CSV/Parquet field holding the text (default: text)")
    c.add_argument("--language-column", default=None, help="JSONL/CSV/Parquet field holding a language code")
    c.add_argument(
        "--id-column", default=None, help="JSONL/CSV/Parquet field aligning translations (enables the premium)"
    )
    c.add_argument("--resamples", type=resamples_type, default=2000, help="bootstrap resamples (default: 2000)")
    c.add_argument("--seed", type=seed_type, default=20261123, help="bootstrap seed (default: 20261123)")
    _add_output(c)
    c.set_defaults(func=run_compare)

    k = charts.add_parser(
        "cost",
        help="monthly cost per model (input and output stacked), same options as tokstats cost",
        epilog="Example:\n  tokstats plot cost chats.jsonl --requests 100000 --models gpt-4-turbo,gpt-4o,gpt-4o-mini "
        "--output cost.png",
        formatter_class=HelpFormatter,
    )
    add_workload_options(k)
    _add_output(k)
    k.set_defaults(func=run_cost)

    g = charts.add_parser(
        "rank",
        help="who pays most: languages by premium for one tokenizer, readable with 500 languages",
        epilog="The languages that pay most and least (--top each, with 95%% intervals) and every language "
        "on one sorted curve, coloured by script.\n\n"
        "Example:\n  tokstats plot rank --tokenizer o200k_base --script Cyrl --output cyrillic.png",
        formatter_class=HelpFormatter,
    )
    g.add_argument("--tokenizer", default="o200k_base", metavar="SPEC", help="the tokenizer (default: o200k_base)")
    g.add_argument("--top", type=int, default=20, metavar="N", help="languages in each bar panel (default: 20)")
    g.add_argument("--reference", default="en", metavar="LANG", help="language of premium 1 (default: en)")
    add_language_options(g)
    add_corpus_options(g, None, "to rank on (default: udhr)")
    g.add_argument("--resamples", type=resamples_type, default=2000, help="bootstrap resamples (default: 2000)")
    g.add_argument("--seed", type=seed_type, default=20261123, help="bootstrap seed (default: 20261123)")
    _add_output(g)
    g.set_defaults(func=run_rank)


def run_rank(args: argparse.Namespace) -> int:
    from tokstats.comparison._rank import rank
    from tokstats.errors import InputError
    from tokstats.plots.rank import plot_rank

    check_output_path(args.output)
    if args.top < 1:
        raise InputError(f"--top must be at least 1, not {args.top}")
    df = rank(
        tokenizers=[args.tokenizer], by="premium", reference=args.reference, corpus=corpus_from_args(args),
        resamples=args.resamples, seed=args.seed, **language_options(args),
    )  # fmt: skip
    return write_chart(plot_rank(df, top=args.top), args.output)


def run_reproduce(args: argparse.Namespace) -> int:
    from tokstats.comparison._reproduction import reproduce
    from tokstats.plots.reproduce import plot_reproduction

    check_output_path(args.output)
    return write_chart(plot_reproduction(reproduce(corpus_from_args(args))), args.output)


def run_compare(args: argparse.Namespace) -> int:
    from tokstats.plots import compare as charts

    check_output_path(args.output)
    if args.metric == "tokens" and not args.paths:
        data = charts.tokens_per_sentence(
            corpus_from_args(args), args.encodings, resamples=args.resamples, seed=args.seed
        )
        fig = charts.plot_tokens(data, sort=args.sort)
    else:
        from tokstats.comparison._compare import compare
        from tokstats.errors import InputError

        paths = args.paths
        if paths:
            from tokstats.sources._inputs import expand

            paths = expand(paths).paths
        df = compare(
            paths or None,
            corpus=None if paths else corpus_from_args(args),
            tokenizers=args.encodings,
            reference=args.reference,
            by=args.by,
            text_column=args.text_column,
            language_column=args.language_column,
            id_column=args.id_column,
            resamples=args.resamples,
            seed=args.seed,
        )
        if args.metric == "tokens":
            fig = charts.plot_tokens(df, sort=args.sort)
        elif args.metric == "premium":
            if not any(df[c].notna().any() for c in df.columns if c.startswith("premium.")):
                raise InputError(
                    "--metric premium: no premium to chart; it needs translations linked by --id-column "
                    "and each text's language (--language-column)"
                )
            fig = charts.plot_premium(df, sort=args.sort)
        else:
            fig = charts.plot_ratio(df, sort=args.sort)
    return write_chart(fig, args.output)


def run_cost(args: argparse.Namespace) -> int:
    from tokstats.plots.cost import plot_cost

    check_output_path(args.output)
    return write_chart(plot_cost(forecast_from_args(args)), args.output)
