"""A fuzz test of the whole command line (issue 13 item 4, issue 16 item 7).

Hypothesis feeds every subcommand random and adversarial arguments — small files (invalid UTF-8,
also at a 1 MiB block boundary, binary, empty, a long single line, bad JSONL/CSV/price rows,
gettext catalogs), paths that do not exist, folders, odd option values — and checks what a user
is promised whatever they type:

* the exit status is 0, 1 or 2;
* no traceback and no "internal error" on stderr;
* nothing on stdout when the status is 2;
* whenever ``count`` prints a count, it is ``len(enc.encode_ordinary(text))`` of the file's text.

The CLI runs in this process (``tokstats.cli.main``) with captured streams, so hundreds of cases
take seconds; signals and closed streams are covered by ``tests/test_pathological.py``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tokstats
from tokstats.cli import main
from tokstats.tokenizers._chunking import BLOCK_SIZE

FILES: dict[str, bytes] = {
    "plain.txt": "Hello, world! नमस्ते 你好 <|endoftext|>\n".encode(),
    "empty.txt": b"",
    "bom.txt": "\ufefftext with a BOM".encode(),
    "invalid.txt": b"valid start \xff\xfe then more",
    "truncated.txt": b"ends inside a character: " + "न".encode()[:2],
    "boundary.txt": b"a" * (BLOCK_SIZE - 1) + "é".encode() + b"\x80" + b" tail",
    "binary.bin": bytes(range(256)) * 4,
    "nul.txt": b"text\x00with\x00nuls",
    "long-line.txt": b"x" * 200_000,
    "spaces.txt": b" " * 50_000 + b"\n" * 1000,
    "good.jsonl": b'{"text": "hello", "lang": "en"}\n{"text": "hallo", "lang": "de"}\n',
    "chat.jsonl": b'{"messages": [{"role": "user", "content": "hi"}], "completion": "hello"}\n',
    "bad.jsonl": b'{"text": "ok"}\n{not json}\n',
    "nested.jsonl": b"[" * 5000 + b"]" * 5000 + b"\n",
    "bigint.jsonl": b'{"text": ' + b"7" * 5000 + b"}\n",
    "surrogate.jsonl": b'{"text": "\\ud800 lone"}\n',
    "array.jsonl": b"[1, 2, 3]\n",
    # line 1 is not a chat request and what follows is unreadable: cost reports line 1 at once
    "nomessages.jsonl": b'{"prompt": "hi"}\n{not json}\n\xff' + b"x" * ((1 << 20) + 10) + b"\n",
    "good.csv": b"text,lang\nhello,en\nhallo,de\n",
    "extra.csv": b"text,lang\nhello, world,en\n",
    "dupe.csv": b"text,text\na,b\n",
    "bom.csv": "\ufefftext\nhello\n".encode(),
    "bad.tsv": b"\x00\x01\x02",
    "prices.csv": b"model,encoding,input_per_1m,output_per_1m,source,as_of\ngpt-4o,o200k_base,5,15,test,2024-05-13\n",
    "bad-prices.csv": b"model,encoding,input_per_1m,output_per_1m,source,as_of\ngpt-4o,o200k_base,$$5,1e308,x,20260101\n",
    "catalog.po": b'msgid ""\nmsgstr "Language: de\\n"\n\nmsgid "Hello"\nmsgstr "Hallo"\n',
    "bad.po": b'msgid "unterminated\n',
    "bad.mo": b"\xde\x12\x04\x95" + b"\x00" * 8,
    "data.parquet": b"PAR1 not really parquet PAR1",
    "corpus.json": json.dumps({"entries": [{"id": "1", "text": {"en": "Hello", "de": "Hallo"}}]}).encode(),
    "=formula.txt": b"=1+1",
    "new\nline.txt": b"name with a newline",
}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    for name, data in FILES.items():
        (root / name).write_bytes(data)
    (root / "folder").mkdir()
    (root / "folder" / "inside.txt").write_bytes(b"inside a folder")
    return root


PATHS = st.sampled_from([*FILES, "folder", "missing.txt", "missing/dir/x.jsonl", "", "-", "*.txt"])
ODD_VALUES = st.sampled_from(
    [
        "0",
        "1",
        "-1",
        "2",
        "3",
        "1e9",
        "9" * 400,
        "abc",
        "",
        " ",
        "NaN",
        "inf",
        "1_000",
        "0x10",
        "cl100k_base",
        "o200k_base",
        "nope",
        "gpt-4o",
        "gpt-4o,gpt-4o-mini",
        ",",
        "en",
        "xx",
        "en=1",
        "hi=0.6,en=0.4",
        "en=-1",
        "text",
        "lang",
        "json",
        "csv",
        "table",
        "markdown",
        "\u202e",
        "a\nb",
    ]
)
OPTIONS: dict[str, list[str]] = {
    "count": ["--encoding", "--jobs", "--backend", "--format", "-r", "--skip-invalid"],
    "compare": [
        "--encodings",
        "--reference",
        "--by",
        "--text-column",
        "--language-column",
        "--id-column",
        "--input-format",
        "--format",
        "--corpus",
        "--corpus-file",
    ],
    "show": ["--encodings", "--color", "--format", "--file"],
    "cost": ["--requests", "--models", "--output-tokens", "--language-mix", "--prices", "--format"],
    "prices": ["--prices", "--format"],
    "encodings": ["--model", "--format"],
    "corpora": ["--format"],
    "reproduce": ["--corpus", "--corpus-file", "--format"],
    "studies": ["--corpora", "--encodings", "--studies", "--summary", "--format"],
    "report": ["--encodings", "--models", "--reference", "--by", "--corpus", "--corpus-file", "--output", "--title"],
    "rank": [
        "--encodings",
        "--languages",
        "--script",
        "--family",
        "--by-premium",
        "--summary",
        "--tokenizer",
        "--top",
        "--reference",
        "--corpus-file",
        "--format",
    ],
    "vocab": ["--scripts", "--format"],
}
FLAGS = {"-r", "--skip-invalid", "--summary", "--by-premium", "--scripts"}
FILE_OPTIONS = {"--corpus-file", "--file", "--prices"}


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from(sorted(OPTIONS)))
    argv = [command]
    if command in ("count", "compare", "cost", "report"):
        argv += draw(st.lists(PATHS, min_size=1 if command == "count" else 0, max_size=3))
    if command == "vocab":
        argv += draw(
            st.lists(st.sampled_from(["cl100k_base", "o200k_base", "nope", "hf:missing.json", ""]), max_size=2)
        )
    if command == "rank":
        argv += ["--resamples", "1", "--languages", draw(st.sampled_from(["en,fr", "xx", "all", "en", ","]))]
    if command == "show" and draw(st.booleans()):
        argv.append(draw(st.sampled_from(["Hello", "", "\udcff abc", "नमस्ते", "<|endoftext|>", "x" * 5000])))
    for option in draw(st.lists(st.sampled_from(OPTIONS[command]), max_size=4)):
        argv.append(option)
        if option in FLAGS:
            continue
        argv.append(draw(PATHS if option in FILE_OPTIONS else ODD_VALUES))
    if command == "compare":
        argv += ["--resamples", draw(st.sampled_from(["1", "20", "0", "-5"]))]
    if command == "report":
        argv += ["--resamples", "1"] + (["--output", "r.html"] if draw(st.booleans()) else [])
    if command == "cost" and draw(st.booleans()):
        argv += ["--requests", "1000", "--models", "gpt-4o", "--output-tokens", "10"]
    return argv


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


def check_counts(argv: list[str], out: str) -> None:
    """Every count printed equals the count of the file's exact text."""
    if argv[0] != "count" or "json" not in argv or "--format" not in argv:
        return
    if argv[argv.index("--format") + 1] != "json":
        return
    name = argv[argv.index("--encoding") + 1] if "--encoding" in argv else "cl100k_base"
    enc = tokstats.get_encoding(name)
    result = json.loads(out)
    for row in result["files"]:
        text = Path(row["path"]).read_bytes().decode("utf-8")
        assert row["tokens"] == len(enc.encode_ordinary(text)), row["path"]
    assert result["total_tokens"] == sum(r["tokens"] for r in result["files"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=command_lines())
def test_no_input_gives_a_traceback(argv: list[str], workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("TOKSTATS_MAX_STDIN_BYTES", "1K")
    status, out, err = run(argv)
    assert status in (0, 1, 2), (argv, status, err)
    assert "Traceback" not in err and "internal error" not in err, (argv, err)
    if status == 2:
        assert out == "", (argv, out)
        assert err.splitlines()[-1].startswith("tokstats"), (argv, err)
    else:
        check_counts(argv, out)


def test_every_subcommand_is_fuzzed() -> None:
    from tokstats.cli import command_names

    # serve runs until stopped: its bad arguments and requests are tested in tests/test_serve.py
    assert set(command_names()) - {"plot", "serve"} <= set(OPTIONS)


@pytest.mark.parametrize(
    "argv",
    [
        ["plot"],
        ["plot", "nope"],
        ["plot", "reproduce"],
        ["plot", "reproduce", "--output", "x.gif"],
        ["plot", "compare", "--metric", "nope", "--output", "x.png"],
        ["plot", "cost", "--requests", "-1", "--models", "gpt-4o", "--output", "x.png"],
        ["plot", "cost", "missing.txt", "--requests", "1", "--models", "gpt-4o", "--output", "x.png"],
        ["plot", "cost", "--requests", "1", "--models", "gpt-4o", "--language-mix", "en=1", "--output", "folder"],
    ],
)
def test_plot_bad_arguments(argv: list[str], workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workdir)
    status, out, err = run(argv)
    assert status == 2 and out == "", (argv, err)
    assert "Traceback" not in err and "internal error" not in err
    assert err.count("\n") == 1
    assert not os.path.exists(workdir / "x.png")
