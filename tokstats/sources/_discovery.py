"""Finding the files of a source tree to count, the way ripgrep and git do.

``walk(root)`` lists the regular files under ``root``, sorted by path, leaving out:

- paths ignored by ``.gitignore`` and ``.ignore`` files (in every folder, and in the folders above
  ``root`` up to the enclosing git checkout), ``.git/info/exclude`` and the global excludes file
  (``$XDG_CONFIG_HOME/git/ignore``, else ``~/.config/git/ignore``). Patterns are matched by
  ``pathspec`` with git's rules (the last matching line wins, a deeper file beats a shallower
  one, ``.ignore`` beats ``.gitignore``, a file inside an ignored folder stays ignored). As git
  does, an ignore file is read only if it is a regular file of at most 1 MiB, never through a
  symbolic link in the tree, without blocking; one that is not read is reported;
- hidden files and folders (names starting with ``.``), always the ``.git`` folder;
- binary files: a NUL byte in the first 8 KiB (git's and ripgrep's test);
- paths matching an ``exclude`` glob, and files matching no ``include`` glob (gitignore syntax,
  relative to ``root``);
- symbolic links to folders (never followed, so a link loop cannot trap the walk), broken links
  and link loops; a symbolic link to a file is counted as that file if the file is inside
  ``root`` (all links resolved), else skipped unless ``follow`` (``--follow``) is set, as git
  and ripgrep do;
- folders that cannot be listed.

Everything left out is returned as a ``Skipped`` — once, at the highest level (an ignored
folder is one entry, not one per file in it) — so the caller can say what it skipped. The walk
keeps its own stack: a tree thousands of levels deep does not exhaust Python's recursion limit.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tokstats.errors import UsageError

#: How much of a file is read to decide whether it is binary.
SNIFF_BYTES = 8192
#: Per-folder ignore files, strongest first (ripgrep's order).
IGNORE_FILES = (".ignore", ".gitignore")
#: Largest ignore file (or ``.git`` file) read; a larger one is reported and not used (git caps a
#: ``.git`` file at 1 MiB too).
MAX_IGNORE_BYTES = 1 << 20
#: The kind of ``Skipped`` for an ignore file that exists but is not read.
UNREAD_IGNORE = "ignore file not read"
#: The kind of ``Skipped`` for a symbolic link to a file outside the walked folder.
OUTSIDE = "symlink outside the tree"


@dataclass(frozen=True)
class WalkOptions:
    """What ``walk`` leaves out (see the module docstring)."""

    ignore: bool = True
    hidden: bool = False
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    #: Count symbolic links to files outside the walked folder (links to folders are never followed).
    follow: bool = False


@dataclass(frozen=True)
class Skipped:
    """A path left out of a walk: ``kind`` (ignored, hidden, binary, excluded, not-included,
    symlink, symlink outside the tree, special, unreadable, ignore file not read) and a
    ``reason`` sentence for people."""

    path: str
    kind: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason}


@dataclass
class WalkResult:
    """The files found (sorted by path) and what was left out (sorted by path)."""

    files: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def summary(self) -> str:
        """``3 ignored, 1 hidden, 2 binary`` (empty when nothing was skipped)."""
        counts = Counter(s.kind for s in self.skipped)
        return ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass(frozen=True)
class _Rules:
    """One ignore file: its patterns and the folder (relative to the top, POSIX, '' = top) they apply to."""

    base: str
    source: str
    spec: object  # pathspec.GitIgnoreSpec (imported lazily)


def _spec(lines: Sequence[str]) -> object:
    """The lines of an ignore file as one spec; a line pathspec cannot compile (``foo\\``,
    ``[z-a]``) is left out, as git ignores a line it cannot use."""
    import pathspec

    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except (ValueError, re.error):  # GitIgnorePatternError is a ValueError
        return pathspec.GitIgnoreSpec.from_lines([line for line in lines if _compiles(line)])


def _compiles(line: str) -> bool:
    return _pattern_problem(line) is None


def _pattern_problem(line: str) -> str | None:
    """Why pathspec cannot compile ``line`` as a gitignore pattern, or None if it can."""
    import pathspec

    try:
        pathspec.GitIgnoreSpec.from_lines([line])
    except re.error as e:  # a bracket expression Python's re refuses
        return str(e.msg)
    except ValueError:  # GitIgnorePatternError
        return "a trailing backslash escapes nothing" if line.endswith("\\") else "not a valid pattern"
    return None


def _globs(patterns: Sequence[str], option: str) -> object:
    """The user's ``--include``/``--exclude`` globs as one spec, or ``UsageError`` naming
    the option and the first pattern pathspec cannot compile."""
    import pathspec

    for p in patterns:
        problem = _pattern_problem(p)
        if problem is not None:
            shown = f"'{p}'" if p.isprintable() else repr(p)
            raise UsageError(f"{option} {shown}: not a valid gitignore pattern: {problem}")
    return pathspec.GitIgnoreSpec.from_lines(patterns)


class _NotRead(Exception):
    """An ignore file (or ``.git`` file) that exists but is not read; the message says why."""


def _read_small(path: Path, follow: bool) -> str | None:
    """The text of a small regular file, or None if there is none (missing, a folder).

    Never blocks and never reads without limit: the file is opened non-blocking and checked with
    ``fstat`` before reading, and at most ``MAX_IGNORE_BYTES`` are read. With ``follow``
    False a symbolic link is not followed (git reads no ``.gitignore`` that is a link, since
    2.32). Raises ``_NotRead`` for a link not followed, a FIFO, device or socket, a file
    too large or one that cannot be read.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as e:
        if e.errno == errno.ELOOP:
            why = "a symbolic link loop" if follow else "a symbolic link (git does not follow one in the tree)"
            raise _NotRead(why) from None
        if isinstance(e, PermissionError):
            raise _NotRead("permission denied") from None
        raise _NotRead(f"cannot be read: {e.strerror or e}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            return None
        if not stat.S_ISREG(st.st_mode):
            raise _NotRead("not a regular file (device, FIFO or socket)")
        if st.st_size > MAX_IGNORE_BYTES:
            raise _NotRead(f"larger than {MAX_IGNORE_BYTES >> 20} MiB")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(MAX_IGNORE_BYTES + 1)
    except OSError as e:
        raise _NotRead(f"cannot be read: {e.strerror or e}") from None
    finally:
        os.close(fd)
    if len(data) > MAX_IGNORE_BYTES:  # grew since fstat
        raise _NotRead(f"larger than {MAX_IGNORE_BYTES >> 20} MiB")
    return data.decode("utf-8", errors="replace")


def _read_rules(path: Path, base: str, source: str, notes: list[Skipped], follow: bool = False) -> _Rules | None:
    """The rules of one ignore file, or None; an ignore file that exists but cannot be used is
    added to ``notes``. ``follow``: follow a symbolic link (for files outside the tree, as git
    does for ``.git/info/exclude`` and the global excludes file)."""
    try:
        text = _read_small(path, follow)
    except _NotRead as e:
        notes.append(Skipped(str(path), UNREAD_IGNORE, f"{source} not read: {e}"))
        return None
    if text is None:
        return None
    lines = text.splitlines()
    if not any(line.strip() and not line.startswith("#") for line in lines):
        return None
    return _Rules(base, source, _spec(lines))


def _decide(rules: Sequence[_Rules], rel: str, is_dir: bool) -> _Rules | None:
    """The rules that ignore ``rel`` (relative to the top), or None; ``rules`` strongest first."""
    for r in rules:
        if r.base and not rel.startswith(r.base + "/"):
            continue
        sub = rel[len(r.base) + 1 :] if r.base else rel
        result = r.spec.check_file(sub + "/" if is_dir else sub)  # type: ignore[attr-defined]
        if result.include is not None:
            return r if result.include else None
    return None


def _git_dir(top: Path, notes: list[Skipped]) -> Path | None:
    """The git directory of the checkout at ``top`` (``.git`` itself, or where a ``.git`` file points)."""
    dot = top / ".git"
    if dot.is_dir():
        return dot
    try:
        text = _read_small(dot, follow=True)  # as git reads it: a regular file of at most 1 MiB
    except _NotRead as e:
        notes.append(Skipped(str(dot), UNREAD_IGNORE, f".git not read, so .git/info/exclude does not apply: {e}"))
        return None
    line = (text or "").strip()
    if not line.startswith("gitdir:"):
        return None
    gitdir = (top / line[len("gitdir:") :].strip()).resolve()
    try:  # a linked worktree keeps info/exclude in the common directory
        common = (_read_small(gitdir / "commondir", follow=True) or "").strip()
    except _NotRead:
        common = ""
    return (gitdir / common).resolve() if common else gitdir


def _checkout_top(start: Path) -> Path | None:
    for d in (start, *start.parents):
        if (d / ".git").exists():
            return d
    return None


def _global_rules(notes: list[Skipped]) -> _Rules | None:
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return _read_rules(Path(xdg, "git", "ignore"), "", "the global git excludes file", notes, follow=True)


def _outer_rules(root: Path, notes: list[Skipped]) -> tuple[str, list[_Rules], list[_Rules]]:
    """For a walk of ``root``: its path relative to the top (the checkout, or itself), the ignore
    files of the folders above it (strongest first) and the repository-wide rules. Ignore files
    that exist but are not read are added to ``notes``."""
    real = root.resolve()
    top = _checkout_top(real)
    if top is None:
        glob_rules = [r for r in (_global_rules(notes),) if r]
        return "", [], glob_rules
    prefix = real.relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix
    above: list[_Rules] = []
    parts = prefix.split("/") if prefix else []
    for depth in range(len(parts)):  # the top and each folder above root, root excluded
        base = "/".join(parts[:depth])
        folder = top.joinpath(*parts[:depth])
        for name in reversed(IGNORE_FILES):
            r = _read_rules(folder / name, base, f"{base + '/' if base else ''}{name}", notes)
            if r:
                above.append(r)
    above.reverse()  # deepest, and .ignore before .gitignore, first
    repo: list[_Rules] = []
    gitdir = _git_dir(top, notes)
    if gitdir is not None:
        r = _read_rules(gitdir / "info" / "exclude", "", ".git/info/exclude", notes, follow=True)
        if r:
            repo.append(r)
    g = _global_rules(notes)
    if g:
        repo.append(g)
    return prefix, above, repo


def _sniff(path: str | os.PathLike[str]) -> str:
    """``"binary"`` (a NUL byte in the first ``SNIFF_BYTES``), ``"text"``, ``"special"`` (not
    a regular file: a FIFO, device or socket, perhaps swapped in since the folder was listed) or
    ``"unreadable"``. Opened non-blocking and checked with ``fstat`` first, as
    ``open_input`` does, so a FIFO cannot make it hang."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError):
        return "unreadable"
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return "special"
        os.set_blocking(fd, True)
        head = b""
        while len(head) < SNIFF_BYTES and (block := os.read(fd, SNIFF_BYTES - len(head))):
            head += block
        return "binary" if b"\0" in head else "text"
    except OSError:
        return "unreadable"
    finally:
        os.close(fd)


def is_binary(path: str | os.PathLike[str]) -> bool:
    """Whether the file has a NUL byte in its first ``SNIFF_BYTES`` (unreadable, or not a
    regular file: False, so counting it names the problem). Never blocks on a FIFO."""
    return _sniff(path) == "binary"


def walk(root: str, options: WalkOptions = WalkOptions()) -> WalkResult:
    """The files under ``root`` to count and what was left out (see the module docstring).

    ``root`` itself is always walked, even if hidden or ignored: naming it is asking for it.
    Paths are ``root`` joined with the path below it, as ``pathlib.Path`` spells them.
    """
    result = WalkResult()
    top_prefix, above, repo = _outer_rules(Path(root), result.skipped) if options.ignore else ("", [], [])
    include = _globs(options.include, "--include") if options.include else None
    exclude = _globs(options.exclude, "--exclude") if options.exclude else None

    real_root = os.path.realpath(root)
    prefix = str(Path(root))  # as pathlib spells it: "src/" -> "src", "." -> "."

    def full(rel: str) -> str:
        if prefix == ".":
            return rel
        return prefix + rel if prefix.endswith(os.sep) else f"{prefix}{os.sep}{rel}"

    def top_rel(rel: str) -> str:
        return f"{top_prefix}/{rel}" if top_prefix else rel

    # Each entry: (folder on disk, its path below root in POSIX form, its ignore rules strongest first).
    stack: list[tuple[str, str, list[_Rules]]] = [(root, "", above)]
    while stack:
        folder, rel_folder, inherited = stack.pop()
        rules = inherited
        if options.ignore:
            base = top_rel(rel_folder) if rel_folder else top_prefix
            own = []
            for name in IGNORE_FILES:
                notes: list[Skipped] = []
                r = _read_rules(Path(folder, name), base, f"{base + '/' if base else ''}{name}", notes)
                if r:
                    own.append(r)
                # named as the walk names the files under root
                path = full(f"{rel_folder}/{name}" if rel_folder else name)
                result.skipped += [Skipped(path, n.kind, n.reason) for n in notes]
            rules = own + inherited if own else inherited
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            reason = "permission denied" if isinstance(e, PermissionError) else (e.strerror or str(e))
            result.skipped.append(
                Skipped(full(rel_folder) if rel_folder else root, "unreadable", f"folder cannot be read: {reason}")
            )
            continue
        for entry in entries:
            rel = f"{rel_folder}/{entry.name}" if rel_folder else entry.name
            skip = _classify(entry, rel, top_rel(rel), rules + repo, options, include, exclude, real_root)
            if isinstance(skip, tuple):
                result.skipped.append(Skipped(full(rel), *skip))
            elif skip == "dir":
                stack.append((entry.path, rel, rules))
            else:
                result.files.append(full(rel))
    result.files.sort()
    result.skipped.sort(key=lambda s: s.path)
    return result


def _inside(path: str, real_root: str) -> bool:
    """Whether ``path``, all links resolved, is ``real_root`` or below it."""
    real = os.path.realpath(path)
    try:
        return os.path.commonpath([real, real_root]) == real_root
    except ValueError:  # another drive (Windows)
        return False


def _classify(
    entry: os.DirEntry[str],
    rel: str,
    rel_top: str,
    rules: list[_Rules],
    options: WalkOptions,
    include: object | None,
    exclude: object | None,
    real_root: str,
) -> str | tuple[str, str]:
    """``"dir"`` to descend, ``"file"`` to count, or ``(kind, reason)`` to skip.

    Uses the directory entry's cached type (no ``stat`` call except for symbolic links), which
    keeps a walk of tens of thousands of files fast.
    """
    if entry.name == ".git":
        return ("hidden", "version-control folder") if options.hidden else ("hidden", "hidden (name starts with '.')")
    if entry.name.startswith(".") and not options.hidden:
        return ("hidden", "hidden (name starts with '.'; --hidden counts it)")
    is_link = False
    try:
        is_link = entry.is_symlink()
        if is_link:
            mode = os.stat(entry.path).st_mode  # the target's
            is_dir, is_file = stat.S_ISDIR(mode), stat.S_ISREG(mode)
        else:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
    except OSError as e:
        if is_link and e.errno == errno.ELOOP:
            return ("symlink", "symbolic link loop (not followed)")
        if is_link and e.errno in (errno.ENOENT, errno.ENOTDIR):
            return ("symlink", "broken symbolic link")
        return ("unreadable", "cannot be examined")
    if rules:
        matched = _decide(rules, rel_top, is_dir)
        if matched is not None:
            return ("ignored", f"ignored by {matched.source} (--no-ignore counts it)")
    if exclude is not None and exclude.match_file(rel + "/" if is_dir else rel):  # type: ignore[attr-defined]
        return ("excluded", "matches --exclude")
    if is_dir:
        if is_link:
            return ("symlink", "symbolic link to a folder (not followed)")
        return "dir"
    if not is_file:
        return ("special", "not a regular file (device, FIFO or socket)")
    if include is not None and not include.match_file(rel):  # type: ignore[attr-defined]
        return ("not-included", "matches no --include")
    if is_link and not options.follow and not _inside(entry.path, real_root):
        return (OUTSIDE, "symbolic link to a file outside the tree (--follow counts it)")
    sniffed = _sniff(entry.path)
    if sniffed == "binary":
        return ("binary", "binary (NUL byte in the first 8 KiB)")
    if sniffed == "special":  # swapped for a FIFO or device since the folder was listed
        return ("special", "not a regular file (device, FIFO or socket)")
    return "file"


def summary_line(root: str, result: WalkResult) -> str:
    """One line for stderr: how many files will be counted and what was left out."""
    n = len(result.files)
    line = f"{root}: counting {n} file{'s' if n != 1 else ''} under it"
    if result.skipped:
        line += f"; skipped {result.summary()} (--format json lists them)"
    return line


__all__ = ["Skipped", "WalkOptions", "WalkResult", "is_binary", "summary_line", "walk"]
