"""tokstats on a real Dask cluster: LocalCluster worker processes on loopback, no mocks.

Every cluster here has 2 worker processes with 1 thread each and is closed by its fixture.
The property under test throughout: the cluster gives exactly what the local path gives.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tokstats import Corpus, get_encoding
from tokstats.comparison._compare import compare_rows
from tokstats.counting._count import count_file_sized
from tokstats.errors import InputError
from tokstats.sources._readers import Columns

HAVE_DASK = find_spec("distributed") is not None and find_spec("dask") is not None
needs_dask = pytest.mark.skipif(
    not HAVE_DASK, reason="dask[distributed] is not installed (pip install 'tokstats[dask]')"
)

if HAVE_DASK:
    from distributed import Client, LocalCluster

    from tokstats.scale import _compare as dc
    from tokstats.scale._cluster import count_rows, expand_inputs, parse_scheduler, prepare_workers, run_ordered

# Pieces that stress exactness: special-token strings (counted as text), a BOM, CRLF, scripts
# with and without spaces, emoji with modifiers, long digit runs, trailing spaces before newlines.
PIECES = [
    "Hello, world! ",
    "<|endoftext|>",
    "\ufeff",
    "line\r\n",
    "नमस्ते दुनिया ",
    "こんにちは世界。",
    "👍🏽👨‍👩‍👧 ",
    "1234567890" * 3,
    "   \n\n",
    "Ελληνικά κείμενα ",
    "مرحبا بالعالم ",
    "\t\tdef f(x):\n",
]


def _text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(PIECES) for _ in range(n))


MINI = Corpus(
    name="mini",
    sha256="ab" * 32,
    meta={
        "languages": [
            {"code": "en", "language": "English", "segmented_by_spaces": True},
            {"code": "hi", "language": "Hindi", "segmented_by_spaces": True},
            {"code": "ja", "language": "Japanese", "segmented_by_spaces": False},
        ]
    },
    entries=[
        {
            "id": "a",
            "text": {
                "en": "Please restart the router.",
                "hi": "कृपया राउटर को पुनः आरंभ करें।",
                "ja": "ルーターを再起動してください。",
            },
        },
        {"id": "b", "text": {"en": "Rates stay unchanged.", "hi": "दरें अपरिवर्तित रहीं।"}},
        {"id": "c", "text": {"en": "Governed by Irish law.", "ja": "アイルランド法に準拠します。"}},
    ],
)


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    c = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
        silence_logs=50,
    )
    try:
        yield c
    finally:
        c.close()


@pytest.fixture
def client(cluster: LocalCluster) -> Iterator[Client]:
    with Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Generated files: empty, tiny, and some over the 1 MiB block size (chunked counting)."""
    root = tmp_path_factory.mktemp("texts")
    rng = random.Random(7)
    sizes = [0, 1, 5, 300, 3000, 60_000, 90_000]
    paths = []
    for i, n in enumerate(sizes):
        p = root / f"f{i:02d}.txt"
        p.write_bytes(_text(rng, n).encode("utf-8"))
        paths.append(p)
    return paths


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """JSONL and CSV with language and id columns (parallel sentences: the premium is defined)."""
    root = tmp_path_factory.mktemp("records")
    rng = random.Random(11)
    langs = ["en", "hi", "ja", "el"]
    rows = [{"id": f"s{i}", "lang": lang, "body": _text(rng, rng.randint(1, 30))} for i in range(25) for lang in langs]
    a = root / "a.jsonl"
    a.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[:60]), "utf-8")
    import csv

    b = root / "b.csv"
    with b.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, ["id", "lang", "body"])
        w.writeheader()
        w.writerows(rows[60:])
    return [a, b]


# --- without a cluster -----------------------------------------------------------------------


def test_import_tokstats_does_not_import_dask() -> None:
    code = (
        "import sys, tokstats, tokstats.scale._cluster, tokstats.cli.compare; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', 'fsspec')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_missing_extra_is_one_line(run_cli: Any, texts: list[Path], tmp_path: Path) -> None:
    # Hide an installed package without uninstalling it: a stub earlier on the path that fails to import.
    stub = tmp_path / "hide"
    stub.mkdir()
    (stub / "distributed.py").write_text("raise ImportError('hidden for the test')\n")
    r = run_cli("compare", str(texts[1]), "--scheduler", "local:2", env={"PYTHONPATH": str(stub)})
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == (
        "tokstats compare: error: --scheduler needs dask's distributed scheduler, "
        "which is not installed: pip install 'tokstats[dask]'\n"
    )


@needs_dask
@pytest.mark.parametrize(("spec", "want"), [("local:2", 2), ("tcp://10.0.0.5:8786", "tcp://10.0.0.5:8786")])
def test_parse_scheduler(spec: str, want: object) -> None:
    assert parse_scheduler(spec) == want


@needs_dask
@pytest.mark.parametrize("spec", ["local:0", "local:x", "local:", "  "])
def test_parse_scheduler_refuses(spec: str) -> None:
    with pytest.raises(InputError, match="local:N|scheduler address"):
        parse_scheduler(spec)


@needs_dask
def test_globs_and_file_urls_expand_in_order(texts: list[Path]) -> None:
    root = texts[0].parent
    got = expand_inputs([str(texts[3]), str(root / "f0[0-2].txt"), str(texts[3])])
    assert got == [str(texts[3]), str(texts[0]), str(texts[1]), str(texts[2])]  # duplicates dropped
    urls = expand_inputs([f"file://{root}/f0[56].txt"])
    assert urls == [str(texts[5]), str(texts[6])]  # file:// names a local path, read as one
    with pytest.raises(InputError, match=r"f9\*\.txt: no files match"):
        expand_inputs([str(root / "f9*.txt")])


# --- count -----------------------------------------------------------------------------------


@needs_dask
@pytest.mark.parametrize("encoding", ["cl100k_base", "o200k_base"])
def test_count_identical_to_local(client: Client, texts: list[Path], encoding: str) -> None:
    paths = [str(p) for p in texts]
    rows = count_rows(paths, encoding, client=client)
    enc = get_encoding(encoding)
    for row, p in zip(rows, texts):
        tokens, nbytes = count_file_sized(p, encoding, 1)
        assert (row["tokens"], row["bytes"]) == (tokens, nbytes)
        assert row["tokens"] == len(enc.encode_ordinary(p.read_bytes().decode("utf-8")))
    assert [r["path"] for r in rows] == paths


@needs_dask
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.text(max_size=40) | st.lists(st.sampled_from(PIECES), max_size=30).map("".join), min_size=1, max_size=4)
)
def test_count_identical_to_local_property(client: Client, tmp_path: Path, docs: list[str]) -> None:
    paths = []
    for i, text in enumerate(docs):
        p = tmp_path / f"h{i}.txt"
        p.write_bytes(text.encode("utf-8"))
        paths.append(str(p))
    rows = count_rows(paths, "o200k_base", client=client)
    assert [(r["tokens"], r["bytes"]) for r in rows] == [count_file_sized(p, "o200k_base", 1) for p in paths]


@needs_dask
def test_count_file_urls_and_globs(client: Client, texts: list[Path]) -> None:
    # one backend for both (auto may pick quicktok once another test has loaded it: same counts)
    local = count_rows([str(p) for p in texts], client=client, backend="tiktoken")
    urls = count_rows([f"file://{texts[0].parent}/*.txt"], client=client, backend="tiktoken")
    assert urls == local  # a file:// URL names the local path: the same rows as naming the path
    from tokstats.counting._count import count_item

    # other URLs are streamed through fsspec on the workers: the same counts as the local path
    streamed = [tuple(count_item(f"file://{p}", "cl100k_base", backend="tiktoken")) for p in texts]
    assert streamed == [(r["tokens"], r["bytes"], r["sha256"], "tiktoken") for r in local]


@needs_dask
def test_bad_file_same_error_as_local_first_bad_in_order(client: Client, texts: list[Path], tmp_path: Path) -> None:
    bad1, bad2 = tmp_path / "bad1.txt", tmp_path / "bad2.txt"
    bad1.write_bytes(b"fine text\n" * 50 + b"\xc3\x28 rest")  # invalid continuation byte
    bad2.write_bytes(b"\xff")
    paths = [str(texts[4]), str(bad1), str(texts[5]), str(bad2), str(tmp_path / "missing.txt")]
    with pytest.raises(InputError) as local:
        for p in paths:
            count_file_sized(p, "cl100k_base", 1)
    with pytest.raises(InputError) as remote:
        count_rows(paths, client=client)
    assert (
        str(remote.value)
        == str(local.value)
        == f"{bad1}: invalid UTF-8 at byte offset 500 (byte c3: invalid continuation byte)"
    )
    with pytest.raises(InputError, match="missing.txt: no such file"):
        count_rows([str(texts[1]), str(tmp_path / "missing.txt")], client=client)


# --- compare ---------------------------------------------------------------------------------


@needs_dask
@pytest.mark.parametrize("corpus", ["parallel", "mini"])
def test_compare_corpus_identical_to_local(client: Client, corpus: Any) -> None:
    if corpus == "mini":  # a Corpus object with gaps: languages missing from some entries
        corpus = MINI
    local = compare_rows(corpus=corpus, config=_fast())
    remote = dc.compare_rows(corpus=corpus, config=_fast(), client=client)
    assert remote.rows == local.rows
    assert remote.signature == local.signature
    assert sum(r["documents"] for r in remote.rows) > 0


@needs_dask
def test_compare_and_rank_on_the_larger_udhr_identical_to_local(client: Client) -> None:
    """Languages outside the curated set (aligned pairwise, some missing units): the same rows
    on the cluster, for compare and for the rank read off it."""
    from tokstats.comparison._rank import rank_rows

    choice = {"script": "Cyrl", "languages": None}
    local = compare_rows(corpus="udhr", config=_fast(), tokenizers=["cl100k_base", "o200k_base"], **choice)
    remote = dc.compare_rows(
        corpus="udhr", config=_fast(), tokenizers=["cl100k_base", "o200k_base"], client=client, **choice
    )
    assert len(local.rows) > 30 and remote.rows == local.rows and remote.signature == local.signature
    assert any(r["aligned_units"] < 48 for r in local.rows)  # a language missing units is among them
    assert rank_rows(remote) == rank_rows(local)


def _fast() -> Any:
    from tokstats.comparison._bootstrap import BootstrapConfig

    return BootstrapConfig(resamples=200)


@needs_dask
@pytest.mark.parametrize("by", ["source", "language"])
def test_compare_files_identical_to_local(client: Client, texts: list[Path], records: list[Path], by: str) -> None:
    paths = [str(p) for p in [*records, *texts[:5]]]
    cols = Columns("body", "lang", "id")
    if by == "source":  # plain text files have no language column: compare them by source only
        local = compare_rows(paths, by=by, config=_fast(), columns=Columns("body"))
        remote = dc.compare_rows(paths, by=by, config=_fast(), columns=Columns("body"), client=client)
    else:
        local = compare_rows([str(p) for p in records], by=by, columns=cols, config=_fast())
        remote = dc.compare_rows([str(p) for p in records], by=by, columns=cols, config=_fast(), client=client)
        assert any(v is not None for r in remote.rows for v in r["premium"].values())
    assert remote.rows == local.rows
    assert remote.signature == local.signature


@needs_dask
def test_compare_file_url_same_counts(client: Client, records: list[Path]) -> None:
    cols = Columns("body", "lang", "id")
    local = compare_rows([str(records[0])], columns=cols, config=_fast())
    remote = dc.compare_rows([f"file://{records[0]}"], columns=cols, config=_fast(), client=client)
    assert remote.rows == local.rows  # file:// names the local path: read as that path
    assert remote.signature == local.signature


@needs_dask
def test_compare_parquet_dataset_equals_its_files(client: Client, records: list[Path], tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rows = [json.loads(line) for line in records[0].read_text("utf-8").splitlines()]
    ds = tmp_path / "ds"
    ds.mkdir()
    files = [ds / "part.0.parquet", ds / "part.1.parquet"]
    pq.write_table(pa.Table.from_pylist(rows[:25]), files[0])
    pq.write_table(pa.Table.from_pylist(rows[25:]), files[1])
    cols = Columns("body", "lang")
    local = compare_rows([str(f) for f in files], by="language", columns=cols, config=_fast())
    remote = dc.compare_rows([str(ds)], by="language", columns=cols, config=_fast(), client=client)
    assert remote.rows == local.rows  # one partition per file, rows in order: intervals identical too
    assert remote.signature.settings["inputs"].startswith(f"{ds}@listing:")
    here = compare_rows([str(ds) + "/"], by="language", columns=cols, config=_fast())  # a dataset, locally
    assert here.rows == remote.rows
    assert here.signature.settings["inputs"].split("@")[1] == remote.signature.settings["inputs"].split("@")[1]
    with pytest.raises(InputError, match=r"ds: no column 'text'; columns found: id, lang, body"):
        dc.compare_rows([str(ds)], client=client)


@needs_dask
def test_compare_bad_file_same_error_as_local(client: Client, records: list[Path], tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"body": "ok"}\n{"body": 3}\n', "utf-8")
    paths = [str(records[0]), str(bad), str(tmp_path / "nope.jsonl")]
    with pytest.raises(InputError) as local:
        compare_rows(paths, columns=Columns("body"))
    with pytest.raises(InputError) as remote:
        dc.compare_rows(paths, columns=Columns("body"), client=client)
    assert str(remote.value) == str(local.value) == f"{bad}: line 2: column 'body' is int, not a string"


# --- workers ---------------------------------------------------------------------------------


@needs_dask
def test_each_worker_loads_each_encoding_once(texts: list[Path], records: list[Path]) -> None:
    """A build counter installed on every worker before any work: one build per encoding per worker."""

    def install() -> None:
        import tokstats.tokenizers._encodings as e

        e._encodings.clear()
        builds: dict[str, int] = {}
        original = e._build

        def counting_build(name: str) -> Any:
            builds[name] = builds.get(name, 0) + 1
            return original(name)

        e._build = counting_build
        e._test_builds = builds  # type: ignore[attr-defined]

    def builds() -> dict[str, int]:
        import tokstats.tokenizers._encodings as e

        return dict(e._test_builds)  # type: ignore[attr-defined]

    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            silence_logs=50,
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(install)
        paths = [str(p) for p in texts] * 3  # 21 tasks, more than one per worker
        count_rows(paths, "o200k_base", client=client)
        dc.compare_rows([str(p) for p in records], columns=Columns("body", "lang", "id"), config=_fast(), client=client)
        got = client.run(builds)
    assert len(got) == 2
    assert all(b == {"o200k_base": 1, "cl100k_base": 1} for b in got.values()), got


@needs_dask
def test_worker_version_mismatch_is_refused(client: Client) -> None:
    def fake_version() -> None:
        import tokstats._version

        tokstats._version.__version__ = "0.0.0-other"

    def restore(v: str) -> None:
        import tokstats._version

        tokstats._version.__version__ = v

    from tokstats._version import __version__

    client.run(fake_version)
    try:
        with pytest.raises(
            InputError,
            match=r"Dask worker tcp://127\.0\.0\.1:\d+ runs tokstats 0\.0\.0-other but "
            rf"this machine runs {__version__}; install the same",
        ):
            prepare_workers(client, ["cl100k_base"])
    finally:
        client.run(restore, __version__)


@needs_dask
def test_worker_killed_mid_run_loses_and_doubles_nothing(tmp_path: Path) -> None:
    """SIGKILL a worker process while it counts: Dask re-runs its tasks and every file counts once."""
    rng = random.Random(3)
    paths = []
    for i in range(16):
        p = tmp_path / f"k{i:02d}.txt"
        p.write_text(_text(rng, 20_000 + 500 * i), "utf-8")
        paths.append(str(p))
    expected = [count_file_sized(p, "cl100k_base", 1) for p in paths]
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            silence_logs=50,
        ) as cluster,
        Client(cluster) as client,
    ):
        result: dict[str, Any] = {}
        runner = threading.Thread(target=lambda: result.update(rows=count_rows(paths, client=client)))
        pids = client.run(os.getpid)
        runner.start()
        victim, busy = None, []
        deadline = time.monotonic() + 60
        while victim is None and time.monotonic() < deadline:
            processing = client.processing()
            done = client.run_on_scheduler(_tasks_in_memory)
            for worker, keys in processing.items():
                if keys and done >= 2 and worker in pids:
                    victim, busy = worker, list(keys)
                    break
            time.sleep(0.01)
        assert victim is not None, "no worker was busy mid-run"
        os.kill(pids[victim], signal.SIGKILL)
        runner.join(120)
        assert not runner.is_alive()
        assert victim not in client.scheduler_info()["workers"]  # that process is gone
        # the scheduler's own record: a task the dead worker held was sent to processing again
        starts = client.run_on_scheduler(_times_processed, busy[0])
    rows = result["rows"]
    assert busy  # it died holding at least one task
    assert starts >= 2, starts
    assert [r["path"] for r in rows] == paths
    assert [(r["tokens"], r["bytes"]) for r in rows] == expected
    assert sum(r["tokens"] for r in rows) == sum(t for t, _ in expected)


def _times_processed(key: str, dask_scheduler: Any) -> int:
    return sum(1 for t in dask_scheduler.story(key) if len(t) > 2 and t[2] == "processing")


def _tasks_in_memory(dask_scheduler: Any) -> int:
    return sum(
        1
        for k, ts in list(dask_scheduler.tasks.items())
        if str(k).startswith("tokstats-count") and ts.state == "memory"
    )


@needs_dask
def test_progress_only_when_asked_and_on_stderr(client: Client, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_ordered(client, abs, [-1, -2, 3], label="t-progress", workers=2, progress=True) == [1, 2, 3]
    out, err = capsys.readouterr()
    assert out == "" and "t progress: 3/3 tasks on 2 workers" in err
    run_ordered(client, abs, [-1], label="t-quiet", workers=2)  # stderr is not a terminal here
    assert capsys.readouterr() == ("", "")


# --- command line ----------------------------------------------------------------------------


@needs_dask
def test_cli_compare_local_2_json_identical(run_cli: Any, texts: list[Path], records: list[Path]) -> None:
    args = ["compare", str(records[0]), str(texts[2]), str(texts[5]), "--text-column", "body", "--format", "json"]
    local = run_cli(*args)
    remote = run_cli(*args, "--scheduler", "local:2")
    assert local.returncode == remote.returncode == 0, remote.stderr
    assert remote.stdout == local.stdout
    assert remote.stderr == ""
    assert [r["source"] for r in json.loads(remote.stdout)["rows"]] == [str(records[0]), str(texts[2]), str(texts[5])]


@needs_dask
def test_cli_existing_cluster_by_address(
    run_cli: Any, cluster: LocalCluster, records: list[Path], tmp_path: Path
) -> None:
    args = [
        "compare",
        *map(str, records),
        "--text-column",
        "body",
        "--language-column",
        "lang",
        "--id-column",
        "id",
        "--by",
        "language",
        "--format",
        "csv",
        "--resamples",
        "300",
    ]
    local = run_cli(*args)
    remote = run_cli(*args, "--scheduler", cluster.scheduler_address)
    assert local.returncode == remote.returncode == 0, remote.stderr
    assert remote.stdout == local.stdout
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"abc\xffdef")
    for r in (run_cli("compare", str(bad)), run_cli("compare", str(bad), "--scheduler", cluster.scheduler_address)):
        assert r.returncode == 2 and r.stdout == ""
        assert (
            r.stderr
            == f"tokstats compare: error: {bad}: invalid UTF-8 at byte offset 3 (byte ff: invalid start byte)\n"
        )


@needs_dask
def test_cli_unreachable_scheduler_one_line(run_cli: Any, texts: list[Path]) -> None:
    import socket

    with socket.socket() as s:  # a loopback port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = run_cli(
        "compare",
        str(texts[1]),
        "--scheduler",
        f"tcp://127.0.0.1:{port}",
        env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"},
    )
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith(f"tokstats compare: error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port}: ")
    assert r.stderr.count("\n") == 1
    r = run_cli("count", str(texts[1]), "--scheduler", "foo")
    assert (r.returncode, r.stdout) == (2, "")
    assert (
        r.stderr
        == "tokstats count: error: --scheduler 'foo': give tcp://HOST:PORT (e.g. tcp://scheduler:8786) or local:N\n"
    )


@needs_dask
def test_cli_count_local_2_identical_and_bad_file(run_cli: Any, texts: list[Path], tmp_path: Path) -> None:
    paths = [str(p) for p in texts]
    local = run_cli("count", *paths, "--encoding", "o200k_base", "--format", "json")
    remote = run_cli(
        "count", *paths, "--encoding", "o200k_base", "--format", "json", "--scheduler", "local:2", "--jobs", "2"
    )
    assert local.returncode == remote.returncode == 0, remote.stderr
    assert remote.stdout == local.stdout and remote.stderr == ""
    assert json.loads(remote.stdout)["total_tokens"] == sum(count_file_sized(p, "o200k_base", 1)[0] for p in paths)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\n\xe2\x82")  # a truncated 3-byte character at the end
    want = f"tokstats count: error: {bad}: invalid UTF-8 at byte offset 3 (byte e2 82: unexpected end of data)\n"
    for extra in ([], ["--scheduler", "local:2"]):
        r = run_cli("count", paths[1], str(bad), *extra)
        assert (r.returncode, r.stdout, r.stderr) == (2, "", want)
