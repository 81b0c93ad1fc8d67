"""The package type-checks: mypy over tokstats/ (type hints are part of the public API's contract)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_mypy_is_clean(tmp_path: Path) -> None:
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            str(REPO / "tokstats"),
            "--ignore-missing-imports",
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Success: no issues found" in r.stdout
