"""The store's merged default graph stays in step with the named graphs."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

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
