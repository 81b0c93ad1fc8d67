"""``hf:org/name`` reads ``tokenizer.json`` from the local Hugging Face Hub cache, offline."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest


def _cache_model(hub: Path, repo: str, tokenizer: Path, commit: str = "a" * 40, ref: str = "main") -> Path:
    """Lay ``tokenizer`` out in ``hub`` as ``huggingface-cli download`` does: a blob named by its
    sha256, a snapshot folder per commit linking to it, and ``refs/REF`` naming the commit."""
    root = hub / f"models--{repo.replace('/', '--')}"
    data = tokenizer.read_bytes()
    blob = root / "blobs" / hashlib.sha256(data).hexdigest()
    blob.parent.mkdir(parents=True, exist_ok=True)
    blob.write_bytes(data)
    snapshot = root / "snapshots" / commit
    snapshot.mkdir(parents=True, exist_ok=True)
    os.symlink(os.path.relpath(blob, snapshot), snapshot / "tokenizer.json")
    (root / "refs").mkdir(exist_ok=True)
    (root / "refs" / ref).write_text(commit)
    return snapshot / "tokenizer.json"


@pytest.fixture
def hub_env(tmp_path: Path, tiny_tokenizers: dict[str, Path]) -> dict[str, str]:
    home = tmp_path / "hf-home"
    _cache_model(home / "hub", "acme/tiny-bpe", tiny_tokenizers["bytelevel"])
    _cache_model(home / "hub", "acme/tiny-bpe", tiny_tokenizers["wordpiece"], commit="b" * 40, ref="v2")
    return {"HF_HOME": str(home), "HF_HUB_OFFLINE": "1"}


def test_hub_id_counts_from_the_cache_offline(run_cli, hub_env, tiny_tokenizers, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = tmp_path / "t.txt"
    text.write_text("Hello world. The quick brown fox!\n", "utf-8")
    r = run_cli("count", "--encoding", "hf:acme/tiny-bpe", str(text), "--format", "json", cwd=tmp_path, env=hub_env)
    assert r.returncode == 0, r.stderr
    from tokenizers import Tokenizer

    want = len(Tokenizer.from_file(str(tiny_tokenizers["bytelevel"])).encode(text.read_text("utf-8")).ids)
    got = json.loads(r.stdout)
    assert got["total_tokens"] == want
    digest = hashlib.sha256(tiny_tokenizers["bytelevel"].read_bytes()).hexdigest()
    assert got["signature"]["encodings"][0]["sha256"] == digest


def test_revision_picks_that_snapshot(run_cli, hub_env, tiny_tokenizers, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("count", "--encoding", "hf:acme/tiny-bpe@v2", "-", "--format", "json", input="Hello world", env=hub_env)
    assert r.returncode == 0, r.stderr
    digest = hashlib.sha256(tiny_tokenizers["wordpiece"].read_bytes()).hexdigest()
    assert json.loads(r.stdout)["signature"]["encodings"][0]["sha256"] == digest


def test_missing_model_offline_is_one_line(run_cli, hub_env) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("count", "--encoding", "hf:acme/not-cached", "-", input="hi", env=hub_env)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "HF_HUB_OFFLINE" in r.stderr and "huggingface-cli download" in r.stderr


def test_a_local_folder_wins_over_the_hub(run_cli, hub_env, tiny_tokenizers, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    local = tmp_path / "acme" / "tiny-bpe"
    local.mkdir(parents=True)
    shutil.copy(tiny_tokenizers["wordpiece"], local / "tokenizer.json")
    r = run_cli(
        "count", "--encoding", "hf:acme/tiny-bpe", "-", "--format", "json", input="Hello", env=hub_env, cwd=tmp_path
    )
    assert r.returncode == 0, r.stderr
    digest = hashlib.sha256(tiny_tokenizers["wordpiece"].read_bytes()).hexdigest()
    assert json.loads(r.stdout)["signature"]["encodings"][0]["sha256"] == digest
