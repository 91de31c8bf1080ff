"""The actor × topic stance matrix: a table for readers who would rather read than follow
edges. One row per actor, one column per topic, each cell supports / opposes / mixed with
how many pieces of evidence and a link to them (listed under the table, each with its quote
and source document).

Rows are ordered so that actors who agree sit together: actors with the same stances form
a block, and blocks (and columns) follow the first principal axis of the stances (+1
support, -1 oppose), the axis the stances view lays its camps out on. Static HTML, Jinja
autoescaped, under a policy that allows no script and no request: it reads without
JavaScript.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import jinja2

from .. import __version__, resources
from ..errors import UnknownNameError, ViewError
from ..lookups import Names
from ..store import Store
from .catalogue import Catalogue, Window, stance_rows
from .profile import Source, _source, profile_file

__all__ = ["Cell", "Matrix", "render_matrix", "stance_matrix", "write_matrix"]

Position = Literal["support", "oppose", "mixed"]


@dataclass(frozen=True)
class Evidence:
    position: Literal["support", "oppose"]
    date: str
    quote: str
    attribution: str
    source: Source


@dataclass(frozen=True)
class Cell:
    position: Position
    supports: int  # pieces of evidence for support
    opposes: int
    evidence: tuple[Evidence, ...]
    anchor: str  # the id of its evidence list in the page


@dataclass(frozen=True)
class Row:
    iri: str
    key: str  # "actor-<hash of the IRI>", as its profile's file name: no document text
    label: str
    kind: str
    profile: str  # the profile page's file name, "" when none is linked
    cells: tuple[Cell | None, ...]  # one per column


@dataclass(frozen=True)
class Column:
    notation: str
    label: str


@dataclass(frozen=True)
class Matrix:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    filters: tuple[tuple[str, str], ...]  # (option, value) the matrix was made with


def stance_matrix(
    store: Store,
    *,
    topic: str | None = None,
    since: str | None = None,
    until: str | None = None,
    profiles: dict[str, str] | None = None,
) -> Matrix:
    """The matrix of every stance in the store (or in a topic and a date window); rows
    link to the profile pages named in `profiles` (IRI → file name)."""
    if topic is not None:
        try:
            topic = Names(store.select).topic(topic)
        except UnknownNameError as exc:
            raise ViewError(str(exc)) from exc
    cat = Catalogue(store)
    found: dict[tuple[str, str], dict[tuple[str, str, int, str], Evidence]] = defaultdict(dict)
    for s in stance_rows(cat, Window(topic, since, until)):
        ev = s.evidence
        position: Literal["support", "oppose"] = "support" if s.position == "support" else "oppose"
        key = (position, ev["doc"], ev["start"], ev["quote"])
        found[(s.holder, s.topic)][key] = Evidence(
            position, ev["date"], ev["quote"], ev.get("attribution", ""), _source(ev)
        )
    actors = sorted({a for a, _ in found})
    notations = sorted({t for _, t in found})
    order, columns = _seriate(actors, notations, found)
    rows = []
    for r, actor in enumerate(order):
        cells = []
        for c, t in enumerate(columns):
            items = found.get((actor, t))
            cells.append(_cell(items, f"e{r}-{c}") if items else None)
        node = cat.node(actor)
        rows.append(
            Row(
                actor,
                profile_file(actor).removesuffix(".html"),
                node["label"],
                node["kind"],
                (profiles or {}).get(actor, ""),
                tuple(cells),
            )
        )
    cols = tuple(Column(t, cat.node(cat.topic_by_notation[t])["label"]) for t in columns)
    filters = tuple((k, v) for k, v in (("topic", topic), ("since", since), ("until", until)) if v)
    return Matrix(cols, tuple(rows), filters)


def _cell(items: dict[Any, Evidence], anchor: str) -> Cell:
    evidence = tuple(sorted(items.values(), key=lambda e: (e.position, e.date, e.quote)))
    supports = sum(1 for e in evidence if e.position == "support")
    opposes = len(evidence) - supports
    position: Position = "mixed" if supports and opposes else "support" if supports else "oppose"
    return Cell(position, supports, opposes, evidence, anchor)


def _seriate(
    actors: list[str], topics: list[str], found: dict[tuple[str, str], dict[Any, Evidence]]
) -> tuple[list[str], list[str]]:
    """Rows by agreement: actors with the same stances in one block, blocks and columns
    along the stances' first principal axis (numpy's SVD; a fixed sign, so the same store
    gives the same table)."""
    import numpy as np

    if not actors:
        return [], topics
    matrix = np.zeros((len(actors), len(topics)))
    for i, a in enumerate(actors):
        for j, t in enumerate(topics):
            items = found.get((a, t), {})
            matrix[i, j] = np.sign(
                sum(1 if e.position == "support" else -1 for e in items.values())
            )
    score = np.zeros(len(actors))
    loading = np.zeros(len(topics))
    if np.any(matrix):
        _, _, vt = np.linalg.svd(matrix, full_matrices=False)
        loading = vt[0] if vt[0][int(np.argmax(np.abs(vt[0])))] >= 0 else -vt[0]
        score = matrix @ loading
    columns = sorted(range(len(topics)), key=lambda j: (-round(float(loading[j]), 6), topics[j]))
    blocks: dict[tuple[float, ...], list[int]] = defaultdict(list)
    for i in range(len(actors)):
        blocks[tuple(matrix[i])].append(i)
    ordered = sorted(
        blocks.values(),
        key=lambda b: (-round(float(score[b[0]]), 6), -len(b), tuple(matrix[b[0]])),
    )
    rows = [actors[i] for block in ordered for i in sorted(block, key=lambda i: actors[i])]
    return rows, [topics[j] for j in columns]


def render_matrix(matrix: Matrix, *, profile_dir: str = "profiles/") -> str:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(resources.package_text("viz", "matrix.html"))
    return template.render(m=matrix, version=__version__, profile_dir=profile_dir)


def write_matrix(
    store: Store,
    path: Path,
    *,
    topic: str | None = None,
    since: str | None = None,
    until: str | None = None,
    profiles: dict[str, str] | None = None,
) -> Path:
    """The matrix page at `path`; `profiles` (IRI → file name in `profiles/` beside it)."""
    html = render_matrix(
        stance_matrix(store, topic=topic, since=since, until=until, profiles=profiles)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path
