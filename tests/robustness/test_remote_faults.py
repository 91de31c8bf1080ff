"""Remote endpoints that misbehave: tiny real HTTP servers on 127.0.0.1 that time out, refuse,
rate-limit, fail or answer garbage. `remote.select` / `remote.push` and the CLI must give one
clear RemoteError / error line — never a traceback, never a wrong answer.

(The Wikidata linker's own fault handling — retries, Retry-After, cache — is tested in
tests/test_linking.py; a truncated linker cache file is exercised here through the CLI.)
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from policygraph.errors import PolicygraphError, QueryError, RemoteError, TransientError
from policygraph.sparql.remote import Endpoint, push, select
from policygraph.store import Store

GOOD = {
    "head": {"vars": ["n"]},
    "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]},
}
# mode → (status, headers, body); "slow" sleeps past the client's timeout
MODES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "429": (429, {"Retry-After": "120"}, b"slow down"),
    "500": (500, {}, b"internal error"),
    "502": (502, {}, b"bad gateway"),
    "503": (503, {"Retry-After": "5"}, b"overloaded"),
    "bad-json": (200, {"Content-Type": "application/sparql-results+json"}, b'{"head": {"va'),
    "not-results": (200, {"Content-Type": "application/sparql-results+json"}, b'{"a": 1}'),
    "html": (200, {"Content-Type": "text/html"}, b"<html><body>Login</body></html>"),
    "empty": (200, {"Content-Type": "application/sparql-results+json"}, b""),
    "unknown-term": (
        200,
        {"Content-Type": "application/sparql-results+json"},
        json.dumps(
            {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "x", "value": "1"}}]}}
        ).encode(),
    ),
}


class _Handler(BaseHTTPRequestHandler):
    mode = "500"
    hits: list[str]

    def _answer(self) -> None:
        self.hits.append(self.command)
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if self.mode == "slow":
            time.sleep(3)
            return
        if self.mode == "hangup":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        status, headers, body = MODES[self.mode]
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def misbehaving() -> Iterator[object]:
    servers: list[ThreadingHTTPServer] = []

    def start(mode: str) -> tuple[str, list[str]]:
        hits: list[str] = []
        handler = type("H", (_Handler,), {"mode": mode, "hits": hits})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/sparql", hits

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def refused_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: nothing listens there
    return f"http://127.0.0.1:{port}/sparql"


def endpoint(url: str) -> Endpoint:
    return Endpoint(url, timeout=1.0)


FAULTS = ["429", "500", "502", "503", "bad-json", "not-results", "html", "empty", "unknown-term"]


# What each fault is (errors.py's tree): worth another attempt (busy, down, slow or garbage
# answers), or results that hold what no SPARQL endpoint sends.
EXPECTED: dict[str, type[RemoteError]] = {
    **dict.fromkeys([*FAULTS, "slow", "hangup"], TransientError),
    "unknown-term": RemoteError,
}


@pytest.mark.parametrize("mode", [*FAULTS, "slow", "hangup"])
def test_select_gives_a_clear_error_naming_the_endpoint(misbehaving, mode: str) -> None:  # type: ignore[no-untyped-def]
    url, hits = misbehaving(mode)
    with pytest.raises(RemoteError) as info:
        select(endpoint(url), "SELECT (1 AS ?n) WHERE {}")
    assert type(info.value) is EXPECTED[mode], info.value
    message = str(info.value)
    assert url in message
    assert "\n" not in message and len(message) < 800
    assert hits  # the request did reach the server
    if mode in ("429", "503"):
        assert mode in message


def test_connection_refused_is_a_remote_error() -> None:
    url = refused_url()
    with pytest.raises(RemoteError) as info:
        select(endpoint(url), "SELECT (1 AS ?n) WHERE {}")
    assert url in str(info.value) and "refused" in str(info.value).lower()


@pytest.mark.parametrize("mode", ["500", "429", "bad-json", "slow"])
def test_push_stops_with_a_clear_error(misbehaving, seed_store: Store, mode: str) -> None:  # type: ignore[no-untyped-def]
    url, _ = misbehaving(mode)
    with pytest.raises(RemoteError) as info:
        push(seed_store, endpoint(url))
    assert url in str(info.value)
    with pytest.raises(RemoteError):
        push(seed_store, endpoint(url), graph_store=url.replace("/sparql", "/crud"))


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policygraph", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize("mode", ["500", "429", "bad-json", "html", "refused"])
def test_cli_query_and_push_print_one_line_not_a_traceback(
    misbehaving,  # type: ignore[no-untyped-def]
    seed_store_dir: Path,
    mode: str,
) -> None:
    url = refused_url() if mode == "refused" else misbehaving(mode)[0]
    for args in (
        ("query", "letter-signatories", "--endpoint", url),
        ("push", "--endpoint", url, "--store", str(seed_store_dir)),
    ):
        proc = cli(*args)
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("policygraph: ") and url in lines[0]
        assert proc.stdout == ""


def test_a_truncated_linker_cache_is_reported_and_no_link_is_made(
    seed_store_dir: Path, tmp_path: Path
) -> None:
    """`policygraph link --offline` with a cache file cut mid-way: a clear line naming the
    file, no link invented, and the damaged file not overwritten."""
    cache = tmp_path / "wikidata-cache.json"
    damaged = '{"format": "policygraph-wikidata-cache/1", "entries": {"https://q'
    cache.write_text(damaged, "utf-8")
    store = tmp_path / "store"
    with Store(seed_store_dir, read_only=True) as src, Store(store) as dst:
        dst.load_quads(src.export("nquads", None) or b"", "nquads")
    # an empty review file (not the package's): only the cache could supply links
    review = tmp_path / "review.yaml"
    review.write_text("", "utf-8")
    args = ["link", "--offline", "--cache", str(cache), "--review", str(review)]
    args += ["--store", str(store)]
    proc = subprocess.run(
        [sys.executable, "-m", "policygraph", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=tmp_path,
    )
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2
    assert any(str(cache) in line and "cache" in line for line in proc.stderr.splitlines())
    assert cache.read_text("utf-8") == damaged
    with Store(store, read_only=True) as s:
        assert not s.ask("ASK { ?a <http://www.w3.org/2002/07/owl#sameAs> ?q }")


def test_errors_are_policygraph_errors() -> None:
    # The CLI turns PolicygraphError into one line; both remote errors must be one.
    assert issubclass(RemoteError, PolicygraphError) and issubclass(QueryError, PolicygraphError)
