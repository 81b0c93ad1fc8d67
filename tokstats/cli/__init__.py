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



def command_names() -> list[str]:
    """Names of the subcommand modules under ``tokstats.cli`` (without importing them)."""
    import pkgutil

    return [info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_")]


def command_modules(only: str | None = None) -> list[ModuleType]:
    """The subcommand modules (or just ``only``), in the order ``--help`` lists them."""
    names = [only] if only else command_names()
    modules = [importlib.import_module(f"{__name__}.{name}") for name in names]
    return sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered, or only the one named ``only``.

    Registering one subcommand keeps start-up cheap when the command line names it.
    """
    parser = argparse.ArgumentParser(
        prog="tokstats",
        description="Measure how efficiently tokenizers turn text into tokens, language by language.",
    )
    parser.add_argument("--version", action="version", version=f"tokstats {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in command_modules(only):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    only = argv[0] if argv and argv[0] in command_names() else None
    from tokstats.cli._usage import parse

    args = parse(build_parser(only), argv)  # unknown options: the subcommand's usage, not the top level's
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
