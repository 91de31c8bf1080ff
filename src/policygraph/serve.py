"""A read-only SPARQL 1.1 Protocol endpoint over the store, with a query page.

A small WSGI application served by waitress. It answers queries (GET and POST, SPARQL results
as JSON, XML, CSV or TSV; graphs as Turtle, N-Triples or RDF/XML by content negotiation) and
refuses updates: the store is opened read-only, and update requests get 403 before they reach
it. It listens on 127.0.0.1 unless told otherwise, caps the request size, and answers 503 when
a query runs longer than the time limit. It serves no file but its own assets and the HTML
network views found in the views folder at start-up.

Oxigraph cannot interrupt a running query, so a query past the limit keeps one worker busy
until it ends; the worker pool is small, so such queries cannot pile up without bound.
"""

from __future__ import annotations

import concurrent.futures
import html
import json
import re
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import QueryError
from .querying import load_library
from .store import Store

__all__ = ["ServeConfig", "make_app", "serve"]

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
Environ = dict[str, Any]

_RESULTS_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
# The `format` parameter some clients (SPARQLWrapper among them) send instead of Accept.
_FORMAT_ALIASES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
}
_UPDATE_RE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)
_COMMENT_RE = re.compile(r"^\s*#.*$", re.MULTILINE)
# Strings, IRIs and comments, so that a keyword is looked for only where it is a keyword.
_NOT_KEYWORDS_RE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
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
    workers: int = 2
    views_dir: Path | None = field(default_factory=lambda: Path("out"))


class _HttpError(Exception):
    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


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


def _accepted(accept: str) -> list[str]:
    """Media types from an Accept header, best first (q=0 dropped)."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        q = 1.0
        for p in pieces[1:]:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranked.append((-q, i, media))
    return [m for _, _, m in sorted(ranked)]


def _choose(accept: str, offered: dict[str, Any], default: str) -> str:
    if not accept.strip():
        return default
    for media in _accepted(accept):
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            if media == "*/*" or default.startswith(media[:-1]):
                return default
            match = next((m for m in offered if m.startswith(media[:-1])), None)
            if match:
                return match
    raise _HttpError(
        "406 Not Acceptable", f"cannot answer in {accept}; offered: {', '.join(offered)}"
    )


def _unescape(match: re.Match[str]) -> str:
    code = int(match[1] or match[2], 16)
    return chr(code) if code <= 0x10FFFF else match[0]


def _calls_service(query: str) -> bool:
    """Whether the query holds the SERVICE keyword (outside strings, IRIs and comments)."""
    # SPARQL allows \u escapes anywhere in the query text: read the keyword through them.
    text = _ESCAPE_RE.sub(_unescape, query)
    return bool(_SERVICE_RE.search(_NOT_KEYWORDS_RE.sub(" ", text)))


class _App:
    def __init__(self, store: Store, config: ServeConfig) -> None:
        self.store = store
        self.config = config
        self.views = _find_views(config.views_dir)
        self.pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=config.workers, thread_name_prefix="sparql"
        )
        self.library = _library_json(self.views)

    # ------------------------------------------------------------------ WSGI
    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        try:
            status, headers, body = self.route(environ)
        except _HttpError as exc:
            status, headers, body = (
                exc.status,
                [("Content-Type", "text/plain; charset=utf-8")],
                (exc.message + "\n").encode(),
            )
        headers = [*headers, *_SECURITY_HEADERS, ("Content-Length", str(len(body)))]
        start_response(status, headers)
        return [body] if environ.get("REQUEST_METHOD") != "HEAD" else [b""]

    def route(self, environ: Environ) -> tuple[str, list[tuple[str, str]], bytes]:
        path = environ.get("PATH_INFO", "/") or "/"
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/sparql":
            if method not in ("GET", "POST", "HEAD"):
                raise _HttpError("405 Method Not Allowed", "use GET or POST")
            return self.sparql(environ, method)
        if method not in ("GET", "HEAD"):
            raise _HttpError("405 Method Not Allowed", "only GET here")
        if path in _ASSETS:
            name, ctype = _ASSETS[path]
            headers = [("Content-Type", ctype)]
            if name.endswith(".html"):
                headers.append(("Content-Security-Policy", _PAGE_CSP))
            return "200 OK", headers, _asset(name)
        if path == "/library.json":
            return "200 OK", [("Content-Type", "application/json")], self.library
        if path.startswith("/views/"):
            name = urllib.parse.unquote(path[len("/views/") :])
            if name not in self.views:
                raise _HttpError("404 Not Found", "no such view")
            return (
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8")],
                self.views[name].read_bytes(),
            )
        raise _HttpError("404 Not Found", f"nothing at {html.escape(path)}")

    # ------------------------------------------------------------------ protocol
    def _read_body(self, environ: Environ) -> bytes:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError as exc:
            raise _HttpError("400 Bad Request", "bad Content-Length") from exc
        if length > self.config.max_body_bytes:
            raise _HttpError("413 Payload Too Large", "the request is too large")
        return bytes(environ["wsgi.input"].read(length)) if length else b""

    def sparql(self, environ: Environ, method: str) -> tuple[str, list[tuple[str, str]], bytes]:
        params = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        query: str | None = None
        if method == "POST":
            ctype = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                raise _HttpError("403 Forbidden", "this endpoint is read-only: updates are refused")
            body = self._read_body(environ).decode("utf-8", "replace")
            if ctype == "application/sparql-query":
                query = body
            elif ctype in ("application/x-www-form-urlencoded", ""):
                for key, values in urllib.parse.parse_qs(body, keep_blank_values=True).items():
                    params.setdefault(key, []).extend(values)
            else:
                raise _HttpError("415 Unsupported Media Type", f"cannot read a {ctype} body")
        if "update" in params:
            raise _HttpError("403 Forbidden", "this endpoint is read-only: updates are refused")
        if query is None:
            queries = params.get("query", [])
            if len(queries) != 1:
                raise _HttpError("400 Bad Request", "give exactly one `query` parameter")
            query = queries[0]
        if len(query) > self.config.max_query_chars:
            raise _HttpError("413 Payload Too Large", "the query is too long")
        if _UPDATE_RE.match(_COMMENT_RE.sub("", query)):
            raise _HttpError("403 Forbidden", "this endpoint is read-only: updates are refused")
        if _calls_service(query):
            # Oxigraph would fetch the SERVICE IRI: the server must not make requests for a caller.
            raise _HttpError(
                "403 Forbidden", "this endpoint does not run federated queries (SERVICE)"
            )
        accept = environ.get("HTTP_ACCEPT", "")
        fmt = (params.get("format") or params.get("output") or [""])[0].strip().lower()
        if fmt:
            accept = _FORMAT_ALIASES.get(fmt, fmt)
        default_graphs = params.get("default-graph-uri", [])
        named_graphs = params.get("named-graph-uri", [])
        future = self.pool.submit(self._evaluate, query, accept, default_graphs, named_graphs)
        try:
            return future.result(timeout=self.config.query_timeout)
        except concurrent.futures.TimeoutError as exc:
            raise _HttpError(
                "503 Service Unavailable",
                f"the query ran longer than {self.config.query_timeout:g} s and was abandoned",
            ) from exc

    def _evaluate(
        self, query: str, accept: str, default_graphs: list[str], named_graphs: list[str]
    ) -> tuple[str, list[tuple[str, str]], bytes]:
        kwargs: dict[str, Any] = {}
        try:
            # Without default-graph-uri the store's own default graph answers: the merge of
            # all named graphs.
            if default_graphs:
                kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
            if named_graphs:
                kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
            result = self.store.oxigraph.query(query, **kwargs)
            if isinstance(result, ox.QueryTriples):
                media = _choose(accept, _GRAPH_TYPES, "text/turtle")
                body = result.serialize(format=_GRAPH_TYPES[media])
            else:
                media = _choose(accept, _RESULTS_TYPES, "application/sparql-results+json")
                body = result.serialize(format=_RESULTS_TYPES[media])
        except (SyntaxError, ValueError) as exc:
            raise _HttpError("400 Bad Request", f"bad query: {exc}") from exc
        except OSError as exc:
            raise _HttpError("500 Internal Server Error", f"the query failed: {exc}") from exc
        charset = "" if media == "application/rdf+xml" else "; charset=utf-8"
        return "200 OK", [("Content-Type", media + charset)], bytes(body or b"")


def make_app(store: Store, config: ServeConfig | None = None) -> Callable[..., Iterable[bytes]]:
    """The WSGI application (for tests, or another WSGI server)."""
    return _App(store, config or ServeConfig())


def create_server(store: Store, config: ServeConfig) -> Any:
    """A waitress server bound to config.host:config.port, not yet running (`.run()`)."""
    from waitress.server import create_server as waitress_server

    return waitress_server(
        make_app(store, config),
        host=config.host,
        port=config.port,
        threads=4,
        max_request_body_size=config.max_body_bytes,
        max_request_header_size=max(64 * 1024, config.max_query_chars * 3),
        channel_timeout=int(config.query_timeout) + 30,
        ident="policygraph",
    )


def serve(store_dir: Path, config: ServeConfig, *, announce: Callable[[str], None] = print) -> None:
    """Serve the store until interrupted."""
    with Store(store_dir, read_only=True) as store:
        server = create_server(store, config)
        host, port = server.effective_host, server.effective_port
        announce(f"serving {store_dir} read-only at http://{host}:{port}/ (SPARQL: /sparql)")
        try:
            server.run()
        finally:
            server.close()
