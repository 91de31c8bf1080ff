"""Each view's layout answers its question: read from the positions the page is given."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import pytest

from policygraph.viz import analysed_view
from tests.viz_graph import build_store, drw_like_store


@pytest.fixture(scope="module")
def store() -> Any:
    with build_store() as s:
        yield s


def _xy(g: nx.Graph, v: Any) -> tuple[float, float]:
    return g.nodes[v]["x"], g.nodes[v]["y"]


def _letters_of(g: nx.Graph) -> dict[Any, set[Any]]:
    simple = nx.Graph(g)
    letters = {v for v, d in g.nodes(data=True) if d["kind"] == "letter"}
    return {v: {u for u in simple[v] if u in letters} for v in g if v not in letters}


@pytest.mark.parametrize("which", ["small", "seed"])
def test_a_letter_stands_in_a_ring_of_its_own_signers(
    store: Any, seed_store: Any, which: str
) -> None:
    g = analysed_view(store if which == "small" else seed_store, "signatures")
    letters = [v for v, d in g.nodes(data=True) if d["kind"] == "letter"]
    own: dict[Any, list[Any]] = {v: [] for v in letters}
    for actor, mine in _letters_of(g).items():
        if len(mine) == 1:
            own[next(iter(mine))].append(actor)
    assert any(len(m) >= 3 for m in own.values())
    for letter, members in own.items():
        for actor in members:
            # Nearer its own letter than any other letter,
            d = {v: math.dist(_xy(g, actor), _xy(g, v)) for v in letters}
            assert min(d, key=d.__getitem__) == letter
        # and on rings: the innermost ring holds the nearest signers, all at one distance.
        radii = sorted(round(math.dist(_xy(g, a), _xy(g, letter))) for a in members)
        if len(members) >= 3:
            assert radii.count(radii[0]) >= min(6, len(members))


def test_stances_put_supporters_and_opposers_of_a_topic_on_opposite_sides(
    seed_store: Any,
) -> None:
    g = analysed_view(seed_store, "stances")
    captions = g.graph["captions"]
    topics = {d["label"]: v for v, d in g.nodes(data=True) if d["kind"] == "topic"}
    # The page writes on each column which side is whose: supporters on one, opposers on
    # the other.
    side: dict[tuple[Any, str], int] = {}
    for c in captions:
        who, _, rest = c["text"].partition(" of ")
        label = rest.rsplit(" ", 1)[0]
        side[(topics[label], who)] = -1 if c["y"] < 0 else 1
    for t in topics.values():
        assert side[(t, "supporters")] == -side[(t, "opposers")]
    held: dict[Any, dict[Any, set[str]]] = {}
    for u, v, d in g.edges(data=True):
        held.setdefault(u, {}).setdefault(v, set()).add(d["position"])
    placed = 0
    for actor, stances in held.items():
        who = {"support": "supporters", "oppose": "opposers"}
        sides = {side[(t, who[p])] for t, ps in stances.items() for p in ps}
        if len(sides) == 1:  # one camp: on the side its captions say
            y = g.nodes[actor]["y"]
            assert (y < 0) == (sides.pop() < 0) and y != 0
            placed += 1
        # over its topics: nearer one of its own columns than any other topic's
        x = g.nodes[actor]["x"]
        columns = {t: abs(x - g.nodes[t]["x"]) for t in topics.values()}
        nearest = min(columns.values())
        assert any(columns[t] == nearest for t in stances)
    assert placed >= 60
    # Both camps are there: governments for backdoors, civil society against.
    ys = {g.nodes[a]["kind"]: g.nodes[a]["y"] < 0 for a in held}
    assert ys["government"] != ys["organisation"]


@pytest.mark.parametrize("view", ["coalitions", "discourse-difference", "discourse-congruence"])
def test_communities_are_drawn_apart_and_named(seed_store: Any, view: str) -> None:
    g = analysed_view(seed_store, view)
    groups = [c for c in g.graph["communities"] if c["size"] > 1]
    assert len(groups) >= 2
    members = {
        c["id"]: [v for v, d in g.nodes(data=True) if d["community"] == c["id"]] for c in groups
    }
    for c in groups:
        assert len(members[c["id"]]) == c["size"]
        for v in members[c["id"]]:
            assert math.dist(_xy(g, v), (c["x"], c["y"])) <= c["r"] + 1
        # After a member (or, for a big letter's signers, the letter, its title cut short).
        labels = {g.nodes[v]["label"] for v in members[c["id"]]}
        named = c["name"].removeprefix("signers of ").rstrip("…")
        assert any(label in c["name"] or label.startswith(named) for label in labels)
    for i, a in enumerate(groups):
        for b in groups[i + 1 :]:
            assert math.dist((a["x"], a["y"]), (b["x"], b["y"])) > a["r"] + b["r"]
    if view.startswith("discourse"):
        # Named by the position most of its members share.
        assert {c["name"].split(" ", 1)[0] for c in groups} == {"support", "oppose"}


def test_a_big_letters_coalition_is_named_after_the_letter() -> None:
    with drw_like_store(actors=120, big=60, letters=6) as store:
        g = analysed_view(store, "coalitions")
        again = analysed_view(store, "coalitions")
    letter = next(v for v, d in g.nodes(data=True) if d["kind"] == "letter")
    group = next(c for c in g.graph["communities"] if c["id"] == g.nodes[letter]["community"])
    assert group["name"].startswith("signers of ")
    assert g.graph["communities"] == again.graph["communities"]
    assert dict(g.nodes(data="x")) == dict(again.nodes(data="x"))
