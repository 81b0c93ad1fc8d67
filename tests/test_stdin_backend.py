"""Standard input on the fast backend: a pipe switches to quicktok once it has carried enough
text to repay its load, a file redirected in is planned by its size; the count stays tiktoken's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import tokstats
from tokstats.tokenizers._backends import AUTO_MIN_BYTES, plan, quicktok_installed

pytestmark = pytest.mark.skipif(not quicktok_installed(), reason="quicktok-v1 is not installed")

LINE = "Grüß Gott, 世界! The quick brown fox — don't stop.\r\n  indented\tline 12345\n"


def test_a_plan_of_unknown_size_switches_to_quicktok_after_enough_text(monkeypatch: pytest.MonkeyPatch) -> None:
    from tokstats.tokenizers import _backends

    monkeypatch.setattr(_backends, "_quicktok", {})  # as in a fresh process: quicktok not loaded yet
    counter = plan("cl100k_base", "auto", -1)
    assert counter.main == "tiktoken"
    enc = tokstats.get_encoding("cl100k_base")
    chunk = LINE * 2000
    used: set[str] = set()
    want = len(enc.encode_ordinary(chunk))
    total = 0
    while total < AUTO_MIN_BYTES["cl100k_base"] + 2 * len(chunk):
        assert counter.count_marked(chunk, used) == want
        total += len(chunk)
    assert used == {"tiktoken", "quicktok"} and counter.main == "quicktok"


def test_a_known_size_is_planned_once() -> None:
    # a file's size is known: the backend is chosen from it at the start, never switched later
    assert plan("cl100k_base", "auto", 1000)._upgrade_at is None
    assert plan("cl100k_base", "tiktoken", -1)._upgrade_at is None  # forced: never rerouted


def test_piped_stdin_is_counted_by_quicktok_once_large(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = LINE * (AUTO_MIN_BYTES["cl100k_base"] // len(LINE.encode()) * 3)
    r = run_cli("count", "--encoding", "cl100k_base", "--format", "json", input=text)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["total_tokens"] == len(tokstats.get_encoding("cl100k_base").encode_ordinary(text))
    assert "quicktok" in out["signature"]["backend"]
