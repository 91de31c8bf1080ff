"""Node positions computed in Python, so the browser draws at once and a reload looks the same.

Force-directed layout is quadratic per iteration: fine for a few hundred nodes, minutes for
thousands. So each connected component lays out its backbone (its best-connected nodes) with
networkx's spring layout, and every other node is then placed beside the placed neighbours it
hangs from, leaves on a sunflower spiral around their hub. Components are packed in rows,
largest first. Everything is seeded: the same graph always gets the same picture.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict, deque
from collections.abc import Hashable

import networkx as nx

__all__ = ["BACKBONE", "SPACING", "layout", "pack"]

BACKBONE = 300  # nodes laid out by force in one component; the rest are placed
SPACING = 60.0  # pixels between neighbouring nodes, about
_GOLDEN = math.pi * (3 - math.sqrt(5))

Pos = dict[Hashable, tuple[float, float]]


def layout(g: nx.Graph, *, seed: int = 7, backbone: int = BACKBONE) -> Pos:
    """Positions in screen units (about SPACING between neighbours), centred on 0."""
    simple = nx.Graph(g) if g.is_multigraph() or g.is_directed() else g
    comps = sorted(
        (sorted(c, key=str) for c in nx.connected_components(simple)),
        key=lambda c: (-len(c), str(c[0])),
    )
    placed: list[tuple[Pos, float]] = []
    for nodes in comps:
        # A subgraph view filters every neighbour it yields: on the usual giant component
        # that cost more than the layout itself, so the whole graph is used when it is one.
        sub = simple if len(nodes) == len(simple) else simple.subgraph(nodes).copy()
        pos = _component(sub, seed=seed, backbone=backbone)
        placed.append(_normalise(pos, len(nodes)))
    return pack(placed)


def _component(g: nx.Graph, *, seed: int, backbone: int) -> Pos:
    n = g.number_of_nodes()
    nodes = sorted(g, key=str)
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    if n == 2:
        return {nodes[0]: (-0.75, 0.0), nodes[1]: (0.75, 0.0)}
    degree = dict(g.degree())
    core = _backbone(g, degree, backbone)
    core_graph = g.subgraph(core)
    if core_graph.number_of_nodes() == 1:
        pos: Pos = {core[0]: (0.0, 0.0)}
    else:
        start = nx.circular_layout(sorted(core_graph, key=str))
        raw = nx.spring_layout(
            core_graph, pos=start, seed=seed, iterations=80, k=1.5 / math.sqrt(len(core))
        )
        pos = {v: (float(xy[0]), float(xy[1])) for v, xy in raw.items()}
    return _place_rest(g, pos, degree)


def _backbone(g: nx.Graph, degree: dict[Hashable, int], size: int) -> list[Hashable]:
    """The best-connected nodes, grown from the biggest hub so that they stay connected
    (a backbone in pieces would be flung apart by the force layout). Leaves are left out:
    they only add clutter, and are placed beside their hub afterwards."""
    start = min(g, key=lambda v: (-degree[v], str(v)))
    core = [start]
    seen = {start}
    frontier = [(-degree[v], str(v), v) for v in g[start]]
    heapq.heapify(frontier)
    while frontier and len(core) < size:
        neg, _, v = heapq.heappop(frontier)
        if v in seen:
            continue
        seen.add(v)
        if -neg <= 1:
            continue
        core.append(v)
        for u in g[v]:
            if u not in seen:
                heapq.heappush(frontier, (-degree[u], str(u), u))
    return core


def _leaf_radius(i: int) -> float:
    """Distance of a hub's i-th hanging node from the hub, in units of node spacing."""
    return 0.6 + 0.35 * math.sqrt(i)


def _spread_backbone(g: nx.Graph, pos: Pos, degree: dict[Hashable, int]) -> Pos:
    """Scale the backbone so that hubs sit far enough apart for the leaves around them.

    The force layout sees hubs as points; a letter with four hundred signatories needs a
    disc of leaves around it, and the discs of two hubs should not cover each other.
    """
    if len(pos) < 2:
        return pos
    leaves = {v: sum(1 for u in g[v] if degree[u] == 1) for v in pos}
    need = {v: _leaf_radius(leaves[v]) if leaves[v] else 0.0 for v in pos}
    nodes = list(pos)
    scale = 0.0
    nearest = dict.fromkeys(nodes, math.inf)
    for i, a in enumerate(nodes):
        ax, ay = pos[a]
        for b in nodes[i + 1 :]:
            bx, by = pos[b]
            dist = math.hypot(ax - bx, ay - by) or 1e-9
            nearest[a] = min(nearest[a], dist)
            nearest[b] = min(nearest[b], dist)
            if need[a] or need[b]:
                scale = max(scale, 1.15 * (need[a] + need[b] + 0.5) / dist)
    # Otherwise, about one spacing between a node and its nearest neighbour.
    typical = sorted(nearest.values())[len(nearest) // 2]
    scale = max(scale, 1.2 / typical)
    return {v: (x * scale, y * scale) for v, (x, y) in pos.items()}


def _place_rest(g: nx.Graph, pos: Pos, degree: dict[Hashable, int]) -> Pos:
    """Breadth-first from the backbone: each node goes beside the neighbour it hangs from."""
    pos = _spread_backbone(g, pos, degree)
    children: dict[Hashable, int] = defaultdict(int)
    rank = {v: i for i, v in enumerate(sorted(g, key=lambda v: (-degree[v], str(v))))}
    adj = g.adj
    queue = deque(sorted(pos, key=rank.__getitem__))
    while queue:
        hub = queue.popleft()
        for v in sorted(adj[hub], key=rank.__getitem__):
            if v in pos:
                continue
            placed_nbrs = [pos[u] for u in adj[v] if u in pos]
            cx = sum(p[0] for p in placed_nbrs) / len(placed_nbrs)
            cy = sum(p[1] for p in placed_nbrs) / len(placed_nbrs)
            if len(placed_nbrs) == 1:
                cx, cy = pos[hub]
            i = children[hub] = children[hub] + 1
            radius = _leaf_radius(i)
            angle = i * _GOLDEN
            pos[v] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
            queue.append(v)
    return pos


def _normalise(pos: Pos, n: int) -> tuple[Pos, float]:
    """Centre a component and turn spacing units into screen units; returns its radius."""
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2
    radius = max(half * SPACING, SPACING / 2)
    return {v: ((x - cx) * SPACING, (y - cy) * SPACING) for v, (x, y) in pos.items()}, radius


def pack(parts: list[tuple[Pos, float]]) -> Pos:
    """Shelf packing, largest first, in rows about as wide as the largest component's area."""
    if not parts:
        return {}
    total = sum((2 * r + SPACING) ** 2 for _, r in parts)
    width = max(math.sqrt(total) * 1.2, 2 * parts[0][1] + SPACING)
    out: Pos = {}
    x = y = 0.0
    row_height = 0.0
    for pos, radius in parts:
        size = 2 * radius + SPACING
        if x > 0 and x + size > width:
            x, y = 0.0, y + row_height
            row_height = 0.0
        ox, oy = x + size / 2, y + size / 2
        for v, (px, py) in pos.items():
            out[v] = (round(px + ox, 1), round(py + oy, 1))
        x += size
        row_height = max(row_height, size)
    xs = [p[0] for p in out.values()]
    ys = [p[1] for p in out.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {v: (round(px - cx, 1), round(py - cy, 1)) for v, (px, py) in out.items()}
