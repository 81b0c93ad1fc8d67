"""The price table: every shipped row has provenance; user files override, extend, and fail clearly."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tokstats.encodings import encoding_name_for_model
from tokstats.errors import InputError, UnknownNameError
from tokstats.prices import COLUMNS, REQUIRED, SHIPPED, load_prices, read_price_file

HEADER = ",".join(REQUIRED)


def _write(tmp_path: Path, *lines: str, name: str = "p.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_shipped_rows_have_source_date_and_tiktoken_encoding() -> None:
    table = load_prices(use_env=False)
    for price in table.prices.values():
        assert price.source.startswith("https://"), price.model
        assert dt.date.fromisoformat(price.as_of) <= dt.date(2026, 12, 31)
        assert price.encoding == encoding_name_for_model(price.model), price.model
        assert price.input_per_1m > 0 and price.output_per_1m > 0
        assert "not re-fetched" in price.note  # says honestly that prices were not re-verified online


def test_shipped_table_covers_the_families() -> None:
    table = load_prices(use_env=False)
    for model in ("gpt-3.5-turbo", "gpt-4", "gpt-4-turbo", "gpt-4o-2024-05-13", "gpt-4o", "gpt-4o-mini",
                  "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "o1", "o3", "o3-mini", "o4-mini",
                  "gpt-5", "gpt-5-mini", "gpt-5-nano"):
        assert model in table, model


def test_published_launch_prices() -> None:
    table = load_prices(use_env=False)
    # GPT-4o launched at half of GPT-4 Turbo's price (openai.com/index/hello-gpt-4o/, 2024-05-13).
    assert (table["gpt-4o-2024-05-13"].input_per_1m, table["gpt-4o-2024-05-13"].output_per_1m) == (5.0, 15.0)
    assert table["gpt-4-turbo"].input_per_1m == 2 * table["gpt-4o-2024-05-13"].input_per_1m
    assert table["gpt-4-turbo"].output_per_1m == 2 * table["gpt-4o-2024-05-13"].output_per_1m
    # GPT-4o mini: $0.15 / $0.60 per 1M (its launch announcement, 2024-07-18).
    assert (table["gpt-4o-mini"].input_per_1m, table["gpt-4o-mini"].output_per_1m) == (0.15, 0.60)
    assert table["gpt-3.5-turbo"].cached_input_per_1m is None


def test_override_and_extend(tmp_path: Path) -> None:
    path = _write(
        tmp_path, HEADER,
        "gpt-4o,,1.00,,4.00,our contract,2026-01-01",
        "my-model,o200k_base,0.5,0.1,2,https://example.com/p,2026-02-02",
    )
    table = load_prices(path)
    assert table["gpt-4o"].input_per_1m == 1.0 and table["gpt-4o"].encoding == "o200k_base"
    assert table["gpt-4o"].source == "our contract"
    assert table["my-model"].cached_input_per_1m == 0.1
    assert table["gpt-4"].input_per_1m == 30.0  # untouched rows stay
    assert list(table.prices)[-1] == "my-model"
    assert table.describe().startswith("builtin@") and "+p.csv@" in table.describe()


def test_env_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, HEADER, "gpt-4o,,9,,9,x,2026-01-01")
    monkeypatch.setenv("TOKSTATS_PRICES", str(path))
    assert load_prices()["gpt-4o"].input_per_1m == 9.0
    assert load_prices(use_env=False)["gpt-4o"].input_per_1m == 2.5


@pytest.mark.parametrize(
    "lines, problem",
    [
        (["model,input_per_1m,output_per_1m"], ":1: missing columns encoding, cached_input_per_1m, source, as_of"),
        ([HEADER, "gpt-4o,,abc,,1,x,2026-01-01"], ":2: input_per_1m 'abc' is not a number"),
        ([HEADER, "", "gpt-4o,,1,,-2,x,2026-01-01"], ":3: output_per_1m '-2' must be a finite, non-negative number"),
        ([HEADER, "gpt-4o,,1,,nan,x,2026-01-01"], ":2: output_per_1m 'nan' must be a finite"),
        ([HEADER, "gpt-4o,,,,1,x,2026-01-01"], ":2: input_per_1m is empty"),
        ([HEADER, "mystery-model,,1,,1,x,2026-01-01"], ":2: unknown model 'mystery-model'"),
        ([HEADER, "gpt-4o,o999k,1,,1,x,2026-01-01"], ":2: unknown encoding 'o999k'"),
        ([HEADER, "gpt-4o,,1,,1,,2026-01-01"], ":2: source is empty"),
        ([HEADER, "gpt-4o,,1,,1,x,last week"], ":2: as_of 'last week' for 'gpt-4o' is not a date"),
        ([HEADER, "gpt-4o,,1,,1,x,2026-01-01", "gpt-4o,,2,,2,x,2026-01-01"], ":3: model 'gpt-4o' already given on line 2"),
        ([HEADER, "gpt-4o,,1,,1,x,2026-01-01,note,extra"], ":2: more fields than the header"),
    ],
)
def test_bad_price_files(tmp_path: Path, lines: list[str], problem: str) -> None:
    path = _write(tmp_path, *lines)
    with pytest.raises(InputError) as info:
        load_prices(path)
    message = str(info.value)
    assert message.startswith(str(path) + ":"), message
    assert problem in message, message
    assert "\n" not in message


def test_missing_file_and_unknown_model(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_prices(tmp_path / "nope.csv")
    with pytest.raises(UnknownNameError, match="unknown priced model 'gpt-9'.*--prices FILE"):
        load_prices(use_env=False)["gpt-9"]


def test_shipped_file_reads_back(tmp_path: Path) -> None:
    rows, sha = read_price_file(SHIPPED)
    assert len(sha) == 64 and len(rows) >= 16


def test_cli_json_rows(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("prices", "--format", "json")
    assert r.returncode == 0, r.stderr
    obj = json.loads(r.stdout)
    assert set(obj) == {"signature", "rows"}
    assert obj["signature"]["prices"].startswith("builtin@")
    by_model = {row["model"]: row for row in obj["rows"]}
    assert list(obj["rows"][0]) == COLUMNS
    assert by_model["gpt-4o-mini"]["input_per_1m"] == 0.15 and by_model["gpt-4o-mini"]["output_per_1m"] == 0.6
    assert all(row["source"] and row["as_of"] for row in obj["rows"])


def test_cli_override_and_error(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = _write(tmp_path, HEADER, "gpt-4o,,7,,21,mine,2026-03-03", name="good.csv")
    r = run_cli("prices", "--prices", str(good), "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert "gpt-4o,o200k_base,7.0,,21.0,mine,2026-03-03" in r.stdout
    bad = _write(tmp_path, HEADER, "gpt-4o,,x,,1,mine,2026-03-03", name="bad.csv")
    r = run_cli("prices", env={"TOKSTATS_PRICES": str(bad)})
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == f"tokstats prices: error: {bad}:2: input_per_1m 'x' is not a number (USD per 1M tokens)\n"


def test_prices_command_does_not_import_pandas_or_matplotlib(offline_env) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    code = (
        "import io, sys, contextlib\n"
        "from tokstats.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['prices', '--format', 'json']) == 0\n"
        "heavy = [m for m in ('pandas', 'matplotlib') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=offline_env, timeout=120)
    assert r.returncode == 0, r.stderr
