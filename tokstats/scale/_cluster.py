"""Counting and comparing on a Dask cluster: the same numbers as one machine, spread over many.

A cluster is named by ``scheduler``: an address (``tcp://host:8786``) connects to a running
Dask scheduler, ``local:N`` starts a throw-away ``LocalCluster`` of N single-threaded worker
processes on loopback. ``DaskExecutor`` wraps its client as a ``concurrent.futures``
executor, and the one ``tokstats.counting._count.count_files`` (and ``compare_rows``) runs its
work items through it: each input file is one task, the worker opens the file itself (a shared
filesystem path, or any fsspec URL whose driver the workers have), counts it with the same code
as the local path, and sends back only counts — never the text. Per-file results are combined on
this machine in input order, so rows are identical to the local run.

Why tasks return tokstats errors as values instead of raising: a bad file is bad on every retry,
so Dask must not retry it, and with many files failing the error printed must be the one the
local run prints (the first bad input in order), not whichever worker finished first. Lost
workers are another matter: Dask re-runs their unfinished tasks elsewhere and each task's result
is taken exactly once, so a file is never lost or counted twice.

Every worker loads and verifies the tokenizers once (``tokstats.tokenizers.get_tokenizer``
caches per process) before any task runs, and must run the tokstats and tiktoken versions, and
hold the same tokenizer files (same sha256, same library version), as this machine.
dask and distributed are imported only when a cluster is used: ``import tokstats`` never imports
them.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from tokstats import _version  # read at call time: a test fakes a worker's tokstats version
from tokstats.counting._count import _check_jobs, check_tokenizer
from tokstats.counting._count import count_files as base_count_files
from tokstats.errors import DASK_INSTALL_HINT, InputError, TokstatsError
from tokstats.output._signature import build_signature
from tokstats.sources._inputs import expand, is_url
from tokstats.tokenizers import get_tokenizer

if TYPE_CHECKING:
    import pandas as pd
    from distributed import Client

LOCAL_PREFIX = "local:"
#: Seconds to wait for a connected cluster to have at least one worker, and the longest a run
#: waits once every worker is gone before it stops with an error.
WORKER_TIMEOUT = 30
#: Seconds an address has to answer as a Dask scheduler (and Dask's own connect timeout).
CONNECT_TIMEOUT = 10
#: A Dask handshake is a few hundred bytes; a peer announcing more is not a Dask scheduler.
MAX_HANDSHAKE_BYTES = 1 << 20
#: Largest local:N accepted (each worker is a process with its own copy of the encodings).
MAX_LOCAL_WORKERS = 64
#: Tasks whose result is a tokstats error carry this tag (see the module docstring).
_ERROR = "tokstats-error"


# --- the cluster -------------------------------------------------------------------------------


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise InputError(
            f"--scheduler needs dask's distributed scheduler, which is not installed: {DASK_INSTALL_HINT}"
        ) from None
    return distributed


def parse_scheduler(spec: str) -> int | str:
    """``local:N`` -> N (worker processes to start); anything else is a scheduler address."""
    spec = spec.strip()
    if spec.startswith(LOCAL_PREFIX):
        n = spec[len(LOCAL_PREFIX) :]
        if not n.isdigit() or len(n) > 4 or not 1 <= int(n) <= MAX_LOCAL_WORKERS:
            raise InputError(
                f"--scheduler {spec!r}: local:N needs a whole number of workers from 1 to "
                f"{MAX_LOCAL_WORKERS}, e.g. local:2"
            )
        return int(n)
    if not spec:
        raise InputError("--scheduler: give a scheduler address (tcp://host:8786) or local:N")
    return spec


@contextmanager
def connect(scheduler: str) -> Iterator[Client]:
    """A Dask client for ``scheduler`` (see module docstring), closed — with its local cluster — on exit.

    An address is first probed (``probe_scheduler``): something that is not a Dask
    scheduler fails in one line within ``CONNECT_TIMEOUT`` seconds. An interrupt (Ctrl-C)
    at any point, start-up included, tears the cluster down quietly and propagates.
    """
    from contextlib import nullcontext

    distributed = _import_distributed()
    target = parse_scheduler(scheduler)
    # Local workers (and any a nanny restarts later, e.g. after Ctrl-C) get /dev/null as stderr
    # for the cluster's whole life, so no half-started worker's traceback reaches the terminal.
    with _children_stderr_silenced() if isinstance(target, int) else nullcontext():
        yield from _connected(distributed, scheduler, target)


def _connected(distributed: Any, scheduler: str, target: int | str) -> Iterator[Client]:
    """The client of ``connect``, closed (and a local cluster torn down) afterwards."""
    cluster = None
    client = None
    try:
        try:
            if isinstance(target, int):
                cluster = distributed.LocalCluster(
                    n_workers=target,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address="127.0.0.1:0",
                    silence_logs=50,
                )
                client = distributed.Client(cluster)
            else:
                probe_scheduler(target)
                client = distributed.Client(target, timeout=CONNECT_TIMEOUT)
        except (OSError, ValueError, TypeError, RuntimeError) as e:
            # OSError: refused / timed out; ValueError, TypeError: a malformed address or an
            # unsupported protocol; RuntimeError: local worker processes that failed to start.
            if cluster is not None:
                cluster.close()
            reason = str(e).splitlines()[0] if str(e) else type(e).__name__
            if isinstance(target, int):
                raise InputError(f"cannot start a local Dask cluster of {target} workers: {reason}") from None
            raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {reason}") from None
        yield client
    except KeyboardInterrupt:
        _quiet_teardown(client, cluster)
        raise
    finally:
        if client is not None and client.status != "closed":
            client.close()
        if cluster is not None and cluster.status.name != "closed":
            cluster.close()


@contextmanager
def _children_stderr_silenced() -> Iterator[None]:
    """Start local worker processes with their standard error on /dev/null.

    Ctrl-C reaches every process of the terminal's process group: workers still importing
    would each print a KeyboardInterrupt traceback. tokstats reports worker errors itself (as
    task values), so the workers' own stderr is not needed. This process keeps its stderr
    (``sys.stderr`` writes to a duplicate of the original descriptor meanwhile).
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
        null = os.open(os.devnull, os.O_WRONLY)
    except (OSError, AttributeError, ValueError):
        yield
        return
    old_stderr = sys.stderr
    os.dup2(null, 2)
    os.close(null)
    sys.stderr = open(saved, "w", closefd=False, encoding="utf-8", errors="backslashreplace")  # noqa: SIM115
    try:
        yield
    finally:
        sys.stderr.flush()
        sys.stderr.close()
        sys.stderr = old_stderr
        os.dup2(saved, 2)
        os.close(saved)


def _quiet_teardown(client: Any, cluster: Any) -> None:
    """After an interrupt: close the client and every local cluster (also one interrupted while
    starting, which only Dask's own registry knows), without the tracebacks Dask's shutdown
    hooks and asyncio would print for half-started workers."""
    import logging

    for name in ("distributed", "asyncio", "tornado"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    try:
        from distributed.deploy.spec import SpecCluster
    except ImportError:
        return
    for obj in (client, *list(SpecCluster._instances), cluster):
        if obj is None:
            continue
        try:
            obj.close(timeout=5)
        except BaseException:  # noqa: BLE001 — a half-started cluster cannot close cleanly
            pass
        if isinstance(obj, SpecCluster):
            SpecCluster._instances.discard(obj)  # so Dask's atexit hook does not try again


def probe_scheduler(address: str, timeout: float | None = None) -> None:
    """Check that ``address`` (``tcp://host:port`` or ``host:port``) answers as a Dask scheduler
    does — its first message, the handshake, is a small length-prefixed frame sent unasked —
    within ``timeout`` seconds (default ``CONNECT_TIMEOUT``), before Dask itself connects.

    An HTTP or WebSocket server says nothing and times out; another service sends something
    that is not a plausible frame (Dask would try to allocate whatever length it announces).
    Other protocols (``tls://``, ``ws://``, ``inproc://``) are left to Dask's own connect timeout.
    Raises ``InputError`` in one line.
    """
    import socket
    import struct

    timeout = CONNECT_TIMEOUT if timeout is None else timeout
    rest = address.removeprefix("tcp://")
    if "://" in rest:
        return
    host, sep, port = rest.rpartition(":")
    host = host.strip("[]")
    if not sep or not port.isdigit() or not host or not 0 < int(port) < 65536:
        raise InputError(f"--scheduler {address!r}: give tcp://HOST:PORT (e.g. tcp://scheduler:8786) or local:N")
    where = f"the Dask scheduler at {address}"
    try:
        with socket.create_connection((host, int(port)), timeout=timeout) as sock:
            sock.settimeout(timeout)
            head = _recv_exactly(sock, 8)
            (length,) = struct.unpack("<Q", head)
            if not 0 < length <= MAX_HANDSHAKE_BYTES:
                raise InputError(f"{address} is not a Dask scheduler (its first message announces {length} bytes)")
            _recv_exactly(sock, min(length, 64))
    except TimeoutError:
        raise InputError(
            f"{address} is not a Dask scheduler: no handshake within {timeout:g} s (an HTTP or dashboard port?)"
        ) from None
    except OSError as e:
        raise InputError(f"cannot reach {where}: {e.strerror or e}") from None


def _recv_exactly(sock: Any, n: int) -> bytes:
    data = b""
    while len(data) < n:
        block = sock.recv(n - len(data))
        if not block:
            raise OSError(0, "the connection was closed before a Dask handshake")
        data += block
    return data


@contextmanager
def _client(client: Client | None, scheduler: str | None) -> Iterator[Client]:
    if client is not None:
        yield client
    elif scheduler is None:
        raise InputError("give a Dask client or a scheduler (an address or local:N)")
    else:
        with connect(scheduler) as c:
            yield c


def _tokenizer_hashes(encodings: Sequence[str]) -> dict[str, list[str | None]]:
    """``spec -> (sha256 of its file, library and version)``, loading (and verifying) each."""
    infos = [get_tokenizer(name).info for name in encodings]
    return {i.spec: [i.sha256, i.library] for i in infos}


def prepare_worker(encodings: Sequence[str]) -> dict[str, Any]:
    """Run on each worker: load and verify the tokenizers (once per process) and report versions."""
    import tiktoken

    try:
        hashes = _tokenizer_hashes(encodings)
    except TokstatsError as e:
        return {_ERROR: str(e)}
    return {"tokstats": _version.__version__, "tiktoken": tiktoken.__version__, "encodings": hashes}


def prepare_workers(client: Client, encodings: Sequence[str]) -> int:
    """Load the encodings on every worker and check it runs what this machine runs.

    Returns the number of workers. Raises ``InputError`` naming the first worker that
    cannot import tokstats, fails to load an encoding, or differs in a version or a rank hash.
    """
    import tiktoken

    try:
        client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
    except (TimeoutError, OSError):
        raise InputError(f"the Dask cluster at {client.scheduler.address} has no workers") from None
    try:
        reports = client.run(prepare_worker, list(encodings))
    except (ImportError, AttributeError) as e:
        raise InputError(
            f"Dask workers cannot run tokstats ({type(e).__name__}: {e}); install tokstats {_version.__version__} "
            "on every worker (pip wheel --no-deps -w dist . in the checkout, then pip install "
            f"'dist/tokstats-{_version.__version__}-py3-none-any.whl[dask]' in the workers' environment)"
        ) from None
    want = {
        "tokstats": _version.__version__,
        "tiktoken": tiktoken.__version__,
        "encodings": _tokenizer_hashes(encodings),
    }
    for worker, report in sorted(reports.items()):
        if _ERROR in report:
            raise InputError(f"Dask worker {worker}: {report[_ERROR]}")
        for key in ("tokstats", "tiktoken", "encodings"):
            if report[key] != want[key]:
                raise InputError(
                    f"Dask worker {worker} runs {key} {report[key]} but this machine runs {want[key]}; "
                    "install the same tokstats and tiktoken versions on the workers"
                )
    return len(reports)


# --- inputs ------------------------------------------------------------------------------------


def check_url(url: str) -> str:
    """``url`` itself, or ``InputError`` if its path has a ``..`` (or ``.``) part.

    Object stores do not resolve ``..`` the way a filesystem does, and a worker that keeps a
    local copy named after the URL must never be led outside its temporary folder."""
    parts = url.split("://", 1)[1].replace("\\", "/").split("/")
    if any(part in ("..", ".") for part in parts):
        raise InputError(f"{url}: a URL with '..' or '.' in its path is refused; give the object's full path")
    return url


def expand_inputs(paths: Sequence[str]) -> list[str]:
    """``paths`` resolved by ``tokstats.sources._inputs.expand`` (globs expanded here, ``file://``
    made local, each input once): the cluster and the local run read the same inputs. A URL
    with a ``..`` or ``.`` path part is refused first (``check_url``)."""
    for p in paths:
        if is_url(p):
            check_url(p)
    return expand(paths).paths


# --- running tasks -----------------------------------------------------------------------------


class _Progress:
    """``tasks done/total`` on stderr, redrawn in place; silent unless stderr is a terminal."""

    def __init__(self, label: str, total: int, workers: int, enabled: bool | None = None) -> None:
        if enabled is None:
            try:
                enabled = sys.stderr.isatty()
            except (AttributeError, ValueError):
                enabled = False
        self.enabled, self.label, self.total, self.workers = enabled, label, total, workers
        self.done = 0
        self.start = time.perf_counter()

    def update(self) -> None:
        self.done += 1
        if self.enabled:
            secs = time.perf_counter() - self.start
            name = self.label.replace("-", " ")
            sys.stderr.write(f"\r{name}: {self.done}/{self.total} tasks on {self.workers} workers, {secs:.1f} s ")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()


def run_ordered(
    client: Client,
    fn: Callable[..., Any],
    items: Sequence[Any],
    *args: Any,
    label: str = "tokstats",
    workers: int = 0,
    progress: bool | None = None,
) -> list[Any]:
    """``[fn(item, *args) for item in items]`` on the cluster, results in input order.

    ``fn`` returns ``{_ERROR: message}`` for bad input; the error raised is that of the first bad
    item in input order (as the local, sequential run would raise), and tasks after it are
    cancelled. Other exceptions are bugs and propagate.
    """
    import uuid

    run_id = uuid.uuid4().hex[:12]
    futures = [client.submit(fn, item, *args, key=f"{label}-{run_id}-{i}", pure=False) for i, item in enumerate(items)]
    index = {f.key: i for i, f in enumerate(futures)}
    results: list[Any] = [None] * len(items)
    remaining = set(range(len(items)))  # unfinished items before the first bad one
    message = ""
    bar = _Progress(label, len(items), workers, progress)
    try:
        for fut in _completed(client, futures):
            i = index[fut.key]
            if i not in remaining:
                continue
            value = _result(fut, i, items)
            remaining.discard(i)
            if isinstance(value, dict) and _ERROR in value:
                message = value[_ERROR]
                remaining = {j for j in remaining if j < i}
                client.cancel(futures[i + 1 :])
            else:
                results[i] = value
                bar.update()
            if not remaining:
                break
    finally:
        bar.close()
        client.cancel(futures)  # nothing is left running when we return or raise
    if message:
        raise InputError(message)
    return results


#: How often (seconds) a waiting run checks that the cluster still has workers.
POLL_SECONDS = 2.0


def _completed(client: Client, futures: Sequence[Any]) -> Iterator[Any]:
    """``futures`` as they finish, like ``distributed.as_completed``, but a cluster that has had
    no worker for ``WORKER_TIMEOUT`` seconds (all killed, pre-empted, scaled to zero) stops
    the run with one line instead of waiting forever."""
    from distributed import as_completed

    ac = as_completed(futures)
    left = len(futures)
    last_check = time.monotonic()
    no_workers_since: float | None = None
    while left:
        batch = ac.next_batch(block=False)
        if batch:
            for fut in batch:
                left -= 1
                yield fut
            no_workers_since = None
            continue
        time.sleep(0.02)
        now = time.monotonic()
        if now - last_check < POLL_SECONDS:
            continue
        last_check = now
        if _worker_count(client) > 0:
            no_workers_since = None
        elif no_workers_since is None:
            no_workers_since = now
        elif now - no_workers_since > WORKER_TIMEOUT:
            raise InputError(
                f"the Dask cluster lost all its workers and none came back within {WORKER_TIMEOUT} s; "
                f"{left} of {len(futures)} tasks unfinished"
            )


def _worker_count(client: Client) -> int:
    try:
        return len(client.nthreads())
    except Exception:  # noqa: BLE001 — the scheduler itself unreachable counts as no workers
        return 0


def _result(fut: Any, i: int, items: Sequence[Any]) -> Any:
    """The task's value; a task whose workers kept dying (out of memory?) is one line, not a traceback."""
    from distributed import KilledWorker

    try:
        return fut.result()
    except KilledWorker as e:
        what = items[i] if isinstance(items[i], str) else f"item {i + 1}"
        first = str(e).splitlines()[0] if str(e) else "KilledWorker"
        raise InputError(f"{what}: the Dask workers running it died too often ({first})") from None


# --- the executor ------------------------------------------------------------------------------


def _as_value(item: Any, fn: Callable[..., Any], star: bool) -> Any:
    """On a worker: ``fn(item)`` (``fn(*item)`` if ``star``), a tokstats error returned as a value."""
    try:
        return fn(*item) if star else fn(item)
    except TokstatsError as e:
        return {_ERROR: str(e)}


class DaskExecutor(Executor):
    """A ``distributed.Client`` as a ``concurrent.futures.Executor``, for the ``executor`` of
    ``tokstats.counting._count.count_files`` and ``tokstats.comparison._compare.compare_rows``.

    ``map`` runs each item as one task through ``run_ordered``: results in input order, a
    tokstats error raised for the first bad item in order (not retried, the tasks after it
    cancelled), a lost cluster reported in one line, ``tasks done/total`` on a terminal.
    ``submit`` is the client's (its future has ``.result()``). Shutting it down leaves the client
    open: it belongs to whoever made it.
    """

    def __init__(self, client: Client, *, label: str = "tokstats", workers: int = 0, progress: bool | None = None):
        self.client, self.label, self.workers, self.progress = client, label, workers, progress

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        return self.client.submit(fn, *args, pure=False, **kwargs)

    def map(
        self, fn: Callable[..., Any], *iterables: Iterable[Any], timeout: float | None = None, chunksize: int = 1
    ) -> Iterator[Any]:
        star = len(iterables) != 1
        items = list(zip(*iterables)) if star else list(iterables[0])
        return iter(
            run_ordered(
                self.client,
                _as_value,
                items,
                fn,
                star,
                label=self.label,
                workers=self.workers,
                progress=self.progress,
            )
        )

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        pass


# --- count -------------------------------------------------------------------------------------


def count_rows(
    paths: Sequence[str],
    encoding: str = "cl100k_base",
    *,
    scheduler: str | None = None,
    client: Client | None = None,
    backend: str = "auto",
    jobs: int | None = None,
    progress: bool | None = None,
) -> list[dict[str, Any]]:
    """``[{"path", "bytes", "tokens", "sha256", "backend"}]`` per file (globs expanded), counted
    on a Dask cluster by ``tokstats.counting._count.count_files`` with a ``DaskExecutor``.

    The rows ``tokstats count`` prints; pass ``client`` to use an existing one, or ``scheduler``.
    Each file is one task; ``jobs`` (default 1) is how many threads that task counts it with on
    its worker — more only helps for a few large files on workers with spare threads.
    """
    if jobs is not None:
        _check_jobs(jobs)
    check_tokenizer(encoding, backend)  # a bad name or backend fails here, before any cluster starts
    files = expand_inputs(paths)
    with _client(client, scheduler) as c:
        workers = prepare_workers(c, [encoding])
        on = DaskExecutor(c, label="tokstats-count", workers=workers, progress=progress)
        counted = base_count_files(files, encoding, jobs, backend=backend, executor=on)
    return [
        {"path": p, "bytes": fc.nbytes, "tokens": fc.tokens, "sha256": fc.sha256, "backend": fc.backend}
        for p, fc in zip(files, counted)
        if not isinstance(fc, InputError)
    ]


def count_files(
    paths: str | Sequence[str],
    encoding: str = "cl100k_base",
    *,
    scheduler: str | None = None,
    client: Client | None = None,
    backend: str = "auto",
) -> pd.DataFrame:
    """``count_rows`` as a pandas DataFrame (``path``, ``bytes``, ``tokens``), signature in ``attrs``."""
    import pandas as pd

    rows = count_rows(
        [paths] if isinstance(paths, str) else paths, encoding, scheduler=scheduler, client=client, backend=backend
    )
    df = pd.DataFrame(rows, columns=["path", "bytes", "tokens"])
    df.attrs["signature"] = build_signature([encoding], count="encode_ordinary")
    return df


# --- command line ------------------------------------------------------------------------------


__all__ = [
    "DaskExecutor",
    "connect",
    "count_files",
    "count_rows",
    "expand_inputs",
    "parse_scheduler",
    "prepare_workers",
    "run_ordered",
]
