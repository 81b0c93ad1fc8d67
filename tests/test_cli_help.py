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


def test_public_api_resolves_and_is_lazy() -> None:
    import subprocess
    import sys

    import tokstats

    for name in tokstats.__all__:
        assert getattr(tokstats, name) is not None, name
    assert callable(tokstats.pretokens) and callable(tokstats.compare)
    code = "import sys, tokstats; print(sorted(m for m in ('tokstats.comparison', 'tokstats.forecast', 'pandas', 'numpy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
