"""``tokstats encodings``: each encoding, where it loads from and whether it verified."""

from __future__ import annotations

import argparse
import sys

from tokstats.cli._options import add_format_option, add_wide_option

ORDER = 90

COLUMNS = ["name", "source", "verified", "expected_sha256", "detail"]


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser(
        "encodings",
        help="list encodings, where their rank files load from, and whether they verified",
        description=(
            "List every tiktoken encoding. cl100k_base, o200k_base and o200k_harmony load from rank "
            "files shipped with tokstats, checked against the sha256 tiktoken pins; the others "
            "load through tiktoken's cache or download."
        ),
        epilog="Example:\n  tokstats encodings --model gpt-4o-mini",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--model", help="show only the encoding this OpenAI model uses")
    add_format_option(p)
    add_wide_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from tokstats.encodings import encoding_name_for_model, encoding_status, list_encodings
    from tokstats.render import render
    from tokstats.signature import build_signature

    names = [encoding_name_for_model(args.model)] if args.model else list_encodings()
    rows = [asdict(encoding_status(n)) for n in names]
    if args.model:
        for r in rows:
            r["model"] = args.model
    verified = [r["name"] for r in rows if r["verified"] == "yes"]
    columns = (["model"] if args.model else []) + COLUMNS
    notes: list[str] = []
    if args.format == "table" and not args.wide:  # fit 100 columns; --wide / csv / json: everything
        from tokstats.fit import fit_table

        for r in rows:  # the detail of a verified file only repeats its sha256
            if r["detail"] == f"sha256 {r['expected_sha256']}":
                r["detail"] = ""
        fitted = fit_table(rows, columns, drop=["detail"], shorten=["source", "expected_sha256", "detail"],
                           keep_end=["source"])
        rows, columns, notes = fitted.rows, fitted.columns, [fitted.note() or "full paths and hashes: --wide"]
    sys.stdout.write(render(rows, columns, args.format, build_signature(verified), notes=notes))
    return 1 if any(r["verified"] == "no" for r in rows) else 0
