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


#: Help text shared by every option that takes tokenizer specs.
SPEC_HELP = (
    "a tiktoken encoding (cl100k_base, o200k_base …), a named tokenizer (tokstats encodings lists "
    "them), hf:PATH (a Hugging Face tokenizer.json or a folder holding one) or sp:PATH (a "
    "SentencePiece .model)"
)


def model_list(value: str) -> list[str]:
    """argparse type for ``--model A[,B…]``: model names (resolved on use)."""
    names = [v.strip() for v in value.split(",") if v.strip()]
    if not names:
        raise argparse.ArgumentTypeError("give at least one model name")
    return names


def add_model_option(parser: argparse.ArgumentParser, *, several: bool) -> None:
    """``--model NAME`` (``NAME[,NAME…]`` where several tokenizers are allowed)."""
    parser.add_argument(
        "--model", type=model_list, default=None, metavar="NAME[,NAME…]" if several else "NAME",
        help=("use the tokenizer of each model instead of --encodings" if several
              else "use the tokenizer of this model instead of --encoding")
        + " (gpt-4o -> o200k_base, gpt-oss-120b -> o200k_harmony, …)",
    )


def specs_from_args(encodings: list[str] | None, models: list[str] | None, default: list[str],
                    option: str = "--encodings") -> list[str]:
    """The tokenizer specs a command runs on: ``--model``'s tokenizers, else ``--encodings``.

    Giving both is an error naming them; models sharing a tokenizer give it once.
    """
    from tokstats.errors import InputError

    if models is None:
        return default if encodings is None else encodings
    if encodings is not None:
        raise InputError(f"give either {option} or --model, not both")
    from tokstats.tokenizers.registry import spec_for_model

    return list(dict.fromkeys(spec_for_model(m) for m in models))
def add_wide_option(parser: argparse.ArgumentParser) -> None:
    """``--wide``: print every column in full (tables fit 100 columns by default)."""
    parser.add_argument(
        "--wide", action="store_true",
        help="table: every column, in full (by default a table fits 100 columns; csv and json always carry everything)",
    )
