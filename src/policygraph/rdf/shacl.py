"""A small SHACL → SPARQL compiler: ontology/shapes.ttl becomes a handful of queries that check
every document graph of a pyoxigraph store at once. This module reads the shapes into typed
values (`compile_shapes`); shape_queries.py writes their SPARQL.

pySHACL re-parses its SPARQL and walks the graph per document (~65 ms each); here each property
shape is one query over all the document graphs (`GRAPH ?g`), answering which focus nodes and
values break it. Only the part of SHACL that shapes.ttl uses is understood; anything else in a
shapes graph raises `ShapesError`, so a new constraint is never ignored silently.

What is checked against what (as pySHACL did with the document graph plus the topic scheme as
data and the ontology mixed in): focus nodes and their path values come from the document
graph; sh:class looks for the value's rdf:type in the document graph and in the "static"
graphs (ontology, topics); rdfs:subClassOf comes from the ontology graph and alignments.ttl
(validation.alignment_graph). SPARQL constraints
see the document graph only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal as Kind

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from ..errors import ShapesError, TermError
from . import terms

__all__ = [
    "Check",
    "NodeShape",
    "PropertyShape",
    "ShapesError",
    "SparqlConstraint",
    "compile_shapes",
]


# Annotations that do not change what conforms.
_ANNOTATIONS = {RDF.type, RDFS.label, RDFS.comment, SH.name, SH.description}
_NODE_PARAMS = {SH.targetClass, SH.property, SH.sparql}
_VALUE_PARAMS = {
    SH.datatype,
    SH.nodeKind,
    SH.pattern,
    SH.flags,
    SH["in"],
    SH["class"],
    SH.minInclusive,
    SH.maxInclusive,
}
_PROPERTY_PARAMS = {SH.path, SH.minCount, SH.maxCount, SH["or"], SH.message} | _VALUE_PARAMS
_SPARQL_PARAMS = {SH.select, SH.message, SH.prefixes}
_SHAPE_TYPES = {SH.NodeShape, SH.PropertyShape, SH.SPARQLConstraint}
_NODE_KINDS = {
    SH.IRI: "isIRI(?value)",
    SH.BlankNode: "isBlank(?value)",
    SH.Literal: "isLiteral(?value)",
    SH.BlankNodeOrIRI: "(isBlank(?value) || isIRI(?value))",
    SH.BlankNodeOrLiteral: "(isBlank(?value) || isLiteral(?value))",
    SH.IRIOrLiteral: "(isIRI(?value) || isLiteral(?value))",
}
# SPARQL whose meaning changes once $this is joined in rather than pre-bound (or that
# needs what we do not pass: the shapes graph, the current shape, a path).
_SPARQL_UNSUPPORTED = re.compile(
    r"\b(MINUS|SERVICE|GRAPH|VALUES)\b|\$(currentShape|shapesGraph|PATH)\b|\{[^{}]*\bSELECT\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Check:
    """One constraint on each value node: `kind` names the SHACL component."""

    kind: Kind["datatype", "nodeKind", "pattern", "in", "class", "minInclusive", "maxInclusive"]
    args: tuple[str, ...]  # SPARQL text of the parameter(s); for sh:class the bare class IRI
    flags: str = ""


@dataclass(frozen=True)
class PropertyShape:
    shape: str  # the node shape it belongs to, for error messages
    path: str  # SPARQL property path
    path_iri: str | None  # what violations report as their path (None: a complex path)
    min_count: int | None
    max_count: int | None
    checks: tuple[Check, ...]  # each value must pass each check
    alternatives: tuple[tuple[Check, ...], ...]  # sh:or: each value must pass one group
    message: str | None


@dataclass(frozen=True)
class SparqlConstraint:
    shape: str
    prefixes: str  # PREFIX lines
    select: str
    message: str | None


@dataclass(frozen=True)
class NodeShape:
    name: str
    targets: tuple[str, ...]  # target class IRIs (subclasses are added at run time)
    properties: tuple[PropertyShape, ...]
    sparql: tuple[SparqlConstraint, ...]


def compile_shapes(shapes: Graph) -> tuple[NodeShape, ...]:
    """Read a shapes graph into checks; raise ShapesError on anything not understood."""
    reader = _Reader(shapes)
    for p in (SH.declare, SH.prefix, SH.namespace):
        reader.used.update(shapes.triples((None, p, None)))
    nodes = tuple(reader.node_shape(s) for s in _sorted(reader.node_shapes()))
    leftover = [
        (s, p, o)
        for s, p, o in shapes
        if (str(p).startswith(str(SH)) or (p == RDF.type and str(o).startswith(str(SH))))
        and (s, p, o) not in reader.used
    ]
    if leftover:
        subject, pred, obj = sorted(leftover)[0]
        raise ShapesError(
            f"shapes: {_name(subject)} {pred.n3()} {obj.n3()} is not part of a shape the validator "
            "understands (only sh:targetClass node shapes with property and SPARQL "
            "constraints are supported)"
        )
    return nodes


class _Reader:
    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self.used: set[tuple[Node, Node, Node]] = set()

    def node_shapes(self) -> set[Node]:
        found = set(self.g.subjects(RDF.type, SH.NodeShape))
        for target in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            found.update(self.g.subjects(target, None))
        return found

    def _params(self, node: Node, allowed: set[URIRef], what: str) -> dict[URIRef, list[Node]]:
        out: dict[URIRef, list[Node]] = {}
        for p, o in self.g.predicate_objects(node):
            if p == RDF.type and o not in _SHAPE_TYPES and str(o).startswith(str(SH)):
                raise ShapesError(f"shapes: {_name(node)} is a {o.n3()}, which is not supported")
            if p not in allowed and p not in _ANNOTATIONS:
                raise ShapesError(
                    f"shapes: {what} {_name(node)} uses {p.n3()}, which the validator "
                    "does not implement"
                )
            self.used.add((node, p, o))
            out.setdefault(URIRef(str(p)), []).append(o)
        return out

    def _one(self, params: Mapping[URIRef, list[Node]], p: URIRef, node: Node) -> Node | None:
        values = params.get(p, [])
        if len(values) > 1:
            raise ShapesError(f"shapes: {_name(node)} has {len(values)} values for {p.n3()}")
        return values[0] if values else None

    def _list(self, head: Node) -> list[Node]:
        items = list(Collection(self.g, head))  # type: ignore[arg-type]
        if head != RDF.nil and not items:
            raise ShapesError(f"shapes: {_name(head)} is not an RDF list")
        return items

    def _message(self, params: Mapping[URIRef, list[Node]]) -> str | None:
        messages = sorted(params.get(SH.message, []), key=lambda m: (m.language or "", str(m)))  # type: ignore[attr-defined]
        return str(messages[0]) if messages else None

    def node_shape(self, node: Node) -> NodeShape:
        params = self._params(node, _NODE_PARAMS, "node shape")
        targets = params.get(SH.targetClass, [])
        if not targets:
            raise ShapesError(f"shapes: node shape {_name(node)} has no sh:targetClass")
        name = _name(node)
        return NodeShape(
            name,
            tuple(sorted(str(_iri(t, "sh:targetClass", node)) for t in targets)),
            tuple(self.property_shape(p, name) for p in _sorted(params.get(SH.property, []))),
            tuple(self.sparql(c, name) for c in _sorted(params.get(SH.sparql, []))),
        )

    def property_shape(self, node: Node, shape: str) -> PropertyShape:
        params = self._params(node, _PROPERTY_PARAMS, "property shape")
        path = self._one(params, SH.path, node)
        if path is None:
            raise ShapesError(f"shapes: a property shape of {shape} has no sh:path")
        alternatives: tuple[tuple[Check, ...], ...] = ()
        if (alt := self._one(params, SH["or"], node)) is not None:
            members = self._list(alt)
            alternatives = tuple(
                self.checks(self._params(m, _VALUE_PARAMS, "sh:or member"), m) for m in members
            )
        min_count = self._one(params, SH.minCount, node)
        max_count = self._one(params, SH.maxCount, node)
        path_text, path_iri = self.path(path, shape)
        return PropertyShape(
            shape,
            path_text,
            path_iri,
            _int(min_count, "sh:minCount", shape),
            _int(max_count, "sh:maxCount", shape),
            self.checks(params, node),
            alternatives,
            self._message(params),
        )

    def path(self, path: Node, shape: str) -> tuple[str, str | None]:
        if isinstance(path, URIRef):
            return terms.term(path), str(path)
        params = self._params(path, {SH.alternativePath}, "path")
        alt = self._one(params, SH.alternativePath, path)
        if alt is None:
            raise ShapesError(f"shapes: {shape} uses a property path the validator cannot read")
        members = [terms.term(_iri(m, "sh:alternativePath", path)) for m in self._list(alt)]
        return "(" + "|".join(members) + ")", None

    def checks(self, params: Mapping[URIRef, list[Node]], node: Node) -> tuple[Check, ...]:
        out: list[Check] = []
        if (dt := self._one(params, SH.datatype, node)) is not None:
            out.append(Check("datatype", (terms.term(_iri(dt, "sh:datatype", node)),)))
        if (kind := self._one(params, SH.nodeKind, node)) is not None:
            if not isinstance(kind, URIRef) or kind not in _NODE_KINDS:
                raise ShapesError(f"shapes: {_name(node)} has an unknown sh:nodeKind {kind}")
            out.append(Check("nodeKind", (_NODE_KINDS[kind],)))
        if (pattern := self._one(params, SH.pattern, node)) is not None:
            flags = self._one(params, SH.flags, node)
            out.append(Check("pattern", (terms.term(_literal(pattern)),), str(flags or "")))
        elif SH.flags in params:
            raise ShapesError(f"shapes: {_name(node)} has sh:flags without sh:pattern")
        if (values := self._one(params, SH["in"], node)) is not None:
            out.append(Check("in", tuple(terms.term(v) for v in self._list(values))))
        for cls in _sorted(params.get(SH["class"], [])):
            out.append(Check("class", (str(_iri(cls, "sh:class", node)),)))
        for p, kind_ in ((SH.minInclusive, "minInclusive"), (SH.maxInclusive, "maxInclusive")):
            if (bound := self._one(params, p, node)) is not None:
                out.append(Check(kind_, (terms.term(_literal(bound)),)))  # type: ignore[arg-type]
        return tuple(out)

    def sparql(self, node: Node, shape: str) -> SparqlConstraint:
        params = self._params(node, _SPARQL_PARAMS, "SPARQL constraint")
        select = self._one(params, SH.select, node)
        if select is None:
            raise ShapesError(f"shapes: a SPARQL constraint of {shape} has no sh:select")
        text = str(select)
        if (bad := _SPARQL_UNSUPPORTED.search(text)) is not None:
            raise ShapesError(
                f"shapes: the SPARQL constraint of {shape} uses {bad.group(0).strip('{ ')!r}, "
                "which the validator cannot run for many documents at once"
            )
        if not re.match(r"\s*SELECT\s[^{]*[$?]this\b[^{]*\{", text, re.IGNORECASE | re.DOTALL):
            raise ShapesError(f"shapes: the SPARQL constraint of {shape} must SELECT $this")
        lines = []
        for decl_owner in _sorted(params.get(SH.prefixes, [])):
            for decl in _sorted(self.g.objects(decl_owner, SH.declare)):
                prefix = self.g.value(decl, SH.prefix)
                namespace = self.g.value(decl, SH.namespace)
                if prefix is None or namespace is None:
                    raise ShapesError(f"shapes: a sh:declare of {_name(decl_owner)} is incomplete")
                try:
                    lines.append(terms.prefix_declaration(str(prefix), str(namespace)))
                except TermError as exc:
                    raise ShapesError(f"shapes: a sh:declare of {shape}: {exc}") from exc
        return SparqlConstraint(shape, "\n".join(lines), text, self._message(params))


def _iri(node: Node, what: str, owner: Node) -> URIRef:
    if not isinstance(node, URIRef):
        raise ShapesError(f"shapes: {what} of {_name(owner)} must be an IRI, not {node.n3()}")
    return node


def _literal(node: Node) -> Literal:
    if not isinstance(node, Literal):
        raise ShapesError(f"shapes: expected a literal, found {node.n3()}")
    return node


def _int(node: Node | None, what: str, shape: str) -> int | None:
    if node is None:
        return None
    value = _literal(node).toPython()
    if not isinstance(value, int) or value < 0:
        raise ShapesError(f"shapes: {what} in {shape} must be a non-negative integer")
    return value


def _name(node: Node) -> str:
    return "a blank node" if isinstance(node, BNode) else node.n3()


def _sorted(nodes: Iterable[Node]) -> list[Node]:
    return sorted(nodes, key=lambda n: (isinstance(n, BNode), str(n)))
