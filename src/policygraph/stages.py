"""The per-document stages a build runs in its worker processes: read and extract a chunk of
files; build, validate and spill a chunk of documents. Each task and each answer is a frozen
value, so that what crosses between processes is named.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import DocumentError, PolicygraphError
from .extraction import extract
from .loading import load_document
from .models import Findings
from .rdf.building import build_document_graph
from .rdf.validation import validate_nquads
from .resolution import ActorTable
from .store.bulk import SpillFile
from .store.ntriples import DocumentGraph

__all__ = ["BuildTask", "Built", "Failure", "ReadResult", "SourceFile", "build_chunk", "read_chunk"]


@dataclass(frozen=True)
class Failure:
    path: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


@dataclass(frozen=True)
class SourceFile:
    path: str  # as the build was given it
    source: str  # the name its graph records (pg:sourcePath)


@dataclass(frozen=True)
class ReadResult:
    file: SourceFile
    result: Findings | Failure
    read_s: float
    extract_s: float


def read_chunk(files: tuple[SourceFile, ...]) -> list[ReadResult]:
    """Read and extract each file; one that cannot be read or extracted is a Failure."""
    out: list[ReadResult] = []
    for file in files:
        t0 = time.perf_counter()
        try:
            doc = load_document(file.path)
        except DocumentError as exc:
            failure = Failure(exc.path, exc.problem)
            out.append(ReadResult(file, failure, time.perf_counter() - t0, 0.0))
            continue
        t1 = time.perf_counter()
        try:
            result: Findings | Failure = extract(doc)
        except PolicygraphError as exc:
            result = Failure(doc.path, f"extraction failed: {exc}")
        out.append(ReadResult(file, result, t1 - t0, time.perf_counter() - t1))
    return out


@dataclass(frozen=True)
class BuildTask:
    index: int  # names the chunk's spill files
    documents: tuple[tuple[Findings, tuple[str, ...]], ...]  # each with its source names
    check: bool  # validate each graph against the shapes
    folder: str  # where the spill files go


@dataclass(frozen=True)
class Built:
    spill: SpillFile
    triples: Mapping[str, int]  # content hash → triples written
    failures: tuple[Failure, ...]
    build_s: float
    validate_s: float
    peak_mib: float  # the worker's own peak memory so far


def build_chunk(actors: ActorTable, task: BuildTask) -> Built:
    """Build and validate a chunk of documents; write the valid graphs to spill files."""
    t0 = time.perf_counter()
    graphs: list[tuple[Findings, DocumentGraph]] = [
        (f, build_document_graph(f, actors, sources)) for f, sources in task.documents
    ]
    # Each graph's N-Quads text is made once: validated, then written as it is.
    nquads = {g.name: g.nquads() for _, g in graphs}
    t1 = time.perf_counter()
    failures: list[Failure] = []
    if task.check and graphs:
        violations = validate_nquads("".join(nquads.values()))
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
    folder = Path(task.folder)
    spill = SpillFile(
        folder / f"{task.index:06d}.nq",
        folder / f"{task.index:06d}.nt",
        tuple((g.name, len(g)) for _, g in graphs),
    )
    with (
        spill.nquads.open("w", encoding="utf-8") as nq,
        spill.ntriples.open("w", encoding="utf-8") as nt,
    ):
        for _, g in graphs:
            nq.write(nquads[g.name])
            nt.write(g.ntriples())
    triples = {f.document.content_hash: len(g) for f, g in graphs}
    return Built(
        spill,
        triples,
        tuple(failures),
        t1 - t0 + (time.perf_counter() - t2),
        t2 - t1,
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # Linux: KiB
    )
