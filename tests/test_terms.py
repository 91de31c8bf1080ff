"""The one term writer: what it writes is read back as the same one term, by Oxigraph's
N-Triples parser and by its SPARQL parser; what could break out of a term is refused."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

from policygraph.errors import TermError
from policygraph.rdf.terms import (
    drop_graph,
    fill_values,
    insert_data,
    iri,
    literal,
    prefix_declaration,
    term,
    values_block,
)

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


def test_insert_data_and_drop_graph_write_one_graph_and_its_merge() -> None:
    store = ox.Store()
    line = f"<http://x/s> <http://x/p> {literal('a } DROP ALL')} .\n"
    store.update(insert_data(line, "http://x/g") + " ;\n" + insert_data(line))
    assert {q.graph_name for q in store} == {ox.NamedNode("http://x/g"), ox.DefaultGraph()}
    store.update(drop_graph("http://x/g"))
    assert [q.graph_name for q in store] == [ox.DefaultGraph()]
    with pytest.raises(TermError):
        drop_graph("http://x/g> } ; DROP ALL ; #")


def test_insert_data_with_blank_nodes_is_a_template_each_run_its_own_node() -> None:
    store = ox.Store()
    update = insert_data("_:b <http://x/p> <http://x/o> .", "http://x/g", blank_nodes=True)
    store.update(update)
    store.update(update)
    assert len({q.subject for q in store}) == 2


def test_a_prefix_declaration_checks_the_name_and_the_namespace() -> None:
    assert prefix_declaration("pg", "https://w3id.org/policygraph/ns#") == (
        "PREFIX pg: <https://w3id.org/policygraph/ns#>"
    )
    ox.Store().query(prefix_declaration("a.b-c", "http://x/") + " ASK {}")  # SPARQL reads it
    for bad in ("x: <http://evil/> SELECT", "1a", "a.", "p q"):
        with pytest.raises(TermError, match="prefix name"):
            prefix_declaration(bad, "http://x/")
    with pytest.raises(TermError):
        prefix_declaration("p", "http://x/> ASK {} #")
