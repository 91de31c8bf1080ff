"""Asking a SPARQL endpoint (the public Wikidata Query Service by default) through
SPARQLWrapper, politely: a descriptive User-Agent, a timeout, retries with back-off, and
respect for HTTP 429 / Retry-After. Every answer goes through the cache; offline, only the
cache answers.
"""

from __future__ import annotations

import email.utils
import json
import time
import urllib.error
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from http.client import HTTPException
from typing import Any

from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from .. import __version__
from ..errors import RemoteError
from .cache import AnswerCache, CachedAnswer, is_results

__all__ = [
    "DEFAULT_ENDPOINT",
    "USER_AGENT",
    "AnswerSource",
    "NotCached",
    "RetryPolicy",
]

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
# Wikimedia asks for a User-Agent that says who is asking and how to reach them.
USER_AGENT = (
    f"policygraph/{__version__} (Wikidata linker for policy-debate knowledge graphs; "
    "https://w3id.org/policygraph) SPARQLWrapper/2"
)


class NotCached(RemoteError):
    """Offline and the cache has no answer for this query."""


@dataclass(frozen=True)
class RetryPolicy:
    timeout: float = 60.0  # seconds per request
    retries: int = 3  # further attempts after the first
    backoff: float = 2.0  # seconds before the first retry, doubled each time
    max_wait: float = 120.0  # a Retry-After longer than this is not waited for


class _Transient(Exception):
    """A failure worth another attempt; `wait` is what the server asked for, if anything."""

    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.wait = wait


class AnswerSource:
    """Answers SELECT queries from the cache, or from the endpoint unless offline."""

    def __init__(
        self,
        endpoint: str | None = None,
        cache: AnswerCache | None = None,
        *,
        offline: bool = False,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.endpoint = endpoint or DEFAULT_ENDPOINT
        self.cache = cache if cache is not None else AnswerCache(None)
        self.offline = offline
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self.requests = 0
        self.cache_hits = 0
        self.waits: list[float] = []  # every pause taken before a retry, in seconds

    def select(self, query: str) -> CachedAnswer:
        """The answer to `query`. Raises NotCached (offline miss) or RemoteError (gave up)."""
        cached = self.cache.get(self.endpoint, query)
        if cached is not None:
            self.cache_hits += 1
            return cached
        if self.offline:
            raise NotCached(f"offline and no cached answer from {self.endpoint}")
        result = self._fetch(query)
        answer = CachedAnswer(result, datetime.now(UTC).replace(microsecond=0).isoformat())
        self.cache.put(self.endpoint, query, answer)
        return answer

    def _fetch(self, query: str) -> dict[str, Any]:
        delay = self.policy.backoff
        last = ""
        for attempt in range(self.policy.retries + 1):
            try:
                self.requests += 1
                return self._once(query)
            except _Transient as exc:
                last = str(exc)
                if attempt == self.policy.retries:
                    break
                wait = delay if exc.wait is None else exc.wait
                if wait > self.policy.max_wait:
                    raise RemoteError(
                        f"{self.endpoint}: {last}; the server asks to wait {wait:.0f} s, "
                        f"longer than the {self.policy.max_wait:.0f} s allowed; try again later"
                    ) from exc
                self.waits.append(wait)
                self._sleep(wait)
                delay *= 2
        raise RemoteError(
            f"{self.endpoint}: gave up after {self.policy.retries + 1} attempts: {last}"
        )

    def _once(self, query: str) -> dict[str, Any]:
        client = SPARQLWrapper(self.endpoint, agent=USER_AGENT)
        client.setQuery(query)
        client.setMethod(POST)
        client.setReturnFormat(JSON)
        # setTimeout() truncates to whole seconds; the attribute takes a float.
        client.timeout = self.policy.timeout  # type: ignore[assignment]
        try:
            response = client.query().response
            body = response.read()
        except urllib.error.HTTPError as exc:
            raise self._http_error(exc) from exc
        except SPARQLWrapperException as exc:
            # SPARQLWrapper maps 400/401/404/414/500 to its own exceptions.
            text = str(exc).splitlines()[0][:200]
            if type(exc).__name__ == "EndPointInternalError":
                raise _Transient(f"server error: {text}") from exc
            raise RemoteError(f"{self.endpoint}: the endpoint refused the query: {text}") from exc
        except TimeoutError as exc:
            raise _Transient(f"no answer within {self.policy.timeout:g} s") from exc
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise _Transient(f"no answer within {self.policy.timeout:g} s") from exc
            raise _Transient(f"cannot connect: {reason}") from exc
        except (HTTPException, ConnectionError, OSError) as exc:
            raise _Transient(f"connection failed: {exc}") from exc
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise _Transient(f"the answer is not valid JSON ({exc})") from exc
        if not is_results(data):
            raise _Transient("the answer is JSON but not SPARQL results (no head/results)")
        return data  # type: ignore[no-any-return]

    def _http_error(self, exc: urllib.error.HTTPError) -> Exception:
        if exc.code == 429 or exc.code >= 500:
            wait = _retry_after(exc.headers.get("Retry-After") if exc.headers else None)
            what = "too many requests (HTTP 429)" if exc.code == 429 else f"HTTP {exc.code}"
            return _Transient(what, wait)
        return RemoteError(f"{self.endpoint}: HTTP {exc.code} {exc.reason}")


def _retry_after(value: str | None) -> float | None:
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
