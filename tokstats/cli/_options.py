"""Options shared by several subcommands, defined once."""

from __future__ import annotations

import argparse

from tokstats.render import FORMATS


def add_format_option(parser: argparse.ArgumentParser) -> None:
    """``--format table|markdown|csv|json`` (default: table)."""
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="output format (default: table); every format carries the signature",
    )


def encoding_list(value: str) -> list[str]:
    """argparse type for ``--encodings A,B[,C…]``: a non-empty list of names (checked on use)."""
    names = [v.strip() for v in value.split(",") if v.strip()]
    if not names:
        raise argparse.ArgumentTypeError("give at least one encoding name")
    return names
