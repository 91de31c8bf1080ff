"""A remote endpoint's answer has a size cap and an overall deadline (issue 19, item 8): a
huge answer is refused when it passes the cap, not read into memory whole, and one fed a
byte at a time (each within the socket timeout) is stopped at the deadline. Real HTTP
servers on 127.0.0.1, through both transports of the one SPARQL client."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from policygraph.errors import RemoteError, TransientError
from policygraph.sparql.client import SparqlClient, UrllibTransport
from policygraph.sparql.wrapper import SPARQLWrapperTransport

CAP = 2**20
QUERY = "SELECT ?s WHERE { ?s ?p ?o }"


class _Handler(BaseHTTPRequestHandler):
    mode = "huge"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        if self.mode == "huge":  # 8 MB, streamed
            self.send_header("Content-Length", str(8 * CAP))
            self.end_headers()
            for _ in range(128):
                self.wfile.write(b" " * (CAP // 16))
            return
        self.end_headers()  # drip: a byte every 0.2 s for up to 20 s
        try:
            for _ in range(100):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass  # the client gave up, as it should

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(params=["huge", "drip"])
def server(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    handler = type("H", (_Handler,), {"mode": request.param})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield request.param, f"http://127.0.0.1:{httpd.server_address[1]}/sparql"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("transport", [UrllibTransport, SPARQLWrapperTransport])
def test_a_huge_or_drip_fed_answer_is_stopped(server: tuple[str, str], transport: type) -> None:
    mode, url = server
    client = SparqlClient(url, timeout=1.0, transport=transport(max_bytes=CAP))
    if mode == "huge":
        with pytest.raises(RemoteError, match="larger than 1 MB"):
            client.select_json(QUERY)
    else:
        with pytest.raises(TransientError, match="overall deadline"):
            client.select_json(QUERY)
