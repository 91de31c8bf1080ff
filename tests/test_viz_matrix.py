"""The actor × topic stance matrix: what the table says against queries of the store."""

from __future__ import annotations

import re
from collections import defaultdict
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from policygraph.cli import main
from policygraph.viz import write_matrix
from policygraph.viz.profile import profile_file
from tests.viz_graph import build_store

# Independent of the views' own SPARQL: each stance's actor, topic, position and the text
# it was read from (one piece of evidence per distinct document and quote). Rows are
# actors: a letter's own stance is its signers' (the model's derived stances).
STANCES = """PREFIX pg: <https://w3id.org/policygraph/ns#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?actor ?notation ?position ?doc ?quote WHERE {
  ?s a pg:Stance ; pg:holder ?actor ; pg:topic/skos:notation ?notation ; pg:position ?p .
  ?actor a pg:Actor .
  BIND(IF(?p = pg:Support, "support", "oppose") AS ?position)
  OPTIONAL { ?s pg:evidence/oa:hasSource ?doc }
  OPTIONAL { ?s pg:evidence/oa:hasSelector/oa:exact ?quote }
}"""


class _Table(HTMLParser):
    """The matrix page read back: per row its actor and per cell its topic, position and
    evidence count, the cells' links, and the evidence sections' ids and item counts."""

    def __init__(self) -> None:
        super().__init__()
        self.columns: list[str] = []
        self.rows: list[str] = []
        self.cells: dict[tuple[str, str], tuple[str, int, str]] = {}
        self.sections: dict[str, int] = {}
        self.profiles: dict[str, str] = {}
        self._col = -1
        self._section: str | None = None
        self._cell: tuple[str, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "th" and a.get("data-topic"):
            self.columns.append(a["data-topic"] or "")
        elif tag == "tr" and a.get("data-actor"):
            self.rows.append(a["data-actor"] or "")
            self._col = -1
        elif tag == "td" and self.rows and not self.sections:
            self._col += 1
            if a.get("data-position"):
                self._cell = (a["data-position"] or "", int(a["data-evidence"] or 0))
        elif tag == "a" and self._cell is not None:
            key = (self.rows[-1], self.columns[self._col])
            self.cells[key] = (*self._cell, (a.get("href") or "").lstrip("#"))
            self._cell = None
        elif tag == "a" and self.rows and not self.sections and self._col == -1:
            self.profiles[self.rows[-1]] = a.get("href") or ""
        elif tag == "section":
            self._section = a.get("id") or ""
            self.sections[self._section] = 0
        elif tag == "div" and a.get("class") == "evidence" and self._section:
            self.sections[self._section] += 1


def _read(html: str) -> _Table:
    t = _Table()
    t.feed(html)
    return t


def _expected(store: Any) -> dict[tuple[str, str], tuple[str, int]]:
    pieces: dict[tuple[str, str], set[tuple[str, str, str]]] = defaultdict(set)
    for actor, notation, position, doc, quote in store.select(STANCES).rows:
        # Rows are named by the actor's key (its profile's file name), not its IRI.
        key = profile_file(str(actor)).removesuffix(".html")
        pieces[(key, str(notation))].add((str(position), str(doc), str(quote or "")))
    out = {}
    for key, items in pieces.items():
        positions = {p for p, _, _ in items}
        out[key] = ("mixed" if len(positions) == 2 else positions.pop(), len(items))
    return out


@pytest.fixture(scope="module")
def store() -> Any:
    with build_store() as s:
        yield s


def test_each_cell_is_what_the_store_holds_with_its_evidence(store: Any, tmp_path: Path) -> None:
    html = write_matrix(store, tmp_path / "m.html").read_text(encoding="utf-8")
    table = _read(html)
    got = {k: (p, n) for k, (p, n, _) in table.cells.items()}
    assert got == _expected(store)
    # Every cell links to the list of its evidence, which has as many items as it says.
    for _, count, anchor in table.cells.values():
        assert table.sections[anchor] == count


def test_the_seed_matrix_matches_the_store_and_keeps_each_camp_together(
    seed_store: Any, tmp_path: Path
) -> None:
    table = _read(write_matrix(seed_store, tmp_path / "m.html").read_text(encoding="utf-8"))
    assert {k: (p, n) for k, (p, n, _) in table.cells.items()} == _expected(seed_store)
    # Rows clustered by agreement: the actors holding the same positions form one run.
    pattern = [
        tuple(table.cells.get((actor, t), ("",))[0] for t in table.columns) for actor in table.rows
    ]
    runs = [p for i, p in enumerate(pattern) if i == 0 or p != pattern[i - 1]]
    assert len(runs) == len(set(runs))
    assert len(table.rows) == len(set(table.rows)) > 40


def test_a_topic_and_dates_limit_the_matrix_and_are_shown(store: Any, tmp_path: Path) -> None:
    html = write_matrix(store, tmp_path / "m.html", topic="backdoors").read_text(encoding="utf-8")
    table = _read(html)
    assert table.columns == ["backdoors"]
    assert {t for _, t in table.cells} == {"backdoors"}
    assert "<code>--topic backdoors</code>" in html
    later = _read(
        write_matrix(store, tmp_path / "n.html", since="2099").read_text(encoding="utf-8")
    )
    assert later.cells == {}


def test_a_script_in_a_name_is_text(tmp_path: Path) -> None:
    with build_store(evil_name=True) as evil:
        html = write_matrix(evil, tmp_path / "m.html").read_text(encoding="utf-8")
    assert "<script" not in html
    assert "&lt;script&gt;window.pwned=1" in html
    assert "<img" not in html


def test_cli_writes_the_matrix_with_a_profile_page_per_row(
    seed_store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "views" / "matrix.html"
    assert main(["viz", "matrix", "--store", str(seed_store_dir), "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    table = _read(out.read_text(encoding="utf-8"))
    assert set(table.profiles) == set(table.rows)
    for key, href in table.profiles.items():
        assert href == f"profiles/{key}.html"
        page = (out.parent / href).read_text(encoding="utf-8")
        iri = unescape(re.search(r"<code>(.*?)</code>", page).group(1))
        assert profile_file(iri) == f"{key}.html"
    assert main(["viz", "matrix", "--store", str(seed_store_dir), "--format", "csv"]) == 1
    assert "html only" in capsys.readouterr().err


def test_an_actor_on_both_sides_of_a_topic_is_mixed_with_both_counts(tmp_path: Path) -> None:
    from policygraph.vocab import actor_iri, document_graph_iri
    from tests.viz_graph import DocBuilder

    with build_store() as store:
        # A later article in which the United Kingdom opposes backdoors too.
        d = DocBuilder("m", "A change of heart", "2021-05-01", "The UK now opposes backdoors.")
        uk = d.actor("government-of-the-united-kingdom", "United Kingdom", "government")
        d.stance(uk, "backdoors", "oppose", "The UK now opposes backdoors.")
        store.replace_graphs({document_graph_iri(d.hash): d.g})
        html = write_matrix(store, tmp_path / "m.html").read_text(encoding="utf-8")
        expected = _expected(store)
    table = _read(html)
    key = profile_file(str(actor_iri("government-of-the-united-kingdom")))[:-5]
    assert expected[(key, "backdoors")] == ("mixed", 2)
    assert table.cells[(key, "backdoors")][:2] == ("mixed", 2)
    assert "(1 support, 1 oppose)" in html
