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
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

from rdflib import Graph, URIRef

from ..store import Store
from ..vocab import slug
from .cache import DEFAULT_TTL, AnswerCache
from .candidates import CandidateAnswers, Details, fetch_details, find_candidates
from .endpoint import AnswerSource, RetryPolicy
from .graphs import (
    ENRICHMENT_GRAPH,
    LINKS_GRAPH,
    enrichment_graph,
    kept_enrichment,
    kept_links,
    link_graph,
)
from .judged import (
    countries_of_governments,
    doubt,
    is_country_fallback,
    parents,
    reviewed,
    topic_links,
)
from .local import document_languages, read_entities, read_topics
from .model import Entity, LinkRecord, LinkReport, ReviewItem
from .reconciled import reconcile_candidates
from .review import ActorDecision, Judgement, ReviewFile, load_review
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


@dataclass
class _Decided:
    """What the per-entity decisions of one run came to."""

    records: list[LinkRecord] = field(default_factory=list)
    pending: list[ReviewItem] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    unchecked: set[URIRef] = field(default_factory=set)  # not answered: earlier links kept
    notes: list[str] = field(default_factory=list)


def _gather(
    entities: list[Entity],
    topics: list[Entity],
    source: AnswerSource,
    services: Sequence[AnswerSource],
    decisions: ReviewFile,
    rules: TypeRules,
    langs: set[str],
    search: bool,
) -> tuple[CandidateAnswers, Details]:
    """Every entity's candidates (labels, the search, reconciliation services) and the
    details of every candidate and of every item the review file links."""
    # Every entity is looked up, decided by the review file or not, so that the queries (and
    # so the cache keys) depend on the store alone: a colleague with another review file
    # still finds the answers in a shared cache.
    found = find_candidates([*entities, *topics], source, rules, langs)
    if search:
        search_candidates([*entities, *topics], source, rules, found)
    for service in services:
        reconcile_candidates(entities, service, rules, found)
    candidate_qids = {q for per in found.matches.values() for q in per}
    # the items' names in the languages their actors' countries speak too: a search hit
    # is matched on them ("Asociacion …" is filed under its Spanish label)
    langs = langs | {lang for e in entities for lang in rules.languages_for(e.countries)}
    details = fetch_details(candidate_qids, source, langs)
    # every item the review file links (parents and countries it may add included)
    review_qids = {d.qid for d in decisions.actors if d.qid and d.judgement is POSITIVE}
    details.merge(fetch_details(review_qids - candidate_qids, source, langs))
    return found, details


def _decide(
    e: Entity,
    ds: list[ActorDecision],
    found: CandidateAnswers,
    details: Details,
    rules: TypeRules,
    threshold: float,
    out: _Decided,
) -> None:
    """One entity: the review file's judgement, else the scorer's, into `out`."""
    chosen = next((d for d in ds if d.judgement is POSITIVE), None)
    if chosen is not None and chosen.qid:
        if len({d.qid for d in ds if d.judgement is POSITIVE}) > 1:
            out.notes.append(f"{e.label}: several review decisions; used {chosen.qid}")
        out.records.append(reviewed(e, chosen, chosen.qid))
        return
    if any(d.judgement is NEGATIVE and d.qid is None for d in ds):
        return
    rejected = {d.qid for d in ds if d.judgement is NEGATIVE}
    matches = {q: m for q, m in found.matches.get(e.iri, {}).items() if q not in rejected}
    if e.iri in found.failed or any(q in details.failed for q in matches):
        out.unchecked.add(e.iri)
        return
    items = {q: details.items[q] for q in matches if q in details.items}
    named = {q: match_names(e, items[q], m, rules) for q, m in matches.items() if q in items}
    scored = score_candidates(e, items, named, rules)
    verdict = decide(scored, threshold)
    unsure = [d for d in ds if d.judgement is UNSURE]
    held = doubt(unsure, verdict.chosen.candidate.qid if verdict.chosen else None)
    if held is not None:
        # a human looked and could not tell: the scorer does not decide it either
        out.pending.append(ReviewItem(e.iri, e.label, e.kind, held, tuple(scored)))
    elif e.kind == "topic" and scored:
        # No type check can tell a concept's item from a namesake: a human decides.
        reason = f"topics are linked by the review file only ({verdict.reason})"
        out.pending.append(ReviewItem(e.iri, e.label, e.kind, reason, tuple(scored)))
    elif verdict.chosen is not None:
        best = verdict.chosen
        out.records.append(
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
        out.pending.append(ReviewItem(e.iri, e.label, e.kind, verdict.reason, tuple(scored)))
    else:
        out.unmatched.append(e.label)


def _implied_by_review(
    entities: list[Entity],
    decisions: ReviewFile,
    used: set[int],
    extra: Graph,
    notes: list[str],
) -> list[LinkRecord]:
    """The links the review file implies beyond the actors it names (a government's country,
    a body's parent), and a note naming the decisions that still match no actor here."""
    records = countries_of_governments(entities, decisions, used, extra, notes)
    records += parents(entities, decisions, used, extra, notes)
    idle = [
        d.names[0]
        for d in decisions.actors
        if id(d) not in used and not is_country_fallback(d, entities)
    ]
    if idle:
        notes.append(f"review: {len(idle)} decisions match no actor here: {', '.join(idle)}")
    return records


def _kept_from_earlier(
    store: Store, unchecked: set[URIRef], extra: Graph, notes: list[str]
) -> list[LinkRecord]:
    """The scorer's links an earlier run made for the entities this run could not check, so
    that an offline or failing run changes nothing it could not check."""
    kept_graph, kept = kept_links(store.graph(LINKS_GRAPH), unchecked)
    extra += kept_graph  # copied as they were: same node, same score, same time
    if kept:
        notes.append(
            f"{len(unchecked)} entities could not be checked; "
            f"{len(kept)} links from an earlier run kept"
        )
    return kept


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
    problems: list[str] = [source.cache.problem] if source.cache.problem else []
    entities = read_entities(store)
    langs = set(languages) | set(document_languages(store)) | {"en"}
    reviewed = {e.iri: ds for e in entities if (ds := decisions.for_entity(e))}
    used = {id(d) for ds in reviewed.values() for d in ds}
    decided_topics = {slug(d.notation) for d in decisions.topics}
    topics = [t for t in read_topics(store) if t.key not in decided_topics]
    found, details = _gather(entities, topics, source, services, decisions, rules, langs, search)
    problems += found.problems + details.problems
    decided = _Decided()
    for e in [*entities, *topics]:
        _decide(e, reviewed.get(e.iri, []), found, details, rules, threshold, decided)
    records, pending, unmatched = decided.records, decided.pending, decided.unmatched
    unchecked, notes = decided.unchecked, decided.notes

    extra = Graph()
    records += _implied_by_review(entities, decisions, used, extra, notes)
    kept = _kept_from_earlier(store, unchecked, extra, notes)
    topic_records = topic_links(decisions)

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
