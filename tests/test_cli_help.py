"""Every subcommand has help text, an example, and starts without a traceback."""

from __future__ import annotations

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
