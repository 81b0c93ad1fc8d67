"""Usage errors name the command typed; the example output in ``show --help`` is the real output."""

from __future__ import annotations

import shlex


def test_unknown_option_names_the_subcommand(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("count", "--bogus-option", "x", "README.md")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == ("tokstats count: error: unrecognized arguments: --bogus-option (see 'tokstats count --help')\n")
    r = run_cli("plot", "cost", "--requests", "1", "--models", "gpt-4o", "--output", "x.png", "--bogus")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "(see 'tokstats plot cost --help')" in r.stderr
    r = run_cli("--bogus")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "(see 'tokstats --help')" in r.stderr


def test_show_help_example_output_is_the_real_output(run_cli) -> None:  # type: ignore[no-untyped-def]
    help_text = run_cli("show", "--help").stdout
    block = help_text.split("Example output (piped):\n", 1)[1].split("\nExamples:", 1)[0]
    lines = [line[2:] for line in block.rstrip("\n").split("\n")]
    assert lines[0].startswith("$ tokstats show ")
    real = run_cli(*shlex.split(lines[0])[2:])  # piped, as the heading says
    assert real.returncode == 0, real.stderr
    got = real.stdout.rstrip("\n").split("\n")
    assert got[:-1] == lines[1:-1]
    assert lines[-1] == "signature: tokstats:…" and got[-1].startswith("signature: tokstats:")


def test_readme_installs_workers_from_a_wheel_not_the_package_index() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for page in (root / "README.md", root / "docs" / "scale-out.md"):
        assert "tokstats[dask]==" not in page.read_text("utf-8")  # tokstats is not on the package index
    assert "pip wheel --no-deps -w dist/ ." in (root / "docs" / "scale-out.md").read_text("utf-8")


def test_no_arguments_prints_the_help(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli()
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout.startswith("usage: tokstats") and "COMMAND" in r.stdout and "count" in r.stdout
