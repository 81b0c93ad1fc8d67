"""One huge pre-token (a 10 MB run of one letter, 10 MB of whitespace) counts exactly in bounded memory.

tiktoken's BPE is superlinear in the length of one pre-token, so the reference for 10 MB cannot
be computed here. It is derived instead: tiktoken's ids for a 512 KiB run are one token repeated
(checked below), so a run twenty times as long is that token twenty times as often. ``tokstats count``
runs in a child process whose peak RSS must stay under 300 MB. No timing is asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tokstats import get_encoding

SMALL = 1 << 19  # tiktoken itself overflows its stack on ~1,000,000 spaces in o200k_base
BIG = 20 * SMALL  # 10 MiB

# Peak RSS is the child's VmHWM: its rusage would also count the pages of the (large) pytest
# process it was forked from.
CHILD = """
import io, json, sys, contextlib
from tokstats.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    status = main(["count", "--format", "json", *sys.argv[1:]])
with open("/proc/self/status") as f:
    peak = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmHWM"))
print(json.dumps({"status": status, "out": json.loads(out.getvalue()), "peak": peak}))
"""


def tokens_per_run(encoding: str, unit: str) -> int:
    """Bytes per token of a long run of ``unit``, checked on a 512 KiB run with tiktoken itself."""
    enc = get_encoding(encoding)
    ids = enc.encode_ordinary(unit * SMALL)
    assert len(set(ids)) == 1, "the run is not one repeated token: the derivation does not hold"
    size = len(enc.decode_single_token_bytes(ids[0]))
    assert size * len(ids) == SMALL
    return size


@pytest.mark.skipif(sys.platform != "linux", reason="peak RSS read as Linux ru_maxrss")
@pytest.mark.parametrize("encoding", ["cl100k_base", "o200k_base"])
@pytest.mark.parametrize("unit", ["a", " ", "\n"], ids=["letters", "spaces", "newlines"])
def test_ten_megabyte_pretoken_is_exact_and_bounded(tmp_path: Path, encoding: str, unit: str) -> None:
    size = tokens_per_run(encoding, unit)
    path = tmp_path / "run.txt"
    path.write_bytes(unit.encode() * BIG)
    r = subprocess.run(
        [sys.executable, "-c", CHILD, "--encoding", encoding, str(path)], capture_output=True, text=True, timeout=600
    )
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert got["status"] == 0
    assert got["out"]["total_tokens"] == BIG // size
    assert got["peak"] < 300e6, f"peak RSS {got['peak'] / 1e6:.0f} MB"
