"""Walking a source tree as git and ripgrep do: ignore files, hidden and binary files, globs, links."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tokstats.sources._discovery import WalkOptions, walk

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(repo: Path, *args: str, env: dict[str, str]) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def _python_checkout(root: Path) -> None:
    """A Python project as it looks after a build and a test run."""
    files = {
        ".gitignore": "__pycache__/\n*.py[cod]\nbuild/\n*.egg-info/\ndist/\n*.log\n/local.txt\n",
        "README.md": "# demo\n",
        "pyproject.toml": "[project]\nname = 'demo'\n",
        "src/demo/__init__.py": "from .core import run\n",
        "src/demo/core.py": "def run():\n    return 42\n",
        "src/demo/data/.gitignore": "*.csv\n!keep.csv\n",
        "src/demo/data/keep.csv": "a,b\n1,2\n",
        "src/demo/data/big.csv": "x,y\n",
        "src/demo/__pycache__/core.cpython-311.pyc": "\x00\x01compiled",
        "build/lib/demo/core.py": "def run():\n    return 42\n",
        "demo.egg-info/PKG-INFO": "Name: demo\n",
        "tests/test_core.py": "def test_run():\n    assert True\n",
        "tests/__pycache__/test_core.cpython-311.pyc": "\x00bytecode",
        "docs/guide.md": "guide\n",
        "run.log": "log line\n",
        "local.txt": "ignored only at the top\n",
        "docs/local.txt": "not ignored: the pattern is anchored\n",
        ".github/workflows/ci.yml": "on: push\n",
        "private.txt": "excluded by .git/info/exclude\n",
        "notes/draft.txt": "untracked, not ignored\n",
    }
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, "utf-8")


@needs_git
def test_count_recursive_lists_what_git_lists(run_cli, tmp_path: Path, offline_env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    repo = tmp_path / "checkout"
    repo.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    env = {**offline_env, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "GIT_CONFIG_NOSYSTEM": "1"}
    _git(repo, "init", "-q", env=env)
    _python_checkout(repo)
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "exclude").write_text("private.txt\n")
    _git(repo, "add", "README.md", "pyproject.toml", "src", "tests", ".gitignore", ".github", env=env)
    git_lists = _git(repo, "ls-files", "--cached", "--others", "--exclude-standard", env=env).splitlines()
    assert "notes/draft.txt" in git_lists and "build/lib/demo/core.py" not in git_lists  # the fixture is real

    # --hidden: exactly git's list (tracked plus untracked non-ignored files)
    r = run_cli("count", "-r", "--hidden", "--format", "json", str(repo), env=env)
    assert r.returncode == 0, r.stderr
    counted = [os.path.relpath(f["path"], repo) for f in json.loads(r.stdout)["files"]]
    assert counted == sorted(git_lists)

    # default: git's list without hidden paths, and it says what it skipped
    r = run_cli("count", "-r", "--format", "json", str(repo), env=env)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    counted = [os.path.relpath(f["path"], repo) for f in out["files"]]
    hidden = [p for p in git_lists if any(part.startswith(".") for part in p.split("/"))]
    assert counted == sorted(set(git_lists) - set(hidden))
    reasons = {os.path.relpath(s["path"], repo): s["reason"] for s in out["skipped"]}
    assert reasons["build"] == "ignored by .gitignore (--no-ignore counts it)"
    assert reasons["src/demo/__pycache__"].startswith("ignored by .gitignore")
    assert reasons["src/demo/data/big.csv"].startswith("ignored by src/demo/data/.gitignore")
    assert reasons["private.txt"].startswith("ignored by .git/info/exclude")
    assert reasons[".git"].startswith("hidden") and reasons[".github"].startswith("hidden")
    assert not any(k.startswith("build/") for k in reasons)  # an ignored folder is one entry
    assert r.stderr.count("\n") == 1 and f"{repo}: counting {len(counted)} files under it; skipped " in r.stderr

    # a sub-folder applies the ignore files above it
    r = run_cli("count", "-r", "--format", "json", str(repo / "src"), env=env)
    assert [os.path.relpath(f["path"], repo) for f in json.loads(r.stdout)["files"]] == sorted(
        p for p in git_lists if p.startswith("src/") and "/." not in p
    )


def _tree(root: Path) -> None:
    for rel, data in {
        "a.py": b"print('a')\n",
        "b.md": b"# b\n",
        "sub/c.py": b"c = 3\n",
        "sub/d.txt": b"d\n",
        "img.png": b"\x89PNG\r\n\x1a\n\x00\x00",
        ".env": b"SECRET=1\n",
        "skip.log": b"log\n",
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    (root / ".gitignore").write_text("*.log\n")


def _files(root: Path, options: WalkOptions) -> list[str]:
    return [os.path.relpath(f, root) for f in walk(str(root), options).files]


def test_options_include_exclude_hidden_no_ignore(tmp_path: Path) -> None:
    _tree(tmp_path)
    assert _files(tmp_path, WalkOptions()) == ["a.py", "b.md", "sub/c.py", "sub/d.txt"]
    assert _files(tmp_path, WalkOptions(include=("*.py",))) == ["a.py", "sub/c.py"]
    assert _files(tmp_path, WalkOptions(exclude=("sub/",))) == ["a.py", "b.md"]
    assert _files(tmp_path, WalkOptions(include=("*.py", "*.md"), exclude=("a.py",))) == ["b.md", "sub/c.py"]
    assert _files(tmp_path, WalkOptions(ignore=False)) == ["a.py", "b.md", "skip.log", "sub/c.py", "sub/d.txt"]
    assert _files(tmp_path, WalkOptions(hidden=True)) == [".env", ".gitignore", "a.py", "b.md", "sub/c.py", "sub/d.txt"]
    kinds = {os.path.relpath(s.path, tmp_path): s.kind for s in walk(str(tmp_path)).skipped}
    assert kinds == {".env": "hidden", ".gitignore": "hidden", "img.png": "binary", "skip.log": "ignored"}


def test_cli_include_exclude_and_summary(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _tree(tmp_path)
    r = run_cli("count", "-r", "--include", "*.py", "--exclude", "sub/", "--format", "json", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert [f["path"] for f in json.loads(r.stdout)["files"]] == [str(tmp_path / "a.py")]
    assert "skipped 2 hidden, 2 not-included, 1 excluded, 1 ignored (--format json lists them)" in r.stderr
    r = run_cli("count", "-r", "--include", "*.rs", str(tmp_path))
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith(f"tokstats count: error: {tmp_path}: no files to count under it (skipped ")


def _remove_tree(root: Path) -> None:
    """Remove a folder bottom up without recursion (shutil.rmtree, and so pytest's clean-up of
    old tmp folders shared by every run on the machine, recurses and fails on a deep tree)."""
    order: list[str] = []
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        order.append(folder)
        for entry in os.scandir(folder):
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            else:
                os.unlink(entry.path)
    for folder in reversed(order):
        os.rmdir(folder)


def test_deep_tree_does_not_recurse(tmp_path: Path) -> None:
    root = tmp_path / "deep"
    deep = root
    try:
        deep.mkdir()
        for _ in range(1100):  # os.makedirs would recurse; so would a naive walk
            deep = deep / "d"
            deep.mkdir()
        (deep / "leaf.txt").write_text("leaf\n")
        result = walk(str(root))
        assert result.files == [str(deep / "leaf.txt")]
    finally:
        _remove_tree(root)


def test_symlink_loops_are_not_followed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "f.txt").write_text("f\n")
    (tmp_path / "real" / "loop").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "link.txt").symlink_to(tmp_path / "real" / "f.txt")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "nowhere")
    result = walk(str(tmp_path))
    assert result.files == [str(tmp_path / "link.txt"), str(tmp_path / "real" / "f.txt")]
    reasons = {os.path.relpath(s.path, tmp_path): s.reason for s in result.skipped}
    assert reasons == {"broken.txt": "broken symbolic link", "real/loop": "symbolic link to a folder (not followed)"}


def test_unreadable_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.txt").write_text("a\n")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text("b\n")
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if os.fspath(path).endswith("locked"):  # as for a folder without read permission (tests run as root)
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = walk(str(tmp_path))
    assert result.files == [str(tmp_path / "ok" / "a.txt")]
    assert [(s.path, s.kind, s.reason) for s in result.skipped] == [
        (str(tmp_path / "locked"), "unreadable", "folder cannot be read: permission denied")
    ]

    from tokstats.counting import files_to_count
    from tokstats.errors import InputError

    with pytest.raises(InputError, match=r"locked: folder cannot be read: permission denied; --skip-invalid skips it"):
        files_to_count([str(tmp_path)], True)
    selected = files_to_count([str(tmp_path)], True, skip_invalid=True)
    files, invalid = selected.files, selected.invalid  # skipped invalid: in the signature's skipped_invalid
    assert files == [str(tmp_path / "ok" / "a.txt")] and invalid[0]["path"] == str(tmp_path / "locked")
    assert selected.skipped == []


def test_ignore_files_are_read_as_git_reads_them(tmp_path: Path) -> None:
    """Issue 27 item 1: a .gitignore that is a symbolic link is not read (git >= 2.32), nor one
    larger than 1 MiB; each is reported. A regular .ignore next to them still applies."""
    from tokstats.sources._discovery import MAX_IGNORE_BYTES, UNREAD_IGNORE

    (tmp_path / "rules.txt").write_text("*.log\n")
    (tmp_path / ".gitignore").symlink_to(tmp_path / "rules.txt")  # inside the tree: still not read
    (tmp_path / "big").mkdir()
    (tmp_path / "big" / ".gitignore").write_text("*.log\n" + "#" * MAX_IGNORE_BYTES)
    (tmp_path / "big" / ".ignore").write_text("*.tmp\n")
    for rel in ("a.log", "big/b.log", "big/c.tmp"):
        (tmp_path / rel).write_text("x\n")
    result = walk(str(tmp_path))
    assert _files(tmp_path, WalkOptions()) == ["a.log", "big/b.log", "rules.txt"]
    unread = {os.path.relpath(s.path, tmp_path): s.reason for s in result.skipped if s.kind == UNREAD_IGNORE}
    assert unread == {
        ".gitignore": ".gitignore not read: a symbolic link (git does not follow one in the tree)",
        "big/.gitignore": "big/.gitignore not read: larger than 1 MiB",
    }
    assert "2 ignore file not read" in result.summary()


def test_ignore_lines_pathspec_cannot_compile_are_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 27 item 2: git accepts ``foo\\`` and ``[z-a]`` (they match nothing); the other lines
    of the file still apply, in .gitignore and in the global excludes file."""
    home = tmp_path / "config"
    (home / "git").mkdir(parents=True)
    (home / "git" / "ignore").write_text("[z-a]\n*.tmp\nbar\\\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    root = tmp_path / "tree"
    root.mkdir()
    (root / ".gitignore").write_text("foo\\\n[z-a]\n*.log\n")
    for name in ("foo", "bar", "z", "a.log", "b.tmp", "keep.txt"):
        (root / name).write_text("x\n")
    assert _files(root, WalkOptions()) == ["bar", "foo", "keep.txt", "z"]


@pytest.mark.parametrize("option", ["--include", "--exclude"])
@pytest.mark.parametrize("pattern, problem", [("foo\\", "a trailing backslash"), ("[z-a]", "bad character range")])
def test_bad_glob_option_is_a_usage_error(option: str, pattern: str, problem: str, tmp_path: Path) -> None:
    from tokstats.cli import main
    from tokstats.errors import UsageError

    (tmp_path / "a.txt").write_text("a\n")
    field = "include" if option == "--include" else "exclude"
    with pytest.raises(
        UsageError, match=rf"^{option} '{re.escape(pattern)}': not a valid gitignore pattern: {problem}"
    ):
        walk(str(tmp_path), WalkOptions(**{field: ("*.txt", pattern)}))
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()) as out:
        status = main(["count", "-r", option, pattern, str(tmp_path)])
    assert status == 2 and out.getvalue() == ""
    assert err.getvalue() == f"tokstats count: error: {option} '{pattern}': not a valid gitignore pattern: " + (
        "a trailing backslash escapes nothing\n" if pattern.endswith("\\") else "bad character range z-a\n"
    )


def test_symlinks_to_files_outside_the_tree_are_skipped_unless_follow(
    run_cli,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    """Issue 27 item 3: as git and ripgrep, a link to a file outside the walked folder is not
    counted (``--follow`` counts it); links inside still are; a loop is skipped, not an abort."""
    outside = tmp_path / "secret.txt"
    outside.write_text("secret\n")
    root = tmp_path / "tree"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("a\n")
    (root / "x.txt").symlink_to(outside)
    (root / "sub" / "in.txt").symlink_to("../a.txt")
    (root / "sub" / "up.txt").symlink_to("../../tree/a.txt")  # leaves the tree and comes back
    (root / "loop").symlink_to("loop")
    (root / "ping").symlink_to("pong")
    (root / "pong").symlink_to("ping")
    result = walk(str(root))
    assert _files(root, WalkOptions()) == ["a.txt", "sub/in.txt", "sub/up.txt"]
    skipped = {os.path.relpath(s.path, root): (s.kind, s.reason) for s in result.skipped}
    assert skipped == {
        "x.txt": ("symlink outside the tree", "symbolic link to a file outside the tree (--follow counts it)"),
        "loop": ("symlink", "symbolic link loop (not followed)"),
        "ping": ("symlink", "symbolic link loop (not followed)"),
        "pong": ("symlink", "symbolic link loop (not followed)"),
    }
    assert _files(root, WalkOptions(follow=True)) == ["a.txt", "sub/in.txt", "sub/up.txt", "x.txt"]
    # the folder named may itself be a link: "inside" is judged on the resolved paths
    (tmp_path / "alias").symlink_to(root, target_is_directory=True)
    assert _files(tmp_path / "alias", WalkOptions()) == ["a.txt", "sub/in.txt", "sub/up.txt"]

    r = run_cli("count", "-r", "--format", "json", str(root))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert str(root / "x.txt") not in [f["path"] for f in out["files"]]
    assert {"path": str(root / "x.txt"), "reason": skipped["x.txt"][1]} in out["skipped"]
    assert "skipped 3 symlink, 1 symlink outside the tree (--format json lists them)" in r.stderr
    r = run_cli("count", "-r", "--follow", "--format", "json", str(root))
    assert r.returncode == 0, r.stderr
    assert str(root / "x.txt") in [f["path"] for f in json.loads(r.stdout)["files"]]


def test_file_swapped_for_a_fifo_during_the_walk_is_skipped_not_waited_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 27 item 4: the folder lists a.txt as a regular file, then it becomes a FIFO with no
    writer before the binary test reads it; the walk skips it instead of blocking in open()."""
    import threading

    from tokstats.sources._discovery import is_binary

    (tmp_path / "a.txt").write_text("a\n")
    (tmp_path / "b.txt").write_text("b\n")
    fifo = tmp_path / "a.txt"
    real_scandir = os.scandir

    class Swapping:
        def __init__(self, path: str) -> None:
            self.it = real_scandir(path)

        def __enter__(self):  # type: ignore[no-untyped-def]
            entries = list(self.it)  # each entry's type is cached: a regular file
            fifo.unlink()
            os.mkfifo(fifo)
            return iter(entries)

        def __exit__(self, *exc: object) -> None:
            self.it.close()

    monkeypatch.setattr(os, "scandir", Swapping)
    found: list[object] = []
    worker = threading.Thread(target=lambda: found.append(walk(str(tmp_path))), daemon=True)
    worker.start()
    worker.join(timeout=30)
    if worker.is_alive():  # blocked opening the FIFO: give it a writer so the thread can end
        with open(fifo, "wb"):
            pass
        worker.join(timeout=30)
        pytest.fail("the walk blocked on a FIFO")
    (result,) = found
    assert result.files == [str(tmp_path / "b.txt")]  # type: ignore[attr-defined]
    assert [(s.path, s.kind, s.reason) for s in result.skipped] == [  # type: ignore[attr-defined]
        (str(fifo), "special", "not a regular file (device, FIFO or socket)")
    ]
    assert is_binary(fifo) is False and is_binary("/dev/zero") is False
