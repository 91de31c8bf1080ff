"""Regular expressions over document text stay linear-time (issue 19, item 5).

A document of a few kilobytes stalled a whole build: '<!---->' * 30 before the text (the HTML
prolog regex, exponential), a long all-caps paragraph (quadratic runs of capitalised words in
the sentence splitter, the name lists, the government bodies and the people-with-roles pass).

Two kinds of check, neither timed: the rewritten module-level patterns hold none of the
backtracking shapes regex_shape.py names (and the old forms do); and the worst cases, at a
size the old forms needed minutes or hours for, are read and extracted inside a generous
per-document budget (workers.budget), which stops a runaway match instead of hanging.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policygraph.extraction import extract, name_patterns, sentences
from policygraph.loading import load_document
from policygraph.loading.detect import looks_like_html
from policygraph.workers import Budget, OverBudget, budget
from tests.robustness.regex_shape import slow_shapes

# Generous: each case takes well under a second here; the old forms took minutes to hours.
GENEROUS = Budget(seconds=60, memory_mib=2048)

OLD_FORMS = {
    "html prolog": r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
    "standalone line": r"^(?:(?i:dear)\s[^\n]{1,120}[,:]|[^a-z\n]*[A-Z][^a-z\n]*)[ \t]*(?=\n)",
}


@pytest.mark.parametrize("name", sorted(OLD_FORMS))
def test_the_check_names_the_old_slow_forms(name: str) -> None:
    assert slow_shapes(OLD_FORMS[name])


@pytest.mark.parametrize(
    "pattern",
    [sentences._STANDALONE_LINE, name_patterns.PERSON, name_patterns._TOKEN],
    ids=["standalone-line", "person", "token"],
)
def test_rewritten_patterns_have_no_slow_shape(pattern: object) -> None:
    assert slow_shapes(pattern) == []  # type: ignore[arg-type]


def test_many_comments_before_the_html_element() -> None:
    with budget(GENEROUS):
        assert looks_like_html("<!---->" * 10_000 + "<html><body>x</body></html>")
        assert not looks_like_html("<!---->" * 10_000 + "just text")
        assert looks_like_html('<?xml version="1.0"?>\n<!-- a -->\n<!DOCTYPE html>')
        assert not looks_like_html("<!-- never closed <html>")


WORST_CASES = {
    "caps.txt": "ACCESS NOW OPEN RIGHTS GROUP DIGITAL RIGHTS WATCH " * 2_000 + "\n",
    "caps-lines.txt": "ACCESS NOW OPEN RIGHTS GROUP\n" * 3_000,
    "dear.txt": "Dear Mr. " * 10_000 + "\n",
    "dear-lines.txt": "Dear Mr. Smith,\n" * 5_000,
    "name.txt": "Jane Smith " * 10_000 + "\n",
    "comments.html": "<!---->" * 10_000 + "<p>We oppose backdoors.</p>",
}


@pytest.mark.parametrize("name", sorted(WORST_CASES))
def test_worst_cases_extract_inside_a_generous_budget(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(WORST_CASES[name], encoding="utf-8")
    try:
        with budget(GENEROUS):
            findings = extract(load_document(str(path)))
    except OverBudget as exc:
        pytest.fail(f"{name}: {exc.reason}")
    assert findings.document.path == str(path)
