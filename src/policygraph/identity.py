"""Which graphs a build adds, keeps, re-labels and removes: documents' identity by content
and by path.

A document's graph is named by the hash of its text and records every path it was found
under (pg:sourcePath). A build knows the paths it was given: every file it found, and, for
each folder it walked, that no other file is there. So:
- a path whose text changed leaves its old graph (the graph keeps its other paths, if any;
  with none left it is removed);
- a path recorded under a walked folder whose file is gone (deleted, renamed, moved out)
  leaves its graph the same way, unless `prune` is off (`build --keep-missing`);
- the same text under several paths is one graph recording them all, those outside this
  build included (the same letter in two folders: editing one keeps the other's);
- files named one by one, and folders not walked, are never pruned.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from .models import DocumentStatus, Findings
from .store import Store
from .vocab import PG, document_graph_iri

__all__ = ["Plan", "plan", "record_sources"]


@dataclass
class Plan:
    status: dict[str, DocumentStatus]  # content hash → what the build does with it
    todo: list[tuple[Findings, list[str]]]  # documents to build, with their source paths
    stale: list[URIRef]  # graphs no path holds any more: removed
    # existing graphs whose recorded paths change (renamed, or a path left): the paths to
    # record, all of them
    relabel: dict[URIRef, list[str]]
    gone: list[str] = field(default_factory=list)  # recorded paths whose files are gone


def _recorded(store: Store, paths: Iterable[str]) -> dict[str, URIRef]:
    """Which graph each of `paths` was last built into (an index lookup per path)."""
    out: dict[str, URIRef] = {}
    for path in paths:
        out.update((path, g) for g in store.graphs_with(PG.sourcePath, Literal(path)))
    return out


def _gone(store: Store, folders: Iterable[str], current: set[str]) -> dict[str, URIRef]:
    """Recorded paths under the walked folders that this build did not find."""
    prefixes = tuple(f"{f}/" for f in folders)
    if not prefixes:
        return {}
    return {
        path: graph
        for path, graph in store.values_in_graphs(PG.sourcePath)
        if path.startswith(prefixes) and path not in current
    }


def plan(
    store: Store,
    findings: Mapping[str, Findings],
    paths: Mapping[str, list[str]],
    folders: Iterable[str],
    *,
    prune: bool = True,
    keep: Iterable[str] = (),
) -> Plan:
    """The plan for documents `findings` (by content hash) found under `paths` (hash → source
    names), the build having walked `folders` (their source names). `keep`: paths found but
    not read (a file that failed keeps its old graph)."""
    current = {p for ps in paths.values() for p in ps}
    recorded = _recorded(store, current)
    gone = _gone(store, folders, current | set(keep)) if prune else {}
    known = current | set(gone)
    status: dict[str, DocumentStatus] = {}
    todo: list[tuple[Findings, list[str]]] = []
    relabel: dict[URIRef, list[str]] = {}
    for content_hash, f in findings.items():
        graph, sources = document_graph_iri(content_hash), paths[content_hash]
        if not store.has_graph(graph):
            replaced = any(p in recorded for p in sources)
            status[content_hash] = "replaced" if replaced else "added"
            todo.append((f, sources))
            continue
        before = _sources_of(store, graph)
        after = sorted({p for p in before if _kept(p, known)} | set(sources))
        status[content_hash] = "unchanged" if after == sorted(before) else "renamed"
        if after != sorted(before):
            relabel[graph] = after
    kept = {document_graph_iri(h) for h in findings}
    stale: list[URIRef] = []
    for graph in sorted({g for g in [*recorded.values(), *gone.values()] if g not in kept}):
        left = sorted(p for p in _sources_of(store, graph) if _kept(p, known))
        if left:
            relabel[graph] = left  # another folder's copy of the text: kept
        else:
            stale.append(graph)
    return Plan(status, todo, stale, relabel, sorted(gone))


def _kept(path: str, known: set[str]) -> bool:
    """Whether a recorded path stays with its graph: not one this build knows about, and not
    an absolute path of the machine that built it (what versions before source names
    recorded; the graph's current names replace it)."""
    return path not in known and not os.path.isabs(path)


def _sources_of(store: Store, graph: URIRef) -> list[str]:
    return [path for path, _ in store.values_in_graphs(PG.sourcePath, graph)]


def record_sources(store: Store, relabel: Mapping[URIRef, list[str]]) -> None:
    """Make each kept graph record exactly the source paths the plan gives it (its text, hence
    every other triple, is the same). A transaction of its own after the build's write:
    killed in between, the next build does it."""
    for name, sources in relabel.items():
        graph = store.graph(name)
        documents = set(graph.subjects(PG.sourcePath, None))
        graph.remove((None, PG.sourcePath, None))
        for doc in documents:
            for source in sources:
                graph.add((doc, PG.sourcePath, Literal(source)))
        store.replace_graphs({name: graph})
