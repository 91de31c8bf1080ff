"""The built graph as evaluation reads it: actors and their names, documents, and the rows
of queries/evaluate/*.rq for one document."""

from __future__ import annotations

import re

from rdflib import URIRef
from rdflib.term import Node

from .. import resources
from ..store import Store
from .gold import normalise

__all__ = ["StoreGraph"]


class StoreGraph:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.names: dict[Node | None, set[str]] = {}
        self.persons: set[Node] = set()
        self.by_name: dict[str, set[Node]] = {}
        for row in self._select("actor-names.rq"):
            actor, name = row["actor"], str(row["name"])
            self.names.setdefault(actor, set()).add(name)  # type: ignore[arg-type]
            self.by_name.setdefault(normalise(name), set()).add(actor)  # type: ignore[arg-type]
            if str(row["person"]).lower() == "true":
                self.persons.add(actor)  # type: ignore[arg-type]

    def _select(self, query: str, doc: URIRef | None = None) -> list[dict[str, Node | None]]:
        text = resources.queries("evaluate").joinpath(query).read_text(encoding="utf-8")
        return self.store.select(text, {"doc": doc} if doc is not None else None).dicts()

    def select_all(self, query: str) -> list[dict[str, Node | None]]:
        return self._select(query)

    def documents(self) -> list[tuple[URIRef, str]]:
        return [(row["doc"], str(row["path"])) for row in self._select("documents.rq")]  # type: ignore[misc]

    def rows(self, query: str, doc: URIRef) -> list[dict[str, Node | None]]:
        return self._select(query, doc)

    def actors_named(self, name: str) -> set[Node]:
        """The actors with this name; "Name (ACR)" is the actor that has both names."""
        found = self.by_name.get(normalise(name), set())
        m = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", name.strip())
        if not found and m:
            found = self.by_name.get(normalise(m.group(1)), set()) & self.by_name.get(
                normalise(m.group(2)), set()
            )
        return found

    def label(self, actor: Node | None) -> str:
        return sorted(self.names.get(actor, {str(actor)}), key=len)[-1] if actor else "?"

    def is_named(self, actor: Node | None, name: str) -> bool:
        n = normalise(name)
        return any(normalise(x) == n for x in self.names.get(actor, ()))
