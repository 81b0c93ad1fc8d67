"""``tokstats cost`` through the command line, offline, as a user runs it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from tokstats import get_encoding
from tokstats.cost._messages import count_message_tokens
from tokstats.cost._price_source import load_source
from tokstats.cost._prices import REQUIRED

HINDI = "नमस्ते, आप कैसे हैं?"


def _sample(tmp_path: Path) -> Path:
    path = tmp_path / "chats.jsonl"
    lines = [
        {
            "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": HINDI}],
            "completion": "मैं ठीक हूँ।",
        },
        {"messages": [{"role": "user", "content": "What is 2+2?", "name": "bob"}], "completion": "4"},
    ]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    return path


def test_json_rows_match_the_arithmetic(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sample = _sample(tmp_path)
    r = run_cli("cost", str(sample), "--requests", "200000", "--models", "gpt-4-turbo,gpt-4o-mini", "--format", "json")
    assert r.returncode == 0, r.stderr
    obj = json.loads(r.stdout)
    assert set(obj) == {"signature", "rows"}
    assert obj["signature"]["requests"] == "200000" and obj["signature"]["messages"] == "openai-cookbook"
    messages = [json.loads(line)["messages"] for line in sample.read_text("utf-8").splitlines()]
    completions = [json.loads(line)["completion"] for line in sample.read_text("utf-8").splitlines()]
    prices = {"gpt-4-turbo": (10.0, 30.0), "gpt-4o-mini": (0.15, 0.60)}  # genai-prices 0.2.3
    for row in obj["rows"]:
        model = row["model"]
        enc = get_encoding(row["encoding"])
        t_in = sum(count_message_tokens(m, model) for m in messages) / 2
        t_out = sum(len(enc.encode_ordinary(c)) for c in completions) / 2
        p_in, p_out = prices[model]
        assert (row["input_tokens"], row["output_tokens"]) == (t_in, t_out)
        assert (row["input_per_1m"], row["output_per_1m"]) == (p_in, p_out)
        assert row["monthly_cost"] == pytest.approx(200000 * (t_in * p_in + t_out * p_out) / 1e6)
        assert row["saving_tokenizer"] + row["saving_price"] == pytest.approx(row["saving"])
    assert [r["as_of"] for r in obj["rows"]] == [dt.date.today().isoformat()] * 2
    assert {r["source"] for r in obj["rows"]} == {load_source().label}
    assert obj["signature"]["prices"].startswith("genai-prices-")
    assert [r["encoding"] for r in obj["rows"]] == ["cl100k_base", "o200k_base"]


def test_table_has_saving_split_and_signature(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("cost", str(_sample(tmp_path)), "--requests", "1000", "--models", "gpt-4,gpt-4o,gpt-5")
    assert r.returncode == 0, r.stderr
    header = r.stdout.splitlines()[0].split()
    assert header[0] == "model" and {"monthly_cost", "saving", "saving_tokenizer", "saving_price"} <= set(header)
    assert all(len(line) <= 100 for line in r.stdout.splitlines()[:-1])  # fits a terminal; --wide: all
    assert "--wide" in r.stdout
    text = " ".join(r.stdout.split())  # notes are wrapped at 100 columns
    assert f"prices as of {dt.date.today()} (today): genai-prices " in text
    assert "chat framing assumed" in text and "gpt-5" in text
    wide = run_cli("cost", str(_sample(tmp_path)), "--requests", "1000", "--models", "gpt-4,gpt-4o,gpt-5", "--wide")
    assert wide.stdout.splitlines()[0].split()[:3] == ["model", "tokenizer", "input_tokens"]
    assert "since" in wide.stdout.splitlines()[0].split()
    assert r.stdout.splitlines()[-1].startswith("signature: tokstats:")


def test_text_prompt_with_override_prices_and_csv(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    prompt = tmp_path / "prompt.txt"
    prompt.write_text("Summarise this: <|endoftext|> is just text.", encoding="utf-8")
    prices = tmp_path / "prices.csv"
    prices.write_text(",".join(REQUIRED) + "\ngpt-4o,,4,,16,our contract,2026-01-01\n", encoding="utf-8")
    r = run_cli(
        "cost",
        str(prompt),
        "--requests",
        "1000000",
        "--models",
        "gpt-4o",
        "--output-tokens",
        "250",
        "--prices",
        str(prices),
        "--format",
        "csv",
    )
    assert r.returncode == 0, r.stderr
    sig = r.stderr.splitlines()[-1]
    assert sig.startswith("# signature: ") and "+prices.csv@" in sig
    row = next(csv.DictReader(io.StringIO(r.stdout)))
    t_in = count_message_tokens([{"role": "user", "content": prompt.read_text("utf-8")}], "gpt-4o")
    assert float(row["input_tokens"]) == t_in and float(row["output_tokens"]) == 250
    assert float(row["monthly_cost"]) == pytest.approx(t_in * 4 + 250 * 16)  # 1e6 requests cancel the /1e6
    assert row["since"] == "2026-01-01" and row["source"] == "our contract"


def test_plot_file(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "cost.png"
    r = run_cli("cost", str(_sample(tmp_path)), "--requests", "10", "--models", "gpt-4,gpt-4o", "--plot", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_language_mix_smoke(run_cli) -> None:  # type: ignore[no-untyped-def]
    import tokstats

    if "parallel" not in tokstats.list_corpora():
        pytest.skip("corpora/parallel.json is not present yet")
    r = run_cli(
        "cost",
        "--language-mix",
        "hi=0.6,en=0.4",
        "--requests",
        "1000",
        "--models",
        "gpt-4-turbo,gpt-4o",
        "--output-tokens",
        "100",
        "--format",
        "json",
    )
    assert r.returncode == 0, r.stderr
    obj = json.loads(r.stdout)
    assert obj["signature"]["corpus"]["name"] == "parallel"
    assert obj["rows"][1]["input_tokens"] < obj["rows"][0]["input_tokens"]


@pytest.mark.parametrize(
    "content, args, problem",
    [
        (
            '{"messages": [{"role": "user", "content": "ok"}], "completion": "x"}\nnot json\n',
            [],
            "{path}:2: invalid JSON: Expecting value (column 1)",
        ),
        ('{"completion": "x"}\n', [], '{path}:1: no "messages"'),
        # a bad line 1 is reported as soon as it is read, before the (here unreadable) rest
        ('{"prompt": "x"}\n{not json}\n', [], '{path}:1: no "messages"'),
        (
            '{"messages": [{"role": "user", "content": "ok"}]}\n',
            [],
            '{path}:1: no "completion" to count output tokens from; add --output-tokens K',
        ),
        (
            '{"messages": [{"role": "user", "content": "ok"}], "completion": "x"}\n',
            ["--models", "gpt-4o,gpt-nope"],
            "unknown priced model 'gpt-nope'",
        ),
        (
            '{"messages": [{"role": "user", "content": "ok"}], "completion": "x"}\n',
            ["--language-mix", "en=1"],
            "give either SAMPLE files or --language-mix, not both",
        ),
    ],
)
def test_bad_input_one_line_exit_2(run_cli, tmp_path: Path, content: str, args: list[str], problem: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "s.jsonl"
    path.write_text(content, encoding="utf-8")
    argv = ["cost", str(path), "--requests", "10"] + (args if "--models" in args else ["--models", "gpt-4o", *args])
    r = run_cli(*argv)
    assert r.returncode == 2
    assert r.stdout == ""  # nothing printed as if it had been counted
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert r.stderr.startswith("tokstats cost: error: ")
    assert problem.format(path=path) in r.stderr


def test_bad_price_file_and_mix(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    prices = tmp_path / "p.csv"
    prices.write_text("model,input_per_1m\ngpt-4o,1\n", encoding="utf-8")
    r = run_cli("cost", str(_sample(tmp_path)), "--requests", "1", "--models", "gpt-4o", "--prices", str(prices))
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith(f"tokstats cost: error: {prices}:1: missing columns encoding, cached_input_per_1m")
    r = run_cli(
        "cost", "--language-mix", "hi=0.5,en=0.2", "--requests", "1", "--models", "gpt-4o", "--output-tokens", "1"
    )
    assert r.returncode == 2 and "weights sum to 0.7, not 1" in r.stderr
    r = run_cli("cost", "--requests", "1", "--models", "gpt-4o")
    assert r.returncode == 2 and "nothing to forecast" in r.stderr


def test_cost_help_documents_the_split(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("cost", "--help")
    assert r.returncode == 0
    assert "saving_tokenizer" in r.stdout and "--language-mix" in r.stdout and "Example" in r.stdout


def test_done_when_models_as_users_write_them(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = run_cli(
        "cost",
        str(_sample(tmp_path)),
        "--requests",
        "1000",
        "--models",
        "gpt-4o-2024-08-06,o3-pro,gpt-5",
        "--format",
        "json",
    )
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)["rows"]
    assert [(x["model"], x["priced_as"]) for x in rows] == [
        ("gpt-4o-2024-08-06", "gpt-4o"),
        ("o3-pro", "o3-pro"),
        ("gpt-5", "gpt-5"),
    ]
    assert [(x["input_per_1m"], x["output_per_1m"]) for x in rows] == [(2.5, 10.0), (20.0, 80.0), (1.25, 10.0)]


@pytest.mark.parametrize("day, prices", [("2025-06-01", (10.0, 40.0)), ("2025-07-01", (2.0, 8.0))])
def test_as_of_prices_o3(run_cli, tmp_path: Path, day: str, prices: tuple[float, float]) -> None:  # type: ignore[no-untyped-def]
    r = run_cli(
        "cost", str(_sample(tmp_path)), "--requests", "1000", "--models", "o3", "--as-of", day, "--format", "json"
    )
    assert r.returncode == 0, r.stderr
    obj = json.loads(r.stdout)
    assert (obj["rows"][0]["input_per_1m"], obj["rows"][0]["output_per_1m"]) == prices
    assert obj["rows"][0]["as_of"] == day and obj["signature"]["as_of"] == day


def test_cached_share_batch_and_one_line_refusals(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sample = str(_sample(tmp_path))
    base = ["cost", sample, "--requests", "1000", "--models", "gpt-4.1,gpt-5", "--format", "json"]
    plain = json.loads(run_cli(*base).stdout)
    r = run_cli(*base, "--cached-share", "0.6", "--batch")
    assert r.returncode == 0, r.stderr
    both = json.loads(r.stdout)
    assert both["signature"]["cached_share"] == "0.6" and both["signature"]["batch"] == "yes"
    for p, b in zip(plain["rows"], both["rows"]):
        assert b["monthly_cost"] < p["monthly_cost"]
        assert b["saving_tokenizer"] + b["saving_price"] == pytest.approx(b["saving"])
    for args, problem in [
        (["--as-of", "2025-07-01", "--batch"], "records batch rates from 2026-10-14 on"),
        (["--as-of", "2024-05-01", "--models", "gpt-4o"], "gpt-4o was not released on 2024-05-01"),
        (["--models", "gpt-realtime"], "tokstats has no tokenizer for it; name a stand-in"),
        (["--models", "text-embedding-3-small"], "text-embedding-3-small is an embedding model, not a chat model"),
        (["--cached-share", "1.5"], "--cached-share '1.5' is not a share from 0 to 1"),
        (["--as-of", "20250701"], "--as-of '20250701' is not a date (YYYY-MM-DD)"),
    ]:
        argv = ["cost", sample, "--requests", "10"] + (args if "--models" in args else ["--models", "o3", *args])
        r = run_cli(*argv)
        assert r.returncode == 2 and r.stdout == "", args
        assert r.stderr.count("\n") == 1 and problem in r.stderr, r.stderr


def test_context_window_warning(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "long.jsonl"
    path.write_text(
        json.dumps({"messages": [{"role": "user", "content": "hello " * 9000}], "completion": "ok"}) + "\n",
        encoding="utf-8",
    )
    r = run_cli("cost", str(path), "--requests", "10", "--models", "gpt-4,gpt-4o")
    assert r.returncode == 0, r.stderr
    assert "1 sample request(s) exceed gpt-4's context window (8,192 input tokens)" in r.stdout
    assert r.stderr == "tokstats cost: warning: 1 sample request(s) exceed gpt-4's context window of 8,192 tokens\n"


def test_cost_plot_is_plot_cost(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """cost --plot and plot cost share one implementation: same bytes, same formats, folders made."""
    sample = str(_sample(tmp_path))
    workload = ["--requests", "10", "--models", "gpt-4,gpt-4o"]
    for suffix, magic in ((".png", b"\x89PNG"), (".pdf", b"%PDF"), (".svg", b"<?xm")):
        a = tmp_path / "new" / "folder" / f"cost{suffix}"  # a missing folder is created
        b = tmp_path / f"plot{suffix}"
        r = run_cli("cost", sample, *workload, "--plot", str(a))
        assert r.returncode == 0, r.stderr
        assert "monthly_cost" in r.stdout and r.stderr == f"wrote {a} ({suffix[1:].upper()})\n"
        r = run_cli("plot", "cost", sample, *workload, "--output", str(b))
        assert r.returncode == 0, r.stderr
        assert a.read_bytes()[:4] == magic
        if suffix == ".png":
            assert a.read_bytes() == b.read_bytes()
    r = run_cli("cost", sample, *workload, "--plot", str(tmp_path / "cost.jpg"))
    assert (r.returncode, r.stdout) == (2, "")  # refused before counting, nothing printed
    assert (
        r.stderr
        == f"tokstats cost: error: --plot {tmp_path / 'cost.jpg'}: unknown image type '.jpg'; use .png, .svg or .pdf\n"
    )
