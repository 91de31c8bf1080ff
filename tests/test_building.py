"""Findings → RDF: shape of the graph, provenance, determinism, SHACL."""

from __future__ import annotations

import hashlib

from rdflib import Graph, Literal
from rdflib.compare import isomorphic

from policygraph.models import (
    Document,
    DocumentMeta,
    Findings,
    LetterFinding,
    Mention,
    SignatoryEntry,
    Span,
    StanceFinding,
)
from policygraph.rdf.building import build_document_graph
from policygraph.rdf.validation import validate
from policygraph.resolution import learn_actors
from policygraph.vocab import PG, PROV

TEXT = (
    "Dear Mr. Zuckerberg,\n\nWe urge you to resist calls to create backdoors.\n\n"
    "Sincerely,\n\nAccess Now\nAsociación por los Derechos Civiles (ADC), Argentina\n"
)


def span(text: str, needle: str) -> Span:
    start = text.index(needle)
    return Span(start, start + len(needle), needle)


def findings(text: str = TEXT) -> Findings:
    doc = Document(
        path="letter.md",
        text=text,
        format="markdown",
        meta=DocumentMeta(title="A letter", date="2019-10-04", publisher="Digital Rights Watch"),
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
    )
    adc = "Asociación por los Derechos Civiles (ADC), Argentina"
    letter = LetterFinding(
        title="A letter",
        heading=None,
        date="2019-10-04",
        addressed_to=(Mention("Mr. Zuckerberg", "person", span(text, "Mr. Zuckerberg")),),
        signatories=(
            SignatoryEntry(1, "Access Now", "Access Now", span(text, "Access Now")),
            SignatoryEntry(
                2,
                adc,
                "Asociación por los Derechos Civiles",
                span(text, adc),
                acronym="ADC",
                country="Argentina",
            ),
        ),
    )
    stance = StanceFinding(
        "@letter", "backdoors", "oppose", span(text, "resist calls to create backdoors"), "stated"
    )
    return Findings(document=doc, kind="open_letter", letter=letter, stances=(stance,))


def test_graph_conforms_to_shapes() -> None:
    g = build_document_graph(findings(), learn_actors([findings()])).to_rdflib()
    assert validate(g) == []


def test_each_signatory_holds_the_letter_stance_through_its_signature() -> None:
    g = build_document_graph(findings(), learn_actors([findings()])).to_rdflib()
    rows = list(
        g.query(
            """SELECT ?label ?pos WHERE {
             ?s a pg:Stance ; pg:holder ?a ; pg:attribution pg:ViaSigning ;
                pg:position ?pos ; pg:viaSignature ?sig ; prov:wasDerivedFrom ?letterStance .
             ?a skos:prefLabel ?label }""",
            initNs={"pg": PG, "prov": PROV, "skos": "http://www.w3.org/2004/02/skos/core#"},
        )
    )
    assert sorted((str(r[0]), r[1]) for r in rows) == [
        ("Access Now", PG.Oppose),
        ("Asociación por los Derechos Civiles", PG.Oppose),
    ]


def test_rebuilding_gives_the_same_graph_and_iris() -> None:
    a = build_document_graph(findings(), learn_actors([findings()])).to_rdflib()
    b = build_document_graph(findings(), learn_actors([findings()])).to_rdflib()
    assert isomorphic(a, b)
    assert set(a.subjects()) == set(b.subjects())


def test_a_span_that_does_not_reproduce_its_text_is_a_violation() -> None:
    g = build_document_graph(findings(), learn_actors([findings()])).to_rdflib()
    exact = next(g.subjects(predicate=None, object=Literal("Access Now")), None)
    assert exact is not None
    broken = Graph()
    for s, p, o in g:
        if str(p).endswith("#exact") and str(o) == "Access Now":
            o = Literal("Access Later")
        broken.add((s, p, o))
    messages = [v.message for v in validate(broken)]
    assert "a span's offsets do not reproduce its quoted text" in messages
