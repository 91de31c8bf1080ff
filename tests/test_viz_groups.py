"""Communities fold into one node and open again, in a real headless Chromium."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from policygraph.store import Store
from policygraph.viz import write_view
from tests.browser import Chromium, Page

pytestmark = pytest.mark.chromium

DRAWN = "window.policygraph && window.policygraph.ready"
SHOWN = "window.policygraph.nodes.get({filter: n => !n.hidden}).map(n => n.id)"
SVG = {"s": "http://www.w3.org/2000/svg"}


@pytest.fixture(scope="module")
def pages(seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("views")
    with Store(seed_store_dir, read_only=True) as store:
        return {
            view: write_view(store, view, out / f"{view}.html")
            for view in ("coalitions", "discourse-difference")
        }


def _open(browser: Chromium, path: Path, fragment: str = "") -> Page:
    page = browser.open(path.resolve().as_uri() + fragment)
    page.wait_for(DRAWN)
    return page


def _groups(page: Page) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = page.evaluate("window.policygraph.data.communities")
    return groups


def _tick(page: Page, k: int) -> None:
    page.evaluate(f"document.querySelector('#groups input[data-group=\"{k}\"]').click()")


def test_a_community_folds_into_one_node_and_opens_again(
    browser: Chromium, pages: dict[str, Path]
) -> None:
    page = _open(browser, pages["discourse-difference"])
    groups = _groups(page)
    before = sorted(page.evaluate(SHOWN))
    edges_before = page.evaluate("window.policygraph.edges.get({filter: e => !e.hidden}).length")
    k = next(i for i, c in enumerate(groups) if c["size"] > 1)
    members = set(groups[k]["members"])
    _tick(page, k)
    shown = set(page.evaluate(SHOWN))
    node = len(page.evaluate("window.policygraph.data.nodes"))
    folded = node + k
    # The members give way to one node, the rest stays.
    assert shown == (set(before) - members) | {folded}
    # One edge per neighbour, carrying how many ties it stands for, as many as were drawn.
    ties = page.evaluate(
        f"""window.policygraph.edges.get({{filter: e => !e.hidden &&
              (e.from === {folded} || e.to === {folded})}}).map(e => e.pgTies)"""
    )
    crossing = page.evaluate(
        f"""(() => {{ const m = new Set({sorted(members)});
            const out = window.policygraph.data.edges.filter(e => m.has(e.from) !== m.has(e.to));
            return [out.length, new Set(out.map(e => m.has(e.from) ? e.to : e.from)).size]; }})()"""
    )
    assert ties and [sum(ties), len(ties)] == crossing
    # Its details: the name, the size and its members by name.
    page.evaluate(
        f"void window.policygraph.network.body.emitter.emit('click', {{nodes: [{folded}]}})"
    )
    assert page.evaluate("document.getElementById('panel-title').textContent") == groups[k]["name"]
    listed = page.evaluate(
        "[...document.querySelectorAll('#panel-body li')].map(l => l.textContent)"
    )
    names = page.evaluate(f"{sorted(members)}.map(i => window.policygraph.data.nodes[i].label)")
    named = [li for li in listed if not li.startswith("… ")]
    assert set(named) <= set(names) and len(named) == min(40, len(names))
    if len(names) > 40:
        assert listed[-1] == f"… {len(names) - 40} more"
    stats = page.evaluate("document.getElementById('stats').textContent")
    assert "1 community folded into one node" in stats
    # The picture says what is drawn: one shape for the folded community, named.
    svg = ET.fromstring(page.evaluate("window.policygraph.picture.svg()"))
    titles = [t.text for t in svg.findall("s:g[@id='nodes']/*/s:title", SVG)]
    assert len(titles) == len(shown)
    assert groups[k]["name"] in titles
    captions = [t.text for t in svg.findall("s:g[@id='labels']/s:text", SVG)]
    assert any(c and c.startswith(groups[k]["name"][:20]) for c in captions)
    # Unticked: every member back, the folded node and its edges gone.
    _tick(page, k)
    assert sorted(page.evaluate(SHOWN)) == before
    assert (
        page.evaluate("window.policygraph.edges.get({filter: e => !e.hidden}).length")
        == edges_before
    )
    assert page.errors() == []


def test_double_click_folds_and_opens_and_the_link_keeps_it(
    browser: Chromium, pages: dict[str, Path]
) -> None:
    page = _open(browser, pages["coalitions"])
    groups = _groups(page)
    k = next(i for i, c in enumerate(groups) if c["size"] > 1)
    member = groups[k]["members"][0]
    page.evaluate(
        f"void window.policygraph.network.body.emitter.emit('doubleClick', {{nodes: [{member}]}})"
    )
    folded = len(page.evaluate("window.policygraph.data.nodes")) + k
    assert folded in page.evaluate(SHOWN) and member not in page.evaluate(SHOWN)
    assert page.evaluate(f"document.querySelector('#groups input[data-group=\"{k}\"]').checked")
    link = page.evaluate("window.policygraph.picture.link()")
    assert f"fold={k}" in link.split("&")
    # The link reopens the view folded.
    again = _open(browser, pages["coalitions"], "#" + link)
    assert folded in again.evaluate(SHOWN) and member not in again.evaluate(SHOWN)
    # Double-clicking the folded node opens it.
    page.evaluate(
        f"void window.policygraph.network.body.emitter.emit('doubleClick', {{nodes: [{folded}]}})"
    )
    assert member in page.evaluate(SHOWN) and folded not in page.evaluate(SHOWN)
    # Fold all: one node per community of more than one member; open all: as it was.
    page.evaluate("document.getElementById('fold-all').click()")
    many = sum(1 for c in groups if c["size"] > 1)
    singles = sum(c["size"] for c in groups if c["size"] == 1)
    assert len(page.evaluate(SHOWN)) == many + singles
    page.evaluate("document.getElementById('open-all').click()")
    assert len(page.evaluate(SHOWN)) == len(page.evaluate("window.policygraph.data.nodes"))
    assert page.errors() == [] and again.errors() == []


def test_no_community_control_on_a_view_without_communities(
    browser: Chromium, seed_store_dir: Path, tmp_path: Path
) -> None:
    with Store(seed_store_dir, read_only=True) as store:
        path = write_view(store, "stances", tmp_path / "stances.html")
    page = _open(browser, path)
    assert page.evaluate("document.getElementById('groups').hidden") is True
    # The stances view's captions say which side of each topic is whose.
    captions = page.evaluate("window.policygraph.labels.captionBoxes.map(b => b.label)")
    assert "supporters of encryption backdoors ▲" in captions
    assert "opposers of encryption backdoors ▼" in captions
