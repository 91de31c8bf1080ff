"""Values passed between the linking steps: what the store knows, what Wikidata answered,
how each candidate scored, and what a run did."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

__all__ = [
    "WD_ENTITY",
    "Candidate",
    "Entity",
    "LinkRecord",
    "LinkReport",
    "ReviewItem",
    "ScoredCandidate",
    "is_qid",
    "qid_of",
]

WD_ENTITY = "http://www.wikidata.org/entity/"


def is_qid(text: str) -> bool:
    return len(text) > 1 and text[0] == "Q" and text[1:].isdigit() and text[1] != "0"


def qid_of(iri: str) -> str | None:
    """The QID of a Wikidata item IRI, or None for anything else (properties, lexemes …)."""
    if not iri.startswith(WD_ENTITY):
        return None
    tail = iri[len(WD_ENTITY) :]
    return tail if is_qid(tail) else None


@dataclass(frozen=True)
class Entity:
    """An actor, country or topic of the store, with the clues that help find its item."""

    iri: URIRef
    kind: str  # an ActorKind, or "topic"
    label: str
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    country_nodes: tuple[URIRef, ...] = ()
    parents: tuple[str, ...] = ()
    websites: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return str(self.iri).rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Candidate:
    """A Wikidata item as the endpoint described it (labels of classes, countries, parents)."""

    qid: str
    labels: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    description: str | None = None
    classes: tuple[str, ...] = ()  # labels (or QIDs when unlabelled) of P31 values
    superclasses: tuple[str, ...] = ()  # P279: the item is a class, not an actor
    countries: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()
    websites: tuple[str, ...] = ()

    @property
    def iri(self) -> URIRef:
        return URIRef(WD_ENTITY + self.qid)

    @property
    def title(self) -> str:
        return self.labels[0] if self.labels else self.qid


@dataclass(frozen=True)
class ScoredCandidate:
    candidate: Candidate
    score: float
    features: tuple[str, ...]
    vetoed: bool = False
    matched_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class LinkRecord:
    """One owl:sameAs link the run wrote, and why."""

    subject: URIRef
    label: str
    qid: str
    score: float
    features: tuple[str, ...]
    decided_by: str  # "scorer", "review" or "kept" (carried over from an earlier run)
    source: str | None = None
    at: str | None = None  # when the deciding answer or decision was made (ISO 8601)
    relation: str = "sameAs"  # sameAs (actors), closeMatch / exactMatch (topics)
    by: str | None = None  # who judged, for a link the review file made


@dataclass(frozen=True)
class ReviewItem:
    """An entity left unlinked because the scorer could not decide; a human should."""

    subject: URIRef
    label: str
    kind: str
    reason: str
    candidates: tuple[ScoredCandidate, ...]


@dataclass(frozen=True)
class LinkReport:
    links: tuple[LinkRecord, ...] = ()
    review: tuple[ReviewItem, ...] = ()
    unmatched: tuple[str, ...] = ()  # entities with no candidate at all
    problems: tuple[str, ...] = ()  # what could not be done (offline misses, endpoint errors)
    notes: tuple[str, ...] = ()  # review entries that matched nothing, carried-over links …
    requests: int = 0  # answers fetched from the endpoint
    cache_hits: int = 0
    enrichment_triples: int = 0
    topic_links: tuple[LinkRecord, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return not self.problems
