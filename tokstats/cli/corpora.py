"""``tokstats corpora``: the corpora that ship with tokstats, where they came from, their hashes."""

from __future__ import annotations

import argparse
import sys

from tokstats.cli._options import HelpFormatter, add_format_option, add_wide_option, fit_for_terminal

ORDER = 80
COLUMNS = ["name", "title", "entries", "languages", "source", "date", "licence", "caveat", "sha256"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "corpora",
        help="list the built-in corpora with their provenance and sha256",
        description="List the corpora shipped with tokstats: what they hold, where and when they "
        "came from, their licence, and the sha256 that signatures quote.",
        epilog="Example:\n  tokstats corpora --format json",
        formatter_class=HelpFormatter,
    )
    add_format_option(p)
    add_wide_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tokstats.output._render import render
    from tokstats.output._signature import build_signature
    from tokstats.sources._corpus import corpus_summary, list_corpora, load_corpus

    corpora = [load_corpus(name) for name in list_corpora()]
    rows = [corpus_summary(c) for c in corpora]
    rows, columns, notes = fit_for_terminal(
        args,
        rows,
        list(COLUMNS),
        ["licence", "source", "languages", "caveat"],
        [],
        shorten=["title", "sha256"],
        otherwise="full hashes and text: --wide",
    )
    sys.stdout.write(render(rows, columns, args.format, build_signature([]), notes=notes))
    return 0
