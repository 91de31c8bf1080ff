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
from functools import partial
from multiprocessing import context, popen_forkserver, spawn
from typing import Any, TypeVar

from .errors import WorkerError

__all__ = ["default_workers", "ordered_map", "shared_map"]

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


def _context() -> multiprocessing.context.BaseContext:
    ctx = _Context()
    ctx.set_forkserver_preload(_PRELOAD)
    return ctx


_COLLATERAL = frozenset({-signal.SIGTERM, 255})


def _why_dead(pool: ProcessPoolExecutor) -> str:
    """What the broken pool's processes died of, from their exit codes."""
    codes = [p.exitcode for p in getattr(pool, "_processes", {}).values() if p.exitcode]
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
