"""Finding a decision's document, span and facts in the store, and actors by name.

Only the documents' graphs are read (never the review graph an earlier build wrote), so that
applying the decisions again gives the same review graph whatever was there before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from rdflib import Literal, URIRef
from rdflib.term import Node

from .. import resources
from ..errors import ReviewError
from ..names import actor_key, lookup_key
from ..rdf.terms import fill_values
from ..store import Store
from ..vocab import FOAF, ID, ORG, PG, SCHEMA, actor_iri, mint_str
from .model import Decision, FactKey, Kind

__all__ = [
    "Actors",
    "Located",
    "facts_at",
    "locate",
    "node_triples",
    "pointing_at",
    "select",
    "span_iri",
]

DOC_GRAPHS = Literal(f"{ID}graph/doc/")
_CLASSES: dict[Kind, frozenset[URIRef]] = {
    Kind.STANCE: frozenset({PG.Stance}),
    Kind.SIGNATORY: frozenset({PG.Signature}),
    Kind.ACTOR: frozenset({PG.Mention}),
    Kind.PERSON: frozenset({PG.Mention, ORG.Membership}),
    Kind.QUOTE: frozenset({SCHEMA.Quotation}),
}


@cache
def _query(name: str) -> str:
    return resources.package_text("review", "queries", f"{name}.rq")


def select(
    store: Store, name: str, *, many: Mapping[str, Iterable[Node]] | None = None, **one: Node
) -> list[tuple[Node | None, ...]]:
    """Run one of review/queries/*.rq; each parameter fills its empty VALUES block (written
    as a term, never pasted): `one` a single value, `many` several."""
    values: dict[str, Iterable[Node]] = {
        k: [v] for k, v in {"docgraphs": DOC_GRAPHS, **one}.items()
    }
    values.update(many or {})
    return list(store.select(fill_values(_query(name), values)).rows)


def span_iri(key: FactKey) -> URIRef:
    """The span node the builder mints for these offsets of this text."""
    return URIRef(mint_str("span", key.document, key.start, key.end))


@dataclass(frozen=True)
class Located:
    key: FactKey  # where the span is now (moved, when the text changed)
    document: URIRef
    moved: bool


def locate(store: Store, key: FactKey) -> Located | str:
    """Where the decision's span is in the store now, or why it is not there."""
    rows = select(store, "document_by_hash", hash=Literal(key.document))
    for doc, text, _ in rows:
        if str(text)[key.start : key.end] == key.text:
            return Located(key, URIRef(str(doc)), False)
        return f"the document's text does not hold {key.text!r} at {key.start}..{key.end}"
    if not key.source:
        return "the document is not in the store (and the decision records no source path)"
    for doc, text, hash_ in select(store, "document_by_source", path=Literal(key.source)):
        start = _nearest(str(text), key.text, key.start)
        if start is not None:
            return Located(key.moved(str(hash_), start), URIRef(str(doc)), True)
        return f"{key.source} changed and no longer holds {key.text!r}"
    return f"no document of hash {key.document[:16]}… nor from {key.source} in the store"


def _nearest(text: str, needle: str, near: int) -> int | None:
    found, at = None, text.find(needle)
    while at != -1:
        if found is None or abs(at - near) < abs(found - near):
            found = at
        at = text.find(needle, at + 1)
    return found


def facts_at(store: Store, decision: Decision, key: FactKey) -> list[URIRef]:
    """The facts of the decision's kind on its span, narrowed by its `select`."""
    classes = _CLASSES[decision.kind]
    topic, holder = decision.selected("topic"), decision.selected("holder")
    facts: dict[URIRef, bool] = {}
    needs_who = holder is not None or decision.kind is Kind.PERSON
    name = "facts_at_span" if needs_who else "facts_at_span_plain"
    rows = select(store, name, many={"class": sorted(classes)}, span=span_iri(key))
    for fact, cls, fact_topic, who, label in (r if needs_who else (*r, None, None) for r in rows):
        if cls not in classes or not isinstance(fact, URIRef):
            continue
        ok = topic is None or str(fact_topic) == topic
        if holder is not None:
            ok = ok and (holder in (str(who), str(label)) or lookup_key(holder) == _key(label))
        if decision.kind is Kind.PERSON and cls == PG.Mention:
            ok = ok and who is not None and _is_person(store, who)
        facts[fact] = facts.get(fact, False) or ok
    return sorted(f for f, ok in facts.items() if ok)


def _key(label: Node | None) -> str:
    return lookup_key(str(label)) if label is not None else ""


def _is_person(store: Store, who: Node) -> bool:
    return any(o == FOAF.Person for p, o in node_triples(store, URIRef(str(who))))


def node_triples(store: Store, node: URIRef) -> list[tuple[Node, Node]]:
    return [(p, o) for p, o in select(store, "fact_triples", node=node) if p and o]


def pointing_at(store: Store, node: URIRef) -> list[tuple[Node, Node]]:
    return [(s, p) for s, p in select(store, "pointing_at", node=node) if s and p]


def letter_of(store: Store, document: URIRef) -> URIRef | None:
    for (letter,) in select(store, "letter_of", doc=document):
        return URIRef(str(letter))
    return None


class Actors:
    """Actor names → IRIs, as the documents' graphs hold them (read once per apply)."""

    def __init__(self, store: Store) -> None:
        self.preferred: dict[str, URIRef] = {}
        self.alias: dict[str, URIRef] = {}
        self.iris: set[str] = set()
        self.merged: dict[URIRef, URIRef] = {}  # merged away → kept, as review merges them
        self.labels: set[str] = set()
        for actor, label, preferred in select(store, "actor_labels"):
            iri = URIRef(str(actor))
            self.iris.add(str(iri))
            is_preferred = str(preferred).lower() == "true"
            table = self.preferred if is_preferred else self.alias
            if is_preferred:
                self.labels.add(str(label))
            table.setdefault(lookup_key(str(label)), iri)

    def find(self, name: str) -> URIRef | None:
        """The actor `name` is an IRI, key, label or alias of (the actor a merge kept, for a
        merged one); None when none is."""
        found = self.find_exact(name)
        seen: set[URIRef] = set()
        while found in self.merged and found not in seen:
            seen.add(found)
            found = self.merged[found]
        return found

    def find_exact(self, name: str) -> URIRef | None:
        """`find` without following merges."""
        if name in self.iris:
            return URIRef(name)
        by_key = str(actor_iri(actor_key(name)))
        if by_key in self.iris:
            return URIRef(by_key)
        folded = lookup_key(name)
        return self.preferred.get(folded) or self.alias.get(folded)

    def find_or_mint(self, name: str) -> tuple[URIRef, bool]:
        """The actor of `name`, or a new one minted from it (True: new)."""
        found = self.find(name)
        if found is None and not actor_key(name):
            raise ReviewError(f"{name!r} cannot name an actor (no letters or digits)")
        return (found, False) if found is not None else (actor_iri(actor_key(name)), True)


@dataclass(frozen=True)
class StoredDocument:
    iri: URIRef
    content_hash: str
    paths: tuple[str, ...]
    title: str | None


def documents(store: Store) -> list[StoredDocument]:
    by_hash: dict[str, StoredDocument] = {}
    for doc, hash_, path, title in select(store, "documents"):
        held = by_hash.get(str(hash_))
        paths = (*held.paths, str(path)) if held else (str(path),)
        by_hash[str(hash_)] = StoredDocument(
            URIRef(str(doc)), str(hash_), paths, str(title) if title else None
        )
    return sorted(by_hash.values(), key=lambda d: d.paths[0])


def find_document(store: Store, name: str) -> StoredDocument:
    """A document by a source path, or its content hash or a prefix of it (8+ digits)."""
    docs = documents(store)
    found = [d for d in docs if name in d.paths]
    if not found and len(name) >= 8:
        found = [d for d in docs if d.content_hash.startswith(name.lower())]
    if len(found) != 1:
        some = ", ".join(d.paths[0] for d in docs[:5])
        what = "no document" if not found else f"{len(found)} documents"
        raise ReviewError(f"{what} matching {name!r} in the store (documents: {some} …)")
    return found[0]


def document_text(store: Store, doc: StoredDocument) -> str:
    for _, text, _ in select(store, "document_by_hash", hash=Literal(doc.content_hash)):
        return str(text)
    raise ReviewError(f"{doc.paths[0]}: its text is not in the store")


def key_for(store: Store, doc: StoredDocument, start: int, end: int) -> FactKey:
    """The key of a span of a stored document, its text read from the store."""
    text = document_text(store, doc)
    if not 0 <= start < end <= len(text):
        raise ReviewError(
            f"{doc.paths[0]}: span {start}..{end} is outside its {len(text)} characters"
        )
    return FactKey(doc.content_hash, start, end, text[start:end], doc.paths[0])


def key_for_text(store: Store, doc: StoredDocument, fragment: str) -> FactKey:
    """The key of the one place `fragment` is written in the document."""
    text = document_text(store, doc)
    start = text.find(fragment)
    if start == -1 or not fragment:
        raise ReviewError(f"{doc.paths[0]}: the text does not hold {fragment!r}")
    if text.find(fragment, start + 1) != -1:
        raise ReviewError(f"{doc.paths[0]}: {fragment!r} is written more than once; say more")
    return key_for(store, doc, start, start + len(fragment))
