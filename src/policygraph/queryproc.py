"""Running the endpoint's queries where a query past its limit can be stopped.

Oxigraph cannot interrupt a running query, so one run in a thread of the server kept running
after its 503: two Cartesian products kept both threads busy and every later query waited
and failed, until a restart; a huge CONSTRUCT kept building its answer (75 MB to 1.65 GB).
Here each query runs in a worker process of its own (a small pool, each process opening the
store read-only and following the builds, storeview.py). The server waits for the answer
until the time limit, watching the worker's memory; past either the worker is killed and a
fresh one started, and the client gets 503 or 413. An answer over `max_answer_bytes` is
refused with 413 before it is sent back. A worker that dies (a crash in the query engine)
is replaced too; the server itself never runs a query.

A fixed `Store` (an in-memory one a test builds) has no folder a process could open: its
queries run in threads as before (ThreadRunner), with the same size cap.
"""

from __future__ import annotations

import concurrent.futures
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import HttpError, NotAcceptable
from .sparql import protocol
from .store import Store
from .store.view import StoreView
from .vocab import EXPORT_PREFIXES
from .workers import process_context, rss_mib

__all__ = ["ProcessRunner", "Task", "ThreadRunner", "evaluate", "negotiate"]

Headers = list[tuple[str, str]]
Answer = tuple[str, Headers, bytes]
# Graph answers in Turtle and TriG: the exports' prefixes (actor:access-now, no escapes).
_PREFIXES = {k: str(v) for k, v in EXPORT_PREFIXES.items()}
# The server's log: a query the engine fails on is one line here, never a traceback.
_log = logging.getLogger("policygraph.serve")


@dataclass(frozen=True)
class Task:
    query: str
    accept: str
    fallback: tuple[str, ...] = ()
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


def negotiate(kind: protocol.Kind, accept: str, fallback: tuple[str, ...]) -> protocol.Format:
    try:
        return protocol.choose(kind, accept, fallback)
    except NotAcceptable as exc:
        what = "a graph" if kind == "graph" else "query results"
        raise HttpError(
            "406 Not Acceptable", f"cannot answer {what} in {accept or 'that format'}; {exc}"
        ) from exc


def _too_large(limit: int) -> HttpError:
    return HttpError(
        "413 Payload Too Large",
        f"the answer is larger than {limit / 2**20:g} MB; narrow the query (LIMIT, filters)",
    )


def evaluate(store: Store, task: Task, max_answer_bytes: int) -> Answer:
    """The query's answer in the negotiated format (HttpError for the client's mistakes)."""
    kwargs: dict[str, Any] = {}
    try:
        # Without default-graph-uri the store's own default graph answers: the merge of
        # all named graphs.
        if task.default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in task.default_graphs]
        if task.named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in task.named_graphs]
        result = store.oxigraph.query(task.query, **kwargs)
        fmt = negotiate(protocol.kind_of(result), task.accept, task.fallback)
        body = protocol.serialize(result, fmt, _PREFIXES)
    except (SyntaxError, ValueError) as exc:
        raise HttpError("400 Bad Request", f"bad query: {exc}") from exc
    except OSError as exc:
        raise _failed(exc) from exc
    if len(body) > max_answer_bytes:
        raise _too_large(max_answer_bytes)
    return "200 OK", [("Content-Type", protocol.content_type(fmt))], body


def _failed(exc: BaseException) -> HttpError:
    """A query the engine failed on while running it (an unsupported function, a read error):
    500 with the engine's reason, the same for threads and worker processes."""
    reason = " ".join(str(exc).split())[:500] or type(exc).__name__
    return HttpError("500 Internal Server Error", f"the query failed: {reason}")


def _logged(error: HttpError) -> HttpError:
    if error.status.startswith("500"):
        _log.error("policygraph serve: %s (%s)", error.message, error.status)
    return error


def _timed_out(timeout: float) -> HttpError:
    return HttpError(
        "503 Service Unavailable",
        f"the query ran longer than {timeout:g} s and was stopped",
    )


class ThreadRunner:
    """Queries in threads, on a fixed store (cannot stop a query past its limit)."""

    def __init__(self, store: Callable[[], Store], workers: int, max_answer_bytes: int) -> None:
        self._store = store
        self._max = max_answer_bytes
        self._pool = concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="sparql")

    def run(self, task: Task, deadline: float, timeout: float) -> Answer:
        """The answer, or HttpError; `deadline` on time.monotonic()'s clock, `timeout` the
        limit it comes from (said in the 503)."""
        future = self._pool.submit(evaluate, self._store(), task, self._max)
        try:
            return future.result(timeout=max(0.0, deadline - time.monotonic()))
        except concurrent.futures.TimeoutError as exc:
            raise _timed_out(timeout) from exc
        except HttpError as exc:
            raise _logged(exc) from None
        except Exception as exc:  # the query engine's own failure: an answer, not a traceback
            raise _logged(_failed(exc)) from exc

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


# ---------------------------------------------------------------------- worker processes
def _worker_main(store_dir: str, conn: Connection, max_answer_bytes: int) -> None:
    view = StoreView(Path(store_dir))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return  # the server is gone
        try:
            reply: tuple[Any, ...] = ("ok", evaluate(view.current(), task, max_answer_bytes))
        except HttpError as exc:
            reply = ("error", exc.status, exc.message, exc.headers)
        except Exception as exc:  # the query engine's own failure: an answer, not a death
            failed = _failed(exc)
            reply = ("error", failed.status, failed.message, failed.headers)
        conn.send(reply)


@dataclass
class _Worker:
    process: Any
    conn: Connection


class ProcessRunner:
    """Queries in worker processes over the store folder; see the module's docstring."""

    def __init__(
        self, store_dir: Path, workers: int, max_answer_bytes: int, memory_mib: float
    ) -> None:
        self._dir = str(store_dir)
        self._max = max_answer_bytes
        self._memory = memory_mib
        self._ctx = process_context(["policygraph.queryproc"])
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        self.replaced = 0  # workers killed or dead and replaced (for tests and logs)
        for _ in range(workers):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(
            target=_worker_main, args=(self._dir, child, self._max), daemon=True
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def _replace(self, worker: _Worker) -> None:
        """Kill the worker and start another in the background (the request need not wait)."""
        self.replaced += 1
        worker.process.kill()
        worker.conn.close()

        def restart() -> None:
            worker.process.join(5)
            if not self._closed:
                self._idle.put(self._start())

        threading.Thread(target=restart, daemon=True).start()

    def run(self, task: Task, deadline: float, timeout: float) -> Answer:
        """As ThreadRunner.run; the query is stopped at the deadline."""
        try:
            worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty as exc:
            raise _timed_out(timeout) from exc
        try:
            worker.conn.send(task)
            reply = self._wait(worker, deadline, timeout)
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise _logged(
                HttpError(
                    "500 Internal Server Error", "the query's worker process died; it was replaced"
                )
            ) from exc
        self._idle.put(worker)
        if reply[0] == "ok":
            answer: Answer = reply[1]
            return answer
        _, status, message, headers = reply
        raise _logged(HttpError(status, message, headers))

    def _wait(self, worker: _Worker, deadline: float, timeout: float) -> tuple[Any, ...]:
        while not worker.conn.poll(min(0.05, max(0.0, deadline - time.monotonic()))):
            if time.monotonic() >= deadline:
                self._replace(worker)
                raise _timed_out(timeout)
            if (rss_mib(worker.process.pid) or 0.0) > self._memory:
                self._replace(worker)
                raise _too_large(self._max)
        reply: tuple[Any, ...] = worker.conn.recv()
        return reply

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return
            worker.process.kill()
            worker.conn.close()


Runner = ProcessRunner | ThreadRunner


def runner_for(
    store: Store | StoreView, workers: int, max_answer_bytes: int, memory_mib: float
) -> Runner:
    """Worker processes over the store's folder when it has one that a view follows."""
    if isinstance(store, StoreView):
        return ProcessRunner(store.path, workers, max_answer_bytes, memory_mib)
    return ThreadRunner(lambda: store, workers, max_answer_bytes)
