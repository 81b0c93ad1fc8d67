"""Long runs of one space, tab or ASCII letter (tokstats/tokenizers/_space_runs.py): counted from
shorter runs, equal to tiktoken encoding the whole text (where tiktoken can), for every family."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokstats.tokenizers import get_tokenizer
from tokstats.tokenizers._space_runs import BASE, RUN_MIN

FAMILIES = ["llama3", "llama4", "qwen", "tekken"]


def reference(name: str, text: str) -> int:
    tok = get_tokenizer(name)
    return len(tok._enc.encode_ordinary(tok._prepare(text)))  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", FAMILIES)
@pytest.mark.parametrize("c", [" ", "\t", "a", "Z"])
def test_a_run_is_counted_as_tiktoken_counts_it(name: str, c: str) -> None:
    runs = get_tokenizer(name)._runs  # type: ignore[attr-defined]
    p = runs.period(c)
    lengths = list(range(BASE, BASE + 2 * p + 3)) + random.Random(7).sample(range(BASE, 50000), 12)
    for n in lengths:
        assert runs.run(c, n) == reference(name, c * n), n


around = st.sampled_from(["", "\n", "\r\n", "1", "x", "ab.", " y", ".", "é", "'s", "\u0301", "\t", " \n", "中"])


@pytest.mark.parametrize("name", FAMILIES)
@settings(max_examples=25, deadline=None)
@given(
    before=around,
    after=around,
    c=st.sampled_from([" ", "\t", "a", "Q"]),
    n=st.integers(RUN_MIN - 2, RUN_MIN + 3000),
    tail=around,
)
def test_text_with_long_runs_counts_as_tiktoken_counts_the_whole(
    name: str, before: str, after: str, c: str, n: int, tail: str
) -> None:
    text = before + c * n + after + "mid" + c * (n + 7) + tail
    assert get_tokenizer(name).count(text) == reference(name, text)


@pytest.mark.parametrize("name", ["llama3", "llama4"])
def test_a_million_spaces_no_longer_overflow_tiktokens_stack(name: str) -> None:
    # tiktoken alone raises a PanicException here; the run is counted from a short one
    tok = get_tokenizer(name)
    p = tok._runs.period(" ")  # type: ignore[attr-defined]
    n = 3 << 20
    short = BASE + (n - BASE) % p  # the same length modulo the period, which tiktoken can take
    assert tok.count(" " * n) == reference(name, " " * short) + (n - short) // p
    # "x" + spaces + "y": the run less its last space, then " y" (the regex's split)
    assert tok.count("x" + " " * n + "y") == reference(name, "x") + tok.count(" " * (n - 1)) + reference(name, " y")
