"""Offline, verified tiktoken encodings.

tiktoken downloads its BPE rank files on first use, so a fresh machine without internet access
cannot count a single token. tokstats ships the genuine rank files of ``cl100k_base`` and
``o200k_base`` (see ``_ranks/SOURCES.json`` for where they came from) and builds those encodings,
and ``o200k_harmony`` which shares o200k's ranks, from tiktoken's *own* constructors: tiktoken's
pattern, special tokens and pinned sha256. A shipped file whose hash does not match the hash
tiktoken pins is refused, never used.

Every other tiktoken encoding (``r50k_base``, ``p50k_base``, plugins …) goes through tiktoken's
normal cache/download and, when that fails, raises ``EncodingUnavailableError`` saying so.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import tiktoken
import tiktoken.model
import tiktoken.registry

from tokstats._api import check_str
from tokstats.errors import (
    EncodingUnavailableError,
    InputError,
    RankFileError,
    RankFileHashError,
    UnknownEncodingError,
    UnknownModelError,
)
from tokstats.sources._textio import open_input
from tokstats.tokenizers._rank_files import parse_rank_lines

#: Environment variable naming a folder of ``<name>.tiktoken`` files to use instead of the
#: shipped ones (the same hash check applies). Meant for tests and for auditing a file.
RANK_DIR_ENV = "TOKSTATS_RANK_DIR"

_SHIPPED_DIR = Path(__file__).with_name("_ranks")
_lock = threading.RLock()
_encodings: dict[str, tiktoken.Encoding] = {}
_verified: dict[str, RankFile] = {}


@dataclass(frozen=True)
class RankFile:
    """A verified rank file: which encoding's ranks, where they were read from, their sha256."""

    name: str
    path: str
    sha256: str


@cache
def shipped_sources() -> dict[str, Any]:
    """The provenance record of the rank files shipped with tokstats (``_ranks/SOURCES.json``)."""
    data: dict[str, Any] = json.loads((_SHIPPED_DIR / "SOURCES.json").read_text("utf-8"))
    return data


def shipped_rank_names() -> list[str]:
    """Names of the rank files tokstats ships (``cl100k_base``, ``o200k_base``)."""
    return sorted(shipped_sources()["files"])


def rank_dir() -> Path:
    """The folder shipped rank files are read from: ``$TOKSTATS_RANK_DIR`` or the package's own."""
    override = os.environ.get(RANK_DIR_ENV)
    return Path(override) if override else _SHIPPED_DIR


def _rank_name_from_blobpath(blobpath: str) -> str:
    """``https://…/encodings/o200k_base.tiktoken`` -> ``o200k_base``."""
    return blobpath.rsplit("/", 1)[-1].removesuffix(".tiktoken")


def read_rank_file(name: str, expected_hash: str) -> tuple[dict[bytes, int], RankFile]:
    """Read the shipped ranks for ``name`` and check their sha256 against ``expected_hash``.

    The hash is taken over the file's bytes, the same bytes tiktoken hashes after a download, so
    a file passes here exactly when it would pass in tiktoken.
    """
    contents, path = _read_shipped(name)
    actual = hashlib.sha256(contents).hexdigest()
    if actual != expected_hash:
        raise RankFileHashError(name, str(path), expected_hash, actual)
    return parse_rank_lines(contents, str(path), pinned=True), RankFile(name, str(path), actual)


def _read_shipped(name: str) -> tuple[bytes, Path]:
    """The bytes of the shipped rank file ``name`` and its path; one line naming the file when it
    is missing, unreadable or not a regular file (``/dev/zero`` or a FIFO would never end)."""
    path = rank_dir() / f"{name}.tiktoken"
    try:
        with open_input(path) as f:  # a regular file only: /dev/zero or a FIFO would never end
            contents = f.read()
    except InputError as e:
        if not path.exists() and not path.is_symlink():
            raise RankFileError(
                f"rank file for {name} not found at {path}; reinstall tokstats"
                + (f" or unset {RANK_DIR_ENV}" if os.environ.get(RANK_DIR_ENV) else "")
            ) from None
        raise RankFileError(f"rank file for {name} cannot be used: {e}") from None
    except FileNotFoundError as e:
        raise RankFileError(
            f"rank file for {name} not found at {path}; reinstall tokstats"
            + (f" or unset {RANK_DIR_ENV}" if os.environ.get(RANK_DIR_ENV) else "")
        ) from e
    except OSError as e:
        raise RankFileError(f"rank file {path} for {name} cannot be read: {e}") from e
    return contents, path


def _constructors() -> dict[str, Callable[[], dict[str, Any]]]:
    names = tiktoken.registry.list_encoding_names()  # populates the registry's constructor map
    constructors = tiktoken.registry.ENCODING_CONSTRUCTORS or {}
    return {n: constructors[n] for n in names}


def list_encodings() -> list[str]:
    """Every encoding name tokstats can build: tiktoken's own and those of installed plugins.

    Raises nothing of its own (it takes no parameters).
    """
    return sorted(_constructors())


def _constructor(name: str) -> tuple[Callable[[], dict[str, Any]], dict[str, Any]]:
    """tiktoken's constructor for ``name`` and the module namespace its rank loader is looked up in."""
    constructors = _constructors()
    if name not in constructors:
        raise UnknownEncodingError(name, constructors)
    constructor = constructors[name]
    return constructor, getattr(constructor, "__globals__", {})


def _build(name: str) -> tiktoken.Encoding:
    constructor, namespace = _constructor(name)
    original_loader = namespace.get("load_tiktoken_bpe")
    shipped = set(shipped_rank_names())
    used: list[RankFile] = []

    def load_tiktoken_bpe(blobpath: str, expected_hash: str | None = None) -> dict[bytes, int]:
        rank_name = _rank_name_from_blobpath(blobpath)
        if rank_name in shipped and expected_hash:
            ranks, info = read_rank_file(rank_name, expected_hash)
            used.append(info)
            return ranks
        assert original_loader is not None
        return original_loader(blobpath, expected_hash)  # type: ignore[no-any-return]

    try:
        if original_loader is not None:
            namespace["load_tiktoken_bpe"] = load_tiktoken_bpe
        try:
            spec = constructor()
        finally:
            if original_loader is not None:
                namespace["load_tiktoken_bpe"] = original_loader
    except RankFileError:
        raise
    except Exception as e:  # tiktoken's download: network, hash or parse failure
        reason = str(e).splitlines()[0] if str(e) else ""
        if "Connection" in type(e).__name__ or "Timeout" in type(e).__name__:
            reason = "the download failed (no network?)"
        elif len(reason) > 160:
            reason = reason[:160] + "…"
        raise EncodingUnavailableError(
            f"encoding {name} is not shipped with tokstats (shipped: {', '.join(sorted(shipped))}) "
            f"and tiktoken could not load it: {type(e).__name__}: {reason}. "
            "Connect to the internet once, or put its rank file in TIKTOKEN_CACHE_DIR"
        ) from e
    if used:
        _verified[name] = used[0]
    return tiktoken.Encoding(**spec)


def get_encoding(name: str) -> tiktoken.Encoding:
    """The tiktoken ``Encoding`` called ``name``, loaded offline where tokstats ships its ranks.

    Raises ``UnknownEncodingError`` for a name no constructor defines,
    ``RankFileHashError`` for a shipped file that is not the genuine one, and
    ``EncodingUnavailableError`` when a non-shipped encoding cannot be fetched, and
    ``ParameterError`` (an ``InputError``) for a
    ``name`` that is not a non-empty str.
    """
    check_str("name", name, what="an encoding name such as 'o200k_base' (a non-empty str)")
    with _lock:
        enc = _encodings.get(name)
        if enc is None:
            enc = _encodings[name] = _build(name)
        return enc


def is_verified_encoding(enc: tiktoken.Encoding) -> bool:
    """Whether ``enc`` is the encoding ``get_encoding`` built (verified ranks), not the caller's own."""
    with _lock:
        return _encodings.get(enc.name) is enc


def known_models() -> list[str]:
    """Model names and prefixes (ending in ``-``) tiktoken maps to an encoding."""
    return sorted(set(tiktoken.model.MODEL_TO_ENCODING) | {p + "*" for p in tiktoken.model.MODEL_PREFIX_TO_ENCODING})


def encoding_name_for_model(model: str) -> str:
    """The encoding name tiktoken's model map gives ``model`` (exact name or known prefix)."""
    try:
        return tiktoken.model.encoding_name_for_model(model)
    except KeyError:
        raise UnknownModelError(model, known_models()) from None


def encoding_for_model(model: str) -> tiktoken.Encoding:
    """The offline, verified encoding for an OpenAI model name, e.g. ``gpt-4o`` -> o200k_base.

    Raises ``ParameterError`` (an ``InputError``) for
    a ``model`` that is not a non-empty str, ``UnknownModelError`` for a model tiktoken's
    model map does not know, and what ``get_encoding`` raises.
    """
    check_str("model", model, what="a model name such as 'gpt-4o' (a non-empty str)")
    return get_encoding(encoding_name_for_model(model))


def rank_file_hash(name: str) -> str | None:
    """sha256 of the rank file behind an encoding, without building the encoding.

    For an encoding whose ranks tokstats ships, the file is hashed and checked against the hash
    tiktoken pins (a few milliseconds; parsing the ranks is what costs start-up), so a signature
    can name the vocabulary even when another backend counted and tiktoken was never loaded. A
    file that fails the check raises ``RankFileHashError``. For encodings tokstats does not
    ship, the hash tiktoken pins is reported when it can be read from the constructor without a
    download; otherwise ``None``.
    """
    info = _verified.get(name) or verify_rank_file(name)
    return info.sha256 if info else _pinned_hash(name)


def ships_ranks(name: str) -> bool:
    """Whether tokstats ships the rank file of encoding ``name`` (no file is read)."""
    rank_name, expected = _pinned_file(name) or (None, None)
    return rank_name in shipped_rank_names() and bool(expected)


def verify_rank_file(name: str) -> RankFile | None:
    """Hash the shipped rank file behind ``name`` against tiktoken's pinned sha256 (no parsing).

    ``None`` when tokstats does not ship the ranks of ``name``. Raises
    ``UnknownEncodingError`` for a name no constructor defines.
    """
    if name not in _constructors():
        raise UnknownEncodingError(name, _constructors())
    rank_name, expected = _pinned_file(name) or (None, None)
    if rank_name not in shipped_rank_names() or not expected:
        return None
    contents, path = _read_shipped(rank_name)
    actual = hashlib.sha256(contents).hexdigest()
    if actual != expected:
        raise RankFileHashError(rank_name, str(path), expected, actual)
    return RankFile(rank_name, str(path), actual)


def split_pattern(name: str) -> str:
    """The split (pre-tokenizer) regex of encoding ``name``, without loading its ranks.

    Read from tiktoken's own constructor run with a loader that returns no ranks, so a command
    that counts with another backend never pays for parsing tiktoken's rank file.
    """
    with _lock:
        enc = _encodings.get(name)
    if enc is not None:
        return enc._pat_str
    try:
        return str(_spec_without_ranks(name)["pat_str"])
    except UnknownEncodingError:
        raise
    except Exception:  # a constructor that needs more than ranks (gpt2's data-gym files)
        return get_encoding(name)._pat_str


@cache
def _spec_without_ranks(name: str) -> dict[str, Any]:
    constructor, namespace = _constructor(name)
    original = namespace.get("load_tiktoken_bpe")
    with _lock:
        if original is not None:
            namespace["load_tiktoken_bpe"] = lambda *args, **kwargs: {}
        try:
            spec: dict[str, Any] = constructor()
        finally:
            if original is not None:
                namespace["load_tiktoken_bpe"] = original
    return spec


def rank_file(name: str) -> RankFile | None:
    """Where a loaded encoding's verified ranks came from (``None`` if not shipped by tokstats)."""
    get_encoding(name)
    return _verified.get(name)


@cache
def _pinned_file(name: str) -> tuple[str, str | None] | None:
    """The rank file (name, pinned sha256) ``name``'s constructor asks for, without loading it.

    Found by running the constructor with a loader that records its arguments and stops.
    """
    constructor = _constructors()[name]
    namespace = getattr(constructor, "__globals__", {})
    original = namespace.get("load_tiktoken_bpe")
    if original is None:
        return None
    seen: list[tuple[str, str | None]] = []

    class _Stop(Exception):
        pass

    def record(blobpath: str, expected_hash: str | None = None) -> dict[bytes, int]:
        seen.append((_rank_name_from_blobpath(blobpath), expected_hash))
        raise _Stop

    with _lock:
        namespace["load_tiktoken_bpe"] = record
        try:
            constructor()
        except Exception:
            pass
        finally:
            namespace["load_tiktoken_bpe"] = original
    return seen[0] if seen else None


def _pinned_hash(name: str) -> str | None:
    entry = _pinned_file(name) if name in _constructors() else None
    return entry[1] if entry else None


@dataclass(frozen=True)
class EncodingStatus:
    """One row of ``tokstats encodings``: where an encoding loads from and whether it verified."""

    name: str
    source: str
    expected_sha256: str | None
    verified: str
    detail: str


def encoding_status(name: str) -> EncodingStatus:
    """Try to load ``name`` offline-first and report the outcome without raising."""
    if name not in _constructors():
        raise UnknownEncodingError(name, _constructors())
    rank_name, expected = _pinned_file(name) or (None, None)
    if rank_name not in shipped_rank_names():
        return EncodingStatus(
            name,
            "tiktoken (cache or download)",
            expected,
            "n/a",
            "not shipped; loaded by tiktoken on use, needs the internet or a filled TIKTOKEN_CACHE_DIR",
        )
    try:
        info = rank_file(name)
    except RankFileError as e:
        return EncodingStatus(name, str(rank_dir() / f"{rank_name}.tiktoken"), expected, "no", str(e))
    assert info is not None
    return EncodingStatus(name, info.path, expected, "yes", f"sha256 {info.sha256}")
