"""``tokstats encodings``: each tokenizer tokstats can name, where it loads from, whether it verified."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tokstats.cli._options import HelpFormatter, add_format_option, add_wide_option, fit_for_terminal

ORDER = 90

COLUMNS = ["name", "source", "verified", "kind", "expected_sha256", "detail"]

EPILOG = """\
Besides the names listed, every command that takes tokenizers accepts a local file:
  hf:PATH   a Hugging Face tokenizer.json, or a folder holding one (pip install 'tokstats[hf]')
  sp:PATH   a SentencePiece .model (pip install 'tokstats[sentencepiece]')
Their signature records the file's sha256 and the library's version.

Examples:
  tokstats encodings
  tokstats encodings --model gpt-4o-mini
  tokstats compare --encodings o200k_base,hf:./tokenizer.json
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "encodings",
        help="list tokenizers, where their files load from, and whether they verified",
        description=(
            "List every tiktoken encoding and every named tokenizer. cl100k_base, o200k_base and "
            "o200k_harmony load from rank files shipped with tokstats, checked against the sha256 "
            "tiktoken pins; the other tiktoken encodings load through tiktoken's cache or download; "
            "named tokenizers load from the files their publishers ship in PyPI packages, checked "
            "against a pinned sha256."
        ),
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    p.add_argument("--model", help="show only the tokenizer this model uses")
    add_format_option(p)
    add_wide_option(p)
    p.set_defaults(func=run)


def named_status(name: str) -> dict[str, Any]:
    """One row for a named tokenizer: load it and report where from and whether it verified.

    Never raises: a tokenizer that cannot load (its extra is not installed, a file fails its hash)
    is a row saying so.
    """
    from tokstats.errors import MissingDependencyError
    from tokstats.tokenizers import get_tokenizer

    row: dict[str, Any] = {"name": name, "kind": "", "source": "", "expected_sha256": None}
    try:
        info = get_tokenizer(name).info
    except Exception as e:  # noqa: BLE001 — one broken entry must not hide the others
        message = str(e).splitlines()[0] if str(e) else type(e).__name__
        missing = isinstance(e, (MissingDependencyError, ImportError))
        extra = getattr(e, "extra", None)
        if extra:  # the install command first, so that a narrow table still shows it
            message = f"pip install 'tokstats[{extra}]' ({message})"
        row.update(verified="n/a" if missing else "no", detail=("not installed: " if missing else "") + message)
        return row
    row.update(
        kind=info.kind,
        source=info.path or info.library,
        expected_sha256=info.sha256,
        verified="yes" if info.sha256 else "n/a",
        detail=f"{info.library}" + "".join(f"; {k} {v}" for k, v in info.extra.items()),
    )
    return row


def run(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from tokstats.output._render import render
    from tokstats.output._signature import build_signature
    from tokstats.tokenizers._encodings import encoding_status, list_encodings
    from tokstats.tokenizers._registry import named_tokenizers, spec_for_model

    if args.model:
        spec = spec_for_model(args.model)
        tiktoken_names, named = ([], [spec]) if spec in named_tokenizers() else ([spec], [])
    else:
        tiktoken_names, named = list_encodings(), sorted(named_tokenizers())
    rows = [{**asdict(encoding_status(n)), "kind": "tiktoken"} for n in tiktoken_names]
    rows += [named_status(n) for n in named]
    if args.model:
        for r in rows:
            r["model"] = args.model
    verified = [r["name"] for r in rows if r["verified"] == "yes"]
    columns = (["model"] if args.model else []) + COLUMNS
    if args.format == "table" and not args.wide:
        for r in rows:  # the detail of a verified file only repeats its sha256
            if r["detail"] == f"sha256 {r['expected_sha256']}":
                r["detail"] = ""
            if r["expected_sha256"]:  # 12 hex digits, as in signatures; --wide shows all 64
                r["expected_sha256"] = r["expected_sha256"][:12] + "…"
    rows, columns, notes = fit_for_terminal(
        args,
        rows,
        columns,
        ["detail"],
        [],
        shorten=["source", "detail"],
        keep_end=["source"],
        otherwise="full paths and hashes: --wide",
    )
    sys.stdout.write(render(rows, columns, args.format, build_signature(verified), notes=notes))
    return 1 if any(r["verified"] == "no" for r in rows) else 0
