"""Requests a stranger could send to `policygraph serve`: disguised updates, federated
queries that would make the server fetch other machines' URLs, hostile parameter values,
oversized and malformed requests. None changes the store, reaches another host, or changes
what a library query asks. (tests/test_serve.py covers the plain cases.)"""

from __future__ import annotations

import http.client
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from policygraph.sparql.querying import bind_params, find_query, run_query
from policygraph.sparql.remote import Endpoint
from policygraph.store import Store
from tests.robustness.reliability import served

MARK = "<http://example.org/pwned> <http://example.org/p> <http://example.org/o>"
ASK_MARK = f"ASK {{ {MARK} }}"


@pytest.fixture(scope="module")
def server(seed_store_dir: Path) -> Iterator[str]:
    with served(seed_store_dir) as (_, base):
        yield base


@pytest.fixture()
def bystander() -> Iterator[tuple[str, list[str]]]:
    """Another HTTP server on this machine, which the endpoint must never call."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/sparql", hits
    finally:
        httpd.shutdown()
        httpd.server_close()


def request(
    base: str, query: str, *, method: str = "GET", field: str = "query"
) -> tuple[int, bytes]:
    data = urllib.parse.urlencode({field: query})
    if method == "GET":
        req = urllib.request.Request(f"{base}/sparql?{data}")
    else:
        req = urllib.request.Request(
            f"{base}/sparql",
            data=data.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    req.add_header("Accept", "application/sparql-results+json")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def marked(base: str) -> bool:
    status, body = request(base, ASK_MARK)
    assert status == 200
    return bool(json.loads(body)["boolean"])


@pytest.mark.parametrize(
    "update",
    [
        f"INSERT DATA {{ {MARK} }}",
        f"insert data {{ {MARK} }}",
        f"# a comment\nINSERT DATA {{ {MARK} }}",
        f"PREFIX ex: <http://example.org/> # note\nINSERT DATA {{ {MARK} }}",
        f"\\u0049NSERT DATA {{ {MARK} }}",
        f"WITH <http://example.org/g> INSERT {{ {MARK} }} WHERE {{}}",
        f"DELETE WHERE {{ ?s ?p ?o }} ; INSERT DATA {{ {MARK} }}",
        "CLEAR ALL",
        "DROP ALL",
        "LOAD <file:///etc/passwd>",
        f"SELECT * WHERE {{ ?s ?p ?o }} ; INSERT DATA {{ {MARK} }}",
    ],
)
@pytest.mark.parametrize("how", ["GET", "POST", "update-field"])
def test_no_disguised_update_changes_the_store(
    server: str, seed_store: Store, update: str, how: str
) -> None:
    status, _ = request(
        server,
        update,
        method="GET" if how == "GET" else "POST",
        field="update" if how == "update-field" else "query",
    )
    assert 400 <= status < 500
    assert not marked(server)
    assert not seed_store.ask(ASK_MARK)
    assert seed_store.ask("ASK { ?s ?p ?o }")  # nothing was cleared


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        "# SERVICE in a comment\nSELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        # an escaped # in a prefixed name is not a comment that hides what follows
        "PREFIX ex: <http://example.org/> SELECT * WHERE {{ BIND(ex:a\\# AS ?x) "
        "SERVICE <{url}> {{ ?s ?p ?o }} }}",
    ],
)
def test_a_federated_query_never_makes_the_server_call_out(
    server: str, bystander: tuple[str, list[str]], template: str
) -> None:
    url, hits = bystander
    status, body = request(server, template.format(url=url))
    assert status == 403 and b"SERVICE" in body
    assert hits == []


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?service WHERE { BIND('SERVICE' AS ?service) }",
        "SELECT ?x WHERE { BIND(<http://example.org/SERVICE> AS ?x) }",
        "PREFIX service: <http://example.org/> SELECT ?x WHERE { BIND(service:a AS ?x) }",
        "# uses no SERVICE\nSELECT (1 AS ?one) WHERE {}",
    ],
)
def test_the_word_service_elsewhere_is_not_refused(server: str, query: str) -> None:
    status, body = request(server, query)
    assert status == 200, body
    assert len(json.loads(body)["results"]["bindings"]) == 1


@pytest.mark.parametrize(
    "value",
    [
        'Access Now" } UNION { ?actor ?p ?actor_name } #',
        "Access Now'}#",
        'x"""\n}#',
        "} ; INSERT DATA { <http://example.org/pwned> <http://example.org/p> 1 } #",
        "\\u0022 } #",
        "Access Now",
    ],
)
def test_parameters_sent_to_the_endpoint_cannot_change_the_query(
    server: str, seed_store: Store, value: str
) -> None:
    info = find_query("cosigners")
    params = bind_params(info, {"actor_name": value})
    remote = run_query(info, params, endpoint=Endpoint(f"{server}/sparql"))
    local = run_query(info, params, store=seed_store)
    assert remote.rows == local.rows
    assert (len(local.rows) > 0) == (value == "Access Now")
    assert not marked(server)


def test_oversized_and_malformed_requests_are_refused(server: str) -> None:
    host, port = urllib.parse.urlsplit(server).netloc.split(":")
    # a query longer than the limit, in the URL
    status, _ = request(server, "SELECT * WHERE { ?s ?p ?o } #" + "x" * 200_000)
    assert status in (413, 414, 431, 400)
    # a body that claims to be huge
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.putrequest("POST", "/sparql")
    conn.putheader("Content-Type", "application/x-www-form-urlencoded")
    conn.putheader("Content-Length", str(50_000_000))
    conn.endheaders()
    assert conn.getresponse().status == 413
    conn.close()
    # bad Content-Length, unknown body type, an IRI that is not one
    for headers, body in (
        ({"Content-Type": "application/sparql-query", "Content-Length": "-5"}, b""),
        ({"Content-Type": "image/png"}, b"\x89PNG"),
    ):
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        conn.request("POST", "/sparql", body=body, headers=headers)
        assert 400 <= conn.getresponse().status < 500
        conn.close()
    bad_graph = urllib.parse.urlencode(
        {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": "not an iri>"}
    )
    try:
        with urllib.request.urlopen(f"{server}/sparql?{bad_graph}", timeout=30) as resp:
            status = resp.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    assert status == 400
    # …and the server still answers
    assert not marked(server)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000,
        "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "?o" + ")" * 5000 + ") }",
        "SELECT * WHERE { ?s " + "(" * 32000 + "<http://example.org/p>" + ")" * 32000 + " ?o }",
        "SELECT * WHERE " + "{ SELECT * WHERE " * 5000 + "{ ?s ?p ?o }" + " }" * 5000,
    ],
    ids=["groups", "filter", "path", "sub-selects"],
)
def test_deeply_nested_queries_are_refused_and_the_server_lives(server: str, query: str) -> None:
    status, body = request(server, query, method="POST")
    assert status == 400 and b"nests brackets more than" in body
    status, body = request(server, "SELECT (1 AS ?one) WHERE {}")
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["one"]["value"] == "1"


def test_a_query_nested_as_deep_as_the_library_s_runs(server: str) -> None:
    query = "SELECT * WHERE " + "{" * 20 + " ?s ?p ?o " + "}" * 20 + " LIMIT 1"
    status, body = request(server, query)
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 1
