"""The network views as networkx graphs, read from the store with the SPARQL in queries/.

Node ids are IRIs (strings). Every node carries `label`, `kind` (organisation, government,
company, person, letter, topic), `iri` and `wikidata` ("" when not linked); every edge
carries `relation`, `weight`, and its evidence: `doc` (the source document's IRI),
`doc_title`, `date`, `quote` and `method` for the first piece of evidence, `evidence_count`,
and `evidence` (a tuple of dicts, one per piece of evidence; exports turn it into JSON).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Any

import networkx as nx

from ..errors import UnknownNameError, ViewError
from ..lookups import Names
from ..store import Store
from .catalogue import (
    Catalogue,
    Window,
    add_edge,
    finish_edges,
    rows,
    stance_rows,
)

__all__ = [
    "TITLES",
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


def canonical_view(view: str) -> str:
    name = _ALIASES.get(view, view)
    if name not in VIEWS:
        raise ViewError(f"unknown view {view!r}; choose from {', '.join(VIEWS)}")
    return name


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
    if topic is not None:
        # The one lookup `query` uses too: an id or a label, "unknown topic X (known: …)".
        try:
            topic = Names(store.select).topic(topic)
        except UnknownNameError as exc:
            raise ViewError(str(exc)) from exc
    window = Window(topic, since, until)
    cat = Catalogue(store)
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


def _letters_in(cat: Catalogue, window: Window) -> dict[str, dict[str, Any]]:
    cat.load_letters()
    return {
        letter: entry
        for letter, entry in cat.letters.items()
        if window.contains(entry["date"])
        and (window.topic is None or window.topic in cat.letter_topics.get(letter, ()))
    }


def _signatures(cat: Catalogue, window: Window) -> nx.MultiDiGraph:
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
        for row in rows(cat.store, query):
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
            add_edge(g, u, v, relation, relation, ev)
    finish_edges(g)
    return g


# A letter with more signers than this is drawn as a node its signers link to, not as every
# pair of them: a letter of 500 would be 124,750 pairs, a page of megabytes that says no more
# than 500 edges do. Smaller letters stay pairs, which read best as a coalition.
BIG_LETTER = 12


def _coalitions(cat: Catalogue, window: Window) -> nx.Graph:
    letters = _letters_in(cat, window)
    # A letter's signatories and its authors (a joint letter of three governments) all put
    # their names to it.
    signers: dict[str, set[str]] = defaultdict(set)
    for query in ("signed", "authored"):
        for row in rows(cat.store, query):
            if row["to"] in letters and row["from"]:
                signers[row["to"] or ""].add(row["from"])
    g = nx.Graph()
    big = 0
    for letter in sorted(signers):
        entry = letters[letter]
        for actor in sorted(signers[letter]):
            if actor not in g:
                g.add_node(actor, **cat.node(actor))
        ev = _letter_evidence(cat, letter, entry)
        if len(signers[letter]) > BIG_LETTER:
            big += 1
            g.add_node(letter, **cat.node(letter), signers=len(signers[letter]))
            for actor in sorted(signers[letter]):
                g.add_edge(actor, letter, relation="signed", evidence=[ev])
            continue
        # Pairs per letter: linear in the pairs, unlike a bipartite projection.
        for a, b in combinations(sorted(signers[letter]), 2):
            if g.has_edge(a, b):
                g[a][b]["evidence"].append(ev)
            else:
                g.add_edge(a, b, relation="co-signed", evidence=[ev])
    for *_, data in g.edges(data=True):
        data["weight"] = len(data["evidence"])
        data["letters"] = "; ".join(sorted(e["quote"] for e in data["evidence"]))
    g.graph["letters_through_node"] = big
    g.graph["big_letter"] = BIG_LETTER
    finish_edges(g)
    return g


def _letter_evidence(cat: Catalogue, letter: str, entry: dict[str, Any]) -> dict[str, Any]:
    return {
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


def _stances(cat: Catalogue, window: Window) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for s in stance_rows(cat, window):
        topic = cat.topic_by_notation[s.topic]
        for end in (s.holder, topic):
            if end not in g:
                g.add_node(end, **cat.node(end))
        add_edge(g, s.holder, topic, s.position, s.position, s.evidence)
        g[s.holder][topic][s.position].update(position=s.position, topic=s.topic)
    finish_edges(g)
    return g


# One actor's statements, (topic, position), each with its earliest evidence.
_Held = dict[str, dict[tuple[str, str], dict[str, Any]]]
# Per actor pair: the (topic, position of the first, position of the second) that tie them.
_Ties = dict[tuple[str, str], list[tuple[str, str, str]]]


def _discourse(cat: Catalogue, window: Window, projection: str) -> nx.Graph:
    """Leifeld's discourse network: actors linked through the positions they share or oppose.

    Congruence counts the (topic, position) pairs two actors share; conflict the topics on
    which one supports what the other opposes; the difference is congruence minus conflict
    (edges that cancel out are dropped).
    """
    held = _held(cat, window)
    agree, clash = _ties(held, projection)
    g = nx.Graph()
    # Communities are named after the position they share: by the topic's label.
    g.graph["topic_labels"] = {
        n: cat.topics[t]["label"] for n, t in cat.topic_by_notation.items() if t in cat.topics
    }
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
        evidence, topics = _tie_evidence(cat, held, pair, agree, clash)
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
    finish_edges(g)
    return g


def _held(cat: Catalogue, window: Window) -> _Held:
    """Each actor's statements; of several pieces of evidence for one, the earliest."""
    held: _Held = defaultdict(dict)
    for s in stance_rows(cat, window):
        current = held[s.holder].get((s.topic, s.position))
        if current is None or _ev_key(s.evidence) < _ev_key(current):
            held[s.holder][(s.topic, s.position)] = s.evidence
    return held


def _ties(held: _Held, projection: str) -> tuple[_Ties, _Ties]:
    """The pairs that share a statement (agree) and those where one supports what the other
    opposes (clash); only those the projection counts."""
    by_statement: dict[tuple[str, str], list[str]] = defaultdict(list)
    for actor in sorted(held):
        for statement in held[actor]:
            by_statement[statement].append(actor)
    agree: _Ties = defaultdict(list)
    clash: _Ties = defaultdict(list)
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
    return agree, clash


def _tie_evidence(
    cat: Catalogue, held: _Held, pair: tuple[str, str], agree: _Ties, clash: _Ties
) -> tuple[list[dict[str, Any]], set[str]]:
    """The evidence of both actors for every statement that ties the pair, and its topics."""
    a, b = pair
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
    return evidence, topics


def _ev_key(ev: dict[str, Any]) -> tuple[str, str, int, str]:
    return (ev["date"] or "9999", ev["doc"], ev["start"], ev["quote"])
