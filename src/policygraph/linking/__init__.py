"""Wikidata linking: candidates, scoring, the answer cache, the review file, enrichment.

Library entry point: `link_wikidata(store, endpoint=..., cache=..., offline=..., review=...)`.
"""

from __future__ import annotations

from .cache import DEFAULT_TTL
from .endpoint import DEFAULT_ENDPOINT, USER_AGENT, USER_AGENT_ENV, RetryPolicy, user_agent
from .graphs import ENRICHMENT_GRAPH, LINKS_GRAPH
from .link import link_wikidata
from .model import LinkRecord, LinkReport, ReviewItem, ScoredCandidate
from .review import load_review, pending_yaml

__all__ = [
    "DEFAULT_ENDPOINT",
    "DEFAULT_TTL",
    "ENRICHMENT_GRAPH",
    "LINKS_GRAPH",
    "USER_AGENT",
    "USER_AGENT_ENV",
    "LinkRecord",
    "LinkReport",
    "RetryPolicy",
    "ReviewItem",
    "ScoredCandidate",
    "link_wikidata",
    "load_review",
    "pending_yaml",
    "user_agent",
]
