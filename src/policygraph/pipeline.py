"""build(): documents in, a validated, provenance-carrying graph out, written atomically.

Stages: read (loading) → extract → resolve → build + validate → write. A document that
cannot be read or does not validate is reported and skipped; the others are written in
one transaction, so the store is never left half-written.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from rdflib import Graph, URIRef

from . import rq
from .building import build_document_graph
from .errors import DocumentError, PolicygraphError
from .extraction import extract
from .loading import iter_documents
from .models import Document, Findings
from .resolution import Resolver
from .store import Store
from .validation import ontology_graph, topics_graph, validate
from .vocab import PG, bind_prefixes, document_graph_iri, graph_iri

T = TypeVar("T")

__all__ = ["BuildReport", "DocumentSummary", "Failure", "build", "static_graphs"]


@dataclass(frozen=True)
class Failure:
    path: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


@dataclass(frozen=True)
class DocumentSummary:
    path: str
    content_hash: str
    kind: str
    status: str  # "added", "replaced", "unchanged"
    letters: int = 0
    signatories: int = 0
    mentions: int = 0
    quotes: int = 0
    stances: int = 0
    triples: int = 0


@dataclass(frozen=True)
class BuildReport:
    documents: tuple[DocumentSummary, ...]
    failures: tuple[Failure, ...]
    removed: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase

    @property
    def ok(self) -> bool:
        return not self.failures

    def count(self, attr: str) -> int:
        return sum(int(getattr(d, attr)) for d in self.documents)


def static_graphs() -> dict[URIRef, Graph]:
    """The ontology and topic scheme, kept in the store so queries can use their labels."""
    return {graph_iri("ontology"): ontology_graph(), graph_iri("topics"): topics_graph()}


def _source_paths(store: Store) -> dict[str, URIRef]:
    """Which graph each known source path was last built into."""
    result = store.select(
        rq.load("source_paths"),
        {"cls": PG.SourceDocument, "p": PG.sourcePath},
        union=False,
    )
    return {str(row[1]): row[0] for row in result.rows if isinstance(row[0], URIRef)}


def build(
    paths: Sequence[str | Path],
    store: Store,
    *,
    progress: bool = False,
    check: bool = True,
) -> BuildReport:
    """Read `paths` (files or folders) and write one named graph per document into `store`.

    Unchanged documents are left alone; a changed document replaces exactly its own graph.
    """
    timings: dict[str, float] = {}
    failures: list[Failure] = []

    t = time.perf_counter()
    by_hash: dict[str, Document] = {}
    paths_of: dict[str, list[str]] = {}
    for item in _progress(iter_documents(paths), progress, "read"):
        if isinstance(item, DocumentError):
            failures.append(Failure(item.path, item.problem))
            continue
        # The same text under two names is one document with two sources.
        by_hash.setdefault(item.content_hash, item)
        paths_of.setdefault(item.content_hash, []).append(item.path)
    timings["read"] = time.perf_counter() - t

    t = time.perf_counter()
    findings: list[Findings] = []
    for doc in _progress(by_hash.values(), progress, "extract"):
        try:
            findings.append(extract(doc))
        except PolicygraphError as exc:
            failures.append(Failure(doc.path, f"extraction failed: {exc}"))
    timings["extract"] = time.perf_counter() - t

    t = time.perf_counter()
    resolver = Resolver.from_data()
    resolver.learn(findings, store)
    timings["resolve"] = time.perf_counter() - t

    t = time.perf_counter()
    existing = store.graph_names()
    known_paths = _source_paths(store)
    graphs: dict[URIRef, Graph] = {}
    summaries: list[DocumentSummary] = []
    for f in _progress(findings, progress, "build"):
        doc = f.document
        name = document_graph_iri(doc.content_hash)
        sources = paths_of[doc.content_hash]
        status = "unchanged" if name in existing else "added"
        if status == "added" and any(p in known_paths for p in sources):
            status = "replaced"
        g = build_document_graph(f, resolver, sources) if status != "unchanged" else None
        if g is not None and check:
            violations = validate(g)
            if violations:
                failures.append(
                    Failure(
                        doc.path,
                        f"graph does not validate: {violations[0]} "
                        f"({len(violations)} violation(s))",
                    )
                )
                continue
        if g is not None:
            graphs[name] = bind_prefixes(g)
        summaries.append(_summary(f, sources[0], status, len(g) if g is not None else 0))
    timings["build"] = time.perf_counter() - t

    # A source path whose text changed leaves its old graph behind: drop it, unless another
    # source still has that text.
    kept = {document_graph_iri(h) for h in by_hash}
    current_paths = {p for ps in paths_of.values() for p in ps}
    stale = {old for path, old in known_paths.items() if path in current_paths and old not in kept}

    t = time.perf_counter()
    writes = dict(graphs)
    for name, g in static_graphs().items():
        if name not in existing or graphs:
            writes[name] = g
    store.replace_graphs(writes, remove=sorted(stale))
    timings["write"] = time.perf_counter() - t
    return BuildReport(
        tuple(summaries), tuple(failures), tuple(sorted(str(s) for s in stale)), timings
    )


def _summary(f: Findings, path: str, status: str, triples: int) -> DocumentSummary:
    letter = f.letter
    return DocumentSummary(
        path=path,
        content_hash=f.document.content_hash,
        kind=f.kind,
        status=status,
        letters=(1 if letter else 0) + len(f.letter_refs),
        signatories=len(letter.signatories) if letter else 0,
        mentions=len(f.mentions),
        quotes=len(f.quotes),
        stances=len(f.stances) + sum(len(q.stances) for q in f.quotes),
        triples=triples,
    )


def _progress(items: Iterable[T], enabled: bool, desc: str) -> Iterable[T]:
    if not enabled:
        return items
    from tqdm import tqdm

    bar: Iterable[T] = tqdm(items, desc=desc, unit="doc", leave=False)
    return bar
