"""Command-line errors named by the command the user typed, not by the top level."""

from __future__ import annotations

import argparse
from collections.abc import Sequence


def innermost_parser(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.ArgumentParser:
    """The parser of the deepest (sub)command ``args`` names (``tokstats plot cost`` -> its parser)."""
    current = parser
    while True:
        subs = [a for a in current._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            return current
        name = getattr(args, subs[0].dest, None)
        if name not in subs[0].choices:
            return current
        current = subs[0].choices[name]


def parse(parser: argparse.ArgumentParser, argv: Sequence[str]) -> argparse.Namespace:
    """``parser.parse_args(argv)``, but unknown arguments are reported by the subcommand's parser
    (``… (see 'tokstats count --help')``), as a user who typed ``tokstats count --bogus`` expects."""
    args, extra = parser.parse_known_args(list(argv))
    if extra:
        innermost_parser(parser, args).error(f"unrecognized arguments: {' '.join(extra)}")
    return args
