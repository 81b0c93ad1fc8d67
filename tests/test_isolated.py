"""Rust et al. (2021) fertility and continued words: words tokenized alone, punctuation as words, segmenters."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tokstats import get_encoding
from tokstats.comparison import _isolated as isolated
from tokstats.comparison._isolated import IsolatedCounts, continued_words, fertility, measure_words
from tokstats.comparison._segmenters import rust_words, segmentation_setting, spaced_words
from tokstats.tokenizers._base import Tokenizer, TokenizerInfo


def o200k(text: str) -> int:
    return len(get_encoding("o200k_base").encode_ordinary(text))


def test_punctuation_marks_are_words_and_spaces_are_not() -> None:
    assert spaced_words("Hello, world! It's state-of-the-art (really).") == [
        "Hello",
        ",",
        "world",
        "!",
        "It's",
        "state-of-the-art",
        "(",
        "really",
        ")",
        ".",
    ]
    assert spaced_words("  ") == [] and spaced_words("«Oui»") == ["«", "Oui", "»"]
    assert spaced_words("नमस्ते, दुनिया।") == ["नमस्ते", ",", "दुनिया", "।"]


@given(st.text(alphabet=st.sampled_from(list("ab c,.!-'é 1\n")), max_size=40))
def test_spaced_words_keep_every_non_space_character_in_order(text: str) -> None:
    words = spaced_words(text)
    assert "".join(words) == "".join(c for c in text if not c.isspace())
    assert all(w and not any(c.isspace() for c in w) for w in words)


def test_words_are_each_tokenized_alone() -> None:
    words = rust_words("Tokenization, unsurprisingly.").words
    assert words == ["Tokenization", ",", "unsurprisingly", "."]
    counts = measure_words(words, o200k)
    assert counts == IsolatedCounts(4, sum(o200k(w) for w in words), sum(o200k(w) >= 2 for w in words))
    assert fertility(counts) == counts.tokens / 4 and continued_words(counts) == counts.continued / 4


def test_metrics_of_no_words_are_na() -> None:
    assert measure_words(None, o200k) == isolated.NO_WORDS
    assert fertility(isolated.NO_WORDS) is None and continued_words(isolated.NO_WORDS) is None
    assert fertility(IsolatedCounts()) is None  # zero words
    assert (IsolatedCounts(2, 3, 1) + isolated.NO_WORDS) == isolated.NO_WORDS


@given(st.lists(st.text(min_size=1, max_size=8), max_size=20), st.lists(st.text(min_size=1, max_size=8), max_size=20))
def test_counts_are_additive(a: list[str], b: list[str]) -> None:
    assert measure_words(a, o200k) + measure_words(b, o200k) == measure_words(a + b, o200k)


class _CharTokenizer(Tokenizer):
    """One token per code point: a tokenizer of another kind, through the shared interface."""

    name = "chars"

    def encode(self, text: str) -> list[int]:
        return [ord(c) for c in text]

    def token_bytes(self, token: int) -> bytes:
        return chr(token).encode("utf-8")

    @property
    def info(self) -> TokenizerInfo:
        return TokenizerInfo("chars", "test", "none", None, None)


def test_any_tokenizer_kind_through_the_interface_or_a_callable() -> None:
    words = ["ab", ",", "abc"]
    assert measure_words(words, _CharTokenizer()) == IsolatedCounts(3, 6, 2)
    assert measure_words(words, len) == IsolatedCounts(3, 6, 2)
    counter = isolated.cached(_CharTokenizer())
    assert counter("abc") == 3 and counter("abc") == 3 and counter.cache_info().hits == 1
    with pytest.raises(TypeError, match="count"):
        measure_words(words, 3)  # type: ignore[arg-type]


# --- segmenters ---------------------------------------------------------------------------------


def test_chinese_words_come_from_jieba() -> None:
    w = rust_words("我们中出了一个叛徒。", segmented=False)
    assert w.method.startswith("jieba ")
    assert w.words is not None and "".join(w.words) == "我们中出了一个叛徒。" and "叛徒" in w.words


def test_japanese_words_come_from_mecab_with_unidic_lite() -> None:
    w = rust_words("私は東京に住んでいます。")
    assert w.method.startswith("fugashi ") and "unidic-lite" in w.method
    assert w.words == ["私", "は", "東京", "に", "住ん", "で", "い", "ます", "。"]


def test_thai_words_come_from_pythainlp() -> None:
    w = rust_words("ฉันรักภาษาไทย")
    assert w.method.startswith("pythainlp ")
    assert w.words is not None and "".join(w.words) == "ฉันรักภาษาไทย" and "ภาษาไทย" in w.words


@pytest.mark.parametrize(
    "text, language", [("ພາສາລາວ", "Lao"), ("ភាសាខ្មែរ", "Khmer"), ("မြန်မာဘာသာ", "Burmese"), ("བོད་ཡིག", "Tibetan")]
)
def test_scripts_without_a_segmenter_are_na_and_say_why(text: str, language: str) -> None:
    w = rust_words(text)
    assert w.words is None and w.method == f"n/a: no word segmenter for {language}"


def test_a_missing_segmenter_names_the_package_to_install(tmp_path) -> None:
    """With jieba unimportable, Chinese words are n/a and the reason says what to install."""
    (tmp_path / "jieba.py").write_text("raise ImportError('blocked for this test')\n")
    code = (
        "from tokstats.comparison._segmenters import rust_words; w = rust_words('我们中出了一个叛徒'); "
        "print(w.words); print(w.method)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": str(tmp_path)})
    assert r.stdout.splitlines() == ["None", "n/a: Chinese words need jieba (pip install 'tokstats[segmenters]')"], (
        r.stderr
    )


def test_segmentation_setting_lists_what_found_words() -> None:
    assert (
        segmentation_setting(["regex", "jieba 0.42.1", "regex", "n/a: no word segmenter for Lao"])
        == "rust-isolated;jieba 0.42.1,regex"
    )
    assert segmentation_setting(["n/a: no word segmenter for Lao"]) == "rust-isolated;none"


def test_docs_examples_print_what_the_docs_say(capsys: pytest.CaptureFixture[str]) -> None:
    """Every ```python block of docs/metrics.md runs and prints the ```output block after it."""
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "metrics.md").read_text("utf-8")
    pairs = re.findall(r"```python\n(.*?)```\n\n```output\n(.*?)```", doc, flags=re.S)
    assert len(pairs) == 2
    for code, output in pairs:
        exec(compile(code, "docs/metrics.md", "exec"), {})
        assert capsys.readouterr().out == output
