"""SHACL validation with reports in plain words."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import SH

__all__ = [
    "ONTOLOGY_DIR",
    "Violation",
    "ontology_graph",
    "shapes_graph",
    "topics_graph",
    "validate",
]

ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "ontology"


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    message: str

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"{self.focus}{where}: {self.message}"


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "policygraph.ttl")


@lru_cache(maxsize=1)
def topics_graph() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "topics.ttl")


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl")


def validate(data: Graph, *, with_topics: bool = True) -> list[Violation]:
    """Check a graph against ontology/shapes.ttl; an empty list means it conforms."""
    graph = data
    if with_topics:
        graph = Graph()
        for triple in data:
            graph.add(triple)
        for triple in topics_graph():
            graph.add(triple)
    conforms, report, _ = shacl_validate(
        graph,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    if conforms:
        return []
    out: list[Violation] = []
    for result in report.subjects(predicate=SH.focusNode):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        out.append(
            Violation(
                str(focus),
                str(path) if isinstance(path, URIRef) else None,
                str(message) if message is not None else "violates a shape",
            )
        )
    return sorted(out, key=lambda v: (v.focus, v.path or "", v.message))
