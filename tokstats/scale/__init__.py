"""The same counts and comparisons on a Dask cluster: workers read and measure, this machine adds up.

``._cluster`` connects to (or starts) a cluster and wraps its client as an executor
(``DaskExecutor``) for the one ``count_files`` and ``compare_rows``; ``._compare`` adds
what only a cluster does (URLs copied on workers, Parquet datasets by partition). Dask is an
optional extra, imported only here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tokstats._api import lazy_exports

_EXPORTS: dict[str, str] = {
    "DaskExecutor": "tokstats.scale._cluster",
    "connect": "tokstats.scale._cluster",
    "count_rows": "tokstats.scale._cluster",
    "parse_scheduler": "tokstats.scale._cluster",
    "compare_rows": "tokstats.scale._compare",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(globals(), _EXPORTS)

if TYPE_CHECKING:
    from tokstats.scale._cluster import DaskExecutor, connect, count_rows, parse_scheduler
    from tokstats.scale._compare import compare_rows
