"""``tokstats count``: exact token counts of files, streamed and counted on all cores."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from tokstats.cli._options import (
    SPEC_HELP,
    HelpFormatter,
    add_format_option,
    add_model_option,
    add_scheduler_option,
    jobs_type,
    specs_from_args,
)

if TYPE_CHECKING:
    from tokstats.sources._discovery import WalkOptions
    from tokstats.tokenizers import Tokenizer

from tokstats.counting._paths import count_signature, files_to_count

ORDER = 20

#: Inputs at least this large (bytes, all files together) get a progress bar on a terminal.
PROGRESS_MIN_BYTES = 32 << 20

COLUMNS = ["path", "bytes", "tokens"]

EPILOG = """\
Counts are exact: the number of the text's own tokens in each file's bytes decoded as strict
UTF-8 - len(encoding.encode_ordinary(text)) for a tiktoken encoding; for hf: and sp: tokenizers
the library's own encode with no BOS/EOS or other special tokens added. Special-token strings
such as <|endoftext|> or <s> in the text count as ordinary text.

Files are read in blocks; a large file is cut into chunks, counted on all cores, only where the
cut provably keeps the count exact:
  - tiktoken encodings and the named llama3, llama4, qwen and tekken tokenizers: where their
    split pattern always splits;
  - hf: tokenizers whose pre-tokenizer drops whitespace (Whitespace, WhitespaceSplit,
    BertPreTokenizer, with no normalizer that could join across a line): at whitespace;
  - byte-level BPE hf: tokenizers (GPT-2, Llama 3, Qwen2 style), with no prefix space, a
    normalizer that is none, NFC, NFD, NFKC, NFKD or Lowercase (not NFKC/NFKD with o200k's
    regex) and no added token holding or stripping whitespace: a Split with Llama 3's,
    Qwen2's, cl100k's or o200k's regex (Isolated) then ByteLevel, where tiktoken encodings
    are cut; ByteLevel with GPT-2's regex, after a newline with non-whitespace on both sides,
    at a space between ASCII letters, or between a CJK ideograph and CJK punctuation;
  - SentencePiece-style hf: tokenizers (Metaspace starting a pre-token at every space, Unigram
    or BPE): at a space between ASCII letters;
  - Llama 2 style hf: tokenizers (Prepend + Replace, no pre-tokenizer, BPE) and Mistral's
    SentencePiece models, when no piece can cover the cut: where tiktoken encodings are cut.
Memory then stays flat however large the file, except over a stretch with no such place.
Every other tokenizer (other sp: models, other hf: files: other Split patterns, Metaspace
without split, ...) counts each file whole, in one piece: still exact, but memory grows with
the file. docs/tokenizers.md lists the shapes and why.

A directory is refused unless --recursive is given; then the files under it are counted as git
and ripgrep would list them, sorted by path: .gitignore and .ignore files (in the folder, its
sub-folders and the folders above it up to the git checkout), .git/info/exclude and the global
git excludes file apply (--no-ignore: they do not); hidden files and folders are skipped
(--hidden counts them; .git never); binary files (a NUL byte in the first 8 KiB) are skipped;
--include/--exclude GLOB narrow the walk (gitignore syntax, repeatable). Symbolic links to
folders are not followed; a symbolic link to a file outside the directory is skipped, as git
and ripgrep do (--follow counts it); broken links and link loops are skipped. One line per folder on stderr says what was skipped; --format json
lists every skipped path with its reason. Inputs may be globs ('src/**/*.py', expanded here),
file:// URLs and "-" (standard input); a file named twice is counted once.

Invalid UTF-8 stops the command (exit 2) naming the file and byte offset; with --skip-invalid
such files (and unreadable files and folders) are skipped instead, each listed in the output,
the count of skipped files recorded in the signature. See docs/inputs.md.

Examples:
  tokstats count notes.txt
  tokstats count --encoding o200k_base --format json data/*.jsonl
  tokstats count --model gpt-4o notes.txt
  tokstats count --encoding hf:./tokenizer.json big.txt
  tokstats count --recursive src/ --jobs 2
  tokstats count -r .                              # a codebase: what git would list
  tokstats count -r --include '*.py' --exclude tests/ src/
  tokstats count 'corpus/**/*.txt'
  git show HEAD:README.md | tokstats count        # standard input ('-' is implied)
  tokstats count --scheduler local:2 'logs/**/*.jsonl'     # on a Dask cluster (tokstats[dask])
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "count",
        help="count the tokens in files, exactly and fast",
        description="Count the tokens in each file and in total (exact counts of the text's own tokens).\n"
        "Large files are streamed in chunks, on all cores, where the tokenizer allows an exact cut.",
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files to count (directories with --recursive); none: standard input, when text is piped in",
    )
    p.add_argument("--encoding", default=None, metavar="SPEC", help=f"tokenizer: {SPEC_HELP} (default: cl100k_base)")
    add_model_option(p, several=False)
    p.add_argument("--jobs", type=jobs_type, default=None, help="counting threads (default: all CPUs)")
    p.add_argument(
        "--backend",
        default="auto",
        help="auto (default: quicktok for large inputs where it is installed and exact, else "
        "tiktoken), tiktoken (the reference) or quicktok (exact, faster; OpenAI's encodings and "
        "qwen); tokenizers of other kinds are always counted by their own library",
    )
    p.add_argument(
        "-r",
        "--recursive",
        action="store_true",
        help="count the files under a directory, as git would list them (see below)",
    )
    p.add_argument(
        "--no-ignore",
        action="store_true",
        help="with -r: do not apply .gitignore, .ignore, .git/info/exclude or the global excludes",
    )
    p.add_argument(
        "--hidden",
        action="store_true",
        help="with -r: also count hidden files and folders (names starting with '.'; never .git)",
    )
    p.add_argument(
        "--follow",
        action="store_true",
        help="with -r: also count symbolic links to files outside the directory (links to directories "
        "are never followed)",
    )
    p.add_argument(
        "--include",
        action="append",
        metavar="GLOB",
        help="with -r: count only files matching GLOB (gitignore syntax; repeatable)",
    )
    p.add_argument(
        "--exclude",
        action="append",
        metavar="GLOB",
        help="with -r: leave out paths matching GLOB (gitignore syntax; repeatable)",
    )
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help="skip files that are not valid UTF-8 or cannot be read (each one is reported) instead of stopping",
    )
    add_format_option(p)
    add_scheduler_option(p)
    p.set_defaults(func=run)


def walk_options(args: argparse.Namespace) -> WalkOptions:
    """The ``WalkOptions`` the command line asks for."""
    from tokstats.sources._discovery import WalkOptions

    return WalkOptions(
        ignore=not args.no_ignore,
        hidden=args.hidden,
        include=tuple(args.include or ()),
        exclude=tuple(args.exclude or ()),
        follow=args.follow,
    )


def want_progress(stream: TextIO, total_bytes: int) -> bool:
    """A progress bar only on a terminal, and only for inputs large enough to take a moment."""
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return tty and total_bytes >= PROGRESS_MIN_BYTES


def run(args: argparse.Namespace) -> int:
    from tokstats.counting._count import STDIN, check_tokenizer, count_files, file_size
    from tokstats.errors import InputError
    from tokstats.tokenizers._backends import check_backend

    if not args.paths:  # `echo hi | tokstats count`: standard input, as if "-" were given
        args.paths = [STDIN] if stdin_is_piped() else _no_path()
    check_backend(args.backend)
    if args.model is not None and len(args.model) > 1:
        raise InputError("--model: give one model for count")
    (args.encoding,) = specs_from_args(
        None if args.encoding is None else [args.encoding], args.model, ["cl100k_base"], "--encoding"
    )
    # fail on a bad name, or a backend that cannot count it, before reading anything
    # (a tiktoken encoding's ranks are not loaded: quicktok may count it)
    tokenizer = check_tokenizer(args.encoding, args.backend)  # resolved once, here
    selected = files_to_count(args.paths, args.recursive, lambda: walk_options(args), args.skip_invalid)
    files, skipped = selected.files, selected.skipped
    invalid: list[dict[str, str]] = list(selected.invalid)  # unreadable folders the walk left out
    if args.scheduler is not None:  # the same rows, counted on a Dask cluster
        from tokstats.scale._cluster import count_rows

        if args.skip_invalid or STDIN in files:
            raise InputError("--skip-invalid and '-' (standard input) are not available with --scheduler")
        rows = count_rows(files, args.encoding, scheduler=args.scheduler, backend=args.backend, jobs=args.jobs)
    else:
        from tokstats.sources._inputs import require_local

        require_local(files)
        sizes = [file_size(f) for f in files]
        bar = _progress_bar(sum(sizes)) if want_progress(sys.stderr, sum(sizes)) else None
        try:
            counted = count_files(
                files,
                tokenizer,
                args.jobs,
                backend=args.backend,
                progress=bar.update if bar else None,
                skip_invalid=args.skip_invalid,
            )
        finally:
            if bar is not None:
                bar.close()
        rows = []
        for path, c in zip(files, counted):
            if isinstance(c, InputError):
                invalid.append({"path": path, "reason": str(c)})
                if args.format == "csv":  # the one format that cannot list it
                    print(f"tokstats count: skipped {c}", file=sys.stderr)
            else:
                rows.append(
                    {"path": path, "bytes": c.nbytes, "tokens": c.tokens, "sha256": c.sha256, "backend": c.backend}
                )
    for note in selected.notes:  # said once counting has succeeded: an error stays one line
        print(f"tokstats count: {note}", file=sys.stderr)
    sys.stdout.write(
        render_counts(rows, tokenizer, args.format, skipped=skipped, invalid=invalid if args.skip_invalid else None)
    )
    return 0


def stdin_is_piped() -> bool:
    """Whether standard input is open and not a terminal (text is piped or redirected in)."""
    try:
        return sys.stdin is not None and not sys.stdin.isatty()
    except (AttributeError, ValueError):  # closed
        return False


def _no_path() -> NoReturn:
    from tokstats.errors import UsageError

    raise UsageError(
        "the following arguments are required: PATH (give a PATH, or pipe text in: "
        "echo hi | tokstats count; see 'tokstats count --help')"
    )


def _progress_bar(total: int) -> Any:
    try:
        from tqdm import tqdm
    except ImportError:  # tqdm is optional: no bar
        return None
    return tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, file=sys.stderr, desc="counting")


def render_counts(
    rows: list[dict[str, Any]],
    tokenizer: Tokenizer,
    fmt: str,
    skipped: list[dict[str, str]] | None = None,
    invalid: list[dict[str, str]] | None = None,
) -> str:
    """Per-file rows and the total in ``fmt``; JSON is ``{"signature", "files", "total_tokens"}``
    plus ``"skipped"`` (``[{"path", "reason"}]``) when anything was left out.

    The signature records which backend counted each row (``backend``). ``skipped``: what
    walking the folders left out (ignored, hidden, binary …; summarised on stderr as the folders
    are walked, listed in JSON). ``invalid`` (with ``--skip-invalid``): the files that could not be
    counted; they are listed under text tables too, and their number is in the signature.
    """
    from tokstats.output._render import dumps, render, signature_fields

    signature = count_signature(rows, tokenizer, invalid)
    total = sum(r["tokens"] for r in rows)
    left_out = sorted([*(skipped or []), *(invalid or [])], key=lambda s: s["path"])
    if fmt == "json":
        files = [{k: r[k] for k in COLUMNS} for r in rows]
        obj: dict[str, Any] = {**signature_fields(signature), "files": files, "total_tokens": total}
        if left_out or invalid is not None:
            obj["skipped"] = left_out
        return dumps(obj)
    nbytes = sum(r["bytes"] for r in rows)
    notes = [f"total: {total} tokens in {len(rows)} file{'s' if len(rows) != 1 else ''} ({nbytes} bytes)"]
    if invalid:
        notes.append(
            f"skipped {len(invalid)} file{'s' if len(invalid) != 1 else ''} (--skip-invalid), not in the total:"
        )
        notes += [f"  {item['reason']}" for item in invalid]
    if fmt == "csv":  # CSV keeps only what a reader needs besides the rows: which files are missing
        notes = notes[1:]
    return render(rows, COLUMNS, fmt, signature, notes=notes)
