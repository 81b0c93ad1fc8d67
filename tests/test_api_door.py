"""The public API's door: a wrong call is a TokstatsError naming the parameter, at entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import tokstats
from tokstats.errors import ParameterError, TokstatsError

HUGE = 10**400


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("door") / "prompt.txt"
    path.write_text("Summarise this paragraph in one sentence, please.", encoding="utf-8")
    return path


#: (id, the parameter the message must name, the call given the sample file)
BAD_CALLS: list[tuple[str, str, Callable[[Path], Any]]] = [
    ("count-text", "text", lambda s: tokstats.count(None, "cl100k_base")),
    ("count-tokenizer", "tokenizer", lambda s: tokstats.count("x", None)),
    ("count-jobs-bool", "jobs", lambda s: tokstats.count("x", "cl100k_base", jobs=True)),
    ("count-jobs-range", "jobs", lambda s: tokstats.count("x", "cl100k_base", jobs=10**6)),
    ("count-backend", "backend", lambda s: tokstats.count("x", "cl100k_base", backend=3)),
    ("count_file-None", "path", lambda s: tokstats.count_file(None, "cl100k_base")),
    ("count_file-jobs-huge", "jobs", lambda s: tokstats.count_file(s, "cl100k_base", HUGE)),
    ("count_file-jobs-type", "jobs", lambda s: tokstats.count_file(s, "cl100k_base", "2")),
    ("count_file-block", "block_size", lambda s: tokstats.count_file(s, "cl100k_base", block_size=0)),
    ("count_file-progress", "progress", lambda s: tokstats.count_file(s, "cl100k_base", progress=3)),
    ("compare-paths-type", "paths", lambda s: tokstats.compare(5)),
    ("compare-paths-item", "paths[1]", lambda s: tokstats.compare([s, None])),
    ("compare-tokenizers", "tokenizers[0]", lambda s: tokstats.compare(s, tokenizers=[None])),
    ("compare-resamples-range", "resamples", lambda s: tokstats.compare(s, resamples=0)),
    ("compare-resamples-huge", "resamples", lambda s: tokstats.compare(s, resamples=HUGE)),
    ("compare-seed-type", "seed", lambda s: tokstats.compare(s, seed=1.5)),
    ("compare-seed-range", "seed", lambda s: tokstats.compare(s, seed=-1)),
    ("compare-by", "by", lambda s: tokstats.compare(s, by=3)),
    ("compare-reference", "reference", lambda s: tokstats.compare(s, reference=None)),
    ("compare-corpus", "corpus", lambda s: tokstats.compare(corpus=3)),
    ("compare-format", "input_format", lambda s: tokstats.compare(s, input_format=None)),
    ("compare-mapping-text", "paths", lambda s: tokstats.compare({"en": 3})),
    ("compare-mapping-empty", "paths", lambda s: tokstats.compare({})),
    ("reproduce-corpus", "corpus", lambda s: tokstats.reproduce(3)),
    ("pretokens-text", "text", lambda s: tokstats.pretokens(b"x", "cl100k_base")),
    ("pretokens-tokenizer", "tokenizer", lambda s: tokstats.pretokens("x", 3)),
    ("split_view-text", "text", lambda s: tokstats.split_view(None, "cl100k_base")),
    ("split_view-tokenizer", "tokenizer", lambda s: tokstats.split_view("x", [])),
    ("bracketed-str", "pieces", lambda s: tokstats.bracketed("abc")),
    ("bracketed-item", "pieces[0]", lambda s: tokstats.bracketed([3])),
    ("forecast-requests-huge", "requests", lambda s: tokstats.forecast(s, HUGE, ["gpt-4o"])),
    ("forecast-requests-cli-range", "requests", lambda s: tokstats.forecast(s, 10**30, ["gpt-4o"])),
    ("forecast-requests-bool", "requests", lambda s: tokstats.forecast(s, True, ["gpt-4o"])),
    ("forecast-output-range", "output_tokens", lambda s: tokstats.forecast(s, 5, ["gpt-4o"], output_tokens=10**9)),
    ("forecast-output-type", "output_tokens", lambda s: tokstats.forecast(s, 5, ["gpt-4o"], output_tokens=2.5)),
    ("forecast-as_of", "as_of", lambda s: tokstats.forecast(s, 5, ["gpt-4o"], as_of=5)),
    ("forecast-share-huge", "cached_share", lambda s: tokstats.forecast(s, 5, ["gpt-4o"], cached_share=HUGE)),
    ("forecast-share-range", "cached_share", lambda s: tokstats.forecast(s, 5, ["gpt-4o"], cached_share=1.5)),
    ("forecast-batch", "batch", lambda s: tokstats.forecast(s, 5, ["gpt-4o"], batch="yes")),
    ("forecast-models", "models[0]", lambda s: tokstats.forecast(s, 5, [None])),
    ("forecast-models-type", "models", lambda s: tokstats.forecast(s, 5, 3)),
    ("forecast-sample", "sample", lambda s: tokstats.forecast(None, 5, ["gpt-4o"])),
    ("forecast-prices", "prices", lambda s: tokstats.forecast(s, 5, ["gpt-4o"], prices=3)),
    ("mix-type", "mix", lambda s: tokstats.forecast_language_mix(3, 5, "gpt-4o", output_tokens=1)),
    ("mix-weight", "mix['en']", lambda s: tokstats.forecast_language_mix({"en": 2}, 5, "gpt-4o", output_tokens=1)),
    ("mix-requests", "requests", lambda s: tokstats.forecast_language_mix("en=1", -1, "gpt-4o", output_tokens=1)),
    ("mix-output", "output_tokens", lambda s: tokstats.forecast_language_mix("en=1", 5, "gpt-4o", output_tokens=None)),
    (
        "mix-output-huge",
        "output_tokens",
        lambda s: tokstats.forecast_language_mix("en=1", 5, "gpt-4o", output_tokens=HUGE),
    ),
    ("mix-corpus", "corpus", lambda s: tokstats.forecast_language_mix("en=1", 5, "gpt-4o", output_tokens=1, corpus=3)),
    ("messages-messages", "messages", lambda s: tokstats.count_message_tokens(None, "gpt-4o")),
    ("messages-model", "model", lambda s: tokstats.count_message_tokens([], None)),
    ("messages-tools", "tools", lambda s: tokstats.count_message_tokens([], "gpt-4o", tools=3)),
    ("messages-tokenizer", "tokenizer", lambda s: tokstats.count_message_tokens([], "gpt-4o", tokenizer=3)),
    ("tools-tools", "tools", lambda s: tokstats.count_tool_tokens(3, "gpt-4o")),
    ("tools-model", "model", lambda s: tokstats.count_tool_tokens([], 3)),
    ("load_prices-path", "path", lambda s: tokstats.load_prices(3)),
    ("load_prices-use_env", "use_env", lambda s: tokstats.load_prices(use_env=1)),
    ("load_corpus-list", "name", lambda s: tokstats.load_corpus(["udhr"])),
    ("get_encoding-None", "name", lambda s: tokstats.get_encoding(None)),
    ("encoding_for_model-None", "model", lambda s: tokstats.encoding_for_model(None)),
    ("get_tokenizer-None", "spec", lambda s: tokstats.get_tokenizer(None)),
    ("tokenizer_for_model-list", "model", lambda s: tokstats.tokenizer_for_model(["gpt-4o"])),
    ("build_signature-tokenizers", "tokenizers[0]", lambda s: tokstats.build_signature([None])),
    ("build_signature-corpus", "corpus", lambda s: tokstats.build_signature(["cl100k_base"], corpus=3)),
    ("build_signature-setting", "count", lambda s: tokstats.build_signature(["cl100k_base"], count=3)),
    ("studies-corpora", "corpora", lambda s: tokstats.compare_with_studies(corpora=3)),
    ("studies-encodings", "encodings[0]", lambda s: tokstats.compare_with_studies(encodings=[None])),
    ("studies-resamples", "resamples", lambda s: tokstats.compare_with_studies(resamples=0)),
    ("studies-seed", "seed", lambda s: tokstats.compare_with_studies(seed=True)),
    ("summary-studies", "studies[0]", lambda s: tokstats.studies_summary(studies=[1])),
]


@pytest.mark.parametrize(("parameter", "call"), [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS])
def test_bad_call_names_the_parameter(sample: Path, parameter: str, call: Callable[[Path], Any]) -> None:
    with pytest.raises(TokstatsError) as caught:
        call(sample)
    assert isinstance(caught.value, ParameterError), repr(caught.value)
    assert caught.value.parameter == parameter.split("[")[0] or str(caught.value).startswith(parameter)
    assert parameter.split("[")[0] in str(caught.value)
    assert len(str(caught.value)) < 300  # a huge value is shortened, never printed whole


def test_huge_int_is_named_by_its_size(sample: Path) -> None:
    with pytest.raises(
        ParameterError,
        match=r"requests must be a whole number from 0 to 1,000,000,000,000, not an integer of about 400 digits",
    ):
        tokstats.forecast(sample, HUGE, ["gpt-4o"])


def test_compare_takes_one_path(sample: Path) -> None:
    one = tokstats.compare(sample, by="source")
    listed = tokstats.compare([str(sample)], by="source")
    assert len(one) == 1
    assert one["tokens.cl100k_base"].tolist() == listed["tokens.cl100k_base"].tolist()


def test_forecast_takes_one_path_and_one_model(sample: Path) -> None:
    one = tokstats.forecast(sample, 1000, "gpt-4o-2024-08-06", output_tokens=10, as_of=dt.date(2026, 1, 1))
    listed = tokstats.forecast([sample], 1000, ["gpt-4o-2024-08-06"], output_tokens=10, as_of="2026-01-01")
    assert one["model"].tolist() == ["gpt-4o-2024-08-06"]
    assert one.equals(listed)


TEXTS = {
    "en": ["Hello, world.", "The cat sat on the mat."],
    "fr": ["Bonjour le monde.", "Le chat."],
    "de": ["Hallo Welt."],
}


def _file_rows(tmp_path: Path) -> Any:
    import json

    path = tmp_path / "texts.jsonl"
    lines = [json.dumps({"text": t, "language": lang}) for lang, ts in TEXTS.items() for t in ts]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tokstats.compare(path, language_column="language", by="language")


def test_compare_texts_in_a_mapping(tmp_path: Path) -> None:
    df = tokstats.compare({"en": TEXTS["en"], "fr": TEXTS["fr"], "de": TEXTS["de"][0]})
    from_file = _file_rows(tmp_path)
    assert len(df) == 3
    assert df["language"].tolist() == from_file["language"].tolist() or df["source"].tolist() == ["en", "fr", "de"]
    for col in ("documents", "tokens.cl100k_base", "tokens.o200k_base", "bytes"):
        assert df[col].tolist() == from_file[col].tolist(), col
    assert "inputs:<mapping>@" in str(df.attrs["signature"])


def test_compare_texts_in_a_dataframe(tmp_path: Path) -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {"text": [t for ts in TEXTS.values() for t in ts], "language": [lang for lang, ts in TEXTS.items() for _ in ts]}
    )
    df = tokstats.compare(frame)
    from_file = _file_rows(tmp_path)
    assert len(df) == 3
    for col in ("source", "documents", "tokens.cl100k_base", "tokens.o200k_base", "bytes"):
        assert df[col].tolist() == from_file[col].tolist(), col
    assert "inputs:<dataframe>@" in str(df.attrs["signature"])
    by_source = tokstats.compare(frame, by="source")
    assert by_source["source"].tolist() == ["<dataframe>"]


def test_dataframe_missing_a_column_is_named() -> None:
    import pandas as pd

    with pytest.raises(ParameterError, match="no column 'language'"):
        tokstats.compare(pd.DataFrame({"text": ["a"]}))
    with pytest.raises(ParameterError, match="no column 'body'"):
        tokstats.compare(pd.DataFrame({"text": ["a"], "language": ["en"]}), text_column="body")


def test_a_list_of_strings_stays_paths(tmp_path: Path) -> None:
    with pytest.raises(tokstats.InputError, match="Hello there"):
        tokstats.compare(["Hello there"])
