"""The network views as networkx graphs, read from the store with the SPARQL in queries/.

Node ids are IRIs (strings). Every node carries `label`, `kind` (organisation, government,
company, person, letter, topic), `iri` and `wikidata` ("" when not linked); every edge
carries `relation`, `weight`, and its evidence: `doc` (the source document's IRI),
`doc_title`, `date`, `quote` and `method` for the first piece of evidence, `evidence_count`,
and `evidence` (a tuple of dicts, one per piece of evidence; exports turn it into JSON).
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import combinations
from typing import Any

import networkx as nx
from rdflib.term import Node

from ..errors import PolicygraphError
from ..store import Store

__all__ = [
    "VIEWS",
    "ViewError",
    "Window",
    "canonical_view",
    "view_graph",
]

VIEWS = (
    "signatures",
    "coalitions",
    "stances",
    "discourse-congruence",
    "discourse-conflict",
    "discourse-difference",
)
_ALIASES = {
    "discourse": "discourse-difference",
    "congruence": "discourse-congruence",
    "conflict": "discourse-conflict",
    "difference": "discourse-difference",
}
TITLES = {
    "signatures": "Signatures: who signed, wrote, received and answered which letter",
    "coalitions": "Coalitions: actors linked by the letters they co-signed",
    "stances": "Stances: who supports or opposes which policy",
    "discourse-congruence": "Discourse congruence: actors taking the same position on a topic",
    "discourse-conflict": "Discourse conflict: actors taking opposite positions on a topic",
    "discourse-difference": "Discourse network: congruence minus conflict",
}

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
_POSITIONS = {PG + "Support": "support", PG + "Oppose": "oppose"}
_ATTRIBUTIONS = {
    PG + "Stated": "stated",
    PG + "ViaSigning": "signing",
    PG + "ViaAuthorship": "authorship",
    PG + "Reported": "reported",
}
_QUOTE_MAX = 600
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class ViewError(PolicygraphError):
    """A view cannot be drawn as asked (unknown view or topic, bad date). Fix the options."""


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


def canonical_view(view: str) -> str:
    name = _ALIASES.get(view, view)
    if name not in VIEWS:
        raise ViewError(f"unknown view {view!r}; choose from {', '.join(VIEWS)}")
    return name


# ---------------------------------------------------------------------------- queries
@cache
def _query(name: str) -> str:
    return (resources.files(__package__) / "queries" / f"{name}.rq").read_text(encoding="utf-8")


def _rows(store: Store, name: str) -> list[dict[str, str | None]]:
    result = store.select(_query(name))
    return [
        {k: _text(v) for k, v in zip(result.variables, row, strict=True)} for row in result.rows
    ]


def _text(term: Node | None) -> str | None:
    return None if term is None else str(term)


class _Catalogue:
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
        labels: dict[str, list[str]] = defaultdict(list)
        kinds: dict[str, str] = {}
        wikidata: dict[str, str] = {}
        for row in _rows(self.store, "actors"):
            actor = row["actor"]
            assert actor is not None
            kind = _KIND_OF_TYPE.get(row["type"] or "", "organisation")
            if (
                _KIND_RANK[kind] < _KIND_RANK[kinds.get(actor, "organisation")]
                or actor not in kinds
            ):
                kinds[actor] = kind
            for label in (row["label"], row["name"]):
                if label:
                    labels[actor].append(label)
            if row["wikidata"] and row["wikidata"].startswith("http://www.wikidata.org/entity/Q"):
                wikidata[actor] = min(row["wikidata"], wikidata.get(actor, row["wikidata"]))
        for actor, kind in kinds.items():
            self.nodes[actor] = {
                "label": _pick_label(labels[actor], actor),
                "kind": kind,
                "iri": actor,
                "wikidata": wikidata.get(actor, ""),
            }

    def _load_documents(self) -> None:
        self.documents: dict[str, dict[str, str]] = {}
        for row in _rows(self.store, "documents"):
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
        for row in _rows(self.store, "topics"):
            topic, notation = row["topic"], row["notation"]
            assert topic is not None and notation is not None
            self.topic_by_notation[notation] = topic
            entry = self.topics.setdefault(
                topic,
                {"label": "", "kind": "topic", "iri": topic, "wikidata": "", "notation": notation},
            )
            if row["label"] and (not entry["label"] or row["label"] < entry["label"]):
                entry["label"] = row["label"]
            if row["wikidata"] and (not entry["wikidata"] or row["wikidata"] < entry["wikidata"]):
                entry["wikidata"] = row["wikidata"]
        for entry in self.topics.values():
            entry["label"] = entry["label"] or entry["notation"]

    def load_letters(self) -> None:
        for row in _rows(self.store, "letters"):
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


def _add_edge(
    g: nx.MultiDiGraph, u: str, v: str, key: str, relation: str, evidence: dict[str, Any]
) -> None:
    data = g.get_edge_data(u, v, key)
    if data is None:
        g.add_edge(u, v, key=key, relation=relation, evidence=[evidence])
    elif evidence not in data["evidence"]:
        data["evidence"].append(evidence)


def _finish_edges(g: nx.Graph) -> None:
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


# ---------------------------------------------------------------------------- views
def view_graph(
    store: Store,
    view: str,
    *,
    topic: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> nx.Graph:
    """The networkx graph of one view, limited to a topic (notation) and a date window."""
    name = canonical_view(view)
    window = Window(topic, since, until)
    cat = _Catalogue(store)
    if topic is not None and topic not in cat.topic_by_notation:
        known = ", ".join(sorted(cat.topic_by_notation)) or "none in the store"
        raise ViewError(f"unknown topic {topic!r}; topics: {known}")
    if name == "signatures":
        g: nx.Graph = _signatures(cat, window)
    elif name == "coalitions":
        g = _coalitions(cat, window)
    elif name == "stances":
        g = _stances(cat, window)
    else:
        g = _discourse(cat, window, name.split("-", 1)[1])
    g.graph.update(
        view=name,
        title=TITLES[name],
        topic=topic or "",
        since=since or "",
        until=until or "",
    )
    return g


def _letters_in(cat: _Catalogue, window: Window) -> dict[str, dict[str, Any]]:
    cat.load_letters()
    return {
        letter: entry
        for letter, entry in cat.letters.items()
        if window.contains(entry["date"])
        and (window.topic is None or window.topic in cat.letter_topics.get(letter, ()))
    }


def _signatures(cat: _Catalogue, window: Window) -> nx.MultiDiGraph:
    letters = _letters_in(cat, window)
    g = nx.MultiDiGraph()
    for letter in sorted(letters):
        g.add_node(letter, **cat.node(letter))
    for query, relation in (
        ("signed", "signed"),
        ("authored", "authored"),
        ("addressed", "addressed to"),
        ("responds", "responds to"),
    ):
        for row in _rows(cat.store, query):
            u, v = row["from"], row["to"]
            assert u is not None and v is not None
            if relation == "responds to":
                if u not in letters or v not in letters:
                    continue
                letter = u
            else:
                letter = v if relation in ("signed", "authored") else u
                if letter not in letters:
                    continue
            for end in (u, v):
                if end not in g:
                    g.add_node(end, **cat.node(end))
            ev = cat.evidence(row, date=letters[letter]["date"])
            _add_edge(g, u, v, relation, relation, ev)
    _finish_edges(g)
    return g


def _coalitions(cat: _Catalogue, window: Window) -> nx.Graph:
    letters = _letters_in(cat, window)
    # A letter's signatories and its authors (a joint letter of three governments) all put
    # their names to it.
    signers: dict[str, set[str]] = defaultdict(set)
    for query in ("signed", "authored"):
        for row in _rows(cat.store, query):
            if row["to"] in letters and row["from"]:
                signers[row["to"] or ""].add(row["from"])
    g = nx.Graph()
    for letter in sorted(signers):
        entry = letters[letter]
        for actor in sorted(signers[letter]):
            if actor not in g:
                g.add_node(actor, **cat.node(actor))
        ev = {
            "doc": entry["doc"],
            "doc_title": entry.get("doc_title", ""),
            "doc_path": cat.documents.get(entry["doc"], {}).get("path", ""),
            "doc_url": cat.documents.get(entry["doc"], {}).get("url", ""),
            "date": entry["date"],
            "quote": entry["label"],
            "start": -1,
            "method": "co-signed",
            "letter": letter,
        }
        # Pairs per letter: linear in the pairs, unlike a bipartite projection.
        for a, b in combinations(sorted(signers[letter]), 2):
            if g.has_edge(a, b):
                g[a][b]["evidence"].append(ev)
            else:
                g.add_edge(a, b, relation="co-signed", evidence=[ev])
    for *_, data in g.edges(data=True):
        data["weight"] = len(data["evidence"])
        data["letters"] = "; ".join(sorted(e["quote"] for e in data["evidence"]))
    _finish_edges(g)
    return g


@dataclass(frozen=True)
class _Stance:
    holder: str
    topic: str  # notation
    position: str
    evidence: dict[str, Any]


def _stance_rows(cat: _Catalogue, window: Window) -> list[_Stance]:
    out: list[_Stance] = []
    for row in _rows(cat.store, "stances"):
        topic = cat.topics.get(row["topic"] or "")
        position = _POSITIONS.get(row["position"] or "")
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
        out.append(_Stance(row["holder"], topic["notation"], position, ev))
    return out


def _stances(cat: _Catalogue, window: Window) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for s in _stance_rows(cat, window):
        topic = cat.topic_by_notation[s.topic]
        for end in (s.holder, topic):
            if end not in g:
                g.add_node(end, **cat.node(end))
        _add_edge(g, s.holder, topic, s.position, s.position, s.evidence)
        g[s.holder][topic][s.position].update(position=s.position, topic=s.topic)
    _finish_edges(g)
    return g


def _discourse(cat: _Catalogue, window: Window, projection: str) -> nx.Graph:
    """Leifeld's discourse network: actors linked through the positions they share or oppose.

    Congruence counts the (topic, position) pairs two actors share; conflict the topics on
    which one supports what the other opposes; the difference is congruence minus conflict
    (edges that cancel out are dropped).
    """
    held: dict[str, dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    for s in _stance_rows(cat, window):
        current = held[s.holder].get((s.topic, s.position))
        if current is None or _ev_key(s.evidence) < _ev_key(current):
            held[s.holder][(s.topic, s.position)] = s.evidence
    by_statement: dict[tuple[str, str], list[str]] = defaultdict(list)
    for actor in sorted(held):
        for statement in held[actor]:
            by_statement[statement].append(actor)
    agree: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    clash: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for (topic, position), actors in sorted(by_statement.items()):
        if projection in ("congruence", "difference"):
            for a, b in combinations(actors, 2):
                agree[(a, b)].append((topic, position, position))
        if projection in ("conflict", "difference") and position == "support":
            for a in actors:
                for b in by_statement.get((topic, "oppose"), ()):
                    if a != b:
                        pair = (a, b) if a < b else (b, a)
                        pa, pb = ("support", "oppose") if pair[0] == a else ("oppose", "support")
                        clash[pair].append((topic, pa, pb))
    g = nx.Graph()
    for actor in sorted(held):
        g.add_node(actor, **cat.node(actor))
    for pair in sorted(set(agree) | set(clash)):
        a, b = pair
        weight = len(agree.get(pair, ())) - len(clash.get(pair, ()))
        if projection == "congruence":
            weight = len(agree[pair])
        elif projection == "conflict":
            weight = len(clash[pair])
        if weight == 0:
            continue
        evidence: list[dict[str, Any]] = []
        topics: set[str] = set()
        for items, relation in ((agree.get(pair, []), "agree"), (clash.get(pair, []), "clash")):
            for topic, pa, pb in items:
                topics.add(topic)
                for actor, position in ((a, pa), (b, pb)):
                    ev = dict(held[actor][(topic, position)])
                    ev.update(
                        actor=cat.node(actor)["label"],
                        position=position,
                        topic=topic,
                        relation=relation,
                    )
                    evidence.append(ev)
        relation = {"congruence": "congruence", "conflict": "conflict"}.get(
            projection, "congruence" if weight > 0 else "conflict"
        )
        g.add_edge(
            a,
            b,
            relation=relation,
            weight=weight,
            agreements=len(agree.get(pair, ())),
            conflicts=len(clash.get(pair, ())),
            topic=" ".join(sorted(topics)),
            evidence=evidence,
        )
    _finish_edges(g)
    return g


def _ev_key(ev: dict[str, Any]) -> tuple[str, str, int, str]:
    return (ev["date"] or "9999", ev["doc"], ev["start"], ev["quote"])


def kinds_present(g: nx.Graph) -> list[str]:
    return sorted({d["kind"] for _, d in g.nodes(data=True)})


def relations_present(g: nx.Graph) -> list[str]:
    return sorted({d["relation"] for *_, d in g.edges(data=True)})


def node_topics(g: nx.Graph) -> Iterable[str]:
    return sorted({d["notation"] for _, d in g.nodes(data=True) if d.get("notation")})
