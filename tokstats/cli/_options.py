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


def add_wide_option(parser: argparse.ArgumentParser) -> None:
    """``--wide``: print every column in full (tables fit 100 columns by default)."""
    parser.add_argument(
        "--wide", action="store_true",
        help="table: every column, in full (by default a table fits 100 columns; csv and json always carry everything)",
    )
