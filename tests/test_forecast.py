"""The forecast's arithmetic, the saving split, samples, language mixes and the chart."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tokstats
import tokstats.cost._forecast as forecast_module
import tokstats.cost._messages as messages
import tokstats.counting._count as counting
from tokstats import get_encoding
from tokstats.cost._forecast import (
    COLUMNS,
    Request,
    forecast,
    forecast_language_mix,
    forecast_rows,
    iter_sample,
    parse_language_mix,
    read_sample,
)
from tokstats.cost._messages import count_message_tokens
from tokstats.cost._prices import REQUIRED, load_prices
from tokstats.errors import InputError, UnknownNameError
from tokstats.tokenizers._registry import get_tokenizer

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
    assert row["since"] == "2026-01-01" and row["source"] == "our contract"
    assert row["as_of"] == dt.date.today().isoformat()
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
        tok = (
            123_456
            / 1e6
            * (
                (base["input_tokens"] - row["input_tokens"]) * base["input_per_1m"]
                + (base["output_tokens"] - row["output_tokens"]) * base["output_per_1m"]
            )
        )
        assert row["saving_tokenizer"] == pytest.approx(tok)
        assert row["saving_tokenizer"] > 0  # o200k needs fewer tokens for Hindi than cl100k


@settings(max_examples=40, deadline=None)
@given(
    texts=st.lists(st.text(min_size=0, max_size=40), min_size=1, max_size=3),
    requests=st.integers(min_value=0, max_value=10**9),
    out=st.integers(min_value=0, max_value=5000),
    share=st.floats(min_value=0, max_value=1),
    batch=st.booleans(),
)
def test_property_parts_add_up(texts: list[str], requests: int, out: int, share: float, batch: bool) -> None:
    """Whatever the cached share and batch pricing: tokenizer part + price part = saving, and the
    cost is the mean tokens times the effective price."""
    rows = forecast_rows(
        [_req(t) for t in texts],
        requests,
        ["gpt-3.5-turbo", "gpt-4.1-nano", "o3", "gpt-4o-2024-05-13"],
        output_tokens=out,
        prices=PRICES,
        cached_share=share,
        batch=batch,
    )
    for row in rows:
        assert row["saving_tokenizer"] + row["saving_price"] == pytest.approx(row["saving"], rel=1e-9, abs=1e-6)
        assert row["monthly_cost"] >= 0
        assert row["input_cost"] == pytest.approx(requests * row["input_tokens"] * row["effective_input_per_1m"] / 1e6)


@settings(max_examples=30, deadline=None)
@given(
    t_in=st.lists(st.integers(0, 400_000), min_size=1, max_size=5),
    t_out=st.lists(st.integers(0, 50_000), min_size=1, max_size=5),
    share=st.floats(min_value=0, max_value=1),
    requests=st.integers(0, 10**8),
)
def test_property_split_with_long_context_tiers(t_in: list[int], t_out: list[int], share: float, requests: int) -> None:
    """gpt-5.4 charges its long-context rates on requests over 272,000 input tokens: prices then
    differ per request, and the split (on the token-weighted effective prices) still adds up."""
    reqs = [_req("x " * n, "y " * m) for n, m in zip(t_in, t_out)]
    rows = forecast_rows(reqs, requests, ["gpt-4.1", "gpt-5.4"], prices=PRICES, cached_share=share)
    for row in rows:
        assert row["saving_tokenizer"] + row["saving_price"] == pytest.approx(row["saving"], rel=1e-9, abs=1e-6)
    price = PRICES.lookup("gpt-5.4")
    assert price.long_context_from == 272_000
    o200k = get_encoding("o200k_base")
    expected_in = expected_out = 0.0
    for r in reqs:
        n_in = count_message_tokens(r.messages, "gpt-5.4")
        n_out = len(o200k.encode_ordinary(r.completion or ""))
        long = n_in > 272_000
        p_in = price.long_input_per_1m if long else price.input_per_1m
        p_cached = price.long_cached_input_per_1m if long else price.cached_input_per_1m
        p_out = price.long_output_per_1m if long else price.output_per_1m
        assert p_in is not None and p_cached is not None and p_out is not None
        expected_in += n_in * ((1 - share) * p_in + share * p_cached)
        expected_out += n_out * p_out
    row = rows[1]
    assert row["input_cost"] == pytest.approx(requests * expected_in / len(reqs) / 1e6, rel=1e-9, abs=1e-9)
    assert row["output_cost"] == pytest.approx(requests * expected_out / len(reqs) / 1e6, rel=1e-9, abs=1e-9)


def test_cached_share_and_batch_change_the_forecast() -> None:
    reqs = [_req(ENGLISH * 20)]
    (plain,) = forecast_rows(reqs, 1_000_000, ["gpt-4.1"], output_tokens=100, prices=PRICES)
    (cached,) = forecast_rows(reqs, 1_000_000, ["gpt-4.1"], output_tokens=100, prices=PRICES, cached_share=0.6)
    (batch,) = forecast_rows(reqs, 1_000_000, ["gpt-4.1"], output_tokens=100, prices=PRICES, batch=True)
    t_in = plain["input_tokens"]
    # gpt-4.1: $2 input, $0.50 cached input, $8 output; batch $1 / $4 (genai-prices)
    assert plain["input_cost"] == pytest.approx(t_in * 2.0)
    assert cached["effective_input_per_1m"] == pytest.approx(0.4 * 2.0 + 0.6 * 0.5)
    assert cached["input_cost"] == pytest.approx(t_in * (0.4 * 2.0 + 0.6 * 0.5))
    assert cached["output_cost"] == plain["output_cost"] == pytest.approx(100 * 8.0)
    assert (batch["input_per_1m"], batch["output_per_1m"]) == (1.0, 4.0)
    assert batch["monthly_cost"] == pytest.approx(plain["monthly_cost"] / 2)
    # A model without a cached-input rate charges cached tokens at its input rate.
    (old,) = forecast_rows(reqs, 1000, ["gpt-4-turbo"], output_tokens=1, prices=PRICES, cached_share=0.6)
    assert old["cached_input_per_1m"] is None and old["effective_input_per_1m"] == 10.0
    with pytest.raises(InputError, match="cached share must be a number from 0 to 1"):
        forecast_rows(reqs, 1, ["gpt-4.1"], output_tokens=1, prices=PRICES, cached_share=1.5)


def test_as_of_prices_o3_before_and_after_its_cut() -> None:
    reqs = [_req("hello")]
    (before,) = forecast_rows(reqs, 1000, ["o3"], output_tokens=10, prices=PRICES, as_of="2025-06-01")
    (after,) = forecast_rows(reqs, 1000, ["o3"], output_tokens=10, prices=PRICES, as_of=dt.date(2025, 7, 1))
    assert (before["input_per_1m"], before["output_per_1m"], before["as_of"]) == (10.0, 40.0, "2025-06-01")
    assert (after["input_per_1m"], after["output_per_1m"], after["since"]) == (2.0, 8.0, "2025-06-10")
    assert after["monthly_cost"] == pytest.approx(before["monthly_cost"] / 5)
    # An alias on a past day is priced as the snapshot it meant then (OpenAI moved gpt-4o on 2024-10-02).
    _, alias = forecast_rows(reqs, 1000, ["gpt-4-turbo", "gpt-4o"], output_tokens=10, prices=PRICES, as_of="2024-06-01")
    assert (alias["priced_as"], alias["input_per_1m"], alias["output_per_1m"]) == ("gpt-4o-2024-05-13", 5.0, 15.0)
    with pytest.raises(InputError, match="gpt-4o was not released on 2024-05-01"):
        forecast_rows(reqs, 1000, ["gpt-4-turbo", "gpt-4o"], output_tokens=10, prices=PRICES, as_of="2024-05-01")


def test_context_window_flags_requests_over_it() -> None:
    long_text = "hello " * 9000  # ~9,000 tokens: over gpt-4's 8,192, under gpt-4o's 128,000
    rows = forecast_rows([_req(long_text), _req("hi")], 10, ["gpt-4", "gpt-4o"], output_tokens=1, prices=PRICES)
    assert (rows[0]["context_window"], rows[0]["over_context"]) == (8192, 1)
    assert (rows[1]["context_window"], rows[1]["over_context"]) == (128000, 0)


def test_non_chat_models() -> None:
    chat = Request([{"role": "user", "content": "hi"}], None, "chats.jsonl:1")
    with pytest.raises(
        InputError, match=r"^chats.jsonl:1: text-embedding-3-small is an embedding model, not a chat model"
    ):
        forecast_rows([chat], 10, ["text-embedding-3-small"], output_tokens=1, prices=PRICES)
    with pytest.raises(InputError, match=r"^chats.jsonl:1: davinci-002 is a completion model"):
        forecast_rows([chat], 10, ["davinci-002"], output_tokens=1, prices=PRICES)
    # A plain-text prompt has no chat framing: an embedding model counts its text, with no output.
    prompt = Request([{"role": "user", "content": "Hello world"}], None, "p.txt", prompt="Hello world")
    (row,) = forecast_rows([prompt], 1_000_000, ["text-embedding-3-small"], output_tokens=50, prices=PRICES)
    assert row["input_tokens"] == len(get_encoding("cl100k_base").encode_ordinary("Hello world"))
    assert row["output_tokens"] == 0 and row["output_cost"] == 0
    assert row["input_cost"] == pytest.approx(
        row["input_tokens"] * PRICES.lookup("text-embedding-3-small").input_per_1m
    )  # type: ignore[operator]


def test_forecast_counts_through_one_tokenizer_per_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each model's tokenizer is resolved once through the interface and counts every text; a
    long prompt and completion (over 1 MiB) take the chunked path and equal encode_ordinary."""
    resolved: list[str] = []
    counted: list[tuple[str, str]] = []

    def recording(spec: str):  # type: ignore[no-untyped-def]
        resolved.append(spec)
        tok = get_tokenizer(spec)
        inner = tok.count
        monkeypatch.setattr(tok, "count", lambda t: counted.append((spec, t)) or inner(t))
        return tok

    monkeypatch.setattr(forecast_module, "get_tokenizer", recording)
    chunked: list[int] = []
    monkeypatch.setattr(messages, "count", lambda t, tok: chunked.append(len(t)) or counting.count(t, tok))
    long = "Tokens, तोकन, トークン <|endoftext|>\n\n  x = [1, 2, 3]\n" * 30_000
    assert len(long) > 1 << 20
    prompt = Request([{"role": "user", "content": long}], "ok", "p.txt", prompt=long)
    reqs = [_req(HINDI, long), prompt]
    models = ["gpt-4o", "gpt-4"]
    rows = forecast_rows(reqs, 1000, models, output_tokens=5, prices=PRICES)
    assert resolved == ["o200k_base", "cl100k_base"]  # once per model, not per text
    assert {spec for spec, _ in counted} == {"o200k_base", "cl100k_base"} and ("o200k_base", HINDI) in counted
    assert chunked == [len(long)] * 4  # per model: the long completion and the long prompt message
    for row, model in zip(rows, models):
        enc = get_encoding(row["encoding"])
        n_long = len(enc.encode_ordinary(long))
        t_in = (count_message_tokens(reqs[0].messages, model) + 3 + 1 + n_long + 3) / 2
        assert row["input_tokens"] == t_in
        assert row["output_tokens"] == (n_long + len(enc.encode_ordinary("ok"))) / 2
    # An embedding model counts the prompt's plain text, also chunked.
    (row,) = forecast_rows([prompt], 1000, ["text-embedding-3-small"], prices=PRICES)
    assert resolved[2:] == ["cl100k_base"] and chunked[4:] == [len(long)]
    assert row["input_tokens"] == len(get_encoding("cl100k_base").encode_ordinary(long))


def test_gpt_oss_uses_harmony_and_unknown_tokenizer_is_one_line() -> None:
    (row,) = forecast_rows([_req("Hello there")], 1000, ["gpt-oss-120b"], output_tokens=5, prices=PRICES)
    assert row["encoding"] == "o200k_harmony" and row["message_rules"].startswith("harmony")
    assert row["input_tokens"] == count_message_tokens([{"role": "user", "content": "Hello there"}], "gpt-oss-120b")
    with pytest.raises(InputError) as info:
        forecast_rows([_req("x")], 1, ["gpt-4o", "gpt-realtime"], output_tokens=1, prices=PRICES)
    assert str(info.value).startswith("gpt-realtime: priced by genai-prices ")
    assert "no tokenizer" in str(info.value) and "\n" not in str(info.value)


def test_read_sample_jsonl_and_text(tmp_path: Path) -> None:
    jsonl = tmp_path / "s.jsonl"
    jsonl.write_text(
        '{"messages": [{"role": "user", "content": "hi"}], "completion": "yo"}\n\n'
        '{"messages": [{"role": "user", "content": "bye"}]}\n',
        encoding="utf-8",
    )
    prompt = tmp_path / "p.txt"
    prompt.write_bytes(b"line one\r\nline two <|endoftext|>\n")
    requests, sha = read_sample([jsonl, prompt])
    assert [r.where for r in requests] == [f"{jsonl}:1", f"{jsonl}:3", str(prompt)]
    assert requests[0].completion == "yo" and requests[1].completion is None
    assert requests[2].messages == [{"role": "user", "content": "line one\r\nline two <|endoftext|>\n"}]
    expected = hashlib.sha256(
        hashlib.sha256(jsonl.read_bytes()).digest() + hashlib.sha256(prompt.read_bytes()).digest()
    )
    assert sha == expected.hexdigest()


@pytest.mark.parametrize(
    "line, problem",
    [
        ("not json", ":2: invalid JSON: Expecting value (column 1)"),
        ('{"completion": "x"}', ':2: no "messages"'),
        ('{"messages": []}', ':2: "messages" must be a non-empty list'),
        ("[1, 2]", ":2: expected a JSON object"),
        ('{"messages": [{"role": "user", "content": "x"}], "completion": 3}', ':2: "completion" must be a string'),
    ],
)
def test_bad_sample_lines(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"messages": [{"role": "user", "content": "ok"}]}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_sample([path])
    assert str(info.value).startswith(f"{path}:2: ") and problem in str(info.value)


def test_a_bad_first_record_is_reported_before_the_rest_is_read(tmp_path: Path) -> None:
    # Line 1 lacks "messages"; what follows is not JSON and not UTF-8. Reading the whole file
    # first would report line 2 or the bad bytes; checking each record as it is read names line 1.
    path = tmp_path / "s.jsonl"
    path.write_bytes(b'{"prompt": "hi"}\n{not json}\n\xff\xfe' + b"x" * (3 << 20) + b"\n")
    with pytest.raises(InputError, match=rf'^{path}:1: no "messages" \(expected'):
        forecast([path], 10, ["gpt-4o"], output_tokens=5, prices=PRICES)
    with pytest.raises(InputError, match=rf'^{path}:1: no "messages"'):
        read_sample([path])


def test_iter_sample_streams_and_forecast_matches_the_list(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    good = '{"messages": [{"role": "user", "content": "%s"}], "completion": "ok %s"}\n'
    path.write_text("".join(good % (f"question {i} " * i, i) for i in range(1, 40)) + "{broken\n", encoding="utf-8")
    stream = iter_sample([path])
    first = next(stream)  # the first request comes before the broken last line is read
    assert first.where == f"{path}:1" and first.completion == "ok 1"
    with pytest.raises(InputError, match=rf"^{path}:40: invalid JSON"):
        list(stream)
    path.write_text("".join(good % (f"question {i} " * i, i) for i in range(1, 40)), encoding="utf-8")
    requests, sha = read_sample([path])
    from_files = forecast([path], 1000, ["gpt-4o", "gpt-4"], prices=PRICES)
    from_list = forecast(requests, 1000, ["gpt-4o", "gpt-4"], prices=PRICES)
    assert from_files.equals(from_list)
    assert from_files.attrs["signature"].settings["sample"] == sha[:12]
    # the mean is over the 39 requests, counted independently with tiktoken and the cookbook rules
    enc = get_encoding("o200k_base")
    mean_out = sum(len(enc.encode_ordinary(r.completion or "")) for r in requests) / len(requests)
    assert from_files.loc[0, "output_tokens"] == pytest.approx(mean_out, rel=1e-12)


def test_bad_message_and_missing_output_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text(
        '{"messages": [{"role": "user", "content": "ok"}], "completion": "x"}\n'
        '{"messages": [{"content": "no role"}], "completion": "x"}\n',
        encoding="utf-8",
    )
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
    [
        ("hi=0.6,en=0.3", "sum to 0.9, not 1"),
        ("hi", "not CODE=WEIGHT"),
        ("hi=x,en=1", "weight 'x' of hi"),
        ("hi=-0.5,en=1.5", "non-negative"),
        ("hi=0.5,hi=0.5", "hi given twice"),
    ],
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
    df = forecast_language_mix(
        "hi=0.6,en=0.4", 10_000, ["gpt-4-turbo", "gpt-4o"], output_tokens=50, prices=PRICES, corpus=corpus
    )
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
    df = forecast_language_mix(
        "hi=0.6,en=0.4",
        1_000_000,
        ["gpt-4-turbo", "gpt-4o-2024-05-13"],
        output_tokens=200,
        prices=PRICES,
        corpus=corpus,
    )
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
