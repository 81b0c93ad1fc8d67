"""Re-exports imported on first use, for the package faces (PEP 562).

A face (``tokstats``, ``tokstats.counting`` …) names its public names and the private module that
defines each; the module is imported the first time a name is asked for. So importing one
capability never imports its neighbours, and ``tokstats count`` stays as cheap to start as a
bare tiktoken script.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


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
