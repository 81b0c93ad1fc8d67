"""One input model for every command: what a PATH on the command line may be, and what it names.

Every command that reads users' files (``count``, ``compare``, ``show --file``, ``cost``) and the
cluster path (``--scheduler``) resolve their PATHs with ``expand``, so an input means the same
thing wherever it is read:

- a file path, as written (a path that exists is never taken for a glob);
- a glob (``*``, ``?``, ``[…]``; ``**`` crosses folders), expanded here, sorted; folders are
  dropped from the matches; no match is an error naming the pattern;
- ``-``: standard input (read once; naming it twice reads it once);
- ``file://`` URLs, read as the local path they name; other URLs (``s3://``, ``gs://`` …) are
  read through fsspec on a Dask cluster (``--scheduler``) and globbed by their filesystem;
- a Parquet dataset folder (``compare``): every ``*.parquet`` file under it, one input.

A path named twice (or matched by two globs) is read once; ``Inputs`` lists the repeats so
the command can say so. Counting it twice would inflate a total silently; refusing would make
``count a.txt *.txt`` fail for no reason.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tokstats.errors import InputError
from tokstats.sources._textio import read_bytes

if TYPE_CHECKING:
    from tokstats.sources._readers import Columns, Document

#: The path that means standard input.
STDIN = "-"


@dataclass
class Inputs:
    """Resolved inputs in order (each once), and the ones that were named more than once."""

    paths: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)

    def note(self, verb: str = "read") -> str:
        """One line for stderr about repeated inputs, or ``""``."""
        if not self.repeated:
            return ""
        names = ", ".join(self.repeated[:3]) + (f" and {len(self.repeated) - 3} more" if len(self.repeated) > 3 else "")
        return f"named more than once, {verb} once: {names}"


def is_url(path: str) -> bool:
    """Whether ``path`` is an fsspec URL (``s3://…``, ``file://…``, ``memory://…``)."""
    return "://" in path


def has_glob(path: str) -> bool:
    """Whether ``path`` contains glob characters (``*``, ``?``, ``[``)."""
    return any(c in path for c in "*?[")


def local_path(url: str) -> str:
    """The local path a ``file://`` URL names (``file:///tmp/a.txt`` -> ``/tmp/a.txt``)."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise InputError(f"{url}: a file:// URL names a file on this machine; use file:///path (three slashes)")
    return unquote(parts.path) or "/"


def _glob(pattern: str) -> list[str]:
    if is_url(pattern):
        try:
            import fsspec
        except ImportError:
            raise InputError(f"{pattern}: globbing a URL needs fsspec: pip install 'tokstats[dask]'") from None
        try:
            fs, stripped = fsspec.core.url_to_fs(pattern)
        except (ImportError, ValueError) as e:
            raise InputError(f"{pattern}: {str(e).splitlines()[0]}") from None
        return [fs.unstrip_protocol(m) for m in sorted(fs.glob(stripped)) if not fs.isdir(m)]
    import glob

    return sorted(m for m in glob.glob(pattern, recursive=True) if not os.path.isdir(m))


def expand(paths: Sequence[str]) -> Inputs:
    """``paths`` resolved as the module docstring says: globs expanded, ``file://`` made local,
    each input once (in first-seen order), repeats listed."""
    out: list[str] = []
    for p in paths:
        p = os.fspath(p)
        if p.startswith("file://"):
            p = local_path(p)
        if p == STDIN or not has_glob(p) or (not is_url(p) and os.path.exists(p)):
            out.append(p)
            continue
        matches = _glob(p)
        if not matches:
            raise InputError(f"{p}: no files match")
        out += matches
    unique = list(dict.fromkeys(out))
    seen: set[str] = set()
    repeated = []
    for p in out:
        if p in seen and p not in repeated:
            repeated.append(p)
        seen.add(p)
    return Inputs(unique, repeated)


def require_local(paths: Sequence[str]) -> None:
    """Refuse URLs this machine does not read itself (``s3://`` …), naming the way to read them."""
    for p in paths:
        if is_url(p):
            raise InputError(f"{p}: URLs other than file:// are read by Dask workers: add --scheduler ADDRESS|local:N")


def is_parquet_dataset(path: str) -> bool:
    """Whether ``path`` is a local folder of Parquet files (a dataset ``compare`` reads as one input)."""
    return not is_url(path) and os.path.isdir(path) and bool(dataset_files(path))


def dataset_files(path: str) -> list[str]:
    """The Parquet files of a dataset folder, sorted, skipping names starting with ``_`` or ``.``
    (``_SUCCESS``, ``_metadata``, hidden files), as pyarrow and dask do."""
    found = []
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(("_", ".")))
        found += [
            os.path.join(dirpath, f)
            for f in filenames
            if f.endswith((".parquet", ".pq")) and not f.startswith(("_", "."))
        ]
    return sorted(found)


def dataset_listing_hash(path: str) -> str:
    """sha256 of a dataset folder's file names and sizes (a listing hash, not a content hash);
    local folders and fsspec URLs give the same value for the same files."""
    import hashlib

    if is_url(path):
        import fsspec

        fs, stripped = fsspec.core.url_to_fs(path)
        listing = sorted(
            (os.path.relpath(p, stripped), info.get("size")) for p, info in fs.find(stripped, detail=True).items()
        )
    else:
        listing = []
        for dirpath, _dirs, filenames in os.walk(path):
            for f in filenames:
                full = os.path.join(dirpath, f)
                listing.append((os.path.relpath(full, path), os.path.getsize(full)))
        listing.sort()
    return hashlib.sha256("\n".join(f"{rel}\t{size}" for rel, size in listing).encode()).hexdigest()


def input_sha256(path: str) -> str:
    """sha256 of an input's bytes (standard input included) for the signature; a dataset folder
    gives ``listing:`` and its ``dataset_listing_hash``."""
    import hashlib

    if path == STDIN:
        return hashlib.sha256(read_bytes(STDIN)).hexdigest()
    if os.path.isdir(path):
        return "listing:" + dataset_listing_hash(path)
    from tokstats.sources._readers import file_sha256  # with _catalogs: ~10 ms at count start-up

    return file_sha256(path)


def read_inputs(
    paths: Sequence[str],
    columns: Columns,
    input_format: str = "auto",
) -> tuple[list[Document], list[tuple[str, str]]]:
    """The documents of every input (after ``expand``) and ``(input, sha256)`` for the
    signature. A Parquet dataset folder is one input: its files' rows, in file order, all with
    the folder as their source."""
    from dataclasses import replace

    from tokstats.sources._readers import read_documents  # with _catalogs: ~10 ms at count start-up

    docs: list[Document] = []
    hashes: list[tuple[str, str]] = []
    for p in paths:
        if input_format in ("auto", "parquet") and is_parquet_dataset(p):
            for part in dataset_files(p):
                docs += [replace(d, source=p) for d in read_documents(part, columns, "parquet")]
        else:
            docs += read_documents(p, columns, input_format)
        hashes.append((p, input_sha256(p)))
    return docs, hashes


__all__ = [
    "Inputs",
    "STDIN",
    "dataset_files",
    "dataset_listing_hash",
    "expand",
    "has_glob",
    "input_sha256",
    "is_parquet_dataset",
    "is_url",
    "local_path",
    "read_inputs",
    "require_local",
]
