"""`policygraph serve` as a real server in a subprocess on 127.0.0.1, used through SPARQLWrapper
and plain HTTP: the library answers as on the store, updates are refused, nothing else leaks."""

from __future__ import annotations

import http.client
import json
import re
import select
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from SPARQLWrapper import POST, SPARQLWrapper

from policygraph.sparql.querying import (
    bind_params,
    find_query,
    load_library,
    run_library,
    run_query,
)
from policygraph.sparql.remote import Endpoint
from policygraph.store import Store
from tests.support import stop_process_group

ASK_INSERTED = "ASK { <http://example.org/x> <http://example.org/p> <http://example.org/y> }"
INSERT = "INSERT DATA { <http://example.org/x> <http://example.org/p> <http://example.org/y> }"


def start_server(store_dir: Path, *extra: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "policygraph",
            "serve",
            "--store",
            str(store_dir),
            "--port",
            "0",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], 60)
    line = proc.stdout.readline() if ready else ""
    match = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
    if not match:
        stop(proc)
        pytest.fail(f"serve did not announce its address: {line!r}")
    return proc, match[1]


def stop(proc: subprocess.Popen[str]) -> None:
    stop_process_group(proc)


@pytest.fixture(scope="module")
def views(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("out")
    (folder / "network.html").write_text("<html><body>the network</body></html>")
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.html"
    secret.write_text("secret")
    (folder / "leak.html").symlink_to(secret)
    return folder


@pytest.fixture(scope="module")
def server(seed_store_dir: Path, views: Path) -> Iterator[str]:
    proc, base = start_server(seed_store_dir, "--views", str(views))
    try:
        yield base
    finally:
        stop(proc)


def get(url: str, accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def post(url: str, body: bytes, content_type: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def sparql_get(base: str, query: str, accept: str) -> tuple[int, dict[str, str], bytes]:
    return get(f"{base}/sparql?{urllib.parse.urlencode({'query': query})}", accept)


def test_listens_on_loopback(server: str) -> None:
    assert server.startswith("http://127.0.0.1:")


def test_the_library_through_sparqlwrapper_matches_the_store(
    server: str, seed_store: Store
) -> None:
    local = run_library(seed_store)
    remote = run_library(endpoint=Endpoint(f"{server}/sparql"))
    for (info, here), (_, there) in zip(local, remote, strict=True):
        assert here.variables == there.variables, info.name
        assert here.rows == there.rows, info.name
    info = find_query("quotes-by-actor")
    rows = run_query(
        info,
        bind_params(info, {"speaker_name": "Raman Jit Singh Chima"}),
        endpoint=Endpoint(f"{server}/sparql"),
    ).rows
    assert len(rows) == 1 and "should not force companies" in str(rows[0][2])


def test_an_update_is_refused(server: str, seed_store: Store) -> None:
    sw = SPARQLWrapper(f"{server}/sparql")
    sw.setMethod(POST)
    sw.setQuery(INSERT)
    with pytest.raises(urllib.error.HTTPError) as info:
        sw.query()
    assert info.value.code == 403
    status, body = post(f"{server}/sparql", INSERT.encode(), "application/sparql-update")
    assert status == 403 and b"read-only" in body
    status, body = post(
        f"{server}/sparql",
        urllib.parse.urlencode({"query": INSERT}).encode(),
        "application/x-www-form-urlencoded",
    )
    assert status == 403
    status, _, body = sparql_get(server, ASK_INSERTED, "application/sparql-results+json")
    assert status == 200 and json.loads(body)["boolean"] is False
    assert not seed_store.ask(ASK_INSERTED)


def test_results_formats_by_content_negotiation(server: str) -> None:
    query = (
        'SELECT ?t WHERE { VALUES ?t { "e2ee" "backdoors" } '
        "?c <http://www.w3.org/2004/02/skos/core#notation> ?t } ORDER BY ?t"
    )
    status, headers, body = sparql_get(server, query, "text/csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert body.decode().split("\r\n")[:3] == ["t", "backdoors", "e2ee"]
    status, headers, body = sparql_get(server, query, "text/tab-separated-values")
    assert body.decode().splitlines()[:2] == ["?t", '"backdoors"']
    status, headers, body = sparql_get(server, query, "application/sparql-results+xml")
    assert headers["Content-Type"].startswith("application/sparql-results+xml")
    assert b"<literal>backdoors</literal>" in body
    status, headers, body = sparql_get(server, query, "text/html;q=0.9, */*;q=0.1")
    assert json.loads(body)["results"]["bindings"][0]["t"]["value"] == "backdoors"
    status, _, _ = sparql_get(server, query, "image/png")
    assert status == 406


def test_construct_as_turtle_and_ntriples(server: str) -> None:
    query = (
        "CONSTRUCT { ?c <http://www.w3.org/2004/02/skos/core#notation> ?t } "
        'WHERE { VALUES ?t { "e2ee" "backdoors" } '
        "?c <http://www.w3.org/2004/02/skos/core#notation> ?t }"
    )
    status, headers, body = sparql_get(server, query, "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert b'"backdoors"' in body
    status, headers, body = sparql_get(server, query, "application/n-triples")
    lines = [x for x in body.decode().splitlines() if x]
    assert len(lines) == 2 and all(x.endswith(" .") for x in lines)


def test_bad_queries_and_requests(server: str) -> None:
    status, _, body = sparql_get(server, "SELECT ?x WHERE { ?x ", "application/json")
    assert status == 400 and b"bad query" in body
    status, _ = post(f"{server}/sparql", b"", "application/x-www-form-urlencoded")
    assert status == 400  # a POST without a query (a GET without one is the description)
    # a body over the limit is refused on its Content-Length, before it is read
    host, port = urllib.parse.urlsplit(server).netloc.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.putrequest("POST", "/sparql")
    conn.putheader("Content-Type", "application/sparql-query")
    conn.putheader("Content-Length", str(2_000_000))
    conn.endheaders()
    assert conn.getresponse().status == 413
    conn.close()


def test_query_page_with_the_library_and_the_views(server: str) -> None:
    status, headers, body = get(f"{server}/")
    assert status == 200 and "script-src 'self'" in headers["Content-Security-Policy"]
    assert b"/sparql" in body
    status, _, body = get(f"{server}/library.json")
    data = json.loads(body)
    assert [q["name"] for q in data["queries"]] == [q.name for q in load_library()]
    assert data["queries"][0]["question"] and "SELECT" in data["queries"][0]["text"]
    assert data["views"] == ["network.html"]  # the symlink out of the folder is not offered
    status, _, body = get(f"{server}/views/network.html")
    assert status == 200 and b"the network" in body


@pytest.mark.parametrize(
    "path",
    [
        "/views/leak.html",
        "/views/..%2F..%2Fetc%2Fpasswd",
        "/views/../../etc/passwd",
        "/assets/../store.py",
        "/assets/query.html",
        "/pyproject.toml",
        "/etc/passwd",
    ],
)
def test_serves_no_file_outside_its_assets(server: str, path: str) -> None:
    status, _, body = get(server + path)
    assert status == 404
    assert b"secret" not in body and b"root:" not in body


def test_a_query_past_the_time_limit_is_abandoned(seed_store_dir: Path) -> None:
    proc, base = start_server(seed_store_dir, "--timeout", "1")
    try:
        endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        status, _, body = sparql_get(base, endless, "application/json")
        assert status == 503 and b"longer than 1 s" in body
    finally:
        stop(proc)


@pytest.mark.chromium
def test_the_query_page_runs_a_library_query_in_a_browser(
    server: str,
) -> None:
    import tests.browser
    from tests.support import require_system

    executable = require_system("chromium")
    with tests.browser.chromium(executable, loopback=True) as browser:
        page = browser.open("about:blank")
        # The helper cuts the network; this page needs its own server on 127.0.0.1.
        page.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        page.navigate(f"{server}/")
        page.wait_for("document.querySelectorAll('#library option').length > 1")
        page.evaluate(
            "(() => { const s = document.getElementById('library');"
            " s.value = 'letter-signatories'; s.dispatchEvent(new Event('change')); })()"
        )
        assert "Who signed a letter?" in page.evaluate(
            "document.getElementById('question').textContent"
        )
        assert "prov:qualifiedAttribution" in page.evaluate(
            "document.getElementById('query').value"
        )
        page.evaluate("document.querySelector('#form button[type=submit]').click()")
        page.wait_for("document.querySelectorAll('#results tbody tr').length > 0")
        assert page.evaluate("document.querySelectorAll('#results tbody tr').length") == 58
        assert page.evaluate("document.getElementById('status').textContent") == "58 rows"
        # results are text, never markup
        page.evaluate(
            "document.getElementById('query').value = "
            "'SELECT (\"<img src=x id=injected>\" AS ?v) WHERE {}';"
            "document.querySelector('#form button[type=submit]').click()"
        )
        page.wait_for("document.getElementById('status').textContent === '1 row'")
        assert page.evaluate("document.getElementById('injected') === null")
        assert "<img src=x id=injected>" in page.evaluate(
            "document.querySelector('#results td').textContent"
        )
        # a graph query shows its Turtle, as text
        page.evaluate(
            "document.getElementById('query').value = "
            '\'CONSTRUCT { ?c <http://www.w3.org/2004/02/skos/core#notation> "e2ee" } '
            'WHERE { ?c <http://www.w3.org/2004/02/skos/core#notation> "e2ee" }\';'
            "document.querySelector('#form button[type=submit]').click()"
        )
        page.wait_for("document.getElementById('status').textContent === 'a graph, in Turtle'")
        turtle = page.evaluate("document.querySelector('#results pre').textContent")
        assert 'topic:e2ee skos:notation "e2ee"' in turtle
        links = page.evaluate("[...document.querySelectorAll('#views a')].map(a => a.href)")
        assert links == [f"{server}/views/network.html"]
        assert all(u.startswith(server) for u in page.remote_requests())
        assert page.errors() == []
