"""Words as Rust et al. (2021) count them: punctuation marks are words; Chinese, Japanese and Thai
words come from a real segmenter.

Rust et al. ("How Good is Your Tokenizer? On the Monolingual Performance of Multilingual
Language Models", ACL 2021) take the words of Universal Dependencies treebanks, where every
punctuation mark is a token of its own. ``rust_words`` follows that:

* in scripts written with spaces, a word is a run of letters, marks, digits and joiners,
  apostrophes and hyphens inside it included (``tokstats.comparison._words.WORD_PATTERN``), and every
  other non-space character (``,`` ``.`` ``«`` ``%`` …) is a word of its own;
* Chinese is segmented by jieba (its default dictionary, precise mode), Japanese by MeCab through
  fugashi with the UniDic-lite dictionary, Thai by PyThaiNLP's ``newmm`` dictionary segmenter —
  the segmenter's tokens, whitespace dropped, punctuation included as it returns it;
* Lao, Khmer, Burmese and Tibetan have no segmenter here: their words are ``None`` (n/a), and
  ``Words.method`` says why.

The segmenters are optional (``pip install 'tokstats[segmenters]'``); without one the words of
that language are n/a and the reason names the package to install.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import metadata

import regex

from tokstats.comparison._words import WORD_PATTERN, is_space_segmented

#: Unicode script -> (language name, segmenter key); checked in this order (kana before Han).
_SCRIPTS = (
    ("Hiragana", "Japanese", "fugashi"),
    ("Katakana", "Japanese", "fugashi"),
    ("Han", "Chinese", "jieba"),
    ("Thai", "Thai", "pythainlp"),
    ("Lao", "Lao", None),
    ("Khmer", "Khmer", None),
    ("Myanmar", "Burmese", None),
    ("Tibetan", "Tibetan", None),
)
_SCRIPT_RE = {name: regex.compile(rf"\p{{Script={name}}}") for name, _, _ in _SCRIPTS}
#: pip packages each segmenter needs.
PACKAGES = {"jieba": ("jieba",), "fugashi": ("fugashi", "unidic-lite"), "pythainlp": ("pythainlp",)}
_SPACE_OR_WORD = regex.compile(rf"\s+|{WORD_PATTERN.pattern}")


@dataclass(frozen=True)
class Words:
    """The words of a text, or ``None`` with the reason; ``method`` names how they were found."""

    words: list[str] | None
    #: e.g. ``"regex"``, ``"jieba 0.42.1"``, or ``"n/a: no segmenter for Lao"``
    method: str


def spaced_words(text: str) -> list[str]:
    """Words of a text written with spaces: regex words, and each other non-space character."""
    out: list[str] = []
    pos = 0
    for m in _SPACE_OR_WORD.finditer(text):
        out += [c for c in text[pos : m.start()] if not c.isspace()]
        if not m.group().isspace():
            out.append(m.group())
        pos = m.end()
    out += [c for c in text[pos:] if not c.isspace()]
    return out


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


@cache
def _segmenter(key: str) -> Callable[[str], list[str]]:
    """The segmenting function for ``key``; ImportError when its package is not installed."""
    if key == "jieba":
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        tok = jieba.Tokenizer()
        return lambda text: list(tok.cut(text))
    if key == "fugashi":
        import fugashi
        import unidic_lite  # noqa: F401  (the dictionary fugashi loads by default when present)

        tagger = fugashi.Tagger()
        return lambda text: [w.surface for w in tagger(text)]
    if key == "pythainlp":
        from pythainlp.tokenize import word_tokenize

        return lambda text: list(word_tokenize(text, engine="newmm", keep_whitespace=False))
    raise KeyError(key)


def segmenter_available(key: str) -> bool:
    """Whether the segmenter ``key`` (``jieba``, ``fugashi``, ``pythainlp``) can be loaded."""
    try:
        _segmenter(key)
    except ImportError:
        return False
    return True


def script_of(text: str) -> tuple[str, str | None]:
    """The language and segmenter key of the unsegmented script with the most letters in ``text``."""
    counts = [(len(_SCRIPT_RE[name].findall(text)), lang, key) for name, lang, key in _SCRIPTS]
    kana = counts[0][0] + counts[1][0]
    if kana:  # Japanese mixes kana with Han; any kana means Japanese
        return "Japanese", "fugashi"
    best = max(counts[2:], key=lambda c: c[0])
    return best[1], best[2]


def rust_words(text: str, segmented: bool | None = None, script: tuple[str, str | None] | None = None) -> Words:
    """The words of ``text`` as Rust et al. (2021) count them (see the module docstring).

    ``segmented`` says whether the language separates words with spaces (``None``: detect from
    the scripts of the text, as ``tokstats.comparison._words.split_words`` does). ``script``: the
    (language, segmenter) ``script_of`` a larger text this one is a piece of, so every piece
    of a document is segmented alike.
    """
    if segmented is None:
        segmented = is_space_segmented(text)
    if segmented:
        return Words(spaced_words(text), "regex")
    language, key = script or script_of(text)
    if key is None:
        return Words(None, f"n/a: no word segmenter for {language}")
    try:
        cut = _segmenter(key)
    except ImportError:
        need = " and ".join(PACKAGES[key])
        return Words(None, f"n/a: {language} words need {need} (pip install 'tokstats[segmenters]')")
    words = [w.strip() for w in cut(text)]
    return Words([w for w in words if w], " + ".join(f"{p} {_version(p)}" for p in PACKAGES[key]))


def segmentation_setting(methods: list[str]) -> str:
    """The signature setting for the word methods behind a table: ``rust-isolated`` plus the
    segmenters (with versions) that found words, e.g. ``rust-isolated;regex,jieba 0.42.1``."""
    used = sorted({m for m in methods if m and not m.startswith("n/a")})
    return ";".join(["rust-isolated", ",".join(used) or "none"])
