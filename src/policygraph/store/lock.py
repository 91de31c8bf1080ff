"""policygraph's own lock on a store folder, held by every writer for as long as it has the
store open.

RocksDB's `LOCK` file is the database's only guard against a second writer, and it is just a
file: deleted during a build, it let a second build open the store, and the store could not
be opened again ("MANIFEST may be corrupted"), 2 of 2 runs. This lock is an exclusive flock
on the folder itself, which no one deletes while it holds the store: a second writer is
refused (StoreBusyError) before it touches the database, whatever became of `LOCK`. Readers
repair an interrupted build only under the same lock (store.py).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from ..errors import StoreBusyError, StoreError

__all__ = ["WriterLock", "writer_active"]

BUSY = "the store is in use by another policygraph process; wait for it to finish and try again"


class WriterLock:
    def __init__(self, folder: Path) -> None:
        try:
            self._fd: int | None = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError as exc:
            raise StoreError(f"{folder}: cannot open the store folder: {exc.strerror}") from exc
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            os.close(self._fd)
            self._fd = None
            raise StoreBusyError(f"{folder}: {BUSY}") from exc

    def __del__(self) -> None:
        # A Store dropped without close(): its database closes as it goes, so does this.
        self.release()

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def writer_active(folder: Path) -> bool:
    """Whether a policygraph writer holds the store folder now."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing the descriptor drops a lock taken through it
    return False
