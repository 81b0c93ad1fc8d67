"""Counting backends: tiktoken (the reference, always) and an optional exact faster one.

A backend turns an encoding name into a ``count(text) -> int`` function that must equal
``len(tiktoken_encoding.encode_ordinary(text))`` for every text (special-token strings count as
ordinary text). tiktoken is the default and the reference; another backend is used only when
asked for by name (``--backend``), never silently.

Evaluated (2026-11, on this project's parity tests and benches; see notes/handoff-hotpath.md):

- ``quicktok`` (PyPI ``quicktok-v1`` 0.4.0, C++ with pybind11): token ids identical to
  tiktoken on every parity test (golden strings, corpora, Python source, hypothesis text), its
  ``count`` builds no list of ids and releases the GIL, so threads scale. Offered.
- ``bpe-openai`` (PyPI ``bpe-openai`` 0.1.4, Rust): identical ids on the same tests and faster
  than tiktoken on one core, but it holds the GIL (two threads run slower than one) and its
  public ``encode_ordinary`` refuses texts of 1,000,000 characters or more. Not offered; the
  benches still measure it when installed.

quicktok ships its own copy of the vocabularies inside its binary, so tokstats cannot check them
against tiktoken's pinned sha256; the parity tests are the evidence that it is exact, and the
signature records the backend and its version.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from tokstats.errors import InputError, UnknownNameError

#: Backends ``--backend`` accepts, the default first.
BACKENDS = ("tiktoken", "quicktok")

#: Encodings each optional backend bundles (anything else stays with tiktoken).
_QUICKTOK_ENCODINGS = ("cl100k_base", "o200k_base", "o200k_harmony")

Counter = Callable[[str], int]


def check_backend(name: str) -> None:
    """Raise :class:`UnknownNameError` unless ``name`` is a backend tokstats offers."""
    if name not in BACKENDS:
        raise UnknownNameError("backend", name, BACKENDS)


def backend_version(name: str) -> str:
    """``name`` and the installed version of the package behind it, e.g. ``quicktok-v1 0.4.0``."""
    from importlib import metadata  # 10+ ms to import: only when asked

    check_backend(name)
    dist = {"tiktoken": "tiktoken", "quicktok": "quicktok-v1"}[name]
    try:
        return f"{dist} {metadata.version(dist)}"
    except metadata.PackageNotFoundError:
        return f"{dist} (not installed)"


def tiktoken_counter(enc: Any) -> Counter:
    """``len(enc.encode_ordinary(text))`` without building a Python list of ids.

    tiktoken releases the GIL while it encodes but builds the returned list of ints with the GIL
    held, which serialises threads. Its ``encode_to_tiktoken_buffer`` (what the public
    ``encode_to_numpy`` calls) returns the ids as a buffer instead; with no special token allowed
    it encodes special-token strings as ordinary text, so its length equals
    ``len(encode_ordinary(text))`` (tested in tests/test_counting.py). Falls back to
    ``encode_ordinary`` when the private method is missing or the text has lone surrogates.
    """
    encode = enc.encode_ordinary
    to_buffer = getattr(getattr(enc, "_core_bpe", None), "encode_to_tiktoken_buffer", None)
    if to_buffer is None:
        return lambda text: len(encode(text))

    def count(text: str) -> int:
        try:
            return memoryview(to_buffer(text, set())).nbytes // 4
        except UnicodeEncodeError:  # lone surrogates: tiktoken's own wrapper repairs them
            return len(encode(text))

    return count


@cache
def get_counter(encoding: str, backend: str = "tiktoken") -> Counter:
    """A thread-safe ``count(text) -> int`` for ``encoding`` using ``backend``.

    Raises :class:`UnknownNameError` for an unknown backend and :class:`InputError` when the
    backend is not installed or does not have the encoding.
    """
    check_backend(backend)
    if backend == "tiktoken":
        from tokstats.encodings import get_encoding

        return tiktoken_counter(get_encoding(encoding))
    if encoding not in _QUICKTOK_ENCODINGS:
        raise InputError(
            f"backend quicktok does not have encoding {encoding!r} (it has: "
            f"{', '.join(_QUICKTOK_ENCODINGS)}); use --backend tiktoken"
        )
    try:
        import quicktok
    except ImportError:
        raise InputError(
            "backend quicktok is not installed: pip install 'tokstats[fast]' "
            "(or pip install quicktok-v1), or use --backend tiktoken"
        ) from None
    tok = quicktok.get_encoding(encoding)

    def count(text: str) -> int:
        try:
            return int(tok.count(text))
        except (TypeError, UnicodeEncodeError):
            if not isinstance(text, str):
                raise
            # A lone surrogate is not UTF-8; count it as tiktoken does, as U+FFFD.
            return int(tok.count(text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")))

    return count
