"""``tokstats show``: how each encoding cuts a text into tokens, one view per encoding."""

from __future__ import annotations

import argparse
import os
import sys

ORDER = 30

EPILOG = """\
In a terminal each token gets its own background colour; piped, tokens are shown in brackets:
[Hello][,][ world]. A character an encoding can only write as several byte tokens is shown once
with the count: [न]{3}. Newlines and tabs are shown as \\n and \\t when piped.

Examples:
  tokstats show "नमस्ते, मेरा नाम जीपीटी-4o है।"
  tokstats show --file notes.txt --encodings cl100k_base,o200k_base,o200k_harmony
  tokstats show "Hello <|endoftext|>" --format json
"""


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser(
        "show",
        help="show token boundaries of a text under each encoding",
        description="Show where each encoding cuts a text into tokens, with token counts.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("text", nargs="?", metavar="TEXT", help="the text to show")
    src.add_argument("--file", metavar="PATH", help="read the text from a file (exact UTF-8)")
    p.add_argument("--encodings", default="cl100k_base,o200k_base",
                   help="comma-separated encodings (default: cl100k_base,o200k_base)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the tokens (default: auto = when writing to a terminal and NO_COLOR is unset)")
    p.add_argument("--format", choices=("view", "json"), default="view",
                   help="view (default) or json: {signature, rows: [{encoding, tokens, pieces}]}")
    p.set_defaults(func=run)


def _use_colour(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def run(args: argparse.Namespace) -> int:
    import json

    from tokstats.errors import InputError
    from tokstats.signature import build_signature
    from tokstats.splitview import bracketed, coloured, split_view
    from tokstats.textio import read_text_exact

    text = read_text_exact(args.file) if args.file is not None else args.text
    names = list(dict.fromkeys(n.strip() for n in args.encodings.split(",") if n.strip()))
    if not names:
        raise InputError("--encodings: give at least one encoding name")
    views = {n: split_view(text, n) for n in names}  # unknown names fail here, before output
    signature = build_signature(names, None, count="encode_ordinary")
    if args.format == "json":
        rows = [
            {"encoding": n, "tokens": sum(len(p.tokens) for p in ps),
             "pieces": [{"text": p.text, "tokens": list(p.tokens)} for p in ps]}
            for n, ps in views.items()
        ]
        sys.stdout.write(json.dumps({"signature": signature.as_dict(), "rows": rows}, ensure_ascii=False, indent=2) + "\n")
        return 0
    colour = _use_colour(args.color)
    width = max(len(n) for n in names)
    out: list[str] = []
    for n, ps in views.items():
        count = sum(len(p.tokens) for p in ps)
        out.append(f"{n.ljust(width)}  {count} token{'s' if count != 1 else ''}")
        out.append(coloured(ps) if colour else bracketed(ps))
        out.append("")
    if len(names) >= 2:
        a, b = (sum(len(p.tokens) for p in views[n]) for n in names[:2])
        out.append(f"ratio {names[0]}/{names[1]}: " + (f"{a / b:.2f}" if b else "n/a"))
    out.append(f"signature: {signature.short()}")
    sys.stdout.write("\n".join(out) + "\n")
    return 0
