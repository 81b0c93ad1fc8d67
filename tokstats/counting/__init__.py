"""Exact token counts of texts, files and folders, streamed, on all cores, with flat memory.

A file is read in blocks, cut only where the tokenizer's cut rule allows, and the chunks are
counted on worker threads (``._count``). The tokenizer decides how it is counted (its fast
counter, its cut rule); this package only plans and runs the work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tokstats._api import lazy_exports

_EXPORTS: dict[str, str] = {
    "count": "tokstats.counting._count",
    "count_file": "tokstats.counting._count",
    "count_file_sized": "tokstats.counting._count",
    "count_files": "tokstats.counting._count",
    "default_jobs": "tokstats.counting._count",
    "FilesToCount": "tokstats.counting._paths",
    "count_signature": "tokstats.counting._paths",
    "files_to_count": "tokstats.counting._paths",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(globals(), _EXPORTS)

if TYPE_CHECKING:
    from tokstats.counting._count import (
        count,
        count_file,
        count_file_sized,
        count_files,
        default_jobs,
    )
