"""A read-only SPARQL 1.1 Protocol endpoint over the store, with a query page.

A small WSGI application served by waitress. It answers queries (GET and POST; every query
form; the format by content negotiation, see sparql/protocol.py) and refuses updates: the store is
opened read-only, and update requests get 403 before they reach it. `GET /sparql` without a
query answers the service description. It listens on 127.0.0.1 unless told otherwise, caps the
request size, and answers 503 when a query runs longer than the time limit (the query is
stopped: queryproc.py), 413 when its answer is too large, 429 to a client with too many
queries at once; slow or greedy connections are cut (netguard.py). It serves no file
but its own assets and the HTML network views found in the views folder at start-up, and
the actors' profile pages they link to, made from the store (viz/routes.py). With
`cors` every answer allows any origin (the data is public and nothing can be changed), so that
a page elsewhere (Yasgui, a notebook) can query it; OPTIONS is answered either way.

The store is followed, not frozen: a build written while serving shows in the next request
(store/view.py).
"""

from __future__ import annotations

import html
import json
import re
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from . import reconcile
from .errors import HttpError, QueryError
from .netguard import Fairness, guard
from .queryproc import Task, negotiate, runner_for
from .sparql import protocol
from .sparql.querying import load_library
from .store import Store
from .store.view import StoreView
from .viz import routes

__all__ = ["ServeConfig", "make_app", "serve"]

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
Environ = dict[str, Any]

_UPDATE_RE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)
# [ \t]*, not \s*: a \s* that may run over newlines made this quadratic in the number of
# blank lines (99,990 newlines froze the server for 15 s a request).
_COMMENT_RE = re.compile(r"^[ \t]*#.*$", re.MULTILINE)
# Strings, IRIs and comments, so that a keyword is looked for only where it is a keyword.
_NOT_KEYWORDS_RE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>'
    # An escape in a prefixed name (ex:a\#) is a character, not the start of a comment.
    r"|\\.|#[^\n]*"
)
_SERVICE_RE = re.compile(r"(?<![?$:\w])SERVICE(?![\w:-])", re.IGNORECASE)
_ESCAPE_RE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_ASSETS = {
    "/": ("query.html", "text/html; charset=utf-8"),
    "/assets/query.js": ("query.js", "text/javascript; charset=utf-8"),
    "/assets/style.css": ("style.css", "text/css; charset=utf-8"),
}
_SECURITY_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),
]
_PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


@dataclass(frozen=True)
class ServeConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = 30.0  # seconds
    max_query_chars: int = 100_000
    max_body_bytes: int = 1_000_000
    max_nesting: int = 64  # brackets; the library's deepest query nests 7
    workers: int = 2  # query worker processes
    max_answer_bytes: int = 64 * 2**20
    worker_memory_mib: float = 1024.0  # a query worker past this is stopped (413)
    per_client_queries: int = 8  # waiting or running, from one client address
    request_timeout: float = 10.0  # seconds for a request's headers and body to arrive
    max_connections: int = 200
    per_client_connections: int = 32
    views_dir: Path | None = field(default_factory=lambda: Path("out"))
    cors: bool = False
    review: Callable[..., Any] | None = None  # --review: mounts the one page that writes


Headers = list[tuple[str, str]]
Answer = tuple[str, Headers, bytes]

_SPARQL_METHODS = "GET, HEAD, POST, OPTIONS"
_PAGE_METHODS = "GET, HEAD, OPTIONS"
_CORS_HEADERS = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS"),
    ("Access-Control-Allow-Headers", "Accept, Content-Type"),
    ("Access-Control-Max-Age", "600"),
]
_HOST_RE = re.compile(r"^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$")
_SD_PREFIXES = {
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "formats": "http://www.w3.org/ns/formats/",
    "dcterms": "http://purl.org/dc/terms/",
}


def _not_allowed(allow: str) -> HttpError:
    return HttpError("405 Method Not Allowed", f"allowed here: {allow}", [("Allow", allow)])


def _asset(name: str) -> bytes:
    return (resources.files("policygraph") / "assets" / name).read_bytes()


def _find_views(folder: Path | None) -> dict[str, Path]:
    """HTML files directly in the views folder, by file name: the only files served from it."""
    if folder is None or not folder.is_dir():
        return {}
    root = folder.resolve()
    found: dict[str, Path] = {}
    for path in sorted(root.glob("*.html")):
        real = path.resolve()
        if real.parent == root and real.is_file():
            found[path.name] = real
    return found


def _library_json(views: Iterable[str]) -> bytes:
    try:
        infos = load_library()
    except QueryError:  # a broken library file must not take the endpoint down
        infos = []
    items = [
        {
            "name": q.name,
            "question": q.question,
            "description": q.description,
            "text": q.text,
            "params": [{"name": p.name, "type": p.type, "doc": p.doc} for p in q.params],
        }
        for q in infos
    ]
    return json.dumps({"queries": items, "views": sorted(views)}).encode()


def _unescape(match: re.Match[str]) -> str:
    code = int(match[1] or match[2], 16)
    return chr(code) if code <= 0x10FFFF else match[0]


_BRACKET_RE = re.compile(r"[(){}\[\]]")


def _nesting(query: str) -> int:
    """How deep the query's brackets nest (outside strings, IRIs and comments)."""
    text = _NOT_KEYWORDS_RE.sub(" ", _ESCAPE_RE.sub(_unescape, query))
    depth = deepest = 0
    for m in _BRACKET_RE.finditer(text):
        if m[0] in "({[":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(0, depth - 1)
    return deepest


def _calls_service(query: str) -> bool:
    """Whether the query holds the SERVICE keyword (outside strings, IRIs and comments)."""
    # SPARQL allows \u escapes anywhere in the query text: read the keyword through them.
    text = _ESCAPE_RE.sub(_unescape, query)
    return bool(_SERVICE_RE.search(_NOT_KEYWORDS_RE.sub(" ", text)))


class _App:
    def __init__(self, store: Store | StoreView, config: ServeConfig) -> None:
        self.view = store
        self.config = config
        self.views = _find_views(config.views_dir)
        self.runner = runner_for(
            store, config.workers, config.max_answer_bytes, config.worker_memory_mib
        )
        # One client's queries may run on all workers but one (when there are two or more).
        self.fairness = Fairness(config.per_client_queries, max(1, config.workers - 1))
        self.library = _library_json(self.views)

    @property
    def store(self) -> Store:
        """The store as last built (a fixed Store given by a test stays itself)."""
        return self.view.current() if isinstance(self.view, StoreView) else self.view

    # ------------------------------------------------------------------ WSGI
    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        try:
            status, headers, body = self.route(environ)
        except HttpError as exc:
            status, headers, body = (
                exc.status,
                [("Content-Type", "text/plain; charset=utf-8"), *exc.headers],
                (exc.message + "\n").encode(),
            )
        if (environ.get("PATH_INFO") or "/") == "/sparql":
            # What /sparql answers depends on Accept (the error too: 406 or not).
            headers.append(("Vary", "Accept"))
        if self.config.cors:
            headers.extend(_CORS_HEADERS)
        headers = [*headers, *_SECURITY_HEADERS, ("Content-Length", str(len(body)))]
        start_response(status, headers)
        return [body] if environ.get("REQUEST_METHOD") != "HEAD" else [b""]

    def route(self, environ: Environ) -> Answer:
        path = environ.get("PATH_INFO", "/") or "/"
        method = environ.get("REQUEST_METHOD", "GET")
        allow = _SPARQL_METHODS if path in ("/sparql", reconcile.PREFIX) else _PAGE_METHODS
        if method == "OPTIONS":
            # A CORS preflight gets its headers in __call__; any OPTIONS says what methods exist.
            return "204 No Content", [("Allow", allow)], b""
        if method not in allow.split(", "):
            raise _not_allowed(allow)
        if path == "/sparql":
            return self.sparql(environ, method)
        if path == reconcile.PREFIX or path.startswith(reconcile.PREFIX + "/"):
            return self.reconcile(environ, path, method)
        if path in _ASSETS:
            name, ctype = _ASSETS[path]
            headers = [("Content-Type", ctype)]
            if name.endswith(".html"):
                headers.append(("Content-Security-Policy", _PAGE_CSP))
            return "200 OK", headers, _asset(name)
        if path == "/library.json":
            return "200 OK", [("Content-Type", "application/json")], self.library
        if path.startswith(routes.PROFILES):
            return routes.profile_page(self.store, path[len(routes.PROFILES) :])
        if path.startswith("/views/"):
            name = urllib.parse.unquote(path[len("/views/") :])
            if name not in self.views:
                raise HttpError("404 Not Found", "no such view")
            return (
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8")],
                self.views[name].read_bytes(),
            )
        raise HttpError("404 Not Found", f"nothing at {html.escape(path)}")

    # ------------------------------------------------------------------ protocol
    def _read_body(self, environ: Environ) -> bytes:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError as exc:
            raise HttpError("400 Bad Request", "bad Content-Length") from exc
        if length > self.config.max_body_bytes:
            raise HttpError("413 Payload Too Large", "the request is too large")
        return bytes(environ["wsgi.input"].read(length)) if length else b""

    def _params(self, environ: Environ, method: str) -> tuple[dict[str, list[str]], str | None]:
        """The request's parameters, and the query when the body is one (sparql-query)."""
        params = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        if method != "POST":
            return params, None
        ctype = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            raise HttpError("403 Forbidden", "this endpoint is read-only: updates are refused")
        body = self._read_body(environ).decode("utf-8", "replace")
        if ctype == "application/sparql-query":
            return params, body
        if ctype not in ("application/x-www-form-urlencoded", ""):
            raise HttpError("415 Unsupported Media Type", f"cannot read a {ctype} body")
        for key, values in urllib.parse.parse_qs(body, keep_blank_values=True).items():
            params.setdefault(key, []).extend(values)
        return params, None

    def reconcile(self, environ: Environ, path: str, method: str) -> Answer:
        """The W3C Reconciliation Service API (reconcile.py) over the store's actors."""
        body = self._read_body(environ) if method == "POST" else b""
        return reconcile.answer(self.store, environ, path, body)

    def sparql(self, environ: Environ, method: str) -> Answer:
        params, query = self._params(environ, method)
        if "update" in params:
            raise HttpError("403 Forbidden", "this endpoint is read-only: updates are refused")
        accept = environ.get("HTTP_ACCEPT", "")
        # The documented fallback for clients that cannot set Accept (read by result kind).
        fallback = [*params.get("format", []), *params.get("output", [])]
        if query is None:
            queries = params.get("query", [])
            if not queries and method != "POST":
                return self.description(environ, accept, fallback)
            if len(queries) != 1:
                raise HttpError("400 Bad Request", "give exactly one `query` parameter")
            query = queries[0]
        self._check(query)
        task = Task(
            query,
            accept,
            tuple(fallback),
            tuple(params.get("default-graph-uri", [])),
            tuple(params.get("named-graph-uri", [])),
        )
        timeout = self.config.query_timeout
        deadline = time.monotonic() + timeout
        with self.fairness.turn(str(environ.get("REMOTE_ADDR") or ""), timeout):
            return self.runner.run(task, deadline, timeout)

    def _check(self, query: str) -> None:
        if len(query) > self.config.max_query_chars:
            raise HttpError("413 Payload Too Large", "the query is too long")
        if _UPDATE_RE.match(_COMMENT_RE.sub("", query)):
            raise HttpError("403 Forbidden", "this endpoint is read-only: updates are refused")
        if _nesting(query) > self.config.max_nesting:
            # Oxigraph's parser recurses once per level: 3,000 nested groups overflow the
            # thread's stack and kill the server (SIGSEGV), so such a query never reaches it.
            raise HttpError(
                "400 Bad Request",
                f"the query nests brackets more than {self.config.max_nesting} deep",
            )
        if _calls_service(query):
            # Oxigraph would fetch the SERVICE IRI: the server must not make requests for a caller.
            raise HttpError(
                "403 Forbidden", "this endpoint does not run federated queries (SERVICE)"
            )

    def description(self, environ: Environ, accept: str, fallback: list[str]) -> Answer:
        """The SPARQL service description, as an RDF graph in the negotiated format."""
        fmt = negotiate("graph", accept, tuple(fallback))
        host = environ.get("HTTP_HOST") or ""
        if not _HOST_RE.match(host):  # a Host header that cannot be part of an IRI
            host = f"{self.config.host}:{self.config.port}"
        endpoint = f"{environ.get('wsgi.url_scheme', 'http')}://{host}/sparql"
        body = protocol.serialize_triples(protocol.service_description(endpoint), fmt, _SD_PREFIXES)
        return "200 OK", [("Content-Type", protocol.content_type(fmt))], body


def make_app(
    store: Store | StoreView, config: ServeConfig | None = None
) -> Callable[..., Iterable[bytes]]:
    """The WSGI application (for tests, or another WSGI server)."""
    return _wsgi(_App(store, config or ServeConfig()), store)


def _wsgi(app: _App, store: Store | StoreView) -> Callable[..., Iterable[bytes]]:
    return app if app.config.review is None else app.config.review(app, store)


def create_server(store: Store | StoreView, config: ServeConfig) -> Any:
    """A waitress server bound to config.host:config.port, not yet running (`.run()`)."""
    from waitress.server import create_server as waitress_server

    app = _App(store, config)
    server = waitress_server(
        _wsgi(app, store),
        host=config.host,
        port=config.port,
        # Threads wait for query workers; enough that one client's queries (at most
        # per_client_queries) leave some for others.
        threads=config.per_client_queries + 8,
        max_request_body_size=config.max_body_bytes,
        max_request_header_size=max(64 * 1024, config.max_query_chars * 3),
        channel_timeout=int(config.query_timeout) + 30,
        connection_limit=config.max_connections,
        cleanup_interval=1,
        ident="policygraph",
    )
    server = guard(
        server, request_timeout=config.request_timeout, per_client=config.per_client_connections
    )
    # What serve() closes: waitress wraps the application (proxy headers), hiding its runner.
    server.runner = app.runner
    return server


def serve(store_dir: Path, config: ServeConfig, *, announce: Callable[[str], None] = print) -> None:
    """Serve the store until interrupted, following the builds written into it."""
    view = StoreView(store_dir)
    try:
        server = create_server(view, config)
        host, port = server.effective_host, server.effective_port
        cors = " (CORS: any origin)" if config.cors else ""
        announce(f"serving {store_dir} read-only at http://{host}:{port}/ (SPARQL: /sparql){cors}")
        try:
            server.run()
        finally:
            server.close()
            server.runner.close()
    finally:
        view.close()
