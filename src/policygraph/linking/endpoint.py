"""Asking a SPARQL endpoint (the public Wikidata Query Service by default) politely: a
descriptive User-Agent, a timeout, retries with back-off, and respect for HTTP 429 /
Retry-After. Every answer goes through the cache; offline, only the cache answers. The HTTP
itself is sparql.client's (the one client and its one error mapping).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .. import __version__
from ..errors import NotCached, RemoteError, TransientError
from ..sparql.client import SparqlClient, Transport, is_results
from .cache import AnswerCache, CachedAnswer

__all__ = [
    "DEFAULT_ENDPOINT",
    "USER_AGENT",
    "AnswerSource",
    "RetryPolicy",
]

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
# Wikimedia asks for a User-Agent that says who is asking and how to reach them.
USER_AGENT = (
    f"policygraph/{__version__} (Wikidata linker for policy-debate knowledge graphs; "
    "https://w3id.org/policygraph)"
)


@dataclass(frozen=True)
class RetryPolicy:
    timeout: float = 60.0  # seconds per request
    retries: int = 3  # further attempts after the first
    backoff: float = 2.0  # seconds before the first retry, doubled each time
    max_wait: float = 120.0  # a Retry-After longer than this is not waited for


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
        transport: Transport | None = None,
    ) -> None:
        self.endpoint = endpoint or DEFAULT_ENDPOINT
        self.cache = cache if cache is not None else AnswerCache(None)
        self.offline = offline
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self._client = SparqlClient(
            self.endpoint, timeout=self.policy.timeout, user_agent=USER_AGENT, transport=transport
        )
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
            except TransientError as exc:
                last = exc.problem
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
        data = self._client.select_json(query)
        if not is_results(data):
            raise TransientError(self.endpoint, "the answer is not SELECT results")
        return data
