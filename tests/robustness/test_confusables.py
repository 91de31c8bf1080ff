"""Names that render as another actor's (issue 19, item 8) are flagged in the build report
and marked in the views and profile pages:
a Cyrillic А in "Access Now", a right-to-left override; names wholly in another script are
not."""

from __future__ import annotations

import json
import re
from pathlib import Path

from policygraph.confusables import load_confusables
from policygraph.pipeline import build
from policygraph.store import Store
from policygraph.viz import actor_profile, analysed_view
from policygraph.viz.html import render_html
from policygraph.viz.profile import render_profile

CYRILLIC_A = "\u0410ccess Now"
LETTER = (
    "Dear Minister,\n\nWe, the undersigned, urge you to protect end-to-end encryption and to "
    "reject any backdoor.\n\nSincerely,\n\n"
    f"Access Now\n{CYRILLIC_A}\nOpen Rights \u202eGroup\nРоскомсвобода\nDigital Rights Watch\n"
)


def test_lookalikes_and_overrides_are_named_wholly_foreign_names_are_not() -> None:
    c = load_confusables()
    problem = c.problem(CYRILLIC_A)
    assert problem is not None and "reads as 'Access Now'" in problem
    assert "Cyrillic Capital Letter A U+0410" in problem
    override = c.problem("Open Rights \u202eGroup")
    assert override is not None and "U+202E" in override
    assert c.problem("Роскомсвобода") is None  # Russian, not a look-alike
    assert c.problem("Access Now") is None
    assert c.problem("Société Générale") is None


def test_the_build_report_flags_them(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "letter.txt").write_text(LETTER, encoding="utf-8")
    with Store(tmp_path / "store") as store:
        report = build([docs], store)
    (doc,) = report.documents
    flagged = [n for n in doc.notes if "reads as" in n]
    assert any("'Access Now'" in n and "U+0410" in n for n in flagged), doc.notes
    assert any("U+202E" in n for n in flagged), doc.notes
    assert not any("Роскомсвобода" in n or "Digital Rights Watch" in n for n in flagged)


def test_views_and_profiles_mark_them(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "letter.txt").write_text(LETTER, encoding="utf-8")
    with Store(tmp_path / "store") as store:
        build([docs], store)
        g = analysed_view(store, "signatures")
        html = render_html(g)
        by_label = {d.get("label"): v for v, d in g.nodes(data=True)}
        forged = actor_profile(store, by_label[CYRILLIC_A])
        real = actor_profile(store, by_label["Access Now"])
    data = re.search(r'<script type="application/json" id="pg-data">(.*?)</script>', html, re.S)
    assert data is not None
    nodes = {n["label"]: n for n in json.loads(data.group(1))["nodes"]}
    # the network view: the forged name drawn with a marker and its reason in the panel
    marked = nodes["\u26a0 " + CYRILLIC_A]
    reasons = [v for k, v in marked["info"] if k == "look-alike name"]
    assert len(reasons) == 1 and "U+0410" in reasons[0]
    assert "Access Now" in nodes and not any(
        k == "look-alike name" for k, _ in nodes["Access Now"].get("info", [])
    )
    assert any(label.startswith("\u26a0 Open Rights") for label in nodes)
    assert "Роскомсвобода" in nodes  # wholly Cyrillic: not marked
    # the profile page: a marker whose title explains, escaped, and the same line visible
    page = render_profile(forged)
    title = re.search(r'<span id="lookalike" title="([^"]*)">', page)
    assert title is not None
    assert "reads as &#39;Access Now&#39;" in title.group(1) and "U+0410" in title.group(1)
    assert "Look-alike name:" in page
    assert 'id="lookalike"' not in render_profile(real)
