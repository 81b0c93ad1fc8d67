"""``tokstats report``: the comparison as one self-contained HTML file (charts, tables, tokens)."""

from __future__ import annotations

import argparse
import sys

from tokstats.cli._options import (
    HelpFormatter,
    add_corpus_options,
    add_encodings_option,
    corpus_from_args,
    model_list,
    resamples_type,
    seed_type,
)

ORDER = 65

EPILOG = """\
The file holds everything it shows: the charts (Plotly.js, inline from the installed plotly
package), the tables, the data and the signature. It opens from disk in any browser with no
network connection. Charts: the premium by language, the compression ratio, the tokens, and
with --models the input cost per model with the saving split into its tokenizer and price
parts; each sorted by value. Tables sort on a click of a header and filter as you type.

With no PATH, the built-in udhr corpus; with PATHs, one row per input (options as tokstats
compare). Needs the report extra: pip install 'tokstats[report]'.

Examples:
  tokstats report --output report.html
  tokstats report --models gpt-4-turbo,gpt-4o --output cost-report.html
  tokstats report --encodings cl100k_base,o200k_base,llama3 --corpus parallel --output r.html
  tokstats report README.md notes.txt --output my-files.html
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "report",
        help="write the comparison as one self-contained HTML page: interactive charts, tables, tokens",
        description="Compare tokenizers and write the result as one HTML file that opens offline.",
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="input files (default: the built-in udhr corpus)")
    add_encodings_option(p, "comma-separated tokenizers, old first")
    p.add_argument(
        "--models",
        type=model_list,
        default=None,
        metavar="NAME[,NAME…]",
        help="models to price instead of --encodings (their tokenizers are compared; the first is the baseline "
        "of the saving), e.g. gpt-4-turbo,gpt-4o",
    )
    p.add_argument(
        "--reference", default="en", metavar="LANG", help="language the premium is relative to (default: en)"
    )
    p.add_argument("--by", choices=("language", "source"), default=None, help="group rows by language or by source")
    add_corpus_options(p, None, "to use when no PATH is given (default: udhr)")
    p.add_argument("--text-column", default="text", help="JSONL/CSV/Parquet field holding the text (default: text)")
    p.add_argument("--language-column", default=None, help="JSONL/CSV/Parquet field holding a language code")
    p.add_argument(
        "--id-column", default=None, help="JSONL/CSV/Parquet field aligning translations (enables the premium)"
    )
    p.add_argument(
        "--input-format",
        default="auto",
        choices=("auto", "text", "jsonl", "csv", "tsv", "parquet", "po", "mo"),
        help="how to read the inputs (default: from each file's suffix)",
    )
    p.add_argument("--resamples", type=resamples_type, default=2000, help="bootstrap resamples (default: 2000)")
    p.add_argument("--seed", type=seed_type, default=20261123, help="bootstrap seed (default: 20261123)")
    p.add_argument("--title", default=None, help="the page's title (default: what was compared on what)")
    p.add_argument("--output", "-o", required=True, metavar="FILE.html", help="where to write the report")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import os

    from tokstats.errors import InputError

    if not args.output.lower().endswith((".html", ".htm")):
        raise InputError(f"--output {args.output}: a report is an HTML file; give a name ending in .html")
    if os.path.lexists(args.output) and not os.path.isfile(args.output):
        raise InputError(f"--output {args.output}: exists and is not a regular file; give a file name")
    from tokstats.report._html import plotly_js

    plotly_js()  # a missing extra is said before anything is measured
    from tokstats.report import gather, write_report

    paths = args.paths
    if paths:
        from tokstats.sources import expand

        paths = expand(paths).paths
    data = gather(
        paths or None,
        tokenizers=args.encodings,
        models=args.models,
        corpus=corpus_from_args(args),
        reference=args.reference,
        by=args.by,
        text_column=args.text_column,
        language_column=args.language_column,
        id_column=args.id_column,
        input_format=args.input_format,
        resamples=args.resamples,
        seed=args.seed,
    )
    write_report(args.output, data, title=args.title)
    size = os.path.getsize(args.output)
    print(f"wrote {args.output} (HTML, {size / 1e6:.1f} MB, self-contained)", file=sys.stderr)
    return 0
