"""The public API's plumbing: re-exports imported on first use, and former parameter names kept.

A face (``tokstats``, ``tokstats.counting`` …) names its public names and the private module that
defines each; the module is imported the first time a name is asked for (PEP 562). So importing
one capability never imports its neighbours, and ``tokstats count`` stays as cheap to start as a
bare tiktoken script. :func:`renamed` keeps a renamed parameter's former keyword working.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from tokstats.errors import UsageError

P = ParamSpec("P")
R = TypeVar("R")


def lazy_exports(
    namespace: dict[str, Any], exports: dict[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for a package whose ``globals()`` is ``namespace``.

    ``exports`` maps each public name to the module that defines it.
    """
    package = namespace["__name__"]

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(exports))

    return __getattr__, __dir__


def renamed(**old_names: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Keep accepting a parameter's former keyword name: ``@renamed(encoding="tokenizer")`` lets a
    caller still write ``encoding=…`` for ``tokenizer=…``. Giving both is a
    :class:`~tokstats.errors.UsageError` naming them."""

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            for old, new in old_names.items():
                if old in kwargs:
                    if new in kwargs:
                        raise UsageError(f"{fn.__name__}(): give {new}= or its former name {old}=, not both")
                    kwargs[new] = kwargs.pop(old)
            return fn(*args, **kwargs)

        return call

    return wrap
