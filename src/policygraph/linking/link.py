"""`link_wikidata`: find, score and record Wikidata links for the store's actors.

Steps: read the actors and countries from the store; apply the review file's decisions
(they override the scorer and need no network); look the others up in batches; score; link
above the threshold, list the rest for review; fetch what Wikidata says about every linked
item; replace the links graph and the enrichment graph in one transaction. What the endpoint
could not answer (offline, errors) is reported, and the links and enrichment an earlier run
made for those entities are kept, so such a run changes nothing it could not check.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from ..store import Store
from ..vocab import DCTERMS, ID, ORG, PG, RDF, SCHEMA, SKOS, actor_iri, slug, topic_iri
from .cache import DEFAULT_TTL, AnswerCache
from .candidates import fetch_details, find_candidates
from .endpoint import AnswerSource, RetryPolicy
from .graphs import (
    ENRICHMENT_GRAPH,
    LINKS_GRAPH,
    enrichment_graph,
    kept_enrichment,
    kept_links,
    link_graph,
)
from .local import document_languages, read_entities, read_topics
from .model import Entity, LinkRecord, LinkReport, ReviewItem
from .reconciled import reconcile_candidates
from .review import ActorDecision, Judgement, ReviewFile, load_review, names_match
from .scoring import THRESHOLD, TypeRules, decide, score_candidates
from .search import match_names, search_candidates

__all__ = ["link_wikidata"]

POSITIVE, NEGATIVE, UNSURE = Judgement.POSITIVE, Judgement.NEGATIVE, Judgement.UNSURE


def link_wikidata(
    store: Store,
    *,
    endpoint: str | None = None,
    cache: Path | None = None,
    offline: bool = False,
    review: Path | None = None,
    languages: Iterable[str] = (),
    threshold: float = THRESHOLD,
    policy: RetryPolicy | None = None,
    rules: TypeRules | None = None,
    sleep: Callable[[float], None] = time.sleep,
    user_agent: str | None = None,
    ttl: timedelta | None = DEFAULT_TTL,
    search: bool = True,
    reconcile: Sequence[str] = (),
) -> LinkReport:
    """Link the store's actors to Wikidata and write the links and enrichment graphs.

    `user_agent` (else $POLICYGRAPH_USER_AGENT) goes with every request; `ttl` is how long a
    cached answer is trusted online (None: for ever); `search` adds the candidates of
    Wikidata's entity search to those of exact labels; `reconcile` names W3C reconciliation
    services whose Wikidata ids are candidates too."""
    rules = rules or TypeRules.load()
    decisions = load_review(review)
    answers = AnswerCache(cache, ttl)
    source = AnswerSource(
        endpoint, answers, offline=offline, policy=policy, sleep=sleep, agent=user_agent
    )
    services = [
        AnswerSource(url, answers, offline=offline, policy=policy, sleep=sleep, agent=user_agent)
        for url in reconcile
    ]
    try:
        report = _run(store, source, decisions, rules, languages, threshold, search, services)
        offline_lines = [p for p in (s.offline_problem() for s in (source, *services)) if p]
        if offline_lines:
            report = replace(report, problems=(*offline_lines, *report.problems))
        return report
    finally:
        answers.save()  # answers already paid for are kept even if the run fails later


def _run(
    store: Store,
    source: AnswerSource,
    decisions: ReviewFile,
    rules: TypeRules,
    languages: Iterable[str],
    threshold: float,
    search: bool,
    services: Sequence[AnswerSource],
) -> LinkReport:
    problems: list[str] = []
    notes: list[str] = []
    if source.cache.problem:
        problems.append(source.cache.problem)
    entities = read_entities(store)
    langs = set(languages) | set(document_languages(store)) | {"en"}

    reviewed: dict[URIRef, list[ActorDecision]] = {}
    for e in entities:
        mine = decisions.for_entity(e)
        if mine:
            reviewed[e.iri] = mine
    used = {id(d) for ds in reviewed.values() for d in ds}

    decided_topics = {slug(d.notation) for d in decisions.topics}
    topics = [t for t in read_topics(store) if t.key not in decided_topics]
    # Every entity is looked up, decided by the review file or not, so that the queries (and
    # so the cache keys) depend on the store alone: a colleague with another review file
    # still finds the answers in a shared cache.
    found = find_candidates([*entities, *topics], source, rules, langs)
    if search:
        search_candidates([*entities, *topics], source, rules, found)
    for service in services:
        reconcile_candidates(entities, service, rules, found)
    problems += found.problems
    candidate_qids = {q for per in found.matches.values() for q in per}
    # the items' names in the languages their actors' countries speak too: a search hit
    # is matched on them ("Asociacion …" is filed under its Spanish label)
    langs |= {lang for e in entities for lang in rules.languages_for(e.countries)}
    details = fetch_details(candidate_qids, source, langs)
    # every item the review file links (parents and countries it may add included)
    review_qids = {d.qid for d in decisions.actors if d.qid and d.judgement is POSITIVE}
    extra_details = fetch_details(review_qids - candidate_qids, source, langs)
    details.merge(extra_details)
    problems += details.problems

    records: list[LinkRecord] = []
    pending: list[ReviewItem] = []
    unmatched: list[str] = []
    unchecked: set[URIRef] = set()
    for e in [*entities, *topics]:
        ds = reviewed.get(e.iri, [])
        chosen = next((d for d in ds if d.judgement is POSITIVE), None)
        if chosen is not None and chosen.qid:
            if len({d.qid for d in ds if d.judgement is POSITIVE}) > 1:
                notes.append(f"{e.label}: several review decisions; used {chosen.qid}")
            records.append(_reviewed(e, chosen, chosen.qid))
            continue
        if any(d.judgement is NEGATIVE and d.qid is None for d in ds):
            continue
        rejected = {d.qid for d in ds if d.judgement is NEGATIVE}
        unsure = [d for d in ds if d.judgement is UNSURE]
        matches = {q: m for q, m in found.matches.get(e.iri, {}).items() if q not in rejected}
        if e.iri in found.failed or any(q in details.failed for q in matches):
            unchecked.add(e.iri)
            continue
        items = {q: details.items[q] for q in matches if q in details.items}
        named = {q: match_names(e, items[q], m, rules) for q, m in matches.items() if q in items}
        scored = score_candidates(e, items, named, rules)
        verdict = decide(scored, threshold)
        doubt = _doubt(unsure, verdict.chosen.candidate.qid if verdict.chosen else None)
        if doubt is not None:
            # a human looked and could not tell: the scorer does not decide it either
            pending.append(ReviewItem(e.iri, e.label, e.kind, doubt, tuple(scored)))
        elif e.kind == "topic" and scored:
            # No type check can tell a concept's item from a namesake: a human decides.
            reason = f"topics are linked by the review file only ({verdict.reason})"
            pending.append(ReviewItem(e.iri, e.label, e.kind, reason, tuple(scored)))
        elif verdict.chosen is not None:
            best = verdict.chosen
            records.append(
                LinkRecord(
                    e.iri,
                    e.label,
                    best.candidate.qid,
                    best.score,
                    best.features,
                    "scorer",
                    at=found.fetched.get(e.iri),
                )
            )
        elif scored:
            pending.append(ReviewItem(e.iri, e.label, e.kind, verdict.reason, tuple(scored)))
        else:
            unmatched.append(e.label)

    extra = Graph()
    records += _countries_of_governments(entities, decisions, used, extra, notes)
    records += _parents(entities, decisions, used, extra, notes)
    idle = [
        d.names[0]
        for d in decisions.actors
        if id(d) not in used and not _is_country_fallback(d, entities)
    ]
    if idle:
        notes.append(f"review: {len(idle)} decisions match no actor here: {', '.join(idle)}")

    old_links = store.graph(LINKS_GRAPH)
    kept_graph, kept = kept_links(old_links, unchecked)
    extra += kept_graph  # copied as they were: same node, same score, same time
    if kept:
        notes.append(
            f"{len(unchecked)} entities could not be checked; "
            f"{len(kept)} links from an earlier run kept"
        )
    topic_records = _topic_links(decisions)

    linked = {r.qid for r in (*records, *kept)}
    missing = sorted(q for q in linked if q not in details.statements)
    enrichment = enrichment_graph(
        linked, details, kept_enrichment(store.graph(ENRICHMENT_GRAPH), missing)
    )
    links = link_graph([*records, *topic_records], extra)
    records += kept
    store.replace_graphs({LINKS_GRAPH: links, ENRICHMENT_GRAPH: enrichment})
    return LinkReport(
        links=tuple(sorted(records, key=lambda r: (r.label, r.qid))),
        review=tuple(sorted(pending, key=lambda p: p.label)),
        unmatched=tuple(sorted(unmatched)),
        problems=tuple(problems),
        notes=tuple(notes),
        requests=source.requests + sum(s.requests for s in services),
        cache_hits=source.cache_hits + sum(s.cache_hits for s in services),
        enrichment_triples=len(enrichment),
        topic_links=tuple(topic_records),
    )


def _doubt(unsure: list[ActorDecision], chosen: str | None) -> str | None:
    """Why an `unsure` judgement holds the scorer's choice back, or None."""
    for d in unsure:
        if d.qid is None or d.qid == chosen:
            who = f" by {d.by}" if d.by else ""
            when = f" on {d.date}" if d.date else ""
            what = f" about {d.qid}" if d.qid else ""
            return f"judged unsure{what}{who}{when}"
    return None


def _reviewed(e: Entity, d: ActorDecision, qid: str) -> LinkRecord:
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


def _is_country_fallback(d: ActorDecision, entities: list[Entity]) -> bool:
    return d.kind == "country" and any(_governs(e, d) for e in entities)


def _governs(e: Entity, d: ActorDecision) -> bool:
    return (
        e.kind == "government"
        and not e.country_nodes
        and d.matches(Entity(e.iri, "country", e.label, e.aliases))
    )


def _countries_of_governments(
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


def _parents(
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


def _topic_links(decisions: ReviewFile) -> list[LinkRecord]:
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
