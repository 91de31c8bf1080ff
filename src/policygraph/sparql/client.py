"""The one SPARQL HTTP client: remote queries, push (updates and Graph Store PUT) and the
Wikidata linker all go through `SparqlClient`, so there is one error mapping and one reader
of SPARQL JSON results.

Errors (errors.py): a refused request (HTTP 4xx other than 429) is `RefusedError`; what is
worth another attempt (HTTP 429 and 5xx, a timeout, a cut connection, an answer that cannot
be read) is `TransientError`, with the wait the server asked for (Retry-After); anything else
a `RemoteError`. Every message names the URL and fits on one line.

The network is behind a transport: a callable that takes a `Request` and a timeout and gives
a `Response` (like httpx's MockTransport), so tests can hand the client a function instead of
a server. The default, `UrllibTransport`, answers digest and basic authentication.
"""

from __future__ import annotations

import email.utils
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.client import HTTPException
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .. import __version__
from ..errors import RefusedError, RemoteError, TransientError

__all__ = [
    "USER_AGENT",
    "Request",
    "Response",
    "SparqlClient",
    "Transport",
    "UrllibTransport",
    "decode_results",
    "lower_headers",
    "read_answer",
    "retry_after",
]

USER_AGENT = f"policygraph/{__version__} (https://w3id.org/policygraph)"
JSON_TYPES = "application/sparql-results+json, application/json;q=0.9"
GRAPH_TYPES = "application/n-triples, text/turtle;q=0.9"


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]  # names in lower case
    body: bytes
    reason: str = ""


Transport = Callable[[Request, float], Response]

# What one answer may be: a 3.1 GB answer read whole ended in MemoryError, a drip-fed one
# held the client 77 s past its socket timeout (each byte arrived within it).
MAX_ANSWER_BYTES = 512 * 2**20
_CHUNK = 64 * 1024


def read_answer(
    stream: Any, url: str, *, deadline: float, max_bytes: int = MAX_ANSWER_BYTES
) -> bytes:
    """An HTTP answer's body, read as it comes (read1: each call returns what one receive
    gave), stopped when it passes `max_bytes` (RemoteError) or the `deadline` on
    time.monotonic()'s clock (TransientError)."""
    parts: list[bytes] = []
    size = 0
    read = getattr(stream, "read1", None) or stream.read
    while True:
        if time.monotonic() > deadline:
            raise TransientError(url, "the answer did not arrive in time (overall deadline)")
        chunk = read(_CHUNK)
        if not chunk:
            return b"".join(parts)
        size += len(chunk)
        if size > max_bytes:
            raise RemoteError(
                f"{url}: the answer is larger than {max_bytes / 2**20:g} MB; "
                "narrow the query (LIMIT) or raise the cap"
            )
        parts.append(chunk)


class UrllibTransport:
    """HTTP through urllib; answers digest and basic authentication when given a user.

    With digest authentication urllib sends a request without credentials first and only
    answers the 401; a server that closes the connection on that 401 before reading the
    body (Virtuoso, for a large PUT) makes the upload fail with a broken pipe. So a request
    with a body is preceded by a body-less HEAD for the challenge, and sent with its answer.
    """

    def __init__(
        self,
        user: str | None = None,
        password: str | None = None,
        *,
        max_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:
        self._user, self._password = user, password
        self.max_bytes = max_bytes

    def __call__(self, request: Request, timeout: float) -> Response:
        # The whole answer within twice the timeout (which bounds each wait on the socket).
        deadline = time.monotonic() + 2 * timeout
        handlers: list[urllib.request.BaseHandler] = []
        headers = dict(request.headers)
        if self._user is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, request.url, self._user, self._password or "")
            digest = urllib.request.HTTPDigestAuthHandler(passwords)
            handlers += [digest, urllib.request.HTTPBasicAuthHandler(passwords)]
            if request.body:
                authorization = _digest_answer(digest, request, timeout)
                if authorization is not None:
                    headers["Authorization"] = authorization
        raw = urllib.request.Request(
            request.url, data=request.body, method=request.method, headers=headers
        )
        try:
            with urllib.request.build_opener(*handlers).open(raw, timeout=timeout) as resp:
                body = read_answer(resp, request.url, deadline=deadline, max_bytes=self.max_bytes)
                return Response(resp.status, lower_headers(resp.headers), body, resp.reason)
        except urllib.error.HTTPError as exc:  # an answer, if not a happy one
            body = read_answer(exc, request.url, deadline=deadline, max_bytes=self.max_bytes)
            return Response(exc.code, lower_headers(exc.headers), body, str(exc.reason))


def lower_headers(headers: Any) -> dict[str, str]:
    """Header names in lower case, as `Response.headers` keeps them."""
    return {k.lower(): v for k, v in (headers or {}).items()}


def _digest_answer(
    digest: urllib.request.HTTPDigestAuthHandler, request: Request, timeout: float
) -> str | None:
    """The Authorization header for `request`, from the digest challenge a HEAD gets."""
    probe = urllib.request.Request(request.url, method="HEAD", headers=dict(request.headers))
    try:
        with urllib.request.urlopen(probe, timeout=timeout):
            return None  # no authentication asked for
    except urllib.error.HTTPError as exc:
        challenge = (exc.headers.get("WWW-Authenticate") or "") if exc.headers else ""
        code = exc.code
        exc.close()
    scheme, _, params = challenge.partition(" ")
    if code != 401 or scheme.lower() != "digest":
        return None
    fields = urllib.request.parse_keqv_list(
        [f for f in urllib.request.parse_http_list(params) if f]
    )
    real = urllib.request.Request(request.url, data=request.body, method=request.method)
    answer = digest.get_authorization(real, fields)
    return None if answer is None else f"Digest {answer}"


def _one_line(text: str, limit: int = 300) -> str:
    return " ".join(text.split())[:limit]


class SparqlClient:
    """One SPARQL endpoint (and, for push, its Graph Store URL)."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 60.0,
        user_agent: str = USER_AGENT,
        transport: Transport | None = None,
    ) -> None:
        self.url = url
        self.timeout = timeout
        self.user_agent = user_agent
        if transport is None:  # SPARQLWrapper for the protocol, urllib for the rest
            from .wrapper import SPARQLWrapperTransport

            transport = SPARQLWrapperTransport()
        self._transport = transport

    # ------------------------------------------------------------------ the one mapping
    def send(self, request: Request, what: str = "request") -> Response:
        """Send `request`; any failure becomes RefusedError, TransientError or RemoteError."""
        url = request.url
        headers = {"User-Agent": self.user_agent, **request.headers}
        try:
            resp = self._transport(
                Request(request.method, url, headers, request.body), self.timeout
            )
        except TimeoutError as exc:
            raise TransientError(url, f"no answer within {self.timeout:g} s") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise TransientError(url, f"no answer within {self.timeout:g} s") from exc
            raise TransientError(url, f"cannot connect: {exc.reason}") from exc
        except (HTTPException, OSError) as exc:
            raise TransientError(url, f"connection failed: {_one_line(str(exc))}") from exc
        if 200 <= resp.status < 300:
            return resp
        body = _one_line(resp.body.decode("utf-8", "replace"))
        if resp.status == 429 or resp.status >= 500:
            name = "too many requests (HTTP 429)" if resp.status == 429 else f"HTTP {resp.status}"
            wait = retry_after(resp.headers.get("retry-after"))
            raise TransientError(url, f"{name}: {body}" if body else name, wait)
        if 400 <= resp.status < 500:
            raise RefusedError(
                f"the endpoint {url} refused the {what}: HTTP {resp.status} {resp.reason}: {body}"
            )
        raise RemoteError(f"{url}: unexpected HTTP {resp.status} {resp.reason}")

    def _post(self, form: Mapping[str, str], accept: str, what: str) -> Response:
        body = urllib.parse.urlencode(form).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        return self.send(Request("POST", self.url, headers, body), what)

    # ------------------------------------------------------------------ operations
    def select_json(self, query: str) -> dict[str, Any]:
        """The SPARQL JSON answer to a SELECT or ASK, checked for its shape."""
        resp = self._post({"query": query}, JSON_TYPES, "query")
        try:
            data = json.loads(resp.body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise TransientError(self.url, f"the answer is not valid JSON ({exc})") from exc
        if not (_is_select(data) or _is_ask(data)):
            raise TransientError(
                self.url, "the answer is JSON but not SPARQL results (no head/results)"
            )
        return data  # type: ignore[no-any-return]

    def post_form_json(self, form: Mapping[str, Any]) -> dict[str, Any]:
        """POST a form whose values are JSON (a W3C reconciliation service's `queries=`) and
        read the JSON object it answers; the same errors as every other request."""
        fields = {k: v if isinstance(v, str) else json.dumps(v) for k, v in form.items()}
        resp = self._post(fields, "application/json", "request")
        try:
            data = json.loads(resp.body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise TransientError(self.url, f"the answer is not valid JSON ({exc})") from exc
        if not isinstance(data, dict):
            raise TransientError(self.url, "the answer is JSON but not an object")
        return data

    def construct(self, query: str) -> Graph:
        """The graph a CONSTRUCT or DESCRIBE answers, read as N-Triples or Turtle."""
        resp = self._post({"query": query}, GRAPH_TYPES, "query")
        graph = Graph()
        try:
            graph.parse(data=resp.body, format="turtle")  # N-Triples is Turtle
        except Exception as exc:  # rdflib raises many kinds of parse errors
            raise RemoteError(f"{self.url}: the graph answer is not RDF ({exc})") from exc
        return graph

    def update(self, text: str) -> None:
        """Send one SPARQL Update request."""
        self._post({"update": text}, "*/*", "update")

    def put_graph(self, graph_store: str, graph: str, ntriples: bytes) -> None:
        """Replace one named graph through the Graph Store HTTP Protocol."""
        sep = "&" if "?" in graph_store else "?"
        url = f"{graph_store}{sep}{urllib.parse.urlencode({'graph': graph})}"
        # N-Triples is Turtle too; text/turtle is the type every Graph Store accepts.
        headers = {"Content-Type": "text/turtle; charset=utf-8"}
        self.send(Request("PUT", url, headers, ntriples), f"graph <{graph}>")


# ---------------------------------------------------------------------- SPARQL JSON


def _is_select(value: object) -> bool:
    if not isinstance(value, dict):
        return False
    head, results = value.get("head"), value.get("results")
    return (
        isinstance(head, dict)
        and isinstance(results, dict)
        and isinstance(results.get("bindings"), list)
    )


def _is_ask(value: object) -> bool:
    return isinstance(value, dict) and isinstance(value.get("boolean"), bool)


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


def decode_results(
    data: Mapping[str, Any], url: str
) -> bool | tuple[tuple[str, ...], tuple[tuple[Node | None, ...], ...]]:
    """SPARQL JSON as an ASK's boolean or a SELECT's (variables, rows of rdflib terms)."""
    if _is_ask(data):
        return bool(data["boolean"])
    try:
        variables = tuple(str(v) for v in data["head"].get("vars", ()))
        rows = tuple(
            tuple(_term(b[v]) if v in b else None for v in variables)
            for b in data["results"]["bindings"]
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise RemoteError(f"{url}: the answer is not SPARQL JSON results") from exc
    except RemoteError as exc:
        raise RemoteError(f"{url}: {exc}") from exc
    return variables, rows


def is_results(value: object) -> bool:
    """Whether a parsed JSON value has the shape of SPARQL 1.1 SELECT results."""
    return _is_select(value)


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
