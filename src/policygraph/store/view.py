"""A read-only view of a store folder that follows the builds written into it.

Oxigraph's read-only store is a snapshot of the folder as it was when opened. `serve` must see
documents built after it started, so the view is re-opened when the folder changes: before each
request the names, sizes and modification times of the folder's files are compared with those
seen at the last opening (one directory listing). While a bulk build is loading (its intent
file present) the last complete state keeps answering, and so it does when the new state
cannot be opened.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from ..errors import StoreError
from . import Store

__all__ = ["StoreView"]

# RocksDB's own log and lock change without the data changing.
_IGNORED = ("LOG", "LOCK")


def _signature(path: Path) -> frozenset[tuple[str, int, int]]:
    try:
        entries = list(os.scandir(path))
    except OSError:
        return frozenset()
    out: set[tuple[str, int, int]] = set()
    for entry in entries:
        if entry.name.startswith(_IGNORED):
            continue
        try:
            st = entry.stat()
        except OSError:  # removed while listing: the next request looks again
            continue
        out.add((entry.name, st.st_size, st.st_mtime_ns))
    return frozenset(out)


class StoreView:
    """`current()` is the store as last built (opened read-only)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._signature = _signature(path)
        self._store = Store(path, read_only=True)
        self.reopened = 0  # how many times a build's changes were picked up

    def current(self) -> Store:
        signature = _signature(self.path)
        if signature == self._signature:
            return self._store
        with self._lock:
            if signature != self._signature:
                try:
                    store = Store(self.path, read_only=True)
                except StoreError:
                    # A bulk load in progress (StoreBusyError) or a state that cannot be read
                    # yet: keep answering from the last complete one; the next request retries.
                    return self._store
                # Queries running on the old view hold their own reference to it; it closes
                # when they finish.
                self._store, self._signature = store, signature
                self.reopened += 1
        return self._store

    def close(self) -> None:
        with self._lock:
            self._store.close()
