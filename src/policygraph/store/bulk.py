"""Writing many new document graphs into the store: one transaction when they are few, bulk
loads behind an intent log when they are many.

Oxigraph's transactional writes ran at about a third of its bulk loader's rate (`make bench`),
and a transaction holds all its writes in memory. The bulk loader has no transaction, so a
large build keeps an intent log next to the database (`policygraph-intent.jsonl`): which
graphs it is loading, with how many triples, and which batches already reached the merged
default graph. A build killed halfway is finished or undone by the next process that opens
the store: if every graph it announced is complete, its remaining steps are done (roll
forward); otherwise its graphs are dropped (roll back). Either way the store ends in the state
before or after the build, never between.

Order within a batch matters for the undo: the named graphs are loaded first, then their
copies into the merged default graph, so a triple can be in the merge only once its named
graph is whole, and removing the announced graphs from the merge finds every such triple.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef

from ..errors import StoreDamagedError, StoreError
from ..rdf import terms
from . import rq
from .format import REBUILD

__all__ = [
    "BULK_MIN_TRIPLES",
    "INTENT_FILE",
    "Spill",
    "recover",
    "remove_parts",
    "update",
    "write",
]

INTENT_FILE = "policygraph-intent.jsonl"
# Below this many triples a build is written in one transaction (atomic, no intent log).
BULK_MIN_TRIPLES = int(os.environ.get("POLICYGRAPH_BULK_MIN_TRIPLES", "200000"))
# Triples per bulk load: Oxigraph's loader holds about a gigabyte per million triples it
# sorts, and each load ingests new files into the database, so neither tiny nor unbounded.
BULK_LOAD_TRIPLES = 1_000_000


@dataclass(frozen=True)
class SpillFile:
    """Part of a build's output on disk: the same triples as N-Quads (in their document
    graphs) and as N-Triples (for the merged default graph)."""

    nquads: Path
    ntriples: Path
    graphs: tuple[tuple[str, int], ...]  # (graph IRI, triples)

    @property
    def triples(self) -> int:
        return sum(n for _, n in self.graphs)


Spill = Sequence[SpillFile]


def remove_parts(names: Iterable[str]) -> list[str]:
    """SPARQL updates that drop graphs `names` and take their triples out of the merge.
    Each name is written by the one term writer, which refuses a name that could end the
    IRI (so no name can reach another graph); a bad name raises TermError before anything
    is written."""
    # One graph at a time, so that a triple two dropped graphs share leaves the merge.
    parts: list[str] = []
    for name in names:
        graph = URIRef(name)
        parts.append(terms.fill_values(rq.load("merged_remove"), {"graph": [graph]}))
        parts.append(terms.drop_graph(name))
    return parts


def update(store: ox.Store, parts: Sequence[str]) -> None:
    """Run SPARQL update `parts` as one transaction."""
    if not parts:
        return
    try:
        store.update(" ;\n".join(parts))
    except (OSError, SyntaxError) as exc:
        raise StoreError(f"writing to the store failed, nothing was changed: {exc}") from exc


def write(
    store: ox.Store,
    folder: Path | None,
    spill: Spill,
    remove: Sequence[str] = (),
    *,
    bulk_min: int | None = None,
) -> int:
    """Add the document graphs written to `spill` (new names only) and drop the graphs
    `remove`, keeping the merged default graph in step. Returns the triples written."""
    limit = BULK_MIN_TRIPLES if bulk_min is None else bulk_min
    for part in spill:
        for name, _ in part.graphs:
            if store.contains_named_graph(ox.NamedNode(name)):
                raise StoreError(f"graph <{name}> is already in the store; replace it instead")
    size = sum(part.triples for part in spill)
    if size < limit:
        update(store, remove_parts(remove) + _insert_parts(spill))
    elif folder is None:  # an in-memory store dies with its process: nothing to recover
        for group in _groups(spill):
            _load_group(store, group)
        update(store, remove_parts(remove))
    else:
        _bulk(store, folder, spill, remove)
    return size


def _insert_parts(spill: Spill) -> list[str]:
    """SPARQL INSERT DATA of a small spill, for one transaction."""
    by_graph: dict[str, list[str]] = {}
    merged: list[str] = []
    for part in spill:
        with part.nquads.open(encoding="utf-8") as fh:
            for line in fh:
                # "<s> <p> o <g> ." — an IRI has no space, so the graph is the last but one
                head, graph, _ = line.rsplit(" ", 2)
                by_graph.setdefault(graph, []).append(head)
        merged.append(part.ntriples.read_text(encoding="utf-8"))
    parts = [
        # `graph` is "<iri>" as N-Quads writes it: the term writer checks the IRI again
        terms.insert_data("".join(f"{head} .\n" for head in lines), graph[1:-1])
        for graph, lines in by_graph.items()
    ]
    if by_graph:
        parts.append(terms.insert_data("".join(merged)))
    return parts


def _groups(spill: Spill) -> Iterator[list[SpillFile]]:
    group: list[SpillFile] = []
    size = 0
    for part in spill:
        group.append(part)
        size += part.triples
        if size >= BULK_LOAD_TRIPLES:
            yield group
            group, size = [], 0
    if group:
        yield group


class _Concat(io.RawIOBase):
    """Several files read as one stream, so one bulk load takes a whole group."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self._paths = list(paths)
        self._fh: io.BufferedReader | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while True:
            if self._fh is None:
                if not self._paths:
                    return 0
                self._fh = self._paths.pop(0).open("rb")
            n: int = self._fh.readinto(buffer)
            if n:
                return n
            self._fh.close()
            self._fh = None

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
        super().close()


def _load(store: ox.Store, paths: Sequence[Path], fmt: ox.RdfFormat, **graph: Any) -> None:
    with _Concat(paths) as stream:
        try:
            store.bulk_load(io.BufferedReader(stream, 1 << 20), format=fmt, **graph)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"bulk loading into the store failed: {exc}") from exc


def _load_group(store: ox.Store, group: Sequence[SpillFile]) -> None:
    # Named graphs first: see the module docstring.
    _load(store, [p.nquads for p in group], ox.RdfFormat.N_QUADS)
    _load(store, [p.ntriples for p in group], ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())


class _Intent:
    """The append-only log of one bulk write (one JSON object per line, fsynced)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / INTENT_FILE
        self._fh = self.path.open("a", encoding="utf-8")

    def record(self, **entry: Any) -> None:
        self._fh.write(json.dumps(entry) + "\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        self._fh.close()
        self.path.unlink()


def _bulk(store: ox.Store, folder: Path, spill: Spill, remove: Sequence[str]) -> None:
    if (folder / INTENT_FILE).exists():
        recover(store, folder)
    intent = _Intent(folder)
    # The whole plan first: a build killed between two loads must not pass for complete.
    intent.record(remove=list(remove), graphs=dict(g for part in spill for g in part.graphs))
    try:
        for i, group in enumerate(_groups(spill)):
            intent.record(batch=i, names=[name for part in group for name, _ in part.graphs])
            _load_group(store, group)
            intent.record(merged=i)
        store.flush()
        update(store, remove_parts(remove))
    except BaseException:
        # An error (not a kill) with the process alive: undo now rather than at next open.
        recover(store, folder, forward=False)
        raise
    intent.close()


@dataclass  # filled as the intent file is read
class _Log:
    remove: list[str]
    graphs: dict[str, int]  # every graph the write meant to add, with its triples
    batches: dict[int, list[str]]  # the graphs of each load begun
    merged: set[int]  # loads whose merge copy was finished


def _read_intent(path: Path) -> _Log:
    log = _Log([], {}, {}, set())
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise _malformed(path, str(exc)) from exc
    for n, line in enumerate(lines, 1):
        if not line:
            continue
        try:
            _apply(log, json.loads(line))
        except json.JSONDecodeError as exc:
            if n == len(lines):  # no newline after it: being written when the process died
                break
            raise _malformed(path, f"line {n} is not JSON") from exc
        except (KeyError, TypeError, ValueError) as exc:
            raise _malformed(path, f"line {n} is not an entry of the log") from exc
    return log


def _apply(log: _Log, entry: Any) -> None:
    """One line of the log into `log`; a line of the wrong shape raises (Key/Type/ValueError)."""
    if not isinstance(entry, dict):
        raise TypeError(entry)
    if "remove" in entry:
        log.remove[:] = _names(entry["remove"])
        graphs = entry["graphs"]
        if not isinstance(graphs, dict) or not all(type(n) is int for n in graphs.values()):
            raise TypeError(graphs)
        log.graphs.update(zip(_names(graphs), graphs.values(), strict=True))
    elif "batch" in entry:
        log.batches[int(entry["batch"])] = _names(entry["names"])
    elif "merged" in entry:
        log.merged.add(int(entry["merged"]))
    else:
        raise KeyError("remove")


def _names(value: Any) -> list[str]:
    if not isinstance(value, (list, dict)) or not all(isinstance(v, str) for v in value):
        raise TypeError(value)
    return list(value)


def _malformed(path: Path, problem: str) -> StoreDamagedError:
    # Which graphs the build was loading is unknown: neither finishing nor undoing is safe.
    return StoreDamagedError(
        f"{path.parent}: the log of an interrupted build ({path.name}) cannot be read "
        f"({problem}), so the store may hold part of that build; {REBUILD}"
    )


def recover(store: ox.Store, folder: Path, *, forward: bool = True) -> str | None:
    """Finish or undo a bulk write that did not complete; returns what was done, or None."""
    path = folder / INTENT_FILE
    if not path.exists():
        return None
    log = _read_intent(path)
    complete = forward and all(_count(store, name) == n for name, n in log.graphs.items())
    if complete:
        parts = [
            # the merge copy of this load may be partial: redo it
            terms.fill_values(rq.load("merged_add"), {"graph": [URIRef(name)]})
            for i, names in log.batches.items()
            if i not in log.merged
            for name in names
        ]
        update(store, parts + remove_parts(log.remove))
        done = f"finished an interrupted build ({len(log.graphs)} document graphs)"
    else:
        update(store, remove_parts(log.graphs))
        done = f"undid an interrupted build ({len(log.graphs)} document graphs)"
    store.flush()
    path.unlink()
    return done


def _count(store: ox.Store, name: str) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
