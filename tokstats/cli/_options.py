"""Options shared by several subcommands, defined once."""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from tokstats.defaults import (
    JOBS_RANGE,
    OUTPUT_TOKENS_RANGE,
    REQUESTS_RANGE,
    RESAMPLES_RANGE,
    SEED_RANGE,
)
from tokstats.output._render import FORMATS


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """A subcommand's ``--help``: its description wrapped to the terminal width (each of its
    lines a paragraph); the epilog (notes, examples) keeps its line breaks as written."""

    _described = False

    def add_text(self, text: str | None) -> None:
        if not self._described:  # the first text argparse adds is the description (maybe None)
            self._described = True
            if text is not None and text is not argparse.SUPPRESS:
                self._add_item(self._format_description, [text])
                return
        super().add_text(text)

    def _format_description(self, text: str) -> str:
        if "%(prog)" in text:
            text = text % {"prog": self._prog}
        width = max(self._width - self._current_indent, 11)
        indent = " " * self._current_indent
        lines: list[str] = []
        for line in text.strip("\n").splitlines():
            lines += textwrap.wrap(line, width, initial_indent=indent, subsequent_indent=indent) or [""]
        return "\n".join(lines) + "\n\n"


def add_format_option(parser: argparse.ArgumentParser) -> None:
    """``--format table|markdown|csv|json`` (default: table)."""
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="output format (default: table); every format carries the signature (CSV's goes to stderr, "
        "so that the CSV on stdout is only a header and rows)",
    )
    add_output_flags(parser)


def add_output_flags(parser: argparse.ArgumentParser) -> None:
    """``--no-signature`` and ``--quiet`` (``-q``), which ``tokstats.cli.main`` applies."""
    parser.add_argument(
        "--no-signature",
        action="store_true",
        help="leave the signature out of the output (it records what produced the numbers: keep it "
        "where the numbers are kept)",
    )
    parser.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="print nothing on stderr but errors: no progress, notes, warnings or CSV signature",
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


def add_encodings_option(
    parser: argparse.ArgumentParser, what: str, *, default: list[str] | None = None, defaults_shown: bool = True
) -> None:
    """``--encodings SPEC[,SPEC…]``: ``what`` the list is (``comma-separated tokenizers, old first``);
    the help adds what each spec may be and, with ``defaults_shown``, the default tokenizers."""
    tail = " (default: cl100k_base,o200k_base)" if defaults_shown else ""
    parser.add_argument(
        "--encodings",
        type=encoding_list,
        default=default,
        metavar="SPEC[,SPEC…]",
        help=f"{what}; each {SPEC_HELP}{tail}",
    )


def add_model_option(parser: argparse.ArgumentParser, *, several: bool) -> None:
    """``--model NAME`` (``NAME[,NAME…]`` where several tokenizers are allowed)."""
    parser.add_argument(
        "--model",
        type=model_list,
        default=None,
        metavar="NAME[,NAME…]" if several else "NAME",
        help=(
            "use the tokenizer of each model instead of --encodings"
            if several
            else "use the tokenizer of this model instead of --encoding"
        )
        + " (gpt-4o -> o200k_base, gpt-oss-120b -> o200k_harmony, …)",
    )


def specs_from_args(
    encodings: list[str] | None, models: list[str] | None, default: list[str], option: str = "--encodings"
) -> list[str]:
    """The tokenizer specs a command runs on: ``--model``'s tokenizers, else ``--encodings``.

    Giving both is an error naming them; models sharing a tokenizer give it once.
    """
    from tokstats.errors import InputError

    if models is None:
        return default if encodings is None else encodings
    if encodings is not None:
        raise InputError(f"give either {option} or --model, not both")
    from tokstats.tokenizers._registry import spec_for_model

    return list(dict.fromkeys(spec_for_model(m) for m in models))


def fit_for_terminal(
    args: argparse.Namespace,
    rows: list[dict[str, Any]],
    columns: list[str],
    drop: list[str],
    notes: list[str],
    digits: dict[str, int] | None = None,
    *,
    shorten: Sequence[str] = (),
    keep_end: Sequence[str] = (),
    otherwise: str = "",
) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """Rows, columns and notes of a table that fits 100 columns: ``drop``'s columns left out, in
    that order, and ``shorten``'s cells cut with ``…`` (at the start for ``keep_end``), until it
    fits; a note says what is hidden (``otherwise`` when nothing is). Unchanged for ``--wide``
    and for formats other than ``table``."""
    if args.format != "table" or getattr(args, "wide", False):
        return rows, columns, notes
    from tokstats.output._fit import fit_table

    fitted = fit_table(rows, columns, drop=drop, shorten=shorten, keep_end=keep_end, digits=digits)
    more = fitted.note() or otherwise
    return fitted.rows, fitted.columns, notes + ([more] if more else [])


def add_wide_option(parser: argparse.ArgumentParser) -> None:
    """``--wide``: print every column in full (tables fit 100 columns by default)."""
    parser.add_argument(
        "--wide",
        action="store_true",
        help="table: every column, in full (by default a table fits 100 columns; csv and json always carry everything)",
    )


def bounded_int(low: int, high: int, what: str = "a whole number") -> Callable[[str], int]:
    """An argparse ``type``: a whole number from ``low`` to ``high``, or a one-line error saying
    the bounds (never an OverflowError or a MemoryError later on)."""

    def parse(text: str) -> int:
        digits = text.strip()
        huge = len(digits) > 40 and digits.lstrip("+-").isdigit()  # do not convert 400 digits
        try:
            value = 0 if huge else int(digits)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{_short(text)!r} is not {what} from {low:,} to {high:,}") from None
        if huge or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{_short(text)} is out of range: give {what} from {low:,} to {high:,}")
        return value

    parse.__name__ = what  # argparse names the type in its messages
    return parse


def _short(text: str) -> str:
    return text if len(text) <= 24 else f"{text[:12]}…({len(text)} characters)"


seed_type = bounded_int(*SEED_RANGE, what="a seed")
resamples_type = bounded_int(*RESAMPLES_RANGE, what="a number of resamples")
jobs_type = bounded_int(*JOBS_RANGE, what="a number of threads")
requests_type = bounded_int(*REQUESTS_RANGE, what="a number of requests")
output_tokens_type = bounded_int(*OUTPUT_TOKENS_RANGE, what="a number of tokens")


def add_corpus_options(parser: argparse.ArgumentParser, default: str | None, what: str) -> None:
    """``--corpus NAME`` (a corpus shipped with tokstats) or ``--corpus-file PATH`` (your own
    corpus JSON, same format), not both. A path given to ``--corpus`` is an unknown name: a
    file never passes for a shipped corpus."""
    group = parser.add_mutually_exclusive_group()
    shown = f" (default: {default})" if default else ""
    group.add_argument(
        "--corpus", default=default, metavar="NAME", help=f"shipped corpus {what}{shown}; see tokstats corpora"
    )
    group.add_argument(
        "--corpus-file",
        default=None,
        metavar="PATH",
        help="your own corpus JSON file in the shipped format, instead of --corpus",
    )


def corpus_from_args(args: argparse.Namespace) -> Any:
    """The corpus the options name: a shipped corpus name (str) or a loaded user corpus file."""
    if getattr(args, "corpus_file", None):
        from tokstats.sources._corpus import load_corpus_file

        return load_corpus_file(args.corpus_file)
    return args.corpus


def add_scheduler_option(parser: argparse.ArgumentParser) -> None:
    """``--scheduler ADDRESS|local:N`` for subcommands that can run on a Dask cluster (declared
    here, not in ``tokstats.scale._cluster``, so that building the parser imports nothing of it)."""
    from tokstats.errors import DASK_INSTALL_HINT

    parser.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="run on a Dask cluster: a scheduler address (tcp://host:8786) or local:N to start N "
        f"local worker processes; inputs may then be globs and fsspec URLs ({DASK_INSTALL_HINT})",
    )


def add_language_options(parser: argparse.ArgumentParser) -> None:
    """``--languages CODE,…|all``, ``--script CODE`` and ``--family NAME``: which languages of the
    corpus (default: its default set; udhr's 45 curated translations)."""
    parser.add_argument(
        "--languages",
        default=None,
        metavar="CODE[,CODE…]|all",
        help="corpus languages to show: codes (hi,ta), or all (udhr: 528; default: its 45 curated translations)",
    )
    parser.add_argument(
        "--script", default=None, metavar="CODE", help="only languages written in this ISO 15924 script (Deva, Cyrl)"
    )
    parser.add_argument(
        "--family", default=None, metavar="NAME", help="only languages of this family or group (Dravidian, Bantu)"
    )


def language_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments the language options give (``languages``, ``script``, ``family``)."""
    return {"languages": args.languages, "script": args.script, "family": args.family}
