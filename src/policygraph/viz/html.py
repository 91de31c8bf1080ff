"""A view graph → one self-contained HTML page (vis-network inlined, no request leaves it).

pyvis ships vis-network, which is inlined from its package folder; pyvis itself is not
imported (it pulls in IPython: a tenth of a second on every page written), its `from_nx` and
`add_node` are quadratic, and its in-line mode still loads Bootstrap from a CDN, so the node
and edge lists are built here and the page comes from our own template. Positions are computed in
Python (layout.py) and physics is off, so a page of thousands of nodes draws at once and a
reload shows the same picture.

Safety: all data sits in a `<script type="application/json">` block with `<`, `>` and `&`
escaped, the page's JavaScript puts text into the DOM with textContent only, and a
Content-Security-Policy allows no request at all and only the page's own scripts (by hash).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import cache
from importlib import util
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
from markupsafe import Markup

from .. import __version__, resources
from ..confusables import load_confusables
from .layout import layout
from .network import MEASURES

__all__ = ["KINDS", "RELATIONS", "render_html", "write_html"]

KINDS: dict[str, dict[str, str]] = {
    "organisation": {
        "label": "organisation",
        "color": "#4e79a7",
        "border": "#2f4b66",
        "shape": "dot",
    },
    "government": {
        "label": "government",
        "color": "#e15759",
        "border": "#8c2f30",
        "shape": "diamond",
    },
    "company": {"label": "company", "color": "#f28e2b", "border": "#94551a", "shape": "square"},
    "person": {"label": "person", "color": "#59a14f", "border": "#35622f", "shape": "triangle"},
    "letter": {"label": "letter", "color": "#9c755f", "border": "#5e4639", "shape": "hexagon"},
    "topic": {"label": "topic", "color": "#b07aa1", "border": "#6b4a62", "shape": "star"},
}
RELATIONS: dict[str, dict[str, Any]] = {
    "signed": {"label": "signed", "color": "#7f9fc2"},
    "authored": {"label": "wrote", "color": "#6b4f3a"},
    "addressed to": {"label": "addressed to", "color": "#f28e2b", "dashes": True},
    "responds to": {"label": "responds to", "color": "#b07aa1"},
    "co-signed": {"label": "co-signed a letter", "color": "#76b7b2"},
    "support": {"label": "supports", "color": "#2e8b57"},
    "oppose": {"label": "opposes", "color": "#d62728"},
    "congruence": {"label": "same position (congruence)", "color": "#2e8b57"},
    "conflict": {"label": "opposite positions (conflict)", "color": "#d62728", "dashes": True},
    "link": {"label": "link", "color": "#999999"},
}
# Node attributes shown in the details panel, in this order, with their captions. The
# measures come last and are not repeated here: the page adds them from the node's fields.
_NODE_INFO = (
    ("aliases", "also called"),
    ("country", "country"),
    ("date", "date"),
    ("signatories_claimed", "signatories (as the letter says)"),
    ("signers", "signatories (in the store)"),
    ("doc_title", "document"),
    ("topics", "topics"),
    ("notation", "notation"),
)
_EDGE_INFO = (
    ("weight", "weight"),
    ("topic", "topic"),
    ("agreements", "agreements"),
    ("conflicts", "conflicts"),
)
# Above this many edges, edges are hidden while dragging and zooming to keep it fluid.
_BIG = 3000
# At most this many edges are drawn when the page opens (the weakest ties are filtered out,
# and the filter shows how to bring them back).
SHOWN_EDGES = 15000


def _options(n_nodes: int, n_edges: int) -> dict[str, Any]:
    big = n_edges > _BIG
    return {
        "autoResize": True,
        "physics": {
            "enabled": False,
            "stabilization": False,
            "barnesHut": {"springLength": 120, "avoidOverlap": 0.2},
        },
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "interaction": {
            "hover": True,
            "tooltipDelay": 200,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "multiselect": False,
        },
        "edges": {"smooth": False, "selectionWidth": 2, "hoverWidth": 1},
        "nodes": {
            "borderWidth": 1,
            "font": {
                "size": 13,
                "face": "system-ui, sans-serif",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
        },
    }


@cache
def _asset(name: str) -> str:
    return resources.package_text("viz", name)


@cache
def _vis_assets() -> tuple[str, str]:
    spec = util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pyvis, which ships vis-network, is not installed")
    lib = Path(next(iter(spec.submodule_search_locations))) / "templates" / "lib"
    folder = max(
        (p for p in lib.glob("vis-*") if (p / "vis-network.min.js").exists()),
        key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.name)),
    )
    js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network.css").read_text(encoding="utf-8")
    if re.search(r"</script", js, re.I) or re.search(r"</style", css, re.I):
        raise RuntimeError(f"{folder}: vis-network cannot be inlined as it is")
    return js, css


def script_json(value: Any) -> str:
    """JSON that cannot end its <script> element early nor open a comment in it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 6)
    return value


def _intern(ev: dict[str, Any], evidence: list[dict[str, Any]], table: dict[Any, int]) -> int:
    # Views share one evidence object among many edges: look it up by identity first.
    if id(ev) in table:
        return table[id(ev)]
    key = json.dumps(ev, sort_keys=True, ensure_ascii=False)
    if key not in table:
        table[key] = len(evidence)
        evidence.append(ev)
    table[id(ev)] = table[key]
    return table[key]


def _marked(label: str) -> tuple[str, list[list[Any]]]:
    """A name that may pass for another's (confusables.py) is drawn with a "⚠" before it and
    says why in its panel, so a forged "Access Now" is not read as the real one."""
    problem = load_confusables().problem(label)
    if problem is None:
        return label, []
    return f"\u26a0 {label}", [["look-alike name", problem]]


def _network(
    g: nx.Graph,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes, edges and the evidence they share, with index ids to keep the page small."""
    positions = {v: (d["x"], d["y"]) for v, d in g.nodes(data=True) if "x" in d}
    if len(positions) < g.number_of_nodes():
        positions = layout(g)
    index = index_of(g)
    nodes: list[dict[str, Any]] = []
    for v, i in index.items():
        d = g.nodes[v]
        x, y = positions[v]
        label, info = _marked(d.get("label", str(v)))
        node = {
            "id": i,
            "label": label,
            "kind": d.get("kind", "organisation"),
            "iri": d.get("iri", str(v)),
            "wikidata": d.get("wikidata", ""),
            "notation": d.get("notation", ""),
            "topics": d.get("topics", ""),
            "aliases": d.get("aliases", ""),
            "profile": d.get("profile", ""),
            "x": x,
            "y": y,
            **{m: _plain(d.get(m, 0)) for m in MEASURES},
            "community": d.get("community", -1),
            "info": info
            + [[cap, _plain(d[k])] for k, cap in _NODE_INFO if d.get(k) not in (None, "")],
        }
        # Empty fields are left out: they were half of a big page's data, and the page's
        # time to first draw grows with its size.
        nodes.append({k: val for k, val in node.items() if val not in ("", [])})
    edges: list[dict[str, Any]] = []
    # Many edges share a piece of evidence (one letter behind every co-signing pair):
    # each is written once and edges point to it.
    evidence: list[dict[str, Any]] = []
    table: dict[Any, int] = {}
    for j, (u, v, d) in enumerate(
        sorted(
            g.edges(data=True), key=lambda e: (index[e[0]], index[e[1]], e[2].get("relation", ""))
        )
    ):
        edge = {
            "id": j,
            "from": index[u],
            "to": index[v],
            "relation": d.get("relation", ""),
            "weight": d.get("weight", 1),
            "topic": d.get("topic", ""),
            "info": [[cap, _plain(d[k])] for k, cap in _EDGE_INFO if d.get(k) not in (None, "")],
            "evidence": [_intern(ev, evidence, table) for ev in d.get("evidence", ())],
        }
        # A big co-signing network has a hundred thousand edges: leave out what is empty.
        edges.append({k: v for k, v in edge.items() if v not in ("", [])})
    return nodes, edges, evidence


def render_html(g: nx.Graph, *, size_by: str = "degree", title: str | None = None) -> str:
    """The page for an annotated view graph (see network.annotate)."""
    if size_by not in MEASURES:
        raise ValueError(f"size_by must be one of {MEASURES}")
    nodes, edges, evidence = _network(g)
    heading = g.graph.get("title", "")
    kind_counts: dict[str, int] = {}
    for n in nodes:
        kind_counts[n["kind"]] = kind_counts.get(n["kind"], 0) + 1
    rel_counts: dict[str, int] = {}
    for e in edges:
        rel_counts[e.get("relation", "")] = rel_counts.get(e.get("relation", ""), 0) + 1
    topics = sorted(
        {n.get("notation", ""): n["label"] for n in nodes if n["kind"] == "topic"}.items()
    ) or sorted({(t, t) for e in edges for t in e.get("topic", "").split()})
    data = {
        "view": g.graph.get("view", ""),
        "directed": g.is_directed(),
        "nodes": nodes,
        "edges": edges,
        "evidence": evidence,
        "options": _options(len(nodes), len(edges)),
        "kinds": {k: KINDS[k] for k in KINDS},
        "relations": RELATIONS,
        "kindCounts": {k: kind_counts[k] for k in KINDS if k in kind_counts},
        "relationCounts": dict(sorted(rel_counts.items())),
        "topics": [{"notation": t, "label": label} for t, label in topics],
        "metrics": list(MEASURES),
        "maxWeight": max((abs(e["weight"]) for e in edges), default=1),
        "minWeight": _min_weight([abs(e["weight"]) for e in edges]),
        "sizeBy": size_by,
        "notes": _notes(g),
        "filters": _filters(g, topics),
        "communities": _communities(g, index_of(g)),
        "captions": g.graph.get("captions") or [],
    }
    scripts = _scripts()
    csp = "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(f"'{_sha256(s)}'" for s in scripts.values()),
            "style-src 'unsafe-inline'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(_asset("template.html"))
    return template.render(
        title=title or heading or "policygraph",
        version=__version__,
        csp=csp,
        vis_css=Markup(_vis_assets()[1]),
        **{f"{name}_js": Markup(text) for name, text in scripts.items()},
        data_json=Markup(script_json(data)),
        filters=data["filters"],
    )


def _scripts() -> dict[str, str]:
    """The page's scripts by name, in the order the template runs them."""
    names = ("labels", "timeline", "groups", "share", "app")
    return {"vis": _vis_assets()[0], **{n: _asset(f"{n}.js") for n in names}}


def index_of(g: nx.Graph) -> dict[Any, int]:
    """Node → its id in the page (the order _network numbers them in)."""
    return {v: i for i, v in enumerate(sorted(g, key=str))}


def _communities(g: nx.Graph, index: dict[Any, int]) -> list[dict[str, Any]]:
    """The communities the layout drew apart (arrange.community_layout), with the ids of
    their members, for the page to name and to collapse; none for other views."""
    groups = g.graph.get("communities") or []
    members: dict[int, list[int]] = {}
    for v, d in g.nodes(data=True):
        members.setdefault(int(d.get("community", -1)), []).append(index[v])
    return [{**c, "members": sorted(members.get(c["id"], []))} for c in groups]


def _filters(g: nx.Graph, topics: list[tuple[str, str]]) -> list[list[str]]:
    """The command line's filters, as [option, value, what it means], for the page to show:
    a view of one topic must not say "all topics"."""
    out = []
    topic = g.graph.get("topic", "")
    if topic:
        label = dict(topics).get(topic, topic)
        out.append(["--topic", topic, f"only {label}" if label != topic else f"only {topic}"])
    for option, caption in (("since", "on or after"), ("until", "on or before")):
        value = g.graph.get(option, "")
        if value:
            out.append([f"--{option}", value, f"only facts dated {caption} {value}"])
    return out


def _notes(g: nx.Graph) -> list[str]:
    """What the reader should know about how the numbers were computed."""
    notes = [g.graph["layout_note"]] if g.graph.get("layout_note") else []
    if g.graph.get("communities"):
        notes.append(
            "Communities (Leiden, seeded) drawn apart and named after their most central"
            " member; double-click a node, or use Coalitions, to fold one into a node."
        )
    sources = g.graph.get("betweenness_sources")
    if sources:
        notes.append(
            f"Betweenness is estimated: this graph has {g.number_of_nodes():,} nodes, so shortest"
            f" paths are counted from {sources} sampled nodes (seeded: the same each time), not"
            " from every node."
        )
    big = g.graph.get("letters_through_node")
    if big:
        notes.append(
            f"{big} letter{'s' if big > 1 else ''} with more than {g.graph['big_letter']}"
            " signatories drawn as a node its signatories link to, not as every pair of them."
        )
    return notes


def _min_weight(weights: list[int | float], shown: int = SHOWN_EDGES) -> int | float:
    """The smallest tie strength at which at most `shown` edges are drawn at first: a few
    big letters make a co-signing network of cliques too dense to draw or read."""
    if len(weights) <= shown:
        return 1
    ranked = sorted(weights, reverse=True)
    threshold = ranked[shown - 1]
    if sum(1 for w in weights if w >= threshold) > shown:
        threshold = min((w for w in weights if w > threshold), default=threshold)
    return threshold


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def write_html(g: nx.Graph, path: Path, *, size_by: str = "degree") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(render_html(g, size_by=size_by), encoding="utf-8")
    tmp.replace(path)
    return path
