"""build(): documents in, a validated, provenance-carrying graph out, written atomically.

Stages: read (loading) and extract, per document in worker processes → resolve, across the
build → build and validate each document's graph, in worker processes → write, streamed into
the store as the graphs come. A document that cannot be read or does not validate is reported
and skipped; the store is left as before or after the build, never between (see bulk.py).
"""

from __future__ import annotations

import resource
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from rdflib import Graph, Literal, URIRef

from . import rq
from .building import build_document_graph
from .bulk import SpillFile
from .errors import DocumentError, PolicygraphError
from .extraction import extract
from .loading import load_document
from .loading.walk import walk_paths
from .models import Findings
from .ntriples import DocumentGraph
from .resolution import Resolver
from .store import Store
from .validation import ontology_graph, topics_graph, validate_nquads
from .vocab import PG, document_graph_iri, graph_iri
from .workers import default_workers, ordered_map

T = TypeVar("T")

__all__ = ["BuildReport", "DocumentSummary", "Failure", "build", "static_graphs"]

# Below this many documents, worker processes cost more to start than they save.
PARALLEL_MIN_DOCUMENTS = 200
# Documents per worker task: big enough to amortise the hand-over, small enough to stream.
CHUNK = 50


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
    # Wall-clock seconds per stage: read_extract, resolve, build (building and validating,
    # less the time spent writing while workers built), write.
    timings: dict[str, float] = field(default_factory=dict)
    # Seconds of work per stage summed over the worker processes: read, extract, build,
    # validate (what each stage costs, whatever the parallelism).
    work: dict[str, float] = field(default_factory=dict)
    workers: int = 1
    worker_peak_mib: float = 0.0  # the largest peak memory of a worker process (0: none)

    @property
    def ok(self) -> bool:
        return not self.failures

    def count(self, attr: str) -> int:
        return sum(int(getattr(d, attr)) for d in self.documents)


def static_graphs() -> dict[URIRef, Graph]:
    """The ontology and topic scheme, kept in the store so queries can use their labels."""
    return {graph_iri("ontology"): ontology_graph(), graph_iri("topics"): topics_graph()}


def _source_paths(store: Store, paths: Iterable[str]) -> dict[str, URIRef]:
    """Which graph each of `paths` was last built into (paths never built are absent)."""
    paths = list(paths)
    if len(paths) <= 100:  # a few paths: look each one up rather than list every document
        out: dict[str, URIRef] = {}
        for path in paths:
            out.update((path, g) for g in store.graphs_with(PG.sourcePath, Literal(path)))
        return out
    wanted = set(paths)
    result = store.query_raw(
        rq.load("source_paths"),
        {"cls": PG.SourceDocument, "p": PG.sourcePath},
        union=False,
    )
    # plain strings: rdflib terms for every document of a large store cost seconds
    return {
        sol["path"].value: URIRef(sol["g"].value) for sol in result if sol["path"].value in wanted
    }


# ---------------------------------------------------------------------- worker tasks
_Read = tuple[str, "Findings | Failure", float, float]  # path, result, read s, extract s


def _read_and_extract(paths: list[str]) -> list[_Read]:
    out: list[_Read] = []
    for path in paths:
        t0 = time.perf_counter()
        try:
            doc = load_document(path)
        except DocumentError as exc:
            out.append((path, Failure(exc.path, exc.problem), time.perf_counter() - t0, 0.0))
            continue
        t1 = time.perf_counter()
        try:
            result: Findings | Failure = extract(doc)
        except PolicygraphError as exc:
            result = Failure(doc.path, f"extraction failed: {exc}")
        out.append((path, result, t1 - t0, time.perf_counter() - t1))
    return out


_resolver: Resolver | None = None


def _set_resolver(resolver: Resolver) -> None:
    global _resolver
    _resolver = resolver


@dataclass(frozen=True)
class _Built:
    spill: SpillFile
    triples: dict[str, int]  # content hash → triples written
    failures: tuple[Failure, ...]
    build_s: float
    validate_s: float
    peak_mib: float  # the worker's own peak memory so far


def _build_chunk(task: tuple[int, list[tuple[Findings, list[str]]], bool, str]) -> _Built:
    """Build and validate a chunk of documents; write the valid graphs to spill files."""
    index, items, check, folder = task
    assert _resolver is not None, "_set_resolver runs first in every worker"
    t0 = time.perf_counter()
    graphs: list[tuple[Findings, DocumentGraph]] = [
        (f, build_document_graph(f, _resolver, sources)) for f, sources in items
    ]
    t1 = time.perf_counter()
    failures: list[Failure] = []
    if check and graphs:
        violations = validate_nquads("".join(g.nquads() for _, g in graphs))
        for f, g in graphs:
            found = violations.get(g.name)
            if found:
                failures.append(
                    Failure(
                        f.document.path,
                        f"graph does not validate: {found[0]} ({len(found)} violation(s))",
                    )
                )
        graphs = [(f, g) for f, g in graphs if g.name not in violations]
    t2 = time.perf_counter()
    spill = SpillFile(
        Path(folder) / f"{index:06d}.nq",
        Path(folder) / f"{index:06d}.nt",
        tuple((g.name, len(g)) for _, g in graphs),
    )
    with (
        spill.nquads.open("w", encoding="utf-8") as nq,
        spill.ntriples.open("w", encoding="utf-8") as nt,
    ):
        for _, g in graphs:
            nq.write(g.nquads())
            nt.write(g.ntriples())
    triples = {f.document.content_hash: len(g) for f, g in graphs}
    return _Built(
        spill,
        triples,
        tuple(failures),
        t1 - t0 + (time.perf_counter() - t2),
        t2 - t1,
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # Linux: KiB
    )


# ---------------------------------------------------------------------- the build
def build(
    paths: Sequence[str | Path],
    store: Store,
    *,
    progress: bool = False,
    check: bool = True,
    workers: int | None = None,
) -> BuildReport:
    """Read `paths` (files or folders) and write one named graph per document into `store`.

    Unchanged documents are left alone; a changed document replaces exactly its own graph.
    `workers`: processes for reading, extraction and building (default: one per core; large
    builds only).
    """
    timings: dict[str, float] = {}
    work = dict.fromkeys(("read", "extract", "build", "validate"), 0.0)
    failures: list[Failure] = []

    t = time.perf_counter()
    files: list[str] = []
    for item in walk_paths([str(p) for p in paths]):
        if isinstance(item, DocumentError):
            failures.append(Failure(item.path, item.problem))
        else:
            files.append(item)
    n_workers = workers if workers is not None else default_workers()
    if len(files) < PARALLEL_MIN_DOCUMENTS:
        n_workers = 1
    by_hash: dict[str, Findings] = {}
    paths_of: dict[str, list[str]] = {}
    chunks = [files[i : i + CHUNK] for i in range(0, len(files), CHUNK)]
    read = ordered_map(_read_and_extract, chunks, workers=n_workers)
    for results in _progress(read, progress, "read", len(chunks)):
        for _path, result, read_s, extract_s in results:
            work["read"] += read_s
            work["extract"] += extract_s
            if isinstance(result, Failure):
                failures.append(result)
                continue
            doc = result.document
            # The same text under two names is one document with two sources.
            by_hash.setdefault(doc.content_hash, result)
            paths_of.setdefault(doc.content_hash, []).append(doc.path)
    timings["read_extract"] = time.perf_counter() - t

    t = time.perf_counter()
    resolver = Resolver.from_data()
    resolver.learn(by_hash.values(), store)
    timings["resolve"] = time.perf_counter() - t

    t = time.perf_counter()
    # Which of this build's graphs (and the static ones) the store has already.
    names = [document_graph_iri(h) for h in by_hash] + list(static_graphs())
    existing = {n for n in names if store.has_graph(n)}
    known_paths = _source_paths(store, {p for ps in paths_of.values() for p in ps})
    status_of: dict[str, str] = {}
    todo: list[tuple[Findings, list[str]]] = []
    for content_hash, f in by_hash.items():
        sources = paths_of[content_hash]
        status = "unchanged" if document_graph_iri(content_hash) in existing else "added"
        if status == "added" and any(p in known_paths for p in sources):
            status = "replaced"
        status_of[content_hash] = status
        if status != "unchanged":
            todo.append((f, sources))

    # A source path whose text changed leaves its old graph behind: drop it, unless another
    # source still has that text.
    kept = {document_graph_iri(h) for h in by_hash}
    current_paths = {p for ps in paths_of.values() for p in ps}
    stale = {old for path, old in known_paths.items() if path in current_paths and old not in kept}

    # The ontology and topics first, in their own small transaction: rewriting them is
    # harmless if the rest of the build is then undone.
    statics = {n: g for n, g in static_graphs().items() if n not in existing or todo}
    store.replace_graphs(statics)

    triples: dict[str, int] = {}
    spill: list[SpillFile] = []
    peak = 0.0
    with tempfile.TemporaryDirectory(prefix="policygraph-build-") as folder:
        tasks = [
            (i, todo[i * CHUNK : (i + 1) * CHUNK], check, folder)
            for i in range(-(-len(todo) // CHUNK))
        ]
        built = ordered_map(
            _build_chunk, tasks, workers=n_workers, initializer=_set_resolver, initargs=(resolver,)
        )
        for chunk in _progress(built, progress, "build", len(tasks)):
            work["build"] += chunk.build_s
            work["validate"] += chunk.validate_s
            failures.extend(chunk.failures)
            triples.update(chunk.triples)
            spill.append(chunk.spill)
            peak = max(peak, chunk.peak_mib)
        summaries = [
            _summary(f, paths_of[h][0], status_of[h], triples.get(h, 0))
            for h, f in by_hash.items()
            if status_of[h] == "unchanged" or h in triples  # not those that failed validation
        ]
        # The findings are not needed any more: free them before the bulk loader needs memory.
        del by_hash, todo, tasks, built
        timings["build"] = time.perf_counter() - t

        t = time.perf_counter()
        store.add_graphs(spill, remove=sorted(stale))
        timings["write"] = time.perf_counter() - t
    return BuildReport(
        tuple(summaries),
        tuple(failures),
        tuple(sorted(str(s) for s in stale)),
        timings,
        {k: round(v, 3) for k, v in work.items()},
        n_workers,
        peak if n_workers > 1 else 0.0,
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


def _progress(items: Iterable[T], enabled: bool, desc: str, total: int) -> Iterable[T]:
    if not enabled:
        return items
    from tqdm import tqdm

    bar: Iterable[T] = tqdm(items, desc=desc, unit="chunk", total=total, leave=False)
    return bar
