"""The benchmark script runs end to end in quick mode and its page renders (a smoke test, untimed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_quick_benchmark_writes_json_and_renders(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    r = subprocess.run(
        [sys.executable, str(REPO / "benches" / "run.py"), "--quick", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(out.read_text("utf-8"))
    assert res["quick"] is True and res["machine"]["cpus"] >= 1 and len(res["load_average_start"]) == 3
    for section in ("startup", "throughput", "many_files", "sizes", "pretoken"):
        assert res[section], section
        assert all(row.get("exact", True) for row in res[section]), section  # every count checked
    kinds = {row["kind"] for row in res["throughput"]}
    assert kinds == {"multilingual", "code", "english"}
    assert any(row["method"] == "tokstats count (default)" and row["MB_per_cpu_s"] > 0 for row in res["throughput"])
    page = tmp_path / "benchmarks.md"
    r = subprocess.run(
        [sys.executable, str(REPO / "benches" / "render.py"), str(out), "-o", str(page)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    text = page.read_text("utf-8")
    for heading in (
        "## Start-up on a tiny file",
        "## Throughput by input kind",
        "## Many small files",
        "## File size sweep",
        "## One huge pre-token",
    ):
        assert heading in text
    assert "target" not in text.lower()


def test_family_table_runs_and_renders(tmp_path: Path) -> None:
    out, md = tmp_path / "families.json", tmp_path / "families.md"
    r = subprocess.run(
        [sys.executable, str(REPO / "benches" / "families.py"), "--size", "0.02", "--rounds", "1"]
        + ["--families", "o200k_base", "--shapes", "lines,spaces", "--out", str(out), "--markdown", str(md)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(out.read_text("utf-8"))
    assert [(row["family"], row["shape"]) for row in res["rows"]] == [("o200k_base", "lines"), ("o200k_base", "spaces")]
    assert all(row["same_count"] is True and row["wall_ratio"] > 0 for row in res["rows"])
    import tokstats

    spaces = " " * res["rows"][1]["bytes"]
    assert res["rows"][1]["tokens"] == len(tokstats.get_encoding("o200k_base").encode_ordinary(spaces))
    table = md.read_text("utf-8")
    assert "| `o200k_base` (tiktoken) | spaces |" in table and "wall × library" in table
