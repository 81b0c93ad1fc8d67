"""What ``tokstats count`` counts and how its numbers are signed, for any caller.

``files_to_count`` turns the paths a user names (globs, ``file://`` URLs, folders) into the
list of files to count, walking folders as git and ripgrep would; ``count_signature`` is the
signature of a count: the tokenizer, which backend counted each input, and the inputs' hashes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tokstats.errors import InputError
from tokstats.output._signature import LISTED_INPUTS, Signature, build_signature, inputs_setting
from tokstats.sources._inputs import expand, is_url
from tokstats.tokenizers._backends import describe
from tokstats.tokenizers._registry import TokenizerLike


@dataclass
class FilesToCount:
    """The files a count covers and what was left out."""

    #: Files (and URLs) in the order given, each once, folders replaced by the files under them.
    files: list[str]
    #: ``{"path", "reason"}`` of what the folder walks left out (ignored, hidden, binary …).
    skipped: list[dict[str, str]] = field(default_factory=list)
    #: One line per folder walked (and for inputs named twice), for the user.
    notes: list[str] = field(default_factory=list)
    #: ``{"path", "reason"}`` of what the walks could not read, left out only because of
    #: ``skip_invalid`` (else an error): skipped invalid inputs, like files that fail to count.
    invalid: list[dict[str, str]] = field(default_factory=list)


def files_to_count(
    paths: Sequence[str],
    recursive: bool = False,
    options: Any = None,
    skip_invalid: bool = False,
) -> FilesToCount:
    """``paths`` resolved by ``tokstats.sources.expand`` (globs, ``file://``, each once), each
    folder replaced by the files ``tokstats.sources.walk`` finds under it.

    ``options`` is a ``WalkOptions``, or a function giving them, called only
    when there is a folder to walk (files alone never import the walker). Raises
    ``InputError`` for a folder without ``recursive``, a folder with nothing
    to count, and (without ``skip_invalid``) a sub-folder that cannot be read; with it, what
    cannot be read is in ``invalid``, not ``skipped``, so that the signature's
    ``skipped_invalid`` counts it.
    """
    resolved = expand(list(paths))
    out = FilesToCount([])
    if resolved.repeated:
        out.notes.append(resolved.note("counted"))
    files: list[str] = []
    for raw in resolved.paths:
        if is_url(raw) or not os.path.isdir(raw):
            files.append(raw)
            continue
        if not recursive:
            raise InputError(f"{raw}: is a directory; pass --recursive to count every file under it, or name the files")
        from tokstats.sources._discovery import WalkOptions, summary_line, walk  # folders only: start-up

        if callable(options):
            options = options()
        found = walk(raw, options or WalkOptions())
        unreadable = [s for s in found.skipped if s.kind == "unreadable"]
        if unreadable and not skip_invalid:
            raise InputError(f"{unreadable[0].path}: {unreadable[0].reason}; --skip-invalid skips it")
        if not found.files:
            what = f" (skipped {found.summary()})" if found.skipped else ""
            raise InputError(f"{raw}: no files to count under it{what}")
        out.notes.append(summary_line(raw, found))
        files += found.files
        out.skipped += [s.as_dict() for s in found.skipped if s.kind != "unreadable"]
        out.invalid += [{"path": s.path, "reason": f"{s.path}: {s.reason}"} for s in unreadable]
    out.files = list(dict.fromkeys(files))
    return out


def backends_setting(rows: Sequence[dict[str, Any]]) -> str:
    """The ``backend`` setting: which backend counted each input, with versions.

    One backend for all: ``quicktok-v1-0.4.0``; several: each followed by the inputs it counted,
    as 1-based positions (``tiktoken-0.14.0[1,3];quicktok-v1-0.4.0[2]``) or, past
    ``LISTED_INPUTS`` inputs, as a number of files.
    """
    by: dict[str, list[int]] = {}
    for i, r in enumerate(rows, start=1):
        by.setdefault(r.get("backend", "tiktoken"), []).append(i)
    if len(by) <= 1:
        return describe(next(iter(by), "tiktoken"))
    if len(rows) <= LISTED_INPUTS:
        return ";".join(f"{describe(b)}[{','.join(map(str, ix))}]" for b, ix in by.items())
    return ";".join(f"{describe(b)}[{len(ix)} files]" for b, ix in by.items())


def count_signature(
    rows: Sequence[dict[str, Any]], tokenizer: TokenizerLike, invalid: Sequence[Any] | None = None
) -> Signature:
    """The signature of a count: ``rows`` are ``{"path", "sha256", "backend", …}`` per input;
    ``invalid`` (given when files that could not be counted were skipped) adds their number."""
    settings = {"count": "encode_ordinary", "backend": backends_setting(rows)}
    settings["inputs"] = inputs_setting([(r["path"], r["sha256"]) for r in rows])
    if invalid is not None:
        settings["skipped_invalid"] = str(len(invalid))
    return build_signature([tokenizer], **settings)
