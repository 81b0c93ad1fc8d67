"""``tokstats compare``: encodings side by side on the parallel corpus or on the user's files."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tokstats.cli._options import add_format_option, encoding_list
from tokstats.distributed import add_scheduler_option

ORDER = 20

EPILOG = """\
With no PATH, the built-in parallel corpus, one row per language, with 95% bootstrap
intervals over sentences. With PATHs, one row per input (--by language groups by the language
column or gettext catalog language instead). Inputs by suffix: .jsonl/.ndjson, .csv, .tsv,
.parquet, .po/.pot, .mo; anything else is plain text counted exactly as it is in the file.

Table and Markdown show the main metrics; CSV and JSON carry every metric for every encoding.

Examples:
  tokstats compare
  tokstats compare --encodings cl100k_base,o200k_base --reference en --format markdown
  tokstats compare README.md notes.txt
  tokstats compare data.jsonl --text-column body --language-column lang --by language
  tokstats compare de/LC_MESSAGES/messages.mo --format json
  tokstats compare --scheduler tcp://scheduler:8786 'data/*.jsonl' --text-column body
"""


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser(
        "compare",
        help="compare encodings language by language, or on your own files",
        description="Token counts and efficiency metrics for two or more encodings.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="input files (default: the built-in parallel corpus)")
    p.add_argument("--encodings", type=encoding_list, default=["cl100k_base", "o200k_base"],
                   help="comma-separated encodings, old first: ratio = first / second (default: cl100k_base,o200k_base)")
    p.add_argument("--reference", default="en", metavar="LANG",
                   help="language the premium is relative to (default: en)")
    p.add_argument("--by", choices=("language", "source"), default=None,
                   help="group rows by language or by source (default: language for the corpus, source for files)")
    p.add_argument("--corpus", default=None, help="built-in corpus to use when no PATH is given (default: parallel)")
    p.add_argument("--text-column", default="text", help="JSONL/CSV/Parquet field holding the text (default: text)")
    p.add_argument("--language-column", default=None, help="JSONL/CSV/Parquet field holding a language code")
    p.add_argument("--id-column", default=None,
                   help="JSONL/CSV/Parquet field aligning translations of the same text (enables the premium)")
    p.add_argument("--input-format", default="auto",
                   choices=("auto", "text", "jsonl", "csv", "tsv", "parquet", "po", "mo"),
                   help="how to read the inputs (default: from each file's suffix)")
    p.add_argument("--resamples", type=int, default=2000, help="bootstrap resamples (default: 2000)")
    p.add_argument("--seed", type=int, default=20261123, help="bootstrap seed (default: 20261123)")
    add_format_option(p)
    add_scheduler_option(p)
    p.set_defaults(func=run)


def _fmt(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _with_ci(value: float | None, lo: float | None, hi: float | None) -> str:
    if value is None:
        return "n/a"
    return _fmt(value) if lo is None or hi is None else f"{value:.2f} [{lo:.2f}, {hi:.2f}]"


def table_rows(rows: list[dict[str, Any]], encodings: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """The compact view for table and Markdown: main metrics, intervals as ``v [lo, hi]``."""
    cols = ["source"]
    if any(r["language"] for r in rows):
        cols.append("language")
    cols += ["documents", "bytes", "characters", "words", *encodings]
    if len(encodings) >= 2:
        cols += ["ratio", "reduction_%"]
    show_premium = any(v is not None for r in rows for v in r["premium"].values())
    if show_premium:
        cols += [f"premium:{n}" for n in encodings]
    cols += [f"fertility:{n}" for n in encodings]
    out = []
    for r in rows:
        d: dict[str, Any] = {k: r[k] for k in ("source", "language", "documents", "bytes", "characters")}
        d["words"] = "n/a" if r["words"] is None else r["words"]
        d.update(r["tokens"])
        d["ratio"] = _with_ci(r["ratio"], r["ratio_ci_low"], r["ratio_ci_high"])
        d["reduction_%"] = _fmt(r["token_reduction_pct"], 1)
        for n in encodings:
            d[f"premium:{n}"] = _with_ci(r["premium"][n], r["premium_ci_low"][n], r["premium_ci_high"][n])
            d[f"fertility:{n}"] = _fmt(r["fertility"][n])
        out.append(d)
    return out, cols


def run(args: argparse.Namespace) -> int:
    from tokstats.bootstrap import BootstrapConfig
    from tokstats.comparison import compare_rows, flat_columns, flatten, json_columns
    from tokstats.errors import InputError
    from tokstats.readers import Columns
    from tokstats.render import render

    measure = compare_rows

    if args.resamples < 1:
        raise InputError(f"--resamples must be at least 1, not {args.resamples}")
    if args.scheduler is not None:  # the same rows, measured on a Dask cluster
        from functools import partial

        from tokstats.distributed_compare import compare_rows as on_cluster

        measure = partial(on_cluster, scheduler=args.scheduler)
    result = measure(
        args.paths or None, encodings=args.encodings, by=args.by, reference=args.reference,
        corpus=args.corpus, columns=Columns(args.text_column, args.language_column, args.id_column),
        input_format=args.input_format, config=BootstrapConfig(resamples=args.resamples, seed=args.seed),
    )
    encs = result.encodings
    if args.format == "json":
        out = render(result.rows, json_columns(), "json", result.signature)
    elif args.format == "csv":
        out = render([flatten(r, encs) for r in result.rows], flat_columns(encs), "csv", result.signature)
    else:
        rows, cols = table_rows(result.rows, encs)
        unit = "sentences" if not args.paths else "documents"
        notes = [
            f"ratio = {encs[0]} tokens / {encs[1]} tokens (above 1: {encs[1]} needs fewer)" if len(encs) > 1 else "",
            f"premium = tokens / tokens of the same text in {args.reference!r} (Petrov et al. 2023); "
            "fertility = tokens per word (Rust et al. 2021)",
            f"[lo, hi]: 95% percentile bootstrap interval over {unit} ({args.resamples} resamples, seed {args.seed})",
            "n/a: words are not defined for scripts written without spaces (Chinese, Japanese, Thai …)",
            "every metric for every encoding: --format csv or --format json",
        ]
        out = render(rows, cols, args.format, result.signature, notes=[n for n in notes if n])
    sys.stdout.write(out)
    return 0
