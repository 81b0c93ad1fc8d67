"""The documentation: a short README whose shown output is what the tool prints, and a docs site
that builds with ``mkdocs build --strict`` (broken links and missing pages fail)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def _block_after(marker: str) -> str:
    m = re.search(re.escape(marker) + r"\s*\n```[^\n]*\n(.*?)\n```", README, re.S)
    assert m, f"README.md has no code block after {marker}"
    return m.group(1)


def test_readme_is_short() -> None:
    assert len(README.splitlines()) <= 150


def test_readme_shows_what_the_main_job_prints(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("reproduce")
    assert r.returncode == 0, r.stderr
    assert _block_after("<!-- main-output -->") == r.stdout.rstrip("\n")


def test_readme_chart_exists() -> None:
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    assert images, "README.md shows no chart"
    for path in images:
        assert (REPO / path).is_file(), path


DIARY = re.compile(r"\b(engineers?|handoff|session|issue target|target met|\bmet\b)", re.I)


@pytest.mark.parametrize("path", ["README.md", *sorted(p.relative_to(REPO).as_posix() for p in (REPO / "docs").rglob("*.md"))])
def test_docs_speak_about_the_product_not_its_making(path: str) -> None:
    text = (REPO / path).read_text(encoding="utf-8")
    found = [m.group(0) for m in DIARY.finditer(text)]
    assert not found, f"{path} mentions {found}"


def test_every_command_has_a_docs_page() -> None:
    from tokstats.cli import command_modules

    docs = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "docs").rglob("*.md"))
    for module in command_modules():
        name = module.__name__.rsplit(".", 1)[1]
        assert f"tokstats {name}" in docs, f"docs/ never shows `tokstats {name}`"


def test_mkdocs_build_strict(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert (tmp_path / "site" / "index.html").is_file()
    shutil.rmtree(tmp_path / "site", ignore_errors=True)


def test_readme_corpus_distances_are_what_studies_measures(run_cli) -> None:  # type: ignore[no-untyped-def]
    import json

    text = " ".join(README.split())
    m = re.search(r"median difference is ([\d.]+)% on `udhr` and ([\d.]+)% on `parallel`, with rank correlations of ([\d.]+)", text)
    assert m, "README.md no longer states how far the corpora are from the published figures"
    r = run_cli("studies", "--summary", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = {(x["corpus"], x["encoding"], x["study"]): x for x in json.loads(r.stdout)["rows"]}
    udhr, parallel = rows[("udhr", "cl100k_base", "petrov2023")], rows[("parallel", "cl100k_base", "petrov2023")]
    assert m.group(1) == f"{udhr['median_abs_difference_pct']:.1f}"
    assert m.group(2) == f"{parallel['median_abs_difference_pct']:.1f}"
    assert m.group(3) == f"{udhr['rank_correlation']:.2f}" == f"{parallel['rank_correlation']:.2f}"
