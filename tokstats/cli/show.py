"""``tokstats show``: how each encoding cuts a text into tokens, one view per encoding."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from tokstats.cli._options import (
    HelpFormatter,
    add_encodings_option,
    add_model_option,
    add_output_flags,
    specs_from_args,
)
from tokstats.defaults import DEFAULT_TOKENIZERS

if TYPE_CHECKING:
    from tokstats.output._signature import Signature
    from tokstats.tokenizers import Tokenizer

ORDER = 30

EPILOG = """\
In a terminal each token gets its own background colour; piped, tokens are shown in brackets. A
piece an encoding can only write as several byte tokens (none of them a whole character) is
shown once, with the number of tokens: [ न]{2}. Newlines and tabs are shown as \\n and \\t when
piped. TEXT "-" (or --file -) reads standard input.

Example output (piped):
  $ tokstats show "Hello, नमस्ते"
  cl100k_base  9 tokens
  [Hello][,][ न]{2}[म][स][्त]{2}[े]

  o200k_base   5 tokens
  [Hello][,][ नम][स्त][े]

  ratio cl100k_base/o200k_base: 1.80
  signature: tokstats:…

Examples:
  tokstats show "नमस्ते, मेरा नाम जीपीटी-4o है।"
  tokstats show --file notes.txt --encodings cl100k_base,o200k_base,o200k_harmony
  tokstats show "Hello <|endoftext|>" --format json
  tokstats show "Grüß Gott" --encodings o200k_base,hf:./tokenizer.json,sp:./spm.model
  tokstats show "Hello" --model gpt-4o,gpt-4
  git log -1 --format=%B | tokstats show -
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "show",
        help="show token boundaries of a text under each tokenizer",
        description="Show where each tokenizer cuts a text into tokens, with token counts.",
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("text", nargs="?", metavar="TEXT", help="the text to show ('-': read standard input)")
    src.add_argument("--file", metavar="PATH", help="read the text from a file (exact UTF-8; '-': standard input)")
    add_encodings_option(p, "comma-separated tokenizers")
    add_model_option(p, several=True)
    p.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the tokens (default: auto = when writing to a terminal and NO_COLOR is unset)",
    )
    p.add_argument(
        "--format",
        choices=("view", "json"),
        default="view",
        help="view (default) or json: {signature, rows: [{encoding, pieces, tokens}]}, written as it is computed",
    )
    add_output_flags(p)
    p.set_defaults(func=run)


def _use_colour(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def run(args: argparse.Namespace) -> int:
    from tokstats.comparison._compare import load_tokenizers
    from tokstats.output._signature import build_signature
    from tokstats.sources._textio import argument_text, read_text_exact

    source = args.file if args.file is not None else ("-" if args.text == "-" else None)
    text = read_text_exact(source) if source is not None else argument_text(args.text)  # "-": standard input
    specs = list(dict.fromkeys(specs_from_args(args.encodings, args.model, list(DEFAULT_TOKENIZERS))))
    toks = load_tokenizers(specs)  # unknown names fail here, before output
    signature = build_signature(toks, None, count="encode_ordinary")
    if args.format == "view":  # streamed: a long text is shown part by part, never held as pieces
        return _stream_views(text, toks, _use_colour(args.color), signature.short())
    return _stream_json(text, toks, signature)


def _stream_json(text: str, toks: list[Tokenizer], signature: Signature) -> int:
    """``{"signature", "rows": [{"encoding", "pieces", "tokens"}]}`` written piece by piece as
    the views are computed, so a long text never holds every piece in memory at once."""
    import itertools
    import json

    from tokstats.output._render import dumps, json_value, signature_fields
    from tokstats.tokenizers._splitview import iter_split_view

    def dump(value: Any) -> str:
        return json.dumps(json_value(value), ensure_ascii=False, allow_nan=False)

    out = sys.stdout
    out.write("{\n")
    for key, value in signature_fields(signature).items():
        out.write(f"  {dump(key)}: " + dumps(value).rstrip("\n").replace("\n", "\n  ") + ",\n")
    out.write('  "rows": [')
    for i, t in enumerate(toks):
        out.write(("," if i else "") + f'\n    {{\n      "encoding": {dump(t.name)},\n      "pieces": [')
        total = 0
        pieces = iter_split_view(text, t)
        sep = "\n        "
        while batch := list(itertools.islice(pieces, 4096)):
            for p in batch:
                out.write(sep + dump({"text": p.text, "tokens": list(p.tokens)}))
                sep = ",\n        "
                total += len(p.tokens)
        out.write(("\n      ]" if sep.startswith(",") else "]") + f',\n      "tokens": {total}\n    }}')
    out.write("\n  ]\n}\n")
    return 0


def _stream_views(text: str, toks: list[Tokenizer], colour: bool, signature: str) -> int:
    """Each tokenizer's count line, then its view written part by part as it is computed."""
    import itertools

    from tokstats.counting._count import count
    from tokstats.output._render import is_signature_shown
    from tokstats.tokenizers._splitview import bracketed, coloured, iter_split_view

    names = [t.name for t in toks]
    counts = {t.name: count(text, t) for t in toks}
    width = max(len(n) for n in names)
    out = sys.stdout
    for t in toks:
        n = t.name
        out.write(f"{n.ljust(width)}  {counts[n]} token{'s' if counts[n] != 1 else ''}\n")
        pieces = iter_split_view(text, t)
        index = 0
        while batch := list(itertools.islice(pieces, 4096)):
            out.write(coloured(batch, index) if colour else bracketed(batch))
            index += len(batch)
        out.write("\n\n")
    if len(names) >= 2:
        a, b = (counts[n] for n in names[:2])
        out.write(f"ratio {names[0]}/{names[1]}: " + (f"{a / b:.2f}" if b else "n/a") + "\n")
    if is_signature_shown():
        out.write(f"signature: {signature}\n")
    return 0
