"""What a reviewer does, as library calls the CLI and the review page share: list a
document's facts, make decisions on them (one, or every fact of a kind), record them in the
decisions file and re-apply them to the store."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from ..errors import ReviewError
from ..store import Store
from ..vocab import FOAF, ORG, PG, SCHEMA
from . import locate as loc
from .apply import ReviewOutcome, apply_decisions
from .file import add_decisions
from .model import Decision, FactKey, Kind, Status, now

__all__ = ["Fact", "bulk", "decide", "document_facts", "record"]

_KIND_OF_CLASS = {
    PG.Stance: Kind.STANCE,
    PG.Signature: Kind.SIGNATORY,
    PG.Mention: Kind.ACTOR,
    SCHEMA.Quotation: Kind.QUOTE,
    ORG.Membership: Kind.PERSON,
}


@dataclass(frozen=True)
class Fact:
    """One fact of a document as the page and `review list-facts` show it."""

    iri: str
    kind: Kind
    start: int
    end: int
    rule: str
    who: tuple[str, ...]  # the actor(s) it names (labels), a merge adds the kept one
    topic: str | None
    position: str | None  # support | oppose
    status: Status


@dataclass
class _Row:
    kind: Kind
    start: int
    end: int
    rule: str = ""
    topic: str | None = None
    position: str | None = None
    who: list[str] = field(default_factory=list)
    statuses: list[Status] = field(default_factory=list)

    def fact(self, iri: str) -> Fact:
        # a corrected copy a later decision rejected is rejected: rejection wins
        st = self.statuses
        status = Status.REJECTED if Status.REJECTED in st else (st or [Status.AUTO])[0]
        return Fact(iri, self.kind, self.start, self.end, self.rule, tuple(self.who),
                    self.topic, self.position, status)  # fmt: skip


def document_facts(store: Store, doc: loc.StoredDocument) -> list[Fact]:
    """Every fact on a span of the document, its review status included."""
    people = _people(store, doc)
    rows: dict[str, _Row] = {}
    for fact, cls, start, end, rule, who, label, topic, position, status in loc.select(
        store, "document_facts", doc=doc.iri
    ):
        kind = _KIND_OF_CLASS.get(URIRef(str(cls)))
        if kind is None:
            continue
        if kind is Kind.ACTOR and str(who) in people:
            kind = Kind.PERSON
        row = rows.setdefault(str(fact), _Row(kind, int(str(start)), int(str(end))))
        row.rule = str(rule or row.rule)
        row.topic = str(topic) if topic else row.topic
        if position is not None:
            row.position = "support" if str(position).endswith("Support") else "oppose"
        if label is not None and str(label) not in row.who:
            row.who.append(str(label))
        if (
            status is not None
            and (st := Status(str(status).rsplit("#", 1)[-1])) not in row.statuses
        ):
            row.statuses.append(st)
    facts = (row.fact(iri) for iri, row in rows.items())
    return sorted(facts, key=lambda f: (f.start, f.end, f.iri))


def _people(store: Store, doc: loc.StoredDocument) -> set[str]:
    rows = loc.select(store, "document_people", doc=doc.iri)
    return {str(r[0]) for r in rows if r[1] == FOAF.Person}


def decide(
    store: Store,
    *,
    kind: Kind,
    status: Status,
    reviewer: str,
    document: str,
    text: str | None = None,
    span: tuple[int, int] | None = None,
    select: Mapping[str, str] | None = None,
    changes: Mapping[str, str] | None = None,
    note: str | None = None,
) -> Decision:
    """One decision on a span of a stored document (given by path or hash), the span given
    by its text or its offsets."""
    doc = loc.find_document(store, document)
    if span is not None:
        key = loc.key_for(store, doc, *span)
    elif text is not None:
        key = loc.key_for_text(store, doc, text)
    else:
        raise ReviewError("say which span: its text or its offsets")
    d = Decision(
        kind,
        status,
        reviewer,
        now(),
        key,
        select=tuple(sorted((select or {}).items())),
        changes=tuple(sorted((changes or {}).items())),
        note=note,
    )
    if status is not Status.ADDED and not loc.facts_at(store, d, key):
        # A decision the build could not apply is reported there; made here, it is a typo.
        raise ReviewError(
            f"{doc.paths[0]}: no {kind.value} is read from {key.text!r} "
            f"({key.start}..{key.end}){' with ' + str(dict(d.select)) if d.select else ''}"
        )
    return d


def bulk(
    store: Store, *, kind: Kind, status: Status, reviewer: str, document: str
) -> list[Decision]:
    """The same decision on every fact of `kind` in the document ("accept every signatory
    of this letter"); stances are decided one topic and holder at a time."""
    if status not in (Status.ACCEPTED, Status.REJECTED):
        raise ReviewError("only accept and reject apply to every fact of a kind at once")
    doc = loc.find_document(store, document)
    text = loc.document_text(store, doc)
    out: dict[str, Decision] = {}
    for f in document_facts(store, doc):
        if f.kind is not kind or f.status is not Status.AUTO:
            continue
        key = FactKey(doc.content_hash, f.start, f.end, text[f.start : f.end], doc.paths[0])
        select = {"topic": f.topic} if kind is Kind.STANCE and f.topic else {}
        d = Decision(kind, status, reviewer, now(), key, select=tuple(select.items()))
        out[d.id] = d
    if not out:
        raise ReviewError(f"{doc.paths[0]}: no undecided {kind.value} to decide on")
    return list(out.values())


def merge(store: Store, reviewer: str, kept: str, merged: Sequence[str]) -> Decision:
    """Merge actors by name (each a label, alias, key or IRI the store holds)."""
    actors = loc.Actors(store)
    for name in (kept, *merged):
        if actors.find(name) is None:
            raise ReviewError(f"no actor named {name!r} in the store")
    return Decision(Kind.MERGE, Status.CORRECTED, reviewer, now(), actors=(kept, *merged))


def split(store: Store, reviewer: str, actor: str, name: str) -> Decision:
    if loc.Actors(store).find(actor) is None:
        raise ReviewError(f"no actor named {actor!r} in the store")
    return Decision(
        Kind.SPLIT, Status.CORRECTED, reviewer, now(), actors=(actor,), changes=(("name", name),)
    )


def record(store: Store | None, path: Path, decisions: Iterable[Decision]) -> ReviewOutcome | None:
    """Add the decisions to the file, then re-apply the file to the store (if given), so
    queries show them before the next build."""
    add_decisions(path, decisions)
    return apply_decisions(store, path) if store is not None else None
