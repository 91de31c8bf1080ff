"""A layout per view, designed for the question the view answers, computed here (seeded, so
the same store always gives the same picture) and drawn by the page with physics off.

- signatures: each letter in the middle of a ring of the actors who signed, wrote or
  received it (more rings when it has many); actors tied to several letters between them.
- stances: topics as columns on one row; supporters above it, opposers below, each actor
  over (or under) the topics it takes a position on, between them when several.
- coalitions and discourse networks: communities.py.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable
from typing import Any

import networkx as nx

from .layout import SPACING, Pos, layout, pack

__all__ = ["signature_layout", "stance_layout"]

_RING_GAP = 0.9 * SPACING  # between two rings of a letter
_ON_RING = 0.75 * SPACING  # between two neighbours on a ring
_FIRST_RING = 1.6 * SPACING  # room for the labels of a small letter's few signers
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


# ---------------------------------------------------------------------------- signatures
def _rings(count: int) -> list[tuple[float, int]]:
    """(radius, how many nodes) per ring, innermost first, for `count` nodes."""
    out = []
    radius = _FIRST_RING
    while count > 0:
        fits = max(6, int(2 * math.pi * radius / _ON_RING))
        out.append((radius, min(fits, count)))
        count -= fits
        radius += _RING_GAP
    return out


def _ring_positions(members: list[Hashable]) -> tuple[Pos, float]:
    pos: Pos = {}
    i = 0
    radius = 0.0
    for ring, (radius, n) in enumerate(_rings(len(members))):
        # Each ring turned by half a step from the last, so that rings do not line up.
        offset = (ring % 2) * math.pi / n - math.pi / 2
        for k in range(n):
            a = offset + 2 * math.pi * k / n
            pos[members[i]] = (radius * math.cos(a), radius * math.sin(a))
            i += 1
    return pos, radius + SPACING / 2


def signature_layout(g: nx.Graph, *, seed: int = 7) -> Pos:
    """Letters as ring centres; each actor of one letter on its ring; the others between."""
    simple = nx.Graph(g)
    letters = sorted(
        (v for v, d in g.nodes(data=True) if d.get("kind") == "letter"),
        key=lambda v: (g.nodes[v].get("date", ""), str(v)),
    )
    if not letters:
        return layout(g, seed=seed)
    letter_set = set(letters)
    own: dict[Hashable, list[Hashable]] = {v: [] for v in letters}
    shared: list[Hashable] = []
    loose: list[Hashable] = []
    for v in sorted((v for v in simple if v not in letter_set), key=str):
        mine = [u for u in simple[v] if u in letter_set]
        if len(mine) == 1:
            own[mine[0]].append(v)
        elif mine:
            shared.append(v)
        else:
            loose.append(v)
    discs: dict[Hashable, tuple[Pos, float]] = {}
    for letter in letters:
        # Ring order: who wrote it, then who signed, then whom it was addressed to.
        members = sorted(own[letter], key=lambda v: (_role(g, v, letter), str(v)))
        discs[letter] = _ring_positions(members) if members else ({}, SPACING)
    centres = _letter_centres(simple, letters, shared, discs, seed)
    pos: Pos = {}
    for letter in letters:
        cx, cy = centres[letter]
        pos[letter] = (cx, cy)
        for v, (x, y) in discs[letter][0].items():
            pos[v] = (cx + x, cy + y)
    free = _Free(pos)
    for v in shared + loose:
        around = [pos[u] for u in simple[v] if u in letter_set]
        if around:
            x = sum(p[0] for p in around) / len(around)
            y = sum(p[1] for p in around) / len(around)
        else:
            x, y = 0.0, 0.0
        pos[v] = free.take(x, y)
    return {v: (round(x, 1), round(y, 1)) for v, (x, y) in pos.items()}


def _role(g: nx.Graph, actor: Hashable, letter: Hashable) -> int:
    relations: set[str] = set()
    if g.is_multigraph():
        for a, b in ((actor, letter), (letter, actor)):
            if g.has_edge(a, b):
                relations.update(d.get("relation", "") for d in g.get_edge_data(a, b).values())
    elif g.has_edge(actor, letter):
        relations.add(g[actor][letter].get("relation", ""))
    for rank, relation in enumerate(("authored", "signed", "addressed to")):
        if relation in relations:
            return rank
    return 3


def _letter_centres(
    g: nx.Graph,
    letters: list[Hashable],
    shared: list[Hashable],
    discs: dict[Hashable, tuple[Pos, float]],
    seed: int,
) -> Pos:
    """Letters sharing actors near each other (a seeded force layout of letters and shared
    actors, per group of letters so linked), their rings then pushed apart until none
    touches another; the groups packed in rows, largest first."""
    h = nx.Graph()
    h.add_nodes_from(letters)
    letter_set = set(letters)
    for v in shared:
        h.add_edges_from((v, u) for u in g[v] if u in letter_set)
    h.add_edges_from((a, b) for a, b in g.edges() if a in letter_set and b in letter_set)
    parts: list[tuple[Pos, float]] = []
    comps = [sorted((v for v in c if v in letter_set), key=str) for c in nx.connected_components(h)]
    comps.sort(key=lambda c: (-sum(discs[v][1] ** 2 for v in c), str(c[0])))
    for comp in comps:
        if len(comp) == 1:
            parts.append(({comp[0]: (0.0, 0.0)}, discs[comp[0]][1]))
            continue
        sub = h.subgraph(nx.node_connected_component(h, comp[0]))
        raw = nx.spring_layout(sub, seed=seed, pos=nx.circular_layout(sorted(sub, key=str)))
        spread = sum(discs[v][1] for v in comp)
        pos = _apart(
            {v: (float(raw[v][0]) * spread, float(raw[v][1]) * spread) for v in comp}, discs
        )
        xs = [pos[v][0] + sign * discs[v][1] for v in comp for sign in (-1, 1)]
        ys = [pos[v][1] + sign * discs[v][1] for v in comp for sign in (-1, 1)]
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        pos = {v: (x - cx, y - cy) for v, (x, y) in pos.items()}
        parts.append((pos, max(max(xs) - min(xs), max(ys) - min(ys)) / 2))
    return pack(parts)


def _apart(pos: Pos, discs: dict[Hashable, tuple[Pos, float]]) -> Pos:
    """Push overlapping rings apart, pair by pair, until none overlaps (or enough rounds:
    each is quadratic in the letters, so thousands of linked letters get a few only)."""
    nodes = sorted(pos, key=str)
    xy = {v: list(pos[v]) for v in nodes}
    for _ in range(max(3, min(200, 4_000_000 // len(nodes) ** 2))):
        moved = False
        for i, a in enumerate(nodes):
            for k, b in enumerate(nodes[i + 1 :]):
                dx, dy = xy[b][0] - xy[a][0], xy[b][1] - xy[a][1]
                dist = math.hypot(dx, dy)
                need = discs[a][1] + discs[b][1] + SPACING / 2
                if dist >= need:
                    continue
                if dist < 1e-6:  # on top of each other: a fixed direction per pair
                    angle = (i * 7 + k) * _GOLDEN_ANGLE
                    dx, dy, dist = math.cos(angle), math.sin(angle), 1.0
                push = (need - dist) / 2 / dist
                xy[a][0] -= dx * push
                xy[a][1] -= dy * push
                xy[b][0] += dx * push
                xy[b][1] += dy * push
                moved = True
        if not moved:
            break
    return {v: (x, y) for v, (x, y) in xy.items()}


class _Free:
    """The nearest free spot to a point, on a spiral out from it (a grid of what is taken)."""

    def __init__(self, pos: Pos) -> None:
        self.cell = 0.7 * SPACING
        self.taken: set[tuple[int, int]] = {self._key(x, y) for x, y in pos.values()}

    def _key(self, x: float, y: float) -> tuple[int, int]:
        return (round(x / self.cell), round(y / self.cell))

    def take(self, x: float, y: float) -> tuple[float, float]:
        i, j = self._key(x, y)
        for r in range(0, 400):
            for di in range(-r, r + 1):
                for dj in (-r, r) if abs(di) != r else range(-r, r + 1):
                    key = (i + di, j + dj)
                    if not any(
                        (key[0] + a, key[1] + b) in self.taken
                        for a in (-1, 0, 1)
                        for b in (-1, 0, 1)
                    ):
                        self.taken.add(key)
                        return key[0] * self.cell, key[1] * self.cell
        self.taken.add((i, j))
        return x, y


# ---------------------------------------------------------------------------- stances
def stance_layout(g: nx.Graph, *, spacing: float = SPACING) -> tuple[Pos, list[dict[str, Any]]]:
    """Topics as columns on one row; on each column its supporters on one side and its
    opposers on the other; each actor over (or under) the mean of its topics' columns.

    Which side is which, per topic, follows the first principal axis of the actors' stances
    (+1 support, -1 oppose): opposing backdoors and supporting end-to-end encryption are
    one camp, so those actors sit on one side of both columns, whatever way round each
    topic is phrased, and the page writes on each column which side supports it (the
    captions returned). Columns are ordered along the same axis; actors whose stances
    cancel out sit on the row, between their topics."""
    topics = sorted((v for v, d in g.nodes(data=True) if d.get("kind") == "topic"), key=str)
    topic_set = set(topics)
    actors = sorted((v for v in g if v not in topic_set), key=str)
    held: dict[Hashable, dict[Hashable, int]] = {a: defaultdict(int) for a in actors}
    for u, v, d in g.edges(data=True):
        if u in held and v in topic_set:
            held[u][v] |= 1 if d.get("position") == "support" else 2
    topics, polarity = _topic_axis(topics, held)
    groups: dict[tuple[tuple[int, ...], int], list[Hashable]] = defaultdict(list)
    column = {t: i for i, t in enumerate(topics)}
    for a in actors:
        mine = tuple(sorted(column[t] for t in held[a]))
        camp = sum({1: 1, 2: -1}.get(m, 0) * polarity[t] for t, m in held[a].items())
        groups[(mine, (camp < 0) - (camp > 0))].append(a)
    # Blocks at most `most` wide, taller when they have more members: chosen so that the
    # whole picture is about as wide as it is high (canvas-shaped), with many topics too.
    biggest = max((len(m) for m in groups.values()), default=1)
    most = max(2, round(math.sqrt(2 * biggest / max(len(topics), 1))))
    width = spacing * (min(most, math.ceil(math.sqrt(biggest))) + 1.5)
    pos: Pos = {t: (column[t] * width, 0.0) for t in topics}
    blocks: list[tuple[float, float, float, float]] = [
        (x - spacing, -spacing / 2, x + spacing, spacing / 2) for x, _ in pos.values()
    ]
    order = sorted(groups, key=lambda k: (len(k[0]), -len(groups[k]), k))
    for cols, side in order:
        members = sorted(groups[(cols, side)], key=lambda v: (g.nodes[v].get("kind", ""), str(v)))
        x = sum(c * width for c in cols) / len(cols) if cols else -width
        _place_block(members, x, side, spacing, blocks, pos, most)
    top = min((y for _, y in pos.values()), default=0.0) - spacing
    bottom = max((y for _, y in pos.values()), default=0.0) + spacing
    captions = []
    for t in topics:
        up, down = ("supporters", "opposers") if polarity[t] > 0 else ("opposers", "supporters")
        label = g.nodes[t].get("label", str(t))
        x = column[t] * width
        captions.append({"text": f"{up} of {label} ▲", "x": x, "y": round(top, 1), "out": -1})
        captions.append({"text": f"{down} of {label} ▼", "x": x, "y": round(bottom, 1), "out": 1})
    return {v: (round(x, 1), round(y, 1)) for v, (x, y) in pos.items()}, captions


def _topic_axis(
    topics: list[Hashable], held: dict[Hashable, dict[Hashable, int]]
) -> tuple[list[Any], dict[Hashable, int]]:
    """Topics ordered along the stances' first principal axis, and each topic's polarity:
    +1 when supporting it goes with the axis' positive camp, -1 when opposing it does."""
    import numpy as np

    flat = dict.fromkeys(topics, 1)
    if not topics or not held:
        return topics, flat
    index = {t: i for i, t in enumerate(topics)}
    matrix = np.zeros((len(held), len(topics)))
    for r, stances in enumerate(held.values()):
        for t, m in stances.items():
            matrix[r, index[t]] = {1: 1.0, 2: -1.0}.get(m, 0.0)
    if not np.any(matrix):
        return topics, flat
    _, _, vt = np.linalg.svd(matrix, full_matrices=False)
    axis = vt[0]
    if axis[int(np.argmax(np.abs(axis)))] < 0:  # a fixed orientation: same picture each run
        axis = -axis
    ordered = sorted(topics, key=lambda t: (-round(float(axis[index[t]]), 6), str(t)))
    return ordered, {t: 1 if axis[index[t]] >= -1e-9 else -1 for t in topics}


def _place_block(
    members: list[Hashable],
    x: float,
    side: int,
    spacing: float,
    blocks: list[tuple[float, float, float, float]],
    pos: Pos,
    most: int,
) -> None:
    """A grid of members centred on x, as near the row as it goes without covering a block
    placed before; side -1 above the row, +1 below, 0 on it (pushed sideways instead)."""
    cols = max(1, min(most, math.ceil(math.sqrt(len(members)))))
    rows = math.ceil(len(members) / cols)
    w, h = cols * spacing, rows * spacing
    step = 0
    while True:
        if side:
            top = spacing * 1.2 + step * spacing / 2
            y0 = -top - h if side < 0 else top
            x0 = x - w / 2
        else:
            shift = (step + 1) // 2 * spacing / 2 * (1 if step % 2 else -1)
            x0, y0 = x - w / 2 + shift, -h / 2
        box = (x0, y0, x0 + w, y0 + h)
        if not any(
            b[0] < box[2] and box[0] < b[2] and b[1] < box[3] and box[1] < b[3] for b in blocks
        ):
            break
        step += 1
    blocks.append(box)
    for i, v in enumerate(members):
        r, c = divmod(i, cols)
        # Fill from the row outwards, so a block's first members sit nearest its topics.
        row_y = y0 + h - (r + 0.5) * spacing if side < 0 else y0 + (r + 0.5) * spacing
        pos[v] = (x0 + (c + 0.5) * spacing, row_y)
