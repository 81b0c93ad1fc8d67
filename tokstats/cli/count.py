"""``tokstats count``: exact token counts of files, streamed and counted on all cores."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from tokstats.cli._options import add_format_option, jobs_type
from tokstats.distributed import add_scheduler_option

ORDER = 20

#: Inputs at least this large (bytes, all files together) get a progress bar on a terminal.
PROGRESS_MIN_BYTES = 32 << 20

COLUMNS = ["path", "bytes", "tokens"]

EPILOG = """\
Counts are exact: len(encoding.encode_ordinary(text)) of each file's bytes decoded as strict
UTF-8 (special-token strings such as <|endoftext|> count as ordinary text). Files are read in
blocks and counted on all cores; memory stays flat however large the file.

A directory is refused unless --recursive is given; then every regular file under it is
counted, sorted by path, skipping hidden files and folders (names starting with ".").
Invalid UTF-8 stops the command (exit 2) naming the file and byte offset; with --skip-invalid
such files (and unreadable ones) are skipped instead, each named on stderr and in the output, the
count of skipped files recorded in the signature. "-" counts standard input.

Examples:
  tokstats count notes.txt
  tokstats count --encoding o200k_base --format json data/*.jsonl
  tokstats count --recursive src/ --jobs 2
  tokstats count --recursive --skip-invalid .     # a codebase with images and binaries in it
  git show HEAD:README.md | tokstats count -
  tokstats count --scheduler local:2 'logs/**/*.jsonl'     # on a Dask cluster (tokstats[dask])
"""


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser(
        "count",
        help="count the tokens in files, exactly and fast",
        description="Count the tokens in each file and in total (exact encode_ordinary counts).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files to count (directories with --recursive)")
    p.add_argument("--encoding", default="cl100k_base", help="encoding (default: cl100k_base)")
    p.add_argument("--jobs", type=jobs_type, default=None, help="counting threads (default: all CPUs)")
    p.add_argument(
        "--backend",
        default="tiktoken",
        help="tokenizer implementation: tiktoken (default, the reference) or quicktok "
        "(exact, faster; pip install 'tokstats[fast]')",
    )
    p.add_argument(
        "-r", "--recursive", action="store_true", help="count every non-hidden file under a directory"
    )
    p.add_argument(
        "--skip-invalid", action="store_true",
        help="skip files that are not valid UTF-8 or cannot be read (each one is reported) instead of stopping",
    )
    add_format_option(p)
    add_scheduler_option(p)
    p.set_defaults(func=run)


def expand_paths(paths: list[str], recursive: bool, err: TextIO) -> list[str]:
    """The files to count: ``paths`` in order, each directory replaced by its files (sorted).

    Raises :class:`InputError` for a directory without ``recursive`` and for an empty directory.
    """
    from tokstats.errors import InputError

    files: list[str] = []
    for raw in paths:
        if not os.path.isdir(raw):
            files.append(raw)
            continue
        if not recursive:
            raise InputError(
                f"{raw}: is a directory; pass --recursive to count every file under it, or name the files"
            )
        found = sorted(str(p) for p in _walk(Path(raw)))
        if not found:
            raise InputError(f"{raw}: directory has no non-hidden files to count")
        print(
            f"tokstats count: {raw}: counting {len(found)} files under it "
            "(recursively, sorted by path; hidden files and folders skipped)",
            file=err,
        )
        files += found
    return files


def _walk(root: Path) -> list[Path]:
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):  # does not follow symlinked folders
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        out += [Path(dirpath, f) for f in filenames if not f.startswith(".")]
    return [p for p in out if p.is_file()]


def want_progress(stream: TextIO, total_bytes: int) -> bool:
    """A progress bar only on a terminal, and only for inputs large enough to take a moment."""
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return tty and total_bytes >= PROGRESS_MIN_BYTES


def run(args: argparse.Namespace) -> int:
    from tokstats.backends import backend_version, check_backend
    from tokstats.counting import STDIN, count_files, file_size
    from tokstats.errors import InputError
    from tokstats.encodings import get_encoding

    check_backend(args.backend)
    enc = get_encoding(args.encoding)  # fail on a bad name before reading anything
    files = expand_paths(args.paths, args.recursive, sys.stderr)
    skipped: list[dict[str, str]] = []
    if args.scheduler is not None:  # the same rows, counted on a Dask cluster
        from tokstats.distributed import count_rows

        if args.skip_invalid or STDIN in files:
            raise InputError("--skip-invalid and '-' (standard input) are not available with --scheduler")
        rows = count_rows(files, args.encoding, scheduler=args.scheduler, backend=args.backend, jobs=args.jobs)
    else:
        sizes = [file_size(f) for f in files]
        bar = _progress_bar(sum(sizes)) if want_progress(sys.stderr, sum(sizes)) else None
        try:
            counted = count_files(files, enc, args.jobs, backend=args.backend,
                                  progress=bar.update if bar else None, skip_invalid=args.skip_invalid)
        finally:
            if bar is not None:
                bar.close()
        rows = []
        for path, c in zip(files, counted):
            if isinstance(c, InputError):
                skipped.append({"path": path, "error": str(c)})
                print(f"tokstats count: skipped {c}", file=sys.stderr)
            else:
                rows.append({"path": path, "bytes": c.nbytes, "tokens": c.tokens, "sha256": c.sha256})
    version = backend_version(args.backend) if args.backend != "tiktoken" else ""
    sys.stdout.write(render_counts(rows, args.encoding, args.backend, version, args.format,
                                   skipped=skipped if args.skip_invalid else None))
    return 0


def _progress_bar(total: int) -> Any:
    try:
        from tqdm import tqdm
    except ImportError:  # tqdm is optional: no bar
        return None
    return tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, file=sys.stderr, desc="counting")


def render_counts(
    rows: list[dict[str, Any]], encoding: str, backend: str, version: str, fmt: str,
    skipped: list[dict[str, str]] | None = None,
) -> str:
    """Per-file rows and the total in ``fmt``; JSON is ``{"signature", "files", "total_tokens"}``.

    ``skipped`` (with ``--skip-invalid``): the files left out and why; they are listed in the
    output (JSON ``"skipped"``, a note under text tables) and their number is in the signature.
    """
    from tokstats.render import dumps, render
    from tokstats.signature import build_signature, inputs_setting

    settings = {"count": "encode_ordinary"}
    if backend != "tiktoken":
        settings["backend"] = version.replace(" ", "-")
    settings["inputs"] = inputs_setting([(r["path"], r["sha256"]) for r in rows])
    if skipped is not None:
        settings["skipped_invalid"] = str(len(skipped))
    signature = build_signature([encoding], **settings)
    total = sum(r["tokens"] for r in rows)
    if fmt == "json":
        files = [{k: r[k] for k in COLUMNS} for r in rows]
        obj: dict[str, Any] = {"signature": signature.as_dict(), "files": files, "total_tokens": total}
        if skipped is not None:
            obj["skipped"] = skipped
        return dumps(obj)
    nbytes = sum(r["bytes"] for r in rows)
    notes = [f"total: {total} tokens in {len(rows)} file{'s' if len(rows) != 1 else ''} ({nbytes} bytes)"]
    if skipped:
        notes.append(f"skipped {len(skipped)} file{'s' if len(skipped) != 1 else ''} (--skip-invalid), not in the total:")
        notes += [f"  {item['error']}" for item in skipped]
    if fmt == "csv":  # CSV keeps only what a reader needs besides the rows: which files are missing
        notes = notes[1:]
    return render(rows, COLUMNS, fmt, signature, notes=notes)
