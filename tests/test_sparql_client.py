"""The one SPARQL HTTP client, through its transport seam: what each kind of answer becomes
(the same client serves remote queries, push and the Wikidata linker; their real-server tests
are in test_remote_virtuoso.py, test_linking.py and robustness/test_remote_faults.py)."""

from __future__ import annotations

import json
import urllib.parse

import pytest
from rdflib import Literal, URIRef

from policygraph.errors import QueryError, RefusedError, RemoteError, TransientError
from policygraph.sparql.client import Request, Response, SparqlClient
from policygraph.sparql.remote import Endpoint, query
from policygraph.sparql.results import AskResult

URL = "http://sparql.test/sparql"
SELECT = {
    "head": {"vars": ["s", "n"]},
    "results": {
        "bindings": [
            {
                "s": {"type": "uri", "value": "http://x/a"},
                "n": {"type": "literal", "value": "hé", "xml:lang": "fr"},
            },
            {"s": {"type": "uri", "value": "http://x/b"}},
        ]
    },
}


def answering(status: int, body: bytes, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    sent: list[Request] = []

    def transport(request: Request, timeout: float) -> Response:
        sent.append(request)
        return Response(status, headers or {}, body, "Reason")

    return transport, sent


def test_a_select_is_posted_as_a_form_and_read_as_terms() -> None:
    transport, sent = answering(200, json.dumps(SELECT).encode())
    result = query(Endpoint(URL, transport=transport), "SELECT ?s ?n WHERE { ?s ?p ?n }")
    assert result.rows == (
        (URIRef("http://x/a"), Literal("hé", lang="fr")),
        (URIRef("http://x/b"), None),
    )  # type: ignore[union-attr]
    (request,) = sent
    assert request.method == "POST" and request.url == URL
    assert urllib.parse.parse_qs(request.body.decode())["query"] == [  # type: ignore[union-attr]
        "SELECT ?s ?n WHERE { ?s ?p ?n }"
    ]
    assert request.headers["User-Agent"].startswith("policygraph/")


def test_an_ask_answer_is_a_boolean() -> None:
    transport, _ = answering(200, b'{"head": {}, "boolean": true}')
    assert query(Endpoint(URL, transport=transport), "ASK { ?s ?p ?o }") == AskResult(True)


def test_a_refused_query_is_a_query_error_and_a_remote_error() -> None:
    transport, _ = answering(400, b"Parse error\nline 1")
    with pytest.raises(RefusedError) as info:
        SparqlClient(URL, transport=transport).select_json("SELEKT")
    assert isinstance(info.value, QueryError) and isinstance(info.value, RemoteError)
    assert (
        str(info.value)
        == f"the endpoint {URL} refused the query: HTTP 400 Reason: Parse error line 1"
    )


@pytest.mark.parametrize(
    ("status", "headers", "body", "problem", "wait"),
    [
        (429, {"retry-after": "7"}, b"", "too many requests (HTTP 429)", 7.0),
        (503, {}, b"busy", "HTTP 503: busy", None),
        (200, {}, b'{"head": {"va', "the answer is not valid JSON", None),
        (200, {}, b'{"a": 1}', "the answer is JSON but not SPARQL results", None),
    ],
)
def test_what_is_worth_retrying_is_transient(
    status: int, headers: dict[str, str], body: bytes, problem: str, wait: float | None
) -> None:
    transport, _ = answering(status, body, headers)
    with pytest.raises(TransientError) as info:
        SparqlClient(URL, transport=transport).select_json("SELECT * {}")
    assert info.value.problem.startswith(problem) and info.value.wait == wait
    assert str(info.value).startswith(URL)


def test_a_transport_failure_becomes_one_transient_error() -> None:
    def down(request: Request, timeout: float) -> Response:
        raise ConnectionRefusedError(111, "Connection refused")

    with pytest.raises(TransientError, match=r"connection failed: .*Connection refused"):
        SparqlClient(URL, transport=down).update("CLEAR ALL")
