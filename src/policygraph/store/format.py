"""Which policygraph wrote a store, and what to say when its files are damaged.

A store written by another version was read as if it were this one's and answered 0 rows,
silently. Every writer now records the store's format in a small file beside the database;
a reader that finds none (a store from before it) or another number says so in one line,
and so does a writer that finds another number.
Damage RocksDB reports (an empty `CURRENT`, a deleted `.sst`) comes as a RuntimeError with a
traceback; it is one line here, with what to do.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from ..errors import StoreDamagedError, StoreError, StoreVersionError

__all__ = ["FORMAT", "FORMAT_FILE", "REBUILD", "check", "damaged"]

FORMAT_FILE = "policygraph-format"
# Raise when what the graphs mean changes (vocabulary, graph names, the merged default graph),
# so that a store of the old meaning is refused rather than misread.
FORMAT = 1
REBUILD = "rebuild it: `policygraph build DOCS --store NEW_FOLDER`"


def check(folder: Path, store: ox.Store, *, writable: bool) -> None:
    """Refuse a store another format version wrote; a writer stamps one that has no stamp."""
    path = folder / FORMAT_FILE
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        text = None
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreDamagedError(f"{folder}: cannot read {FORMAT_FILE} ({exc}); {REBUILD}") from exc
    if text is None:
        # A store from before this file: a writer upgrades it in place as before (the merged
        # graph, identity's source names) and stamps it; a reader cannot, and says so.
        if writable or next(iter(store.named_graphs()), None) is None:
            if writable:
                _stamp(path)
            return
        raise StoreVersionError(
            f"{folder}: the store was written by an older policygraph (it has no {FORMAT_FILE} "
            "file) and this version may misread it; build into it once to upgrade it "
            f"(`policygraph build DOCS --store {folder}`), or {REBUILD}"
        )
    found = re.fullmatch(r"policygraph-store (\d{1,9})", text)
    if found is None:
        raise StoreDamagedError(f"{folder}: {FORMAT_FILE} holds {text[:40]!r}; {REBUILD}")
    if int(found[1]) != FORMAT:
        age = "an older" if int(found[1]) < FORMAT else "a newer"
        raise StoreVersionError(
            f"{folder}: the store was written by {age} policygraph (store format {found[1]}, "
            f"this version reads {FORMAT}); {REBUILD}, or use the version that wrote it"
        )


def _stamp(path: Path) -> None:
    try:
        path.write_text(f"policygraph-store {FORMAT}\n", encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"{path.parent}: cannot write {FORMAT_FILE}: {exc.strerror}") from exc


def damaged(folder: Path, exc: Exception) -> StoreDamagedError:
    """RocksDB's report of damage (RuntimeError "Corruption: ..."), as one line."""
    reason = " ".join(str(exc).split())
    return StoreDamagedError(f"{folder}: the store's files are damaged ({reason}); {REBUILD}")
