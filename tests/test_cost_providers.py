"""Cost forecasts across providers: every provider's prices against genai-prices itself, names
(``provider:model``, bare names, ambiguity), each model's tokenizer, stand-ins, reasoning tokens,
exact money, tools, price-file limits and many models at once.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from genai_prices import Usage, calc_price
from genai_prices.data_snapshot import get_snapshot

from tokstats.cost._forecast import Request, forecast, forecast_rows
from tokstats.cost._messages import count_message_tokens
from tokstats.cost._price_source import AmbiguousModelError, load_source
from tokstats.cost._prices import PriceUnavailableError, load_prices
from tokstats.errors import InputError, UnknownNameError
from tokstats.tokenizers._registry import get_tokenizer, spec_for_model

TABLE = load_prices(use_env=False)
SOURCE = load_source()
TODAY = dt.date.today()
STAMP = dt.datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=dt.UTC)
PROMPT = "How much does shipping to Bangkok cost? ค่าส่งไปกรุงเทพเท่าไหร่"


def _request(text: str = PROMPT) -> Request:
    return Request([{"role": "user", "content": text}], None, "prompt.txt", prompt=text)


# -- every provider's prices and names, against genai-prices itself ---------------------------------

SAMPLE_PROVIDERS = [
    "groq",
    "together",
    "fireworks",
    "cerebras",
    "aws",
    "mistral",
    "novita",
    "openrouter",
    "huggingface_groq",
    "huggingface_together",
    "anthropic",
    "google",
    "azure",
    "deepseek",
    "cloudflare",
]


@pytest.mark.parametrize("provider", SAMPLE_PROVIDERS)
def test_provider_prices_equal_genai_prices(provider: str) -> None:
    """Each model of the provider, by its first exact name as ``provider:name``: the entry
    genai-prices picks and its price for 1M input and 1M output tokens today."""
    snapshot = get_snapshot()
    checked = 0
    for entry in SOURCE.provider(provider).models:  # type: ignore[union-attr]
        for name in entry.names[:1]:
            _, model = snapshot.find_provider_model(name, None, provider, None)
            price = TABLE.quote(f"{provider}:{name}")
            if entry.hourly:
                assert "quoted at 12:00 UTC" in price.note
            assert (price.provider, price.priced_as) == (provider, model.id), name
            assert model.id == entry.id
            if price.input_per_1m is None or price.long_context_from is not None:
                continue
            usage = Usage(input_tokens=10**6, output_tokens=10**6)
            calc = calc_price(usage, name, provider_id=provider, genai_request_timestamp=STAMP)
            assert Decimal(repr(price.input_per_1m)) == calc.input_price, name
            assert Decimal(repr(price.output_per_1m or 0.0)) == calc.output_price, name
            checked += 1
    assert checked >= 1


def test_bare_names_go_where_genai_prices_sends_them() -> None:
    """Every exact name genai-prices resolves without a provider (by its providers' model_match
    rules) resolves to the same provider and model here."""
    snapshot = get_snapshot()
    checked = 0
    for entry in SOURCE.models:
        for name in entry.names[:1]:
            try:
                provider, model = snapshot.find_provider_model(name, None, None, None)
            except LookupError:
                continue
            found = SOURCE.resolve(name)
            assert found is not None and (found.provider.id, found.model.id) == (provider.id, model.id), name
            checked += 1
    assert checked >= 200


@pytest.mark.parametrize(
    ("name", "provider", "entry"),
    [
        ("gpt-4o", "openai", "gpt-4o"),
        ("openai:gpt-4o", "openai", "gpt-4o"),
        ("mistral-large-2411", "mistral", "mistral-large"),
        ("claude-3-5-sonnet", "anthropic", "claude-3-5-sonnet"),
        ("chatgpt-4o-latest", "openai", "chatgpt-4o-latest"),  # also on openrouter: the maker wins
        ("xai:grok-3", "x-ai", "grok-3"),  # a provider by its provider_match rule
        ("azure:gpt-4o", "azure", "gpt-4o"),
        ("aws:amazon.nova-lite-v1:0", "aws", "amazon.nova-lite-v1:0"),
        ("amazon.nova-lite-v1:0", "aws", "amazon.nova-lite-v1:0"),  # a colon inside a bare name
        ("together:meta-llama/Llama-3.3-70B-Instruct-Turbo", "together", "meta-llama/Llama-3.3-70B-Instruct-Turbo"),
    ],
)
def test_names_resolve(name: str, provider: str, entry: str) -> None:
    found = SOURCE.resolve(name)
    assert found is not None and (found.provider.id, found.model.id) == (provider, entry)


def test_an_ambiguous_bare_name_lists_its_providers_in_one_line() -> None:
    with pytest.raises(AmbiguousModelError) as info:
        TABLE.lookup("Qwen/Qwen3-32B")
    message = str(info.value)
    assert "\n" not in message and "groq:Qwen/Qwen3-32B" in message and "openrouter:Qwen/Qwen3-32B" in message
    from genai_prices.data import providers

    # the package's own matching, provider by provider (no fallbacks)
    servers = {p.id for p in providers if p.find_model("qwen/qwen3-32b") is not None}
    assert message.startswith(f"model 'Qwen/Qwen3-32B' is served by {len(servers)} providers")
    with pytest.raises(UnknownNameError, match=r"^unknown priced model 'foo:bar'.*'foo' is not a provider"):
        TABLE.lookup("foo:bar")


def test_done_when_prices() -> None:
    groq = TABLE.lookup("groq:llama-3.3-70b-versatile")
    assert (groq.tokenizer, groq.input_per_1m, groq.output_per_1m) == ("llama3", 0.59, 0.79)
    mistral = TABLE.lookup("mistral:mistral-large-2411")
    assert (mistral.tokenizer, mistral.input_per_1m, mistral.output_per_1m) == ("mistral-v7", 2.0, 6.0)
    bare = TABLE.lookup("mistral-large-2411")
    assert (bare.provider, bare.tokenizer, bare.input_per_1m, bare.output_per_1m) == ("mistral", "mistral-v7", 2.0, 6.0)
    june = TABLE.lookup("gpt-4o", dt.date(2024, 6, 1))
    assert (june.priced_as, june.input_per_1m, june.output_per_1m) == ("gpt-4o-2024-05-13", 5.0, 15.0)


def test_prices_list_every_provider_with_tokenizers(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("prices", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)["rows"]
    assert len(rows) == len(SOURCE.models) >= 2000
    assert len({row["provider"] for row in rows}) >= 40
    assert sum(row["tokenizer"] != "unknown" for row in rows) >= 500
    assert all(row["model"].startswith(row["provider"] + ":") for row in rows)
    r = run_cli("prices", "--provider", "groq", "--family", "llama", "--format", "json")
    rows = json.loads(r.stdout)["rows"]
    assert rows and {(row["provider"], row["family"]) for row in rows} == {("groq", "llama")}
    assert {row["tokenizer"] for row in rows} == {"llama3", "llama4"}
    r = run_cli("prices", "LLAMA-3.3-70b", "--format", "json")
    rows = json.loads(r.stdout)["rows"]
    assert len({row["provider"] for row in rows}) >= 5 and all("llama-3.3-70b" in row["model"].lower() for row in rows)
    r = run_cli("prices", "--provider", "nope")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "unknown provider 'nope'" in r.stderr


# -- each model's tokenizer ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "spec"),
    [
        ("groq:llama-3.3-70b-versatile", "llama3"),
        ("together:meta-llama/Llama-3.3-70B-Instruct-Turbo", "llama3"),
        ("fireworks:accounts/fireworks/models/llama-v3p1-8b-instruct", "llama3"),
        ("aws:meta.llama3-1-70b-instruct-v1:0", "llama3"),
        ("ovhcloud:Meta-Llama-3_3-70B-Instruct", "llama3"),
        ("cloudflare:@cf/meta/llama-3.1-8b-instruct", "llama3"),
        ("cerebras:llama3.1-8b", "llama3"),
        ("groq:deepseek-r1-distill-llama-70b", "llama3"),
        ("groq:meta-llama/llama-4-scout-17b-16e-instruct", "llama4"),
        ("aws:meta.llama4-maverick-17b-instruct-v1:0", "llama4"),
        ("huggingface_nscale:Qwen/QwQ-32B", "qwen"),
        ("cloudflare:@cf/deepseek-ai/deepseek-r1-distill-qwen-32b", "qwen"),
        ("together:Qwen/Qwen1.5-7B", "qwen"),
        ("groq:Qwen/Qwen3-32B", "qwen"),
        ("mistral:mistral-large-2411", "mistral-v7"),
        ("cerebras:gpt-oss-120b", "o200k_harmony"),
        ("openrouter:openai/gpt-4o", "o200k_base"),
        ("gpt-4-turbo", "cl100k_base"),
        ("azure:gpt-4o", "o200k_base"),
    ],
)
def test_priced_models_carry_their_tokenizer(model: str, spec: str) -> None:
    assert TABLE.lookup(model).tokenizer == spec


@pytest.mark.parametrize(
    "model",
    [
        "anthropic:claude-3-5-sonnet",
        "google:gemini-2.5-pro",
        "deepseek:deepseek-chat",
        "together:meta-llama/Llama-2-70b-chat-hf",
        "together:Qwen/Qwen3.5-9B",  # a larger vocabulary than qwen's
        "x-ai:grok-3",
    ],
)
def test_models_without_a_known_tokenizer_are_unknown_and_refused(model: str) -> None:
    price = TABLE.quote(model)
    assert price.tokenizer is None and price.as_row()["tokenizer"] == "unknown"
    with pytest.raises(PriceUnavailableError) as info:
        forecast_rows([_request()], 10, [model], output_tokens=5, prices=TABLE)
    assert str(info.value).startswith(f"{model}: ") and "--tokenizer-for" in str(info.value)
    assert "\n" not in str(info.value)


def test_mistral_models_use_the_version_mistral_common_maps_them_to() -> None:
    from mistral_common.tokens.tokenizers.mistral import MODEL_NAME_TO_TOKENIZER_CLS

    checked = 0
    for row in TABLE.rows(family="mistral"):
        name = row["model"].split(":", 1)[1]
        for candidate in {name, *row["names"].split(",")}:
            if candidate in MODEL_NAME_TO_TOKENIZER_CLS:
                # mistral-common's own tokenizer for that name: its version, SentencePiece or Tekken
                inner = MODEL_NAME_TO_TOKENIZER_CLS[candidate]().instruct_tokenizer.tokenizer
                version = inner.version.value
                tekken = type(inner).__name__ == "Tekkenizer"
                assert spec_for_model(candidate) == ("tekken" if tekken else f"mistral-{version}"), candidate
                checked += 1
    assert checked >= 2


# -- forecasts ----------------------------------------------------------------------------------------


def test_stand_in_tokenizer_prices_approximately(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = forecast_rows(
        [_request()],
        1000,
        ["gpt-4o", "anthropic:claude-3-5-sonnet"],
        output_tokens=100,
        prices=TABLE,
        tokenizer_for={"anthropic:claude-3-5-sonnet": "o200k_base"},
    )
    gpt, claude = rows
    assert (gpt["approximate"], claude["approximate"]) == (False, True)
    assert claude["tokenizer"] == "o200k_base" and "approximate" in claude["note"]
    expected = count_message_tokens([{"role": "user", "content": PROMPT}], "gpt-4o")  # the stand-in's framing
    assert claude["input_tokens"] == expected
    assert claude["monthly_cost"] == float(Decimal(1000) * (expected * Decimal("3") + 100 * Decimal("15")) / 10**6)
    prompt = tmp_path / "p.txt"
    prompt.write_text(PROMPT, encoding="utf-8")
    argv = ["cost", str(prompt), "--requests", "1000", "--models", "gpt-4o,anthropic:claude-3-5-sonnet"]
    r = run_cli(*argv, "--output-tokens", "100")
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert "anthropic:claude-3-5-sonnet: priced by genai-prices" in r.stderr and "--tokenizer-for" in r.stderr
    r = run_cli(*argv, "--output-tokens", "100", "--tokenizer-for", "anthropic:claude-3-5-sonnet=o200k_base")
    assert r.returncode == 0, r.stderr
    assert "~anthropic:claude-3-5-sonnet" in r.stdout and "~ approximate: counted with a stand-in" in r.stdout
    r = run_cli(*argv, "--output-tokens", "100", "--tokenizer-for", "anthropic:claude-3-5-sonnet=nope")
    assert r.returncode == 2 and "unknown tokenizer 'nope'" in r.stderr


def test_reasoning_tokens_are_charged_at_the_output_rate(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    prompt = tmp_path / "p.txt"
    prompt.write_text(PROMPT, encoding="utf-8")
    base = ["cost", str(prompt), "--requests", "1000", "--models", "o3", "--output-tokens", "100", "--format", "json"]
    plain = json.loads(run_cli(*base).stdout)["rows"][0]
    more = json.loads(run_cli(*base, "--reasoning-tokens", "500").stdout)["rows"][0]
    # o3 today: $8 per 1M output tokens (genai-prices 0.2.3)
    assert more["output_per_1m"] == 8.0 and more["reasoning_tokens"] == 500.0 and plain["reasoning_tokens"] == 0.0
    assert more["output_tokens"] == plain["output_tokens"] + 500
    assert Decimal(repr(more["output_cost"])) - Decimal(repr(plain["output_cost"])) == Decimal(1000 * 500 * 8) / 10**6
    assert more["input_cost"] == plain["input_cost"]
    assert "hidden reasoning tokens not counted" in plain["note"] and "hidden" not in more["note"]
    table = run_cli(*base[:-2])
    assert "hidden reasoning tokens were not counted" in table.stdout
    # A JSONL record's own usage wins over --reasoning-tokens.
    chats = tmp_path / "chats.jsonl"
    usage = {"completion_tokens_details": {"reasoning_tokens": 1200}}
    lines = [
        {"messages": [{"role": "user", "content": "hi"}], "completion": "hello", "usage": usage},
        {"messages": [{"role": "user", "content": "hi"}], "completion": "hello"},
    ]
    chats.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    df = forecast([chats], 10, ["o3"], reasoning_tokens=100, prices=TABLE)
    assert df["reasoning_tokens"].tolist() == [(1200 + 100) / 2]
    chats.write_text(json.dumps({**lines[0], "usage": {"completion_tokens_details": {"reasoning_tokens": -1}}}))
    with pytest.raises(InputError, match=r"chats.jsonl:1: usage.completion_tokens_details.reasoning_tokens must be"):
        forecast([chats], 10, ["o3"], prices=TABLE)


def test_money_is_exact_decimal() -> None:
    """0.59 × 3 + … in floats shows noise (1.7699999999999998); the forecast's amounts are the
    exact decimals, as floats that print as those decimals."""
    rows = forecast_rows(
        [_request("a b c")], 3, ["gpt-4o-mini", "gpt-4.1-nano"], output_tokens=7, prices=TABLE, cached_share=0.3
    )
    for row in rows:
        price = TABLE.lookup(row["model"])
        n_in, n_out = Decimal(repr(row["input_tokens"])), Decimal(repr(row["output_tokens"]))
        p_in, p_out = Decimal(repr(price.input_per_1m)), Decimal(repr(price.output_per_1m))
        p_cached = Decimal(repr(price.cached_input_per_1m))
        p_mixed = Decimal("0.7") * p_in + Decimal("0.3") * p_cached
        exact = 3 * (n_in * p_mixed + n_out * p_out) / 10**6
        assert Decimal(repr(row["monthly_cost"])) == exact, row["model"]
        assert Decimal(repr(row["saving_tokenizer"])) + Decimal(repr(row["saving_price"])) == Decimal(
            repr(row["saving"])
        )
    # What float arithmetic gives for such sums, and what the decimal gives:
    assert (repr(0.1 * 3), repr(float(Decimal("0.1") * 3))) == ("0.30000000000000004", "0.3")


def test_tools_in_a_jsonl_request_are_charged(tmp_path: Path) -> None:
    tools = [
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "description": "Get the weather in a city.",
                "parameters": {
                    "type": "object",
                    "properties": {"city": {"type": "string", "description": "The city"}},
                },
            },
        }
    ]
    messages = [{"role": "user", "content": "Weather in Paris?"}]
    chats = tmp_path / "chats.jsonl"
    chats.write_text(json.dumps({"messages": messages, "completion": "Sunny", "tools": tools}) + "\n", "utf-8")
    df = forecast([chats], 10, ["gpt-4o"], prices=TABLE)
    with_tools = count_message_tokens(messages, "gpt-4o", tools=tools)
    assert df["input_tokens"].tolist() == [with_tools] and with_tools > count_message_tokens(messages, "gpt-4o")
    chats.write_text(json.dumps({"messages": messages, "tools": "get_weather"}) + "\n", "utf-8")
    with pytest.raises(InputError, match=r'chats.jsonl:1: "tools" must be a list of tool definition objects'):
        forecast([chats], 10, ["gpt-4o"], prices=TABLE, output_tokens=1)


def test_models_are_grouped_by_provider_baseline_first() -> None:
    rows = forecast_rows(
        [_request()],
        10,
        ["gpt-4o", "anthropic:claude-3-5-haiku", "google:claude-3-5-haiku", "gpt-4o-mini"],
        output_tokens=5,
        prices=TABLE,
        tokenizer_for={"anthropic:claude-3-5-haiku": "o200k_base", "google:claude-3-5-haiku": "o200k_base"},
    )
    assert [r["model"] for r in rows] == [
        "gpt-4o",
        "gpt-4o-mini",
        "anthropic:claude-3-5-haiku",
        "google:claude-3-5-haiku",
    ]
    assert rows[0]["saving"] == 0.0


def test_dozens_of_models_in_cost_and_plot(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = TABLE.rows(provider="openai", family="openai")
    models = [
        r["model"]
        for r in rows
        if r["kind"] in ("chat", "reasoning") and r["names"] and not r["model"].startswith("openai:ft:")
    ]
    models = [m for m in models if TABLE.quote(m).input_per_1m is not None][:30]
    assert len(models) == 30
    prompt = tmp_path / "p.txt"
    prompt.write_text(PROMPT, encoding="utf-8")
    chart = tmp_path / "cost.png"
    r = run_cli(
        "cost", str(prompt), "--requests", "10", "--models", ",".join(models), "--output-tokens", "5",
        "--format", "csv", "--plot", str(chart),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert chart.stat().st_size > 10_000
    lines = [line for line in r.stdout.splitlines() if line and not line.startswith("#")]
    assert len(lines) >= 31


def test_plot_marks_approximate_rows() -> None:
    from tokstats.plots.cost import plot_cost

    rows = forecast_rows(
        [_request()],
        10,
        ["gpt-4o", "anthropic:claude-3-5-haiku"],
        output_tokens=5,
        prices=TABLE,
        tokenizer_for={"anthropic:claude-3-5-haiku": "o200k_base"},
    )
    fig = plot_cost(rows)
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels == ["gpt-4o", "~anthropic:claude-3-5-haiku"]
    assert any("approximate" in t.get_text() for t in fig.axes[0].texts)


def test_as_of_after_the_snapshot_warns_and_alias_history_shows(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    prompt = tmp_path / "p.txt"
    prompt.write_text(PROMPT, encoding="utf-8")
    later = dt.date.fromisoformat(SOURCE.provenance["copied"]) + dt.timedelta(days=30)
    argv = ["cost", str(prompt), "--requests", "10", "--models", "gpt-4o", "--output-tokens", "5", "--format", "json"]
    r = run_cli(*argv, "--as-of", later.isoformat())
    assert r.returncode == 0 and r.stderr.count("\n") == 1 and "warning: prices for" in r.stderr
    r = run_cli(*argv, "--as-of", "2024-06-01")
    row = json.loads(r.stdout)["rows"][0]
    assert (row["priced_as"], row["input_per_1m"], row["output_per_1m"]) == ("gpt-4o-2024-05-13", 5.0, 15.0)
    assert r.stderr == ""


def test_huge_or_binary_price_files_are_refused_in_one_line(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tokstats.defaults import MAX_PRICE_FILE_BYTES

    huge = tmp_path / "huge.csv"
    with huge.open("wb") as f:  # sparse: no time spent writing it
        f.truncate(MAX_PRICE_FILE_BYTES + 1)
    r = run_cli("prices", "--prices", str(huge))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "too large for a price file" in r.stderr
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"model,encoding\x00\x01\x02")
    r = run_cli("prices", "--prices", str(binary))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "binary data" in r.stderr
    from tokstats.defaults import MAX_PRICE_FILE_ROWS

    many = tmp_path / "many.csv"
    rows = [f"m{i},o200k_base,1,,2,https://example.com,2026-01-01" for i in range(MAX_PRICE_FILE_ROWS + 1)]
    many.write_text("model,encoding,input_per_1m,cached_input_per_1m,output_per_1m,source,as_of\n" + "\n".join(rows))
    r = run_cli("prices", "--prices", str(many))
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert f"many.csv:{MAX_PRICE_FILE_ROWS + 2}: more than {MAX_PRICE_FILE_ROWS:,} price rows" in r.stderr


# -- chat-framed counts of other families (need the families' chat framing) ---------------------------


def test_done_when_groq_llama_and_mistral_forecasts() -> None:
    messages = [{"role": "user", "content": PROMPT}]
    rows = forecast_rows(
        [_request()], 1000, ["groq:llama-3.3-70b-versatile", "mistral:mistral-large-2411"], output_tokens=10
    )
    llama, mistral = rows
    assert (llama["tokenizer"], llama["input_per_1m"], llama["output_per_1m"]) == ("llama3", 0.59, 0.79)
    assert llama["input_tokens"] == count_message_tokens(
        messages, "llama-3.3-70b-versatile", tokenizer=get_tokenizer("llama3")
    )
    assert (mistral["tokenizer"], mistral["input_per_1m"], mistral["output_per_1m"]) == ("mistral-v7", 2.0, 6.0)
    from mistral_common.protocol.instruct.messages import UserMessage
    from mistral_common.protocol.instruct.request import ChatCompletionRequest
    from mistral_common.tokens.tokenizers.mistral import MODEL_NAME_TO_TOKENIZER_CLS

    tok = MODEL_NAME_TO_TOKENIZER_CLS["mistral-large-2411"]()
    expected = len(tok.encode_chat_completion(ChatCompletionRequest(messages=[UserMessage(content=PROMPT)])).tokens)
    assert mistral["input_tokens"] == expected
