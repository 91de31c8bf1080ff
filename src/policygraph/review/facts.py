"""Applying one decision: accept, reject, correct, add, merge, split (see apply.py)."""

from __future__ import annotations

from rdflib import Literal, URIRef

from ..vocab import ATTRIBUTIONS, PG, POSITIONS, PROV, RDF, SCHEMA, SKOS, mint
from . import locate as loc
from .apply import (
    _TAKEN_OVER,
    _Writer,
    added_rule,
    fact_copy,
    span_node,
    topic_node,
)
from .model import Decision, FactKey, Kind, Status

__all__ = ["apply_one"]


def apply_one(w: _Writer, d: Decision) -> int:
    """Apply `d` to the review graph; 1 if it applied, 0 if not (the reason is recorded)."""
    if d.kind is Kind.MERGE:
        return _merge(w, d)
    if d.kind is Kind.SPLIT:
        return _split(w, d)
    assert d.key is not None
    where = loc.locate(w.store, d.key)
    if isinstance(where, str):
        w.fail(d, where)
        return 0
    key = where.key
    if where.moved:
        w.moved.append(f"{d.id}: {d.key.source} changed; the span is now at {key.start}")
    if d.status is Status.ADDED:
        return _add(w, d, key, where.document)
    facts = loc.facts_at(w.store, d, key)
    if not facts:
        w.fail(d, f"no {d.kind.value} is read from {key.text!r} any more")
        return 0
    for fact in facts:
        if d.status is Status.CORRECTED:
            _correct(w, d, fact, where.document)
        else:
            w.status(fact, d.status, d)
            if d.status is Status.REJECTED and d.kind is Kind.ACTOR:
                _reject_actor(w, d, fact)
    return 1


def _reject_actor(w: _Writer, d: Decision, mention: URIRef) -> None:
    """A junk actor: the actor the mention names leaves the default views too."""
    for p, o in loc.node_triples(w.store, mention):
        if p == PG.actor and isinstance(o, URIRef):
            w.status(o, Status.REJECTED, d)


def _correct(w: _Writer, d: Decision, fact: URIRef, document: URIRef) -> None:
    node = fact_copy(w, fact, d)
    old = dict(loc.node_triples(w.store, fact))
    changes = dict(d.changes)
    holder = old.get(PG.holder)
    if "position" in changes:
        w.graph.remove((node, PG.position, None))
        w.add(node, PG.position, POSITIONS[changes["position"]])
    if "attribution" in changes:
        w.graph.remove((node, PG.attribution, None))
        w.add(node, PG.attribution, ATTRIBUTIONS[changes["attribution"]])
    if "topic" in changes:
        w.graph.remove((node, PG.topic, None))
        w.add(node, PG.topic, topic_node(changes["topic"]))
    if "holder" in changes:
        holder = w.actor(changes["holder"], "organisation", d)
        w.graph.remove((node, PG.holder, None))
        w.add(node, PG.holder, holder)
    predicate = {Kind.SIGNATORY: PROV.agent, Kind.QUOTE: SCHEMA.creator}.get(d.kind, PG.actor)
    name = changes.get("actor") or changes.get("speaker")
    if name:
        who = w.actor(name, changes.get("actor_kind", "organisation"), d)
        w.graph.remove((node, predicate, None))
        w.add(node, predicate, who)
        _shortcuts(w, fact, who, document)
    if d.kind is Kind.STANCE and isinstance(holder, URIRef):
        _stance_shortcut(w, node, holder)


def _stance_shortcut(w: _Writer, node: URIRef, holder: URIRef) -> None:
    position = w.graph.value(node, PG.position)
    topic = w.graph.value(node, PG.topic)
    if isinstance(topic, URIRef) and (holder, RDF.type, PG.Letter) not in w.graph:
        w.add(holder, PG.supports if position == PG.Support else PG.opposes, topic)


def _shortcuts(w: _Writer, fact: URIRef, who: URIRef, document: URIRef | None) -> None:
    """The letter's pg:signatory (a signature's) or the document's schema:mentions."""
    for s, p in loc.pointing_at(w.store, fact):
        if p == PROV.qualifiedAttribution:
            w.add(s, PG.signatory, who)
    if document is not None:
        w.add(document, SCHEMA.mentions, who)


def _add(w: _Writer, d: Decision, key: FactKey, document: URIRef) -> int:
    c = dict(d.changes)
    node = mint("added", d.id)
    w.add(node, PG.evidence, span_node(w, key, document))
    added_rule(w, node, d)
    if d.kind is Kind.STANCE:
        if not {"holder", "topic", "position"} <= set(c):
            w.fail(d, "an added stance needs holder, topic and position")
            return 0
        holder = w.actor(c["holder"], "organisation", d)
        for p, o in (
            (RDF.type, PG.Stance),
            (PG.holder, holder),
            (PG.topic, topic_node(c["topic"])),
            (PG.position, POSITIONS[c["position"]]),
            (PG.attribution, ATTRIBUTIONS[c.get("attribution", "stated")]),
            (PG.statedIn, document),
        ):
            w.add(node, p, o)
        _stance_shortcut(w, node, holder)
        return 1
    name = c.get("actor") or c.get("speaker")
    if not name:
        w.fail(d, f"an added {d.kind.value} needs the actor it names")
        return 0
    kind = "person" if d.kind is Kind.PERSON else c.get("actor_kind", "organisation")
    who = w.actor(name, kind, d)
    return _add_naming(w, d, node, who, document, key)


def _add_naming(
    w: _Writer, d: Decision, node: URIRef, who: URIRef, document: URIRef, key: FactKey
) -> int:
    if d.kind is Kind.SIGNATORY:
        letter = loc.letter_of(w.store, document)
        if letter is None:
            w.fail(d, "the document reproduces no letter to sign")
            return 0
        w.add(node, RDF.type, PG.Signature)
        w.add(node, PROV.agent, who)
        w.add(node, PG.asWritten, Literal(key.text))
        w.add(letter, PROV.qualifiedAttribution, node)
        w.add(letter, PG.signatory, who)
    elif d.kind is Kind.QUOTE:
        w.add(node, RDF.type, SCHEMA.Quotation)
        w.add(node, SCHEMA.creator, who)
        w.add(node, SCHEMA.text, Literal(key.text))
        w.add(node, SCHEMA.isPartOf, document)
    else:
        w.add(node, RDF.type, PG.Mention)
        w.add(node, PG.actor, who)
        w.add(node, PG.asWritten, Literal(key.text))
        w.add(document, SCHEMA.mentions, who)
    return 1


def _merge(w: _Writer, d: Decision) -> int:
    assert w.actors is not None
    found = [w.actors.find_exact(name) for name in d.actors]
    missing = [n for n, f in zip(d.actors, found, strict=True) if f is None]
    if missing:
        w.fail(d, f"no actor named {', '.join(map(repr, missing))} in the store")
        return 0
    kept, *merged = [f for f in found if f is not None]
    for actor in merged:
        if actor == kept:
            continue
        w.actors.merged[actor] = kept
        w.add(actor, PG.mergedInto, kept)
        w.status(actor, Status.REJECTED, d)
        _repoint(w, actor, kept)
        for p, o in loc.node_triples(w.store, actor):
            if p in _TAKEN_OVER:
                w.add(kept, SKOS.altLabel if p == SKOS.prefLabel else p, o)
    w.status(kept, Status.CORRECTED, d)
    return 1


def _repoint(w: _Writer, old: URIRef, new: URIRef) -> None:
    for s, p in loc.pointing_at(w.store, old):
        if p != PG.mergedInto:
            w.add(s, p, new)


def _split(w: _Writer, d: Decision) -> int:
    """The mentions and signatures of one name as written move off the actor onto one of
    that name: a wrong merge by the resolver (or by an earlier review) undone."""
    assert w.actors is not None
    actor = w.actors.find(d.actors[0])
    name = d.change("name") or ""
    if actor is None:
        w.fail(d, f"no actor named {d.actors[0]!r} in the store")
        return 0
    facts = [
        URIRef(str(s))
        for s, p in loc.pointing_at(w.store, actor)
        if p in (PG.actor, PROV.agent)
        and any(
            q == PG.asWritten and str(o) == name
            for q, o in loc.node_triples(w.store, URIRef(str(s)))
        )
    ]
    if not facts:
        w.fail(d, f"{d.actors[0]!r} has no mention or signature written {name!r}")
        return 0
    new = mint("split", str(actor), name)
    w.add(new, RDF.type, PG.Actor)
    for p, o in loc.node_triples(w.store, actor):
        if p == RDF.type and isinstance(o, URIRef):  # the same kind of actor
            w.add(new, RDF.type, o)
    w.add(new, SKOS.prefLabel, Literal(name))
    w.status(new, Status.CORRECTED, d)
    for fact in facts:
        copy = fact_copy(w, fact, d)
        predicate = PROV.agent if (copy, RDF.type, PG.Signature) in w.graph else PG.actor
        w.graph.remove((copy, predicate, None))
        w.add(copy, predicate, new)
        _shortcuts(w, fact, new, None)
    return 1
