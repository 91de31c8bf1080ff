"""Asking a SPARQL endpoint (the public Wikidata Query Service by default) politely: a
User-Agent that says who asks and how to reach them, a timeout, retries with back-off, and
respect for HTTP 429 / Retry-After. Answers are cached per key (one name, one item): only the
keys the cache lacks (or holds past their time to live) are asked, in batches; offline, only
the cache answers. The HTTP itself is sparql.client's (the one client and its one error
mapping).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import __version__
from ..errors import NotCached, RemoteError, TransientError
from ..sparql.client import SparqlClient, Transport, is_results
from .cache import AnswerCache, CachedEntry, now_iso

__all__ = [
    "DEFAULT_ENDPOINT",
    "USER_AGENT",
    "USER_AGENT_ENV",
    "AnswerSource",
    "Lookup",
    "RetryPolicy",
    "user_agent",
]

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
USER_AGENT_ENV = "POLICYGRAPH_USER_AGENT"
# Wikimedia's User-Agent policy asks who is asking and how to reach them; the project cannot
# know the user's address, so the default says how to give one.
USER_AGENT = (
    f"policygraph/{__version__} (Wikidata linker of the policygraph project; no contact "
    f"given: set {USER_AGENT_ENV} or --user-agent to 'name (mailto:you@example.org)')"
)


def user_agent(given: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The User-Agent to send: `given`, else $POLICYGRAPH_USER_AGENT, else the default; a
    contact given alone ("me@example.org") is put after the project's name."""
    env = os.environ if environ is None else environ
    text = " ".join((given or env.get(USER_AGENT_ENV) or "").split())
    if not text:
        return USER_AGENT
    if text.startswith("policygraph/") or "/" in text.split(" ", 1)[0]:
        return text
    return f"policygraph/{__version__} ({text})"


@dataclass(frozen=True)
class RetryPolicy:
    timeout: float = 60.0  # seconds per request
    retries: int = 3  # further attempts after the first
    backoff: float = 2.0  # seconds before the first retry, doubled each time
    max_wait: float = 120.0  # a Retry-After longer than this is not waited for


@dataclass
class Lookup:
    """What a batched, cached lookup found: an entry per key, and the keys it could not get."""

    entries: dict[str, CachedEntry] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


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
        agent: str | None = None,
    ) -> None:
        self.endpoint = endpoint or DEFAULT_ENDPOINT
        self.cache = cache if cache is not None else AnswerCache(None)
        self.offline = offline
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self._client = SparqlClient(
            self.endpoint,
            timeout=self.policy.timeout,
            user_agent=user_agent(agent),
            transport=transport,
        )
        self.requests = 0
        self.cache_hits = 0
        self.misses: dict[str, int] = {}  # offline: keys the cache lacked, per kind of lookup
        self.waits: list[float] = []  # every pause taken before a retry, in seconds

    def lookup(
        self,
        keys: Sequence[str],
        ask: Callable[[list[str]], str] | None,
        split: Callable[[list[str], dict[str, Any]], Mapping[str, Any]],
        batch: int,
        what: str,
    ) -> Lookup:
        """An entry for each key: from the cache when it holds a fresh one (or any, offline),
        else asked in batches of `batch` keys. `ask(keys)` writes one query for a batch
        (None: `post(keys)` asks, for a reconciliation service); `split(keys, answer)` gives
        each key of the batch its value (JSON)."""
        out = Lookup()
        wanted: list[str] = []
        for key in dict.fromkeys(keys):
            entry = self.cache.get(self.endpoint, key)
            if entry is not None and (self.offline or self.cache.fresh(entry)):
                self.cache_hits += 1
                out.entries[key] = entry
            else:
                wanted.append(key)
        if wanted and self.offline:
            # one line for the whole run says what the cache lacked (see `offline_problem`)
            out.failed |= set(wanted)
            self.misses[what] = self.misses.get(what, 0) + len(wanted)
            return out
        errors: dict[str, int] = {}
        batches = range(0, len(wanted), batch)
        for start in batches:
            chunk = wanted[start : start + batch]
            try:
                result = self.select(ask(chunk)) if ask else self.post(chunk)
            except RemoteError as exc:
                out.failed |= set(chunk)
                errors[str(exc)] = errors.get(str(exc), 0) + 1
                continue
            fetched = now_iso()
            values = split(chunk, result)
            for key in chunk:
                entry = CachedEntry(values.get(key), fetched)
                self.cache.put(self.endpoint, key, entry)
                out.entries[key] = entry
        for message, count in errors.items():
            out.problems.append(f"{what}: {count} of {len(batches)} requests failed ({message})")
        return out

    def offline_problem(self) -> str | None:
        """What an offline run could not answer, in one line (None: nothing missing)."""
        if not self.misses:
            return None
        counts = ", ".join(f"{n} for {what}" for what, n in self.misses.items())
        return f"offline: not in the cache of {self.endpoint}: {counts}"

    def select(self, query: str) -> dict[str, Any]:
        """The endpoint's SELECT answer (not cached). Raises RemoteError when it gave up."""
        if self.offline:
            raise NotCached(f"offline and no cached answer from {self.endpoint}")
        return self._fetch(query)

    def post(self, keys: list[str]) -> dict[str, Any]:
        """A reconciliation service's answer to a batch of `reconcile\t<name>` keys."""
        if self.offline:
            raise NotCached(f"offline and no cached answer from {self.endpoint}")
        queries = {f"q{i}": {"query": k.split("\t", 1)[1], "limit": 5} for i, k in enumerate(keys)}
        return self._fetch("", lambda: self._client.post_form_json({"queries": queries}))

    def _fetch(
        self, query: str, call: Callable[[], dict[str, Any]] | None = None
    ) -> dict[str, Any]:
        delay = self.policy.backoff
        last = ""
        for attempt in range(self.policy.retries + 1):
            try:
                self.requests += 1
                return call() if call else self._once(query)
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
