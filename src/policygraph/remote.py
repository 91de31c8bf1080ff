"""Remote SPARQL 1.1 stores: run the library's queries through SPARQLWrapper, and push the
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
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from http.client import HTTPException
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node
from SPARQLWrapper import CONSTRUCT, DESCRIBE, DIGEST, JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from .errors import QueryError, RemoteError
from .params import with_values
from .results import AskResult, GraphResult, QueryResult
from .store import SelectResult, Store, from_ox

__all__ = ["Endpoint", "PushReport", "push", "query", "select", "update"]

USER_ENV = "POLICYGRAPH_ENDPOINT_USER"
PASSWORD_ENV = "POLICYGRAPH_ENDPOINT_PASSWORD"


@dataclass(frozen=True)
class Endpoint:
    url: str
    user: str | None = None
    password: str | None = None
    timeout: float = 60.0

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


def _wrapper(endpoint: Endpoint, text: str) -> SPARQLWrapper:
    sw = SPARQLWrapper(endpoint.url)
    sw.setMethod(POST)
    sw.setTimeout(int(endpoint.timeout))
    if endpoint.user is not None:
        sw.setHTTPAuth(DIGEST)
        sw.setCredentials(endpoint.user, endpoint.password or "")
    sw.setQuery(text)
    return sw


def _term(binding: Mapping[str, str]) -> Node:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in binding:
            return Literal(value, lang=binding["xml:lang"])
        datatype = binding.get("datatype")
        if datatype and datatype != str(XSD.string):
            return Literal(value, datatype=URIRef(datatype))
        return Literal(value)
    raise RemoteError(f"the endpoint returned a term of unknown type {kind!r}")


def _describe(exc: Exception) -> str:
    text = str(exc)
    if isinstance(exc, urllib.error.HTTPError):
        body = exc.read().decode("utf-8", "replace").strip()
        text = f"HTTP {exc.code} {exc.reason}: {body[:500]}"
    return " ".join(text.split())[:600]


def _fetch(sw: SPARQLWrapper, endpoint: Endpoint) -> Any:
    try:
        with warnings.catch_warnings():
            # SPARQLWrapper warns (on stderr) about an unexpected content type; the checks
            # after this turn that case into one clear error instead.
            warnings.simplefilter("ignore", RuntimeWarning)
            return sw.queryAndConvert()
    except SPARQLWrapperException as exc:
        raise QueryError(
            f"the endpoint {endpoint.url} refused the query: {_describe(exc)}"
        ) from exc
    except (urllib.error.URLError, OSError, HTTPException) as exc:
        raise RemoteError(f"{endpoint.url}: {_describe(exc)}") from exc
    except ValueError as exc:  # a body cut short or not in the format asked for
        raise RemoteError(f"{endpoint.url}: the answer cannot be read ({exc})") from exc


def query(endpoint: Endpoint, text: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
    """Run any query form remotely; `bindings` travel as a VALUES block of rdflib terms.
    SELECT and ASK are read as SPARQL JSON, CONSTRUCT and DESCRIBE as N-Triples."""
    sw = _wrapper(endpoint, with_values(text, bindings or {}))
    if sw.queryType in (CONSTRUCT, DESCRIBE):
        sw.setReturnFormat(TURTLE)
        sw.setOnlyConneg(True)
        sw.addCustomHttpHeader("Accept", "application/n-triples, text/turtle;q=0.9")
        data = _fetch(sw, endpoint)
        graph = Graph()
        try:
            body = data if isinstance(data, bytes) else str(data).encode()
            graph.parse(data=body, format="turtle")  # N-Triples is Turtle
        except Exception as exc:  # rdflib raises many kinds of parse errors
            raise RemoteError(f"{endpoint.url}: the graph answer is not RDF ({exc})") from exc
        return GraphResult(tuple(graph))
    sw.setReturnFormat(JSON)
    data = _fetch(sw, endpoint)
    if isinstance(data, dict) and isinstance(data.get("boolean"), bool):
        return AskResult(data["boolean"])
    try:
        variables = tuple(str(v) for v in data["head"].get("vars", ()))
        rows = tuple(
            tuple(_term(b[v]) if v in b else None for v in variables)
            for b in data["results"]["bindings"]
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise RemoteError(f"{endpoint.url}: the answer is not SPARQL JSON results") from exc
    except RemoteError as exc:
        raise RemoteError(f"{endpoint.url}: {exc}") from exc
    return SelectResult(variables, rows)


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
    sw = _wrapper(endpoint, text)
    try:
        sw.query()
    except SPARQLWrapperException as exc:
        raise RemoteError(
            f"the endpoint {endpoint.url} refused the update: {_describe(exc)}"
        ) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise RemoteError(f"{endpoint.url}: {_describe(exc)}") from exc


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
    return " ".join(str(t.n3()) for t in triple) + " ."


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _opener(url: str, endpoint: Endpoint) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = []
    if endpoint.user is not None:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, endpoint.user, endpoint.password or "")
        handlers += [
            urllib.request.HTTPDigestAuthHandler(passwords),
            urllib.request.HTTPBasicAuthHandler(passwords),
        ]
    return urllib.request.build_opener(*handlers)


def _put_graph(graph_store: str, endpoint: Endpoint, graph: URIRef, body: bytes) -> None:
    sep = "&" if "?" in graph_store else "?"
    url = f"{graph_store}{sep}{urllib.parse.urlencode({'graph': str(graph)})}"
    # N-Triples is Turtle too; text/turtle is the type every Graph Store accepts.
    request = urllib.request.Request(
        url, data=body, method="PUT", headers={"Content-Type": "text/turtle; charset=utf-8"}
    )
    try:
        with _opener(graph_store, endpoint).open(request, timeout=endpoint.timeout) as resp:
            resp.read()
    except (urllib.error.URLError, OSError) as exc:
        raise RemoteError(
            f"{graph_store}: storing graph <{graph}> failed: {_describe(exc)}"
        ) from exc


def _remote_count(endpoint: Endpoint, graph: URIRef) -> int:
    res = select(endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph.n3()} {{ ?s ?p ?o }} }}")
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
            _put_graph(graph_store, endpoint, graph, "\n".join(map(_nt, triples)).encode())
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
    g = graph.n3()
    ground = [_nt(t) for t in triples if not any(isinstance(x, BNode) for x in t)]
    with_bnodes = [_nt(t) for t in triples if any(isinstance(x, BNode) for x in t)]
    update(endpoint, f"DROP SILENT GRAPH {g}")
    for batch in _batches(ground, batch_size):
        update(endpoint, f"INSERT DATA {{ GRAPH {g} {{\n" + "\n".join(batch) + "\n} }")
    if with_bnodes:
        update(endpoint, f"INSERT {{ GRAPH {g} {{\n" + "\n".join(with_bnodes) + "\n} } WHERE {}")
