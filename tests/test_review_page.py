"""The review page of `policygraph serve --review` in headless Chromium, against a real server
on 127.0.0.1: a reviewer corrects a stance's polarity, rejects a junk actor, adds a missed
stance by selecting its text and merges two duplicates; after the server restarts and the
corpus is rebuilt (its text shifted under the decisions), all four still hold in the page and
in the queries. Other origins are refused; hostile document text is shown as text."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import tests.browser
from policygraph.review.file import load_decisions
from policygraph.store import Store
from tests.support import ROOT, require_system, stop_process_group
from tests.test_review_build import CORRECTED, JUNK, MISSED, _assert_the_four_hold
from tests.test_serve import start_server

pytestmark = pytest.mark.chromium

SOURCE = Path(ROOT) / "tests" / "data" / "review" / "statement.md"
HOSTILE = (
    "Hostile <img src=x id=injected> test\n\n"
    'The <b id="bold">Acme</b> Group opposes encryption backdoors. '
    'It said "<script>window.pwned=1</script>" today.\n'
)


def _build(folder: Path, *extra: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "policygraph", "build", str(folder / "corpus"), "--store",
         str(folder / "store"), "--quiet", *extra],
        check=True, cwd=folder, stdout=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.fixture
def site(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SOURCE, corpus / "statement.md")
    (corpus / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    _build(tmp_path)
    return tmp_path


@pytest.fixture
def browser() -> Iterator[tests.browser.Chromium]:
    executable = require_system("chromium")
    with tests.browser.chromium(executable, loopback=True) as b:
        yield b


def _serve(site: Path, *extra: str) -> tuple[subprocess.Popen[str], str]:
    return start_server(site / "store", "--review", "--decisions", str(site / "review.yaml"),
                        "--reviewer", "alice", *extra)  # fmt: skip


def _open(browser: tests.browser.Chromium, url: str) -> tests.browser.Page:
    page = browser.open("about:blank")
    page.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    page.navigate(url)
    page.wait_for("window.review && window.review.state.ready")
    return page


def _press(page: tests.browser.Page, key: str) -> None:
    for kind in ("keyDown", "keyUp"):
        params: dict[str, Any] = {"type": kind, "key": key}
        if kind == "keyDown" and len(key) == 1:
            params["text"] = key
        page.send("Input.dispatchKeyEvent", params)


def _facts(page: tests.browser.Page) -> list[dict[str, Any]]:
    return list(page.evaluate("window.review.state.shown"))


def _choose(page: tests.browser.Page, kind: str, who: str, text: str) -> None:
    """Click the fact in the list, as a reviewer would."""
    for i, f in enumerate(_facts(page)):
        quoted = page.evaluate(f"document.querySelectorAll('#facts li q')[{i}].textContent")
        if f["kind"] == kind and who in f["who"] and quoted == text:
            page.evaluate(f"document.querySelector('#facts li[data-index=\"{i}\"]').click()")
            return
    raise AssertionError(f"no {kind} of {who} on {text!r} in the page")


def _fill(page: tests.browser.Page, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.evaluate(
            f"(() => {{ const e = document.querySelector('#form-fields [name={name}]');"
            f" e.value = {json.dumps(value)}; e.dispatchEvent(new Event('change')); }})()"
        )


def _submit(page: tests.browser.Page, decisions: int, site: Path) -> None:
    before = page.evaluate("document.getElementById('status').textContent")
    page.evaluate("document.getElementById('form-submit').click()")
    page.wait_for(f"document.getElementById('status').textContent !== {json.dumps(before)}")
    status = page.evaluate("document.getElementById('status').textContent")
    assert f"{decisions} of {decisions} decisions applied" in status, status


def _select_text(page: tests.browser.Page, text: str) -> None:
    """Select `text` in the document as a mouse would (a DOM range over the text nodes)."""
    script = """((wanted) => {
          const root = document.getElementById('text');
          const nodes = [], walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) nodes.push(walker.currentNode);
          const all = nodes.map(n => n.data).join('');
          const at = all.indexOf(wanted), end = at + wanted.length;
          const range = document.createRange();
          let seen = 0;
          for (const n of nodes) {
            if (seen <= at && at <= seen + n.length) range.setStart(n, at - seen);
            if (seen <= end && end <= seen + n.length) { range.setEnd(n, end - seen); break; }
            seen += n.length;
          }
          const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        })"""
    page.evaluate(f"{script}({json.dumps(text)})")


def _review_in_the_page(page: tests.browser.Page, site: Path) -> None:
    # 1. the stance's polarity: oppose → support
    _choose(page, "stance", "Access Now", CORRECTED)
    _press(page, "c")
    page.wait_for("!document.getElementById('form').hidden")
    _fill(page, {"position": "support"})
    _submit(page, 1, site)
    # 2. the junk actor, by keyboard
    _choose(page, "actor", JUNK, JUNK)
    before = page.evaluate("document.getElementById('status').textContent")
    _press(page, "r")
    page.wait_for(f"document.getElementById('status').textContent !== {json.dumps(before)}")
    # 3. the missed stance, by selecting its text
    _select_text(page, MISSED)
    _press(page, "n")
    page.wait_for("!document.getElementById('form').hidden")
    _fill(page, {"kind": "stance"})
    _fill(page, {"holder": "Electronic Frontier Foundation", "topic": "e2ee",
                 "position": "support"})  # fmt: skip
    _submit(page, 3, site)
    # 4. the duplicates
    _press(page, "m")
    page.wait_for("!document.getElementById('form').hidden")
    _fill(page, {"kept": "Electronic Frontier Foundation", "merged": "EFF"})
    _submit(page, 4, site)


def _page_shows_the_four(page: tests.browser.Page) -> None:
    facts = _facts(page)
    access = [f for f in facts if f["kind"] == "stance" and "Access Now" in f["who"]]
    assert {(f["position"], f["status"]) for f in access} == {
        ("oppose", "rejected"),
        ("support", "corrected"),
    }
    junk = [f for f in facts if JUNK in f["who"] and f["kind"] == "actor"]
    assert [f["status"] for f in junk] == ["rejected"]
    added = [f for f in facts if f["status"] == "added"]
    assert [(f["kind"], f["topic"], f["position"], f["rule"]) for f in added] == [
        ("stance", "e2ee", "support", "review.added")
    ]
    eff = [f for f in facts if f["kind"] == "actor" and "EFF" in f["who"]]
    assert eff and all("Electronic Frontier Foundation" in f["who"] for f in eff)
    # rejected facts are struck through in the text
    assert page.evaluate("document.querySelectorAll('#text .st-rejected').length") >= 1


def test_the_four_decisions_in_the_page_survive_a_restart_and_a_rebuild(
    site: Path, browser: tests.browser.Chromium
) -> None:
    proc, base = _serve(site)
    try:
        page = _open(browser, f"{base}/review/#corpus/statement.md")
        # every fact is listed and highlighted on its span: the build's 4 stances, 7 mentions
        # and 1 quote, and Cindy Cohn's role at the EFF
        kinds = [f["kind"] for f in _facts(page)]
        assert sorted(kinds) == sorted(["stance"] * 4 + ["actor"] * 6 + ["person"] * 2 + ["quote"])
        assert page.evaluate("document.querySelectorAll('#text .hl').length") >= 12
        _review_in_the_page(page, site)
        _page_shows_the_four(page)
        assert page.errors() == []
        assert page.remote_requests() == [u for u in page.remote_requests() if u.startswith(base)]
    finally:
        stop_process_group(proc)
    assert len(load_decisions(site / "review.yaml")) == 4
    # The document is edited (every span moves) and rebuilt; the server restarts.
    doc = site / "corpus" / "statement.md"
    doc.write_text(
        doc.read_text(encoding="utf-8").replace("# Groups", "A note added later.\n\n# Groups"),
        encoding="utf-8",
    )
    _build(site, "--decisions", str(site / "review.yaml"))
    with Store(site / "store", read_only=True) as store:
        _assert_the_four_hold(store)
    proc, base = _serve(site)
    try:
        page = _open(browser, f"{base}/review/#corpus/statement.md")
        _page_shows_the_four(page)
    finally:
        stop_process_group(proc)


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_other_origins_and_tokenless_requests_are_refused(site: Path) -> None:
    proc, base = _serve(site)
    try:
        with urllib.request.urlopen(f"{base}/review/", timeout=30) as r:
            cookie = r.headers["Set-Cookie"].split(";")[0]
            page = r.read().decode()
        token = page.split('name="review-token" content="')[1].split('"')[0]
        body = json.dumps({"action": "reject", "kind": "actor", "document": "corpus/statement.md",
                           "start": 322, "end": 356}).encode()  # fmt: skip
        good = {"Content-Type": "application/json", "Origin": base, "Cookie": cookie,
                "X-Review-Token": token}  # fmt: skip
        for bad, says in (
            ({**good, "Origin": "http://evil.example"}, "another origin"),
            ({**good, "Origin": base.replace("127.0.0.1", "localhost.evil.example")}, "origin"),
            ({k: v for k, v in good.items() if k != "X-Review-Token"}, "token"),
            ({**good, "X-Review-Token": "guess"}, "token"),
            ({**good, "Cookie": "pg_review_session=forged"}, "token"),
            ({k: v for k, v in good.items() if k != "Origin"}, "another origin"),
        ):
            status, text = _post(f"{base}/review/api/decide", body, bad)
            assert status == 403 and says in text, (bad, status, text)
        assert not (site / "review.yaml").exists()
        assert _post(f"{base}/review/api/decide", body, good)[0] == 200
        assert len(load_decisions(site / "review.yaml")) == 1
    finally:
        stop_process_group(proc)


def test_without_review_nothing_in_serve_writes(site: Path) -> None:
    proc, base = start_server(site / "store")
    try:
        status, _ = _post(f"{base}/review/api/decide", b"{}", {"Content-Type": "application/json",
                                                                 "Origin": base})  # fmt: skip
        assert status == 405
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(f"{base}/review/", timeout=30)
        assert err.value.code == 404
    finally:
        stop_process_group(proc)
    assert not (site / "review.yaml").exists()


def test_review_refuses_to_listen_beyond_loopback(site: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "policygraph", "serve", "--store", str(site / "store"),
         "--review", "--host", "0.0.0.0", "--port", "0"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert "127.0.0.1 only" in done.stderr


def test_hostile_document_text_is_shown_as_text(
    site: Path, browser: tests.browser.Chromium
) -> None:
    # a fact on the hostile text, naming an actor with a hostile name
    subprocess.run(
        [sys.executable, "-m", "policygraph", "review", "add", "corpus/hostile.txt", "--kind",
         "actor", "--text", '<b id="bold">Acme</b> Group', "--set",
         "actor=<img src=x id=named onerror=window.pwned=2>", "--store", str(site / "store"),
         "--decisions", str(site / "review.yaml")],
        check=True, cwd=site, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    proc, base = _serve(site)
    try:
        page = _open(browser, f"{base}/review/#corpus/hostile.txt")
        text = page.evaluate("document.getElementById('text').textContent")
        assert "<img src=x id=injected>" in text and "<script>window.pwned=1</script>" in text
        assert page.evaluate("document.getElementById('injected') === null")
        assert page.evaluate("document.getElementById('bold') === null")
        assert page.evaluate("window.pwned === undefined")
        listed = page.evaluate("document.getElementById('facts').textContent")
        assert "<img src=x id=named onerror=window.pwned=2>" in listed
        assert '<b id="bold">Acme</b> Group' in listed
        assert page.evaluate("document.getElementById('named') === null")
        assert page.evaluate("document.querySelectorAll('#facts img, #facts b').length") == 0
        assert page.errors() == []
    finally:
        stop_process_group(proc)
