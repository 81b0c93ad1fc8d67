"""The forecast's arithmetic, the saving split, samples, language mixes and the chart."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tokstats
from tokstats import get_encoding
from tokstats.errors import InputError, UnknownNameError
from tokstats.forecast import (
    COLUMNS, Request, forecast, forecast_language_mix, forecast_rows, parse_language_mix, read_sample,
)
from tokstats.messages import count_message_tokens
from tokstats.prices import REQUIRED, load_prices

PRICES = load_prices(use_env=False)
HINDI = "नमस्ते, आप कैसे हैं? मैं ठीक हूँ।"
ENGLISH = "Hello, how are you? I am fine."


def _req(content: str, completion: str | None = None) -> Request:
    return Request([{"role": "user", "content": content}], completion, "test")


def test_arithmetic_requests_times_mean_tokens_times_price() -> None:
    reqs = [_req(HINDI, "ठीक है"), _req(ENGLISH, "Fine, thanks.")]
    rows = forecast_rows(reqs, 250_000, ["gpt-4-turbo", "gpt-4o-mini"], prices=PRICES)
    for row, model in zip(rows, ["gpt-4-turbo", "gpt-4o-mini"]):
        enc = get_encoding(row["encoding"])
        t_in = sum(count_message_tokens(r.messages, model) for r in reqs) / 2
        t_out = sum(len(enc.encode_ordinary(r.completion or "")) for r in reqs) / 2
        assert row["input_tokens"] == t_in and row["output_tokens"] == t_out
        price = PRICES[model]
        expected = 250_000 * t_in * price.input_per_1m / 1e6 + 250_000 * t_out * price.output_per_1m / 1e6
        assert row["monthly_cost"] == pytest.approx(expected, rel=1e-12)
    # Hand check for gpt-4o-mini: "user" + the text + 3 framing + 3 priming, at $0.15 / $0.60.
    o200k = get_encoding("o200k_base")
    t_in = (2 * (3 + 1 + 3) + len(o200k.encode_ordinary(HINDI)) + len(o200k.encode_ordinary(ENGLISH))) / 2
    assert rows[1]["input_tokens"] == t_in
    assert rows[1]["input_cost"] == pytest.approx(250_000 * t_in * 0.15 / 1e6)


def test_fixed_output_tokens_and_override_price_file(tmp_path: Path) -> None:
    path = tmp_path / "prices.csv"
    path.write_text(",".join(REQUIRED) + "\ngpt-4o,,2,,8,our contract,2026-01-01\n", encoding="utf-8")
    df = forecast([_req("a b c")], 1_000_000, ["gpt-4o"], output_tokens=100, prices=path)
    row = df.iloc[0]
    t_in = 3 + 1 + len(get_encoding("o200k_base").encode_ordinary("a b c")) + 3
    # 1e6 requests x t_in tokens x $2 / 1e6 + 1e6 x 100 x $8 / 1e6
    assert row["input_tokens"] == t_in and row["output_tokens"] == 100
    assert row["monthly_cost"] == pytest.approx(t_in * 2 + 100 * 8)
    assert row["as_of"] == "2026-01-01"
    assert list(df.columns) == COLUMNS
    assert "+prices.csv@" in df.attrs["signature"].settings["prices"]


def test_gpt4o_launch_halves_gpt4_turbo_when_tokens_are_equal() -> None:
    # With a fixed output of 10 tokens per request on both models, the output cost compares the
    # prices alone: GPT-4o launched at half GPT-4 Turbo's price.
    rows = forecast_rows([_req("hi")], 1000, ["gpt-4-turbo", "gpt-4o-2024-05-13"], output_tokens=10, prices=PRICES)
    turbo, omni = rows
    assert omni["output_cost"] == pytest.approx(turbo["output_cost"] / 2)


def test_saving_split_adds_up_and_is_what_the_docstring_says() -> None:
    reqs = [_req(HINDI * 3, HINDI), _req(ENGLISH)]
    rows = forecast_rows(reqs, 123_456, ["gpt-4", "gpt-4o", "gpt-4o-mini", "gpt-5"], output_tokens=40, prices=PRICES)
    base = rows[0]
    assert base["saving"] == base["saving_tokenizer"] == base["saving_price"] == 0
    for row in rows[1:]:
        assert row["saving"] == pytest.approx(base["monthly_cost"] - row["monthly_cost"])
        assert row["saving_tokenizer"] + row["saving_price"] == pytest.approx(row["saving"], rel=1e-12)
        # tokenizer part = baseline's prices applied to the token difference
        tok = 123_456 / 1e6 * ((base["input_tokens"] - row["input_tokens"]) * base["input_per_1m"]
                               + (base["output_tokens"] - row["output_tokens"]) * base["output_per_1m"])
        assert row["saving_tokenizer"] == pytest.approx(tok)
        assert row["saving_tokenizer"] > 0  # o200k needs fewer tokens for Hindi than cl100k


@settings(max_examples=40, deadline=None)
@given(
    texts=st.lists(st.text(min_size=0, max_size=40), min_size=1, max_size=3),
    requests=st.integers(min_value=0, max_value=10**9),
    out=st.integers(min_value=0, max_value=5000),
)
def test_property_parts_add_up(texts: list[str], requests: int, out: int) -> None:
    rows = forecast_rows([_req(t) for t in texts], requests, ["gpt-3.5-turbo", "gpt-4.1-nano", "o3"],
                         output_tokens=out, prices=PRICES)
    for row in rows:
        assert row["saving_tokenizer"] + row["saving_price"] == pytest.approx(row["saving"], rel=1e-9, abs=1e-9)
        assert row["monthly_cost"] >= 0


def test_read_sample_jsonl_and_text(tmp_path: Path) -> None:
    jsonl = tmp_path / "s.jsonl"
    jsonl.write_text('{"messages": [{"role": "user", "content": "hi"}], "completion": "yo"}\n\n'
                     '{"messages": [{"role": "user", "content": "bye"}]}\n', encoding="utf-8")
    prompt = tmp_path / "p.txt"
    prompt.write_bytes("line one\r\nline two <|endoftext|>\n".encode())
    requests, sha = read_sample([jsonl, prompt])
    assert [r.where for r in requests] == [f"{jsonl}:1", f"{jsonl}:3", str(prompt)]
    assert requests[0].completion == "yo" and requests[1].completion is None
    assert requests[2].messages == [{"role": "user", "content": "line one\r\nline two <|endoftext|>\n"}]
    expected = hashlib.sha256(hashlib.sha256(jsonl.read_bytes()).digest() + hashlib.sha256(prompt.read_bytes()).digest())
    assert sha == expected.hexdigest()


@pytest.mark.parametrize(
    "line, problem",
    [
        ("not json", ":2: invalid JSON: Expecting value (column 1)"),
        ('{"completion": "x"}', ':2: no "messages"'),
        ('{"messages": []}', ':2: "messages" must be a non-empty list'),
        ('[1, 2]', ":2: expected a JSON object"),
        ('{"messages": [{"role": "user", "content": "x"}], "completion": 3}', ':2: "completion" must be a string'),
    ],
)
def test_bad_sample_lines(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"messages": [{"role": "user", "content": "ok"}]}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_sample([path])
    assert str(info.value).startswith(f"{path}:2: ") and problem in str(info.value)


def test_bad_message_and_missing_output_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text('{"messages": [{"role": "user", "content": "ok"}], "completion": "x"}\n'
                    '{"messages": [{"content": "no role"}], "completion": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=rf"^{path}:2: message 0 has no 'role'$"):
        forecast([path], 10, ["gpt-4o"], prices=PRICES)
    path.write_text('{"messages": [{"role": "user", "content": "ok"}]}\n', encoding="utf-8")
    with pytest.raises(InputError, match=rf"^{path}:1: no \"completion\".*--output-tokens"):
        forecast([path], 10, ["gpt-4o"], prices=PRICES)


def test_invalid_utf8_names_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    first = b'{"messages": [{"role": "user", "content": "ok"}]}\n'
    path.write_bytes(first + b'{"messages": "\xff"}\n')
    offset = len(first) + len('{"messages": "')
    with pytest.raises(InputError, match=rf"^{path}:2: invalid UTF-8 at byte offset {offset} \(byte ff"):
        read_sample([path])


def test_bad_arguments() -> None:
    with pytest.raises(UnknownNameError, match="unknown priced model 'gpt-99'"):
        forecast_rows([_req("x")], 1, ["gpt-4o", "gpt-99"], output_tokens=1, prices=PRICES)
    with pytest.raises(InputError, match="listed twice"):
        forecast_rows([_req("x")], 1, ["gpt-4o", "gpt-4o"], output_tokens=1, prices=PRICES)
    with pytest.raises(InputError, match="non-negative whole number"):
        forecast_rows([_req("x")], -1, ["gpt-4o"], output_tokens=1, prices=PRICES)


@pytest.mark.parametrize(
    "text, problem",
    [("hi=0.6,en=0.3", "sum to 0.9, not 1"), ("hi", "not CODE=WEIGHT"), ("hi=x,en=1", "weight 'x' of hi"),
     ("hi=-0.5,en=1.5", "non-negative"), ("hi=0.5,hi=0.5", "hi given twice")],
)
def test_bad_language_mix(text: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        parse_language_mix(text)


def _tiny_corpus() -> tokstats.Corpus:
    entries = [
        {"id": "chat-01", "domain": "chat", "text": {"en": ENGLISH, "hi": HINDI}},
        {"id": "chat-02", "domain": "chat", "text": {"en": "Thanks a lot!", "hi": "बहुत धन्यवाद!"}},
        {"id": "news-01", "domain": "news", "text": {"en": "Only English here."}},  # partial: skipped
    ]
    meta = {"name": "tiny", "languages": [{"code": "en"}, {"code": "hi"}, {"code": "ta"}]}
    return tokstats.Corpus(name="tiny", sha256="ab" * 32, meta=meta, entries=entries)


def test_language_mix_weights_the_per_language_means() -> None:
    corpus = _tiny_corpus()
    df = forecast_language_mix("hi=0.6,en=0.4", 10_000, ["gpt-4-turbo", "gpt-4o"], output_tokens=50,
                               prices=PRICES, corpus=corpus)
    for row in df.to_dict("records"):
        model = row["model"]

        def mean(code: str) -> float:
            texts = [e["text"][code] for e in corpus.entries[:2]]
            return sum(count_message_tokens([{"role": "user", "content": t}], model) for t in texts) / 2

        assert row["input_tokens"] == pytest.approx(0.6 * mean("hi") + 0.4 * mean("en"))
        assert row["output_tokens"] == 50
    sig = df.attrs["signature"]
    assert sig.corpus == "tiny" and sig.corpus_sha256 == "ab" * 32
    assert sig.settings["language_mix"] == "hi=0.6,en=0.4"
    # Only English: the same as a mix of en=1.
    en_only = forecast_language_mix({"en": 1.0}, 10_000, ["gpt-4o"], output_tokens=50, prices=PRICES, corpus=corpus)
    assert en_only.iloc[0]["input_tokens"] < df.iloc[1]["input_tokens"]


def test_language_mix_errors() -> None:
    corpus = _tiny_corpus()
    with pytest.raises(InputError, match="unknown language 'xx' in corpus tiny; known: en, hi, ta"):
        forecast_language_mix("xx=1", 1, ["gpt-4o"], output_tokens=1, prices=PRICES, corpus=corpus)
    with pytest.raises(InputError, match="no entry with a text in every one of ta, en"):
        forecast_language_mix("ta=0.5,en=0.5", 1, ["gpt-4o"], output_tokens=1, prices=PRICES, corpus=corpus)


def test_language_mix_on_the_shipped_parallel_corpus() -> None:
    if "parallel" not in tokstats.list_corpora():
        pytest.skip("corpora/parallel.json is not present yet")
    corpus = tokstats.load_corpus("parallel")
    df = forecast_language_mix("hi=0.6,en=0.4", 1_000_000, ["gpt-4-turbo", "gpt-4o-2024-05-13"],
                               output_tokens=200, prices=PRICES, corpus=corpus)
    turbo, omni = df.to_dict("records")
    assert omni["input_tokens"] < turbo["input_tokens"]  # o200k is the more efficient on Hindi
    assert omni["monthly_cost"] < turbo["monthly_cost"] / 2 + 1e-9  # half the price and fewer tokens
    assert omni["saving_tokenizer"] > 0 and omni["saving_price"] > 0


def test_plot_returns_a_stacked_figure(tmp_path: Path) -> None:
    from matplotlib.figure import Figure

    from tokstats.plots.cost import plot_cost

    df = forecast([_req(HINDI, "ठीक")], 5000, ["gpt-4", "gpt-4o", "gpt-4o-mini"], prices=PRICES)
    fig = plot_cost(df)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    bars = ax.patches
    assert len(bars) == 6  # input and output bar per model
    for i, row in enumerate(df.to_dict("records")):
        assert bars[i].get_height() == pytest.approx(row["input_cost"])
        assert bars[3 + i].get_height() == pytest.approx(row["output_cost"])
        assert bars[3 + i].get_y() == pytest.approx(row["input_cost"])  # stacked on the input
    assert [t.get_text() for t in ax.get_xticklabels()] == ["gpt-4", "gpt-4o", "gpt-4o-mini"]
    out = tmp_path / "c.png"
    fig.savefig(out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
