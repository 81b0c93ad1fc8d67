"""Counting backends: tiktoken (the reference) and quicktok (exact, faster, linear on long pre-tokens).

A backend turns an encoding name into a ``count(text) -> int`` function that must equal
``len(tiktoken_encoding.encode_ordinary(text))`` for every text (special-token strings count as
ordinary text). Everything here is keyed by encoding name, so a tokenizer kind can ask for the
counter of its encoding.

- ``tiktoken``: the reference; serves every encoding, but its BPE is superlinear on one very
  long pre-token.
- ``quicktok`` (PyPI ``quicktok-v1``, C++): ids identical to tiktoken on every parity test
  (``tests/test_backends.py``); ``count`` builds no list of ids, releases the GIL and is linear
  on long pre-tokens. It bundles its own vocabularies, which take longer to load than
  tiktoken's ranks.
- ``auto`` (the default): quicktok where it is installed, serves the encoding and passes the
  canary below, when the input is large enough to repay its load (``AUTO_MIN_BYTES``);
  tiktoken otherwise. Even then, a chunk with no stable cut for ``LONG_CHUNK`` characters
  (one huge pre-token) goes to quicktok, so time stays linear in the input.

The canary: before quicktok counts anything, it encodes ``CANARY`` (special-token strings,
CRLF, contractions, NBSP, scripts, emoji, long runs) and the ids must hash to what tiktoken
gives. A quicktok whose vocabulary or rules differ is never used, not even when forced.

Load times, speeds, the thresholds and why ``bpe-openai`` is not a backend: docs/count.md,
"Backends" and "Bounds".
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from tokstats.errors import InputError, UnknownNameError
from tokstats.tokenizers._chunking import BLOCK_SIZE, CutRule, split_text
from tokstats.tokenizers._encodings import get_encoding, is_verified_encoding
from tokstats.tokenizers._unassigned import has_unassigned

#: Backends ``--backend`` accepts, the default first.
BACKENDS = ("auto", "tiktoken", "quicktok")

#: Encodings quicktok serves (anything else stays with tiktoken).
QUICKTOK_ENCODINGS = ("cl100k_base", "o200k_base", "o200k_harmony")

#: Named tokenizers of other families quicktok also serves, by tokstats name -> quicktok's name:
#: each family module declares its own (``families/qwen.py``); the registry registers them here
#: (``register_quicktok``) when it discovers the families.
QUICKTOK_FAMILIES: dict[str, str] = {}

#: Named tokenizers whose quicktok files tokstats writes itself -> the function that does it.
_BUILDS: dict[str, Callable[[], str]] = {}

#: Every name quicktok serves -> its name for it in quicktok.
_QUICKTOK_NAMES = {**{e: e for e in QUICKTOK_ENCODINGS}, **QUICKTOK_FAMILIES}

#: ``auto`` picks quicktok for a run of at least this many bytes: below, loading its vocabulary
#: costs more than its speed saves. Where each threshold comes from (the file-size sweep of
#: ``benches/run.py``): docs/count.md, "Why auto looks at the size".
AUTO_MIN_BYTES = {
    "cl100k_base": 1 << 20,
    "o200k_base": 6 << 20,
    "o200k_harmony": 6 << 20,
}

#: tiktoken never gets a text longer than this (characters) when a stable cut can split it, and
#: under ``auto`` a piece this long with no cut inside (one huge pre-token) goes to quicktok:
#: tiktoken's BPE is superlinear in a pre-token's length, and its regex overflows the stack on a
#: run of about 1,000,000 spaces or tabs in o200k_base (tiktoken 0.14.0). Twice the block size:
#: a chunk this long always has a stretch of a block or more without a cut.
LONG_CHUNK = 2 * BLOCK_SIZE

Counter = Callable[[str], int]

#: Text quicktok must encode exactly as tiktoken 0.14.0 does before tokstats uses it.
CANARY = (
    "Hello, world! <|endoftext|> <|im_start|>\r\n\n  \tdon't WE'LL 'Ve\u00a0ß\u3000"
    "中文字符 مرحبا नमस्ते 👨‍👩‍👧👍🏽 e\u0301 12345678 ١٢٣ x!\n/y\n\n   z" + "a" * 3000 + " " * 700 + "é" * 300 + "\n"
)
#: (number of ids, sha256 of the ids joined by spaces, first 16 hex digits) of
#: ``tiktoken.get_encoding(name).encode_ordinary(CANARY)``, tiktoken 0.14.0.
CANARY_IDS = {
    "cl100k_base": (762, "65f937880340f888"),
    "o200k_base": (747, "9d7789e3c62d14b3"),
    "o200k_harmony": (747, "9d7789e3c62d14b3"),
}

_lock = threading.Lock()


@dataclass(frozen=True)
class QuicktokVocabulary:
    """quicktok's copy of a named tokenizer's vocabulary, used only after the canary matches."""

    #: quicktok's name for it (``quicktok.get_encoding(name)``).
    name: str
    #: (number of ids, first 16 hex digits of the sha256 of the ids joined by spaces) of
    #: ``CANARY`` under tokstats' own tokenizer of that name.
    canary: tuple[int, str]
    #: ``auto`` picks quicktok from this many bytes of input (its load must be repaid).
    auto_min_bytes: int
    #: For a vocabulary quicktok does not bundle: returns a folder holding its files, written
    #: on first use (``tokstats.tokenizers._quicktok_data``); ``None``: bundled.
    build: Callable[[], str] | None = None


def register_quicktok(name: str, vocabulary: QuicktokVocabulary) -> None:
    """Let quicktok count tokstats' named tokenizer ``name`` (after the canary matches)."""
    with _lock:
        QUICKTOK_FAMILIES[name] = vocabulary.name
        _QUICKTOK_NAMES[name] = vocabulary.name
        CANARY_IDS[name] = vocabulary.canary
        AUTO_MIN_BYTES[name] = vocabulary.auto_min_bytes
        if vocabulary.build is not None:
            _BUILDS[name] = vocabulary.build


def check_backend(name: str) -> None:
    """Raise ``UnknownNameError`` unless ``name`` is a backend tokstats offers."""
    if name not in BACKENDS:
        raise UnknownNameError("backend", name, BACKENDS)


_DISTS = {"tiktoken": "tiktoken", "quicktok": "quicktok-v1"}


@cache
def backend_version(name: str) -> str:
    """The package behind backend ``name`` and its version, e.g. ``quicktok-v1 0.4.0``."""
    dist = _DISTS[name]
    if name == "tiktoken":
        import tiktoken

        return f"tiktoken {tiktoken.__version__}"
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("quicktok")
    if spec is not None and spec.origin:  # the dist-info folder beside the package names it;
        site = Path(spec.origin).parent.parent  # importlib.metadata costs 70 ms of start-up
        found = sorted(site.glob("quicktok_v1-*.dist-info"))
        if len(found) == 1:
            return f"{dist} {found[0].name.removeprefix('quicktok_v1-').removesuffix('.dist-info')}"
    from importlib import metadata

    try:
        return f"{dist} {metadata.version(dist)}"
    except metadata.PackageNotFoundError:
        return f"{dist} (not installed)"


def tiktoken_counter(enc: Any, hint: str = "") -> Counter:
    """``len(enc.encode_ordinary(text))`` without building a Python list of ids.

    tiktoken releases the GIL while it encodes but builds the returned list of ints with the GIL
    held, which serialises threads. Its ``encode_to_tiktoken_buffer`` (what the public
    ``encode_to_numpy`` calls) returns the ids as a buffer instead; with no special token allowed
    it encodes special-token strings as ordinary text, so its length equals
    ``len(encode_ordinary(text))`` (tested in tests/test_backends.py). Falls back to
    ``encode_ordinary`` when the private method is missing or the text has lone surrogates.
    A regex panic is an ``InputError`` ending in ``hint`` (default: quicktok's install line).
    """
    hint = hint or "such a long pre-token needs the quicktok backend (pip install quicktok-v1)"
    encode = enc.encode_ordinary
    to_buffer = getattr(getattr(enc, "_core_bpe", None), "encode_to_tiktoken_buffer", None)
    if to_buffer is None:
        return lambda text: len(encode(text))

    def count(text: str) -> int:
        try:
            try:
                return memoryview(to_buffer(text, set())).nbytes // 4
            except UnicodeEncodeError:  # lone surrogates: tiktoken's own wrapper repairs them
                return len(encode(text))
        except BaseException as e:  # a Rust panic (PanicException) is a BaseException
            regex_error = isinstance(e, ValueError) and str(e).startswith("Regex error")
            if type(e).__name__ != "PanicException" and not regex_error:
                raise
            raise InputError(
                f"tiktoken failed on a text of {len(text)} characters with no place to split it "
                f"({str(e).splitlines()[0][:80]}); {hint}"
            ) from None

    return count


def quicktok_installed() -> bool:
    """Whether the ``quicktok`` module can be imported (checked without importing it)."""
    from importlib.util import find_spec

    return find_spec("quicktok") is not None


def serves(backend: str, encoding: str) -> bool:
    """Whether ``backend`` is installed and has ``encoding`` (the canary is checked on load)."""
    if backend == "tiktoken":
        return True
    return encoding in _QUICKTOK_NAMES and quicktok_installed()


_quicktok: dict[str, Counter | InputError] = {}


def _load_quicktok(encoding: str) -> Counter:
    """quicktok's counter for ``encoding`` after the canary, or ``InputError`` saying why not."""
    with _lock:
        got = _quicktok.get(encoding)
        if got is None:
            got = _quicktok[encoding] = _build_quicktok(encoding)
    if isinstance(got, InputError):
        raise got
    return got


def _build_quicktok(encoding: str) -> Counter | InputError:
    if encoding not in _QUICKTOK_NAMES:
        return InputError(
            f"backend quicktok does not have encoding {encoding!r} (it has: "
            f"{', '.join(_QUICKTOK_NAMES)}); use --backend tiktoken"
        )
    try:
        import quicktok
    except ImportError:
        return InputError(
            "backend quicktok is not installed: pip install 'tokstats[fast]' "
            "(or pip install quicktok-v1), or use --backend tiktoken"
        )
    if encoding in _BUILDS:
        try:
            tok = quicktok.get_encoding(_QUICKTOK_NAMES[encoding], _BUILDS[encoding]())
        except (OSError, ValueError, RuntimeError) as e:
            return InputError(f"quicktok cannot load {encoding} ({str(e)[:120]}); use --backend tiktoken")
    else:
        tok = quicktok.get_encoding(_QUICKTOK_NAMES[encoding])
    ids = tok.encode_ordinary(CANARY)
    got = (len(ids), hashlib.sha256(" ".join(map(str, ids)).encode()).hexdigest()[:16])
    if got != CANARY_IDS[encoding]:
        return InputError(
            f"{backend_version('quicktok')} does not encode {encoding} exactly as "
            f"{'tiktoken' if encoding in QUICKTOK_ENCODINGS else 'tokstats'} does (canary ids differ); "
            "use --backend tiktoken"
        )
    fast: Counter = tok.count

    def count(text: str) -> int:
        try:
            return fast(text)
        except (UnicodeEncodeError, TypeError):  # lone surrogates (pybind11 says TypeError):
            if not isinstance(text, str):  # replaced by U+FFFD, as tiktoken does
                raise
            return fast(text.encode("utf-16", "surrogatepass").decode("utf-16", "replace"))

    return count


def quicktok_ok(encoding: str) -> bool:
    """Whether quicktok is installed, serves ``encoding`` and passes the canary (loads it)."""
    if not serves("quicktok", encoding):
        return False
    try:
        _load_quicktok(encoding)
    except InputError:
        return False
    return True


@cache
def get_counter(encoding: str, backend: str = "tiktoken") -> Counter:
    """A thread-safe ``count(text) -> int`` for ``encoding`` using ``backend`` (not ``auto``).

    Raises ``UnknownNameError`` for an unknown backend and ``InputError`` when the
    backend is not installed, does not have the encoding, or fails the canary.
    """
    check_backend(backend)
    if backend == "quicktok":
        return _load_quicktok(encoding)
    if backend == "auto":
        raise ValueError("get_counter needs a concrete backend; resolve 'auto' with choose_backend")
    return tiktoken_counter(get_encoding(encoding))


def choose_backend(encoding: str, backend: str, nbytes: int) -> str:
    """The backend that counts ``nbytes`` of input in ``encoding``: ``backend`` unless ``auto``.

    ``auto`` picks quicktok when it serves the encoding and the input is at least
    ``AUTO_MIN_BYTES`` (or quicktok is loaded already: then it is free), else tiktoken.
    """
    check_backend(backend)
    if backend != "auto":
        return backend
    if not serves("quicktok", encoding):
        return "tiktoken"
    if encoding in _quicktok or nbytes >= AUTO_MIN_BYTES.get(encoding, 1 << 62):
        return "quicktok" if quicktok_ok(encoding) else "tiktoken"
    return "tiktoken"


class Plan:
    """How one run counts: a main counter, and what to do with very long texts.

    With tiktoken as the main backend, a text longer than ``LONG_CHUNK`` is first cut at
    stable boundaries (when the encoding's pattern allows it), and under ``auto`` a piece still
    longer than that (one huge pre-token) goes to quicktok, which is linear in it.
    ``count_marked(text, used)`` also adds the name of each backend that counted to ``used``.

    ``later`` counts a chunk that does not start its text, where that differs (SentencePiece:
    no dummy-prefix space before a chunk cut from the middle); ``first=False`` asks for it.
    """

    def __init__(
        self,
        encoding: str,
        main: str,
        counter: Counter,
        long_ok: bool,
        rule: CutRule | None,
        later: Counter | None = None,
        reference: Counter | None = None,
    ) -> None:
        self.encoding = encoding
        self.main = main
        self._counter = counter
        self._later = later
        self._reference = reference  # counts what quicktok may not (None: tiktoken's own encoding)
        self._upgrade_at: int | None = None  # input of unknown size: switch to quicktok from here
        self._seen = 0
        self._long_ok = long_ok  # may send a long piece to quicktok
        self._rule = rule  # where the encoding's pattern has known stable cuts (None: nowhere)

    @property
    def rule(self) -> CutRule | None:
        """Where long texts of this run may be cut into chunks (``None``: nowhere)."""
        return self._rule

    def count(self, text: str) -> int:
        return self.count_marked(text, set())

    def _count_reference(self, text: str, used: set[str]) -> int:
        """``text`` counted by the reference (tiktoken, or the family's own counter): for text
        holding a character quicktok's Unicode tables and tiktoken's may class differently."""
        if self._reference is None:
            self._reference = get_counter(self.encoding, "tiktoken")
        used.add("tiktoken")
        return self._reference(text)

    def upgrade_after(self, nbytes: int) -> None:
        """For an input of unknown size (a pipe): once about ``nbytes`` have been counted, count
        the rest with quicktok (exact too; its load is repaid by then)."""
        self._upgrade_at = nbytes

    def _maybe_upgrade(self, text: str) -> None:
        with _lock:
            self._seen += len(text)
            due = self._upgrade_at is not None and self._seen >= self._upgrade_at
            if due:
                self._upgrade_at = None
        if due and quicktok_ok(self.encoding):
            self._counter = _load_quicktok(self.encoding)
            self.main = "quicktok"

    def count_marked(self, text: str, used: set[str], first: bool = True) -> int:
        """Tokens of ``text``; ``first=False``: ``text`` is a chunk cut from the middle of a text."""
        if self._upgrade_at is not None:
            self._maybe_upgrade(text)
        if self.main != "tiktoken" or len(text) <= LONG_CHUNK:
            if self.main == "quicktok" and has_unassigned(text):
                return self._count_reference(text, used)
            used.add(self.main)
            if not first and self._later is not None:
                return self._later(text)
            return self._counter(text)
        pieces = [text]
        if self._rule is not None:
            pieces = split_text(text, BLOCK_SIZE, self._rule)
        total = 0
        for piece in pieces:
            if len(piece) > LONG_CHUNK and self._long_ok and quicktok_ok(self.encoding) and not has_unassigned(piece):
                used.add("quicktok")
                total += _load_quicktok(self.encoding)(piece)
            else:
                used.add("tiktoken")
                total += self._counter(piece)
        return total


def plan(
    encoding: str,
    backend: str,
    nbytes: int,
    counter: Counter | None = None,
    rule: CutRule | None = CutRule.TIKTOKEN,
) -> Plan:
    """The ``Plan`` for ``nbytes`` of input (negative: unknown, e.g. a pipe). ``counter``: the reference counter where
    tokstats' own tiktoken encodings do not hold it: an ``Encoding`` object the caller built
    (the caller forces ``backend="tiktoken"``: never rerouted), or a family tokenizer quicktok
    also serves (``QUICKTOK_FAMILIES``), which ``auto`` may hand to quicktok. ``rule``:
    where the encoding's split pattern has known stable cuts (``None``: it has none, see
    ``tokstats.tokenizers._chunking.rule_for_pattern``)."""
    chosen = choose_backend(encoding, backend, max(nbytes, 0))
    if counter is not None and chosen == "tiktoken":
        # a family tokenizer quicktok also holds: a long piece with no cut still goes to quicktok
        family = backend == "auto" and encoding in QUICKTOK_FAMILIES and serves("quicktok", encoding)
        found = Plan(encoding, "tiktoken", counter, long_ok=family, rule=rule, reference=counter)
    else:
        long_ok = backend == "auto" and chosen == "tiktoken" and serves("quicktok", encoding)
        found = Plan(encoding, chosen, get_counter(encoding, chosen), long_ok, rule, reference=counter)
    if nbytes < 0 and found._long_ok:  # size unknown (a pipe): quicktok once the input is large
        found.upgrade_after(AUTO_MIN_BYTES.get(encoding, 1 << 62))
    return found


def encode_ordinary(enc: Any, text: str) -> list[int]:
    """``enc.encode_ordinary(text)``; a text of more than ``LONG_CHUNK`` characters is
    encoded by quicktok when it serves ``enc`` (identical ids, linear time on a huge pre-token,
    where tiktoken is superlinear or overflows its stack)."""
    if len(text) > LONG_CHUNK and serves("quicktok", enc.name) and quicktok_ok(enc.name) and not has_unassigned(text):
        if is_verified_encoding(enc):
            import quicktok

            ids: list[int] = quicktok.get_encoding(enc.name).encode_ordinary(text)
            return ids
    ids = enc.encode_ordinary(text)
    return ids


def label(used: set[str]) -> str:
    """``tiktoken``, ``quicktok`` or ``tiktoken+quicktok``: the backends that counted one input
    (for a tokenizer of another kind, its library and version, e.g. ``tokenizers-0.23.3``)."""
    return "+".join([b for b in ("tiktoken", "quicktok") if b in used] + sorted(used - {"tiktoken", "quicktok"}))


def describe(label_: str) -> str:
    """A label with versions, for a signature: ``tiktoken-0.14.0+quicktok-v1-0.4.0``."""
    return "+".join(backend_version(b).replace(" ", "-") if b in _DISTS else b for b in label_.split("+"))
