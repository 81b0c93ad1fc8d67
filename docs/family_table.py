"""The measured tables of docs/model-families.md: tokens per launch language, per tokenizer family.

Run ``python docs/family_table.py`` (with ``pip install 'tokstats[llama,qwen,mistral]'``) to
print them; ``tests/test_model_families.py`` checks that the tables in the page equal this
output, so the page cannot drift from what the code measures.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

import tokstats
from tokstats.tokenizers import get_tokenizer

#: The tokenizers compared, as specs.
SPECS = ["o200k_base", "cl100k_base", "llama3", "llama4", "qwen", "mistral-v3", "tekken"]

#: OpenAI encodings, counted through tiktoken (``get_encoding``) with the same rule as the
#: others: the text's own tokens, special-token strings as text.
OPENAI = ("o200k_base", "cl100k_base")


def counter(spec: str) -> Callable[[str], int]:
    """A function giving the number of tokens of a text under ``spec``."""
    if spec in OPENAI:
        encoding = tokstats.get_encoding(spec)
        return lambda text: len(encoding.encode_ordinary(text))
    return get_tokenizer(spec).count


def launch_counts(specs: list[str] = SPECS) -> pd.DataFrame:
    """Tokens of each ``gpt4o-launch`` sentence (rows: languages in the corpus order)."""
    corpus = tokstats.load_corpus("gpt4o-launch")
    counters = {spec: counter(spec) for spec in specs}
    rows = {e["language"]: {s: c(e["text"]) for s, c in counters.items()} for e in corpus.entries}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "language"
    return table


def premium(counts: pd.DataFrame) -> pd.DataFrame:
    """Tokens relative to English (1.00 = as many tokens as the English sentence)."""
    return (counts / counts.loc["English"]).round(2)


def _markdown(table: pd.DataFrame, fmt: str) -> str:
    head = "| " + " | ".join([str(table.index.name), *table.columns]) + " |"
    rule = "|" + "---|" + "---:|" * len(table.columns)
    body = [
        "| " + " | ".join([str(i), *(format(v, fmt) for v in row)]) + " |"
        for i, row in zip(table.index, table.to_numpy())
    ]
    return "\n".join([head, rule, *body])


def markdown() -> str:
    """Both tables, as they appear in docs/model-families.md."""
    counts = launch_counts()
    totals = counts.sum().to_frame().T
    totals.index = pd.Index(["**all 20**"], name="language")
    return "\n".join(
        [
            "Tokens per sentence:",
            "",
            _markdown(pd.concat([counts, totals]), "d"),
            "",
            "Premium vs English (tokens / tokens of the English sentence):",
            "",
            _markdown(premium(counts), ".2f"),
        ]
    )


if __name__ == "__main__":
    print(markdown())
