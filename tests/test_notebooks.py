"""Every notebook runs top to bottom in a fresh kernel, offline, and shows at least one chart;
the committed notebooks carry no outputs (clean diffs)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]


def test_there_are_notebooks() -> None:
    # reproduce the launch table; explore a corpus; forecast cost
    assert len(NOTEBOOKS) >= 3, NOTEBOOKS


def test_every_notebook_is_listed_in_the_docs() -> None:
    listed = (REPO / "docs" / "notebooks.md").read_text("utf-8")
    assert [p.name for p in NOTEBOOKS if f"`{p.name}`" not in listed] == []


def test_the_notebooks_extra_installs_what_the_notebooks_import() -> None:
    """Every third-party package a notebook imports is core, or in the ``notebooks`` extra."""
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    extras = project["optional-dependencies"]

    def names(requirements: list[str]) -> set[str]:
        out: set[str] = set()
        for req in requirements:
            name = req.split(";")[0].split("[")[0].split("=")[0].split(">")[0].split("<")[0].strip().lower()
            if name == "tokstats":  # tokstats[a,b]: those extras' packages
                for extra in req.split("[", 1)[1].split("]")[0].split(","):
                    out |= names(extras[extra.strip()])
            else:
                out.add(name.replace("_", "-"))
        return out

    available = names(project["dependencies"]) | names(extras["notebooks"])
    needs = {
        "llama3": "llama-models",
        "llama4": "llama-models",
        "tekken": "mistral-common",
        "mistral-v": "mistral-common",
    }
    for path in NOTEBOOKS:
        source = "".join("".join(c["source"]) for c in json.loads(path.read_text("utf-8"))["cells"])
        for marker, package in needs.items():
            if marker in source:
                assert package in available, (path.name, marker, package)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["cells"][0]["cell_type"] == "markdown", "start with a title saying what the notebook does"
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"cell {i} has outputs; strip them"
            assert cell["execution_count"] is None, f"cell {i} has an execution count; strip it"


@pytest.fixture
def kernel_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, offline_env: dict[str, str]) -> str:
    """A kernel spec that runs *this* interpreter (the one tokstats is installed in), whatever
    kernels the user has installed, in the offline environment of the CLI tests."""
    spec = tmp_path / "jupyter" / "kernels" / "tokstats-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "tokstats tests",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    for key in ("TIKTOKEN_CACHE_DIR", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "PYTHONIOENCODING"):
        monkeypatch.setenv(key, offline_env[key])
    monkeypatch.delenv("TOKSTATS_RANK_DIR", raising=False)
    monkeypatch.delenv("TOKSTATS_PRICES", raising=False)
    return "tokstats-test"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_runs_and_shows_a_chart(path: Path, tmp_path: Path, kernel_name: str) -> None:
    # Hard imports: the test extra installs these, and a skipped notebook would go untested.
    import ipykernel  # noqa: F401
    import nbclient
    import nbformat

    nb = nbformat.read(path, as_version=4)
    workdir = tmp_path / "work"
    workdir.mkdir()
    client = nbclient.NotebookClient(
        nb, timeout=120, kernel_name=kernel_name, resources={"metadata": {"path": str(workdir)}}
    )
    client.execute()  # raises CellExecutionError, with the cell and traceback, if any cell fails
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert images, f"{path.name} shows no chart"
    assert not list(workdir.iterdir()), "a notebook wrote files into its working folder"
