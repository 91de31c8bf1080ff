"""The SPARQL of compiled SHACL shapes (shacl.py): one query per property shape and per SPARQL
constraint, over every document graph of the store at once (`GRAPH ?g`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rdflib import Literal, URIRef

from . import terms
from .shacl import Check, NodeShape, PropertyShape, SparqlConstraint

__all__ = ["Scope", "property_query", "sparql_query"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
# Datatypes Oxigraph can cast to: a value of one of them must also be well formed, as pySHACL
# (rdflib's ill_typed) demands. Other datatypes are checked by name only.
_CASTABLE = {
    URIRef(_XSD + name)
    for name in [
        *("string", "boolean", "integer", "decimal", "float", "double", "date", "dateTime"),
        *("time", "duration", "gYear", "gYearMonth", "gMonthDay", "dayTimeDuration"),
        "yearMonthDuration",
    ]
}


@dataclass(frozen=True)
class Scope:
    """What the queries need besides the shapes, read from the store per run: `subclasses`
    maps a class IRI to itself and all its subclasses (from the ontology graph), `static`
    maps a class IRI to the IRIs typed with it in the static graphs (ontology, topics), which
    sh:class accepts as values. The document graphs are chosen by the query's named graphs."""

    subclasses: Mapping[str, tuple[str, ...]]
    static: Mapping[str, tuple[str, ...]]

    def classes(self, iri: str) -> tuple[str, ...]:
        return self.subclasses.get(iri, (iri,))

    def typed(self, var: str, targets: Sequence[str]) -> str:
        """A pattern binding `var` to the instances of `targets` (possibly more than once)."""
        classes = sorted({c for t in targets for c in self.classes(t)})
        if len(classes) == 1:
            return f"{var} a {terms.iri(classes[0])} ."
        # FILTER rather than VALUES: twice as fast in Oxigraph 0.5
        return f"{var} a ?class FILTER (?class IN ({', '.join(terms.iri(c) for c in classes)}))"


def property_query(node: NodeShape, prop: PropertyShape, scope: Scope) -> str:
    """SELECT ?g ?focus ?n ?bad0 ?bad1 …: one row per focus node breaking the shape, with
    ?n its number of values and ?badN the number failing check N (prop.checks, then one
    for sh:or)."""
    tests = [_expr(c, scope) for c in prop.checks]
    if prop.alternatives:
        groups = [
            "(" + (" && ".join(_expr(c, scope) for c in group) or "true") + ")"
            for group in prop.alternatives
        ]
        tests.append("(" + " || ".join(groups) + ")")
    # A value passing test N leaves ?badN unbound (IF yields the unbound ?pass); an error
    # in a test counts as failing, as in SHACL.
    binds = "".join(
        f"\n  BIND(IF(COALESCE({t}, false), ?pass, ?value) AS ?bad{i})" for i, t in enumerate(tests)
    )
    # A node of several target classes, or an alternative path, can repeat a value.
    distinct = (
        "DISTINCT " if prop.path_iri is None or "?class" in scope.typed("?f", node.targets) else ""
    )
    counts = "".join(f" (COUNT({distinct}?bad{i}) AS ?b{i})" for i in range(len(tests)))
    # HAVING sees the group, not the SELECT's aliases: the aggregates are spelt out again.
    having = [f"COUNT({distinct}?bad{i}) > 0" for i in range(len(tests))]
    if prop.min_count is not None:
        having.append(f"COUNT({distinct}?value) < {prop.min_count}")
    if prop.max_count is not None:
        having.append(f"COUNT({distinct}?value) > {prop.max_count}")
    return (
        f"SELECT ?g ?focus (COUNT({distinct}?value) AS ?n){counts} WHERE {{\n"
        f"  GRAPH ?g {{ {scope.typed('?focus', node.targets)}\n"
        f"    OPTIONAL {{ ?focus {prop.path} ?value }} }}{binds}\n"
        f"}} GROUP BY ?g ?focus HAVING ({' || '.join(having)})"
    )


def sparql_query(node: NodeShape, constraint: SparqlConstraint, scope: Scope) -> str:
    """The constraint's own SELECT, run inside each document graph with $this joined to the
    shape's focus nodes first (a join, not SHACL's pre-binding: hence the refused keywords)."""
    text = constraint.select
    brace = text.index("{") + 1
    focus = scope.typed("?this", node.targets)
    # Several target classes give a row per class; the DISTINCT folds them back.
    distinct = "DISTINCT " if "?class" in focus else ""
    inner = text[:brace] + f"\n  {focus}\n" + text[brace:]
    # The focus pattern is repeated outside the subquery because Oxigraph 0.5 leaves ?g
    # unbound for GRAPH ?g {{ SELECT … }} alone.
    return (
        f"{constraint.prefixes}\nSELECT {distinct}?g ?this ?value WHERE {{\n"
        f"  GRAPH ?g {{ {focus}\n  {{\n{inner}\n  }} }}\n}}"
    )


def _expr(check: Check, scope: Scope) -> str:
    """A SPARQL expression that is true when ?value passes `check` (an error means no)."""
    if check.kind == "datatype":
        dt = check.args[0]
        test = f"isLiteral(?value) && DATATYPE(?value) = {dt}"
        if URIRef(dt[1:-1]) in _CASTABLE:
            test += f" && sameTerm({dt}(?value), {dt}(?value))"
        return f"({test})"
    if check.kind == "nodeKind":
        return check.args[0]
    if check.kind == "pattern":
        flags = f", {terms.term(Literal(check.flags))}" if check.flags else ""
        return f"(!isBlank(?value) && REGEX(STR(?value), {check.args[0]}{flags}))"
    if check.kind == "in":
        return "(" + (" || ".join(f"sameTerm(?value, {v})" for v in check.args) or "false") + ")"
    if check.kind == "class":
        cls = check.args[0]
        test = f"EXISTS {{ GRAPH ?g {{ {scope.typed('?value', [cls])} }} }}"
        if static := scope.static.get(cls):
            listed = ", ".join(terms.iri(i) for i in static)
            test = f"(isIRI(?value) && ?value IN ({listed})) || {test}"
        return f"({test})"
    op = ">=" if check.kind == "minInclusive" else "<="
    return f"(?value {op} {check.args[0]})"
