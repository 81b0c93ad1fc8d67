"""The public API's plumbing: re-exports imported on first use, and former parameter names kept.

A face (``tokstats``, ``tokstats.counting`` …) names its public names and the private module that
defines each; the module is imported the first time a name is asked for (PEP 562). So importing
one capability never imports its neighbours, and ``tokstats count`` stays as cheap to start as a
bare tiktoken script. ``renamed`` keeps a renamed parameter's former keyword working.

The ``check_*`` functions are the public API's door: each public function checks its parameters
once, at entry, with them, so a wrong call ends in a ``ParameterError``
(an ``InputError``) naming the parameter, the value given (its repr,
shortened) and what is accepted -- never in a TypeError or an OverflowError from deep inside.
Ranges are those of ``tokstats.defaults``, the same the command line accepts. A bool is not
a whole number, and a huge int is never converted to float or str.
"""

from __future__ import annotations

import functools
import importlib
import math
import os
import reprlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ParamSpec, TypeVar

from tokstats.errors import ParameterError, UsageError

P = ParamSpec("P")
R = TypeVar("R")


def lazy_exports(
    namespace: dict[str, Any], exports: dict[str, str], subpackages: tuple[str, ...] = ()
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for a package whose ``globals()`` is ``namespace``.

    ``exports`` maps each public name to the module that defines it; ``subpackages`` are
    imported on first use too, so ``import tokstats`` then ``tokstats.plots.…`` works.
    """
    package = namespace["__name__"]

    def __getattr__(name: str) -> Any:
        if name in subpackages:
            return importlib.import_module(f"{package}.{name}")
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(exports) | set(subpackages))

    return __getattr__, __dir__


def renamed(**old_names: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Keep accepting a parameter's former keyword name: ``@renamed(encoding="tokenizer")`` lets a
    caller still write ``encoding=…`` for ``tokenizer=…``. Giving both is a
    ``UsageError`` naming them."""

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


_REPR = reprlib.Repr()
_REPR.maxstring = 40
_REPR.maxother = 40
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 4


def shown(value: Any) -> str:
    """``repr(value)``, shortened; a huge int by its size (converting it to str is quadratic)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"{'-' if value < 0 else ''}an integer of about {int(value.bit_length() * 0.30103)} digits"
    if isinstance(value, str) and len(value) > 40:
        return f"{value[:30]!r}…({len(value):,} characters)"
    try:
        return _REPR.repr(value)
    except Exception:  # a repr that fails: name the type
        return f"<{type(value).__name__} object>"


def _refuse(name: str, value: Any, accepted: str) -> ParameterError:
    return ParameterError(name, f"{name} must be {accepted}, not {shown(value)}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_int(name: str, value: Any, bounds: tuple[int, int], *, none: bool = False) -> Any:
    """``value`` if it is a whole number (not a bool) within ``bounds`` (inclusive), or None when
    ``none``; else a ``ParameterError`` naming ``name``."""
    if value is None and none:
        return None
    low, high = bounds
    if not _is_int(value) or not low <= value <= high:
        raise _refuse(name, value, f"a whole number from {low:,} to {high:,}" + (" or None" if none else ""))
    return value


def check_number(name: str, value: Any, low: float, high: float, *, none: bool = False) -> Any:
    """``value`` as a float if it is a real number (an int or a float, not a bool, not NaN) from
    ``low`` to ``high``; None when ``none``. Compared before converting, so a huge int is refused
    without an OverflowError."""
    if value is None and none:
        return None
    ok = (_is_int(value) or isinstance(value, float)) and not (isinstance(value, float) and math.isnan(value))
    if not ok or not low <= value <= high:
        raise _refuse(name, value, f"a number from {low:g} to {high:g}" + (" or None" if none else ""))
    return float(value)


def check_bool(name: str, value: Any) -> bool:
    """``value`` if it is True or False."""
    if not isinstance(value, bool):
        raise _refuse(name, value, "True or False")
    return value


def check_str(name: str, value: Any, *, what: str = "a non-empty str", none: bool = False, empty: bool = False) -> Any:
    """``value`` if it is a str (non-empty unless ``empty``), or None when ``none``."""
    if value is None and none:
        return None
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise _refuse(name, value, what + (" or None" if none else ""))
    return value


def check_choice(name: str, value: Any, choices: Sequence[str]) -> str:
    """``value`` if it is one of ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise _refuse(name, value, "one of " + ", ".join(map(repr, choices)))
    return value


def check_path(name: str, value: Any, *, none: bool = False) -> Any:
    """``value`` if it is a path: a non-empty str or an ``os.PathLike`` of str (None when ``none``)."""
    if value is None and none:
        return None
    if not _is_path(value):
        raise _refuse(name, value, "a path (a str or os.PathLike)" + (" or None" if none else ""))
    return value


def _is_path(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value)
    if isinstance(value, os.PathLike):
        try:
            return isinstance(os.fspath(value), str)
        except TypeError:
            return False
    return False


def check_paths(name: str, value: Any) -> list[Any]:
    """A list of paths from one path (a str or ``os.PathLike``) or a list (any iterable but a
    mapping, bytes or an iterator) of them; ``ParameterError`` naming the first bad one."""
    if _is_path(value):
        return [value]
    if isinstance(value, (str, bytes, bytearray, Mapping)) or not isinstance(value, Iterable):
        raise _refuse(name, value, "a path (a str or os.PathLike) or a list of paths")
    items = list(value)
    for i, item in enumerate(items):
        if not _is_path(item):
            raise _refuse(f"{name}[{i}]", item, "a path (a str or os.PathLike)")
    return items


def check_names(name: str, value: Any, what: str = "name", *, empty: bool = False) -> list[str]:
    """A list of names from one name (a str: never its characters) or a list of them."""
    if isinstance(value, str):
        value = [value]
    elif isinstance(value, (bytes, bytearray, Mapping)) or not isinstance(value, Iterable):
        raise _refuse(name, value, f"a {what} (a str) or a list of them")
    items = list(value)
    if not items and not empty:
        raise _refuse(name, value, f"at least one {what}")
    for i, item in enumerate(items):
        check_str(f"{name}[{i}]", item, what=f"a {what} (a non-empty str)")
    return items


def check_spec(name: str, value: Any) -> Any:
    """``value`` if it can name a tokenizer: a spec (str), a ``Tokenizer`` or a
    ``tiktoken.Encoding`` (resolved later, once, by ``as_tokenizer``)."""
    if isinstance(value, str) and value.strip():
        return value
    # duck-typed (both have ``encode``): this module sits below every capability, tokenizers too
    if isinstance(value, str) or not callable(getattr(value, "encode", None)):
        raise _refuse(name, value, "a tokenizer spec (such as 'o200k_base'), a Tokenizer or a tiktoken.Encoding")
    return value


def check_specs(name: str, value: Any, *, empty: bool = False) -> list[Any]:
    """A list of tokenizers (see ``check_spec``) from one or a list of them."""
    if isinstance(value, str) or not isinstance(value, Iterable) or isinstance(value, (bytes, Mapping)):
        return [check_spec(name, value)]
    items = list(value)
    if not items and not empty:
        raise _refuse(name, value, "at least one tokenizer")
    return [check_spec(f"{name}[{i}]", t) for i, t in enumerate(items)]
