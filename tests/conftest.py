"""Shared fixtures: running the CLI as a user would, in a subprocess with an empty tiktoken cache."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def offline_env(tmp_path: Path) -> dict[str, str]:
    """Environment with an empty tiktoken cache and a proxy that refuses, so no download can succeed."""
    env = dict(os.environ)
    cache = tmp_path / "tiktoken-cache"
    cache.mkdir()
    env.update(
        TIKTOKEN_CACHE_DIR=str(cache),
        HTTPS_PROXY="http://127.0.0.1:9",
        HTTP_PROXY="http://127.0.0.1:9",
        NO_PROXY="",
        PYTHONIOENCODING="utf-8",
    )
    env.pop("TOKSTATS_RANK_DIR", None)
    return env


@pytest.fixture
def run_cli(offline_env: dict[str, str]) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``python -m tokstats ARGS`` offline; returns the completed process (text mode)."""

    def run(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tokstats", *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**offline_env, **(env or {})},
            input=input,
            timeout=300,
        )

    return run
