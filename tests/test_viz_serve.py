"""`policygraph serve` serves the actors' profile pages the views it serves link to, made
from the store: a real server on 127.0.0.1, read with plain HTTP and headless Chromium."""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from policygraph.store import Store
from policygraph.viz import write_all_views
from policygraph.viz.network import summary
from policygraph.viz.profile import profile_file
from tests.support import require_system
from tests.test_serve import get, start_server, stop
from tests.test_viz import _held, _listed


@pytest.fixture(scope="module")
def served(seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("views")
    with Store(seed_store_dir, read_only=True) as store:
        write_all_views(store, folder)
    # The server makes the profiles from the store: the files written beside are not read.
    for page in (folder / "profiles").iterdir():
        page.unlink()
    proc, base = start_server(seed_store_dir, "--views", str(folder))
    try:
        yield base
    finally:
        stop(proc)


def _page_data(html: str) -> dict[str, Any]:
    match = re.search(r'id="pg-data">(.*?)</script>', html, re.S)
    assert match
    data: dict[str, Any] = json.loads(unescape(match.group(1)))
    return data


def test_a_served_view_links_each_actor_to_its_profile_as_the_store_holds_it(
    served: str, seed_store: Any
) -> None:
    status, _, body = get(f"{served}/views/stances.html")
    assert status == 200
    data = _page_data(body.decode())
    top = {a.iri for a in summary(seed_store, top=5).top}
    actors = [n for n in data["nodes"] if n["kind"] != "topic"]
    assert all(n.get("profile") for n in actors)
    checked = 0
    for n in actors:
        if n["iri"] not in top:
            continue
        url = urllib.parse.urljoin(f"{served}/views/stances.html", n["profile"])
        status, headers, page = get(url)
        assert status == 200
        assert "script-src" not in headers["Content-Security-Policy"]
        assert _listed(page.decode()) == _held(seed_store, n["iri"])
        checked += 1
    assert checked >= 3


def test_the_matrix_served_links_its_rows_to_profiles(served: str) -> None:
    status, _, body = get(f"{served}/views/matrix.html")
    assert status == 200
    hrefs = re.findall(r'<th scope="row"><a href="([^"]+)">', body.decode())
    assert len(hrefs) > 40
    status, _, page = get(urllib.parse.urljoin(f"{served}/views/matrix.html", hrefs[0]))
    assert status == 200 and b'<h1 id="name">' in page


@pytest.mark.parametrize(
    "path",
    [
        "/views/profiles/" + profile_file("https://example.org/nobody"),
        "/views/profiles/actor-0123.html",
        "/views/profiles/..%2F..%2Fetc%2Fpasswd",
        "/views/profiles/%3Cscript%3E.html",
    ],
)
def test_no_profile_for_what_is_not_an_actor(served: str, path: str) -> None:
    status, _, body = get(served + path)
    assert status == 404
    assert b"<script" not in body


@pytest.mark.chromium
def test_clicking_an_actor_in_a_served_view_opens_its_profile(
    served: str,
) -> None:
    import tests.browser

    executable = require_system("chromium")
    online = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
    with tests.browser.chromium(executable, loopback=True) as browser:
        page = browser.open("about:blank")
        page.send("Network.emulateNetworkConditions", online)
        page.navigate(f"{served}/views/coalitions.html")
        page.wait_for("window.policygraph && window.policygraph.ready")
        access_now = page.evaluate(
            "window.policygraph.data.nodes.find(n => n.label === 'Access Now').id"
        )
        page.evaluate(
            "void window.policygraph.network.body.emitter.emit('click',"
            f" {{nodes: [{access_now}], edges: []}})"
        )
        href = page.evaluate("document.querySelector('#panel-title a').href")
        assert href.startswith(f"{served}/views/profiles/actor-")
        profile = browser.open("about:blank")
        profile.send("Network.emulateNetworkConditions", online)
        profile.navigate(href)
        assert profile.evaluate("document.getElementById('name').textContent") == "Access Now"
        assert profile.evaluate("document.querySelectorAll('#stances tr.stance').length") > 0
        requests = page.remote_requests() + profile.remote_requests()
        assert all(u.startswith(served) for u in requests)
        assert page.errors() == [] and profile.errors() == []
