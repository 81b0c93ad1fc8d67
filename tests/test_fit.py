"""Tables fit a 100-column terminal by default; --wide, csv and json keep every column in full."""

from __future__ import annotations

import pytest

from tokstats.output._fit import WIDTH, fit_table


def _table_lines(stdout: str) -> list[str]:
    return stdout.split("\n\n", 1)[0].split("\n")  # the table, before its notes and signature


@pytest.mark.parametrize(
    "args",
    [
        ["corpora"],
        ["encodings"],
        ["encodings", "--model", "gpt-4o"],
        ["compare", "--resamples", "20"],
    ],
    ids=lambda a: " ".join(a),
)
def test_default_tables_fit_100_columns(run_cli, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    narrow = run_cli(*args)
    wide = run_cli(*args, "--wide")
    assert narrow.returncode == wide.returncode and narrow.returncode in (0, 1), narrow.stderr
    assert max(map(len, _table_lines(narrow.stdout))) <= WIDTH
    assert max(map(len, _table_lines(wide.stdout))) > WIDTH  # the full view is really wider
    assert "--wide" in narrow.stdout.split("\n\n", 1)[1]  # the note says how to see everything


def test_full_detail_in_wide_and_csv(run_cli) -> None:  # type: ignore[no-untyped-def]
    from tokstats.tokenizers._encodings import rank_file_hash

    sha = rank_file_hash("cl100k_base")
    assert sha not in run_cli("encodings").stdout
    assert sha in run_cli("encodings", "--wide").stdout and sha in run_cli("encodings", "--format", "csv").stdout
    assert run_cli("encodings", "--wide").stdout.count(sha) == 2  # --wide: the detail column as it is
    assert "fertility:o200k_base" in run_cli("compare", "--resamples", "20", "--format", "csv").stdout.replace(".", ":")


def test_fit_table_drops_in_order_and_shortens_text() -> None:
    rows = [{"name": "a", "path": "/very/long/path/" + "x" * 80 + "/file.txt", "n": 1, "extra": "e" * 50}]
    fitted = fit_table(
        rows, ["name", "path", "n", "extra"], drop=["extra"], shorten=["path"], keep_end=["path"], width=60
    )
    assert fitted.columns == ["name", "path", "n"] and fitted.hidden == ["extra"]
    cell = fitted.rows[0]["path"]
    assert cell.startswith("…") and cell.endswith("/file.txt")
    assert len("name  ") + len(cell) + len("  n") == 60  # the room left goes to the shortened column
    assert fitted.note() == "1 more column (extra): --wide, or --format csv/json"
    same = fit_table(rows, ["name", "n"], width=60)
    assert (same.columns, same.hidden, same.rows) == (["name", "n"], [], rows)
