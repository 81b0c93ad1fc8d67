"""The ``tokstats`` command line: a thin shell over the library, one module per subcommand.

Each subcommand is a module ``tokstats/cli/<name>.py`` (found automatically; modules starting
with ``_`` are helpers) defining ``ORDER`` (its place in ``--help``) and ``register(subparsers)``,
which adds its parser and sets ``func`` to a ``run(args) -> int``. Subcommand modules import
their heavy dependencies inside ``run`` so that start-up stays fast.

``main`` is the one place where failures become exit statuses (see
``docs/security-and-limits.md``): a tokstats error, a rejected command line, a resource limit
(input nested too deeply, out of memory) or a failing standard output is ONE line on stderr and
exit 2, with nothing on stdout; SIGINT is 130, SIGTERM 143 (both one line); a closed pipe (``| head``) is a quiet 141, as Unix
tools do. Standard output is held back (up to ``HOLD_BYTES``) until the command succeeds, so
a failing command does not leave half a table behind. Nothing prints a traceback; set
``TOKSTATS_DEBUG=1`` to see one for an internal error.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import os
import sys
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import Any, NoReturn, TextIO

from tokstats._version import __version__
from tokstats.errors import OutputError, TokstatsError, UsageError

#: Output held back until the command has succeeded; past this it is written as it comes.
HOLD_BYTES = 1 << 20

#: Exit statuses: success, "a row does not reproduce" (reproduce), bad input, Ctrl-C, closed pipe.
EXIT_OK, EXIT_MISMATCH, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_PIPE = 0, 1, 2, 130, 141

#: Exit status after SIGTERM (128 + 15, as a shell reports a process it ended).
EXIT_TERMINATED = 143

DEBUG_ENV = "TOKSTATS_DEBUG"


class Parser(argparse.ArgumentParser):
    """argparse, but a rejected command line is one line (a ``UsageError``), not the usage."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def command_names() -> list[str]:
    """Names of the subcommand modules under ``tokstats.cli`` (without importing them)."""
    import pkgutil

    return [info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_")]


def command_modules(only: str | None = None) -> list[ModuleType]:
    """The subcommand modules (or just ``only``), in the order ``--help`` lists them."""
    names = [only] if only else command_names()
    modules = [importlib.import_module(f"{__name__}.{name}") for name in names]
    return sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered, or only the one named ``only``.

    Registering one subcommand keeps start-up cheap when the command line names it.
    """
    parser = Parser(
        prog="tokstats",
        description="Measure how efficiently tokenizers turn text into tokens, language by language.",
    )
    parser.add_argument("--version", action="version", version=f"tokstats {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in command_modules(only):
        module.register(sub)
    return parser


class GuardedStdout:
    """Standard output for one command: held back until the command succeeds (up to
    ``HOLD_BYTES``), text that the stream cannot encode written with escapes rather than
    failing, and write failures turned into ``OutputError`` (a closed pipe stays
    ``BrokenPipeError``, which ``main`` ends quietly)."""

    def __init__(self, stream: TextIO | None) -> None:
        self._stream = stream
        self._held: list[str] | None = []
        self._size = 0

    def write(self, text: str) -> int:
        if self._held is not None:
            self._held.append(text)
            self._size += len(text)
            if self._size > HOLD_BYTES:
                self.release()
        else:
            self._write(text)
        return len(text)

    def release(self) -> None:
        """Write what is held back and pass everything through from now on."""
        held, self._held = self._held or [], None
        if held:
            self._write("".join(held))

    def discard(self) -> None:
        """Forget what is held back (the command failed: print nothing)."""
        if self._held is not None:
            self._held = []

    def flush(self) -> None:
        if self._held is None:
            self._guard(lambda s: s.flush())

    def _write(self, text: str) -> None:
        def write(s: TextIO) -> None:
            try:
                s.write(text)
            except UnicodeEncodeError:
                enc = getattr(s, "encoding", None) or "utf-8"
                s.write(text.encode(enc, "backslashreplace").decode(enc))

        self._guard(write)

    def _guard(self, op: Any) -> None:
        if self._stream is None:
            raise OutputError("standard output is closed")
        try:
            op(self._stream)
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as e:  # ValueError: "I/O operation on closed file"
            if isinstance(e, OSError) and e.errno == errno.EPIPE:
                raise BrokenPipeError(*e.args) from None
            reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            raise OutputError(f"cannot write to standard output: {reason}") from None

    def isatty(self) -> bool:
        try:
            return bool(self._stream is not None and self._stream.isatty())
        except (OSError, ValueError):
            return False

    def __getattr__(self, name: str) -> Any:  # fileno, encoding, buffer … of the real stream
        if self._stream is None:
            raise OutputError("standard output is closed")
        return getattr(self._stream, name)


def _say(line: str) -> None:
    """One line on stderr, printable (no raw newlines or undecodable bytes), if stderr is open."""
    from tokstats.output._render import printable

    err = sys.stderr
    if err is None:
        return
    try:
        err.write(printable(line) + "\n")
        err.flush()
    except (OSError, ValueError):
        pass


@contextlib.contextmanager
def _output_settings(args: argparse.Namespace, trailer: list[str]) -> Iterator[None]:
    """Apply ``--no-signature`` and ``--quiet`` while a command runs: CSV's comment lines are
    collected in ``trailer`` (printed on stderr once the rows are out) and, with ``--quiet``,
    everything the command writes on stderr is dropped (errors are printed by ``main`` after)."""
    from tokstats.output._render import csv_trailer_to, signature_shown

    quiet = bool(getattr(args, "quiet", False))
    with contextlib.ExitStack() as stack:
        stack.enter_context(signature_shown(not getattr(args, "no_signature", False)))
        stack.enter_context(csv_trailer_to((lambda line: None) if quiet else trailer.append))
        if quiet:
            sink = stack.enter_context(open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
            stack.enter_context(contextlib.redirect_stderr(sink))
        yield


def _reserve_standard_fds() -> None:
    """Point closed descriptors 0–2 at /dev/null so no file we open can land on them (a count
    file opened as fd 1 would receive the table). ``sys.stdin``/``sys.stdout`` stay ``None``, so
    reading or writing them still reports that they are closed."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                null = os.open(os.devnull, os.O_RDONLY if fd == 0 else os.O_WRONLY)
            except OSError:
                return
            if null != fd:
                os.dup2(null, fd)
                os.close(null)


def _silence_stdout() -> None:
    """After a closed pipe, point fd 1 at /dev/null so the interpreter's final flush is quiet
    (the recipe in Python's documentation of SIGPIPE)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.__stdout__.fileno() if sys.__stdout__ is not None else 1)
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is: it unwinds as Ctrl-C does (temporary files are
    removed, output held back is dropped), then ends the run with status 143."""


def _terminate_as_interrupt() -> None:
    """Make SIGTERM raise ``Terminated`` in this process (not in processes forked from it: a
    worker ended by its pool still ends at once)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    pid = os.getpid()

    def handler(signum: int, frame: Any) -> None:
        if os.getpid() != pid:  # a forked worker: the default action
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        raise Terminated

    signal.signal(signal.SIGTERM, handler)


def _fail(out: GuardedStdout, line: str, status: int = EXIT_ERROR) -> int:
    """Drop the held-back output, print ``line`` on stderr, return ``status``."""
    out.discard()
    _say(line)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see the module docstring)."""
    argv = list(sys.argv[1:] if argv is None else argv) or ["--help"]  # no arguments: the help, exit 0
    only = argv[0] if argv and argv[0] in command_names() else None
    name = f"tokstats {only}" if only else "tokstats"
    if sys.stdout is sys.__stdout__:
        _reserve_standard_fds()
        _terminate_as_interrupt()  # the program itself, not main() called in-process
    real_stdout = sys.stdout
    out = GuardedStdout(real_stdout)
    sys.stdout = out  # type: ignore[assignment]
    status = EXIT_ERROR
    try:
        try:
            from tokstats.cli._usage import parse

            args = parse(build_parser(only), argv)  # unknown options: named by the subcommand typed
            trailer: list[str] = []
            with _output_settings(args, trailer):
                status = int(args.func(args))
            out.release()
            out.flush()
            for line in trailer:  # CSV's signature and notes, after the rows they describe
                _say(line.rstrip("\n"))
        finally:
            sys.stdout = real_stdout
    except SystemExit as e:  # --help, --version: print what argparse wrote
        status = e.code if isinstance(e.code, int) else (EXIT_OK if e.code is None else EXIT_ERROR)
        try:
            out.release()
            out.flush()
        except BrokenPipeError:
            _silence_stdout()
            return EXIT_PIPE
        except OutputError as err:
            return _fail(out, f"{name}: error: {err}")
        return status
    except TokstatsError as e:
        return _fail(out, f"{name}: error: {e}")
    except Terminated:
        return _fail(out, f"{name}: terminated", EXIT_TERMINATED)
    except KeyboardInterrupt:
        return _fail(out, f"{name}: interrupted", EXIT_INTERRUPTED)
    except BrokenPipeError:  # the reader (e.g. `head`) went away: say nothing more
        _silence_stdout()
        return EXIT_PIPE
    except RecursionError:
        return _fail(out, f"{name}: error: input nested too deeply to process")
    except MemoryError:
        return _fail(out, f"{name}: error: out of memory (the input or an option value is too large)")
    except Exception as e:  # a bug: still one line, but say so, and how to see the traceback
        if os.environ.get(DEBUG_ENV):
            raise
        first = str(e).splitlines()[0] if str(e) else ""
        return _fail(
            out,
            f"{name}: internal error: {type(e).__name__}: {first} (please report it; "
            f"{DEBUG_ENV}=1 shows the traceback)",
        )
    return status
