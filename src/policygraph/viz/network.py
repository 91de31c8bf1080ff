"""Network analysis of the views: centralities, coalitions (communities), top actors.

`annotate` writes degree, betweenness and eigenvector centrality and a Leiden community
(fixed seed) onto every node of a view graph, so the HTML pages and the GraphML/GEXF exports
carry them. `summary` reads the store and reports the top actors and the coalitions;
`policygraph network` prints it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..store import Store
from .views import view_graph

__all__ = [
    "MEASURES",
    "Coalition",
    "NetworkSummary",
    "RankedActor",
    "annotate",
    "format_summary",
    "summary",
]

MEASURES = ("degree", "betweenness", "eigenvector")
SEED = 42
# Exact betweenness is O(nodes × edges); above this many nodes it is estimated from a
# seeded sample of source nodes (networkx's estimator, computed by igraph in C).
EXACT_BETWEENNESS = 1000
# Sample size: about 4,000,000 edge visits in all, between 20 and 300 sources.
BETWEENNESS_WORK = 4_000_000


def annotate(g: nx.Graph, *, seed: int = SEED) -> nx.Graph:
    """Add `degree` (count), `degree_centrality`, `betweenness`, `eigenvector`, `community`.

    When betweenness is estimated (above EXACT_BETWEENNESS nodes), the graph attribute
    `betweenness_sources` says from how many sampled source nodes; pages and exports show it.
    """
    simple = _simple(g)
    n = simple.number_of_nodes()
    if n == 0:
        return g
    degree_c = nx.degree_centrality(simple) if n > 1 else dict.fromkeys(simple, 0.0)
    betweenness, sources = _betweenness(simple, seed)
    if sources:
        g.graph["betweenness_sources"] = sources
    else:
        g.graph.pop("betweenness_sources", None)
    eigen = _eigenvector(simple)
    communities = _communities(g, simple, seed)
    for v in g:
        data = g.nodes[v]
        data["degree"] = int(simple.degree(v))
        data["degree_centrality"] = round(float(degree_c.get(v, 0.0)), 6)
        data["betweenness"] = round(float(betweenness.get(v, 0.0)), 6)
        data["eigenvector"] = round(float(eigen.get(v, 0.0)), 6)
        data["community"] = int(communities.get(v, -1))
    return g


def _simple(g: nx.Graph) -> nx.Graph:
    """Undirected, one edge per pair: the shape the centralities are defined on."""
    simple = nx.Graph()
    simple.add_nodes_from(g)
    simple.add_edges_from((u, v) for u, v in g.edges() if u != v)
    return simple


def _betweenness(g: nx.Graph, seed: int) -> tuple[dict[object, float], int | None]:
    """Normalised betweenness as networkx's `betweenness_centrality(g, k, seed=seed)` gives it
    (same sampled sources, same rescaling; exact up to EXACT_BETWEENNESS nodes), with the
    shortest paths counted by igraph: a hundred times faster than networkx's Python. Also
    the number of sampled sources, None when exact."""
    import igraph

    nodes = list(g)
    n = len(nodes)
    if n <= 2:
        return dict.fromkeys(nodes, 0.0), None
    index = {v: i for i, v in enumerate(nodes)}
    graph = igraph.Graph(n=n, edges=[(index[u], index[v]) for u, v in g.edges()])
    pairs = n - 1  # possible targets of a path through a node, which is not one of them
    if n <= EXACT_BETWEENNESS:
        # igraph counts each unordered pair once; networkx divides by the ordered pairs.
        raw = graph.betweenness(directed=False)
        return {v: 2 * raw[i] / (pairs * (pairs - 1)) for v, i in index.items()}, None
    k = max(20, min(300, BETWEENNESS_WORK // (n + g.number_of_edges())))
    sources = random.Random(seed).sample(nodes, k)  # the sample networkx draws
    raw = graph.betweenness(directed=False, sources=[index[s] for s in sources])
    # A source is never inside its own paths: it has one sample fewer (networkx's _rescale).
    sampled = set(sources)
    scaled = {
        v: 2 * raw[i] / ((k - 1 if v in sampled else k) * (pairs - 1)) for v, i in index.items()
    }
    return scaled, k


def _eigenvector(g: nx.Graph, *, max_iter: int = 1000, tol: float = 1e-08) -> dict[object, float]:
    """Eigenvector centrality by power iteration on A + I, as networkx computes it, but with
    numpy over edge arrays: seconds instead of minutes on tens of thousands of nodes."""
    import numpy as np

    nodes = list(g)
    n = len(nodes)
    if g.number_of_edges() == 0:
        return dict.fromkeys(nodes, 0.0)
    index = {v: i for i, v in enumerate(nodes)}
    pairs = np.array([(index[u], index[v]) for u, v in g.edges()], dtype=np.int64)
    src = np.concatenate([pairs[:, 0], pairs[:, 1]])
    dst = np.concatenate([pairs[:, 1], pairs[:, 0]])
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = last + np.bincount(dst, weights=last[src], minlength=n)
        # Not np.linalg.norm: BLAS threads on a busy machine made it 7 ms a call, not 20 µs.
        norm = float(np.sqrt((x * x).sum())) or 1.0
        x = x / norm
        if float(np.abs(x - last).sum()) < n * tol:
            break
    return {v: float(x[i]) for v, i in index.items()}


def _communities(g: nx.Graph, simple: nx.Graph, seed: int) -> dict[object, int]:
    """Leiden communities (modularity, as Louvain maximises it) on positive weights (negative
    ones, e.g. net conflict, are not cohesion).

    Leiden is Louvain with a refinement step that keeps every community connected; igraph's,
    in C, takes 0.1 s on twenty thousand nodes, where networkx's Louvain took twelve and
    igraph's own Louvain one and a half, and finds higher modularity than either. Its random
    choices come from a random.Random seeded here: the same graph gets the same communities.
    """
    import igraph

    nodes = sorted(simple, key=str)
    index = {v: i for i, v in enumerate(nodes)}
    weights: dict[tuple[int, int], float] = {}
    for u, v, data in g.edges(data=True):
        w = float(data.get("weight", 1) or 0)
        if u == v or w <= 0:
            continue
        a, b = sorted((index[u], index[v]))
        weights[a, b] = weights.get((a, b), 0.0) + w
    pairs = sorted(weights)
    graph = igraph.Graph(
        n=len(nodes), edges=pairs, edge_attrs={"weight": [weights[p] for p in pairs]}
    )
    igraph.set_random_number_generator(random.Random(seed))
    try:
        membership = graph.community_leiden(
            objective_function="modularity", weights="weight" if pairs else None, n_iterations=2
        ).membership
    finally:
        igraph.set_random_number_generator(random)
    parts: dict[int, list[object]] = {}
    for v, c in zip(nodes, membership, strict=True):
        parts.setdefault(c, []).append(v)
    # Number communities by size, then by their first member, so numbers are stable.
    ordered = sorted((sorted(map(str, p)), p) for p in parts.values())
    ordered.sort(key=lambda item: -len(item[1]))
    return {v: i for i, (_, p) in enumerate(ordered) for v in p}


# ---------------------------------------------------------------------------- summary
@dataclass(frozen=True)
class RankedActor:
    iri: str
    label: str
    kind: str
    letters_signed: int
    co_signers: int
    betweenness: float
    eigenvector: float
    community: int


@dataclass(frozen=True)
class Coalition:
    number: int
    size: int
    members: tuple[str, ...]  # labels, best connected first


@dataclass(frozen=True)
class NetworkSummary:
    actors: int
    letters: int
    co_signing_ties: int
    top: tuple[RankedActor, ...]
    coalitions: tuple[Coalition, ...]


def summary(
    store: Store,
    *,
    top: int = 10,
    topic: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> NetworkSummary:
    """The best-connected actors of the co-signing network and its coalitions."""
    coalitions = annotate(view_graph(store, "coalitions", topic=topic, since=since, until=until))
    signatures = view_graph(store, "signatures", topic=topic, since=since, until=until)
    signed, co_signers = _signing_counts(signatures)
    letters = sum(1 for _, d in signatures.nodes(data=True) if d["kind"] == "letter")
    actors = [(v, d) for v, d in coalitions.nodes(data=True) if d["kind"] != "letter"]
    ranked = sorted(
        actors,
        key=lambda item: (
            -signed.get(str(item[0]), 0),
            -co_signers.get(str(item[0]), 0),
            -item[1]["betweenness"],
            item[1]["label"],
        ),
    )
    top_actors = tuple(
        RankedActor(
            iri=str(v),
            label=d["label"],
            kind=d["kind"],
            letters_signed=signed.get(str(v), 0),
            co_signers=co_signers.get(str(v), 0),
            betweenness=d["betweenness"],
            eigenvector=d["eigenvector"],
            community=d["community"],
        )
        for v, d in ranked[:top]
    )
    return NetworkSummary(
        actors=len(actors),
        letters=letters,
        co_signing_ties=sum(co_signers.values()) // 2,
        top=top_actors,
        coalitions=_coalitions(actors, co_signers),
    )


def _signing_counts(signatures: nx.Graph) -> tuple[dict[str, int], dict[str, int]]:
    """Per actor: the letters it signed or wrote, and its co-signers."""
    signed: dict[str, int] = {}
    by_letter: dict[str, set[str]] = {}
    for u, v, data in signatures.edges(data=True):
        if data["relation"] in ("signed", "authored"):
            signed[u] = signed.get(u, 0) + 1
            by_letter.setdefault(v, set()).add(u)
    # Co-signers from the letters themselves: the view draws a big letter through its node,
    # so its degree there is not the number of co-signers.
    partners: dict[str, set[str]] = {}
    for names in by_letter.values():
        for a in names:
            partners.setdefault(a, set()).update(names)
    return signed, {a: len(p) - 1 for a, p in partners.items()}


def _coalitions(
    actors: list[tuple[Any, dict[str, Any]]], co_signers: dict[str, int]
) -> tuple[Coalition, ...]:
    """The communities as coalitions, each member list best connected first."""
    members: dict[int, list[tuple[int, str]]] = {}
    for v, d in actors:
        members.setdefault(d["community"], []).append((-co_signers.get(str(v), 0), d["label"]))
    return tuple(
        Coalition(number, len(m), tuple(label for _, label in sorted(m)))
        for number, m in sorted(members.items())
    )


def format_summary(s: NetworkSummary, *, members: int = 12) -> str:
    lines = [
        f"{s.actors} actors who signed or wrote letters, {s.letters} letters, "
        f"{s.co_signing_ties} co-signing ties",
        "",
        "top actors (by letters signed, then co-signers):",
        f"  {'actor':40} {'kind':12} {'letters':>7} {'co-signers':>10} "
        f"{'betweenness':>11} {'eigenvector':>11} {'coalition':>9}",
    ]
    for a in s.top:
        lines.append(
            f"  {a.label[:40]:40} {a.kind:12} {a.letters_signed:7d} {a.co_signers:10d} "
            f"{a.betweenness:11.4f} {a.eigenvector:11.4f} {a.community:9d}"
        )
    lines += ["", "coalitions (Leiden communities of the co-signing network):"]
    for c in s.coalitions:
        shown = ", ".join(c.members[:members])
        more = f", … (+{c.size - members})" if c.size > members else ""
        lines.append(f"  {c.number}: {c.size} actors: {shown}{more}")
    return "\n".join(lines)
