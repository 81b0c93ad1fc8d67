"""``tokstats count`` end to end, in a subprocess, offline."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tokstats import get_encoding
from tokstats.cli.count import PROGRESS_MIN_BYTES, want_progress

TEXT = "Hello, world!\nBonjour le monde\r\n<|endoftext|> こんにちは世界 👋🏽\n"


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    a = tmp_path / "a.txt"
    a.write_bytes(TEXT.encode())
    b = tmp_path / "b.py"
    b.write_bytes(Path(__file__).read_bytes())
    return [a, b]


def expected(path: Path, name: str = "cl100k_base") -> int:
    return len(get_encoding(name).encode_ordinary(path.read_bytes().decode("utf-8")))


def test_json_shape_and_counts(run_cli, files: list[Path]) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("count", "--format", "json", "--encoding", "o200k_base", *map(str, files))
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""  # no progress bar when stderr is not a terminal
    out = json.loads(r.stdout)
    assert set(out) == {"signature", "files", "total_tokens"}
    assert out["signature"]["encodings"][0]["name"] == "o200k_base"
    assert out["signature"]["count"] == "encode_ordinary"
    # The inputs are in the signature, each file with its sha256 (many files: one combined hash).
    assert out["signature"]["inputs"] == ",".join(
        f"{f}@{hashlib.sha256(f.read_bytes()).hexdigest()[:12]}" for f in files
    )
    assert out["files"] == [
        {"path": str(f), "bytes": f.stat().st_size, "tokens": expected(f, "o200k_base")} for f in files
    ]
    assert out["total_tokens"] == sum(expected(f, "o200k_base") for f in files)


def test_table_has_rows_total_and_signature(run_cli, files: list[Path]) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("count", "--jobs", "1", str(files[0]))
    assert r.returncode == 0, r.stderr
    n = expected(files[0])
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["path", "bytes", "tokens"]
    assert lines[2].split() == [str(files[0]), str(len(TEXT.encode())), str(n)]
    assert f"total: {n} tokens in 1 file ({len(TEXT.encode())} bytes)" in r.stdout
    assert lines[-1].startswith("signature: tokstats:") and "enc:cl100k_base@223921b76ee9" in lines[-1]


def test_invalid_utf8_exit_2_one_line(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\n" * 400_000 + b"\xfe" + b"ok\n")  # the bad byte in the second 1 MiB block
    r = run_cli("count", str(bad))
    assert r.returncode == 2
    assert (
        r.stderr
        == f"tokstats count: error: {bad}: invalid UTF-8 at byte offset 1200000 (byte fe: invalid start byte)\n"
    )
    assert r.stdout == ""


def test_missing_file_and_bad_options(run_cli, files: list[Path], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("count", str(files[0]), str(tmp_path / "gone.txt"))
    assert (r.returncode, r.stderr) == (2, f"tokstats count: error: {tmp_path / 'gone.txt'}: no such file\n")
    r = run_cli("count", "--backend", "rusty", str(files[0]))
    assert (r.returncode, r.stderr) == (
        2,
        "tokstats count: error: unknown backend 'rusty'; known backends: auto, quicktok, tiktoken\n",
    )
    r = run_cli("count", "--encoding", "nope", str(files[0]))
    assert r.returncode == 2 and "unknown tokenizer 'nope'" in r.stderr and "Traceback" not in r.stderr


def test_directory_refused_then_counted_recursively(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d = tmp_path / "tree"
    (d / "sub").mkdir(parents=True)
    (d / ".git").mkdir()
    (d / ".git" / "pack").write_bytes(b"\xff\xfe binary")  # hidden: skipped
    (d / "z.txt").write_text("zed\n", "utf-8")
    (d / "sub" / "a.txt").write_text("alpha beta\n", "utf-8")
    r = run_cli("count", str(d))
    assert r.returncode == 2
    assert (
        r.stderr
        == f"tokstats count: error: {d}: is a directory; pass --recursive to count every file under it, or name the files\n"
    )
    r = run_cli("count", "--recursive", "--format", "json", str(d))
    assert r.returncode == 0, r.stderr
    assert [f["path"] for f in json.loads(r.stdout)["files"]] == [str(d / "sub" / "a.txt"), str(d / "z.txt")]
    assert r.stderr == f"tokstats count: {d}: counting 2 files under it; skipped 1 hidden (--format json lists them)\n"
    assert json.loads(r.stdout)["skipped"] == [{"path": str(d / ".git"), "reason": "hidden (name starts with '.')"}]


def test_quicktok_backend_same_counts(run_cli, files: list[Path]) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("quicktok", reason="optional backend quicktok-v1 not installed")
    r = run_cli("count", "--backend", "quicktok", "--format", "json", *map(str, files))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["total_tokens"] == sum(expected(f) for f in files)
    assert out["signature"]["backend"].startswith("quicktok-v1-")


def test_start_does_not_import_pandas_or_matplotlib(offline_env: dict[str, str], files: list[Path]) -> None:
    code = (
        "import sys\n"
        "from tokstats.cli import main\n"
        f"status = main(['count', {str(files[0])!r}])\n"
        "heavy = sorted(m for m in ('pandas', 'matplotlib', 'numpy') if m in sys.modules)\n"
        "print('HEAVY', heavy, status, file=sys.stderr)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=offline_env, timeout=120, check=False
    )
    assert r.returncode == 0, r.stderr
    assert "HEAVY [] 0" in r.stderr


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def test_progress_bar_only_on_a_terminal_for_large_input() -> None:
    assert want_progress(_Stream(True), PROGRESS_MIN_BYTES)
    assert not want_progress(_Stream(True), PROGRESS_MIN_BYTES - 1)
    assert not want_progress(_Stream(False), 10 * PROGRESS_MIN_BYTES)


def test_many_inputs_are_summarised_in_the_signature(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths = []
    for i in range(12):
        p = tmp_path / f"f{i:02}.txt"
        p.write_text(f"file {i}\n")
        paths.append(p)
    r = run_cli("count", "--format", "json", *map(str, paths))
    assert r.returncode == 0, r.stderr
    shas = "\n".join(hashlib.sha256(p.read_bytes()).hexdigest() for p in paths)
    assert json.loads(r.stdout)["signature"]["inputs"] == f"12 files@{hashlib.sha256(shas.encode()).hexdigest()[:12]}"


def test_skip_invalid_reports_each_skipped_file(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text("hello world\n")
    (tmp_path / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n\xff")  # no NUL byte: not taken for binary
    (tmp_path / "c.txt").write_text("more text\n")
    strict = run_cli("count", "--recursive", str(tmp_path))
    assert strict.returncode == 2 and "b.png: invalid UTF-8 at byte offset 0" in strict.stderr
    r = run_cli("count", "--recursive", "--skip-invalid", "--format", "json", str(tmp_path))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [f["path"] for f in out["files"]] == [str(tmp_path / "a.txt"), str(tmp_path / "c.txt")]
    assert out["total_tokens"] == expected(tmp_path / "a.txt") + expected(tmp_path / "c.txt")
    assert out["skipped"] == [
        {
            "path": str(tmp_path / "b.png"),
            "reason": f"{tmp_path / 'b.png'}: invalid UTF-8 at byte offset 0 (byte 89: invalid start byte)",
        }
    ]
    assert out["signature"]["skipped_invalid"] == "1"
    assert "b.png" not in r.stderr  # listed once, in the output
    table = run_cli("count", "--recursive", "--skip-invalid", str(tmp_path))
    assert "skipped 1 file (--skip-invalid), not in the total:" in table.stdout
    assert "b.png" not in table.stderr
    csv = run_cli("count", "--recursive", "--skip-invalid", "--format", "csv", str(tmp_path))
    assert f"tokstats count: skipped {tmp_path / 'b.png'}: invalid UTF-8" in csv.stderr


def test_standard_input_is_counted_exactly(offline_env: dict[str, str]) -> None:
    import subprocess
    import sys

    data = "héllo <|endoftext|>\r\nworld\n".encode()
    r = subprocess.run(
        [sys.executable, "-m", "tokstats", "count", "-", "--format", "json"],
        input=data,
        capture_output=True,
        env=offline_env,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["files"] == [
        {"path": "-", "bytes": len(data), "tokens": len(get_encoding("cl100k_base").encode_ordinary(data.decode()))}
    ]
    bad = subprocess.run(
        [sys.executable, "-m", "tokstats", "count", "-"],
        input=b"ok\n\xff",
        capture_output=True,
        env=offline_env,
        timeout=120,
    )
    assert bad.returncode == 2
    assert (
        bad.stderr.decode().strip()
        == "tokstats count: error: <stdin>: invalid UTF-8 at byte offset 3 (byte ff: invalid start byte)"
    )


def test_no_path_reads_piped_standard_input(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("count", "--format", "json", input=TEXT)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [f["path"] for f in out["files"]] == ["-"]
    assert out["total_tokens"] == len(get_encoding("cl100k_base").encode_ordinary(TEXT))


def test_no_path_on_a_terminal_says_to_give_a_path_or_pipe_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tokstats.cli import main

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal())
    assert main(["count"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("tokstats count: error: the following arguments are required: PATH (give a PATH")
    assert "pipe text in" in captured.err and "'tokstats count --help'" in captured.err


def test_model_name_as_encoding_points_to_model(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("count", "--encoding", "gpt-4o", "-", input="hi")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.count("\n") == 1
    assert r.stderr.startswith("tokstats count: error: unknown tokenizer 'gpt-4o'; known tokenizers: ")
    assert r.stderr.endswith("; 'gpt-4o' is a model, not a tokenizer: give --model gpt-4o (it uses o200k_base)\n")


@pytest.mark.parametrize(
    ("spec", "suggestion"),
    [
        ("o200k", "; did you mean o200k_base"),
        ("cl100k", "; did you mean cl100k_base"),
        ("gpt4o", "; did you mean --model gpt-4o"),
        ("llama-3.1-8b", "give --model llama-3.1-8b (it uses llama3)"),
    ],
)
def test_unknown_tokenizer_suggests_close_names(spec: str, suggestion: str) -> None:
    from tokstats.errors import UnknownTokenizerError
    from tokstats.tokenizers._registry import get_tokenizer

    with pytest.raises(UnknownTokenizerError) as e:
        get_tokenizer(spec)
    message = str(e.value)
    assert message.startswith(f"unknown tokenizer {spec!r}; known tokenizers: ")
    assert "(tokstats encodings lists them); " in message and suggestion in message


def test_unknown_tokenizer_far_from_any_name_suggests_nothing() -> None:
    from tokstats.errors import UnknownTokenizerError
    from tokstats.tokenizers._registry import get_tokenizer

    with pytest.raises(UnknownTokenizerError) as e:
        get_tokenizer("zzzz_nothing")
    assert str(e.value).endswith("(tokstats encodings lists them)")
