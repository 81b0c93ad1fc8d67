"""Every subcommand has help text, an example, and starts without a traceback."""

from __future__ import annotations

import argparse

import pytest

from tokstats.cli import build_parser, command_modules

NAMES = [m.__name__.rsplit(".", 1)[1] for m in command_modules()]


def test_core_commands_present() -> None:
    assert {"reproduce", "encodings"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_help_has_an_example(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    with pytest.raises(SystemExit) as e:
        parser.parse_args([name, "--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert f"usage: tokstats {name}" in out
    assert "Example" in out, f"tokstats {name} --help shows no example"


def test_public_api_resolves_and_is_lazy() -> None:
    import subprocess
    import sys

    import tokstats

    for name in tokstats.__all__:
        assert getattr(tokstats, name) is not None, name
    assert callable(tokstats.pretokens) and callable(tokstats.compare)
    code = "import sys, tokstats; print(sorted(m for m in ('tokstats.comparison._compare', 'tokstats.cost._forecast', 'pandas', 'numpy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_command_is_documented_in_the_readme() -> None:
    from pathlib import Path

    README_TEXT = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name in NAMES:
        assert f"tokstats {name}" in README_TEXT, f"README.md never shows `tokstats {name}`"


def test_corpora_listing(run_cli) -> None:  # type: ignore[no-untyped-def]
    import json

    import tokstats

    r = run_cli("corpora", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = {row["name"]: row for row in json.loads(r.stdout)["rows"]}
    assert set(rows) == set(tokstats.list_corpora())
    launch = rows["gpt4o-launch"]
    assert launch["sha256"] == tokstats.load_corpus("gpt4o-launch").sha256
    assert (launch["entries"], launch["source"], launch["date"]) == (
        20,
        "https://openai.com/index/hello-gpt-4o/",
        "2024-05-13",
    )
    assert rows["parallel"]["entries"] >= 60 and rows["parallel"]["languages"] == 20


def test_tokenizer_parameters_keep_their_former_names() -> None:
    import tokstats
    from tokstats.errors import UsageError

    assert tokstats.count("Hello, world", tokenizer="cl100k_base") == 3
    assert tokstats.count("Hello, world", encoding="cl100k_base") == 3  # the former name
    with pytest.raises(UsageError, match=r"count\(\): give tokenizer= or its former name encoding=, not both"):
        tokstats.count("Hello, world", tokenizer="cl100k_base", encoding="o200k_base")
    assert [p.text for p in tokstats.split_view("Hi there", tokenizer="o200k_base")] == ["Hi", " there"]
    assert tokstats.pretokens("Hi there", encoding="o200k_base") == ["Hi", " there"]
    import inspect

    assert "tokenizer" in inspect.signature(tokstats.count).parameters
    assert "tokenizers" in inspect.signature(tokstats.compare).parameters


def test_capability_folders_are_attributes_after_import_tokstats() -> None:
    import subprocess
    import sys

    code = "import tokstats; print(tokstats.plots.plot_reproduction.__name__, callable(tokstats.count))"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.split() == ["plot_reproduction", "True"]


@pytest.mark.parametrize("name", NAMES)
def test_description_wraps_to_the_terminal_epilog_keeps_its_lines(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "50")
    parser = build_parser()
    with pytest.raises(SystemExit):
        parser.parse_args([name, "--help"])
    out = capsys.readouterr().out
    description = out.split("\n\n", 2)[1]  # after the usage, before the first section
    assert description and not description.endswith(":"), out
    assert all(len(line) <= 50 for line in description.splitlines()), description
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[name]
    words = " ".join(sub.description.split()) if sub.description else ""
    assert " ".join(description.split()) == words  # every word kept, only the line breaks moved
    for line in (sub.epilog or "").splitlines():
        assert line in out.splitlines()  # the epilog's lines as written, however long


def test_count_description_keeps_its_own_line_break(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["count", "--help"])
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("Count the tokens in each file") for line in lines)
    assert any(line.startswith("Large files are streamed in chunks") for line in lines)
