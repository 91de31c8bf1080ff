"""The HTML views in a real headless Chromium with the network cut."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from policygraph.pipeline import build
from policygraph.store import Store
from policygraph.viz import VIEWS, view_graph, write_all_views, write_network_html, write_view
from tests.browser import Chromium, Page
from tests.support import SEEDS, require_shared
from tests.viz_graph import EXPECTED, XSS, build_store, drw_like_store

pytestmark = pytest.mark.chromium

DRAWN = "window.policygraph && window.policygraph.ready"
# The names of the nodes not hidden (the DataSet has no labels: the page draws them).
SHOWN_LABELS = (
    "window.policygraph.nodes.get({filter: n => !n.hidden})"
    ".map(n => window.policygraph.data.nodes[n.id].label)"
)


def _open(browser: Chromium, path: Path) -> Page:
    page = browser.open(path.resolve().as_uri())
    page.wait_for(DRAWN)
    return page


def _check_page(page: Page, nodes: int, edges: int) -> None:
    counts = page.evaluate("[window.policygraph.nodes.length, window.policygraph.edges.length]")
    assert counts == [nodes, edges]
    # What the canvas drew is the page's own DataSet: vis-network knows every node.
    drawn = page.evaluate("Object.keys(window.policygraph.network.getPositions()).length")
    assert drawn == nodes
    # Drawn where the file says (vis-network reports whole pixels): the layout is saved in
    # the page, not recomputed.
    moved = page.evaluate(
        """(() => { const pos = window.policygraph.network.getPositions();
            return window.policygraph.data.nodes.filter(n =>
              Math.abs(pos[n.id].x - n.x) >= 1 || Math.abs(pos[n.id].y - n.y) >= 1).length; })()"""
    )
    assert moved == 0
    # Framed when ready: every node is inside the canvas.
    outside = page.evaluate(
        """(() => { const net = window.policygraph.network;
            const c = net.canvas.frame.canvas;
            return Object.values(net.getPositions()).map(p => net.canvasToDOM(p))
              .filter(p => p.x < 0 || p.y < 0 || p.x > c.clientWidth || p.y > c.clientHeight)
              .length; })()"""
    )
    assert outside == 0
    _check_labels(page)
    legend = page.evaluate(
        "Array.from(document.querySelectorAll('#legend label')).map(l => l.textContent)"
    )
    assert legend, "the page has no legend"
    assert page.remote_requests() == []
    assert page.errors() == []


# The drawn label boxes (CSS pixels of the canvas) with the canvas size, the ids the page
# ranks first by its measure, and, per box, whether the canvas has dark (text) pixels in it.
LABELS_JS = """(() => {
  const pg = window.policygraph;
  const c = pg.network.canvas.frame.canvas;
  const ctx = c.getContext('2d');
  const ratio = c.width / c.clientWidth;
  const m = pg.data.sizeBy;
  const top = pg.data.nodes.slice()
    .sort((a, b) => (b[m] || 0) - (a[m] || 0) || String(a.label).localeCompare(String(b.label)))
    .slice(0, 30).map(n => n.id);
  const inked = pg.labels.boxes.map(b => {
    const px = ctx.getImageData(Math.round(b.x * ratio), Math.round(b.y * ratio),
      Math.max(1, Math.round(b.w * ratio)), Math.max(1, Math.round(b.h * ratio))).data;
    for (let i = 0; i < px.length; i += 4)
      if (px[i + 3] > 200 && px[i] + px[i + 1] + px[i + 2] < 200) return true;
    return false;
  });
  return {width: c.clientWidth, height: c.clientHeight, top: top, inked: inked,
    boxes: pg.labels.boxes.map(b => [b.id, b.x, b.y, b.w, b.h, b.key])};
})()"""


def _overlapping(boxes: list[list[float]]) -> int:
    """How many boxes overlap at least one other."""
    hit = set()
    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            b = boxes[j]
            if min(a[1] + a[3], b[1] + b[3]) > max(a[1], b[1]) and min(
                a[2] + a[4], b[2] + b[4]
            ) > max(a[2], b[2]):
                hit.update((i, j))
    return len(hit)


def _check_labels(page: Page, *, initial: bool = True) -> dict[str, Any]:
    """The top 30 nodes by the view's measure (all, if fewer) are labelled at the initial
    zoom, inside the canvas, at most 2 % of the label boxes overlapping another, and each
    box has text drawn in it."""
    got = page.evaluate(LABELS_JS)
    boxes = got["boxes"]
    key = {b[0] for b in boxes if b[5]}
    assert key == set(got["top"]) if initial else key <= set(got["top"])
    for _, x, y, w, h, _key in boxes:
        assert x >= 0 and x + w <= got["width"] and y >= 0 and y + h <= got["height"]
    assert _overlapping(boxes) <= 0.02 * len(boxes)
    assert all(got["inked"]), "a label box with no text drawn in it"
    return got


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots (to look at by hand) go: $POLICYGRAPH_SCREENSHOTS if set, else
    pytest's temporary folder; never the checkout's out/, which is the user's."""
    folder = os.environ.get("POLICYGRAPH_SCREENSHOTS")
    return Path(folder) if folder else tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def small_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("views")
    with build_store() as store:
        return {p.stem: p for p in write_all_views(store, out)}


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_draws_offline_with_its_data_and_legend(
    browser: Chromium, small_pages: dict[str, Path], view: str, screenshots: Path
) -> None:
    page = _open(browser, small_pages[view])
    _check_page(page, *EXPECTED[view])
    page.screenshot(screenshots / f"small-{view}.png")


def test_filters_hide_nodes_and_bring_them_back(
    browser: Chromium, small_pages: dict[str, Path]
) -> None:
    page = _open(browser, small_pages["stances"])
    # Untick "government" in the legend: the United Kingdom is hidden, not removed.
    page.evaluate(
        """(() => { for (const l of document.querySelectorAll('#legend-kinds label'))
             if (l.textContent.includes('government')) l.querySelector('input').click(); })()"""
    )
    hidden = "window.policygraph.nodes.get({filter: n => n.hidden}).length"
    assert page.evaluate(hidden) == 1
    assert page.evaluate("window.policygraph.nodes.length") == EXPECTED["stances"][0]
    # Its edge goes with it; the others stay.
    assert page.evaluate("window.policygraph.edges.get({filter: e => e.hidden}).length") == 1
    page.evaluate(
        """(() => { for (const l of document.querySelectorAll('#legend-kinds label'))
             if (l.textContent.includes('government')) l.querySelector('input').click(); })()"""
    )
    assert page.evaluate(hidden) == 0
    # Only "opposes" edges: supporters of backdoors lose their edges, and with
    # "hide nodes with no visible edge" they disappear from view.
    page.evaluate(
        """(() => { for (const l of document.querySelectorAll('#legend-relations label'))
             if (l.textContent.includes('supports')) l.querySelector('input').click();
           document.getElementById('hide-lonely').click(); })()"""
    )
    shown = page.evaluate(SHOWN_LABELS + ".sort()")
    assert "United Kingdom" not in shown
    assert "Access Now" in shown
    # One topic: the other topic's node and its edges are hidden, the data left whole.
    page.evaluate(
        """(() => { const s = document.getElementById('topic'); s.value = 'e2ee';
           s.dispatchEvent(new Event('change')); })()"""
    )
    shown = page.evaluate(SHOWN_LABELS)
    assert "default E2EE" in shown and "encryption backdoors" not in shown
    assert page.evaluate("window.policygraph.edges.length") == EXPECTED["stances"][1]


def test_details_panel_shows_evidence_and_wikidata(
    browser: Chromium, small_pages: dict[str, Path]
) -> None:
    page = _open(browser, small_pages["signatures"])
    # By acronym: other names are searched too.
    hits = page.evaluate("window.policygraph.search('eff')")
    assert len(hits) == 1
    page.evaluate("document.querySelector('#search-results button').click()")
    panel = page.evaluate("document.getElementById('panel').innerText")
    assert "Electronic Frontier Foundation" in panel
    link = page.evaluate("document.querySelector('#panel-body a').href")
    assert link == "https://www.wikidata.org/entity/Q624023"
    # The name in the panel's title opens the actor's profile.
    title = page.evaluate("document.querySelector('#panel-title a').href")
    assert "/profiles/actor-" in title
    assert "betweenness" in panel and "coalition" in panel
    # Its profile page, written beside the views, is linked and opens.
    profile = page.evaluate(
        "Array.from(document.querySelectorAll('#panel a')).map(a => a.href)"
        ".find(h => h.includes('/profiles/'))"
    )
    assert profile.startswith("file://")
    opened = browser.open(profile)
    assert opened.evaluate("document.getElementById('name').textContent") == (
        "Electronic Frontier Foundation"
    )
    assert opened.evaluate("document.querySelectorAll('tr.letter').length") == 2
    # An edge: the signature, with the document, date and the list line as evidence.
    page.evaluate(
        """(() => { const p = window.policygraph;
            const eff = p.data.nodes.find(n => n.label === 'Electronic Frontier Foundation');
            const e = p.data.edges.find(e => e.from === eff.id && e.relation === 'signed');
            p.network.selectEdges([e.id]);
            p.network.body.emitter.emit('click', {nodes: [], edges: [e.id]}); })()"""
    )
    panel = page.evaluate("document.getElementById('panel').innerText")
    assert "signed" in panel
    assert "2019-10-04" in panel
    assert "Open Letter: Facebook" in panel


def test_script_in_an_organisation_name_is_shown_as_text(browser: Chromium, tmp_path: Path) -> None:
    with build_store(evil_name=True) as store:
        path = write_view(store, "coalitions", tmp_path / "coalitions.html")
    page = _open(browser, path)
    assert page.evaluate("window.pwned === undefined")
    labels = page.evaluate("window.policygraph.data.nodes.map(n => n.label)")
    assert XSS in labels
    # Drawn on the canvas as text (cut to the labels' length), never parsed.
    drawn = page.evaluate("window.policygraph.labels.boxes.map(b => b.label)")
    assert XSS[:41] + "…" in drawn
    page.evaluate(f"window.policygraph.search({XSS[:8]!r})")
    page.evaluate("document.querySelector('#search-results button').click()")
    assert XSS in page.evaluate("document.getElementById('panel-title').textContent")
    assert page.evaluate("document.querySelectorAll('img[src=x], #panel script').length") == 0
    assert page.evaluate("window.pwned === undefined")
    assert page.remote_requests() == []


@pytest.mark.slow
def test_seed_graph_views(browser: Chromium, tmp_path: Path, screenshots: Path) -> None:
    """Every view of the seed documents, as `make demo` writes them."""
    with Store(None) as store:
        build([SEEDS], store)
        paths = write_all_views(store, tmp_path)
        expected = {
            view: (
                view_graph(store, view).number_of_nodes(),
                view_graph(store, view).number_of_edges(),
            )
            for view in VIEWS
        }
    assert [p.name for p in paths if p.stem not in expected] == ["matrix.html"]  # a table
    for path in (p for p in paths if p.stem in expected):
        page = _open(browser, path)
        _check_page(page, *expected[path.stem])
        page.screenshot(screenshots / f"{path.stem}.png")
    assert expected["signatures"][0] > 50


@pytest.mark.slow
def test_thousands_of_nodes_draw_with_positions_from_the_file(
    browser: Chromium, tmp_path: Path, screenshots: Path
) -> None:
    """A co-signing-like graph of 4,000 nodes: drawn without physics, every node placed."""
    import networkx as nx

    g = nx.barabasi_albert_graph(4000, 2, seed=3)
    for v in g:
        g.nodes[v]["label"] = f"Organisation {v}"
    path = write_network_html(g, tmp_path / "big.html")
    page = _open(browser, path)
    _check_page(page, g.number_of_nodes(), g.number_of_edges())
    assert page.evaluate("window.policygraph.network.physics.physicsEnabled") is False
    assert "Betweenness is estimated" in page.evaluate(
        "document.getElementById('sidebar').innerText"
    )
    page.screenshot(screenshots / "big-4000.png")


def test_colour_by_coalition(browser: Chromium, small_pages: dict[str, Path]) -> None:
    page = _open(browser, small_pages["coalitions"])
    colours = "new Set(window.policygraph.nodes.map(n => n.color.background)).size"
    assert page.evaluate(colours) == 2  # organisations and governments
    page.evaluate(
        """(() => { const s = document.getElementById('colour-by'); s.value = 'community';
           s.dispatchEvent(new Event('change')); })()"""
    )
    communities = page.evaluate("new Set(window.policygraph.data.nodes.map(n => n.community)).size")
    assert page.evaluate(colours) == communities >= 2


@pytest.mark.slow
def test_drw_sized_coalitions_page_labels_its_top_nodes(
    browser: Chromium, tmp_path: Path, screenshots: Path
) -> None:
    """The co-signing network of a DRW-sized corpus (a letter of 500 signatories among 40
    smaller ones): drawn, every node inside the canvas, its top 30 labelled apart."""
    with drw_like_store() as store:
        g = view_graph(store, "coalitions")
        path = write_view(store, "coalitions", tmp_path / "coalitions.html")
    page = _open(browser, path)
    _check_page(page, g.number_of_nodes(), g.number_of_edges())
    page.screenshot(screenshots / "drw-like-coalitions.png")


@pytest.mark.slow
def test_drw_corpus_views_label_their_top_nodes(
    browser: Chromium, tmp_path: Path, screenshots: Path
) -> None:
    """Every view of the real DRW corpus (456 posts, the shared corpus): drawn, every node
    inside the canvas, its top 30 labelled apart; and the stance matrix written with it."""
    corpus = require_shared("corpus", "drw")
    with Store(None) as store:
        build([corpus], store, workers=1)
        paths = write_all_views(store, tmp_path)
        expected = {
            view: (
                view_graph(store, view).number_of_nodes(),
                view_graph(store, view).number_of_edges(),
            )
            for view in VIEWS
        }
    assert expected["coalitions"][0] > 500 and expected["stances"][0] > 100
    for path in (p for p in paths if p.stem in expected):
        page = _open(browser, path)
        _check_page(page, *expected[path.stem])
        page.screenshot(screenshots / f"drw-{path.stem}.png")
    assert (tmp_path / "matrix.html").stat().st_size > 0


def test_command_line_filters_are_shown_on_the_page(browser: Chromium, tmp_path: Path) -> None:
    with build_store() as store:
        path = write_view(
            store, "stances", tmp_path / "s.html", topic="backdoors", since="2019-10-05"
        )
    page = _open(browser, path)
    shown = page.evaluate("document.getElementById('filters').innerText")
    assert "--topic backdoors" in shown and "only encryption backdoors" in shown
    assert "--since 2019-10-05" in shown
    menu = page.evaluate("document.querySelector('#topic option').textContent")
    assert "all topics" not in menu and "encryption backdoors" in menu


def test_a_page_without_filters_says_nothing_of_them(
    browser: Chromium, small_pages: dict[str, Path]
) -> None:
    page = _open(browser, small_pages["stances"])
    assert page.evaluate("document.getElementById('filters')") is None
    assert page.evaluate("document.querySelector('#topic option').textContent") == "all topics"


def test_the_date_slider_changes_what_is_shown(
    browser: Chromium, small_pages: dict[str, Path]
) -> None:
    page = _open(browser, small_pages["stances"])
    assert page.evaluate("window.policygraph.timeline.dates") == ["2019-10-04", "2019-10-05"]
    assert page.evaluate("document.getElementById('date-window').textContent") == (
        "2019-10-04 to 2019-10-05"
    )
    before = page.evaluate(SHOWN_LABELS)
    assert "Priti Patel" in before and "Access Now" in before
    # Drag "to" back to the first date: the statements of 5 October go, with their holders.
    page.evaluate(
        """(() => { const s = document.getElementById('date-to'); s.value = '0';
           s.dispatchEvent(new Event('input')); })()"""
    )
    assert page.evaluate("document.getElementById('date-window').textContent") == "2019-10-04"
    shown = page.evaluate(SHOWN_LABELS)
    assert "Priti Patel" not in shown and "United Kingdom" not in shown
    assert "Access Now" in shown
    assert page.evaluate("window.policygraph.labels.boxes.every(b => b.label !== 'Priti Patel')")
    stats = page.evaluate("document.getElementById('stats').textContent")
    assert stats.startswith(f"{len(shown)} of {EXPECTED['stances'][0]} nodes")
    # And forward again: everything back.
    page.evaluate(
        """(() => { const s = document.getElementById('date-to'); s.value = '1';
           s.dispatchEvent(new Event('input')); })()"""
    )
    assert sorted(page.evaluate(SHOWN_LABELS)) == sorted(before)


def test_no_date_slider_without_dated_edges(browser: Chromium, tmp_path: Path) -> None:
    import networkx as nx

    path = write_network_html(nx.path_graph(4), tmp_path / "p.html")
    page = _open(browser, path)
    assert page.evaluate("document.getElementById('date-filter').hidden") is True


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


DECODES_JS = """(async (src) => { const img = new Image(); img.src = src; await img.decode();
  return [img.naturalWidth, img.naturalHeight]; })"""


def test_png_and_svg_exports_open_as_images(
    browser: Chromium, small_pages: dict[str, Path], tmp_path: Path
) -> None:
    import base64
    import xml.etree.ElementTree as ET

    page = _open(browser, small_pages["signatures"])
    canvas = page.evaluate(
        "(() => { const c = window.policygraph.network.canvas.frame.canvas;"
        " return [c.width, c.height, c.clientWidth, c.clientHeight]; })()"
    )
    # PNG: the canvas as drawn, at its pixel size; it decodes in the browser and here.
    url = page.evaluate("window.policygraph.picture.png()")
    assert url.startswith("data:image/png;base64,")
    png = base64.b64decode(url.split(",", 1)[1])
    assert _png_size(png) == (canvas[0], canvas[1])
    assert page.evaluate(f"({DECODES_JS})({url!r})") == canvas[:2]
    # SVG: one shape per node shown, one line per edge shown, the labels as drawn.
    svg = page.evaluate("window.policygraph.picture.svg()")
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert (root.get("width"), root.get("height")) == (str(canvas[2]), str(canvas[3]))
    shapes = root.findall("s:g[@id='nodes']/*", ns)
    assert len(shapes) == EXPECTED["signatures"][0]
    assert len(root.findall("s:g[@id='edges']/s:line", ns)) == EXPECTED["signatures"][1]
    texts = [t.text for t in root.findall("s:g[@id='labels']/s:text", ns)]
    assert texts == page.evaluate("window.policygraph.labels.boxes.map(b => b.label)")
    assert "Electronic Frontier Foundation" in texts
    svg_url = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    assert page.evaluate(f"({DECODES_JS})({svg_url!r})") == canvas[2:]
    # The buttons save the same pictures as files.
    page.send("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    page.evaluate("document.getElementById('save-png').click()")
    page.evaluate("document.getElementById('save-svg').click()")
    page.wait_until(
        lambda: (tmp_path / "signatures.png").exists() and (tmp_path / "signatures.svg").exists(),
        what="the saved pictures",
    )
    page.wait_until(lambda: (tmp_path / "signatures.svg").stat().st_size > 0, what="svg saved")
    assert _png_size((tmp_path / "signatures.png").read_bytes()) == (canvas[0], canvas[1])
    ET.fromstring((tmp_path / "signatures.svg").read_text(encoding="utf-8"))
    assert page.errors() == []


def test_the_view_state_is_in_the_link(browser: Chromium, small_pages: dict[str, Path]) -> None:
    path = small_pages["stances"]
    page = _open(browser, path)
    patel = page.evaluate("window.policygraph.data.nodes.find(n => n.label === 'Priti Patel').id")
    state = f"#hide=kind:government&topic=backdoors&zoom=1.5&x=10&y=-5&select={patel}"
    page = browser.open(path.resolve().as_uri() + state)
    page.wait_for(DRAWN)
    assert page.evaluate("document.getElementById('topic').value") == "backdoors"
    shown = page.evaluate(SHOWN_LABELS)
    assert "United Kingdom" not in shown and "default E2EE" not in shown
    assert "Priti Patel" in shown
    assert page.evaluate("window.policygraph.network.getScale()") == pytest.approx(1.5)
    assert page.evaluate("window.policygraph.network.getSelectedNodes()") == [patel]
    assert page.evaluate("document.getElementById('panel-title').textContent") == "Priti Patel"
    # A change is written into the address, and the address reopens it.
    page.evaluate(
        """(() => { const s = document.getElementById('date-to'); s.value = '0';
           s.dispatchEvent(new Event('input')); })()"""
    )
    page.wait_until(lambda: "until=" in page.evaluate("location.hash"), what="the hash")
    link = page.evaluate("location.href")
    assert "hide=kind%3Agovernment" in link and "topic=backdoors" in link
    again = browser.open(link)
    again.wait_for(DRAWN)
    assert sorted(again.evaluate(SHOWN_LABELS)) == sorted(page.evaluate(SHOWN_LABELS))
    assert again.evaluate("window.policygraph.network.getScale()") == pytest.approx(1.5)
    assert again.errors() == [] and page.errors() == []


@pytest.mark.slow
def test_zooming_in_labels_more_nodes_and_hovering_labels_one(
    browser: Chromium, tmp_path: Path
) -> None:
    with drw_like_store() as store:
        path = write_view(store, "coalitions", tmp_path / "coalitions.html")
    page = _open(browser, path)
    assert page.evaluate("window.policygraph.labels.boxes.length") == 30
    # A node outside the top 30 has no label at first; hovering it gives it one.
    quiet = page.evaluate(
        """(() => { const pg = window.policygraph;
            const shown = new Set(pg.labels.boxes.map(b => b.id));
            return pg.data.nodes.find(n => !shown.has(n.id)).id; })()"""
    )
    page.evaluate(
        f"""(() => {{ const pg = window.policygraph; pg.labels.hovered = {quiet};
            pg.network.redraw(); }})()"""
    )
    page.wait_for(f"window.policygraph.labels.boxes.some(b => b.id === {quiet})")
    page.evaluate("(() => { window.policygraph.labels.hovered = null; })()")
    # Zoomed in three times: more labels, still apart and inside the canvas.
    page.evaluate(
        """(() => { const net = window.policygraph.network;
            net.moveTo({scale: net.getScale() * 3, animation: false}); net.redraw(); })()"""
    )
    page.wait_for("window.policygraph.labels.boxes.length > 30")
    got = _check_labels(page, initial=False)
    assert sum(1 for b in got["boxes"] if not b[5]) > 0
