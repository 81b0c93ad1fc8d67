"""The signature printed with every table: what a reader needs to reproduce the numbers.

In the spirit of sacrebleu's signatures: every setting that changes a number is recorded —
tokstats and tiktoken versions, each encoding with the sha256 of its rank file, the corpus and
the sha256 of its file, and how text was counted. ``short()`` is the one-line form printed under
text tables; ``as_dict()`` the JSON form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Signature:
    """The settings behind a table of numbers."""

    tokstats: str
    tiktoken: str
    encodings: dict[str, str | None]
    corpus: str | None = None
    corpus_sha256: str | None = None
    settings: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: full hashes, one key per setting."""
        d: dict[str, Any] = {
            "tokstats": self.tokstats,
            "tiktoken": self.tiktoken,
            "encodings": [{"name": n, "rank_sha256": h} for n, h in self.encodings.items()],
        }
        if self.corpus is not None:
            d["corpus"] = {"name": self.corpus, "sha256": self.corpus_sha256}
        d.update(self.settings)
        return d

    def short(self) -> str:
        """The one-line form: ``tokstats:0.1.0|tiktoken:0.14.0|enc:cl100k_base@223921b76ee9|…``."""
        parts = [f"tokstats:{self.tokstats}", f"tiktoken:{self.tiktoken}"]
        if self.encodings:
            parts.append("enc:" + ",".join(f"{n}@{(h or 'unpinned')[:12]}" for n, h in self.encodings.items()))
        if self.corpus is not None:
            parts.append(f"corpus:{self.corpus}@{(self.corpus_sha256 or '')[:12]}")
        parts += [f"{k}:{v}" for k, v in self.settings.items()]
        return "|".join(parts)

    def __str__(self) -> str:
        return self.short()


#: Up to this many input files are listed one by one in a signature; more are summarised.
LISTED_INPUTS = 8


def inputs_setting(files: list[tuple[str, str]]) -> str:
    """The ``inputs`` setting for user files given as ``(path, sha256)`` in input order.

    A few files are listed as ``path@sha12,…`` so each row can be tied to its bytes; many
    (a codebase) as ``N files@sha12``, one sha256 over their sha256s in order, so the signature
    stays one line.
    """
    if len(files) <= LISTED_INPUTS:
        return ",".join(f"{path}@{sha[:12]}" for path, sha in files)
    import hashlib

    combined = hashlib.sha256("\n".join(sha for _, sha in files).encode()).hexdigest()
    return f"{len(files)} files@{combined[:12]}"


def build_signature(
    encodings: list[str], corpus: Any = None, **settings: str
) -> Signature:
    """The signature for numbers measured with ``encodings`` on ``corpus`` (a ``Corpus`` or None).

    ``settings`` records anything else that changes the numbers (e.g. ``count="encode_ordinary"``).
    """
    import tiktoken

    from tokstats._version import __version__
    from tokstats.encodings import rank_file_hash

    return Signature(
        tokstats=__version__,
        tiktoken=tiktoken.__version__,
        encodings={name: rank_file_hash(name) for name in encodings},
        corpus=getattr(corpus, "name", None),
        corpus_sha256=getattr(corpus, "sha256", None),
        settings=dict(settings),
    )
