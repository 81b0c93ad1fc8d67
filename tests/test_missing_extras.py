"""Several tokenizers whose extras are missing are named in one line, with one install command."""

from __future__ import annotations

from pathlib import Path

HIDE = """
import importlib.metadata as md

_real = md.distribution
HIDDEN = {"llama-models", "llama_models", "mistral-common", "mistral_common"}


def distribution(name):
    if name in HIDDEN:
        raise md.PackageNotFoundError(name)
    return _real(name)


md.distribution = distribution
"""


def test_all_missing_extras_are_named_at_once(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(HIDE, "utf-8")
    env = {"PYTHONPATH": str(site)}
    r = run_cli("compare", "--encodings", "o200k_base,llama3,mistral-v3,qwen", env=env)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1, r.stderr
    assert "'llama3'" in r.stderr and "'mistral-v3'" in r.stderr and "pip install 'tokstats[llama,mistral]'" in r.stderr
    one = run_cli("compare", "--encodings", "o200k_base,llama3", env=env)
    assert one.returncode == 2 and "pip install 'tokstats[llama]'" in one.stderr
