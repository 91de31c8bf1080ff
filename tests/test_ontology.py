"""The published vocabulary (ontology/policygraph.ttl): every pg: term the project uses is
declared, labelled and explained, and it asserts nothing about other vocabularies' terms;
the alignments that the shapes need live in ontology/alignments.ttl, read by validation."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import FOAF

from policygraph import resources
from policygraph.rdf.validation import ontology_graph, validate, validate_with_pyshacl
from policygraph.store import Store
from policygraph.vocab import PG, SCHEMA

ONTOLOGY_IRI = URIRef("https://w3id.org/policygraph/ns")


def _pg_terms(graph: Graph) -> set[URIRef]:
    return {
        t for triple in graph for t in triple if isinstance(t, URIRef) and t.startswith(str(PG))
    }


@pytest.fixture(scope="module")
def vocabulary() -> Graph:
    return Graph().parse(resources.ontology("policygraph.ttl"), format="turtle")


@pytest.fixture(scope="module")
def seed_graph(seed_store_dir: Path) -> Graph:
    with Store(seed_store_dir, read_only=True) as store:
        return Graph().parse(data=store.export("ntriples", None) or b"", format="nt")


def test_every_pg_term_in_use_is_declared(vocabulary: Graph, seed_graph: Graph) -> None:
    declared = set(vocabulary.subjects(RDF.type, None))
    used = _pg_terms(seed_graph)
    for name in ("topics.ttl", "shapes.ttl", "policygraph.ttl"):
        used |= _pg_terms(Graph().parse(resources.ontology(name), format="turtle"))
    assert {PG.termPattern, PG.supportCue, PG.opposeCue, PG.Stance} <= used
    assert sorted(used - declared) == []


def test_every_pg_term_has_an_english_label_and_comment(vocabulary: Graph) -> None:
    terms = {s for s in vocabulary.subjects(RDF.type, None) if s.startswith(str(PG))}
    assert len(terms) > 50
    for prop in (RDFS.label, RDFS.comment):
        missing = sorted(
            str(t)
            for t in terms
            if not any(getattr(o, "language", None) == "en" for o in vocabulary.objects(t, prop))
        )
        assert missing == [], prop


def test_the_vocabulary_says_nothing_about_other_vocabularies_terms(vocabulary: Graph) -> None:
    foreign = sorted(
        {str(s) for s in vocabulary.subjects() if s != ONTOLOGY_IRI and not s.startswith(str(PG))}
    )
    assert foreign == []
    # The store's copy (graph id/graph/ontology) is the same published vocabulary.
    assert (SCHEMA.NGO, RDFS.subClassOf, PG.Actor) not in ontology_graph()
    assert len(ontology_graph()) == len(vocabulary)


def test_shapes_still_accept_other_vocabularies_actor_classes(seed_graph: Graph) -> None:
    """Through alignments.ttl, sh:class pg:Actor accepts a schema:NGO or foaf:Person that is
    not typed pg:Actor; a node of an unrelated class is still refused."""
    signer = next(
        o
        for o in seed_graph.objects(None, URIRef("http://www.w3.org/ns/prov#agent"))
        if (o, RDF.type, SCHEMA.NGO) in seed_graph
    )
    person = next(seed_graph.subjects(RDF.type, FOAF.Person))
    untyped = Graph()
    for t in seed_graph:
        if not (t[0] in (signer, person) and t[1] == RDF.type and t[2] == PG.Actor):
            untyped.add(t)
    assert validate(untyped) == []
    assert validate_with_pyshacl(untyped) == []

    unrelated = Graph()
    for t in untyped:
        if not (t[0] == signer and t[1] == RDF.type):
            unrelated.add(t)
    unrelated.add((signer, RDF.type, SCHEMA.Place))
    refused = validate(unrelated)
    assert {v.path for v in refused} == {str(PG.signatory), "http://www.w3.org/ns/prov#agent"}
