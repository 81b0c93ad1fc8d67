"""Every backend against tiktoken, for every encoding it serves; ``auto`` only ever picks an exact one.

The reference is tiktoken's ``encode_ordinary``: a backend must give the same ids (not only the
same count) on Hypothesis text built to attack pre-tokenization, on the shipped corpora and
Python source, on long single pre-tokens, and at block boundaries when files are streamed.
"""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tokstats import get_encoding
from tokstats.counting._count import count, count_file, count_files
from tokstats.errors import InputError
from tokstats.tokenizers import _backends as backends
from tokstats.tokenizers._backends import CANARY, CANARY_IDS, QUICKTOK_ENCODINGS, choose_backend, get_counter

try:
    import quicktok
except ImportError:  # quicktok-v1 is not installed on this platform
    quicktok = None
needs_quicktok = pytest.mark.skipif(quicktok is None, reason="quicktok-v1 not installed")

ATOMS = [
    " ",
    "  ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\n\n",
    " \n",
    "\u00a0",
    "\u3000",
    "\u0085",
    "\x1c",
    "\u2028",
    "'s",
    "'LL",
    "n't",
    "/",
    "!\n",
    "?!\n/",
    "a",
    "Ab",
    "word",
    "é",
    "e\u0301",
    "\u0301",
    "123456",
    "١٢",
    "👍🏽",
    "👨‍👩‍👧",
    "中文",
    "مرحبا",
    "नमस्ते",
    "ß",
    "ǅ",
    "<|endoftext|>",
    "<|im_start|>",
    "\x00",
]
adversarial = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(ATOMS), st.text(max_size=3)), max_size=80).map("".join),
    # a long run of one atom: a long pre-token, or a long whitespace run
    st.tuples(st.sampled_from(ATOMS), st.integers(1, 3000), st.sampled_from(["", "x", "\n", " y"])).map(
        lambda t: t[0] * t[1] + t[2]
    ),
)


@pytest.mark.parametrize("name", QUICKTOK_ENCODINGS)
def test_canary_ids_are_tiktokens(name: str) -> None:
    """The constants the canary checks quicktok against are tiktoken's own ids."""
    ids = get_encoding(name).encode_ordinary(CANARY)
    assert (len(ids), hashlib.sha256(" ".join(map(str, ids)).encode()).hexdigest()[:16]) == CANARY_IDS[name]


@pytest.mark.parametrize("name", QUICKTOK_ENCODINGS)
@given(text=adversarial)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_tiktoken_counter_equals_encode_ordinary(name: str, text: str) -> None:
    assert get_counter(name, "tiktoken")(text) == len(get_encoding(name).encode_ordinary(text))


@needs_quicktok
@pytest.mark.parametrize("name", QUICKTOK_ENCODINGS)
@given(text=adversarial)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_quicktok_ids_equal_tiktoken(name: str, text: str) -> None:
    from tokstats.tokenizers._unassigned import has_unassigned

    assume(not has_unassigned(text))  # never sent to quicktok: test_text_unassigned_in_unicode_14_...
    tok = quicktok.get_encoding(name)
    want = get_encoding(name).encode_ordinary(text)
    assert tok.encode_ordinary(text) == want
    assert get_counter(name, "quicktok")(text) == len(want)


#: Characters Unicode assigned after 14.0 (CJK Extension J, Kawi, Nag Mundari …) that quicktok's
#: tables and tiktoken's class differently: quicktok alone gives other ids on these texts.
NEWER_THAN_14 = ["\U000323b0's", "a\U00031350b 12", "\U00011f00\U00011f01 x", "x\U0001e4d0's\n" * 3]


@needs_quicktok
@pytest.mark.parametrize("name", QUICKTOK_ENCODINGS)
@pytest.mark.parametrize("text", NEWER_THAN_14)
def test_text_unassigned_in_unicode_14_is_counted_by_tiktoken(name: str, text: str) -> None:
    from tokstats.tokenizers._backends import plan
    from tokstats.tokenizers._unassigned import has_unassigned

    assert has_unassigned(text)
    want = len(get_encoding(name).encode_ordinary(text))
    for backend in ("quicktok", "auto"):
        used: set[str] = set()
        assert plan(name, backend, 1 << 30).count_marked(text, used) == want
        assert used == {"tiktoken"}
    long = text * (200_000 // len(text))  # a long text too, and one long pre-token
    assert plan(name, "quicktok", 1 << 30).count(long) == len(get_encoding(name).encode_ordinary(long))


def test_unassigned_table_is_unicode_14() -> None:
    import unicodedata

    from tokstats.tokenizers._unassigned import has_unassigned

    if unicodedata.unidata_version == "14.0.0":  # the Python the table was made with
        for cp in range(0, 0x110000, 11):
            if not 0xD800 <= cp <= 0xDFFF:
                assert has_unassigned(chr(cp)) == (unicodedata.category(chr(cp)) == "Cn"), hex(cp)
    assert not has_unassigned("plain ASCII, Grüß Gott, 世界, नमस्ते, \ud800")


LONG_ALPHABETS = [
    "a",
    "ab",
    "aA",
    "abcdefghijklmnopqrstuvwxyz",
    "中文字",
    "é",
    "e\u0301",
    " ",
    " \t",
    "\n",
    " \n",
    "\r\n",
    "0123456789",
    "!?.",
    "\u00a0 ",
    "ßẞ",
    "👍🏽",
    "ab'sd",
]


@needs_quicktok
@pytest.mark.parametrize("name", ["cl100k_base", "o200k_base"])
@pytest.mark.parametrize("alphabet", LONG_ALPHABETS, ids=[a.encode("unicode_escape").decode() for a in LONG_ALPHABETS])
def test_quicktok_on_long_pretokens(name: str, alphabet: str) -> None:
    """Pre-tokens of 100,000-300,000 characters: where tiktoken's BPE is slow, quicktok is exact."""
    rng = random.Random(len(alphabet))
    tok = quicktok.get_encoding(name)
    enc = get_encoding(name)
    for n in (100_000, 300_000):
        text = alphabet * (n // len(alphabet)) if len(alphabet) == 1 else "".join(rng.choices(alphabet, k=n))
        assert tok.encode_ordinary(text) == enc.encode_ordinary(text), (alphabet, n)


def test_auto_picks_tiktoken_for_small_inputs_and_forced_backends_stay() -> None:
    assert choose_backend("cl100k_base", "tiktoken", 10**12) == "tiktoken"
    assert choose_backend("r50k_base", "auto", 10**12) == "tiktoken"  # quicktok does not serve it
    if quicktok is not None:
        assert choose_backend("o200k_base", "quicktok", 0) == "quicktok"
        assert choose_backend("o200k_base", "auto", backends.AUTO_MIN_BYTES["o200k_base"]) == "quicktok"


def test_auto_never_picks_a_backend_that_fails_the_canary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(CANARY_IDS, "cl100k_base", (1, "0000000000000000"))
    monkeypatch.setattr(backends, "_quicktok", {})  # forget an earlier, good load
    get_counter.cache_clear()
    try:
        assert choose_backend("cl100k_base", "auto", 10**12) == "tiktoken"
        text = "hello world " * 10
        assert count(text, "cl100k_base", backend="auto") == len(get_encoding("cl100k_base").encode_ordinary(text))
        if quicktok is not None:
            with pytest.raises(InputError, match="does not encode cl100k_base exactly as tiktoken does"):
                count("hello", "cl100k_base", backend="quicktok")
    finally:
        get_counter.cache_clear()


@needs_quicktok
def test_long_chunk_goes_to_the_linear_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under auto with tiktoken counting, a chunk with no cut goes to quicktok; the count is exact."""
    monkeypatch.setattr(backends, "LONG_CHUNK", 50_000)
    text = "line one\n" * 30_000 + "z" * 200_000 + "\nlast line\n" + "more\n" * 30_000
    path = tmp_path / "long.txt"
    path.write_text(text, "utf-8", newline="")
    want = len(get_encoding("o200k_base").encode_ordinary(text))
    for jobs in (1, 2):
        (got,) = count_files([path], "o200k_base", jobs)
        assert not isinstance(got, InputError)
        assert got.tokens == want
        assert got.backend in {"tiktoken+quicktok", "quicktok"}
    assert count_file(path, "o200k_base", 2, backend="tiktoken") == want
    assert count(text, "o200k_base", jobs=2) == want


def test_an_encoding_object_is_counted_with_its_own_ranks() -> None:
    """A caller's own Encoding (other ranks) is never handed to quicktok's bundled vocabulary."""
    import tiktoken

    base = get_encoding("cl100k_base")
    ranks = dict(base._mergeable_ranks)
    ranks.pop(b" world")  # " world" is one token in cl100k_base; without it, two
    mine = tiktoken.Encoding("mine", pat_str=base._pat_str, mergeable_ranks=ranks, special_tokens={})
    text = "hello world " * 400_000  # above AUTO_MIN_BYTES: auto would pick quicktok for a name
    assert count(text, mine) == len(mine.encode_ordinary(text)) > count(text, "cl100k_base")
    with pytest.raises(InputError, match="not this Encoding object's ranks"):
        count("x", mine, backend="quicktok")


@needs_quicktok
def test_quicktok_counts_without_loading_tiktoken_ranks(tmp_path: Path) -> None:
    """--backend quicktok never parses tiktoken's rank file; the signature still names its hash."""
    path = tmp_path / "a.txt"
    path.write_text("hello world\n" * 100, "utf-8")
    code = (
        "import json, sys, io, contextlib\n"
        "from tokstats.cli import main\n"
        "import tokstats.tokenizers._encodings as E\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    status = main(['count', '--backend', 'quicktok', '--format', 'json', {str(path)!r}])\n"
        "sig = json.loads(out.getvalue())['signature']\n"
        "print(status, sorted(E._encodings), sig['encodings'][0]['rank_sha256'], sig['backend'])\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    status, loaded, sha, backend = r.stdout.split()
    assert (status, loaded) == ("0", "[]")
    assert sha == "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
    assert backend.startswith("quicktok-v1-")


def test_tiktoken_overflowing_on_a_whitespace_run_is_one_error_not_a_panic() -> None:
    """tiktoken's regex overflows its stack on ~1,000,000 spaces in o200k_base (a Rust panic,
    a BaseException): forced tiktoken reports it as an InputError; auto counts it with quicktok."""
    text = " " * 1_200_000
    with pytest.raises(InputError, match="tiktoken failed on a text of 1200000 characters"):
        count(text, "o200k_base", backend="tiktoken")
    if quicktok is not None:
        # 1,200,000 spaces = 9375 tokens of 128 spaces (the 512 KiB check in test_long_pretokens)
        assert count(text, "o200k_base") == 9375


@pytest.mark.parametrize("backend", ["auto", "tiktoken", "quicktok"])
def test_lone_surrogates_count_as_tiktoken_counts_them(backend: str) -> None:
    """tiktoken replaces a lone surrogate by U+FFFD; every backend counts the same, no traceback."""
    if backend == "quicktok" and quicktok is None:
        pytest.skip("quicktok-v1 not installed")
    text = "a \ud800 b \udfff"
    assert count(text, "cl100k_base", backend=backend) == len(get_encoding("cl100k_base").encode_ordinary(text))
