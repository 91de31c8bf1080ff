"""Running a pipeline stage over many documents on every core.

Reading, extraction and graph building are pure per document and CPU-bound Python, so they
run in worker processes. Workers come from a fork server started clean (not forked from a
process holding the open store and its database threads). At most a few tasks per worker are
in flight, so results are consumed, and memory freed, as fast as they are made.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from .errors import WorkerError

__all__ = ["default_workers", "ordered_map"]

T = TypeVar("T")
R = TypeVar("R")

# Modules the fork server imports once, so that each worker starts with them loaded.
_PRELOAD = ["policygraph.pipeline"]


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
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=initializer, initargs=initargs
    ) as pool:
        in_flight: deque[Future[R]] = deque()
        try:
            for item in items:
                in_flight.append(pool.submit(fn, item))
                if len(in_flight) >= 2 * workers:
                    yield in_flight.popleft().result()
            while in_flight:
                yield in_flight.popleft().result()
        except BrokenProcessPool as exc:
            raise WorkerError(
                "a worker process died (out of memory?); retry with fewer workers (--workers 1)"
            ) from exc
        finally:
            for future in in_flight:
                future.cancel()
