"""build(): documents in, a validated, provenance-carrying graph out, written atomically.

Stages: read (loading) and extract, per document in worker processes → resolve, across the
build → build and validate each document's graph, in worker processes → write, streamed into
the store as the graphs come. A document that cannot be read or does not validate is reported
and skipped; the store is left as before or after the build, never between (see store/bulk.py).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from rdflib import Graph, URIRef

from . import identity
from .confusables import load_confusables
from .errors import DocumentError, StoreError
from .loading.walk import walk_sources
from .models import DocumentStatus, Findings
from .rdf.validation import ontology_graph, topics_graph
from .resolution import ActorTable, learn_actors
from .review.apply import ReviewOutcome, apply_decisions
from .stages import BuildTask, Failure, ReadTask, SourceFile, build_chunk, read_chunk
from .store import Store
from .store.bulk import SpillFile
from .vocab import graph_iri
from .workers import Budget, default_workers, ordered_map, shared_map

T = TypeVar("T")

__all__ = [
    "BuildReport",
    "DocumentStatus",
    "DocumentSummary",
    "Failure",
    "build",
    "static_graphs",
]

# Below this many documents, worker processes cost more to start than they save.
PARALLEL_MIN_DOCUMENTS = 200
# Documents per worker task: big enough to amortise the hand-over, small enough to stream.
CHUNK = 50


@dataclass(frozen=True)
class DocumentSummary:
    path: str  # as the build was given it (the graph records its source_name)
    content_hash: str
    kind: str
    status: DocumentStatus
    letters: int = 0
    signatories: int = 0
    mentions: int = 0
    quotes: int = 0
    stances: int = 0
    triples: int = 0
    notes: tuple[str, ...] = ()  # what was read only in part ("front matter 'date' ...")
    language: str | None = None
    language_covered: bool = True  # False: no stance rules for `language`, stances not read


@dataclass(frozen=True)
class BuildReport:
    documents: tuple[DocumentSummary, ...]
    failures: tuple[Failure, ...]
    removed: tuple[str, ...] = ()  # graphs removed: no path holds their text any more
    # Wall-clock seconds per stage: read_extract, resolve, build (building and validating,
    # less the time spent writing while workers built), write.
    timings: Mapping[str, float] = field(default_factory=dict)
    # Seconds of work per stage summed over the worker processes: read, extract, build,
    # validate (what each stage costs, whatever the parallelism).
    work: Mapping[str, float] = field(default_factory=dict)
    workers: int = 1
    worker_peak_mib: float = 0.0  # the largest peak memory of a worker process (0: none)
    gone: tuple[str, ...] = ()  # recorded source paths whose files are gone (pruned)
    review: ReviewOutcome | None = None  # the decisions re-applied (review/apply.py)

    @property
    def ok(self) -> bool:
        return not self.failures

    def count(self, attr: str) -> int:
        return sum(int(getattr(d, attr)) for d in self.documents)


def static_graphs() -> dict[URIRef, Graph]:
    """The ontology and topic scheme, kept in the store so queries can use their labels."""
    return {graph_iri("ontology"): ontology_graph(), graph_iri("topics"): topics_graph()}


# ---------------------------------------------------------------------- the build
@dataclass
class _Read:
    """What reading and extraction gave: unique documents by content hash, and their paths."""

    findings: dict[str, Findings] = field(default_factory=dict)
    paths: dict[str, list[str]] = field(default_factory=dict)  # hash → source names
    shown: dict[str, str] = field(default_factory=dict)  # hash → the first path as given
    failures: list[Failure] = field(default_factory=list)
    unread: set[str] = field(default_factory=set)  # source names of files that failed


def build(
    paths: Sequence[str | Path],
    store: Store,
    *,
    progress: bool = False,
    check: bool = True,
    workers: int | None = None,
    limit: Budget | None = None,
    prune: bool = True,
    decisions: Path | None = None,
) -> BuildReport:
    """Read `paths` (files or folders) and write one named graph per document into `store`.

    Unchanged documents are left alone; a changed document replaces exactly its own graph.
    `workers`: processes for reading, extraction and building (default: one per core; builds
    of PARALLEL_MIN_DOCUMENTS or more only). `limit`: what one document may cost to read and
    extract (default: Budget.from_env()); past it the document is skipped with the reason.
    `prune`: remove the graphs of files gone from a folder this build walked (identity.py).
    `decisions`: review decisions, re-applied last.
    """
    timings: dict[str, float] = {}
    work = dict.fromkeys(("read", "extract", "build", "validate"), 0.0)

    t = time.perf_counter()
    files, failures, folders = _walk([str(p) for p in paths])
    n_workers = _worker_count(workers, len(files))
    read = _read_all(files, n_workers, progress, work, limit or Budget.from_env())
    failures += read.failures
    timings["read_extract"] = time.perf_counter() - t

    t = time.perf_counter()
    actors = learn_actors(read.findings.values())
    timings["resolve"] = time.perf_counter() - t

    t = time.perf_counter()
    plan = identity.plan(store, read.findings, read.paths, folders, prune=prune, keep=read.unread)
    _write_statics(store, bool(plan.todo))
    with _spill_folder(store) as folder:
        built = _build_all(plan.todo, actors, n_workers, _Chunking(check, folder, progress), work)
        failures += built.failures
        summaries = _summaries(read, plan, built.triples)
        # The findings are not needed any more: free them before the bulk loader needs memory.
        del read, plan.todo[:], actors
        timings["build"] = time.perf_counter() - t

        t = time.perf_counter()
        store.add_graphs(built.spill, remove=plan.stale)
        identity.record_sources(store, plan.relabel)
        timings["write"] = time.perf_counter() - t
    return BuildReport(
        tuple(summaries),
        tuple(failures),
        tuple(str(s) for s in plan.stale),
        timings,
        {k: round(v, 3) for k, v in work.items()},
        n_workers,
        built.peak_mib if n_workers > 1 else 0.0,
        tuple(plan.gone),
        apply_decisions(store, decisions),
    )


def _worker_count(asked: int | None, files: int) -> int:
    # Below PARALLEL_MIN_DOCUMENTS, worker processes cost more to start than they save.
    if files < PARALLEL_MIN_DOCUMENTS:
        return 1
    return asked if asked is not None else default_workers()


def _summaries(
    read: _Read, plan: identity.Plan, triples: Mapping[str, int]
) -> list[DocumentSummary]:
    """A summary of each document read, but not of those whose graph failed validation."""
    return [
        _summary(f, read.shown[h], plan.status[h], triples.get(h, 0))
        for h, f in read.findings.items()
        if plan.status[h] in ("unchanged", "renamed") or h in triples
    ]


def _write_statics(store: Store, building: bool) -> None:
    """The ontology and topics first, in their own small transaction: rewriting them is
    harmless if the rest of the build is then undone."""
    statics = static_graphs()
    store.replace_graphs({n: g for n, g in statics.items() if building or not store.has_graph(n)})


def _walk(paths: list[str]) -> tuple[list[SourceFile], list[Failure], list[str]]:
    """The files to read, the paths that could not be walked, and the source names of the
    folders walked in full (a folder with a part that could not be listed is not: its files
    there are not gone)."""
    files: list[SourceFile] = []
    failures: list[Failure] = []
    for item in walk_sources(paths):
        if isinstance(item, DocumentError):
            failures.append(Failure(item.path, item.problem))
        else:
            files.append(SourceFile(*item))
    folders = []
    for path in paths:
        whole = not any(
            f.path.startswith(path) and "folder" in f.problem for f in failures
        )  # "cannot list folder", "this folder leads back"
        name = os.path.basename(os.path.abspath(path))
        if os.path.isdir(path) and whole and name:
            folders.append(name)
    return files, failures, folders


@contextlib.contextmanager
def _spill_folder(store: Store) -> Iterator[str]:
    """A temporary folder for the build's spill files. A full disk there (ENOSPC), or a TMPDIR
    that cannot be used, is one line naming where, not a traceback; no document is written."""
    try:
        with tempfile.TemporaryDirectory(prefix="policygraph-build-") as folder:
            yield folder
    except OSError as exc:
        where = exc.filename or os.environ.get("TMPDIR") or "the temporary folder"
        raise StoreError(
            f"{store.path or 'store'}: cannot write the build's temporary files at {where} "
            f"({exc.strerror or exc}); no document was written; free space there or point "
            "TMPDIR at a folder with room"
        ) from exc


@dataclass(frozen=True)
class _Chunking:
    check: bool  # validate the graphs
    folder: str  # where the spill files go
    progress: bool  # show a progress bar


@dataclass  # filled as the chunks come back
class _AllBuilt:
    spill: list[SpillFile]
    triples: dict[str, int]  # content hash → triples written
    failures: list[Failure]  # documents whose graph does not validate
    peak_mib: float  # the largest peak memory of a worker


def _build_all(
    todo: list[tuple[Findings, list[str]]],
    actors: ActorTable,
    workers: int,
    how: _Chunking,
    work: dict[str, float],
) -> _AllBuilt:
    """Build, validate and spill the documents to build, CHUNK documents a task."""
    tasks = [
        BuildTask(n, tuple((f, tuple(s)) for f, s in todo[i : i + CHUNK]), how.check, how.folder)
        for n, i in enumerate(range(0, len(todo), CHUNK))
    ]
    out = _AllBuilt([], {}, [], 0.0)
    for chunk in _progress(
        shared_map(build_chunk, actors, tasks, workers=workers), how.progress, "build", len(tasks)
    ):
        work["build"] += chunk.build_s
        work["validate"] += chunk.validate_s
        out.failures.extend(chunk.failures)
        out.triples.update(chunk.triples)
        out.spill.append(chunk.spill)
        out.peak_mib = max(out.peak_mib, chunk.peak_mib)
    return out


def _read_all(
    files: list[SourceFile], workers: int, progress: bool, work: dict[str, float], limit: Budget
) -> _Read:
    out = _Read()
    chunks = [ReadTask(tuple(files[i : i + CHUNK]), limit) for i in range(0, len(files), CHUNK)]
    results = ordered_map(read_chunk, chunks, workers=workers)
    for chunk in _progress(results, progress, "read", len(chunks)):
        for one in chunk:
            work["read"] += one.read_s
            work["extract"] += one.extract_s
            result = one.result
            if isinstance(result, Failure):
                out.failures.append(result)
                if not result.problem.startswith("empty document"):
                    out.unread.add(one.file.source)  # its old graph stays; an emptied file's goes
                continue
            doc = result.document
            # The same text under two names is one document with two sources.
            out.findings.setdefault(doc.content_hash, result)
            out.shown.setdefault(doc.content_hash, one.file.path)
            out.paths.setdefault(doc.content_hash, []).append(one.file.source)
    return out


def _summary(f: Findings, path: str, status: DocumentStatus, triples: int) -> DocumentSummary:
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
        language=f.language,
        language_covered=f.language_covered,
        notes=f.notes + _name_notes(f),
    )


def _name_notes(f: Findings) -> tuple[str, ...]:
    """Names that may pass for another actor's (confusables.py)."""
    names = [m.name for m in f.mentions]
    if f.letter is not None:
        names += [s.label for s in f.letter.signatories]
    return load_confusables().notes(names)


def _progress(items: Iterable[T], enabled: bool, desc: str, total: int) -> Iterable[T]:
    if not enabled:
        return items
    from tqdm import tqdm

    bar: Iterable[T] = tqdm(items, desc=desc, unit="chunk", total=total, leave=False)
    return bar
