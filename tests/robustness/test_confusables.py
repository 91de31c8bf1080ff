"""Names that render as another actor's (issue 19, item 8) are flagged in the build report:
a Cyrillic А in "Access Now", a right-to-left override; names wholly in another script are
not."""

from __future__ import annotations

from pathlib import Path

from policygraph.confusables import load_confusables
from policygraph.pipeline import build
from policygraph.store import Store

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
