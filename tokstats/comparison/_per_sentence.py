"""Mean tokens per sentence of each language of a parallel corpus, with bootstrap intervals.

The numbers behind ``tokstats plot compare --metric tokens``: the same sentences in every
language, so the means are directly comparable; each interval is a percentile bootstrap over
sentences (``tokstats.comparison._bootstrap``, the seed and resamples of ``tokstats compare``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tokstats._api import renamed
from tokstats.comparison._bootstrap import BootstrapConfig, ratio_ci
from tokstats.comparison._compare import load_tokenizers
from tokstats.defaults import DEFAULT_TOKENIZERS
from tokstats.errors import InputError
from tokstats.output._signature import build_signature
from tokstats.sources._corpus import Corpus, load_corpus
from tokstats.sources._languages import select_languages

if TYPE_CHECKING:
    import pandas as pd

    from tokstats.tokenizers._registry import TokenizerLike

TOKENS_COLUMNS = ["source", "language", "encoding", "sentences", "tokens", "mean", "ci_low", "ci_high"]


@renamed(encodings="tokenizers")
def tokens_per_sentence(
    corpus: str | Any = "udhr",
    tokenizers: Sequence[TokenizerLike] = DEFAULT_TOKENIZERS,
    *,
    resamples: int | None = None,
    seed: int | None = None,
    languages: str | Sequence[str] | None = None,
    script: str | None = None,
    family: str | None = None,
) -> pd.DataFrame:
    """Mean tokens per sentence for each language and encoding of a parallel corpus, with a 95%
    percentile bootstrap interval over sentences.

    One row per (language, encoding), languages in the corpus's order: ``source`` (language
    code), ``language`` (name), ``encoding``, ``sentences``, ``tokens`` (summed),
    ``mean`` (= tokens / sentences), ``ci_low``, ``ci_high``. Tokens are
    the text's own tokens (``encode_ordinary`` for tiktoken). ``df.attrs["signature"]`` records tokenizers, corpus and the
    bootstrap settings. ``languages``, ``script``, ``family`` choose the languages as in ``compare``
    (``tokstats.sources.select_languages``): by default the corpus's default set (udhr's 45 curated
    translations, which share all their sections).
    """
    import pandas as pd  # only when a DataFrame is built

    loaded: Corpus = load_corpus(corpus) if isinstance(corpus, str) else corpus
    if not tokenizers:
        raise InputError("no tokenizers given; use e.g. cl100k_base,o200k_base")
    config = BootstrapConfig(
        resamples=BootstrapConfig.resamples if resamples is None else resamples,
        seed=BootstrapConfig.seed if seed is None else seed,
    )
    encs = {tok.name: tok for tok in load_tokenizers(tokenizers)}
    langs = loaded.meta.get("languages") or []
    chosen = {lang["code"] for lang in langs}
    if langs:  # a parallel corpus that lists its languages: choose as compare does
        chosen = set(select_languages(loaded, languages, script=script, family=family))
        langs = [lang for lang in langs if lang["code"] in chosen]
    names = {lang["code"]: lang.get("language", lang["code"]) for lang in langs}
    order = [lang["code"] for lang in langs]
    texts: dict[str, list[str]] = {code: [] for code in order}
    for entry in loaded.entries:
        per_language = entry.get("text")
        if not isinstance(per_language, dict):
            raise InputError(f"corpus {loaded.name}: entry {entry.get('id')!r} has no per-language 'text' object")
        for code, text in per_language.items():
            if code in chosen or not langs:
                texts.setdefault(code, []).append(text)
    rows: list[dict[str, Any]] = []
    for code, sentences in texts.items():
        if not sentences:
            continue  # a language a partial corpus lacks
        for name, enc in encs.items():
            counts = enc.count_batch(sentences)
            ci = ratio_ci(counts, [1] * len(counts), config)
            rows.append(
                {
                    "source": code,
                    "language": names.get(code),
                    "encoding": name,
                    "sentences": len(counts),
                    "tokens": sum(counts),
                    "mean": sum(counts) / len(counts),
                    "ci_low": ci[0] if ci else None,
                    "ci_high": ci[1] if ci else None,
                }
            )
    df = pd.DataFrame(rows, columns=TOKENS_COLUMNS)
    df.attrs["signature"] = build_signature(list(encs.values()), loaded, count="encode_ordinary", **config.settings())
    return df
