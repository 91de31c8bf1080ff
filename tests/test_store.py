"""The store's merged default graph stays in step with the named graphs."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from policygraph.errors import TermError
from policygraph.store import Store

A, B = URIRef("https://example.org/g/a"), URIRef("https://example.org/g/b")
S, P = URIRef("https://example.org/s"), URIRef("https://example.org/p")
ASK = "ASK { ?s ?p ?o }"


def graph(*values: str) -> Graph:
    g = Graph()
    for v in values:
        g.add((S, P, Literal(v)))
    return g


def merged(store: Store) -> set[str]:
    rows = store.select("SELECT ?o WHERE { ?s ?p ?o }").rows
    return {str(r[0]) for r in rows}


def test_a_triple_two_graphs_share_stays_until_both_are_gone() -> None:
    store = Store(None)
    store.replace_graphs({A: graph("shared", "only-a"), B: graph("shared", "only-b")})
    assert merged(store) == {"shared", "only-a", "only-b"}
    store.replace_graphs({}, remove=[A])
    assert merged(store) == {"shared", "only-b"}
    store.replace_graphs({B: graph("new-b")})
    assert merged(store) == {"new-b"}


def test_dropping_two_graphs_at_once_removes_what_they_shared() -> None:
    store = Store(None)
    store.replace_graphs({A: graph("shared"), B: graph("shared")})
    store.replace_graphs({}, remove=[A, B])
    assert merged(store) == set()
    assert not store.ask(ASK)


def by_graph(store: Store) -> dict[str, set[str]]:
    rows = store.select("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }", union=False).rows
    out: dict[str, set[str]] = {}
    for g, o in rows:
        out.setdefault(str(g), set()).add(str(o))
    return out


def test_a_graph_named_with_graphs_in_it_changes_only_itself() -> None:
    # The removal query names the variable ?graph; a name holding "?graphs" must bind it,
    # not be pasted over it.
    odd = URIRef("https://example.org/g?graphs=1&graph=2")
    store = Store(None)
    store.replace_graphs({A: graph("a"), odd: graph("odd")})
    store.replace_graphs({odd: graph("odd-2")})
    assert by_graph(store) == {str(A): {"a"}, str(odd): {"odd-2"}}
    store.replace_graphs({}, remove=[odd])
    assert by_graph(store) == {str(A): {"a"}}
    assert merged(store) == {"a"}


@pytest.mark.parametrize(
    "name",
    [
        "https://example.org/g/x> ; DROP GRAPH <https://example.org/g/a",
        "https://example.org/g/x> <https://example.org/g/a",
        "https://example.org/g/with space",
    ],
)
def test_a_graph_name_that_could_end_its_iri_is_refused_and_nothing_changes(name: str) -> None:
    store = Store(None)
    store.replace_graphs({A: graph("a")})
    with pytest.raises(TermError, match="refusing to write"):
        store.replace_graphs({URIRef(name): graph("evil")})
    with pytest.raises(TermError, match="refusing to write"):
        store.replace_graphs({}, remove=[URIRef(name)])
    assert by_graph(store) == {str(A): {"a"}}
    assert merged(store) == {"a"}


def test_exports_and_counts_carry_only_the_named_graphs() -> None:
    store = Store(None)
    store.replace_graphs({A: graph("x", "y"), B: graph("x")})
    assert store.count() == 3
    nquads = (store.export("nquads", None) or b"").decode().splitlines()
    assert len(nquads) == 3 and all(line.rstrip(" .").endswith(">") for line in nquads)
    turtle = Store(None)
    turtle.load_quads(store.export("nquads", None) or b"")
    assert merged(turtle) == {"x", "y"}


def test_a_store_written_without_the_merge_gets_it_when_opened(tmp_path: Path) -> None:
    raw = ox.Store(str(tmp_path / "s"))
    raw.add(
        ox.Quad(ox.NamedNode(str(S)), ox.NamedNode(str(P)), ox.Literal("old"), ox.NamedNode(str(A)))
    )
    raw.flush()
    del raw
    with Store(tmp_path / "s") as store:
        assert merged(store) == {"old"}
