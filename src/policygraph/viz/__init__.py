"""Interactive network views of the store: HTML pages, GraphML, GEXF and CSV.

write_view(store, "stances", Path("out/stances.html"), topic="backdoors")
write_all_views(store, Path("out"))          # every view, as HTML
view_graph(store, "coalitions")              # the networkx graph itself
write_profile(store, "EFF", Path("out/eff.html"))  # one actor's letters and stances
write_matrix(store, Path("out/matrix.html"))       # the actor × topic stance table
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from ..errors import ViewError
from ..store import Store
from .arrange import signature_layout, stance_layout
from .communities import community_layout
from .export import FORMATS, write_csv, write_gexf, write_graphml
from .html import write_html
from .layout import layout
from .matrix import stance_matrix, write_matrix
from .network import annotate
from .profile import actor_profile, write_profile, write_profiles
from .views import VIEWS, Window, canonical_view, view_graph

__all__ = [
    "FORMATS",
    "VIEWS",
    "ViewError",
    "Window",
    "actor_profile",
    "analysed_view",
    "stance_matrix",
    "view_graph",
    "write_all_views",
    "write_matrix",
    "write_matrix_page",
    "write_network_html",
    "write_profile",
    "write_view",
]


def analysed_view(
    store: Store,
    view: str,
    *,
    topic: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> nx.Graph:
    """A view with centralities, communities and layout positions (x, y) on every node."""
    g = annotate(view_graph(store, view, topic=topic, since=since, until=until))
    name = canonical_view(view)
    if name == "stances":
        positions, g.graph["captions"] = stance_layout(g)
        g.graph["layout_note"] = (
            "Topics on one row, each with its supporters on one side and its opposers on"
            " the other (the captions say which); each actor by the topics it takes a"
            " position on, between them when several. One camp stays on one side."
        )
    elif name == "signatures":
        positions = signature_layout(g)
        g.graph["layout_note"] = (
            "Each letter in a ring of the actors who wrote, signed or received it; actors of"
            " several letters between them."
        )
    else:
        shape = g
        if name == "discourse-difference":
            # Lay out by agreement only: net conflict should push apart, not pull together.
            agree = [(u, v) for u, v, d in g.edges(data=True) if d["weight"] > 0]
            shape = nx.compose(nx.Graph(g.edge_subgraph(agree)), nx.empty_graph(list(g)))
        positions, g.graph["communities"] = community_layout(g, shape)
    for v, (x, y) in positions.items():
        g.nodes[v]["x"] = x
        g.nodes[v]["y"] = y
    return g


def write_view(
    store: Store,
    view: str,
    out: Path,
    *,
    topic: str | None = None,
    since: str | None = None,
    until: str | None = None,
    fmt: str = "html",
    size_by: str = "degree",
    profiles: bool = False,
) -> Path:
    """Write one view to `out`; returns the file written (for csv, the edge list, beside
    which the node list `…-nodes.csv` is written). With `profiles`, a page's actors get
    their profile pages in `profiles/` beside it, linked from the page."""
    if fmt not in FORMATS:
        raise ViewError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    g = analysed_view(store, view, topic=topic, since=since, until=until)
    if profiles and fmt == "html":
        pages = write_profiles(store, _actors(g), Path(out).parent / "profiles")
        _link_profiles(g, pages)
    return _write(g, Path(out), fmt, size_by)


def write_matrix_page(
    store: Store,
    out: Path,
    *,
    topic: str | None = None,
    since: str | None = None,
    until: str | None = None,
    profiles: bool = False,
) -> Path:
    """The stance matrix at `out`; with `profiles`, its actors' pages in `profiles/` beside
    it, linked from the rows."""
    pages: dict[str, str] = {}
    if profiles:
        actors = {r.iri for r in stance_matrix(store, topic=topic, since=since, until=until).rows}
        pages = write_profiles(store, actors, Path(out).parent / "profiles")
    return write_matrix(store, Path(out), topic=topic, since=since, until=until, profiles=pages)


def _actors(g: nx.Graph) -> set[str]:
    return {str(v) for v, d in g.nodes(data=True) if d.get("kind") not in ("letter", "topic")}


def _link_profiles(g: nx.Graph, pages: dict[str, str]) -> None:
    for v in g:
        if str(v) in pages:
            g.nodes[v]["profile"] = "profiles/" + pages[str(v)]


def _write(g: nx.Graph, out: Path, fmt: str, size_by: str) -> Path:
    if fmt == "html":
        return write_html(g, out, size_by=size_by)
    if fmt == "graphml":
        return write_graphml(g, out)
    if fmt == "gexf":
        return write_gexf(g, out)
    return write_csv(g, out)[1]


def write_network_html(g: nx.Graph, path: Path, *, size_by: str = "degree") -> Path:
    """Any networkx graph as a page: nodes may carry `label` and `kind`, edges `relation`;
    centralities, communities and positions are computed when missing."""
    g = g.copy()
    for v, d in g.nodes(data=True):
        d.setdefault("label", str(v))
        d.setdefault("kind", "organisation")
        d.setdefault("iri", str(v))
    for *_, d in g.edges(data=True):
        d.setdefault("relation", "link")
    if any("community" not in d for _, d in g.nodes(data=True)):
        annotate(g)
    if any("x" not in d for _, d in g.nodes(data=True)):
        for v, (x, y) in layout(g).items():
            g.nodes[v]["x"] = x
            g.nodes[v]["y"] = y
    return write_html(g, Path(path), size_by=size_by)


def write_all_views(
    store: Store, out_dir: Path, *, formats: tuple[str, ...] = ("html",)
) -> list[Path]:
    """Every view of the whole store into `out_dir` as `<view>.<format>`, the stance matrix
    as matrix.html, and every actor's profile page into `out_dir/profiles/`, linked from
    the pages; the view files written."""
    graphs = {view: analysed_view(store, view) for view in VIEWS}
    actors = set().union(*(_actors(g) for g in graphs.values()))
    pages = write_profiles(store, actors, Path(out_dir) / "profiles") if "html" in formats else {}
    paths: list[Path] = []
    for view, g in graphs.items():
        _link_profiles(g, pages)
        for fmt in formats:
            paths.append(_write(g, Path(out_dir) / f"{view}.{fmt}", fmt, "degree"))
    if "html" in formats:
        paths.append(write_matrix(store, Path(out_dir) / "matrix.html", profiles=pages))
    return paths
