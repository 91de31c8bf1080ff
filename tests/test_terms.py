"""The one term writer: what it writes is read back as the same one term, by Oxigraph's
N-Triples parser and by its SPARQL parser; what could break out of a term is refused."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

from policygraph.errors import TermError
from policygraph.rdf.terms import fill_values, iri, literal, term, values_block

TRICKY = ["plain", 'a "quote"', "back\\slash", "line\nbreak\r\n", "tab\there", "bell\x07", "é ∀ 🙂"]


@pytest.mark.parametrize("text", TRICKY)
def test_a_literal_reads_back_as_its_text_in_ntriples_and_sparql(text: str) -> None:
    line = f"<http://x/s> <http://x/p> {literal(text)} .\n"
    (quad,) = ox.parse(line.encode(), format=ox.RdfFormat.N_TRIPLES)
    assert quad.object.value == text
    store = ox.Store()
    store.update(f"INSERT DATA {{ <http://x/s> <http://x/p> {literal(text, language='en-GB')} }}")
    (sol,) = store.query("SELECT ?o WHERE { ?s ?p ?o }")
    assert sol["o"].value == text and sol["o"].language == "en-gb"


@pytest.mark.parametrize("bad", ["http://x/a b", "http://x/a>", "http://x/{a}", "http://x/\\", ""])
def test_an_iri_that_could_end_early_is_refused(bad: str) -> None:
    with pytest.raises(TermError, match="refusing to write"):
        iri(bad)


def test_a_blank_node_is_written_only_where_allowed() -> None:
    node = BNode("b0")
    assert term(node, blank=True) == "_:b0"
    with pytest.raises(TermError, match="blank node"):
        term(node)


def test_values_block_binds_each_row() -> None:
    block = values_block(["a", "b"], [[URIRef("http://x/1"), Literal(2)]])
    store = ox.Store()
    rows = list(store.query(f"SELECT ?a ?b WHERE {{ {block} }}"))
    assert [(r["a"].value, r["b"].value) for r in rows] == [("http://x/1", "2")]
    with pytest.raises(TermError, match="variable name"):
        values_block(["a) {} #"], [[Literal(1)]])


def test_fill_values_fills_the_named_block_only() -> None:
    query = "SELECT * { VALUES ?graphs { } VALUES ?graph { } }"
    filled = fill_values(query, {"graph": [URIRef("http://x/g")]})
    assert filled == "SELECT * { VALUES ?graphs { } VALUES ?graph { <http://x/g> } }"
