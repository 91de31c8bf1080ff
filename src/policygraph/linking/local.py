"""What the store knows about the actors and countries to link."""

from __future__ import annotations

from collections import defaultdict

from rdflib import Literal, URIRef

from ..store import Store
from ..vocab import FOAF, SCHEMA
from .model import Entity
from .queries import load_query
from .scoring import acronym_like

__all__ = ["document_languages", "read_entities", "read_topics"]

# The most specific kind wins when an actor carries several types.
_KIND_OF_TYPE: tuple[tuple[URIRef, str], ...] = (
    (SCHEMA.Country, "country"),
    (SCHEMA.Person, "person"),
    (FOAF.Person, "person"),
    (SCHEMA.GovernmentOrganization, "government"),
    (SCHEMA.Corporation, "company"),
)


def read_entities(store: Store) -> list[Entity]:
    rows = store.select(load_query("local_entities.rq"), union=True).dicts()
    facts: dict[URIRef, dict[str, list[object]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        entity, what, value = row["entity"], row["what"], row["value"]
        if isinstance(entity, URIRef) and value is not None:
            facts[entity][str(what)].append(value)
    out: list[Entity] = []
    for iri in sorted(facts):
        f = facts[iri]
        types = set(f["type"])
        kind = next((k for t, k in _KIND_OF_TYPE if t in types), "organisation")
        labels = sorted({str(v) for v in f["label"]})
        if not labels:
            continue
        label = labels[0]
        others = sorted({str(v) for v in f["alias"]} | set(labels[1:]))
        aliases = tuple(a for a in others if a != label)
        out.append(
            Entity(
                iri=iri,
                kind=kind,
                label=label,
                aliases=aliases,
                # "FACEBOOK" is the name in capitals, not an acronym
                acronyms=tuple(a for a in aliases if _acronym_of(a, label)),
                countries=tuple(sorted({str(v) for v in f["country"]})),
                country_nodes=tuple(sorted(v for v in f["country-node"] if isinstance(v, URIRef))),
                parents=tuple(sorted({str(v) for v in f["parent"]})),
                websites=tuple(sorted({str(v) for v in f["website"]})),
            )
        )
    return out


def _acronym_of(alias: str, label: str) -> bool:
    """ "ACLU", or "EDRi" for "European Digital Rights": capitals, or a word that starts
    with the label's initials and has two capitals at least."""
    if alias.casefold() == label.casefold():
        return False  # "FACEBOOK" is the name in capitals, not an acronym
    if acronym_like(alias):
        return True
    initials = "".join(w[0] for w in label.split() if w[:1].isalpha()).casefold()
    capitals = sum(c.isupper() for c in alias)
    return (
        " " not in alias
        and capitals >= 2
        and len(initials) >= 2
        and alias.casefold().startswith(initials)
    )


def document_languages(store: Store) -> tuple[str, ...]:
    """Language tags the documents declare (dcterms:language / schema:inLanguage)."""
    langs: set[str] = set()
    for row in store.select(load_query("document_languages.rq"), union=True).rows:
        value = row[0]
        if isinstance(value, Literal | URIRef):
            tag = str(value).rsplit("/", 1)[-1].lower()
            if tag.isalpha() and 2 <= len(tag) <= 3:
                langs.add(tag)
    return tuple(sorted(langs))


def read_topics(store: Store) -> list[Entity]:
    """The topic concepts (kind "topic"), named by their English labels."""
    rows = store.select(load_query("local_topics.rq"), union=True).dicts()
    names: dict[URIRef, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        topic, what, value = row["topic"], row["what"], row["value"]
        if isinstance(topic, URIRef) and value is not None:
            names[topic][str(what)].add(str(value))
    out = []
    for iri in sorted(names):
        labels = sorted(names[iri]["label"])
        if labels:
            aliases = tuple(sorted(names[iri]["alias"] - {labels[0]}))
            out.append(Entity(iri=iri, kind="topic", label=labels[0], aliases=aliases))
    return out
