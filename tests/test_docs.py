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
    assert len(README.splitlines()) <= 190


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


@pytest.mark.parametrize(
    "path", ["README.md", *sorted(p.relative_to(REPO).as_posix() for p in (REPO / "docs").rglob("*.md"))]
)
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
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert (tmp_path / "site" / "index.html").is_file()
    shutil.rmtree(tmp_path / "site", ignore_errors=True)


def test_readme_corpus_distances_are_what_studies_measures(run_cli) -> None:  # type: ignore[no-untyped-def]
    import json

    text = " ".join(README.split())
    m = re.search(
        r"median difference is ([\d.]+)% on `udhr` \((\d+) languages\) and ([\d.]+)% on `parallel` \((\d+)\), "
        r"with rank correlations of ([\d.]+) and ([\d.]+)",
        text,
    )
    assert m, "README.md no longer states how far the corpora are from the published figures"
    r = run_cli("studies", "--summary", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = {(x["corpus"], x["encoding"], x["study"]): x for x in json.loads(r.stdout)["rows"]}
    udhr, parallel = rows[("udhr", "cl100k_base", "petrov2023")], rows[("parallel", "cl100k_base", "petrov2023")]
    assert m.group(1) == f"{udhr['median_abs_difference_pct']:.1f}" and int(m.group(2)) == udhr["languages"]
    assert m.group(3) == f"{parallel['median_abs_difference_pct']:.1f}" and int(m.group(4)) == parallel["languages"]
    assert m.group(5) == f"{udhr['rank_correlation']:.2f}" and m.group(6) == f"{parallel['rank_correlation']:.2f}"


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def test_readme_family_table_is_what_compare_prints(run_cli) -> None:  # type: ignore[no-untyped-def]
    """The README's model-family table is the premium columns of the command shown above it."""
    for module in ("llama_models", "dashscope", "mistral_common"):
        pytest.importorskip(module)
    command = _block_after("<!-- family-command -->").split()
    assert command[:2] == ["tokstats", "compare"]
    r = run_cli(*command[1:])
    assert r.returncode == 0, r.stderr
    printed = [line for line in r.stdout.splitlines() if line.startswith("|")]
    head = _cells(printed[0])
    premium = [i for i, h in enumerate(head) if h.startswith("premium:")]
    want = [["language", *(head[i].split(":", 1)[1] for i in premium)]]
    want += [[_cells(line)[head.index("language")], *(_cells(line)[i] for i in premium)] for line in printed[2:]]
    m = re.search(r"<!-- family-table -->\s*\n((?:\|.*\n)+)", README)
    assert m, "README.md has no table after <!-- family-table -->"
    shown = [_cells(line) for line in m.group(1).splitlines()]
    assert [shown[0], *shown[2:]] == want
    assert len(want) == 21  # the 20 launch languages
    # the sentence under the table
    value = {(row[0], name): float(row[k + 1].split()[0]) for row in want[1:] for k, name in enumerate(want[0][1:])}
    hard = ("Gujarati", "Telugu", "Tamil")
    low = [value[(lang, t)] for lang in hard for t in ("llama3", "qwen")]
    high = [value[(lang, t)] for lang in hard for t in ("o200k_base", "tekken")]
    assert f"Llama 3 and Qwen need {min(low):.1f}-{max(low):.1f} times" in " ".join(README.split())
    assert f"`o200k_base` and Tekken need {min(high):.1f}-{max(high):.1f} times" in " ".join(README.split())


def test_cost_cross_provider_example_is_what_cost_prints(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """docs/cost.md's worked example across providers prints exactly what the page shows."""
    import shlex

    from test_doc_examples import TICKET

    for module in ("llama_models", "dashscope", "mistral_common"):
        pytest.importorskip(module)
    text = (REPO / "docs" / "cost.md").read_text(encoding="utf-8")
    m = re.search(r"### One workload across providers.*?```\n\$ (.*?)\n(model .*?)```", text, re.S)
    assert m, "docs/cost.md has no cross-provider example"
    command = shlex.split(re.sub(r"\\\n\s*", " ", m.group(1)))
    shown = m.group(2)
    assert TICKET in text and command[:3] == ["tokstats", "cost", "ticket.txt"]
    (tmp_path / "ticket.txt").write_text(TICKET + "\n", encoding="utf-8")
    r = run_cli(*[str(tmp_path / c) if c == "ticket.txt" else c for c in command[1:]])
    assert r.returncode == 0, r.stderr
    printed = r.stdout.split("\nsignature:")[0].rstrip() + "\n"
    assert printed == shown, printed
