"""The default transport of the SPARQL client: SPARQL 1.1 Protocol requests through SPARQLWrapper.

`SparqlClient` (client.py) owns what a request is and what an answer means (one error
mapping, one JSON decoder); a transport only carries the bytes. This one sends the
protocol's requests, a form-encoded POST of `query=` or `update=`, with SPARQLWrapper, the
client the project's users already script against, and hands its answer back as a plain
`Response`, HTTP errors included, so the mapping stays in one place.

Two kinds of request go through urllib instead (`UrllibTransport`): the Graph Store
Protocol's PUT, which SPARQLWrapper does not speak, and any request with credentials,
because SPARQLWrapper answers digest authentication by installing a process-wide urllib
opener, which a library must not do to its caller.
"""

from __future__ import annotations

import math
import time
import urllib.error
import urllib.parse

from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from .client import (
    MAX_ANSWER_BYTES,
    USER_AGENT,
    Request,
    Response,
    UrllibTransport,
    lower_headers,
    read_answer,
)

__all__ = ["SPARQLWrapperTransport"]

# SPARQLWrapper turns these HTTP statuses into exceptions; the client wants the status back.
_STATUS: tuple[tuple[type[SPARQLWrapperException], int], ...] = (
    (QueryBadFormed, 400),
    (Unauthorized, 401),
    (EndPointNotFound, 404),
    (URITooLong, 414),
    (EndPointInternalError, 500),
)
_FORM = "application/x-www-form-urlencoded"


class SPARQLWrapperTransport:
    def __init__(
        self,
        user: str | None = None,
        password: str | None = None,
        *,
        max_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:
        self._urllib = UrllibTransport(user, password, max_bytes=max_bytes)
        self._anonymous = user is None
        self.max_bytes = max_bytes

    def __call__(self, request: Request, timeout: float) -> Response:
        form = _protocol_form(request)
        if form is None or not self._anonymous:
            return self._urllib(request, timeout)
        wrapper = SPARQLWrapper(request.url, agent=request.headers.get("User-Agent", USER_AGENT))
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setTimeout(max(1, math.ceil(timeout)))
        # content negotiation only: SPARQLWrapper's own `format=`/`output=` parameters would
        # contradict the Accept header below (Virtuoso answers 406)
        wrapper.setOnlyConneg(True)
        # SPARQLWrapper tells a query from an update by its first keyword
        wrapper.setQuery(form["update"] if "update" in form else form["query"])
        if "Accept" in request.headers:  # the client's choice of formats, not the default
            wrapper.addCustomHttpHeader("Accept", request.headers["Accept"])
        deadline = time.monotonic() + 2 * timeout  # as UrllibTransport's
        try:
            answer = wrapper.query().response
            body = read_answer(answer, request.url, deadline=deadline, max_bytes=self.max_bytes)
            return Response(answer.status, lower_headers(answer.headers), body, "")
        except urllib.error.HTTPError as exc:  # a status SPARQLWrapper passes through
            body = read_answer(exc, request.url, deadline=deadline, max_bytes=self.max_bytes)
            return Response(exc.code, lower_headers(exc.headers), body, str(exc.reason))
        except SPARQLWrapperException as exc:
            status = next((code for kind, code in _STATUS if isinstance(exc, kind)), 500)
            # SPARQLWrapper keeps the server's answer only inside its message
            return Response(status, {}, str(exc).encode(), type(exc).__name__)


def _protocol_form(request: Request) -> dict[str, str] | None:
    """The form of a protocol request (`query=` or `update=`, POSTed), or None."""
    content_type = request.headers.get("Content-Type", "")
    if request.method != "POST" or not content_type.startswith(_FORM) or request.body is None:
        return None
    form = dict(urllib.parse.parse_qsl(request.body.decode("utf-8"), keep_blank_values=True))
    if set(form) not in ({"query"}, {"update"}):
        return None
    return form
