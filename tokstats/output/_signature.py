"""The signature printed with every table: what a reader needs to reproduce the numbers.

In the spirit of sacrebleu's signatures: every setting that changes a number is recorded —
tokstats and tiktoken versions, each tokenizer with the sha256 of its vocabulary file (a tiktoken
rank file, a ``tokenizer.json``, a ``.model``) and, for kinds other than tiktoken, its library and
version and how special tokens are treated, the corpus and the sha256 of its file, and how text
was counted. ``short()`` is the one-line form printed under text tables; ``as_dict()`` the JSON
form. Signatures of tiktoken encodings alone read as they always have
(``enc:cl100k_base@223921b76ee9``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tokstats import _version
from tokstats._api import check_specs, check_str, renamed, shown
from tokstats.errors import ParameterError
from tokstats.tokenizers._registry import TokenizerLike, as_tokenizer

if TYPE_CHECKING:
    from tokstats.tokenizers._base import TokenizerInfo


@dataclass(frozen=True)
class Signature:
    """The settings behind a table of numbers."""

    tokstats: str
    tiktoken: str
    encodings: dict[str, str | None]
    corpus: str | None = None
    corpus_sha256: str | None = None
    settings: dict[str, str] = field(default_factory=dict)
    #: Provenance of each tokenizer (``TokenizerInfo.as_dict``), by name; same keys as ``encodings``.
    tokenizers: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: full hashes, one key per setting."""
        d: dict[str, Any] = {
            "tokstats": self.tokstats,
            "tiktoken": self.tiktoken,
            "encodings": [self._entry(n, h) for n, h in self.encodings.items()],
        }
        if self.corpus is not None:
            d["corpus"] = {"name": self.corpus, "sha256": self.corpus_sha256}
        d.update(self.settings)
        return d

    def _entry(self, name: str, sha: str | None) -> dict[str, Any]:
        info = self.tokenizers.get(name)
        if info is None:
            return {"name": name, "rank_sha256": sha}
        entry: dict[str, Any] = {"name": name}
        if info.get("kind") == "tiktoken":
            entry["rank_sha256"] = sha
        entry.update({k: v for k, v in info.items() if k != "spec" and v not in (None, {})})
        return entry

    def libraries(self) -> list[str]:
        """Libraries and versions of the tokenizers that are not tiktoken encodings."""
        libs = (i.get("library") for i in self.tokenizers.values() if i.get("kind") != "tiktoken")
        return list(dict.fromkeys(lib for lib in libs if lib))

    def short(self) -> str:
        """The one-line form: ``tokstats:0.1.0|tiktoken:0.14.0|enc:cl100k_base@223921b76ee9|…``."""
        parts = [f"tokstats:{self.tokstats}", f"tiktoken:{self.tiktoken}"]
        if self.encodings:
            parts.append("enc:" + ",".join(f"{n}@{(h or 'unpinned')[:12]}" for n, h in self.encodings.items()))
        libs = self.libraries()
        if libs:
            parts.append("lib:" + ",".join(lib.replace(" ", "-") for lib in libs))
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


def _info(tokenizer: TokenizerLike) -> TokenizerInfo:
    """A tokenizer's provenance (a tiktoken encoding's rank file is hashed, not parsed)."""
    return as_tokenizer(tokenizer).info


@renamed(encodings="tokenizers")
def build_signature(tokenizers: Sequence[TokenizerLike], corpus: Any = None, **settings: str) -> Signature:
    """The signature for numbers measured with ``tokenizers`` (tokenizer specs or tokenizers) on
    ``corpus`` (a ``Corpus`` or None).

    ``settings`` records anything else that changes the numbers (e.g. ``count="encode_ordinary"``:
    the text's own tokens, no special tokens added, for every kind).

    Raises ``ParameterError`` (an ``InputError``)
    naming the parameter for ``tokenizers`` that are no tokenizers, a ``corpus`` without a
    ``name`` and ``sha256`` or a setting that is not a str;
    ``UnknownTokenizerError`` for an unknown spec.
    """
    tokenizers = check_specs("tokenizers", tokenizers, empty=True)  # none: a listing's signature
    if corpus is not None and not (
        isinstance(getattr(corpus, "name", None), str) and isinstance(getattr(corpus, "sha256", None), str)
    ):
        raise ParameterError(
            "corpus", f"corpus must be a Corpus (with a name and a sha256) or None, not {shown(corpus)}"
        )
    for key, value in settings.items():
        check_str(key, value, what="a str (a signature setting)", empty=True)
    import tiktoken

    infos = [_info(e) for e in tokenizers]
    return Signature(
        tokstats=_version.__version__,
        tiktoken=tiktoken.__version__,
        encodings={i.spec: i.sha256 for i in infos},
        corpus=getattr(corpus, "name", None),
        corpus_sha256=getattr(corpus, "sha256", None),
        settings=dict(settings),
        tokenizers={i.spec: i.as_dict() for i in infos},
    )
