"""``tokstats vocab``: what vocabularies hold, per script, and what two of them share."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tokstats.cli._options import SPEC_HELP, HelpFormatter, add_format_option, add_wide_option, fit_for_terminal

ORDER = 35

EPILOG = """\
Over the ordinary tokens (special and control tokens left out), each as the bytes it writes.
A token belongs to a script when all its letters are in that script (ISO 15924 codes: Latn,
Cyrl, Hani …); none: no letter (spaces, digits, punctuation); mixed: letters of several
scripts; bytes: not valid UTF-8 on its own (a piece of a character).

With two or more tokenizers, shared = byte strings both vocabularies hold, for each pair
(JSON: "pairs", and "shared" for exactly two).

Examples:
  tokstats vocab cl100k_base o200k_base
  tokstats vocab o200k_base llama3 qwen --scripts
  tokstats vocab cl100k_base o200k_base --format json
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "vocab",
        help="vocabulary sizes, tokens per script, tokens shared between vocabularies",
        description="What one or more vocabularies hold: size, tokens per script, tokens not valid "
        "UTF-8 alone, mean token length in bytes, and the tokens two vocabularies share.",
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    p.add_argument("tokenizers", nargs="+", metavar="SPEC", help=f"tokenizers; each {SPEC_HELP}")
    p.add_argument("--scripts", action="store_true", help="one row per script: tokens and mean bytes per tokenizer")
    add_format_option(p)
    add_wide_option(p)
    p.set_defaults(func=run)


def _script_rows(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    scripts: dict[str, int] = {}
    for r in rows:
        for s, n in r["scripts"].items():
            scripts[s] = scripts.get(s, 0) + n
    out = []
    for s in sorted(scripts, key=lambda k: (-scripts[k], k)):
        d: dict[str, Any] = {"script": s}
        for r in rows:
            d[f"tokens.{r['tokenizer']}"] = r["scripts"].get(s, 0)
            d[f"mean_bytes.{r['tokenizer']}"] = r["mean_bytes_by_script"].get(s)
        out.append(d)
    names = [r["tokenizer"] for r in rows]
    return out, ["script", *(f"tokens.{n}" for n in names), *(f"mean_bytes.{n}" for n in names)]


def run(args: argparse.Namespace) -> int:
    from tokstats.comparison._vocab_stats import pair_rows, vocabulary_rows
    from tokstats.output._render import render
    from tokstats.output._signature import build_signature

    toks, rows = vocabulary_rows(args.tokenizers)
    pairs = pair_rows(toks)
    signature = build_signature(toks)
    if args.scripts:
        out, cols = _script_rows(rows)
        if args.format == "json":
            sys.stdout.write(render(out, cols, "json", signature))
            return 0
        if args.format != "csv":
            out, cols, hidden = fit_for_terminal(args, out, cols, cols[:0:-1], [], keep_end=["script"])
        sys.stdout.write(render(out, cols, args.format, signature, digits={c: 2 for c in cols}))
        return 0
    if args.format == "json":
        extra: dict[str, Any] = {"pairs": pairs}
        if len(pairs) == 1:
            extra["shared"] = pairs[0]["shared"]
        cols = ["tokenizer", "vocabulary", "not_utf8", "mean_bytes", "scripts", "mean_bytes_by_script"]
        sys.stdout.write(render(rows, cols, "json", signature, extra=extra))
        return 0
    top: dict[str, int] = {}
    for r in rows:
        for s, n in r["scripts"].items():
            if s not in ("none", "mixed", "bytes"):
                top[s] = top.get(s, 0) + n
    scripts = sorted(top, key=lambda k: (-top[k], k))[:8]
    flat = [
        {
            **{k: r[k] for k in ("tokenizer", "vocabulary", "not_utf8", "mean_bytes")},
            "none": r["scripts"].get("none", 0),
            "mixed": r["scripts"].get("mixed", 0),
            **{s: r["scripts"].get(s, 0) for s in scripts},
        }
        for r in rows
    ]
    cols = ["tokenizer", "vocabulary", "not_utf8", "mean_bytes", "none", "mixed", *scripts]
    notes = [f"shared byte strings: {p['a']} and {p['b']}: {p['shared']}" for p in pairs]
    if args.format != "csv":
        flat, cols, hidden = fit_for_terminal(args, flat, cols, scripts[::-1], [], keep_end=["tokenizer"])
        notes += hidden
        notes.append("script columns: tokens all of whose letters are in that script; every script: --scripts")
    sys.stdout.write(render(flat, cols, args.format, signature, notes=notes, digits={"mean_bytes": 2}))
    return 0
