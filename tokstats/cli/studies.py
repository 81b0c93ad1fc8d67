"""``tokstats studies``: published FLORES-200 premiums beside tokstats' premiums on its corpora."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tokstats.cli._options import (
    HelpFormatter,
    add_format_option,
    add_wide_option,
    encoding_list,
    fit_for_terminal,
    resamples_type,
    seed_type,
)
from tokstats.defaults import DEFAULT_TOKENIZERS

ORDER = 25

EPILOG = """\
Premium = tokens of a language's text / tokens of the same text in English, summed over
aligned sentences (Petrov et al. 2023). Published: petrov2023 (cl100k_base, FLORES-200
dev+devtest), owoori (cl100k_base and o200k_base, FLORES-200 devtest), mothertoken (both,
FLORES+ dev); citations, URLs and hashes: corpora/published/studies.json.

The table shows, per language and encoding, the first study (in --studies order) that has the
language, tokstats' premium on each corpus and the difference in percent. CSV and JSON give
one row per language, encoding, study and corpus, with tokstats' 95% interval.
--summary: how far each corpus is from each study (median and largest difference, rank
correlation over languages).

Examples:
  tokstats studies
  tokstats studies --summary --format markdown
  tokstats studies --corpora udhr --studies owoori --format csv
"""


def _names(value: str) -> list[str]:
    names = [v.strip() for v in value.split(",") if v.strip()]
    if not names:
        raise argparse.ArgumentTypeError("give at least one name")
    return names


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "studies",
        help="published FLORES-200 premiums beside tokstats' premiums on its corpora",
        description="Per-language premiums published on FLORES-200 for cl100k_base and o200k_base, "
        "beside the premiums tokstats measures on its built-in corpora, with the difference.",
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    p.add_argument(
        "--corpora",
        type=_names,
        default=["udhr", "parallel"],
        help="comma-separated built-in corpora (default: udhr,parallel)",
    )
    p.add_argument(
        "--encodings",
        type=encoding_list,
        default=list(DEFAULT_TOKENIZERS),
        help="comma-separated encodings (default: cl100k_base,o200k_base)",
    )
    p.add_argument(
        "--studies",
        type=_names,
        default=None,
        help="comma-separated study ids, in order of preference (default: petrov2023,owoori,mothertoken)",
    )
    p.add_argument("--summary", action="store_true", help="one row per corpus, encoding and study: how far apart")
    p.add_argument("--resamples", type=resamples_type, default=2000, help="bootstrap resamples (default: 2000)")
    p.add_argument("--seed", type=seed_type, default=20261123, help="bootstrap seed (default: 20261123)")
    add_format_option(p)
    add_wide_option(p)
    p.set_defaults(func=run)


def _short(encoding: str) -> str:
    return encoding.removesuffix("_base")


def wide_rows(
    rows: list[dict[str, Any]], corpora: list[str], encodings: list[str]
) -> tuple[list[dict[str, Any]], list[str]]:
    """One row per language: per encoding the first study's premium, each corpus's and the difference."""
    cols = ["source", "language"]
    for enc in encodings:
        e = _short(enc)
        cols += [f"{e}:published", f"{e}:study"]
        for c in corpora:
            cols += [f"{e}:{c}", f"{e}:{c} Δ%"]
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        row = out.setdefault(r["source"], {"source": r["source"], "language": r["language"]})
        e = _short(r["encoding"])
        if row.setdefault(f"{e}:study", r["study"]) != r["study"]:
            continue  # a later study for a language an earlier one already gives
        row[f"{e}:published"] = r["published"]
        row[f"{e}:{r['corpus']}"] = r["premium"]
        row[f"{e}:{r['corpus']} Δ%"] = r["difference_pct"]
    return list(out.values()), cols


def run(args: argparse.Namespace) -> int:
    from tokstats.comparison._studies import (
        COLUMNS,
        SUMMARY_COLUMNS,
        compare_with_studies_rows,
        load_studies,
        summary_rows,
    )
    from tokstats.errors import InputError
    from tokstats.output._render import render

    if args.resamples < 1:
        raise InputError(f"--resamples must be at least 1, not {args.resamples}")
    rows, signature = compare_with_studies_rows(
        args.corpora, args.encodings, args.studies, resamples=args.resamples, seed=args.seed
    )
    summary = summary_rows(rows)
    if args.summary:
        digits = {c: 1 for c in SUMMARY_COLUMNS if c.endswith("_pct")}
        sys.stdout.write(
            render(summary, SUMMARY_COLUMNS, args.format, signature, digits={**digits, "rank_correlation": 3})
        )
        return 0
    if args.format in ("csv", "json"):
        sys.stdout.write(render(rows, COLUMNS, args.format, signature))
        return 0
    table, cols = wide_rows(rows, args.corpora, args.encodings)
    used = {v for r in table for k, v in r.items() if k.endswith(":study")}
    notes = [f"{s.id}: {s.citation}; {s.split}; {s.data_url}" for s in load_studies() if s.id in used]
    notes.append(
        "Δ% = 100 × (tokstats premium / published premium − 1); premium = tokens / English tokens of the same text"
    )
    notes += [
        f"{s['corpus']} vs {s['study']} ({s['encoding']}, {s['languages']} languages): median |Δ| "
        f"{s['median_abs_difference_pct']:.1f}%, rank correlation "
        + ("n/a" if s["rank_correlation"] is None else f"{s['rank_correlation']:.3f}")
        for s in summary
        if s["study"] in used
    ]
    digits = {c: (1 if c.endswith("Δ%") else 2) for c in cols}
    later = [c for c in cols if c.endswith(":study")] + [c for c in cols if "parallel" in c] + ["source"]
    mine = [c for c in cols if c not in later and ":" in c and not c.endswith(("Δ%", ":published"))]
    table, cols, notes = fit_for_terminal(args, table, list(cols), later + mine, notes, digits)
    sys.stdout.write(render(table, cols, args.format, signature, notes=notes, digits=digits))
    return 0
