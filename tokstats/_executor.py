"""Where per-item work runs: in this thread, in a ``concurrent.futures`` pool, or on a cluster.

``tokstats.counting._count.count_files`` and ``tokstats.comparison._compare.compare_rows``
cut their work into items (a file, a batch of texts) and run one module-level function on each
through ``map_ordered``. The executor is anything with ``Executor.map``'s contract —
``executor.map(fn, items)`` yields ``fn(item)`` in input order and raises the first item's error
in input order — a ``concurrent.futures.Executor``, or the Dask adapter of
``tokstats.scale`` (so counting and comparison never import dask). Item functions are plain
module-level functions (or ``functools.partial`` of them) taking picklable arguments, so that a
process pool or a cluster can run them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class MapExecutor(Protocol):
    """What an executor must offer: ``concurrent.futures.Executor.map``'s ordered results."""

    def map(self, fn: Callable[..., Any], *iterables: Iterable[Any]) -> Iterator[Any]: ...


def map_ordered(executor: MapExecutor | None, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[fn(item) for item in items]``, through ``executor`` if one is given (in this thread if not)."""
    if executor is None:
        return [fn(item) for item in items]
    return list(executor.map(fn, items))


__all__ = ["MapExecutor", "map_ordered"]
