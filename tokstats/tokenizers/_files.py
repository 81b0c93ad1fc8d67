"""What every file-based tokenizer kind needs: the file found, hashed, and its library imported.

Errors are one line naming the spec and the fix: a missing path, a path that is not the expected
kind of file, a library (an extra of tokstats) that is not installed.
"""

from __future__ import annotations

import os
from importlib import import_module, metadata
from types import ModuleType

from tokstats.errors import MissingDependencyError, TokenizerError
from tokstats.sources._textio import file_sha256 as sha256_of_file


def find_file(spec: str, path: str, folder_file: str | None = None, *, hub: bool = False) -> str:
    """The absolute path of ``path`` (in a folder: its ``folder_file``), or a one-line error.

    With ``hub``, a ``path`` that does not exist and reads as a Hub repository id (``org/name``,
    ``org/name@revision``) is that repository's ``folder_file`` in the Hugging Face cache
    (``tokstats.tokenizers._hub``)."""
    if not path:
        raise TokenizerError(f"{spec}: give a path after the colon, e.g. {spec.split(':')[0]}:./tokenizer.json")
    full = os.path.abspath(os.path.expanduser(path))
    if os.path.isdir(full) and folder_file is not None:
        inner = os.path.join(full, folder_file)
        if not os.path.isfile(inner):
            raise TokenizerError(f"{spec}: the folder {path} holds no {folder_file}; give the file itself")
        return inner
    if not os.path.exists(full):
        from tokstats.tokenizers._hub import hub_file, looks_like_repo_id

        if hub and folder_file is not None and looks_like_repo_id(path):
            return hub_file(spec, path, folder_file)
        raise TokenizerError(f"{spec}: no such file {path}")
    if not os.path.isfile(full):
        raise TokenizerError(f"{spec}: {path} is not a file")
    return full


def file_sha256(path: str) -> str:
    """sha256 of the file's bytes (streamed)."""
    try:
        return sha256_of_file(path)
    except OSError as e:
        raise TokenizerError(f"{path}: cannot be read: {e.strerror or e}") from None


def import_library(module: str, dist: str, extra: str, spec: str) -> ModuleType:
    """Import a kind's library, or say which extra installs it."""
    try:
        return import_module(module)
    except ImportError:
        raise MissingDependencyError(
            f"{spec} needs the {dist} library, which is not installed: pip install 'tokstats[{extra}]'", extra
        ) from None


def library_version(dist: str) -> str:
    """``dist`` and its installed version, e.g. ``tokenizers 0.23.3``."""
    try:
        return f"{dist} {metadata.version(dist)}"
    except metadata.PackageNotFoundError:
        return dist


class CachedTokenBytes:
    """``token_bytes`` computed once per token by the kind's ``_token_bytes`` (mixin)."""

    _bytes: dict[int, bytes]

    def _token_bytes(self, token: int) -> bytes:
        raise NotImplementedError

    def token_bytes(self, token: int) -> bytes:
        b = self._bytes.get(token)
        if b is None:
            b = self._bytes[token] = self._token_bytes(token)
        return b
