"""What the views are made of: labels, kinds and documents read from the store with the
SPARQL in queries/, the topic and date window, and edge evidence.

Evidence is a dict per piece: `doc` (the source document's IRI), `doc_title`, `doc_path`,
`doc_url`, `date`, `quote` (the text span, shortened past 600 characters), `start` (its
offset, -1 if unknown) and `method` (how it was extracted).
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

import networkx as nx
from rdflib.term import Node

from .. import resources
from ..errors import ViewError
from ..store import Store

__all__ = [
    "Catalogue",
    "Stance",
    "Window",
    "add_edge",
    "finish_edges",
    "rows",
    "stance_rows",
]

PG = "https://w3id.org/policygraph/ns#"
SCHEMA = "http://schema.org/"
_KIND_OF_TYPE = {
    SCHEMA + "GovernmentOrganization": "government",
    SCHEMA + "Country": "government",
    SCHEMA + "Corporation": "company",
    "http://xmlns.com/foaf/0.1/Person": "person",
    SCHEMA + "Person": "person",
}
# When an actor has several types, the most specific kind wins.
_KIND_RANK = {"person": 0, "government": 1, "company": 2, "organisation": 3}
POSITIONS = {PG + "Support": "support", PG + "Oppose": "oppose"}
_ATTRIBUTIONS = {
    PG + "Stated": "stated",
    PG + "ViaSigning": "signing",
    PG + "ViaAuthorship": "authorship",
    PG + "Reported": "reported",
}
_QUOTE_MAX = 600
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class Window:
    """Which part of the graph a view shows: one topic and a date range (inclusive)."""

    topic: str | None = None
    since: str | None = None
    until: str | None = None

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and not _valid_date(value):
                raise ViewError(f"--{name} {value!r}: give a date as YYYY, YYYY-MM or YYYY-MM-DD")

    @property
    def dated(self) -> bool:
        return self.since is not None or self.until is not None

    def contains(self, date: str | None) -> bool:
        """Whether a date (possibly only a year or month) overlaps the window.

        Undated facts fall outside any window that has a bound: their time is unknown.
        """
        if not self.dated:
            return True
        if not date:
            return False
        first, last = _date_range(date)
        return (self.since is None or last >= _date_range(self.since)[0]) and (
            self.until is None or first <= _date_range(self.until)[1]
        )


def _valid_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat((value + "-01-01")[:10] if len(value) < 10 else value)
    except ValueError:
        return False
    return True


def _date_range(date: str) -> tuple[str, str]:
    date = date[:10]
    if len(date) == 4:
        return f"{date}-01-01", f"{date}-12-31"
    if len(date) == 7:
        return f"{date}-01", f"{date}-31"
    return date, date


# ---------------------------------------------------------------------------- queries
@cache
def _query(name: str) -> str:
    return resources.package_text("viz", "queries", f"{name}.rq")


def rows(store: Store, name: str) -> list[dict[str, str | None]]:
    result = store.select(_query(name))
    return [
        {k: _text(v) for k, v in zip(result.variables, row, strict=True)} for row in result.rows
    ]


def _text(term: Node | None) -> str | None:
    return None if term is None else str(term)


class Catalogue:
    """Labels, kinds and documents for everything a view may draw, read once per view."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.nodes: dict[str, dict[str, Any]] = {}
        self._load_actors()
        self._load_documents()
        self._load_topics()
        self.letters: dict[str, dict[str, Any]] = {}
        self.letter_topics: dict[str, set[str]] = defaultdict(set)

    def _load_actors(self) -> None:
        kinds: dict[str, str] = {}
        for row in rows(self.store, "node_types"):
            node, type_ = row["node"] or "", row["type"] or ""
            if type_ in (PG + "Actor", SCHEMA + "Country"):
                kinds.setdefault(node, "organisation")
        for row in rows(self.store, "node_types"):
            node = row["node"] or ""
            kind = _KIND_OF_TYPE.get(row["type"] or "")
            # Several types: the most specific kind wins (a person is also an agent, …).
            if node in kinds and kind is not None and _KIND_RANK[kind] < _KIND_RANK[kinds[node]]:
                kinds[node] = kind
        labels: dict[str, list[str]] = defaultdict(list)
        aliases: dict[str, set[str]] = defaultdict(set)
        for row in rows(self.store, "labels"):
            node = row["node"] or ""
            if row["label"]:
                labels[node].append(row["label"])
            if row["alt"]:
                aliases[node].add(row["alt"])
        wikidata: dict[str, str] = {}
        for row in rows(self.store, "wikidata"):
            node, item = row["node"] or "", row["wikidata"] or ""
            wikidata[node] = min(item, wikidata.get(node, item))
        countries: dict[str, set[str]] = defaultdict(set)
        for row in rows(self.store, "spatial"):
            country = row["country"] or ""
            countries[row["node"] or ""].add(_pick_label(labels.get(country, []), country))
        for actor, kind in kinds.items():
            label = _pick_label(labels.get(actor, []), actor)
            self.nodes[actor] = {
                "label": label,
                "kind": kind,
                "iri": actor,
                "wikidata": wikidata.get(actor, ""),
                "aliases": "; ".join(sorted(aliases.get(actor, set()) - {label})),
                "country": "; ".join(sorted(countries.get(actor, ()))),
            }

    def _load_documents(self) -> None:
        self.documents: dict[str, dict[str, str]] = {}
        for row in rows(self.store, "documents"):
            doc = row["doc"]
            assert doc is not None
            entry = self.documents.setdefault(
                doc, {"title": "", "date": "", "path": "", "url": "", "kind": ""}
            )
            for key, col in (
                ("title", "title"),
                ("date", "date"),
                ("url", "url"),
                ("kind", "kind"),
            ):
                if row[col] and not entry[key]:
                    entry[key] = row[col] or ""
            if row["path"] and (not entry["path"] or row["path"] < entry["path"]):
                entry["path"] = row["path"]

    def _load_topics(self) -> None:
        self.topics: dict[str, dict[str, Any]] = {}
        self.topic_by_notation: dict[str, str] = {}
        for row in rows(self.store, "topics"):
            topic, notation = row["topic"], row["notation"]
            assert topic is not None and notation is not None
            self.topic_by_notation[notation] = topic
            entry = self.topics.setdefault(
                topic,
                {"label": "", "kind": "topic", "iri": topic, "wikidata": "", "notation": notation},
            )
            # The English label first (pages are in English), then one without a language.
            rank = (row["lang"] != "en", bool(row["lang"]), row["label"] or "")
            if row["label"] and (not entry["label"] or rank < entry["_rank"]):
                entry["label"] = row["label"]
                entry["_rank"] = rank
            if row["wikidata"] and (not entry["wikidata"] or row["wikidata"] < entry["wikidata"]):
                entry["wikidata"] = row["wikidata"]
        for entry in self.topics.values():
            entry["label"] = entry["label"] or entry["notation"]
            entry.pop("_rank", None)

    def load_letters(self) -> None:
        for row in rows(self.store, "letters"):
            letter = row["letter"]
            assert letter is not None
            entry = self.letters.setdefault(
                letter,
                {
                    "label": "",
                    "kind": "letter",
                    "iri": letter,
                    "wikidata": "",
                    "date": "",
                    "doc": "",
                },
            )
            if not entry["label"]:
                entry["label"] = row["name"] or row["heading"] or row["description"] or ""
            if row["date"] and not entry["date"]:
                entry["date"] = row["date"]
            if row["count"]:
                entry["signatories_claimed"] = int(row["count"])
            if row["doc"] and (not entry["doc"] or row["doc"] < entry["doc"]):
                entry["doc"] = row["doc"]
            if row["topic"] and row["topic"] in self.topics:
                self.letter_topics[letter].add(self.topics[row["topic"]]["notation"])
        for letter, entry in self.letters.items():
            doc = self.documents.get(entry["doc"], {})
            if not entry["label"]:
                entry["label"] = doc.get("title") or _local_name(letter)
            if not entry["date"]:
                entry["date"] = doc.get("date", "")
            entry["doc_title"] = doc.get("title", "")
            entry["topics"] = " ".join(sorted(self.letter_topics.get(letter, ())))
        self.nodes.update(self.letters)

    def node(self, iri: str) -> dict[str, Any]:
        """A node's attributes; something not described in the store gets its IRI's tail."""
        found = self.nodes.get(iri) or self.topics.get(iri)
        if found is None:
            found = {"label": _local_name(iri), "kind": "organisation", "iri": iri, "wikidata": ""}
            self.nodes[iri] = found
        return dict(found)

    def evidence(self, row: dict[str, str | None], *, date: str = "") -> dict[str, Any]:
        doc = row.get("doc") or ""
        meta = self.documents.get(doc, {})
        quote = row.get("quote") or ""
        if len(quote) > _QUOTE_MAX:
            quote = quote[: _QUOTE_MAX - 1].rstrip() + "…"
        return {
            "doc": doc,
            "doc_title": meta.get("title", ""),
            "doc_path": meta.get("path", ""),
            "doc_url": meta.get("url", ""),
            "date": date or row.get("date") or meta.get("date", ""),
            "quote": quote,
            "start": int(row.get("start") or -1),
            "method": row.get("method") or "",
        }


def _pick_label(labels: list[str], iri: str) -> str:
    # Several documents may label one actor differently: the choice must not depend on order.
    return min(labels, key=lambda s: (len(s), s)) if labels else _local_name(iri)


def _local_name(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/"))[-1]


def add_edge(
    g: nx.MultiDiGraph, u: str, v: str, key: str, relation: str, evidence: dict[str, Any]
) -> None:
    data = g.get_edge_data(u, v, key)
    if data is None:
        g.add_edge(u, v, key=key, relation=relation, evidence=[evidence])
    elif evidence not in data["evidence"]:
        data["evidence"].append(evidence)


def finish_edges(g: nx.Graph) -> None:
    """Sort each edge's evidence and lift the first piece into plain attributes."""
    for *_, data in g.edges(data=True):
        evidence = sorted(
            data.pop("evidence"),
            key=lambda e: (e["date"] or "9999", e["doc"], e["start"], e["quote"]),
        )
        first = evidence[0] if evidence else {}
        data.setdefault("weight", len(evidence))
        data["evidence_count"] = len(evidence)
        for key in ("doc", "doc_title", "date", "quote", "method"):
            data[key] = first.get(key, "")
        data["evidence"] = tuple(evidence)


@dataclass(frozen=True)
class Stance:
    holder: str
    topic: str  # notation
    position: str
    evidence: dict[str, Any]


def stance_rows(cat: Catalogue, window: Window) -> list[Stance]:
    out: list[Stance] = []
    for row in rows(cat.store, "stances"):
        topic = cat.topics.get(row["topic"] or "")
        position = POSITIONS.get(row["position"] or "")
        if topic is None or position is None or row["holder"] is None:
            continue
        if window.topic is not None and topic["notation"] != window.topic:
            continue
        date = row["date"] or cat.documents.get(row["doc"] or "", {}).get("date", "")
        if not window.contains(date):
            continue
        ev = cat.evidence(row, date=date)
        ev["attribution"] = _ATTRIBUTIONS.get(row["attribution"] or "", "")
        ev["confidence"] = float(row["confidence"]) if row["confidence"] else -1.0
        out.append(Stance(row["holder"], topic["notation"], position, ev))
    return out
