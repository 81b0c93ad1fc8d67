"""The ``tokstats`` command line: a thin shell over the library, one module per subcommand.

Each subcommand is a module ``tokstats/cli/<name>.py`` (found automatically; modules starting
with ``_`` are helpers) defining ``ORDER`` (its place in ``--help``) and ``register(subparsers)``,
which adds its parser and sets ``func`` to a ``run(args) -> int``. Subcommand modules import
their heavy dependencies inside ``run`` so that start-up stays fast. Library errors (:class:`TokstatsError`) become one line on
stderr and exit status 2; nothing prints a traceback for bad input.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from tokstats._version import __version__
from tokstats.errors import TokstatsError



def command_modules() -> list[ModuleType]:
    """The subcommand modules under ``tokstats.cli``, in the order ``--help`` lists them."""
    import pkgutil

    modules = [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_")
    ]
    return sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="tokstats",
        description="Measure how efficiently tokenizers turn text into tokens, language by language.",
    )
    parser.add_argument("--version", action="version", version=f"tokstats {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in command_modules():
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.func(args)
    except TokstatsError as e:
        print(f"tokstats {args.command}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"tokstats {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `head`) went away; say nothing more.
        sys.stderr.close()
        return 0
    return status
