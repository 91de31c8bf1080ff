"""People in running text: every example of data/rules/people.yaml, and the classes of name
that must not become a person."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from policygraph.extraction.people import PeopleRulesError, load_people_rules
from policygraph.extraction.prose import extract_prose
from policygraph.models import Document, DocumentMeta

RULES = load_people_rules()
EXAMPLES = [(r.id, ex) for r in RULES.rules for ex in r.examples]


def _doc(text: str) -> Document:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Document("t.txt", text, "text", DocumentMeta(), digest)


def _people(text: str) -> dict[str, Any]:
    found = extract_prose(_doc(text), None)
    return {m.name: m for m in found.mentions if m.kind == "person"}


@pytest.mark.parametrize(
    ("rule_id", "example"), EXAMPLES, ids=[f"{i}-{n}" for n, (i, _) in enumerate(EXAMPLES)]
)
def test_rule_example(rule_id: str, example: dict[str, Any]) -> None:
    found = {p.name: p for p in RULES.role_people(example["text"])}
    for name in example.get("none") or ():
        assert name not in found
        assert name not in _people(example["text"])
    if "person" in example:
        person = found[example["person"]]
        assert person.rule == rule_id
        assert person.role == example.get("role", person.role)
        assert example["text"][person.start : person.end] == person.name


def test_every_mention_names_its_rule_and_keeps_its_span() -> None:
    text = (
        "FBI Director Ada Quist met the Open Lantern Society in Canberra. "
        "“We will not weaken encryption for anyone,” said Rowan Pike of Tern Labs."
    )
    found = extract_prose(_doc(text), None)
    assert found.mentions
    for m in found.mentions:
        assert m.rule.startswith(("mention.", "person.", "speaker.")), m
        assert text[m.span.start : m.span.end] == m.span.text
    assert all(q.rule.startswith("speaker.") for q in found.quotes)


@pytest.mark.parametrize(
    "text",
    [
        "Tom went home. Evil never sleeps.",
        "Happy New Year from all of us at the Open Lantern Society!",
        "Dear Members, Thanks again. Read More",
    ],
)
def test_capitalised_words_are_not_people(text: str) -> None:
    assert _people(text) == {}


def test_a_surname_joins_the_full_name_the_document_gives() -> None:
    people = _people(
        "Shadow Minister Dana Holt opposed the bill. Later, Holt said the bill was wrong."
    )
    assert set(people) == {"Dana Holt"}
    assert people["Dana Holt"].role == "Shadow Minister"


def test_bad_people_rules_name_the_file(tmp_path: Any) -> None:
    bad = tmp_path / "people.yaml"
    bad.write_text("rules:\n  - {pattern: x}\n", encoding="utf-8")
    with pytest.raises(PeopleRulesError, match=r"people\.yaml"):
        load_people_rules(bad)
