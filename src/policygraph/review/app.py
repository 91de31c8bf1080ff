"""The review page of `policygraph serve --review`: the one part of `serve` that writes.

Mounted in front of the read-only SPARQL application only when `--review` is given, on
127.0.0.1 only. Every write (POST) must come from the page itself: the Host must be a
loopback address, the Origin (or, failing that, the Referer) must be that host, and the
request must carry the CSRF token of its session (a random token per session cookie, given
to the page in a meta element). Writes add decisions to the decisions file and re-apply it to
the store; the read-only view picks the change up on the next request. The page shows
document text only as text (DOM textContent), never as markup.
"""

from __future__ import annotations

import hmac
import html
import json
import re
import secrets
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from .. import resources
from ..errors import HttpError, PolicygraphError
from ..store import Store
from ..store.view import StoreView
from . import actions
from . import locate as loc
from .model import Decision, Kind, Status

__all__ = ["ReviewApp", "ReviewMount"]

App = Callable[..., Iterable[bytes]]
Answer = tuple[str, list[tuple[str, str]], bytes]
_COOKIE = "pg_review_session"
_MAX_SESSIONS = 1000  # page loads without a cookie each make one: bounded
_LOOPBACK = re.compile(r"^(?:127\.0\.0\.1|localhost|\[::1\]):\d{1,5}$")
_ASSETS = {
    "/review/assets/review.js": ("review.js", "text/javascript; charset=utf-8"),
    "/review/assets/review.css": ("review.css", "text/css; charset=utf-8"),
}
_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("Cache-Control", "no-store"),
    ("X-Frame-Options", "DENY"),
    (
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    ),
]
_ACTIONS = {
    "accept": Status.ACCEPTED,
    "reject": Status.REJECTED,
    "correct": Status.CORRECTED,
    "add": Status.ADDED,
}


def _asset(name: str) -> bytes:
    return resources.package_bytes("review", "assets", name)


def _json(data: object, status: str = "200 OK") -> Answer:
    body = json.dumps(data, ensure_ascii=False).encode()
    return status, [("Content-Type", "application/json; charset=utf-8")], body


class ReviewApp:
    """WSGI: /review/… here, everything else to the SPARQL application."""

    def __init__(self, inner: App, view: Store | StoreView, decisions: Path, reviewer: str) -> None:
        self.inner = inner
        self.view = view
        self.decisions = decisions
        self.reviewer = reviewer
        self.sessions: dict[str, str] = {}  # session id → CSRF token
        self.write_lock = threading.Lock()

    @property
    def store(self) -> Store:
        return self.view.current() if isinstance(self.view, StoreView) else self.view

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        if path != "/review" and not path.startswith("/review/"):
            return self.inner(environ, start_response)
        extra: list[tuple[str, str]] = []
        try:
            status, headers, body = self.route(environ, path, extra)
        except HttpError as exc:
            status, headers, body = _json({"error": exc.message}, exc.status)
        except PolicygraphError as exc:  # a decision that cannot be made: say why
            status, headers, body = _json({"error": str(exc)}, "400 Bad Request")
        headers = [*headers, *extra, *_HEADERS, ("Content-Length", str(len(body)))]
        start_response(status, headers)
        return [body] if environ.get("REQUEST_METHOD") != "HEAD" else [b""]

    # ------------------------------------------------------------------ routes
    def route(self, environ: dict[str, Any], path: str, extra: list[tuple[str, str]]) -> Answer:
        method = environ.get("REQUEST_METHOD", "GET")
        if not _LOOPBACK.match(environ.get("HTTP_HOST") or ""):
            # DNS rebinding: a page of another site reaching this port under its own name.
            raise HttpError("403 Forbidden", "the review page answers on 127.0.0.1 only")
        if method == "POST":
            self._check_write(environ)
            return self.write(path, self._body(environ))
        if method not in ("GET", "HEAD"):
            raise HttpError(
                "405 Method Not Allowed", "GET, HEAD or POST", [("Allow", "GET, HEAD, POST")]
            )
        if path in ("/review", "/review/"):
            return self.page(environ, extra)
        if path in _ASSETS:
            name, ctype = _ASSETS[path]
            return "200 OK", [("Content-Type", ctype)], _asset(name)
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        if path == "/review/api/documents":
            return _json(self.documents())
        if path == "/review/api/document":
            return _json(self.document((query.get("id") or [""])[0]))
        raise HttpError("404 Not Found", f"nothing at {html.escape(path)}")

    def page(self, environ: dict[str, Any], extra: list[tuple[str, str]]) -> Answer:
        sid = self._session(environ)
        if sid is None:
            sid = secrets.token_urlsafe(24)
            if len(self.sessions) >= _MAX_SESSIONS:  # the oldest goes (dicts keep order)
                del self.sessions[next(iter(self.sessions))]
            self.sessions[sid] = secrets.token_urlsafe(32)
            extra.append(
                ("Set-Cookie", f"{_COOKIE}={sid}; Path=/review; HttpOnly; SameSite=Strict")
            )
        text = _asset("review.html").decode()
        text = text.replace("{{TOKEN}}", html.escape(self.sessions[sid]))
        text = text.replace("{{REVIEWER}}", html.escape(self.reviewer))
        return "200 OK", [("Content-Type", "text/html; charset=utf-8")], text.encode()

    # ------------------------------------------------------------------ checks
    def _session(self, environ: dict[str, Any]) -> str | None:
        cookie = SimpleCookie()
        try:
            cookie.load(environ.get("HTTP_COOKIE") or "")
        except Exception:
            return None
        morsel = cookie.get(_COOKIE)
        return morsel.value if morsel is not None and morsel.value in self.sessions else None

    def _check_write(self, environ: dict[str, Any]) -> None:
        origin = f"http://{environ.get('HTTP_HOST')}"
        given = environ.get("HTTP_ORIGIN")
        if given is None:
            referer = environ.get("HTTP_REFERER") or ""
            same = referer == origin or referer.startswith(origin + "/")
        else:
            same = given == origin
        if not same:
            raise HttpError("403 Forbidden", "a review request from another origin is refused")
        sid = self._session(environ)
        token = environ.get("HTTP_X_REVIEW_TOKEN") or ""
        if sid is None or not hmac.compare_digest(token, self.sessions[sid]):
            raise HttpError("403 Forbidden", "no valid review token: reload the review page")

    def _body(self, environ: dict[str, Any]) -> dict[str, Any]:
        ctype = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip()
        if ctype != "application/json":
            raise HttpError("415 Unsupported Media Type", "send application/json")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError as exc:
            raise HttpError("400 Bad Request", "bad Content-Length") from exc
        if length > 100_000:
            raise HttpError("413 Payload Too Large", "the request is too large")
        try:
            data = json.loads(environ["wsgi.input"].read(length) or b"{}")
        except ValueError as exc:
            raise HttpError("400 Bad Request", f"not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise HttpError("400 Bad Request", "send a JSON object")
        return data

    # ------------------------------------------------------------------ reading
    def documents(self) -> dict[str, Any]:
        store = self.store
        docs = [
            {"id": d.content_hash, "path": d.paths[0], "title": d.title}
            for d in loc.documents(store)
        ]
        actors = sorted(loc.Actors(store).labels)
        return {"documents": docs, "actors": actors, "topics": _topics()}

    def document(self, content_hash: str) -> dict[str, Any]:
        store = self.store
        doc = loc.find_document(store, content_hash)
        facts = [
            {**asdict(f), "kind": f.kind.value, "status": f.status.value}
            for f in actions.document_facts(store, doc)
        ]
        return {
            "id": doc.content_hash,
            "path": doc.paths[0],
            "title": doc.title,
            "text": loc.document_text(store, doc),
            "facts": facts,
        }

    # ------------------------------------------------------------------ writing
    @contextmanager
    def _writable(self) -> Iterator[Store]:
        if isinstance(self.view, Store):  # a store given by a test: itself
            yield self.view
            return
        with Store(self.view.path) as store:
            yield store

    def write(self, path: str, data: dict[str, Any]) -> Answer:
        reviewer = str(data.get("reviewer") or self.reviewer).strip()
        with self.write_lock, self._writable() as store:
            made = self._decision(store, path, data, reviewer)
            outcome = actions.record(store, self.decisions, [made])
        assert outcome is not None
        return _json({"decision": made.id, "review": outcome.lines()})

    def _decision(self, store: Store, path: str, data: dict[str, Any], reviewer: str) -> Decision:
        if path == "/review/api/merge":
            merged = [str(m) for m in data.get("merged") or []]
            return actions.merge(store, reviewer, str(data.get("kept") or ""), merged)
        if path == "/review/api/split":
            return actions.split(store, reviewer, str(data.get("actor")), str(data.get("name")))
        if path != "/review/api/decide":
            raise HttpError("404 Not Found", "no such review action")
        status = _ACTIONS.get(str(data.get("action")))
        if status is None:
            raise HttpError("400 Bad Request", f"action must be one of {', '.join(_ACTIONS)}")
        try:
            kind = Kind(str(data.get("kind")))
            span = (int(data["start"]), int(data["end"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise HttpError("400 Bad Request", "say the fact's kind, start and end") from exc
        return actions.decide(
            store,
            kind=kind,
            status=status,
            reviewer=reviewer,
            document=str(data.get("document") or ""),
            span=span,
            select=_strings(data.get("select")),
            changes=_strings(data.get("changes")),
            note=str(data["note"]) if data.get("note") else None,
        )


def _strings(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if v not in (None, "")}


def _topics() -> list[dict[str, str]]:
    from ..topics import load_topics

    return [{"id": t.notation, "label": t.label} for t in load_topics().topics]


@dataclass(frozen=True)
class ReviewMount:
    """`ServeConfig.review`: mounts the review page in front of the SPARQL application."""

    decisions: Path
    reviewer: str

    def __call__(self, inner: App, view: Store | StoreView) -> ReviewApp:
        return ReviewApp(inner, view, self.decisions, self.reviewer)
