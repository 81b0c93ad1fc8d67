"""Prices: the genai-prices snapshot against the package itself, historic quotes, names, user files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pytest

from tokstats.cost._price_source import SNAPSHOT, load_source
from tokstats.cost._prices import COLUMNS, REQUIRED, PriceUnavailableError, load_prices, parse_day, read_price_file
from tokstats.errors import InputError, UnknownNameError

HEADER = ",".join(REQUIRED)
TABLE = load_prices(use_env=False)
SOURCE = load_source()
TODAY = dt.date.today()


def _write(tmp_path: Path, *lines: str, name: str = "p.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# -- the snapshot and the package it was copied from ---------------------------------------------

import genai_prices  # noqa: E402  (the test extra pins the version the snapshot was copied from)


def _openai() -> object:
    from genai_prices.data import providers

    return next(p for p in providers if p.id == "openai")


def test_snapshot_provenance_matches_the_installed_package() -> None:
    from importlib import metadata

    prov = SOURCE.provenance
    assert prov["package"] == "genai-prices" and prov["licence"] == "MIT"
    assert prov["version"] == metadata.version("genai-prices"), "re-run scripts/vendor_genai_prices.py"
    data_py = Path(genai_prices.__file__).with_name("data.py")
    assert prov["data_sha256"] == hashlib.sha256(data_py.read_bytes()).hexdigest()
    assert len(prov["wheel_sha256"]) == 64 and prov["wheel"] == f"genai_prices-{prov['version']}-py3-none-any.whl"
    licence = SNAPSHOT.with_name(prov["licence_file"]).read_text("utf-8")
    assert "MIT License" in licence and "Pydantic" in licence
    assert SOURCE.sha256 == hashlib.sha256(SNAPSHOT.read_bytes()).hexdigest()
    assert TABLE.describe() == f"genai-prices-{prov['version']}@{SOURCE.sha256[:12]}"


def test_every_provider_and_model_of_the_package_is_in_the_snapshot_in_order() -> None:
    from genai_prices.data import providers

    assert [(p.id, [m.id for m in p.models]) for p in SOURCE.providers] == [
        (p.id, [m.id for m in p.models]) for p in providers
    ]
    assert len(SOURCE.providers) >= 40 and len(SOURCE.models) >= 2000


def _names() -> list[str]:
    """Every exact OpenAI model name the source lists, plus names users write that it matches by rule."""
    names = list(SOURCE.all_names("openai"))
    return names + [
        "ft:gpt-4o-2024-08-06:my-org::abc123",
        "ft:gpt-4o-mini-2024-07-18:org::x",
        "ft:gpt-3.5-turbo-0125:org::y",
        "o3-20250416",
        "gpt-5.6-sol-2026-08-21",
        "GPT-4o",
    ]


DAYS = [dt.date(2024, 6, 1), dt.date(2025, 6, 1), dt.date(2025, 7, 1), dt.date(2026, 10, 20), TODAY]


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_standard_prices_equal_genai_prices_own_figures(day: dt.date) -> None:
    """For every name and day: the model genai-prices picks, and its price for 100k tokens each way.

    Compares Decimal to Decimal: the snapshot keeps the package's decimal strings, so the float
    tokstats holds must print back as the same decimal.
    """
    from genai_prices import Usage, calc_price

    stamp = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
    checked = 0
    for name in _names():
        calc = calc_price(
            Usage(input_tokens=100_000, output_tokens=100_000),
            name,
            provider_id="openai",
            genai_request_timestamp=stamp,
        )
        entry = SOURCE.find(f"openai:{name}")
        assert entry is not None and entry.id == calc.model.id, name
        price = TABLE._quote_source(name, entry, day, False, False)  # the source's figure, no historic checks
        if price.input_per_1m is None:
            assert calc.input_price == 0, name
            continue
        assert Decimal(repr(price.input_per_1m)) / 10 == calc.input_price, name
        assert Decimal(repr(price.output_per_1m or 0.0)) / 10 == calc.output_price, name
        checked += 1
    assert checked >= 60


def test_cached_long_context_and_batch_rates_equal_genai_prices() -> None:
    from genai_prices import Usage, calc_price

    stamp = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    day = stamp.date()
    checked = 0
    for entry in SOURCE.provider("openai").models:  # type: ignore[union-attr]
        for name in entry.names[:1]:
            price = TABLE.quote(f"openai:{name}", day)
            if price.input_per_1m is None:
                continue
            # 60k cached of 100k input: the cached part at the cached rate (or the input rate).
            usage = Usage(input_tokens=100_000, cache_read_tokens=60_000, output_tokens=0)
            calc = calc_price(usage, name, provider_id="openai", genai_request_timestamp=stamp)
            cached = price.cached_input_per_1m if price.cached_input_per_1m is not None else price.input_per_1m
            expected = Decimal(repr(price.input_per_1m)) * 4 / 100 + Decimal(repr(cached)) * 6 / 100
            assert calc.input_price == expected, name
            if price.long_context_from is not None:
                calc = calc_price(
                    Usage(input_tokens=300_000, output_tokens=0),
                    name,
                    provider_id="openai",
                    genai_request_timestamp=stamp,
                )
                assert Decimal(repr(price.long_input_per_1m)) * 3 / 10 == calc.input_price, name
            batch = TABLE.quote(f"openai:{name}", day, batch=True)
            calc = calc_price(
                Usage(input_tokens=100_000, output_tokens=100_000),
                name,
                provider_id="openai",
                genai_request_timestamp=stamp,
                price_context={"processing": "batch"},
            )
            if batch.input_per_1m is not None:
                assert Decimal(repr(batch.input_per_1m)) / 10 == calc.input_price, name
                assert Decimal(repr(batch.output_per_1m or 0.0)) / 10 == calc.output_price, name
                checked += 1
            else:  # no batch variant: genai-prices falls back to the standard price; tokstats says so
                assert "no batch rate" in batch.note, name
    assert checked >= 30


# -- historic prices --------------------------------------------------------------------------------


def test_o3_before_and_after_its_june_2025_cut() -> None:
    before = TABLE.lookup("o3", dt.date(2025, 6, 1))
    after = TABLE.lookup("o3", dt.date(2025, 7, 1))
    assert (before.input_per_1m, before.output_per_1m) == (10.0, 40.0)
    assert (after.input_per_1m, after.output_per_1m) == (2.0, 8.0)
    assert before.until == "2025-06-09" and after.since == "2025-06-10"
    assert before.as_of == "2025-06-01" and before.source.startswith("genai-prices ")


def test_alias_history_prices_the_snapshot_an_alias_meant() -> None:
    # OpenAI: gpt-4o meant gpt-4o-2024-05-13 until 2024-10-01, gpt-4o-2024-08-06 from 2024-10-02.
    quote = TABLE.lookup("gpt-4o", dt.date(2024, 6, 1))
    assert (quote.priced_as, quote.input_per_1m, quote.output_per_1m) == ("gpt-4o-2024-05-13", 5.0, 15.0)
    quote = TABLE.lookup("gpt-4o", dt.date(2024, 10, 1))
    assert quote.priced_as == "gpt-4o-2024-05-13"
    quote = TABLE.lookup("gpt-4o", dt.date(2024, 10, 2))
    assert (quote.priced_as, quote.input_per_1m, quote.output_per_1m) == ("gpt-4o-2024-08-06", 2.5, 10.0)
    with pytest.raises(PriceUnavailableError, match=r"^gpt-4o: no price: gpt-4o was not released on 2024-05-12"):
        TABLE.lookup("gpt-4o", dt.date(2024, 5, 12))
    # Every snapshot the history names is one the source prices, from its release on.
    from tokstats.cost._aliases import ALIASES

    for alias, steps in ALIASES.items():
        assert SOURCE.find(f"openai:{alias}") is not None, alias
        for step in steps:
            assert SOURCE.find(f"openai:{step.snapshot}") is not None, step.snapshot
            assert TABLE.lookup(alias, step.start).priced_as == step.snapshot
            assert step.source.startswith("https://"), alias


def test_gpt_35_turbo_history_as_openai_announced_it() -> None:
    # -0613 from 2023-06-27 (June 2023 update); the move to -1106 announced for 2023-12-11 did not
    # happen (on 2024-01-25 OpenAI still upgraded the alias "from gpt-3.5-turbo-0613"); -0125 from
    # 2024-02-16. Prices are genai-prices' for each snapshot: $1.50/$2 and $0.50/$1.50.
    assert TABLE.lookup("gpt-3.5-turbo", dt.date(2023, 6, 26)).priced_as == "gpt-3.5-turbo-0301"
    for day in (dt.date(2023, 6, 27), dt.date(2023, 12, 20), dt.date(2024, 2, 15)):
        quote = TABLE.lookup("gpt-3.5-turbo", day)
        assert (quote.priced_as, quote.input_per_1m, quote.output_per_1m) == ("gpt-3.5-turbo-0613", 1.5, 2.0)
    quote = TABLE.lookup("gpt-3.5-turbo", dt.date(2024, 2, 16))
    assert (quote.priced_as, quote.input_per_1m, quote.output_per_1m) == ("gpt-3.5-turbo-0125", 0.5, 1.5)
    assert TABLE.lookup("o1-mini", dt.date(2024, 9, 12)).priced_as == "o1-mini-2024-09-12"
    with pytest.raises(
        PriceUnavailableError, match=r"^o1-preview: no price: o1-preview was not released on 2024-09-11"
    ):
        TABLE.lookup("o1-preview", dt.date(2024, 9, 11))


def test_alias_drift_without_history_is_said_not_priced(monkeypatch: pytest.MonkeyPatch) -> None:
    # An alias whose later moves are not in the history (here gpt-3.5-turbo with its last step
    # taken out): the price table says so rather than pricing the snapshot it means today.
    from tokstats.cost import _aliases

    monkeypatch.setitem(_aliases.ALIASES, "gpt-3.5-turbo", _aliases.ALIASES["gpt-3.5-turbo"][:2])
    quote = TABLE.quote("gpt-3.5-turbo", dt.date(2024, 3, 1))
    assert quote.input_per_1m is None
    assert "may have meant" in quote.note and "name a dated snapshot" in quote.note
    with pytest.raises(PriceUnavailableError, match=r"^gpt-3.5-turbo: no price: on 2024-03-01 the alias"):
        TABLE.lookup("gpt-3.5-turbo", dt.date(2024, 3, 1))
    # The dated snapshot it meant is priced as the source has it: the GPT-4o launch price.
    launch = TABLE.lookup("gpt-4o-2024-05-13", dt.date(2024, 6, 1))
    assert (launch.input_per_1m, launch.output_per_1m) == (5.0, 15.0)
    # Today the alias is priced (no --as-of: the source's current prices).
    assert TABLE.lookup("gpt-4o").input_per_1m == 2.5


def test_models_not_yet_released_have_no_historic_price() -> None:
    with pytest.raises(PriceUnavailableError, match="gpt-4o-2024-08-06 was released on 2024-08-06, after 2024-06-01"):
        TABLE.lookup("gpt-4o-2024-08-06", dt.date(2024, 6, 1))
    with pytest.raises(PriceUnavailableError, match="o3 was not released on 2025-01-01"):
        TABLE.lookup("o3", dt.date(2025, 1, 1))


def test_batch_history_before_the_source_records_it_is_refused() -> None:
    assert TABLE.lookup("o3", batch=True).input_per_1m == 1.0  # today: batch rates recorded
    with pytest.raises(
        PriceUnavailableError, match="records batch rates from 2026-10-14 on; earlier batch history is not modelled"
    ):
        TABLE.lookup("o3", dt.date(2025, 7, 1), batch=True)


# -- names as users write them ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, priced_as, encoding",
    [
        ("gpt-4o-2024-08-06", "gpt-4o", "o200k_base"),
        ("gpt-4.1-2025-04-14", "gpt-4.1", "o200k_base"),
        ("chatgpt-4o-latest", "chatgpt-4o-latest", "o200k_base"),
        ("o3-pro", "o3-pro", "o200k_base"),
        ("ft:gpt-4o-2024-08-06:my-org::abc123", "ft:gpt-4o", "o200k_base"),
        ("ft:gpt-3.5-turbo-0125:org::y", "ft:gpt-3.5-turbo-", "cl100k_base"),
        ("gpt-oss-20b", "gpt-oss-20b", "o200k_harmony"),
        ("text-embedding-3-small", "text-embedding-3-small", "cl100k_base"),
    ],
)
def test_user_names_map_to_a_price_and_a_tokenizer(name: str, priced_as: str, encoding: str) -> None:
    price = TABLE.lookup(name)
    assert price.priced_as == priced_as and price.encoding == encoding and price.input_per_1m is not None


def test_price_without_tokenizer_and_unknown_model() -> None:
    price = TABLE.lookup("gpt-realtime")
    assert price.encoding is None and "no tokenizer" in price.note
    with pytest.raises(UnknownNameError, match=r"unknown priced model 'gpt-9'.*--prices FILE"):
        TABLE.lookup("gpt-9")
    with pytest.raises(PriceUnavailableError, match="whisper-1: no price: not priced per token"):
        TABLE.lookup("whisper-1")


def test_rows_cover_every_model_with_source_and_date() -> None:
    rows = TABLE.rows(dt.date(2025, 6, 1))
    assert [r["model"] for r in rows] == sorted(
        (m.label for m in SOURCE.models), key=lambda k: (k.split(":")[0], k.lower())
    )
    assert {r["provider"] for r in rows} == {p.id for p in SOURCE.providers}
    assert all(r["source"] == SOURCE.label and r["as_of"] == "2025-06-01" for r in rows)
    o3 = next(r for r in rows if r["model"] == "openai:o3")
    assert (o3["input_per_1m"], o3["output_per_1m"]) == (10.0, 40.0) and o3["names"] == "o3,o3-2025-04-16"
    realtime = next(r for r in rows if r["model"] == "openai:gpt-4o-realtime-preview")
    # genai-prices: text $5 / $2.50 cached / $20, audio $40 / $2.50 cached / $80 per 1M tokens
    assert (realtime["input_per_1m"], realtime["cached_input_per_1m"], realtime["output_per_1m"]) == (5.0, 2.5, 20.0)
    assert (realtime["input_audio_per_1m"], realtime["cached_input_audio_per_1m"], realtime["output_audio_per_1m"]) == (
        40.0,
        2.5,
        80.0,
    )


# -- user price files -------------------------------------------------------------------------------


def test_override_and_extend(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER,
        "gpt-4o,,1.00,,4.00,our contract,2026-01-01",
        "my-model,o200k_base,0.5,0.1,2,https://example.com/p,2026-02-02",
    )
    table = load_prices(path)
    assert table.lookup("gpt-4o").input_per_1m == 1.0 and table.lookup("gpt-4o").encoding == "o200k_base"
    assert table.lookup("gpt-4o").source == "our contract"
    assert table.lookup("my-model").cached_input_per_1m == 0.1
    assert table.lookup("gpt-4").input_per_1m == 30.0  # untouched models keep the source's price
    # Before its as_of the user's row does not apply: the source's price on that day does.
    assert table.lookup("gpt-4o-2024-05-13", dt.date(2025, 1, 1)).input_per_1m == 5.0
    assert table.quote("gpt-4o", dt.date(2025, 12, 1)).source == SOURCE.label
    with pytest.raises(PriceUnavailableError, match="prices my-model from 2026-02-02, not on 2026-01-01"):
        table.lookup("my-model", dt.date(2026, 1, 1))
    assert table.describe().startswith("genai-prices-") and "+p.csv@" in table.describe()
    assert [r["model"] for r in table.rows(name="my-model")] == ["my-model"]


def test_env_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, HEADER, "gpt-4o,,9,,9,x,2026-01-01")
    monkeypatch.setenv("TOKSTATS_PRICES", str(path))
    assert load_prices().lookup("gpt-4o").input_per_1m == 9.0
    assert load_prices(use_env=False).lookup("gpt-4o").input_per_1m == 2.5


@pytest.mark.parametrize(
    "lines, problem",
    [
        (["model,input_per_1m,output_per_1m"], ":1: missing columns encoding, cached_input_per_1m, source, as_of"),
        ([HEADER, "gpt-4o,,abc,,1,x,2026-01-01"], ":2: input_per_1m 'abc' is not a price"),
        ([HEADER, "", "gpt-4o,,1,,-2,x,2026-01-01"], ":3: output_per_1m '-2' must not be negative"),
        ([HEADER, "gpt-4o,,1,,nan,x,2026-01-01"], ":2: output_per_1m 'nan' is not a price"),
        ([HEADER, "gpt-4o,,1,,inf,x,2026-01-01"], ":2: output_per_1m 'inf' is not a price"),
        ([HEADER, "gpt-4o,,1e308,,1,x,2026-01-01"], ":2: input_per_1m '1e308' is not a price"),
        ([HEADER, "gpt-4o,,$$5,,1,x,2026-01-01"], ":2: input_per_1m '$$5' is not a price"),
        ([HEADER, "gpt-4o,,1_000,,1,x,2026-01-01"], ":2: input_per_1m '1_000' is not a price"),
        ([HEADER, "gpt-4o,,1" + "0" * 400 + ",,1,x,2026-01-01"], ":2: input_per_1m '1000"),
        ([HEADER, "gpt-4o,,2000000,,1,x,2026-01-01"], "is above 1,000,000 USD per 1M tokens"),
        ([HEADER, "gpt-4o,,,,1,x,2026-01-01"], ":2: input_per_1m is empty"),
        ([HEADER, "mystery-model,,1,,1,x,2026-01-01"], ":2: unknown model 'mystery-model'"),
        ([HEADER, "gpt-4o,o999k,1,,1,x,2026-01-01"], ":2: unknown encoding 'o999k'"),
        ([HEADER, "gpt-4o,,1,,1,,2026-01-01"], ":2: source is empty"),
        ([HEADER, "gpt-4o,,1,,1,x,last week"], ":2: as_of 'last week' for 'gpt-4o' is not a date"),
        ([HEADER, "gpt-4o,,1,,1,x,20260101"], ":2: as_of '20260101' for 'gpt-4o' is not a date (YYYY-MM-DD)"),
        ([HEADER, "gpt-4o,,1,,1,x,2026-02-30"], ":2: as_of '2026-02-30'"),
        (
            [HEADER, "gpt-4o,,1,,1,x,2026-01-01", "gpt-4o,,2,,2,x,2026-01-01"],
            ":3: model 'gpt-4o' already given on line 2",
        ),
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


def test_good_number_forms(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER, "gpt-4o,,$2.50,.5,10.,x,2026-01-01")
    rows, sha = read_price_file(path)
    assert (rows[0].input_per_1m, rows[0].cached_input_per_1m, rows[0].output_per_1m) == (2.5, 0.5, 10.0)
    assert sha == hashlib.sha256(path.read_bytes()).hexdigest()


def test_missing_file_and_bad_day(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_prices(tmp_path / "nope.csv")
    assert parse_day("2025-06-01") == dt.date(2025, 6, 1)
    for bad in ("20250601", "2025-6-1", "June 1", "2025-13-01"):
        with pytest.raises(InputError, match="is not a date"):
            parse_day(bad)


# -- the command line -------------------------------------------------------------------------------


def test_cli_json_lists_every_model_with_source_and_date(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("prices", "--format", "json")
    assert r.returncode == 0, r.stderr
    obj = json.loads(r.stdout)
    assert set(obj) == {"signature", "rows"}
    assert obj["signature"]["prices"] == TABLE.describe() and obj["signature"]["as_of"] == TODAY.isoformat()
    assert list(obj["rows"][0]) == COLUMNS
    assert len(obj["rows"]) == len(SOURCE.models) >= 60
    assert all(row["source"] == SOURCE.label and row["as_of"] == TODAY.isoformat() for row in obj["rows"])
    by_model = {row["model"]: row for row in obj["rows"]}
    mini = by_model["openai:gpt-4o-mini"]
    assert (mini["provider"], mini["tokenizer"], mini["input_per_1m"], mini["output_per_1m"]) == (
        "openai",
        "o200k_base",
        0.15,
        0.6,
    )


def test_cli_as_of_and_table_notes(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("prices", "--as-of", "2025-06-01", "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines()[-1].endswith("|as_of:2025-06-01")
    o3 = next(line for line in r.stdout.splitlines() if line.startswith("openai:o3,"))
    assert ",10.0,0.5,40.0," in o3
    r = run_cli("prices")
    assert f"prices as of {TODAY} (today): {SOURCE.label}" in r.stdout
    r = run_cli("prices", "--as-of", "20250601")
    assert r.returncode == 2 and r.stderr == "tokstats prices: error: --as-of '20250601' is not a date (YYYY-MM-DD)\n"


def test_cli_override_and_error(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = _write(tmp_path, HEADER, "gpt-4o,,7,,21,mine,2026-03-03", name="good.csv")
    r = run_cli("prices", "--prices", str(good), "--format", "csv")
    assert r.returncode == 0, r.stderr
    row = next(line for line in r.stdout.splitlines() if line.startswith("gpt-4o,"))
    assert ",7.0,,21.0," in row and ",mine," in row
    bad = _write(tmp_path, HEADER, "gpt-4o,,x,,1,mine,2026-03-03", name="bad.csv")
    r = run_cli("prices", env={"TOKSTATS_PRICES": str(bad)})
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == (
        f"tokstats prices: error: {bad}:2: input_per_1m 'x' is not a price: "
        "write a plain decimal number of USD per 1M tokens (e.g. 2.50)\n"
    )


def test_prices_command_does_not_import_pandas_matplotlib_or_genai_prices(offline_env) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    code = (
        "import io, sys, contextlib\n"
        "from tokstats.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['prices', '--format', 'json']) == 0\n"
        "heavy = [m for m in ('pandas', 'matplotlib', 'genai_prices', 'pydantic') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=offline_env, timeout=120)
    assert r.returncode == 0, r.stderr


def test_a_header_past_the_csv_field_limit_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "long-line.txt"
    path.write_text("x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"long-line\.txt:1: not valid CSV: field larger than field limit"):
        load_prices(path)


def test_docs_table_of_alias_history_matches_the_code() -> None:
    from tokstats.cost._aliases import ALIASES

    docs = (Path(__file__).parent.parent / "docs" / "cost.md").read_text(encoding="utf-8")
    rows = [line for line in docs.splitlines() if line.startswith("  | `")]
    for alias, steps in ALIASES.items():
        row = next(r for r in rows if f"`{alias}`" in r.split("|")[1])
        for step in steps:
            assert step.start.isoformat() in row, (alias, step.start)
    assert len(rows) == len({r.split("|")[1] for r in rows}) == 11
