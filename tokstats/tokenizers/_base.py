"""The one tokenizer interface every part of tokstats goes through.

tokstats measures tokenizers of several kinds — tiktoken encodings, Hugging Face ``tokenizers``
files, SentencePiece models, and the named tokenizers of model families (Llama, Qwen, Mistral)
loaded offline from files their publishers ship. Metrics, counting, ``show``, charts and the
signature need only a few things from any of them, listed here; each kind is one module in this
package that implements ``Tokenizer``, and a registry line makes it reachable by spec.

Counting rule, the same for every kind: the ids of *the text's own tokens*. No BOS/EOS or other
special tokens are added, and a special-token string in the text (``<|endoftext|>``, ``<s>``)
is encoded as ordinary text wherever the library allows it; ``TokenizerInfo.specials``
records what the library does, so the signature says it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from typing import Any

from tokstats.errors import InputError
from tokstats.tokenizers._backends import QUICKTOK_FAMILIES, Plan, check_backend
from tokstats.tokenizers._chunking import CutRule, rule_for_pattern


@dataclass(frozen=True)
class TokenizerInfo:
    """Provenance of a loaded tokenizer, recorded in every signature that uses it.

    ``sha256`` is the hash of the file the vocabulary was read from (a tiktoken rank file, a
    ``tokenizer.json``, a ``.model``); for named tokenizers it has been checked against a pinned
    value before the tokenizer was built.
    """

    #: The spec it was loaded by, e.g. ``o200k_base``, ``llama3``, ``hf:./tok.json``.
    spec: str
    #: ``tiktoken``, ``huggingface``, ``sentencepiece`` or ``tekken``.
    kind: str
    #: Library that encodes, with its version, e.g. ``tiktoken 0.14.0``.
    library: str
    #: Where the vocabulary file was read from (a path), or ``None`` if the library holds it.
    path: str | None
    #: sha256 of that file, or ``None`` when there is no file tokstats could hash.
    sha256: str | None
    #: How special tokens are treated, e.g. ``"none added; special strings counted as text"``.
    specials: str = "none added; special-token strings counted as ordinary text"
    #: Anything else that changes the numbers (package and version a file came from, …).
    extra: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form used in signatures."""
        return asdict(self)


class Tokenizer(ABC):
    """A loaded tokenizer: ids and counts of text, the bytes of each token, its provenance.

    Implementations must be safe to call from several threads at once (``count`` is called
    from worker threads when a large file is counted in chunks).
    """

    #: The spec the user gave (also the column name in tables), e.g. ``llama3``.
    name: str

    @abstractmethod
    def encode(self, text: str) -> list[int]:
        """The ids of ``text``'s own tokens: no BOS/EOS, special-token strings as text."""

    def count(self, text: str) -> int:
        """``len(self.encode(text))``; kinds override it where they can count without a list."""
        return len(self.encode(text))

    def count_batch(self, texts: list[str]) -> list[int]:
        """``[self.count(t) for t in texts]``; kinds whose library is parallel override it."""
        return [self.count(t) for t in texts]

    @abstractmethod
    def token_bytes(self, token: int) -> bytes:
        """The UTF-8 bytes token ``token`` stands for (a byte-fallback token: its one byte)."""

    def is_byte_token(self, token: int) -> bool:
        """Whether the token is a piece of a character: its bytes are not UTF-8 on their own."""
        try:
            self.token_bytes(token).decode("utf-8")
        except UnicodeDecodeError:
            return True
        return False

    def token_spans(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """The ids of ``text`` and, for each, the UTF-8 *byte* span ``(start, end)`` of ``text`` it
        stands for.

        The default lays the tokens' bytes end to end, which is exact for byte-level BPE (the
        tokens' bytes concatenate to the text). Kinds whose tokens do not (a normalizer, dropped
        whitespace, SentencePiece's ``▁``) override it with the library's own offsets; several
        tokens may then share one span (the byte pieces of one character), and a token that
        stands for no text (an added ``▁``) has an empty span.
        """
        ids = self.encode(text)
        spans: list[tuple[int, int]] = []
        pos = 0
        for t in ids:
            end = pos + len(self.token_bytes(t))
            spans.append((pos, end))
            pos = end
        return ids, spans

    @property
    def unk_id(self) -> int | None:
        """The id of the unknown token, or ``None`` when the vocabulary covers every byte."""
        return None

    @property
    def split_pattern(self) -> str | None:
        """The pre-tokenizer regex, when text is cut into pieces that tokens never cross.

        ``None`` unless a chunk boundary at a match boundary provably keeps the count exact
        (tiktoken-style byte-level BPE). The default ``cut_rule`` is derived from it; kinds
        without one may still give a cut rule of their own.
        """
        return None

    @property
    def cut_rule(self) -> CutRule | None:
        """Where a long text may be cut into chunks that are counted apart (``None``: nowhere).

        A ``CutRule`` only where tokens provably never cross such a cut:
        a split pattern whose stable boundaries the chunking rules were derived for
        (tiktoken-style byte-level BPE), or a kind that says so and proves it in its tests.
        Everything else is counted whole.
        """
        return rule_for_pattern(self.split_pattern)

    def check_backend(self, backend: str) -> None:
        """Raise ``InputError`` now if ``backend`` cannot count this
        tokenizer (``auto`` always can; the default: only its own library, ``auto``)."""
        check_backend(backend)
        if backend == "quicktok":
            raise InputError(
                f"backend quicktok counts tiktoken encodings and {', '.join(sorted(QUICKTOK_FAMILIES))} only, "
                f"not {self.name} ({self.info.kind}); leave out --backend"
            )

    def plan(self, backend: str, nbytes: int) -> Plan:
        """How a run of ``nbytes`` of input is counted: the counter (this tokenizer's fast path,
        or another exact backend where one serves it) and where long texts may be cut.

        The default counts with ``count``, cut by ``cut_rule``; kinds with a faster
        exact backend (tiktoken encodings, Qwen through quicktok) override it.
        """
        self.check_backend(backend)
        library = self.info.library.replace(" ", "-")
        return Plan(self.name, library, self.count, long_ok=False, rule=self.cut_rule)

    @property
    @abstractmethod
    def info(self) -> TokenizerInfo:
        """Where the tokenizer came from, for the signature."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"
