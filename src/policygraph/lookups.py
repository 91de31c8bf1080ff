"""Forgiving lookups of the names a query parameter gives: actors and topics.

An actor is found by its label, an alias (skos:altLabel) or the acronym of its label
("ACLU" for American Civil Liberties Union), ignoring case, accents and punctuation; a topic
by its id (skos:notation) or one of its labels. A name that matches nothing is an error that
suggests the close names, never an empty answer: "no actor named X (did you mean …)",
"unknown topic X (known: …)". The names come from the store (or the endpoint) being queried.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from . import resources
from .errors import QueryError, UnknownNameError
from .names import lookup_key as fold
from .store import SelectResult, Store

if TYPE_CHECKING:
    from .sparql.querying import QueryInfo

__all__ = ["Names", "initials", "resolve_actor", "resolve_topic", "stored_examples"]


@cache
def _minor_words() -> frozenset[str]:
    """Words an acronym leaves out (data/aliases.yaml, `acronym_minor_words`)."""
    path = resources.data("aliases.yaml")
    data = resources.load_yaml(path, "the words acronyms leave out") or {}
    return frozenset(fold(str(w)) or str(w) for w in data.get("acronym_minor_words", []))


def initials(label: str) -> str:
    """The acronym of a label ('' when it would be one letter)."""
    minor = _minor_words()
    words = [w for w in fold(label).split() if w not in minor]
    acronym = "".join(w[0] for w in words)
    return acronym if len(acronym) >= 2 else ""


def _suggest(asked: str, names: Mapping[str, str], limit: int = 5) -> list[str]:
    """Labels whose folded names are close to `asked` or contain it."""
    key = fold(asked)
    close = difflib.get_close_matches(key, list(names), n=limit, cutoff=0.6)
    close += [n for n in names if key and re.search(rf"\b{re.escape(key)}\b", n)]
    out: list[str] = []
    for n in close:
        if names[n] not in out:
            out.append(names[n])
    return out[:limit]


@dataclass  # filled by add(), then only read
class _Index:
    exact: dict[str, set[str]] = field(default_factory=dict)  # folded name → labels
    acronyms: dict[str, set[str]] = field(default_factory=dict)

    def add(self, label: str, aliases: Iterable[str]) -> None:
        for name in (label, *aliases):
            if fold(name):
                self.exact.setdefault(fold(name), set()).add(label)
        if acronym := initials(label):
            self.acronyms.setdefault(acronym, set()).add(label)


def resolve_actor(name: str, actors: Mapping[str, Iterable[str]], *, param: str = "") -> str:
    """The label of the actor `name` names; `actors` maps each label to its aliases."""
    if name in actors:
        return name
    index = _Index()
    for label, aliases in actors.items():
        index.add(label, aliases)
    key = fold(name)
    for table in (index.exact, index.acronyms):
        labels = table.get(key, set())
        if len(labels) == 1:
            return next(iter(labels))
        if labels:
            many = ", ".join(sorted(labels))
            raise UnknownNameError(f"{_where(param)}{name!r} names several actors: {many}")
    every = {fold(n): label for label, aliases in actors.items() for n in (label, *aliases)}
    hint = _suggest(name, every)
    mean = f" (did you mean {', '.join(hint)}?)" if hint else ""
    raise UnknownNameError(f"{_where(param)}no actor named {name!r}{mean}")


def resolve_topic(value: str, topics: Mapping[str, Iterable[str]], *, param: str = "") -> str:
    """The id (skos:notation) of the topic `value` names; `topics` maps ids to labels."""
    if value in topics:
        return value
    found = {
        notation
        for notation, labels in topics.items()
        for name in (notation, *labels)
        if fold(name) == fold(value)
    }
    if len(found) == 1:
        return found.pop()
    known = ", ".join(sorted(topics)) or "none in the store"
    if found:
        raise UnknownNameError(f"{_where(param)}{value!r} names several topics: {known}")
    raise UnknownNameError(f"{_where(param)}unknown topic {value!r} (known: {known})")


def _where(param: str) -> str:
    return f"parameter {param}: " if param else ""


def _grouped(result: SelectResult) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, other in result.rows:
        if key is None:
            continue
        names = out.setdefault(str(key), [])
        if other is not None:
            names.append(str(other))
    return out


class Names:
    """The actor and topic names of one store or endpoint, read once, when first needed."""

    def __init__(self, select: Callable[[str], SelectResult]) -> None:
        self._select = select
        self._actors: dict[str, list[str]] | None = None
        self._topics: dict[str, list[str]] | None = None

    def actors(self) -> dict[str, list[str]]:
        if self._actors is None:
            from .store import rq

            self._actors = _grouped(self._select(rq.load("actor_names")))
        return self._actors

    def topics(self) -> dict[str, list[str]]:
        if self._topics is None:
            from .store import rq

            self._topics = _grouped(self._select(rq.load("topic_names")))
        return self._topics

    def actor(self, name: str, *, param: str = "") -> str:
        return resolve_actor(name, self.actors(), param=param)

    def topic(self, value: str, *, param: str = "") -> str:
        return resolve_topic(value, self.topics(), param=param)


_HOLDS = {
    "iri": "ASK { { ?x ?p ?o } UNION { ?s ?p ?x } }",
    "string": "ASK { ?s ?p ?x }",
}


def _example_in_store(value: str, type_: str, names: Names, store: Store) -> str | None:
    """`value` when the store holds it (an actor or topic: the name it is stored under)."""
    from .sparql.params import parse_value

    try:
        if type_ == "actor":
            return names.actor(value)
        if type_ == "topic":
            return names.topic(value)
        if type_ in _HOLDS:
            term = parse_value(value, type_)
            return value if store.ask(_HOLDS[type_], {"x": term}) else None
    except QueryError:
        return None
    return value  # numbers, dates, years: any value is a valid example


def stored_examples(infos: Iterable[QueryInfo], store: Store) -> dict[str, dict[str, str]]:
    """For `query --list`: each parameter's example, when the store holds it; else, for an
    actor or a topic, a name the store does hold; else nothing."""
    names = Names(store.select)
    first_actor = min(names.actors(), default=None)
    first_topic = min(names.topics(), default=None)
    out: dict[str, dict[str, str]] = {}
    for info in infos:
        given = dict(info.examples)
        for p in info.params:
            found = None
            if p.name in given:
                found = _example_in_store(given[p.name], p.type, names, store)
            if found is None:
                found = {"actor": first_actor, "topic": first_topic}.get(p.type)
            if found is not None:
                out.setdefault(info.name, {})[p.name] = found
    return out
