"""Tokenizer files that publishers ship inside PyPI wheels: find them, verify them, describe them.

A named tokenizer (``llama3``, ``qwen``, ``mistral-v3``, ``tekken`` …) is built from one file of
an installed distribution (``llama-models``, ``dashscope``, ``mistral-common``), found through
``importlib.metadata`` — no network, and without importing the publisher's package. Where the
publisher's package would bring far more than the file (dashscope pulls a web framework for
Qwen's one vocabulary file), tokstats ships a copy of the file (``shipped``, in ``_ranks/``), pinned
and checked the same way. The file's
sha256 must equal the pin its family module declares, or it is refused: the numbers
tokstats prints are then those of the genuine file, whatever version of the package is installed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tokstats.errors import MissingDependencyError, RankFileError
from tokstats.sources._textio import file_sha256 as sha256_file
from tokstats.tokenizers._base import TokenizerInfo


@dataclass(frozen=True)
class PublishedFile:
    """One tokenizer file inside a publisher's wheel, pinned by sha256."""

    #: Distribution name as pip knows it (``pip install DIST``).
    dist: str
    #: The tokstats extra that installs it (``pip install 'tokstats[EXTRA]'``).
    extra: str
    #: Path of the file inside the installed distribution (relative to site-packages).
    path: str
    #: sha256 of the file.
    sha256: str
    #: Version of ``dist`` the pin was taken from.
    version: str
    #: The wheel file the pin was taken from, and its sha256.
    wheel: str
    wheel_sha256: str
    #: Licence the publisher ships the file under.
    licence: str
    #: File name in ``tokstats/tokenizers/_ranks/`` of a copy shipped with tokstats, if any.
    shipped: str | None = None


@dataclass(frozen=True)
class VerifiedFile:
    """A publisher's file found installed, whose sha256 matched its pin."""

    name: str
    pin: PublishedFile
    path: Path
    #: The installed version of ``pin.dist`` (may differ from ``pin.version``; the hash decides).
    installed_version: str

    def provenance(self) -> dict[str, str]:
        """The fields a signature records (``TokenizerInfo.extra``)."""
        pin = self.pin
        return {
            "package": f"{pin.dist} {self.installed_version}",
            "file_in_package": pin.path,
            "pinned_from": f"{pin.wheel} (sha256 {pin.wheel_sha256})",
            "licence": pin.licence,
        }

    def tokenizer_info(self, kind: str, library: str, specials: str, **extra: str) -> TokenizerInfo:
        """The ``TokenizerInfo`` of a tokenizer built from this file."""
        return TokenizerInfo(
            spec=self.name,
            kind=kind,
            library=library,
            path=str(self.path),
            sha256=self.pin.sha256,
            specials=specials,
            extra={**self.provenance(), **extra},
        )


def locate(name: str, pin: PublishedFile) -> tuple[Path, str]:
    """(path, installed version) of a named tokenizer's file, without checking its hash.

    Raises ``MissingDependencyError`` naming the extra to install when the distribution
    is missing, ``RankFileError`` when the distribution lacks the file.
    """
    import importlib.metadata  # 20 ms of imports: only when a publisher's file is wanted

    if pin.shipped is not None:
        copy = Path(__file__).resolve().parent / "_ranks" / pin.shipped
        if copy.is_file():
            return copy, f"{pin.version} (the copy shipped with tokstats)"
    try:
        dist = importlib.metadata.distribution(pin.dist)
    except importlib.metadata.PackageNotFoundError:
        raise MissingDependencyError(
            f"tokenizer {name!r} is read from the {pin.dist} package, which is not installed: "
            f"pip install 'tokstats[{pin.extra}]'",
            pin.extra,
        ) from None
    path = Path(str(dist.locate_file(pin.path)))
    if not path.is_file():
        raise RankFileError(
            f"tokenizer {name!r}: {pin.path} is missing from the installed {pin.dist} "
            f"{dist.version}; reinstall it: pip install --force-reinstall '{pin.dist}=={pin.version}'"
        )
    return path, dist.version


def verify(name: str, pin: PublishedFile) -> VerifiedFile:
    """The named tokenizer's file, found and checked against its pinned sha256."""
    path, version = locate(name, pin)
    actual = sha256_file(path)
    if actual != pin.sha256:
        raise RankFileError(
            f"refusing {path} for tokenizer {name!r}: sha256 {actual} does not match the pinned "
            f"{pin.sha256} ({pin.dist} {version} is installed, the pin is from {pin.version}); "
            f"install the pinned file: pip install '{pin.dist}=={pin.version}'"
        )
    return VerifiedFile(name, pin, path, version)


def status(name: str, pin: PublishedFile) -> dict[str, str]:
    """Where a named tokenizer loads from and whether it verified, for listings.

    Never raises for a missing or mismatching file: ``verified`` then holds the reason.
    """
    row = {"name": name, "package": pin.dist, "extra": pin.extra, "file": pin.path, "path": "", "verified": ""}
    try:
        found = verify(name, pin)
    except (MissingDependencyError, RankFileError) as exc:
        row["verified"] = f"no: {exc}"
    else:
        row["path"] = str(found.path)
        row["verified"] = f"yes (sha256 {pin.sha256[:12]}…, {pin.dist} {found.installed_version})"
    return row


def library_version(dist: str) -> str:
    """``"DIST VERSION"`` of an installed library, e.g. ``tiktoken 0.14.0``."""
    import importlib.metadata

    return f"{dist} {importlib.metadata.version(dist)}"
