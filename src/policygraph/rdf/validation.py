"""SHACL validation with reports in plain words.

The native engine compiles ontology/shapes.ttl to SPARQL (policygraph.shacl) and checks many
document graphs of a pyoxigraph store in a few queries; `validate_with_pyshacl` keeps the
pySHACL path as the reference the tests compare against.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SH

from .. import resources
from ..errors import ShapesError, StoreError, ValidationError
from ..store import rq
from ..store.core import to_ox
from ..vocab import graph_iri
from .shacl import Check, NodeShape, PropertyShape, compile_shapes
from .shape_queries import Scope, property_query, sparql_query

__all__ = [
    "Violation",
    "alignment_graph",
    "compiled_shapes",
    "ontology_graph",
    "shapes_graph",
    "topics_graph",
    "validate",
    "validate_nquads",
    "validate_oxigraph",
    "validate_with_pyshacl",
]

_ONTOLOGY = str(graph_iri("ontology"))
_TOPICS = str(graph_iri("topics"))
# The graph an rdflib Graph is validated in: any IRI would do, it never leaves this module.
_SCRATCH = "urn:policygraph:validating"


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    message: str

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"{self.focus}{where}: {self.message}"


def _parse(name: str) -> Graph:
    path = resources.ontology(name)
    try:
        return Graph().parse(path, format="turtle")
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(f"{path}: cannot read it: {exc}") from exc


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The published vocabulary (ontology/policygraph.ttl), as the store keeps it."""
    return _parse("policygraph.ttl")


@lru_cache(maxsize=1)
def alignment_graph() -> Graph:
    """ontology/alignments.ttl: other vocabularies' classes (schema:NGO, foaf:Person …) as
    kinds of pg:Actor. Only validation reads it, so that sh:class pg:Actor accepts them; the
    published vocabulary does not change classes it does not own."""
    return _parse("alignments.ttl")


@lru_cache(maxsize=1)
def topics_graph() -> Graph:
    return _parse("topics.ttl")


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return _parse("shapes.ttl")


@lru_cache(maxsize=1)
def compiled_shapes() -> tuple[NodeShape, ...]:
    """ontology/shapes.ttl, compiled once per process."""
    return compile_shapes(shapes_graph())


# ---------------------------------------------------------------------------- native engine


def validate_oxigraph(
    store: ox.Store,
    graphs: Sequence[str] | None = None,
    *,
    static: Sequence[str] = (_ONTOLOGY, _TOPICS),
    shapes: Sequence[NodeShape] | None = None,
) -> dict[str, list[Violation]]:
    """Check named document graphs of `store` (all graphs holding a pg:SourceDocument when
    `graphs` is None) against the shapes; returns graph IRI → sorted violations, listing only
    graphs that do not conform. `static` are the graphs (ontology first) that every document
    sees for sh:class and rdfs:subClassOf, as pySHACL saw them mixed into the data."""
    if graphs is not None and not graphs:
        return {}
    nodes = compiled_shapes() if shapes is None else tuple(shapes)
    # Every graph is checked and the rows filtered here: restricting ?g in the query
    # (VALUES, FILTER, or the named_graphs option) made it three times slower.
    names = set(graphs) if graphs is not None else _document_graphs(store)
    wanted = {c.args[0] for n in nodes for p in n.properties for c in _all_checks(p)}
    wanted.update(t for n in nodes for t in n.targets)
    scope = _scope(store, static, wanted)

    out: dict[str, list[Violation]] = {}
    for node in nodes:
        for prop in node.properties:
            for g, v in _property_violations(store, node, prop, scope, names):
                out.setdefault(g, []).append(v)
        for constraint in node.sparql:
            message = constraint.message or f"breaks a SPARQL constraint of {node.name}"
            for row in _query(store, sparql_query(node, constraint, scope), node):
                if row["g"].value not in names:  # type: ignore[union-attr]
                    continue
                out.setdefault(row["g"].value, []).append(  # type: ignore[union-attr]
                    Violation(row["this"].value, None, message)  # type: ignore[union-attr]
                )
    return {g: sorted(vs, key=_order) for g, vs in sorted(out.items())}


def validate_nquads(data: bytes | str) -> dict[str, list[Violation]]:
    """Validate the document graphs in N-Quads `data` (one or many graphs), each with the
    ontology and topic scheme, as `validate_oxigraph` does."""
    store = _template_store(with_topics=True)
    try:
        store.load(data.encode() if isinstance(data, str) else data, ox.RdfFormat.N_QUADS)
    except (SyntaxError, ValueError) as exc:
        raise ValidationError(f"cannot read the N-Quads to validate: {exc}") from exc
    return validate_oxigraph(store)


def validate(data: Graph, *, with_topics: bool = True) -> list[Violation]:
    """Check one graph against ontology/shapes.ttl; an empty list means it conforms."""
    store = _template_store(with_topics=with_topics)
    name = ox.NamedNode(_SCRATCH)
    store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), name) for s, p, o in data)
    static = (_ONTOLOGY, _TOPICS) if with_topics else (_ONTOLOGY,)
    return validate_oxigraph(store, [_SCRATCH], static=static).get(_SCRATCH, [])


def _all_checks(prop: PropertyShape) -> Iterable[Check]:
    yield from prop.checks
    for group in prop.alternatives:
        yield from group


def _property_violations(
    store: ox.Store,
    node: NodeShape,
    prop: PropertyShape,
    scope: Scope,
    names: set[str],
) -> Iterable[tuple[str, Violation]]:
    path = prop.path_iri
    what = [c.kind for c in prop.checks] + (["sh:or"] if prop.alternatives else [])
    for row in _query(store, property_query(node, prop, scope), node):
        g, focus = row["g"].value, row["focus"].value  # type: ignore[union-attr]
        if g not in names:
            continue
        n = int(row["n"].value)  # type: ignore[union-attr]
        if prop.min_count is not None and n < prop.min_count:
            yield (
                g,
                Violation(
                    focus,
                    path,
                    prop.message or f"fewer than {prop.min_count} value(s) of {prop.path}",
                ),
            )
        if prop.max_count is not None and n > prop.max_count:
            yield (
                g,
                Violation(
                    focus,
                    path,
                    prop.message or f"more than {prop.max_count} value(s) of {prop.path}",
                ),
            )
        for i, kind in enumerate(what):
            message = prop.message or f"a value of {prop.path} fails its {kind} constraint"
            for _ in range(int(row[f"b{i}"].value)):  # type: ignore[union-attr]
                yield g, Violation(focus, path, message)


def _query(store: ox.Store, query: str, node: NodeShape) -> ox.QuerySolutions:
    try:
        result = store.query(query)
    except SyntaxError as exc:
        raise ShapesError(
            f"shapes: the query compiled from {node.name} does not parse: {exc}"
        ) from exc
    except OSError as exc:
        raise StoreError(f"validation query failed: {exc}") from exc
    assert isinstance(result, ox.QuerySolutions)
    return result


def _document_graphs(store: ox.Store) -> set[str]:
    result = store.query(rq.load("document_graphs"))
    assert isinstance(result, ox.QuerySolutions)
    return {row["g"].value for row in result if isinstance(row["g"], ox.NamedNode)}


def _scope(store: ox.Store, static: Sequence[str], classes: Iterable[str]) -> Scope:
    """The subclasses of each class (from the ontology, static[0]) and its instances in the
    static graphs."""
    subclasses = _subclasses(store, static[0], classes)
    types: dict[str, set[str]] = {}
    rdf_type = ox.NamedNode(str(RDF.type))
    for graph in static:
        for q in store.quads_for_pattern(None, rdf_type, None, ox.NamedNode(graph)):
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode):
                types.setdefault(q.object.value, set()).add(q.subject.value)
    instances = {
        cls: tuple(sorted({i for sub in subs for i in types.get(sub, ())}))
        for cls, subs in subclasses.items()
    }
    return Scope(subclasses, instances)


def _subclasses(
    store: ox.Store, ontology: str, classes: Iterable[str]
) -> dict[str, tuple[str, ...]]:
    """Each class IRI with all its subclasses (rdfs:subClassOf*, from the ontology graph)."""
    children: dict[str, set[str]] = {}
    sub_class_of = ox.NamedNode(str(RDFS.subClassOf))
    for q in store.quads_for_pattern(None, sub_class_of, None, ox.NamedNode(ontology)):
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode):
            children.setdefault(q.object.value, set()).add(q.subject.value)
    for sub, parent in alignment_graph().subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(parent, URIRef):
            children.setdefault(str(parent), set()).add(str(sub))
    out: dict[str, tuple[str, ...]] = {}
    for cls in classes:
        seen, todo = {cls}, [cls]
        while todo:
            for child in children.get(todo.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        out[cls] = tuple(sorted(seen))
    return out


@lru_cache(maxsize=2)
def _static_nquads(with_topics: bool) -> bytes:
    """The ontology (and topic scheme) as N-Quads in their named graphs, serialised once."""
    store = ox.Store()
    sources = [(_ONTOLOGY, ontology_graph())] + ([(_TOPICS, topics_graph())] if with_topics else [])
    for name, graph in sources:
        g = ox.NamedNode(name)
        store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), g) for s, p, o in graph)
    return store.dump(format=ox.RdfFormat.N_QUADS) or b""


def _template_store(*, with_topics: bool) -> ox.Store:
    store = ox.Store()
    store.bulk_load(_static_nquads(with_topics), ox.RdfFormat.N_QUADS)
    return store


def _order(v: Violation) -> tuple[str, str, str]:
    return (v.focus, v.path or "", v.message)


# ---------------------------------------------------------------------------- reference


def validate_with_pyshacl(data: Graph, *, with_topics: bool = True) -> list[Violation]:
    """The pySHACL path (slow: ~65 ms a document), kept as the reference implementation."""
    from pyshacl import validate as shacl_validate  # only here: ~70 ms to import, for the tests

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
        ont_graph=ontology_graph() + alignment_graph(),
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
    return sorted(out, key=_order)
