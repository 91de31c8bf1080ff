"""Running a pipeline stage over many documents on every core.

Reading, extraction and graph building are pure per document and CPU-bound Python, so they
run in worker processes. Workers come from a fork server started clean (not forked from a
process holding the open store and its database threads). At most a few tasks per worker are
in flight, so results are consumed, and memory freed, as fast as they are made.

The workers never run the caller's main module. multiprocessing re-imports it in every
worker it starts (so that functions defined there can be called), which re-runs a script
without an `if __name__ == "__main__"` guard: its `build()` then opens the store the parent
holds and the worker dies. Everything a worker runs lives in policygraph's own modules, so
the main module is left out of what the workers are told to prepare. Notebooks (whose main
module has no file) work either way.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from multiprocessing import context, popen_forkserver, spawn
from typing import Any, TypeVar

from .errors import WorkerError

__all__ = [
    "Budget",
    "OverBudget",
    "budget",
    "default_workers",
    "ordered_map",
    "process_context",
    "rss_mib",
    "shared_map",
]

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")

# Modules the fork server imports once, so that each worker starts with them loaded.
_PRELOAD = ["policygraph.pipeline"]


_PREPARING = threading.Lock()
_MAIN_KEYS = ("init_main_from_name", "init_main_from_path")


def _preparation_without_main(name: str) -> dict[str, Any]:
    data: dict[str, Any] = _STDLIB_PREPARATION(name)
    for key in _MAIN_KEYS:
        data.pop(key, None)
    return data


_STDLIB_PREPARATION = spawn.get_preparation_data


class _Popen(popen_forkserver.Popen):  # type: ignore[misc]
    def _launch(self, process_obj: Any) -> None:
        # The stdlib reads spawn.get_preparation_data while launching; swapped for this one
        # launch only (under a lock, so that no other process start sees it).
        with _PREPARING:
            spawn.get_preparation_data = _preparation_without_main
            try:
                super()._launch(process_obj)  # type: ignore[misc]
            finally:
                spawn.get_preparation_data = _STDLIB_PREPARATION


class _Process(context.ForkServerProcess):  # type: ignore[misc]
    @staticmethod
    def _Popen(process_obj: Any) -> Any:
        return _Popen(process_obj)


class _Context(context.ForkServerContext):  # type: ignore[misc]
    Process = _Process


def process_context(preload: list[str]) -> Any:
    """A multiprocessing context whose processes start from a clean fork server that has
    imported `preload`, and never run the caller's main module."""
    ctx = _Context()
    ctx.set_forkserver_preload(preload)
    return ctx


def _context() -> multiprocessing.context.BaseContext:
    ctx: multiprocessing.context.BaseContext = process_context(_PRELOAD)
    return ctx


_COLLATERAL = frozenset({-signal.SIGTERM, 255})


def _why_dead(pool: ProcessPoolExecutor) -> str:
    """What the broken pool's processes died of, from their exit codes."""
    processes = list(getattr(pool, "_processes", {}).values())
    for p in processes:
        # The pool is broken and its processes are ending: wait for each exit status to
        # arrive (from the fork server) before reading it, or the cause may read as None.
        p.join(timeout=2.0)
    codes = [p.exitcode for p in processes if p.exitcode]
    # When one worker dies the pool ends the others: they show SIGTERM, or 255 where the
    # process lost its pipe first. Name the cause, not the collateral.
    codes.sort(key=lambda c: c in _COLLATERAL)
    if any(c == -signal.SIGKILL for c in codes):
        return (
            "a worker process was killed (out of memory?); retry with fewer workers (--workers 1)"
        )
    if codes:
        return (
            f"a worker process exited with code {codes[0]} (its error is printed above); "
            "retry with --workers 1 to see it here"
        )
    return "a worker process died; retry with --workers 1"


def default_workers() -> int:
    """POLICYGRAPH_WORKERS, else one worker per core the process may use."""
    if os.environ.get("POLICYGRAPH_WORKERS"):
        return max(1, int(os.environ["POLICYGRAPH_WORKERS"]))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def ordered_map(
    fn: Callable[[T], R],
    items: Iterable[T],
    *,
    workers: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[R]:
    """fn over items, results in the order of items; in `workers` processes when above one.
    `initializer(*initargs)` runs once per process (in this one when there are no workers)."""
    if workers <= 1:
        if initializer is not None:
            initializer(*initargs)
        yield from map(fn, items)
        return
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=_context(), initializer=initializer, initargs=initargs
    ) as pool:
        in_flight: deque[Future[R]] = deque()
        try:
            for item in items:
                in_flight.append(pool.submit(fn, item))
                if len(in_flight) >= 2 * workers:
                    yield in_flight.popleft().result()
            while in_flight:
                yield in_flight.popleft().result()
        except (BrokenProcessPool, EOFError) as exc:
            # EOFError: a worker died while the fork server was starting another one.
            raise WorkerError(_why_dead(pool)) from exc
        finally:
            for future in in_flight:
                future.cancel()


# In a worker process of `shared_map`: the value it was sent once, at the process's start.
_shared: Any = None


def _receive(shared: object) -> None:
    global _shared
    _shared = shared


def _with_shared(fn: Callable[[Any, T], R], item: T) -> R:
    return fn(_shared, item)


def shared_map(
    fn: Callable[[S, T], R], shared: S, items: Iterable[T], *, workers: int
) -> Iterator[R]:
    """`fn(shared, item)` over items, in order, like `ordered_map`. `shared` (a large frozen
    value, such as the build's actor table) is sent to each worker process once, not with
    every item; without workers it is passed as it is."""
    if workers <= 1:
        yield from (fn(shared, item) for item in items)
        return
    yield from ordered_map(
        partial(_with_shared, fn), items, workers=workers, initializer=_receive, initargs=(shared,)
    )


# ---------------------------------------------------------------------- per-document budget
@dataclass(frozen=True)
class Budget:
    """What one document may cost to read and extract: wall-clock seconds, and growth of the
    process's resident memory. Past either, the document is skipped with the reason and the
    build goes on. Defaults from POLICYGRAPH_DOC_SECONDS and POLICYGRAPH_DOC_MEMORY_MIB."""

    seconds: float = 120.0
    memory_mib: float = 2048.0

    @classmethod
    def from_env(cls) -> Budget:
        env = os.environ
        return cls(
            float(env.get("POLICYGRAPH_DOC_SECONDS") or cls.seconds),
            float(env.get("POLICYGRAPH_DOC_MEMORY_MIB") or cls.memory_mib),
        )


class OverBudget(BaseException):
    """A document ran past its budget. A BaseException, so that no `except Exception` in the
    readers or extractors takes it for their own error and carries on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_PAGE_MIB = os.sysconf("SC_PAGE_SIZE") / 2**20 if hasattr(os, "sysconf") else 0.0


def rss_mib(pid: int | None = None) -> float | None:
    """The process's resident memory in MiB (None: not Linux, or no such process)."""
    try:
        with open(f"/proc/{pid or 'self'}/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE_MIB
    except (OSError, ValueError, IndexError):  # not Linux: no memory budget
        return None


def _watch_memory(limit_mib: float, stop: threading.Event, fired: list[str]) -> None:
    base = rss_mib()
    if base is None:
        return
    while not stop.wait(0.05):
        now = rss_mib() or base
        if now - base > limit_mib:
            fired.append(f"ran out of its memory budget ({limit_mib:g} MiB)")
            os.kill(os.getpid(), signal.SIGALRM)  # the handler raises in the main thread
            return


@contextmanager
def budget(limit: Budget) -> Iterator[None]:
    """Raise OverBudget in the block when it runs past `limit`. Python's regular expression
    engine checks for signals as it matches, so even a backtracking regex is stopped. Only in
    the main thread (signals are delivered there); elsewhere the block runs unbounded."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    fired: list[str] = []
    done = False

    def on_alarm(signum: int, frame: Any) -> None:
        if done:
            return  # the block ended as the alarm came
        raise OverBudget(fired[0] if fired else f"ran out of its time budget ({limit.seconds:g} s)")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, limit.seconds)
    stop = threading.Event()
    watchdog = threading.Thread(
        target=_watch_memory, args=(limit.memory_mib, stop, fired), daemon=True
    )
    watchdog.start()
    try:
        yield
    finally:
        done = True
        signal.setitimer(signal.ITIMER_REAL, 0)
        stop.set()
        watchdog.join()
        signal.signal(signal.SIGALRM, previous)
