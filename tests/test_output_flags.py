"""Output that pipes: CSV that a plain ``pandas.read_csv`` reads with the right dtypes (the
signature goes to stderr), ``--no-signature`` and ``--quiet``."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from tokstats.cli import main


def run_main(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text("Hello there, general Kenobi. Привет!\n", "utf-8")
    return path


@pytest.mark.parametrize(
    ("argv", "int_columns"),
    [
        (["count", "{f}"], ["bytes", "tokens"]),
        (["compare", "{f}"], ["tokens.cl100k_base", "tokens.o200k_base", "bytes"]),
        (["reproduce"], ["published_cl100k", "published_o200k", "cl100k_base", "o200k_base"]),
    ],
)
def test_plain_read_csv_reads_numbers_as_numbers(text_file: Path, argv: list[str], int_columns: list[str]) -> None:
    status, out, err = run_main(*[a.format(f=text_file) for a in argv], "--format", "csv")
    assert status == 0, err
    df = pd.read_csv(io.StringIO(out))
    assert len(df) >= 1
    for column in int_columns:
        assert df[column].dtype.kind == "i", (column, df.dtypes)
    assert not any(line.startswith("#") for line in out.splitlines())
    assert err.splitlines()[-1].startswith("# signature: tokstats:")


def test_no_signature_leaves_it_out_of_every_format(text_file: Path) -> None:
    for fmt in ("table", "markdown", "csv", "json"):
        status, out, err = run_main("count", str(text_file), "--format", fmt, "--no-signature")
        assert status == 0, err
        shown = ("signature:", "Signature:", '"signature"')
        assert not any(s in out or s in err for s in shown), (fmt, out, err)
    status, out, _ = run_main("count", str(text_file), "--format", "json", "--no-signature")
    assert json.loads(out)["total_tokens"] > 0
    status, out, _ = run_main("show", "Hello", "--format", "json", "--no-signature")
    assert status == 0 and "signature" not in json.loads(out)


def test_quiet_prints_nothing_but_errors(text_file: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"ok \xff")
    status, out, err = run_main("count", "--skip-invalid", str(text_file), str(bad), "--format", "csv", "-q")
    assert status == 0 and err == "" and out.startswith("path,bytes,tokens")
    status, out, err = run_main("count", str(tmp_path / "missing.txt"), "--quiet")
    assert status == 2 and out == "" and err.count("\n") == 1 and "missing.txt" in err
