"""The layout of the coalition and discourse views: each community (network.annotate's
Leiden communities, seeded) laid out on its own and the communities packed apart, largest
first, each named after its most central member and, in a discourse network, the position
most of its members share. The page draws each community's disc and name and can fold it
into one node (groups.js).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable
from typing import Any

import networkx as nx

from .layout import SPACING, Pos, layout, pack

__all__ = ["community_layout"]


def community_layout(
    g: nx.Graph, shape: nx.Graph | None = None
) -> tuple[Pos, list[dict[str, Any]]]:
    """Each community (the nodes' `community`, network.annotate's) laid out on its own from
    `shape` (default: g), the communities packed apart, largest first; and per community
    its number, name, size, centre and radius, for the page to draw and collapse."""
    shape = g if shape is None else shape
    members: dict[int, list[Hashable]] = defaultdict(list)
    for v, d in g.nodes(data=True):
        members[int(d.get("community", -1))].append(v)
    order = sorted(members, key=lambda c: (-len(members[c]), c))
    parts: list[tuple[Pos, float]] = []
    for c in order:
        sub = nx.Graph(shape.subgraph(members[c]))
        pos = layout(sub)
        radius = max((math.hypot(x, y) for x, y in pos.values()), default=0.0) + SPACING
        # The extra margin keeps communities visibly apart, not only not touching.
        parts.append((pos, radius + SPACING * 0.75))
    placed = pack(parts)
    names = _names(g, members)
    groups = []
    for c, (pos, radius) in zip(order, parts, strict=True):
        xs = [placed[v][0] for v in pos]
        ys = [placed[v][1] for v in pos]
        groups.append(
            {
                "id": c,
                "name": names[c],
                "size": len(members[c]),
                "x": round((max(xs) + min(xs)) / 2, 1),
                "y": round((max(ys) + min(ys)) / 2, 1),
                "r": round(radius - SPACING * 0.75, 1),
            }
        )
    return placed, groups


def _names(g: nx.Graph, members: dict[int, list[Hashable]]) -> dict[int, str]:
    """A community's name: its most central actor (eigenvector, then degree), with "+ N"
    for the others; in a discourse network led by the position most members share."""
    shared = _shared_positions(g)
    labels = g.graph.get("topic_labels", {})
    out = {}
    for c, nodes in members.items():
        letters = sorted(
            (v for v in nodes if g.nodes[v].get("kind") == "letter"),
            key=lambda v: (-g.nodes[v].get("degree", 0), str(v)),
        )
        actors = [v for v in nodes if g.nodes[v].get("kind") != "letter"] or nodes
        top = min(
            actors,
            key=lambda v: (
                -round(g.nodes[v].get("eigenvector", 0), 4),
                -g.nodes[v].get("degree", 0),
                str(g.nodes[v].get("label", v)),
            ),
        )
        name = str(g.nodes[top].get("label", top))
        if letters:  # a big letter drawn as a node: its signers are the coalition
            title = str(g.nodes[letters[0]].get("label", letters[0]))
            name = "signers of " + (title if len(title) <= 40 else title[:39] + "…")
        elif len(nodes) > 1:
            name += f" + {len(nodes) - 1}"
        counts = Counter(s for v in nodes for s in shared.get(v, ()))
        if counts and len(nodes) > 1:
            (topic, position), n = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            if n * 2 >= len(nodes):
                verb = "support" if position == "support" else "oppose"
                name = f"{verb} {labels.get(topic, topic)}: {name}"
        out[c] = name
    return out


def _shared_positions(g: nx.Graph) -> dict[Hashable, set[tuple[str, str]]]:
    """The (topic, position) pairs each actor shares with another (discourse networks'
    agreement evidence); empty for other views."""
    out: dict[Hashable, set[tuple[str, str]]] = defaultdict(set)
    for u, v, d in g.edges(data=True):
        for ev in d.get("evidence", ()):
            if ev.get("relation") == "agree" and ev.get("topic"):
                out[u].add((ev["topic"], ev["position"]))
                out[v].add((ev["topic"], ev["position"]))
    return out
