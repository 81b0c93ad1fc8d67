"""quicktok's data files for a vocabulary it does not bundle, written once from tokstats' own ranks.

quicktok ships cl100k, o200k, Llama 3 and Qwen; for another byte-level BPE vocabulary whose split
pattern it scans by hand (Tekken's), it loads the same binary files from any folder. tokstats
writes them from the ranks of its own verified file, once, into a cache folder
(``$XDG_CACHE_HOME/tokstats/quicktok``, else ``~/.cache/tokstats/quicktok``), under a name that
holds the file's sha256 so a changed file never meets stale data. Nothing written here is trusted:
before quicktok counts, it must encode the canary exactly as tokstats' own tokenizer does
(``tokstats.tokenizers._backends``), so a wrong or damaged cache is never used.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def cache_home() -> Path:
    """Where tokstats keeps quicktok data it built."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tokstats" / "quicktok"


def data_dir(name: str, ranks: Callable[[], dict[bytes, int]], scanner: str, id_offset: int = 0) -> str:
    """A folder holding quicktok's files for encoding ``name``, written now if missing.

    ``ranks`` is called only when the files must be written. Raises ``OSError`` when the cache
    cannot be written, ``ImportError`` when quicktok is missing, ``ValueError`` when quicktok
    refuses the vocabulary.
    """
    import quicktok
    from quicktok import _import_core as core

    final = cache_home() / name
    if (final / f"{name}.enc").is_file():
        return str(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=final.parent))
    try:
        core.write_files(str(tmp), name, ranks(), {}, scanner, False, id_offset)
        core.ensure_tables(str(tmp), os.path.join(os.path.dirname(quicktok.__file__), "data"), scanner, False)
        try:
            os.rename(tmp, final)
        except OSError:  # written by another process meanwhile: use that one
            if not (final / f"{name}.enc").is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return str(final)
