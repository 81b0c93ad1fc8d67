"""``tokstats compare``: encodings side by side on a built-in parallel corpus or on the user's files."""

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

ORDER = 20

EPILOG = """\
With no PATH, the built-in udhr corpus (the Universal Declaration of Human Rights, human
translations, its 45 curated languages; --languages all for its 528), one row per language,
with 95% bootstrap intervals over its aligned paragraphs; --languages, --script and --family
choose languages; --corpus parallel is the machine-translated 60-sentence corpus. With
PATHs, one row per input (--by language groups by the language column or gettext catalog
language instead). Inputs by suffix: .jsonl/.ndjson, .csv, .tsv,
.parquet, .po/.pot, .mo; anything else is plain text counted exactly as it is in the file.

PATHs may be globs ('data/**/*.jsonl', expanded here), "-" (standard input), file:// URLs and
folders of Parquet files (one input each); a file named twice is read once. --by language needs
--language-column (catalogs carry their language); the premium needs --id-column too.

A table fits 100 columns (less important columns are left out, the note says which; --wide shows
them all); Markdown shows the main metrics; CSV and JSON carry every metric for every encoding.

Examples:
  tokstats compare
  tokstats compare --encodings cl100k_base,o200k_base --reference en --format markdown
  tokstats compare --encodings o200k_base,hf:./tokenizer.json,sp:./spm.model
  tokstats compare --model gpt-4,gpt-4o
  tokstats compare --script Deva --encodings o200k_base,llama3
  tokstats compare README.md notes.txt
  tokstats compare data.jsonl --text-column body --language-column lang --by language
  tokstats compare de/LC_MESSAGES/messages.mo --format json
  tokstats compare warehouse/chats.parquet/ --text-column body --language-column lang --by language
  tokstats compare --wide
  tokstats compare --scheduler tcp://scheduler:8786 'data/*.jsonl' --text-column body
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "compare",
        help="compare tokenizers language by language, or on your own files",
        description="Token counts and efficiency metrics for two or more tokenizers.",
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="input files (default: the built-in udhr corpus)")
    add_encodings_option(p, "comma-separated tokenizers, old first: ratio = first / second")
    add_model_option(p, several=True)
    p.add_argument(
        "--reference", default="en", metavar="LANG", help="language the premium is relative to (default: en)"
    )
    p.add_argument(
        "--by",
        choices=("language", "source"),
        default=None,
        help="group rows by language or by source (default: language for the corpus, source for files)",
    )
    add_corpus_options(
        p,
        None,
        "to use when no PATH is given (default: udhr, human-translated; parallel: machine-translated, unreviewed)",
    )
    add_language_options(p)
    p.add_argument(
        "--renyi-alpha",
        type=float,
        default=2.5,
        metavar="ALPHA",
        help="order of the Rényi efficiency (CSV, JSON; default: 2.5, Zouhar et al. 2023)",
    )
    p.add_argument(
        "--no-words",
        action="store_true",
        help="leave out the word metrics (fertility, continued words: n/a); faster, no word segmenter is loaded",
    )
    p.add_argument("--text-column", default="text", help="JSONL/CSV/Parquet field holding the text (default: text)")
    p.add_argument("--language-column", default=None, help="JSONL/CSV/Parquet field holding a language code")
    p.add_argument(
        "--id-column",
        default=None,
        help="JSONL/CSV/Parquet field aligning translations of the same text (enables the premium)",
    )
    p.add_argument(
        "--input-format",
        default="auto",
        choices=("auto", "text", "jsonl", "csv", "tsv", "parquet", "po", "mo"),
        help="how to read the inputs (default: from each file's suffix)",
    )
    p.add_argument("--resamples", type=resamples_type, default=2000, help="bootstrap resamples (default: 2000)")
    p.add_argument("--seed", type=seed_type, default=20261123, help="bootstrap seed (default: 20261123)")
    add_format_option(p)
    add_wide_option(p)
    add_scheduler_option(p)
    p.set_defaults(func=run)


def _fmt(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _with_ci(value: float | None, lo: float | None, hi: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.2f} [n/a]" if lo is None or hi is None else f"{value:.2f} [{lo:.2f}, {hi:.2f}]"


def table_rows(rows: list[dict[str, Any]], encodings: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """The compact view for table and Markdown: main metrics, intervals as ``v [lo, hi]``."""
    named = any(r["language"] for r in rows)
    cols = ["language", "source"] if named else ["source"]  # a language's name first, its code beside
    cols += ["documents", "bytes", "characters", "isolated_words", *encodings]
    if len(encodings) == 2:
        cols += ["ratio", "reduction_%"]
    elif len(encodings) > 2:  # each tokenizer against the first, labelled with the one compared
        cols += [f"ratio:{n}" for n in encodings[1:]]
    show_premium = any(v is not None for r in rows for v in r["premium"].values())
    if show_premium:
        cols += [f"premium:{n}" for n in encodings]
    cols += [f"fertility:{n}" for n in encodings]
    unk = [n for n in encodings if any(r["unk_rate"][n] for r in rows)]
    cols += [f"unk_%:{n}" for n in unk]
    out = []
    for r in rows:
        d: dict[str, Any] = {k: r[k] for k in ("source", "language", "documents", "bytes", "characters")}
        # the words fertility divides by (Rust et al.: each word and punctuation mark alone)
        d["isolated_words"] = "n/a" if r["isolated_words"] is None else r["isolated_words"]
        d.update(r["tokens"])
        d["ratio"] = _with_ci(r["ratio"], r["ratio_ci_low"], r["ratio_ci_high"])
        d["reduction_%"] = _fmt(r["token_reduction_pct"], 1)
        for n in encodings[1:]:
            first = r["ratio_to_first"]
            d[f"ratio:{n}"] = _with_ci(
                first.get(n), r["ratio_to_first_ci_low"].get(n), r["ratio_to_first_ci_high"].get(n)
            )
        for n in encodings:
            d[f"premium:{n}"] = _with_ci(r["premium"][n], r["premium_ci_low"][n], r["premium_ci_high"][n])
            d[f"fertility:{n}"] = _fmt(r["fertility"][n])
        for n in unk:
            d[f"unk_%:{n}"] = _fmt(None if r["unk_rate"][n] is None else 100 * r["unk_rate"][n], 1)
        out.append(d)
    return out, cols


def _no_pattern_note(encodings: list[str]) -> str:
    """Say which tokenizers have no pre-token metrics (no split pattern), if any."""
    from tokstats.tokenizers import get_tokenizer

    missing = [n for n in encodings if get_tokenizer(n).split_pattern is None]
    if not missing:
        return ""
    return (
        f"single-token pre-tokens: n/a for {', '.join(missing)} (no split pattern to cut pre-tokens "
        "by); every other metric is measured the same way for every tokenizer"
    )


def premium_notes(rows: list[dict[str, Any]], args: argparse.Namespace) -> list[str]:
    """What the premium column means, and why it is missing or n/a where it is."""
    ref = args.reference
    values = [v for r in rows for v in r["premium"].values()]
    shown = any(v is not None for v in values)
    if shown:
        notes = [f"premium = tokens / tokens of the same text in {ref!r} (Petrov et al. 2023)"]
        if any(v is None for v in values):
            notes.append(
                f"premium n/a: no text in that row is aligned with {ref!r} text"
                + ("" if args.id_column or not args.paths else " (--id-column names the field linking translations)")
            )
        return notes
    if not args.paths:
        return [f"premium: not shown, the corpus has no {ref!r} text (--reference LANG)"]
    if args.id_column is None:
        return ["premium: not shown; it needs translations linked by --id-column, languages by --language-column"]
    if args.language_column is None:
        return ["premium: not shown; it needs each text's language: --language-column"]
    return [f"premium: not shown; no text shares an --id-column value with a {ref!r} text (--reference LANG)"]


def _parity(result: Any, args: argparse.Namespace) -> dict[str, Any]:
    """Per tokenizer, over the languages other than the reference: the Gini coefficient of the
    premiums and the languages within 1.2x of the reference (``tokstats rank --summary``); only
    for rows per language with premiums."""
    from tokstats.comparison._rank import parity_rows

    if (args.by or ("source" if args.paths else "language")) != "language":
        return {}
    rows = parity_rows(result, args.reference)
    if not any(r["languages"] for r in rows):
        return {}
    keys = ("languages", "gini", "within_1_2", "within_1_2_share")
    return {r["tokenizer"]: {k: r[k] for k in keys} for r in rows}


def _parity_note(parity: dict[str, Any], reference: str) -> str:
    if not parity or any(v["languages"] < 2 for v in parity.values()):
        return ""
    n = next(iter(parity.values()))["languages"]
    gini = ", ".join(f"{k} {v['gini']:.2f}" for k, v in parity.items())
    within = ", ".join(str(v["within_1_2"]) for v in parity.values())
    return f"parity over {n} languages: Gini of the premiums {gini}; within 1.2x of {reference!r}: {within}"


def run(args: argparse.Namespace) -> int:
    from tokstats.comparison._bootstrap import MIN_UNITS, BootstrapConfig
    from tokstats.comparison._compare import (
        compare_rows,
        flat_columns,
        flatten,
        json_columns,
    )
    from tokstats.errors import InputError
    from tokstats.output._render import render
    from tokstats.sources._readers import Columns

    measure = compare_rows
    if args.paths:  # resolved once here so that a repeated input is mentioned (the library reads it once)
        from tokstats.sources._inputs import expand

        resolved = expand(args.paths)
        args.paths = resolved.paths

    if args.resamples < 1:
        raise InputError(f"--resamples must be at least 1, not {args.resamples}")
    if args.scheduler is not None:  # the same rows, measured on a Dask cluster
        from functools import partial

        from tokstats.scale._compare import compare_rows as on_cluster

        if "-" in args.paths:
            raise InputError("'-' (standard input) is not available with --scheduler: workers cannot read it")
        measure = partial(on_cluster, scheduler=args.scheduler)
    specs = specs_from_args(args.encodings, args.model, list(DEFAULT_TOKENIZERS))
    extra: dict[str, Any] = {"words": False} if args.no_words else {}
    if args.scheduler is None:
        extra["progress"] = sys.stderr.isatty()
    result = measure(
        args.paths or None,
        tokenizers=specs,
        by=args.by,
        reference=args.reference,
        corpus=corpus_from_args(args),
        columns=Columns(args.text_column, args.language_column, args.id_column),
        input_format=args.input_format,
        config=BootstrapConfig(resamples=args.resamples, seed=args.seed),
        renyi_alpha=args.renyi_alpha,
        **language_options(args),
        **extra,
    )
    encs = result.encodings
    if args.paths and resolved.repeated:  # said once the run has succeeded: an error stays one line
        print(f"tokstats compare: {resolved.note()}", file=sys.stderr)
    parity = _parity(result, args)
    if args.format == "json":
        out = render(
            result.rows, json_columns(), "json", result.signature, extra={"parity": parity} if parity else None
        )
    elif args.format == "csv":
        out = render([flatten(r, encs) for r in result.rows], flat_columns(encs), "csv", result.signature)
    else:
        rows, cols = table_rows(result.rows, encs)
        fertility = [f"fertility:{n}" for n in reversed(encs)]
        dropped_last = [n for n in reversed(encs) if n in cols]  # token counts: the premiums say more
        dropped_last += [f"ratio:{n}" for n in reversed(encs[1:])]
        code = ["source"] if "language" in cols else []  # the name stays, its code goes
        rows, cols, hidden = fit_for_terminal(
            args,
            rows,
            cols,
            [*fertility, "documents", "reduction_%", "bytes", "characters", "isolated_words", *code, *dropped_last],
            [],
            shorten=["source"],
            keep_end=["source"],
        )
        more = hidden[0] if hidden else ""
        unit = "aligned units (paragraphs, sentences)" if not args.paths else "documents"
        notes = [
            f"ratio = {encs[0]} tokens / {encs[1]} tokens (above 1: {encs[1]} needs fewer)" if "ratio" in cols else "",
            f"ratio:X = {encs[0]} tokens / X tokens (above 1: X needs fewer than {encs[0]})"
            if any(c.startswith("ratio:") for c in cols)
            else "",
            *premium_notes(result.rows, args),
            "fertility = tokens per word, each word and punctuation mark tokenized alone (Rust et al. 2021); "
            "in running text: fertility_in_context (CSV, JSON)"
            if any(c.startswith("fertility:") for c in cols)
            else "",
            f"[lo, hi]: 95% percentile bootstrap interval over {unit} ({args.resamples} resamples, seed {args.seed})",
            "unk_% = tokens that are the unknown token, per 100 tokens (text the vocabulary cannot write)"
            if any(c.startswith("unk_%") for c in cols)
            else "",
            _no_pattern_note(encs),
            f"[n/a]: fewer than {MIN_UNITS} {unit}, too few for an interval" if "[n/a]" in str(rows) else "",
            *sorted(
                {
                    f"n/a words for {r['source']}: {r['word_segmentation'][5:]}"
                    for r in result.rows
                    if r["isolated_words"] is None and (r["word_segmentation"] or "").startswith("n/a: ")
                }
            ),
            _parity_note(parity, args.reference),
            more or "every metric for every encoding: --format csv or --format json",
        ]
        out = render(rows, cols, args.format, result.signature, notes=[n for n in notes if n])
    sys.stdout.write(out)
    return 0
