"""Document text never executes: a page whose organisation names, quotes, title and
signatory lines carry <script>, event handlers and javascript: URLs is built through the
pipeline, then every HTML view and the served query page are opened in headless Chromium.
Each payload would set `window.pwned`; none may run, and the names show as written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policygraph.pipeline import build
from policygraph.store import Store
from policygraph.viz import write_all_views
from tests.browser import Chromium, Page
from tests.support import require_system

pytestmark = pytest.mark.chromium

SIGNERS = (
    "Access Now <script>window.pwned='sig1'</script>",
    "Privacy <img src=x onerror=\"window.pwned='sig2'\"> Foundation",
    "javascript:window.pwned='sig3'",
    "Fundación \"><svg onload=window.pwned='sig4'>",
)
QUOTE = (
    "We oppose encryption backdoors <script>window.pwned='quote'</script>: "
    "they weaken everyone’s security,"
)
TITLE = "Open letter <script>window.pwned='title'</script> on encryption"
PAGE = """<!doctype html>
<html><head><title>{title}</title>
<link rel="canonical" href="javascript:window.pwned='url'">
<meta property="article:published_time" content="2021-02-03">
</head><body><article>
<h1>{title}</h1>
<p>Dear Minister,</p>
<p>We write to urge you to protect end-to-end encryption and to reject any backdoor.
See <a href="javascript:window.pwned='link'">the report</a>.</p>
<p>“{quote}” said Jane Doe, director at Access Now.</p>
<p>Sincerely,</p>
<p>{signers}<br>Open Rights Group</p>
</article></body></html>
"""
# Anything the page may have created from the data that could run or load something.
INJECTED = """[...document.querySelectorAll('*')].filter(e =>
    (e.tagName === 'SCRIPT' && e.type !== 'application/json' && e.textContent.includes('pwned'))
    || (e.tagName === 'IMG' && e.getAttribute('src') === 'x') || e.tagName === 'IFRAME'
    || [...e.attributes].some(a => a.value.includes('pwned'))).length"""
NO_JS_LINKS = "[...document.querySelectorAll('a[href]')].filter(a => /^javascript:/i.test(a.href))"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / "docs").mkdir()
    (root / "docs" / "hostile.html").write_text(
        PAGE.format(
            title=_escape(TITLE),
            quote=_escape(QUOTE),
            signers="<br>\n".join(_escape(s) for s in SIGNERS),
        ),
        encoding="utf-8",
    )
    folder = root / "store"
    with Store(folder) as store:
        report = build([root / "docs"], store)
    assert report.ok, report.failures
    return folder


@pytest.fixture(scope="module")
def views(hostile_store: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("hostile-views")
    with Store(hostile_store, read_only=True) as store:
        return write_all_views(store, out)


def _not_run(page: Page, base: str | None = None) -> None:
    assert page.evaluate("window.pwned === undefined"), page.evaluate("String(window.pwned)")
    assert page.evaluate(INJECTED) == 0
    assert page.evaluate(NO_JS_LINKS + ".length") == 0
    assert [u for u in page.remote_requests() if not (base and u.startswith(base))] == []
    assert not page._events("Page.javascriptDialogOpening")


def test_the_payloads_reach_the_graph_as_text(hostile_store: Path) -> None:
    """Otherwise the browser tests below would prove nothing."""
    with Store(hostile_store, read_only=True) as store:
        labels = {
            str(r[0])
            for r in store.select(
                "SELECT ?l WHERE { ?a <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }"
            ).rows
        }
        quotes = {
            str(r[0])
            for r in store.select(
                "SELECT ?t WHERE { ?q a <http://schema.org/Quotation> ; "
                "<http://schema.org/text> ?t }"
            ).rows
        }
    assert set(SIGNERS) <= labels
    assert QUOTE in quotes


def test_no_view_runs_document_text(browser: Chromium, views: list[Path]) -> None:
    assert len(views) >= 4
    shown: set[str] = set()
    for path in views:
        page = browser.open(path.resolve().as_uri())
        if path.name == "matrix.html":  # the stance table: static, no script of its own
            _not_run(page)
            assert page.errors() == []
            continue
        page.wait_for("window.policygraph && window.policygraph.ready")
        title = page.evaluate("document.title")
        labels = page.evaluate("window.policygraph.data.nodes.map(n => n.label)")
        # Open every node's and every edge's details: names, quotes and evidence go in.
        panels = page.evaluate(
            """(() => { const p = window.policygraph, out = [];
                const panel = () => document.getElementById('panel').innerText;
                for (const n of p.data.nodes) {
                  p.network.body.emitter.emit('click', {nodes: [n.id], edges: []});
                  out.push(panel()); }
                for (const e of p.data.edges) {
                  p.network.body.emitter.emit('click', {nodes: [], edges: [e.id]});
                  out.push(panel()); }
                return out; })()"""
        )
        for signer in SIGNERS:
            if signer in labels:
                hits = page.evaluate(f"window.policygraph.search({json.dumps(signer[:12])})")
                assert hits, signer
        _not_run(page)
        assert page.evaluate("document.title") == title
        assert page.errors() == []
        text = "\n".join(panels)
        shown |= {s for s in (*SIGNERS, TITLE) if s in text or s in labels}
    # Each hostile name and the letter's title show, literally, in at least one view. (The
    # quote carries no stance, so no view draws it; the query page below shows it.)
    assert shown == {*SIGNERS, TITLE}


def test_the_served_query_page_and_views_run_no_document_text(
    browser: Chromium, hostile_store: Path, views: list[Path]
) -> None:
    from tests.test_serve import start_server, stop

    proc, base = start_server(hostile_store, "--views", str(views[0].parent))
    served = Chromium(require_system("chromium"), loopback=True)
    try:
        page = served.open("about:blank")
        page.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        page.navigate(f"{base}/")
        page.wait_for("document.querySelectorAll('#library option').length > 1")
        query = (
            "SELECT ?text WHERE { { ?a <http://www.w3.org/2004/02/skos/core#prefLabel> ?text } "
            "UNION { ?q a <http://schema.org/Quotation> ; <http://schema.org/text> ?text } "
            "UNION { ?d a <https://w3id.org/policygraph/ns#SourceDocument> ; "
            "<http://schema.org/name> ?text } }"
        )
        page.evaluate(
            f"document.getElementById('query').value = {json.dumps(query)};"
            "document.querySelector('#form button[type=submit]').click()"
        )
        page.wait_for("document.querySelectorAll('#results tbody tr').length > 0")
        cells = page.evaluate(
            "[...document.querySelectorAll('#results td')].map(t => t.textContent)"
        )
        for text in (*SIGNERS, QUOTE):
            assert any(text in c for c in cells), text
        _not_run(page, base)
        assert page.errors() == []
        # A view fetched through the server behaves as the file does.
        page.navigate(f"{base}/views/signatures.html")
        page.wait_for("window.policygraph && window.policygraph.ready")
        assert page.evaluate("window.pwned === undefined")
        assert page.evaluate(INJECTED) == 0
    finally:
        served.close()
        stop(proc)


def test_csv_exports_do_not_carry_spreadsheet_formulas(tmp_path: Path) -> None:
    import csv

    import networkx as nx

    from policygraph.viz.export import write_csv

    g = nx.Graph()
    g.add_node("a", label='=HYPERLINK("http://example.invalid","x")', kind="organisation")
    g.add_node("b", label="-2+3", kind="organisation")
    g.add_edge("a", "b", relation="@SUM(1)", weight=2)
    nodes, edges = write_csv(g, tmp_path / "view.csv")
    labels = {row["id"]: row["label"] for row in csv.DictReader(nodes.open(encoding="utf-8"))}
    assert labels == {"a": '\'=HYPERLINK("http://example.invalid","x")', "b": "'-2+3"}
    (edge,) = list(csv.DictReader(edges.open(encoding="utf-8")))
    assert edge["relation"] == "'@SUM(1)" and edge["weight"] == "2"
