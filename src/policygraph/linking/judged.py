"""Links the review file makes on its own: an entity's positive judgement, the country of a
government the documents name after its country, the parents the documents leave implicit,
and the topics; and why an `unsure` judgement holds the scorer back."""

from __future__ import annotations

from rdflib import Graph, Literal

from ..vocab import DCTERMS, ID, ORG, PG, RDF, SCHEMA, SKOS, actor_iri, slug, topic_iri
from .model import Entity, LinkRecord
from .review import ActorDecision, Judgement, ReviewFile, names_match

__all__ = [
    "countries_of_governments",
    "doubt",
    "is_country_fallback",
    "parents",
    "reviewed",
    "topic_links",
]

POSITIVE = Judgement.POSITIVE


def doubt(unsure: list[ActorDecision], chosen: str | None) -> str | None:
    """Why an `unsure` judgement holds the scorer's choice back, or None."""
    for d in unsure:
        if d.qid is None or d.qid == chosen:
            who = f" by {d.by}" if d.by else ""
            when = f" on {d.date}" if d.date else ""
            what = f" about {d.qid}" if d.qid else ""
            return f"judged unsure{what}{who}{when}"
    return None


def reviewed(e: Entity, d: ActorDecision, qid: str) -> LinkRecord:
    return LinkRecord(
        e.iri,
        e.label,
        qid,
        1.0,
        (f"review:{d.judgement}",),
        "review",
        source=d.source,
        at=d.date,
        by=d.by,
    )


def is_country_fallback(d: ActorDecision, entities: list[Entity]) -> bool:
    return d.kind == "country" and any(_governs(e, d) for e in entities)


def _governs(e: Entity, d: ActorDecision) -> bool:
    return (
        e.kind == "government"
        and not e.country_nodes
        and d.matches(Entity(e.iri, "country", e.label, e.aliases))
    )


def countries_of_governments(
    entities: list[Entity],
    decisions: ReviewFile,
    used: set[int],
    extra: Graph,
    notes: list[str],
) -> list[LinkRecord]:
    """A country decision that matched no country node, but names a government actor that has
    no country: the documents speak of the country's government ("the United Kingdom" signs a
    letter), so the country node is made here and linked, and the government pointed to it."""
    out: list[LinkRecord] = []
    countries = {e.iri for e in entities if e.kind == "country"}
    for d in decisions.actors:
        if id(d) in used or d.kind != "country" or d.judgement is not POSITIVE:
            continue
        for e in entities:
            if not _governs(e, d) or d.qid is None:
                continue
            country = ID[f"country/{slug(e.label)}"]
            if country not in countries:
                extra.add((country, RDF.type, SCHEMA.Country))
                extra.add((country, SKOS.prefLabel, Literal(e.label)))
            extra.add((e.iri, DCTERMS.spatial, country))
            record = LinkRecord(
                country,
                e.label,
                d.qid,
                1.0,
                ("review:positive", "country-of-government"),
                "review",
                source=d.source,
                at=d.date,
                by=d.by,
            )
            out.append(record)
            notes.append(f"{e.label}: country node made for the government actor, linked {d.qid}")
    return out


_PARENT_TYPES = {
    "organisation": (PG.Actor, ORG.FormalOrganization, SCHEMA.NGO),
    "company": (PG.Actor, ORG.FormalOrganization, SCHEMA.Corporation),
    "government": (PG.Actor, ORG.FormalOrganization, SCHEMA.GovernmentOrganization),
}


def parents(
    entities: list[Entity],
    decisions: ReviewFile,
    used: set[int],
    extra: Graph,
    notes: list[str],
) -> list[LinkRecord]:
    """Parents the documents leave implicit: the review file says whose parent an item is;
    the children are attached to the parent actor, which is made (and linked) if missing."""
    out: list[LinkRecord] = []
    for d in decisions.actors:
        if not d.parent_of or d.judgement is not POSITIVE or d.qid is None:
            continue
        children = [e for e in entities if names_match(d.parent_of, e)]
        if not children:
            continue
        existing = [e for e in entities if d.matches(e)]
        parent = existing[0].iri if existing else actor_iri(slug(d.names[0]))
        if not existing:
            for cls in _PARENT_TYPES.get(d.kind or "organisation", _PARENT_TYPES["organisation"]):
                extra.add((parent, RDF.type, cls))
            extra.add((parent, SKOS.prefLabel, Literal(d.names[0])))
            features = ("review:positive", *(f"parent-of:{c.label}" for c in children))
            out.append(
                LinkRecord(
                    parent,
                    d.names[0],
                    d.qid,
                    1.0,
                    features,
                    "review",
                    source=d.source,
                    at=d.date,
                    by=d.by,
                )
            )
            notes.append(f"{d.names[0]}: parent actor made from the review file, linked {d.qid}")
        used.add(id(d))
        for child in children:
            extra.add((child.iri, ORG.subOrganizationOf, parent))
    return out


def topic_links(decisions: ReviewFile) -> list[LinkRecord]:
    out = []
    for d in decisions.topics:
        if d.judgement is POSITIVE and d.qid:
            relation = "exactMatch" if d.match == "exact" else "closeMatch"
            out.append(
                LinkRecord(
                    topic_iri(d.notation),
                    d.notation,
                    d.qid,
                    1.0,
                    (f"review:{d.judgement}",),
                    "review",
                    source=d.source,
                    at=d.date,
                    by=d.by,
                    relation=relation,
                )
            )
    return out
