"""Hostile and pathological inputs: no traceback, no hang, nothing on stdout at exit 2.

Each test here is a case from issue 16 ("Reliability and security under hostile input"): device
files and FIFOs, endless standard input, a full disk, closed standard streams, a closed pipe,
Ctrl-C, option values far out of range, file names holding newlines or spreadsheet formulas,
JSON nested too deeply, corpus files posing as shipped corpora, chart writes that fail part-way,
and Dask addresses that are not Dask schedulers. Commands that need real descriptors or signals
run in a subprocess (with a timeout, so a hang fails the test instead of stalling CI); the rest
run in-process through ``tokstats.cli.main``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import tokstats
from tokstats.cli import main
from tokstats.errors import InputError, TokstatsError

TIMEOUT = 60  # seconds: a command that has not finished by then is hanging


def run_main(*argv: str) -> tuple[int, str, str]:
    """``tokstats ARGV`` in this process: (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


def one_line_error(status: int, out: str, err: str, *fragments: str) -> None:
    """Exit 2, nothing on stdout, exactly one line on stderr containing every fragment."""
    assert status == 2, (status, out, err)
    assert out == ""
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("tokstats"), err
    for fragment in fragments:
        assert fragment in err, (fragment, err)


def spawn(args: list[str], env: dict[str, str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs}
    if "input" not in streams:
        streams.setdefault("stdin", subprocess.DEVNULL)  # never the runner's own stdin
    return subprocess.run(
        [sys.executable, "-m", "tokstats", *args],
        env=env,  # type: ignore[call-overload, no-any-return]
        timeout=TIMEOUT,
        **streams,
    )


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def wait_until_blocked(pid: int) -> None:
    """Wait until the process has used no CPU for a second (it is blocked, e.g. on a read)."""
    deadline = time.monotonic() + TIMEOUT
    last, still = cpu_ticks(pid), 0
    while still < 4 and time.monotonic() < deadline:
        time.sleep(0.25)
        now = cpu_ticks(pid)
        still = still + 1 if now == last else 0
        last = now


def wait_for_children(pid: int) -> None:
    """Wait until the process has started a child process (a Dask worker)."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):  # a thread that has just ended
                if (task / "children").read_text().strip():
                    return
        time.sleep(0.05)


@pytest.fixture
def hello(tmp_path: Path) -> Path:
    path = tmp_path / "hello.txt"
    path.write_text("Hello, world!\n", "utf-8")
    return path


# --- no hang: devices, FIFOs, endless standard input ---------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["count", "/dev/zero"],
        ["compare", "/dev/zero"],
        ["show", "--file", "/dev/zero"],
        ["cost", "/dev/zero", "--requests", "1", "--models", "gpt-4o", "--output-tokens", "1"],
    ],
)
def test_device_file_is_refused(argv: list[str], offline_env: dict[str, str]) -> None:
    r = spawn(argv, offline_env)
    one_line_error(r.returncode, r.stdout.decode(), r.stderr.decode(), "/dev/zero: is a device, not a regular file")


def test_endless_stdin_stops_at_the_cap(offline_env: dict[str, str]) -> None:
    with open("/dev/zero", "rb") as zero:
        r = spawn(["count", "-"], {**offline_env, "TOKSTATS_MAX_STDIN_BYTES": "1M"}, stdin=zero)
    one_line_error(
        r.returncode,
        r.stdout.decode(),
        r.stderr.decode(),
        "more than 1048576 bytes on standard input",
        "TOKSTATS_MAX_STDIN_BYTES",
    )


def test_stdin_under_the_cap_counts_exactly(offline_env: dict[str, str]) -> None:
    r = spawn(
        ["count", "-", "--format", "json"],
        {**offline_env, "TOKSTATS_MAX_STDIN_BYTES": "64K"},
        input=b"hello world " * 100,
    )
    assert r.returncode == 0, r.stderr
    enc = tokstats.get_encoding("cl100k_base")
    assert json.loads(r.stdout)["total_tokens"] == len(enc.encode_ordinary("hello world " * 100))


def test_bad_stdin_cap_is_one_line(offline_env: dict[str, str]) -> None:
    r = spawn(["count", "-"], {**offline_env, "TOKSTATS_MAX_STDIN_BYTES": "lots"}, input=b"x")
    one_line_error(r.returncode, r.stdout.decode(), r.stderr.decode(), "TOKSTATS_MAX_STDIN_BYTES='lots'")


@pytest.mark.parametrize("command", ["count", "compare", "show"])
def test_fifo_without_a_writer_is_refused_not_waited_on(command: str, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    argv = [command, "--file", str(fifo)] if command == "show" else [command, str(fifo)]
    status, out, err = run_main(*argv)  # would block forever in open() before the fix
    one_line_error(status, out, err, "is a FIFO (named pipe), not a regular file")


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_rank_file_that_is_not_a_file_says_so(kind: str, tmp_path: Path, offline_env: dict[str, str]) -> None:
    rank = tmp_path / "cl100k_base.tiktoken"
    if kind == "fifo":
        os.mkfifo(rank)
    else:
        rank.symlink_to("/dev/zero")
    r = spawn(["show", "hi", "--encodings", "cl100k_base"], {**offline_env, "TOKSTATS_RANK_DIR": str(tmp_path)})
    err = r.stderr.decode()
    one_line_error(
        r.returncode, r.stdout.decode(), err, "rank file for cl100k_base cannot be used", "not a regular file"
    )
    assert "internet" not in err


def test_ctrl_c_while_reading_stdin_is_130(offline_env: dict[str, str]) -> None:
    read_end, write_end = os.pipe()  # a writer that never writes: stdin stays open and empty
    try:
        p = subprocess.Popen(
            [sys.executable, "-m", "tokstats", "count", "-"],
            stdin=read_end,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=offline_env,
        )
        wait_until_blocked(p.pid)  # start-up done (imports, the encoding load): waiting on stdin
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=TIMEOUT)
    finally:
        os.close(read_end)
        os.close(write_end)
    assert p.returncode == 130, err
    assert out == b""
    assert err.decode() == "tokstats count: interrupted\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["count", "-"],
        ["cost", "-", "--requests", "1", "--models", "gpt-4o", "--output-tokens", "1", "--plot", "{out}"],
    ],
)
def test_sigterm_is_one_line_143_and_leaves_no_file(
    argv: list[str], tmp_path: Path, offline_env: dict[str, str]
) -> None:
    (tmp_path / "out").mkdir()
    chart = tmp_path / "out" / "chart.png"
    read_end, write_end = os.pipe()  # a writer that never writes: stdin stays open and empty
    try:
        p = subprocess.Popen(
            [sys.executable, "-m", "tokstats", *(a.replace("{out}", str(chart)) for a in argv)],
            stdin=read_end,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=offline_env,
        )
        wait_until_blocked(p.pid)
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=TIMEOUT)
    finally:
        os.close(read_end)
        os.close(write_end)
    assert p.returncode == 143, err
    assert out == b""
    assert err.decode() == f"tokstats {argv[0]}: terminated\n"
    assert list((tmp_path / "out").iterdir()) == []  # no chart, no temporary file


def _hostile(path: Path, kind: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_ignore_files_that_are_not_files_do_not_hang_the_walk(
    kind: str, tmp_path: Path, offline_env: dict[str, str]
) -> None:
    """Issue 27 item 1: .gitignore, .ignore, .git/info/exclude, the global excludes file and
    .git itself as a FIFO (no writer) or a link to /dev/zero (endless): each is reported, not read."""
    import resource

    repo, gitfile, home = tmp_path / "repo", tmp_path / "gitfile", tmp_path / "home"
    for root in (repo, gitfile):
        (root / "sub").mkdir(parents=True)
        (root / "sub" / "a.txt").write_text("hi\n")
    (repo / ".git" / "info").mkdir(parents=True)
    for rel in (".gitignore", "sub/.ignore", ".git/info/exclude"):
        _hostile(repo / rel, kind)
    _hostile(gitfile / ".git", kind)
    _hostile(home / "git" / "ignore", kind)

    def cap_memory() -> None:  # before the fix /dev/zero was read until memory ran out
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    started = time.monotonic()
    r = spawn(
        ["count", "-r", "--format", "json", str(repo), str(gitfile)],
        {**offline_env, "XDG_CONFIG_HOME": str(home)},
        preexec_fn=cap_memory,
    )
    assert r.returncode == 0, r.stderr
    assert time.monotonic() - started < TIMEOUT
    out = json.loads(r.stdout)
    assert [f["path"] for f in out["files"]] == [str(repo / "sub" / "a.txt"), str(gitfile / "sub" / "a.txt")]
    unread = {s["path"]: s["reason"] for s in out["skipped"] if " not read" in s["reason"]}
    why = "a symbolic link (git does not follow one in the tree)" if kind == "dev-zero" else "not a regular file"
    assert unread[str(repo / ".gitignore")].startswith(f".gitignore not read: {why}")
    assert unread[str(repo / "sub" / ".ignore")].startswith(f"sub/.ignore not read: {why}")
    assert unread[str(repo / ".git" / "info" / "exclude")] == (
        ".git/info/exclude not read: not a regular file (device, FIFO or socket)"
    )
    assert unread[str(home / "git" / "ignore")].startswith("the global git excludes file not read: not a regular")
    assert unread[str(gitfile / ".git")].startswith(".git not read, so .git/info/exclude does not apply")
    assert "ignore file not read" in r.stderr.decode()


# --- closed and failing standard streams ---------------------------------------------------------


def test_full_disk_on_stdout_is_one_line(hello: Path, offline_env: dict[str, str]) -> None:
    with open("/dev/full", "w") as full:
        r = spawn(["count", str(hello)], offline_env, stdout=full)
    assert r.returncode == 2
    assert r.stderr.decode() == "tokstats count: error: cannot write to standard output: No space left on device\n"


def test_closed_stdout_is_one_line(hello: Path, offline_env: dict[str, str]) -> None:
    r = subprocess.run(
        f'"{sys.executable}" -m tokstats count "{hello}" >&-',
        shell=True,
        env=offline_env,
        stderr=subprocess.PIPE,
        timeout=TIMEOUT,
    )
    assert r.returncode == 2
    assert r.stderr.decode() == "tokstats count: error: standard output is closed\n"


def test_closed_stdin_is_one_line(offline_env: dict[str, str]) -> None:
    r = subprocess.run(
        f'"{sys.executable}" -m tokstats count - <&-', shell=True, env=offline_env, capture_output=True, timeout=TIMEOUT
    )
    one_line_error(r.returncode, r.stdout.decode(), r.stderr.decode(), "<stdin>: standard input is closed")


def test_closed_pipe_is_quiet_141(offline_env: dict[str, str]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader (`| head`) has already gone
    try:
        r = spawn(["reproduce"], offline_env, stdout=write_end)
    finally:
        os.close(write_end)
    assert r.returncode == 141
    assert r.stderr == b""


# --- option values and command lines -------------------------------------------------------------


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["compare", "--seed", "-1"], "--seed: -1 is out of range: give a seed from 0 to"),
        (["compare", "--resamples", "0"], "--resamples: 0 is out of range"),
        (["compare", "--resamples", "1000000000"], "from 1 to 100,000"),
        (["plot", "compare", "--resamples", "0", "--output", "x.png"], "--resamples: 0 is out of range"),
        (
            ["cost", "--language-mix", "en=1", "--models", "gpt-4o", "--output-tokens", "1", "--requests", "9" * 400],
            "--requests: 999999999999…(400 characters) is out of range",
        ),
        (
            ["cost", "--language-mix", "en=1", "--models", "gpt-4o", "--requests", "1", "--output-tokens", "9" * 400],
            "--output-tokens",
        ),
        (["count", "--jobs", "10000", "x"], "--jobs: 10000 is out of range: give a number of threads from 1 to 256"),
        (["count", "--scheduler", "local:99999999", "x"], "local:N needs a whole number of workers from 1 to 64"),
        (["compare", "--no-such-option"], "unrecognized arguments: --no-such-option"),
        (["no-such-command"], "invalid choice: 'no-such-command'"),
    ],
)
def test_odd_option_values_are_one_line(argv: list[str], fragment: str) -> None:
    status, out, err = run_main(*argv)
    one_line_error(status, out, err, fragment)


def test_api_rejects_out_of_range_values() -> None:
    with pytest.raises(InputError, match="resamples must be a whole number from 1 to 100,000"):
        tokstats.compare(resamples=10**9)
    with pytest.raises(InputError, match="seed must be a whole number"):
        tokstats.compare(seed=-1)
    with pytest.raises(InputError, match="jobs must be a whole number from 1 to 256"):
        tokstats.count("x", "cl100k_base", jobs=10_000)


def test_non_utf8_argument_to_show_is_one_line() -> None:
    status, out, err = run_main("show", "\udcff abc")  # what Python makes of the bytes $'\xff abc'
    one_line_error(status, out, err, "TEXT: invalid UTF-8 at byte offset 0 (byte ff")


def test_non_utf8_file_name_prints_on_a_strict_utf8_stdout(tmp_path: Path, offline_env: dict[str, str]) -> None:
    name = os.fsencode(tmp_path) + b"/caf\xe9.txt"
    with open(name, "wb") as f:
        f.write(b"hello")
    for fmt in ("table", "json", "csv"):
        r = subprocess.run(
            [os.fsencode(sys.executable), b"-m", b"tokstats", b"count", name, b"--format", fmt.encode()],
            env={**offline_env, "PYTHONIOENCODING": "utf-8:strict"},
            capture_output=True,
            timeout=TIMEOUT,
        )
        assert r.returncode == 0, r.stderr
        text = r.stdout.decode("utf-8")  # valid UTF-8
        shown = json.loads(text)["files"][0]["path"] if fmt == "json" else text
        assert "caf\\xe9.txt" in shown


# --- safe output ---------------------------------------------------------------------------------


@pytest.fixture
def odd_names(tmp_path: Path) -> list[Path]:
    paths = [tmp_path / "two\nlines.txt", tmp_path / "=cmd|' \u202e C calc'!A0", tmp_path / "@SUM(1+1)"]
    for p in paths:
        p.write_text("some text", "utf-8")
    return paths


def test_newline_in_a_file_name_cannot_add_rows(odd_names: list[Path], tmp_path: Path) -> None:
    import pandas as pd

    argv = ["count", *map(str, odd_names)]
    status, table, _ = run_main(*argv)
    assert status == 0
    body = table.split("\n\n")[0].splitlines()
    assert len(body) == 2 + len(odd_names)  # header, rule, one line per file
    assert "two\\nlines.txt" in table and "\\u202e" in table
    status, markdown, _ = run_main(*argv, "--format", "markdown")
    assert sum(line.startswith("| ") for line in markdown.splitlines()) == 1 + len(odd_names)
    status, text, err = run_main(*argv, "--format", "csv")
    (tmp_path / "out.csv").write_text(text, "utf-8")
    df = pd.read_csv(tmp_path / "out.csv")
    assert len(df) == len(odd_names) and df["tokens"].dtype.kind == "i"
    assert err.splitlines()[-1].startswith("# signature: ")
    assert len(text.splitlines()) == 1 + len(odd_names)
    status, js, _ = run_main(*argv, "--format", "json")
    assert [f["path"] for f in json.loads(js)["files"]] == [str(p) for p in odd_names]  # exact in JSON


def test_csv_cells_cannot_be_formulas(odd_names: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # names as given: "=cmd|…", "@SUM(…)"
    status, text, _ = run_main("count", *(p.name for p in odd_names), "--format", "csv")
    assert status == 0
    cells = [row[0] for row in csv.reader(io.StringIO(text)) if row and not row[0].startswith("#")][1:]
    assert cells and all(not c.startswith(("=", "+", "-", "@")) for c in cells), cells
    assert any(c.startswith("'=cmd") for c in cells) and any(c.startswith("'@SUM") for c in cells)


def test_json_is_always_strict() -> None:
    from tokstats.output._render import render
    from tokstats.output._signature import build_signature

    rows = [{"a": float("inf"), "b": float("nan"), "c": -float("inf"), "d": 1.5}]
    text = render(rows, ["a", "b", "c", "d"], "json", build_signature([]))
    parsed = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))
    assert parsed["rows"] == [{"a": None, "b": None, "c": None, "d": 1.5}]


def test_skip_invalid_csv_names_the_skipped_files(tmp_path: Path, hello: Path) -> None:
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"ok \xff\xfe")
    status, text, err = run_main("count", "--skip-invalid", "--format", "csv", str(hello), str(bad))
    assert status == 0
    assert not any(line.startswith("#") for line in text.splitlines()), text  # stdout: header and rows
    comments = [line for line in err.splitlines() if line.startswith("#")]
    assert any(str(bad) in c and "invalid UTF-8" in c for c in comments), err
    assert f"skipped {bad}" in err


# --- charts are written whole or not at all ------------------------------------------------------


def test_chart_onto_a_full_disk_leaves_the_old_file(tmp_path: Path, offline_env: dict[str, str]) -> None:
    import resource

    folder = tmp_path / "charts"
    folder.mkdir()
    target = folder / "ratios.png"
    target.write_bytes(b"the previous chart")

    def small_disk() -> None:  # writes past 2 KB fail with EFBIG, as a full disk fails with ENOSPC
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))

    r = spawn(["plot", "reproduce", "--output", str(target)], offline_env, preexec_fn=small_disk)
    one_line_error(r.returncode, r.stdout.decode(), r.stderr.decode(), f"--output {target}: cannot write the chart")
    assert target.read_bytes() == b"the previous chart"
    assert sorted(p.name for p in folder.iterdir()) == ["ratios.png"]  # no temporary file left


def test_cost_plot_onto_dev_full_is_refused(offline_env: dict[str, str]) -> None:
    r = spawn(
        [
            "cost",
            "--language-mix",
            "en=1",
            "--requests",
            "10",
            "--models",
            "gpt-4o",
            "--output-tokens",
            "5",
            "--plot",
            "/dev/full",
        ],
        offline_env,
    )
    one_line_error(r.returncode, r.stdout.decode(), r.stderr.decode(), "--plot /dev/full")


def test_chart_is_written_readable_by_others(tmp_path: Path) -> None:
    status, _, err = run_main("plot", "reproduce", "--output", str(tmp_path / "r.svg"))
    assert status == 0, err
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "r.svg").stat().st_mode & 0o777 == 0o666 & ~mask
    assert (tmp_path / "r.svg").read_text("utf-8").lstrip().startswith("<?xml")


# --- JSON inputs and corpora ---------------------------------------------------------------------


def test_deep_json_corpus_file_is_one_line(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    status, out, err = run_main("compare", "--corpus-file", str(deep))
    one_line_error(status, out, err, f"{deep}: JSON nested too deeply to read")


@pytest.mark.parametrize(
    "line, fragment",
    [
        ("[" * 100_000 + "]" * 100_000, "JSON nested too deeply to read"),
        ('{"text": ' + "1" * 4301 + "}", "column 'text' is Decimal, not a string"),  # read, then refused as text
    ],
)
def test_hostile_jsonl_is_one_line(line: str, fragment: str, tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text('{"text": "fine"}\n' + line + "\n", "utf-8")
    status, out, err = run_main("compare", str(path))
    assert status == 2 and out == "" and err.count("\n") == 1 and str(path) in err and fragment in err, err


def test_corpus_takes_only_a_shipped_name(tmp_path: Path) -> None:
    fake = tmp_path / "fake.json"
    fake.write_text(json.dumps({"entries": []}), "utf-8")
    climbing = "../" * 12 + str(fake.with_suffix("")).lstrip("/")  # relative to the corpora folder
    for name in (str(fake.with_suffix("")), climbing):  # ".json" was appended to the name
        status, out, err = run_main("compare", "--corpus", name)
        one_line_error(status, out, err, "unknown corpus", "known corpora: gpt4o-launch, parallel")
        with pytest.raises(tokstats.UnknownNameError):
            tokstats.load_corpus(name)


def test_corpus_file_is_an_explicit_option(tmp_path: Path) -> None:
    source = json.loads((Path(__file__).parent.parent / "corpora" / "parallel.json").read_text("utf-8"))
    source["entries"] = source["entries"][:4]
    mine = tmp_path / "mine.json"
    mine.write_text(json.dumps(source), "utf-8")
    status, out, err = run_main("compare", "--corpus-file", str(mine), "--format", "json", "--resamples", "50")
    assert status == 0, err
    result = json.loads(out)
    assert result["signature"]["corpus"]["name"] == "user:mine"
    enc = tokstats.get_encoding("cl100k_base")
    en = next(r for r in result["rows"] if r["source"] == "en")
    assert en["tokens"]["cl100k_base"] == sum(len(enc.encode_ordinary(e["text"]["en"])) for e in source["entries"])


@pytest.mark.parametrize(
    "content, fragment",
    [
        ("not json", "invalid JSON"),
        ('{"no": "entries"}', 'expected a JSON object with an "entries" list'),
        ("[1, 2]", 'expected a JSON object with an "entries" list'),
    ],
)
def test_bad_corpus_file_is_one_line(content: str, fragment: str, tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text(content, "utf-8")
    status, out, err = run_main("compare", "--corpus-file", str(path))
    one_line_error(status, out, err, str(path), fragment)


@pytest.mark.parametrize(
    "argv", [["reproduce", "--corpus", "parallel"], ["plot", "reproduce", "--corpus", "parallel", "--output", "x.png"]]
)
def test_reproduce_on_a_corpus_without_published_counts(argv: list[str]) -> None:
    status, out, err = run_main(*argv)
    one_line_error(status, out, err, "corpus parallel: entry 1 is not a published-table row")


# --- the Python API validates its arguments ------------------------------------------------------


@pytest.mark.parametrize(
    "call, fragment",
    [
        (lambda: tokstats.count_message_tokens([{"role": "user", "content": "hi"}], model=None), "model must be"),
        (
            lambda: tokstats.count_message_tokens([{"role": "user", "content": "hi"}], "gpt-4o", tools="abc"),
            "tools must be a list",
        ),
        (
            lambda: tokstats.count_tool_tokens([{"function": {"name": "f", "parameters": [1]}}], "gpt-4o"),
            "parameters must be an object",
        ),
        (
            lambda: tokstats.count_tool_tokens(
                [{"function": {"name": "f", "parameters": {"properties": {"a": {"enum": 5}}}}}], "gpt-4o"
            ),
            "enum must be a list",
        ),
        (lambda: tokstats.count_tool_tokens([5], "gpt-4o"), "tool 0 must be an object"),
        (lambda: tokstats.count(b"bytes", "cl100k_base"), "text must be a str"),
        (
            lambda: tokstats.count("x", 42),
            r"tokenizer must be a tokenizer spec \(such as .o200k_base.\), a Tokenizer or a tiktoken.Encoding",
        ),
        (lambda: tokstats.load_corpus(None), "name must be a corpus name"),
    ],
)
def test_api_wrong_types_raise_named_errors(call: object, fragment: str) -> None:
    with pytest.raises(TokstatsError, match=fragment):
        call()  # type: ignore[operator]


def test_quicktok_counts_a_lone_surrogate_as_tiktoken_does() -> None:
    pytest.importorskip("quicktok")
    text = "a\ud800b \udcff"
    assert tokstats.count(text, "cl100k_base", backend="quicktok") == tokstats.count(text, "cl100k_base")


# --- Dask: addresses that are not schedulers, URLs that climb out ---------------------------------


@contextlib.contextmanager
def fake_server(reply: bytes | None) -> Iterator[str]:
    """A TCP server on loopback that sends ``reply`` on connect (or nothing), then waits."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            if reply:
                conn.sendall(reply)
            stop.wait(5)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        server.close()


@pytest.mark.parametrize(
    "reply, fragment",
    [
        (None, "is not a Dask scheduler: no handshake within 1 s"),
        (b"\xff" * 64, "is not a Dask scheduler (its first message announces 18446744073709551615 bytes)"),
        (b"HTTP/1.1 400 Bad Request\r\n\r\n", "is not a Dask scheduler"),
    ],
)
def test_an_address_that_is_not_a_dask_scheduler(reply: bytes | None, fragment: str) -> None:
    from tokstats.scale._cluster import probe_scheduler

    with fake_server(reply) as address:
        with pytest.raises(InputError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
            probe_scheduler(address, timeout=1)


def test_scheduler_address_that_is_not_dask_fails_within_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    from tokstats.scale import _cluster as dist

    monkeypatch.setattr(dist, "CONNECT_TIMEOUT", 1)
    with fake_server(None) as address:
        status, out, err = run_main("count", "--scheduler", address, __file__)
    one_line_error(status, out, err, f"{address} is not a Dask scheduler")


@pytest.mark.parametrize(
    "url", ["memory://bucket/../../../payload.txt", "s3://b/./x/../../etc/passwd", "memory://a/..\\..\\payload.txt"]
)
def test_dotdot_url_is_refused_and_nothing_is_written_outside(url: str, tmp_path: Path) -> None:
    pytest.importorskip("fsspec")
    from tokstats.scale._cluster import expand_inputs
    from tokstats.scale._compare import _local_copy

    with pytest.raises(InputError, match="'..' or '.' in its path is refused"):
        expand_inputs([url])
    with pytest.raises(InputError, match="'..' or '.' in its path is refused"):
        with _local_copy(url):
            pass


def test_worker_copy_stays_in_its_temporary_folder_and_is_removed() -> None:
    fsspec = pytest.importorskip("fsspec")
    import tempfile

    from tokstats.scale._compare import _local_copy

    fsspec.filesystem("memory").pipe("/robust-test/lang/LC_MESSAGES/x.txt", b"hello")
    with _local_copy("memory://robust-test/lang/LC_MESSAGES/x.txt") as local:
        assert Path(local).read_bytes() == b"hello"
        assert os.path.commonpath([tempfile.gettempdir(), local]) == tempfile.gettempdir()
        folder = Path(local).parents[2]
    assert not folder.exists()


def test_ctrl_c_during_local_cluster_start_up(offline_env: dict[str, str], hello: Path) -> None:
    pytest.importorskip("distributed")
    p = subprocess.Popen(
        [sys.executable, "-m", "tokstats", "count", "--scheduler", "local:2", str(hello)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=offline_env,
        start_new_session=True,
    )
    wait_for_children(p.pid)  # the worker processes are starting
    os.killpg(p.pid, signal.SIGINT)  # as Ctrl-C does: the whole process group
    out, err = p.communicate(timeout=TIMEOUT)
    assert p.returncode in (130, 0), err  # 0 only if the run finished before the signal
    assert b"Traceback" not in err
    if p.returncode == 130:
        assert err.decode() == "tokstats count: interrupted\n" and out == b""


def test_cluster_that_loses_every_worker_stops_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    distributed = pytest.importorskip("distributed")
    from tokstats.scale import _cluster as dist

    monkeypatch.setattr(dist, "WORKER_TIMEOUT", 1)
    monkeypatch.setattr(dist, "POLL_SECONDS", 0.2)
    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster,
        distributed.Client(cluster) as client,
    ):
        threading.Timer(1.0, lambda: cluster.scale(0)).start()
        with pytest.raises(InputError, match="lost all its workers and none came back within 1 s"):
            dist.run_ordered(client, time.sleep, [30], label="robust-test")


# --- issue #27: edges ----------------------------------------------------------------------------


def test_reference_language_not_in_the_data_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    rows = [{"id": "1", "lang": "en", "text": "Hello"}, {"id": "1", "lang": "fr", "text": "Bonjour"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    argv = ["compare", str(path), "--language-column", "lang", "--id-column", "id", "--reference", "xx"]
    status, out, err = run_main(*argv)
    one_line_error(status, out, err, "'xx' is not in the data", "languages present: en, fr")
    with pytest.raises(InputError, match="'xx' is not in the data; languages present: en, fr"):
        tokstats.compare({"en": "Hello", "fr": "Bonjour"}, reference="xx")
    assert run_main(*argv[:-1], "fr")[0] == 0


@pytest.mark.parametrize("command", ["prices", "cost"])
@pytest.mark.parametrize(
    "day, fragment",
    [
        ("", "--as-of is empty: give a date (YYYY-MM-DD)"),
        ("9999-12-31", "--as-of 9999-12-31 is out of range: give a day from 2023-03-01 (the first known prices) to"),
        ("1999-01-01", "--as-of 1999-01-01 is out of range: give a day from 2023-03-01"),
    ],
)
def test_as_of_outside_the_known_prices_is_one_line(command: str, day: str, fragment: str) -> None:
    workload = ["--language-mix", "en=1", "--models", "gpt-4o", "--output-tokens", "1", "--requests", "1"]
    status, out, err = run_main(command, *(workload if command == "cost" else []), "--as-of", day)
    one_line_error(status, out, err, fragment)


def test_api_as_of_outside_the_known_prices() -> None:
    with pytest.raises(InputError, match="as_of 9999-12-31 is out of range"):
        tokstats.forecast_language_mix({"en": 1}, 1, ["gpt-4o"], output_tokens=1, as_of="9999-12-31")
    with pytest.raises(InputError, match="as_of is empty"):
        tokstats.forecast_language_mix({"en": 1}, 1, ["gpt-4o"], output_tokens=1, as_of="")


def test_skip_invalid_signature_counts_unreadable_folders_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text("hello\n", "utf-8")
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9\n")  # invalid UTF-8
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text("b\n", "utf-8")
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if os.fspath(path).endswith("locked"):  # as for a folder without read permission (tests run as root)
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    status, out, err = run_main("count", "--recursive", "--skip-invalid", "--format", "json", str(tmp_path))
    assert status == 0, err
    obj = json.loads(out)
    assert obj["signature"]["skipped_invalid"] == "2"
    assert sorted(s["path"] for s in obj["skipped"]) == [str(tmp_path / "bad.txt"), str(tmp_path / "locked")]
    status, out, err = run_main("count", "--recursive", "--skip-invalid", str(tmp_path))
    assert "skipped 2 files (--skip-invalid), not in the total:" in out
    assert out.rstrip().endswith("|skipped_invalid:2")


def test_a_newline_and_a_literal_backslash_n_print_differently(tmp_path: Path) -> None:
    (tmp_path / "x\nfile.txt").write_text("a\n", "utf-8")
    (tmp_path / "x\\nfile.txt").write_text("b\n", "utf-8")
    for fmt in ("table", "csv", "markdown"):
        status, out, err = run_main("count", "--recursive", "--format", fmt, str(tmp_path))
        assert status == 0, err
        assert "x\\nfile.txt" in out and "x\\\\nfile.txt" in out, out
    from tokstats.output._render import printable

    assert printable("C:\\data") == "C:\\data"  # a backslash that reads as no escape stays single
    assert printable("a\\\\b") == "a\\\\\\b"  # \\ then \b: reads back as a\\b
