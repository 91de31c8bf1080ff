"""View graphs → GraphML, GEXF (both open in Gephi with every attribute) and CSV lists.

GraphML and GEXF hold only scalar attributes, so each edge's evidence list is written as a
JSON string, and every node has every attribute (missing ones as "" or 0) so that each
column has one type. GEXF also gets Gephi's viz position, colour and size.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import networkx as nx

from ..sparql.formatting import spreadsheet_cell as _cell

__all__ = ["FORMATS", "export_graph", "write_csv", "write_gexf", "write_graphml"]

FORMATS = ("html", "graphml", "gexf", "csv")


def _scalar(value: Any) -> str | int | float | bool:
    if isinstance(value, bool | int | float | str):
        return value
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _fill(items: list[dict[str, Any]]) -> None:
    """Give every item every key, with the column's empty value."""
    kinds: dict[str, type] = {}
    for d in items:
        for k, v in d.items():
            if isinstance(v, float) or (k in kinds and kinds[k] is float and isinstance(v, int)):
                kinds[k] = float
            else:
                kinds.setdefault(k, type(v))
    for d in items:
        for k, t in kinds.items():
            if k not in d:
                d[k] = t()
            elif t is float and isinstance(d[k], int) and not isinstance(d[k], bool):
                d[k] = float(d[k])


def export_graph(g: nx.Graph) -> nx.Graph:
    """A copy of a view graph whose attributes GraphML, GEXF and CSV can all hold."""
    out = g.__class__()
    out.graph.update({k: _scalar(v) for k, v in g.graph.items()})
    node_data = [{k: _scalar(v) for k, v in d.items()} for _, d in g.nodes(data=True)]
    _fill(node_data)
    out.add_nodes_from(zip(list(g), node_data, strict=True))
    if g.is_multigraph():
        # Edge ids must be unique in GraphML and GEXF; a view's keys (the relation) are not.
        edges = list(g.edges(keys=True, data=True))
        edge_data = [{k: _scalar(v) for k, v in d.items()} for *_, d in edges]
        _fill(edge_data)
        for i, ((u, v, _, _), d) in enumerate(zip(edges, edge_data, strict=True)):
            out.add_edge(u, v, key=f"e{i}", **d)
    else:
        plain = list(g.edges(data=True))
        edge_data = [{k: _scalar(v) for k, v in d.items()} for *_, d in plain]
        _fill(edge_data)
        for (u, v, _), d in zip(plain, edge_data, strict=True):
            out.add_edge(u, v, **d)
    return out


def write_graphml(g: nx.Graph, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(export_graph(g), path)
    return path


def write_gexf(g: nx.Graph, path: Path) -> Path:
    from .html import KINDS

    out = export_graph(g)
    for _, d in out.nodes(data=True):
        colour = KINDS.get(str(d.get("kind")), KINDS["organisation"])["color"]
        d["viz"] = {
            "position": {"x": float(d.get("x", 0.0)), "y": -float(d.get("y", 0.0)), "z": 0.0},
            "color": {
                "r": int(colour[1:3], 16),
                "g": int(colour[3:5], 16),
                "b": int(colour[5:7], 16),
                "a": 1.0,
            },
            "size": 5.0 + 20.0 * float(d.get("degree_centrality", 0.0)) ** 0.5,
        }
    if out.is_multigraph():
        for *_, key, d in out.edges(keys=True, data=True):
            d["id"] = key  # the GEXF writer numbers edges itself unless told
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_gexf(out, path)
    return path


def write_csv(g: nx.Graph, path: Path) -> tuple[Path, Path]:
    """`X.csv` → `X-nodes.csv` (id first) and `X-edges.csv` (source, target first)."""
    out = export_graph(g)
    stem = path.with_suffix("")
    nodes_path = stem.with_name(stem.name + "-nodes.csv")
    edges_path = stem.with_name(stem.name + "-edges.csv")
    path.parent.mkdir(parents=True, exist_ok=True)
    node_cols = sorted({k for _, d in out.nodes(data=True) for k in d})
    with nodes_path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", *node_cols])
        for v, d in out.nodes(data=True):
            w.writerow([_cell(v), *(_cell(d.get(k, "")) for k in node_cols)])
    edge_cols = sorted({k for *_, d in out.edges(data=True) for k in d})
    with edges_path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["source", "target", *edge_cols])
        for u, v, d in out.edges(data=True):
            w.writerow([_cell(u), _cell(v), *(_cell(d.get(k, "")) for k in edge_cols)])
    return nodes_path, edges_path
