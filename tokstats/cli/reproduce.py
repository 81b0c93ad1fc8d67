"""``tokstats reproduce``: the GPT-4o launch table, published vs measured."""

from __future__ import annotations

import argparse
import sys

from tokstats.cli._options import (
    HelpFormatter,
    add_corpus_options,
    add_format_option,
    corpus_from_args,
)

ORDER = 10

EPILOG = """\
Exit status: 0 when every row reproduces the published counts, 1 when any does not.

Example:
  tokstats reproduce --format markdown
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "reproduce",
        help="reproduce the GPT-4o launch compression table",
        description="Print the published GPT-4o tokenization table beside counts measured now.",
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    add_corpus_options(p, "gpt4o-launch", "to reproduce")
    add_format_option(p)
    p.set_defaults(func=run)


#: Table and Markdown columns: narrow enough for a 100-column terminal. CSV and JSON keep
#: ``tokstats.comparison._reproduction.COLUMNS`` in full.
TEXT_COLUMNS = ["language", "published", "published_ratio", "measured", "ratio", "reproduced", "note"]


def _text_rows(rows: list[dict[str, object]]) -> tuple[list[dict[str, object]], list[str]]:
    """Rows for table/Markdown: counts as ``cl100k → o200k``, notes numbered and wrapped below."""
    import textwrap

    shown: list[dict[str, object]] = []
    notes: list[str] = []
    n = 0
    for r in rows:
        note = ""
        if r["note"]:
            n += 1
            displayed = ""
            if r["displayed_cl100k"] is not None:
                displayed = f" As displayed today: {r['displayed_cl100k']} → {r['displayed_o200k']}."
            notes += textwrap.wrap(
                f"[{n}] {r['language']}: {r['note']}.{displayed}", width=96, subsequent_indent="    "
            )
            note = f"[{n}]"
        shown.append(
            {
                "language": r["language"],
                "published": f"{r['published_cl100k']} → {r['published_o200k']}",
                "published_ratio": r["published_ratio"],
                "measured": f"{r['cl100k_base']} → {r['o200k_base']}",
                "ratio": r["ratio"],
                "reproduced": r["reproduced"],
                "note": note,
            }
        )
    return shown, notes


def run(args: argparse.Namespace) -> int:
    from tokstats.comparison._reproduction import COLUMNS, reproduce_rows
    from tokstats.output._render import render

    rows, signature = reproduce_rows(corpus_from_args(args))
    if args.format in ("table", "markdown"):
        shown, notes = _text_rows([dict(r) for r in rows])
        out = render(
            shown, TEXT_COLUMNS, args.format, signature, notes=notes, digits={"published_ratio": 1, "ratio": 2}
        )
    else:
        out = render([dict(r) for r in rows], COLUMNS, args.format, signature)
    sys.stdout.write(out)
    failed = [r["language"] for r in rows if not r["reproduced"]]
    if failed:
        print(
            f"tokstats reproduce: {len(failed)} of {len(rows)} rows do not reproduce: {', '.join(failed)}",
            file=sys.stderr,
        )
        return 1
    return 0
