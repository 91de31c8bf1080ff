"""Remote SPARQL 1.1 stores: run the library's queries through sparql.client, and push the
built graph (with its named graphs) into a store such as Virtuoso, GraphDB or Fuseki.

Credentials come from the environment only (POLICYGRAPH_ENDPOINT_USER and
POLICYGRAPH_ENDPOINT_PASSWORD); digest and basic authentication are both answered.

Push goes one of two ways:
- with a Graph Store URL (SPARQL 1.1 Graph Store HTTP Protocol), each named graph is sent
  whole as N-Triples with PUT, which replaces that graph and nothing else (Virtuoso:
  http://HOST:PORT/sparql-graph-crud-auth);
- otherwise through SPARQL Update on the endpoint: DROP SILENT GRAPH, then INSERT DATA in
  batches. Triples that carry blank nodes go in one `INSERT {…} WHERE {}` per graph, because
  INSERT DATA may not hold blank nodes (Virtuoso refuses them) and a blank node split across
  two requests would become two nodes.
After pushing, the triple count of each graph is read back and compared.
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib.term import Node

from ..errors import QueryError, RemoteError
from ..rdf import terms
from ..store import rq
from ..store.core import SelectResult, Store, from_ox
from .client import SparqlClient, Transport, decode_results
from .params import query_form, with_values
from .results import AskResult, GraphResult, QueryResult
from .wrapper import SPARQLWrapperTransport

__all__ = ["Endpoint", "PushReport", "push", "query", "select", "update"]

USER_ENV = "POLICYGRAPH_ENDPOINT_USER"
PASSWORD_ENV = "POLICYGRAPH_ENDPOINT_PASSWORD"


@dataclass(frozen=True)
class Endpoint:
    url: str
    user: str | None = None
    password: str | None = None
    timeout: float = 60.0
    # the HTTP seam (sparql.client.Transport); None: urllib with these credentials
    transport: Transport | None = field(default=None, compare=False)

    def client(self) -> SparqlClient:
        transport = self.transport or SPARQLWrapperTransport(self.user, self.password)
        return SparqlClient(self.url, timeout=self.timeout, transport=transport)

    @classmethod
    def from_env(cls, url: str, *, timeout: float = 60.0) -> Endpoint:
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise RemoteError(f"{url}: not an http(s) URL of a SPARQL endpoint")
        if parsed.username or parsed.password:
            raise RemoteError(
                f"do not put credentials in the URL; set {USER_ENV} and {PASSWORD_ENV} instead"
            )
        return cls(url, os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV), timeout)

    def __repr__(self) -> str:  # never print the password
        return f"Endpoint({self.url!r}, user={self.user!r})"


def query(endpoint: Endpoint, text: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
    """Run any query form remotely; `bindings` travel as a VALUES block (rdf/terms.py).
    SELECT and ASK are read as SPARQL JSON, CONSTRUCT and DESCRIBE as N-Triples."""
    client = endpoint.client()
    text = with_values(text, bindings or {})
    if query_form(text) in ("CONSTRUCT", "DESCRIBE"):
        return GraphResult(tuple(client.construct(text)))
    answer = decode_results(client.select_json(text), endpoint.url)
    if isinstance(answer, bool):
        return AskResult(answer)
    return SelectResult(*answer)


def select(
    endpoint: Endpoint, text: str, bindings: Mapping[str, Node] | None = None
) -> SelectResult:
    """Run a SELECT remotely (see `query`)."""
    result = query(endpoint, text, bindings)
    if not isinstance(result, SelectResult):
        raise QueryError(f"{endpoint.url}: expected a SELECT query")
    return result


def update(endpoint: Endpoint, text: str) -> None:
    """Send one SPARQL Update request."""
    endpoint.client().update(text)


# ---------------------------------------------------------------------- push


@dataclass(frozen=True)
class PushReport:
    graphs: int
    triples: int
    method: str  # "graph-store" or "sparql-update"


def _graph_triples(store: Store, graph: URIRef) -> list[tuple[Node, Node, Node]]:
    quads = store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(str(graph)))
    return [(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)) for q in quads]  # type: ignore[misc]


def _nt(triple: tuple[Node, Node, Node]) -> str:
    return " ".join(terms.term(t, blank=True) for t in triple) + " ."


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _remote_count(endpoint: Endpoint, graph: URIRef) -> int:
    res = select(endpoint, terms.fill_values(rq.load("graph_size"), {"graph": [graph]}))
    return int(str(res.rows[0][0])) if res.rows and res.rows[0][0] is not None else 0


def push(
    store: Store,
    endpoint: Endpoint,
    *,
    graph_store: str | None = None,
    batch_size: int = 500,
) -> PushReport:
    """Copy every named graph of the store to the remote store, replacing same-named graphs."""
    graphs = sorted(store.graph_names())
    total = 0
    for graph in graphs:
        triples = _graph_triples(store, graph)
        total += len(triples)
        if graph_store is not None:
            body = "\n".join(map(_nt, triples)).encode()
            endpoint.client().put_graph(graph_store, str(graph), body)
        else:
            _insert_graph(endpoint, graph, triples, batch_size)
        remote = _remote_count(endpoint, graph)
        if remote != len(triples):
            raise RemoteError(
                f"{endpoint.url}: graph <{graph}> holds {remote} triples after the push, "
                f"expected {len(triples)}"
            )
    return PushReport(len(graphs), total, "graph-store" if graph_store else "sparql-update")


def _insert_graph(
    endpoint: Endpoint, graph: URIRef, triples: list[tuple[Node, Node, Node]], batch_size: int
) -> None:
    g = str(graph)
    ground = [_nt(t) for t in triples if not any(isinstance(x, BNode) for x in t)]
    with_bnodes = [_nt(t) for t in triples if any(isinstance(x, BNode) for x in t)]
    update(endpoint, terms.drop_graph(g))
    for batch in _batches(ground, batch_size):
        update(endpoint, terms.insert_data("\n".join(batch), g))
    if with_bnodes:
        update(endpoint, terms.insert_data("\n".join(with_bnodes), g, blank_nodes=True))
