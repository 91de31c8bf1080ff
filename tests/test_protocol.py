"""`policygraph serve` as a SPARQL 1.1 Protocol endpoint, used by the clients people have:
SPARQLWrapper (every query form × every return format it offers), rdflib's SPARQLStore, plain
HTTP (content negotiation, OPTIONS, Allow, Vary, the service description, CORS), and a page on
another origin in headless Chromium. Each answer is parsed and its content checked."""

from __future__ import annotations

import csv
import http.server
import io
import json
import shutil
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)

from policygraph.errors import NotAcceptable, UnknownNameError
from policygraph.sparql import protocol
from policygraph.sparql.querying import run_query
from policygraph.sparql.remote import Endpoint
from policygraph.sparql.results import AskResult, GraphResult
from policygraph.store import SelectResult, Store
from policygraph.vocab import ID, PG
from tests.support import SEEDS, stop_process_group
from tests.test_serve import get, start_server

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ACCESS_NOW = ID["actor/access-now"]
PREFIXES = (
    "PREFIX pg: <https://w3id.org/policygraph/ns#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
)
SELECT = PREFIXES + (
    "SELECT DISTINCT ?name WHERE { ?letter pg:signatory ?a . ?a skos:prefLabel ?name }"
)
ASK_TRUE = PREFIXES + f"ASK {{ ?letter pg:signatory <{ACCESS_NOW}> }}"
ASK_FALSE = PREFIXES + "ASK { ?letter pg:signatory <https://w3id.org/policygraph/id/actor/x> }"
CONSTRUCT = PREFIXES + (
    "CONSTRUCT { ?a skos:prefLabel ?name } "
    "WHERE { ?letter pg:signatory ?a . ?a skos:prefLabel ?name }"
)
DESCRIBE = f"DESCRIBE <{ACCESS_NOW}>"
SIGNATORIES = 58  # the seed letter's (data/documents/004_*.txt)


@pytest.fixture(scope="module")
def endpoint(seed_store_dir: Path) -> Iterator[str]:
    proc, base = start_server(seed_store_dir, "--cors")
    try:
        yield f"{base}/sparql"
    finally:
        stop_process_group(proc)


@pytest.fixture(scope="module")
def plain_endpoint(seed_store_dir: Path) -> Iterator[str]:
    """The same store served without --cors."""
    proc, base = start_server(seed_store_dir)
    try:
        yield f"{base}/sparql"
    finally:
        stop_process_group(proc)


def wrapper(endpoint: str, query: str, fmt: str | None, method: str) -> Any:
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(query)
    sw.setMethod(method)
    if fmt is not None:
        sw.setReturnFormat(fmt)
    return sw.query()


# ---------------------------------------------------------------------- SPARQLWrapper


def _select_names(fmt: str | None, result: Any) -> list[str]:
    if fmt == JSON:
        data = result.convert()
        return [b["name"]["value"] for b in data["results"]["bindings"]]
    if fmt in (XML, None):  # SPARQLWrapper's default is XML: a DOM of SPARQL results XML
        dom = result.convert()
        return [e.firstChild.data for e in dom.getElementsByTagName("literal")]
    text = result.convert().decode("utf-8")
    if fmt == CSV:
        return [row["name"] for row in csv.DictReader(io.StringIO(text))]
    lines = text.splitlines()
    assert lines[0] == "?name"
    return [json.loads(line) for line in lines[1:]]  # TSV: "…" terms, escaped as in Turtle


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("fmt", [None, JSON, XML, CSV, TSV])
def test_sparqlwrapper_select_in_every_format(endpoint: str, fmt: str | None, method: str) -> None:
    names = _select_names(fmt, wrapper(endpoint, SELECT, fmt, method))
    assert len(names) == SIGNATORIES
    assert {"Access Now", "Electronic Frontier Foundation"} <= set(names)
    assert "Asociación por los Derechos Civiles" in names  # UTF-8 survives every format


def _ask_answer(fmt: str | None, result: Any) -> bool:
    if fmt == JSON:
        return bool(result.convert()["boolean"])
    if fmt in (XML, None):
        dom = result.convert()
        return dom.getElementsByTagName("boolean")[0].firstChild.data == "true"
    return {"true": True, "false": False}[result.convert().decode().strip()]


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("fmt", [None, JSON, XML, CSV, TSV])
def test_sparqlwrapper_ask_in_every_format(endpoint: str, fmt: str | None, method: str) -> None:
    assert _ask_answer(fmt, wrapper(endpoint, ASK_TRUE, fmt, method)) is True
    assert _ask_answer(fmt, wrapper(endpoint, ASK_FALSE, fmt, method)) is False


def _graph(fmt: str | None, result: Any) -> Graph:
    converted = result.convert()
    if isinstance(converted, Graph):  # XML/RDFXML and JSON-LD: parsed by SPARQLWrapper
        return converted
    assert isinstance(converted, bytes)
    return Graph().parse(data=converted, format={TURTLE: "turtle", N3: "n3"}[fmt or ""])


GRAPH_FORMATS = [None, XML, RDFXML, TURTLE, N3, JSONLD]


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_sparqlwrapper_construct_in_every_format(
    endpoint: str, fmt: str | None, method: str
) -> None:
    g = _graph(fmt, wrapper(endpoint, CONSTRUCT, fmt, method))
    assert len(g) == SIGNATORIES
    assert (ACCESS_NOW, SKOS.prefLabel, Literal("Access Now")) in g
    assert set(g.predicates()) == {SKOS.prefLabel}


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_sparqlwrapper_describe_in_every_format(
    endpoint: str, fmt: str | None, method: str
) -> None:
    g = _graph(fmt, wrapper(endpoint, DESCRIBE, fmt, method))
    assert (ACCESS_NOW, SKOS.prefLabel, Literal("Access Now")) in g
    assert (ACCESS_NOW, RDF.type, PG.Actor) in g
    assert set(g.subjects()) == {ACCESS_NOW}  # a description of that resource only


def test_the_graph_formats_are_the_ones_asked_for(endpoint: str) -> None:
    """SPARQLWrapper's default CONSTRUCT (format=xml, Accept RDF/XML) gets RDF/XML, not 406 or
    SPARQL results XML."""
    result = wrapper(endpoint, CONSTRUCT, None, GET)
    assert result.info()["content-type"].startswith("application/rdf+xml")
    result = wrapper(endpoint, CONSTRUCT, JSONLD, GET)
    assert result.info()["content-type"].startswith("application/ld+json")
    result = wrapper(endpoint, SELECT, None, GET)
    assert result.info()["content-type"].startswith("application/sparql-results+xml")


# ---------------------------------------------------------------------- rdflib SPARQLStore


def test_rdflib_sparqlstore_runs_every_query_form(endpoint: str) -> None:
    graph = Graph(SPARQLStore(endpoint, returnFormat="xml"))
    names = {str(row[0]) for row in graph.query(SELECT)}  # type: ignore[index]
    assert len(names) == SIGNATORIES and "Access Now" in names
    assert graph.query(ASK_TRUE).askAnswer is True
    assert graph.query(ASK_FALSE).askAnswer is False
    constructed = graph.query(CONSTRUCT).graph
    assert constructed is not None and len(constructed) == SIGNATORIES
    described = graph.query(DESCRIBE).graph
    assert described is not None and (ACCESS_NOW, RDF.type, PG.Actor) in described
    # the store's own pattern API goes through the endpoint too
    assert (ACCESS_NOW, SKOS.prefLabel, Literal("Access Now")) in graph


# ---------------------------------------------------------------------- negotiation


def sparql_url(endpoint: str, query: str, **extra: str) -> str:
    return f"{endpoint}?{urllib.parse.urlencode({'query': query, **extra})}"


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/turtle;q=0.5, application/rdf+xml", "application/rdf+xml"),
        ("application/n-triples", "application/n-triples"),
        ("application/n-quads", "application/n-quads"),
        ("application/trig", "application/trig"),
        ("application/ld+json;q=0.9, text/html", "application/ld+json"),
        ("text/*", "text/turtle"),
        ("*/*", "text/turtle"),
        ("", "text/turtle"),
        ("application/sparql-results+xml, application/rdf+xml, */*", "application/rdf+xml"),
    ],
)
def test_graph_answers_follow_accept(endpoint: str, accept: str, media: str) -> None:
    status, headers, body = get(sparql_url(endpoint, CONSTRUCT), accept or None)
    assert status == 200 and headers["Content-Type"].split(";")[0] == media
    assert "Accept" in headers["Vary"]
    fmt = {
        "application/rdf+xml": "xml",
        "application/n-triples": "nt",
        "application/n-quads": "nquads",
        "application/trig": "trig",
        "application/ld+json": "json-ld",
        "text/turtle": "turtle",
    }[media]
    g = Graph().parse(data=body, format=fmt) if fmt not in ("nquads", "trig") else None
    if g is None:
        from rdflib import Dataset

        ds = Dataset()
        ds.parse(data=body, format=fmt)
        assert len(list(ds.quads())) == SIGNATORIES
    else:
        assert len(g) == SIGNATORIES and (ACCESS_NOW, SKOS.prefLabel, Literal("Access Now")) in g


def test_the_format_parameter_is_a_fallback_read_by_result_kind(endpoint: str) -> None:
    status, headers, body = get(sparql_url(endpoint, CONSTRUCT, format="xml"))
    assert status == 200 and headers["Content-Type"].startswith("application/rdf+xml")
    assert len(Graph().parse(data=body, format="xml")) == SIGNATORIES
    status, headers, body = get(sparql_url(endpoint, SELECT, format="xml"))
    assert headers["Content-Type"].startswith("application/sparql-results+xml")
    status, headers, body = get(sparql_url(endpoint, SELECT, output="csv"))
    assert headers["Content-Type"].startswith("text/csv")
    # Accept, when it names a type, wins over the parameter
    status, headers, body = get(sparql_url(endpoint, SELECT, format="json"), "text/csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_the_query_page_download_buttons_get_their_format(endpoint: str) -> None:
    """The page's CSV and JSON buttons are plain form posts: the browser's Accept asks for a
    page, so the `format` field decides."""
    for fmt, media in [("csv", "text/csv"), ("json", "application/sparql-results+json")]:
        request = urllib.request.Request(
            endpoint,
            data=urllib.parse.urlencode({"query": SELECT, "format": fmt}).encode(),
            headers={"Accept": BROWSER_ACCEPT},
        )
        with urllib.request.urlopen(request, timeout=30) as resp:
            assert resp.headers["Content-Type"].startswith(media)
            body = resp.read().decode()
        names = (
            [r["name"] for r in csv.DictReader(io.StringIO(body))]
            if fmt == "csv"
            else [b["name"]["value"] for b in json.loads(body)["results"]["bindings"]]
        )
        assert len(names) == SIGNATORIES and "Access Now" in names


def test_nothing_acceptable_is_406_and_only_then(endpoint: str) -> None:
    status, headers, body = get(sparql_url(endpoint, SELECT), "image/png")
    assert status == 406 and b"application/sparql-results+json" in body
    assert "Accept" in headers["Vary"]
    status, _, _ = get(sparql_url(endpoint, SELECT), "text/turtle")  # a graph type for rows
    assert status == 406
    status, headers, _ = get(sparql_url(endpoint, SELECT), "image/png, */*;q=0.1")
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    status, headers, _ = get(sparql_url(endpoint, SELECT), "text/csv;q=0, */*;q=0.1")
    assert status == 200 and not headers["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize(
    ("kind", "accept", "fallback", "name"),
    [
        ("results", "application/sparql-results+xml;q=0.8, text/csv", (), "csv"),
        ("results", "text/csv;q=0.5, */*", (), "json"),  # */* at q=1 beats csv at 0.5
        ("results", "application/*", (), "json"),
        ("results", "text/*", (), "csv"),
        ("results", "", ("xml",), "xml"),
        ("graph", "", ("xml",), "rdfxml"),
        ("graph", "*/*", ("json",), "jsonld"),
        ("graph", "*/*", ("tsv", "text/tab-separated-values"), "turtle"),  # no graph as TSV
        ("graph", "text/n3", (), "turtle"),
        ("results", BROWSER_ACCEPT, ("csv",), "csv"),
        ("results", BROWSER_ACCEPT, (), "xml"),  # application/xml;q=0.9 is offered
        ("graph", "application/x-turtle;q=0.2, application/n-triples;q=0.3", (), "ntriples"),
    ],
)
def test_choose(kind: protocol.Kind, accept: str, fallback: tuple[str, ...], name: str) -> None:
    assert protocol.choose(kind, accept, fallback).name == name


def test_choose_refuses_when_nothing_fits() -> None:
    with pytest.raises(NotAcceptable):
        protocol.choose("graph", "text/csv, application/sparql-results+json")
    with pytest.raises(NotAcceptable):
        protocol.choose("results", "text/turtle;q=1, */*;q=0")


# ---------------------------------------------------------------------- methods, description


def request(url: str, method: str, headers: dict[str, str] | None = None) -> Any:
    import http.client

    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request(
        method, parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers or {}
    )
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp


def test_options_and_405_say_what_is_allowed(endpoint: str, plain_endpoint: str) -> None:
    for url in (endpoint, plain_endpoint):
        resp = request(url, "OPTIONS")
        assert resp.status == 204
        assert set(resp.getheader("Allow").split(", ")) == {"GET", "HEAD", "POST", "OPTIONS"}
        for method in ("PUT", "DELETE", "PATCH"):
            resp = request(url, method)
            assert resp.status == 405 and "POST" in resp.getheader("Allow")
        root = url.removesuffix("/sparql") + "/"
        resp = request(root, "POST")
        assert resp.status == 405 and resp.getheader("Allow") == "GET, HEAD, OPTIONS"


def test_cors_only_when_asked_for(endpoint: str, plain_endpoint: str) -> None:
    preflight = {
        "Origin": "http://elsewhere.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    resp = request(endpoint, "OPTIONS", preflight)
    assert resp.status == 204
    assert resp.getheader("Access-Control-Allow-Origin") == "*"
    assert "POST" in resp.getheader("Access-Control-Allow-Methods")
    assert "content-type" in resp.getheader("Access-Control-Allow-Headers").lower()
    resp = request(sparql_url(endpoint, ASK_TRUE), "GET", {"Origin": "http://elsewhere.example"})
    assert resp.status == 200 and resp.getheader("Access-Control-Allow-Origin") == "*"
    resp = request(plain_endpoint, "OPTIONS", preflight)
    assert resp.status == 204 and resp.getheader("Access-Control-Allow-Origin") is None


def test_get_without_a_query_is_the_service_description(endpoint: str) -> None:
    for accept, fmt in [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        (None, "turtle"),
    ]:
        status, headers, body = get(endpoint, accept)
        assert status == 200 and "Accept" in headers["Vary"]
        g = Graph().parse(data=body, format=fmt)
        service = URIRef(endpoint)
        assert (service, RDF.type, SD.Service) in g
        assert (service, SD.endpoint, service) in g
        assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
        formats = set(g.objects(service, SD.resultFormat))
        assert {FORMATS.SPARQL_Results_JSON, FORMATS.Turtle, FORMATS["JSON-LD"]} <= formats
        assert (FORMATS.SPARQL_Results_CSV in formats) and (FORMATS.TriG in formats)


# ---------------------------------------------------------------------- a build while serving


def test_serve_sees_documents_built_after_it_started(tmp_path: Path) -> None:
    store = tmp_path / "store"
    docs = sorted(Path(SEEDS).glob("*.txt"))
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    shutil.copy(docs[0], first)
    shutil.copy(docs[1], second)
    cli = [sys.executable, "-m", "policygraph"]
    subprocess.run(
        [*cli, "build", str(first), "--store", str(store)], check=True, capture_output=True
    )
    count = PREFIXES + "SELECT (COUNT(?d) AS ?n) WHERE { ?d a pg:SourceDocument }"
    proc, base = start_server(store)
    try:

        def documents() -> int:
            status, _, body = get(sparql_url(f"{base}/sparql", count), "application/json")
            assert status == 200
            return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])

        assert documents() == 1
        subprocess.run(
            [*cli, "build", str(second), "--store", str(store)], check=True, capture_output=True
        )
        assert documents() == 2
        assert documents() == 2  # and it stays so (no reopening on an unchanged store)
    finally:
        stop_process_group(proc)


# ---------------------------------------------------------------------- another origin


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<!doctype html><title>elsewhere</title><p>a page on another origin</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def other_origin() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


FETCH = """(async () => {
  try {
    const get = await fetch(%(get)s, {headers: {"Accept": "application/sparql-results+json"}});
    const rows = (await get.json()).results.bindings.length;
    const post = await fetch(%(endpoint)s, {
      method: "POST",
      headers: {"Content-Type": "application/sparql-query", "Accept": "text/turtle"},
      body: %(construct)s,
    });
    return {rows: rows, type: post.headers.get("Content-Type"), turtle: await post.text()};
  } catch (e) {
    return {error: String(e)};
  }
})()"""


@pytest.mark.chromium
def test_a_page_on_another_origin_queries_serve_with_cors(
    endpoint: str, plain_endpoint: str, other_origin: str
) -> None:
    import tests.browser
    from tests.support import require_system

    executable = require_system("chromium")
    with tests.browser.chromium(executable, loopback=True) as browser:
        page = browser.open("about:blank")
        page.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        page.navigate(other_origin)
        assert page.evaluate("location.origin") != endpoint.removesuffix("/sparql")

        def run(url: str) -> dict[str, Any]:
            script = FETCH % {
                "get": json.dumps(sparql_url(url, SELECT)),
                "endpoint": json.dumps(url),
                "construct": json.dumps(CONSTRUCT),
            }
            answer = page.evaluate(script)
            assert isinstance(answer, dict)
            return answer

        answer = run(endpoint)
        assert answer.get("rows") == SIGNATORIES, answer
        assert answer["type"].startswith("text/turtle")
        g = Graph().parse(data=answer["turtle"], format="turtle")
        assert (ACCESS_NOW, SKOS.prefLabel, Literal("Access Now")) in g
        # without --cors the browser refuses the answer to the page
        refused = run(plain_endpoint)
        assert "error" in refused and "fetch" in refused["error"].lower()


# ---------------------------------------------------------------------- the library, remotely


def test_run_query_on_an_endpoint_runs_every_form_and_looks_names_up(
    endpoint: str, seed_store: Store
) -> None:
    remote = Endpoint(endpoint)
    assert run_query(ASK_TRUE, endpoint=remote) == AskResult(True)
    assert run_query("ASK { ?l pg:signatory ?a }", endpoint=remote) == AskResult(True)
    graph = run_query(CONSTRUCT, endpoint=remote)
    assert isinstance(graph, GraphResult) and len(graph) == SIGNATORIES
    there = run_query("cosigners", {"actor_name": "eff"}, endpoint=remote)
    here = run_query("cosigners", {"actor_name": "EFF"}, store=seed_store)
    assert isinstance(there, SelectResult) and isinstance(here, SelectResult)
    assert there.rows == here.rows and there.rows
    with pytest.raises(UnknownNameError, match="did you mean Access Now"):
        run_query("cosigners", {"actor_name": "Acess Now"}, endpoint=remote)
