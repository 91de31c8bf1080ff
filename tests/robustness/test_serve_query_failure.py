"""A query the engine fails on while running it is a clean 500 and one log line, not a
traceback, in the thread runner (a fixed store) and in worker processes (a store folder);
the server keeps answering (issue 19, item 8)."""

from __future__ import annotations

import logging
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from policygraph.serve import ServeConfig, create_server
from policygraph.store import Store
from policygraph.store.view import StoreView

# Parsed fine; Oxigraph fails when it evaluates the call (RuntimeError "not supported").
FAILING = "SELECT ?o WHERE { ?s ?p ?o FILTER(<https://example.org/no-such-function>(?o)) }"
QUAD = '<https://example.org/s> <https://example.org/p> "x" <https://example.org/g> .\n'
WORKING = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(params=["threads", "processes"])
def endpoint(request: pytest.FixtureRequest, seed_store_dir: Path) -> Iterator[str]:
    store: Store | StoreView
    if request.param == "threads":
        store = Store(None)
        store.load_quads(QUAD)
    else:
        store = StoreView(seed_store_dir)
    server = create_server(store, ServeConfig(port=0, views_dir=None, workers=2))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}/sparql"
    finally:
        server.close()
        server.runner.close()
        store.close()


def ask(endpoint: str, query: str) -> tuple[int, str, str]:
    url = endpoint + "?" + urllib.parse.urlencode({"query": query})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode()


def test_a_query_failing_while_it_runs_is_a_clean_500_and_one_log_line(
    endpoint: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    status, ctype, body = ask(endpoint, FAILING)
    assert status == 500
    assert ctype.startswith("text/plain")
    assert body.startswith("the query failed:")
    assert "no-such-function" in body
    assert "Traceback" not in body
    assert body.count("\n") == 1
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, [r.getMessage() for r in errors]
    assert errors[0].exc_info is None  # no traceback
    assert "\n" not in errors[0].getMessage()
    assert "no-such-function" in errors[0].getMessage()
    # and the server answers the next query
    status, _, body = ask(endpoint, WORKING)
    assert status == 200
    assert '"n"' in body
