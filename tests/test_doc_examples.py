"""Docs can't drift: every ``tokstats`` command shown in README.md, docs/ and ``--help`` runs.

Each command is run as written, in a shell, in a folder of small fixtures standing in for the
placeholder files the examples name (``notes.txt``, ``chat.jsonl``, ``src/`` …). It fails if it
exits non-zero or prints a traceback. Commands that need a remote scheduler or a cloud bucket are
rewritten to a local equivalent (``local:1`` and local files) and say so in their test id.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```", re.S | re.M)


#: The Thai support ticket of docs/cost.md's cross-provider example.
TICKET = "สวัสดีครับ พัสดุที่ส่งไปกรุงเทพฯ ยังไม่ถึงเลย ช่วยตรวจสอบสถานะคำสั่งซื้อ 4411 ให้หน่อยได้ไหมครับ"

#: A line of a program's output shown in the docs (``tokstats count: …``), not a command.
OUTPUT_LINE = re.compile(r"^tokstats [\w-]+: ")


def _commands_in(text: str) -> list[str]:
    """Shell commands in fenced blocks (no language, ``console``, ``sh``, ``bash``) that run tokstats.

    A command whose next line in the block is its error message (``tokstats show: error: …``)
    is shown failing on purpose: it is marked ``!`` and must fail cleanly (see the test).
    """
    found: list[str] = []
    for lang, body in FENCE.findall(text):
        if lang.strip() not in ("", "console", "sh", "bash", "shell"):
            continue
        lines = [ln.strip().removeprefix("$ ") for ln in re.sub(r"\\\n\s*", " ", body).splitlines()]
        for i, line in enumerate(lines):
            if (
                "tokstats " not in line
                or OUTPUT_LINE.match(line)
                or line.startswith(("#", "pip ", "python3 -m venv", "dask "))
            ):
                continue
            if not re.match(r"^(tokstats|[\w./-]+ .*\| *tokstats|\w+=\S+ tokstats)", line):
                continue
            fails = i + 1 < len(lines) and re.match(r"^tokstats [\w-]+: error: ", lines[i + 1]) is not None
            found.append(("!" if fails else "") + _strip_comment(line))
    return found


def _strip_comment(line: str) -> str:
    """The command without a trailing ``# comment`` (a ``#`` outside quotes after whitespace)."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=False)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        list(lexer)
    except ValueError:
        return line
    m = re.search(r"\s+#(?=(?:[^'\"]|'[^']*'|\"[^\"]*\")*$)", line)
    return line[: m.start()].rstrip() if m else line.rstrip()


def _help_examples() -> list[str]:
    from tokstats.cli import command_modules

    found: list[str] = []
    for module in command_modules():
        epilog = getattr(module, "EPILOG", "") or ""
        joined = re.sub(r"\\\n\s*", " ", epilog)
        for line in joined.splitlines():
            line = line.strip()
            if line.startswith("tokstats ") or re.match(r"^[\w./-]+ .*\| *tokstats ", line):
                found.append(_strip_comment(line))
    return found


def _examples() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for path in SOURCES:
        for cmd in _commands_in(path.read_text(encoding="utf-8")):
            seen.setdefault(cmd, path.relative_to(REPO).as_posix())
    for cmd in _help_examples():
        seen.setdefault(cmd, "--help")
    return sorted((where, cmd) for cmd, where in seen.items())


def _id(where: str, command: str) -> str:
    return f"{where}: {command.removeprefix('!')[:60]}"


#: Remote schedulers and cloud URLs become a local cluster and local files.
LOCALISE = [
    (re.compile(r"--scheduler (?:tcp://)?[\w.-]+:\d+"), "--scheduler local:1"),
    (re.compile(r"'s3://bucket/logs/[^']*'"), "'logs/*.jsonl'"),
    (re.compile(r"'gs://[^']*'"), "'logs/*.jsonl'"),
]


def _fixtures(root: Path, tokenizers: dict[str, Path]) -> None:
    """Small files under the names the examples use."""
    lines = [
        "Hello, world.",
        "नमस्ते, मेरा नाम जीपीटी-4o है।",
        "こんにちは、私の名前はGPT-4oです。",
        "<|endoftext|> counts as text",
    ]
    (root / "notes.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "prompt.txt").write_text("Summarise this text in one sentence: " + lines[1] + "\n", encoding="utf-8")
    (root / "big.txt").write_text("\n".join(lines * 200) + "\n", encoding="utf-8")
    (root / "ticket.txt").write_text(TICKET + "\n", encoding="utf-8")
    chat = [
        {
            "messages": [{"role": "system", "content": "You are terse."}, {"role": "user", "content": t}],
            "completion": "OK.",
        }
        for t in lines
    ]
    for name in ("chat.jsonl", "chats.jsonl"):
        (root / name).write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in chat), encoding="utf-8")
    data = [
        {"sentence_id": i, "lang": lang, "body": text, "text": text}
        for i, (en, hi) in enumerate([("Hello, world.", "नमस्ते दुनिया।"), ("How are you?", "आप कैसे हैं?")])
        for lang, text in (("en", en), ("hi", hi))
    ]
    (root / "data.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in data), encoding="utf-8")
    (root / "data.csv").write_text(
        "sentence_id,lang,text\n" + "".join(f'{d["sentence_id"]},{d["lang"]},"{d["text"]}"\n' for d in data),
        encoding="utf-8",
    )
    for sub in ("logs", "corpus/a", "src/pkg"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "logs" / "2026-01.jsonl").write_text((root / "data.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "corpus" / "a" / "one.txt").write_text(lines[0] + "\n", encoding="utf-8")
    (root / "corpus" / "two.txt").write_text(lines[1] + "\n", encoding="utf-8")
    (root / "src" / "pkg" / "__init__.py").write_text('"""A package."""\n\nVALUE = 1\n', encoding="utf-8")
    (root / "src" / "main.py").write_text("print('hello')\n", encoding="utf-8")
    (root / "data").mkdir()
    (root / "data" / "part-1.jsonl").write_text((root / "data.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "README.md").write_text("# A project\n\nIt says hello.\n", encoding="utf-8")
    (root / "my-prices.csv").write_text(
        "model,encoding,input_per_1m,cached_input_per_1m,output_per_1m,source,as_of\n"
        "our-model,o200k_base,1.00,0.50,4.00,our contract,2026-01-01\n",
        encoding="utf-8",
    )
    mo = root / "de" / "LC_MESSAGES"
    mo.mkdir(parents=True)
    (mo / "messages.mo").write_bytes(
        _mo_file(
            {
                "": "Content-Type: text/plain; charset=UTF-8\nLanguage: de\n",
                "Hello, world.": "Hallo, Welt.",
                "How are you?": "Wie geht es dir?",
            }
        )
    )
    import shutil

    shutil.copy(tokenizers["wordpiece"], root / "tokenizer.json")
    shutil.copy(tokenizers["sp-bpe"], root / "spm.model")
    shutil.copy(REPO / "tests" / "data" / "catalogs" / "ar_plural.po", root / "ar.po")
    (root / "a.txt").write_text(lines[0] + "\n", encoding="utf-8")
    (root / "records.jsonl").write_text((root / "data.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    (root / "warehouse" / "chats.parquet").mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(data), root / "warehouse" / "chats.parquet" / "part-0.parquet")
    git = ["git", "-C", str(root), "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "README.md"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "x"], check=True)


def _mo_file(messages: dict[str, str]) -> bytes:
    """A GNU ``.mo`` catalog (format revision 0) holding ``messages``, keys sorted as msgfmt does."""
    import struct

    keys = sorted(messages)
    ids = [k.encode() for k in keys]
    strs = [messages[k].encode() for k in keys]
    n = len(keys)
    start = 7 * 4 + 16 * n
    offsets, blob = [], b""
    for s in ids + strs:
        offsets.append((len(s), start + len(blob)))
        blob += s + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, n, 7 * 4, 7 * 4 + 8 * n, 0, 0)
    table = b"".join(struct.pack("<2I", *o) for o in offsets)
    return header + table + blob


EXAMPLES = _examples()


def test_examples_were_found() -> None:
    assert len(EXAMPLES) >= 20
    assert any(cmd.startswith("tokstats reproduce") for _, cmd in EXAMPLES)
    assert not any(OUTPUT_LINE.match(cmd.removeprefix("!")) for _, cmd in EXAMPLES)


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory, tiny_tokenizers: dict[str, Path]) -> Path:
    """One folder of fixtures for every example (they only read them, or write new files)."""
    root = tmp_path_factory.mktemp("examples")
    _fixtures(root, tiny_tokenizers)
    return root


@pytest.mark.parametrize(("where", "command"), EXAMPLES, ids=[_id(w, c) for w, c in EXAMPLES])
def test_example_runs(where: str, command: str, fixtures: Path, offline_env: dict[str, str]) -> None:
    tmp_path = fixtures
    fails = command.startswith("!")
    command = command.removeprefix("!")
    for pattern, local in LOCALISE:
        command = pattern.sub(local, command)
    env = {**offline_env, "PATH": os.pathsep.join([str(Path(sys.executable).parent), offline_env.get("PATH", "")])}
    if command.startswith("tokstats serve"):  # a server: started, asked for its page, stopped
        _serve_example(where, command, tmp_path, env)
        return
    r = subprocess.run(
        ["bash", "-c", command],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert "Traceback" not in r.stderr, f"{where}: {command}\n{r.stderr[-2000:]}"
    if fails:  # shown failing on purpose: one line and exit 2 (or 0 where this machine has what it lacks)
        assert r.returncode in (0, 2), f"{where}: {command}\nexit {r.returncode}\n{r.stderr[-2000:]}"
        assert r.returncode == 0 or (r.stdout == "" and r.stderr.count("\n") == 1), f"{where}: {command}\n{r.stderr}"
        return
    assert r.returncode == 0, f"{where}: {command}\nexit {r.returncode}\n{r.stderr[-2000:]}"


def _serve_example(where: str, command: str, cwd: Path, env: dict[str, str]) -> None:
    """Run a ``tokstats serve`` example on a free port until it answers, then stop it with Ctrl-C."""
    pytest.importorskip("starlette")
    pytest.importorskip("uvicorn")
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        ["bash", "-c", f"exec {command} --port {port} --quiet"],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, f"{where}: {command}\n{proc.stderr.read() if proc.stderr else ''}"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/options", timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, f"{where}: {command} never answered"
                time.sleep(0.3)
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert "Traceback" not in err, f"{where}: {command}\n{err[-2000:]}"
