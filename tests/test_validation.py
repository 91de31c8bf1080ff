"""The native SHACL engine (shapes compiled to SPARQL on Oxigraph) against pySHACL, the
reference: same verdicts on valid graphs and on graphs broken one constraint at a time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pyoxigraph as ox
import pytest
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, SH, SKOS, XSD

from policygraph import resources
from policygraph.errors import ShapesError
from policygraph.rdf.shacl import compile_shapes
from policygraph.rdf.validation import (
    Violation,
    shapes_graph,
    validate,
    validate_nquads,
    validate_oxigraph,
    validate_with_pyshacl,
)
from policygraph.store import rq
from policygraph.store.core import Store, to_ox
from policygraph.vocab import OA, PG, SCHEMA, graph_iri


def _graphs(store: Store) -> dict[URIRef, Graph]:
    rows = store.select(rq.load("document_graphs"), union=False).rows
    return {row[0]: store.graph(row[0]) for row in rows if isinstance(row[0], URIRef)}


@pytest.fixture(scope="module")
def seed_graphs(seed_store_dir: object) -> dict[URIRef, Graph]:
    from pathlib import Path

    with Store(Path(str(seed_store_dir)), read_only=True) as store:
        return _graphs(store)


@pytest.fixture(scope="module")
def news(seed_graphs: dict[URIRef, Graph]) -> Graph:
    """Both seed graphs in one: the letter (signatures) and the news article (quotes) hold
    every kind of node the shapes target."""
    both = Graph()
    for g in seed_graphs.values():
        for t in g:
            both.add(t)
    return both


def pairs(violations: list[Violation]) -> Counter[tuple[str, str | None]]:
    return Counter((v.focus, v.path) for v in violations)


def test_seed_graphs_conform_in_both_engines(seed_graphs: dict[URIRef, Graph]) -> None:
    assert len(seed_graphs) == 2
    for g in seed_graphs.values():
        assert validate_with_pyshacl(g) == []
        assert validate(g) == []


# ------------------------------------------------------------------ broken graphs


def first(g: Graph, cls: URIRef, having: URIRef | None = None) -> URIRef:
    nodes = sorted(
        s
        for s in g.subjects(RDF.type, cls)
        if isinstance(s, URIRef) and (having is None or (s, having, None) in g)
    )
    return nodes[0]


def replace(cls: URIRef, p: URIRef, value: object, having: URIRef | None = None) -> Mutation:
    def run(g: Graph) -> None:
        s = first(g, cls, having or p)
        g.remove((s, p, None))
        g.add((s, p, value(g) if callable(value) else value))  # type: ignore[arg-type]

    return run


def drop(cls: URIRef, *ps: URIRef) -> Mutation:
    def run(g: Graph) -> None:
        s = first(g, cls, ps[0])
        for p in ps:
            g.remove((s, p, None))

    return run


def add(cls: URIRef, p: URIRef, value: object, having: URIRef | None = None) -> Mutation:
    def run(g: Graph) -> None:
        s = first(g, cls, having)
        g.add((s, p, value(g) if callable(value) else value))  # type: ignore[arg-type]

    return run


def shift_span(g: Graph) -> None:
    sel = first(g, OA.TextPositionSelector)
    start = g.value(sel, OA.start)
    g.set((sel, OA.start, Literal(int(start) + 1)))  # type: ignore[arg-type]


Mutation = Callable[[Graph], None]
DOC, ACTOR, LETTER, SIG, STANCE, QUOTE, SPAN = (
    PG.SourceDocument,
    PG.Actor,
    PG.Letter,
    PG.Signature,
    PG.Stance,
    SCHEMA.Quotation,
    PG.Span,
)
STRANGER = URIRef("https://example.org/not-declared")
NOT_A_CONCEPT = URIRef("https://w3id.org/policygraph/topic/no-such-topic")

# Each row breaks the graph in one way; together they break every constraint in shapes.ttl.
BREAKAGES: list[tuple[str, Mutation]] = [
    ("document without text", drop(DOC, SCHEMA.text)),
    ("document with two texts", add(DOC, SCHEMA.text, Literal("another snapshot"))),
    (
        "document text in a language",
        replace(
            DOC, SCHEMA.text, lambda g: Literal(str(g.value(first(g, DOC), SCHEMA.text)), lang="en")
        ),
    ),
    ("document without hash", drop(DOC, PG.contentHash)),
    ("document with two hashes", add(DOC, PG.contentHash, Literal("0" * 64))),
    ("hash not hexadecimal", replace(DOC, PG.contentHash, Literal("XYZ"))),
    ("document without source path", drop(DOC, PG.sourcePath)),
    ("document without kind", drop(DOC, PG.documentKind)),
    ("document of an unknown kind", replace(DOC, PG.documentKind, Literal("memo"))),
    ("document with two kinds", add(DOC, PG.documentKind, Literal("blog_post"))),
    ("date as a string", replace(DOC, SCHEMA.datePublished, Literal("2019-10-04"))),
    (
        "date-time",
        replace(DOC, SCHEMA.datePublished, Literal("2019-10-04T10:00:00", datatype=XSD.dateTime)),
    ),
    (
        "impossible date",
        replace(DOC, SCHEMA.datePublished, Literal("2019-13-45", datatype=XSD.date)),
    ),
    (
        "two publication dates",
        add(DOC, SCHEMA.datePublished, Literal("2019", datatype=XSD.gYear), SCHEMA.datePublished),
    ),
    ("actor without name", drop(ACTOR, SKOS.prefLabel)),
    ("sameAs elsewhere", add(ACTOR, OWL.sameAs, URIRef("https://www.wikidata.org/wiki/Q42"))),
    ("sameAs as a literal", add(ACTOR, OWL.sameAs, Literal("http://www.wikidata.org/entity/Q42"))),
    ("sameAs a blank node", add(ACTOR, OWL.sameAs, BNode("b0"))),
    ("signatory not an actor", add(LETTER, PG.signatory, STRANGER)),
    (
        "letter with two dates",
        add(LETTER, SCHEMA.dateCreated, Literal("2001", datatype=XSD.gYear), SCHEMA.dateCreated),
    ),
    ("letter from no document", drop(LETTER, PG.reproducedIn, PG.reportedIn)),
    ("signature without signer", drop(SIG, PROV.agent)),
    ("signer not an actor", replace(SIG, PROV.agent, STRANGER)),
    ("signature with two signers", add(SIG, PROV.agent, lambda g: first(g, ACTOR), PROV.agent)),
    ("signature without position", drop(SIG, PG.listPosition)),
    ("position as text", replace(SIG, PG.listPosition, Literal("first"))),
    (
        "position as an ill-formed integer",
        replace(SIG, PG.listPosition, Literal("1st", datatype=XSD.integer)),
    ),
    ("two positions", add(SIG, PG.listPosition, Literal(99), PG.listPosition)),
    ("signature without line", drop(SIG, PG.asWritten)),
    ("signature with two lines", add(SIG, PG.asWritten, Literal("again"), PG.asWritten)),
    ("signature without evidence", drop(SIG, PG.evidence)),
    ("signature evidence not a span", add(SIG, PG.evidence, STRANGER, PG.evidence)),
    ("stance with neither holder nor document", drop(STANCE, PG.holder, PG.statedIn)),
    ("stance without topic", drop(STANCE, PG.topic)),
    (
        "stance with two topics",
        add(STANCE, PG.topic, URIRef("https://w3id.org/policygraph/topic/e2ee"), PG.topic),
    ),
    ("topic not a concept", replace(STANCE, PG.topic, NOT_A_CONCEPT)),
    ("stance without position", drop(STANCE, PG.position)),
    ("position neither support nor oppose", replace(STANCE, PG.position, PG.Stated)),
    ("two positions on a stance", add(STANCE, PG.position, PG.Support, PG.position)),
    ("stance without attribution", drop(STANCE, PG.attribution)),
    ("unknown attribution", replace(STANCE, PG.attribution, PG.Support)),
    ("confidence 1.5", replace(STANCE, PG.confidence, Literal("1.5", datatype=XSD.decimal))),
    ("confidence -0.5", replace(STANCE, PG.confidence, Literal("-0.5", datatype=XSD.decimal))),
    ("confidence as a double", replace(STANCE, PG.confidence, Literal("0.5", datatype=XSD.double))),
    (
        "two confidences",
        add(STANCE, PG.confidence, Literal("0.25", datatype=XSD.decimal), PG.confidence),
    ),
    ("stance without evidence", drop(STANCE, PG.evidence)),
    ("stance from no run", drop(STANCE, PROV.wasGeneratedBy)),
    ("stance from no rule", drop(STANCE, PG.rule)),
    ("stance rule not a rule", replace(STANCE, PG.rule, STRANGER)),
    ("quote without speaker", drop(QUOTE, SCHEMA.creator)),
    ("speaker not an actor", replace(QUOTE, SCHEMA.creator, STRANGER)),
    ("quote without text", drop(QUOTE, SCHEMA.text)),
    ("quote with two texts", add(QUOTE, SCHEMA.text, Literal("said twice"), SCHEMA.text)),
    ("quote without evidence", drop(QUOTE, PG.evidence)),
    ("span of no document", drop(SPAN, OA.hasSource)),
    ("span with two sources", add(SPAN, OA.hasSource, STRANGER, OA.hasSource)),
    ("span whose offsets moved", shift_span),
]

_reference: dict[str, list[Violation]] = {}


def broken(news: Graph, mutate: Mutation) -> Graph:
    g = Graph()
    for t in news:
        g.add(t)
    mutate(g)
    return g


@pytest.mark.parametrize("name,mutate", BREAKAGES, ids=[b[0] for b in BREAKAGES])
def test_native_engine_finds_what_pyshacl_finds(news: Graph, name: str, mutate: Mutation) -> None:
    g = broken(news, mutate)
    reference = _reference.setdefault(name, validate_with_pyshacl(g))
    assert reference, f"{name}: the breakage does not break anything"
    assert pairs(validate(g)) == pairs(reference)


def test_the_breakages_break_every_shape(news: Graph) -> None:
    reported: set[str] = set()
    paths: set[str | None] = set()
    for name, mutate in BREAKAGES:
        vs = _reference.get(name) or validate_with_pyshacl(broken(news, mutate))
        reported.update(v.message for v in vs)
        paths.update(v.path for v in vs)
    shapes = shapes_graph()
    assert {str(m) for m in shapes.objects(None, SH.message)} <= reported
    assert {str(p) for p in shapes.objects(None, SH.path) if isinstance(p, URIRef)} <= paths


def test_messages_come_from_the_shapes(news: Graph) -> None:
    g = broken(news, replace(STANCE, PG.confidence, Literal("1.5", datatype=XSD.decimal)))
    assert [v.message for v in validate(g)] == ["confidence is a decimal between 0 and 1"]


# ------------------------------------------------------------------ many graphs at once


def _nquads(graphs: dict[URIRef, Graph]) -> bytes:
    store = ox.Store()
    for name, g in graphs.items():
        store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(name)) for s, p, o in g)
    return store.dump(format=ox.RdfFormat.N_QUADS)  # type: ignore[no-any-return]


def test_validate_nquads_attributes_violations_to_their_graph(
    seed_graphs: dict[URIRef, Graph],
) -> None:
    (a, ga), (b, gb) = sorted(seed_graphs.items())
    broken_a = broken(ga, drop(SIG, PG.listPosition))
    broken_b = broken(gb, replace(STANCE, PG.confidence, Literal("1.5", datatype=XSD.decimal)))
    third = URIRef(str(b) + "-copy")
    result = validate_nquads(_nquads({a: broken_a, b: broken_b, third: gb}))
    assert set(result) == {str(a), str(b)}
    assert result[str(a)] == validate(broken_a)
    assert result[str(b)] == validate(broken_b)
    assert pairs(result[str(b)]) == pairs(validate_with_pyshacl(broken_b))


def test_validate_oxigraph_checks_only_the_graphs_asked_for(
    seed_graphs: dict[URIRef, Graph],
) -> None:
    (a, ga), (b, gb) = sorted(seed_graphs.items())
    store = ox.Store()
    store.load(_nquads({a: broken(ga, drop(ACTOR, SKOS.prefLabel)), b: gb}), ox.RdfFormat.N_QUADS)
    static = {graph_iri("ontology"): "policygraph.ttl", graph_iri("topics"): "topics.ttl"}
    for name, file in static.items():
        path = str(resources.ontology(file))
        store.load(path=path, format=ox.RdfFormat.TURTLE, to_graph=to_ox(name))
    assert set(validate_oxigraph(store)) == {str(a)}
    assert validate_oxigraph(store, [str(b)]) == {}
    assert validate_oxigraph(store, []) == {}


# ------------------------------------------------------------------ unsupported shapes

UNSUPPORTED = [
    ("uniqueLang", "pgs:ActorShape sh:property [ sh:path skos:altLabel ; sh:uniqueLang true ] ."),
    (
        "targetNode",
        "pgs:X sh:targetNode pg:Support ; sh:property [ sh:path pg:a ; sh:minCount 1 ] .",
    ),
    (
        "inversePath",
        "pgs:ActorShape sh:property [ sh:path [ sh:inversePath pg:holder ] ; sh:minCount 1 ] .",
    ),
    ("node-level class", "pgs:SpanShape sh:class pg:Span ."),
    ("severity", "pgs:SpanShape sh:severity sh:Warning ."),
    (
        "MINUS",
        'pgs:SpanShape sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o '
        'MINUS { $this a pg:X } }" ] .',
    ),
    ("orphan property shape", "pgs:Loose a sh:PropertyShape ; sh:path pg:a ; sh:minCount 1 ."),
]


@pytest.mark.parametrize("name,turtle", UNSUPPORTED, ids=[u[0] for u in UNSUPPORTED])
def test_an_unsupported_constraint_is_a_clear_error(name: str, turtle: str) -> None:
    shapes = Graph()
    for t in shapes_graph():
        shapes.add(t)
    prefixes = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in shapes_graph().namespaces())
    shapes.parse(data=prefixes + turtle, format="turtle")
    with pytest.raises(ShapesError, match="shapes: "):
        compile_shapes(shapes)


def test_the_project_shapes_compile() -> None:
    names = {n.name.rsplit("#", 1)[-1].rstrip(">") for n in compile_shapes(shapes_graph())}
    assert "SpanTextShape" in names and "StanceShape" in names
