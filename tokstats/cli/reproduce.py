"""``tokstats reproduce``: the GPT-4o launch table, published vs measured."""

from __future__ import annotations

import argparse
import sys

from tokstats.cli._options import add_corpus_options, add_format_option, corpus_from_args

ORDER = 10

EPILOG = """\
Exit status: 0 when every row reproduces the published counts, 1 when any does not.

Example:
  tokstats reproduce --format markdown
"""


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser(
        "reproduce",
        help="reproduce the GPT-4o launch compression table",
        description="Print the published GPT-4o tokenization table beside counts measured now.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_corpus_options(p, "gpt4o-launch", "to reproduce")
    add_format_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tokstats.render import render
    from tokstats.reproduction import COLUMNS, reproduce_rows

    rows, signature = reproduce_rows(corpus_from_args(args))
    notes: list[str] = []
    shown = [dict(r) for r in rows]
    if args.format in ("table", "markdown"):
        for r in shown:
            if r["note"]:
                notes.append(f"[{len(notes) + 1}] {r['language']}: {r['note']}")
                r["note"] = f"[{len(notes)}]"
    sys.stdout.write(render(shown, COLUMNS, args.format, signature, notes=notes, digits={"published_ratio": 1}))
    failed = [r["language"] for r in rows if not r["reproduced"]]
    if failed:
        print(
            f"tokstats reproduce: {len(failed)} of {len(rows)} rows do not reproduce: {', '.join(failed)}",
            file=sys.stderr,
        )
        return 1
    return 0
