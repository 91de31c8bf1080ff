"""Speaker attribution: every example of data/rules/speakers.yaml, run through the quote
finder on an invented text, and the classes of attribution the rules stand for."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from policygraph.errors import DataError
from policygraph.extraction.quotes import find_quotes
from policygraph.extraction.speakers import load_speaker_rules
from policygraph.models import Document, DocumentMeta

RULES = load_speaker_rules()
EXAMPLES = [(r.id, ex) for r in RULES.rules for ex in r.examples]


def _doc(text: str) -> Document:
    return Document(
        "t.txt", text, "text", DocumentMeta(), hashlib.sha256(text.encode()).hexdigest()
    )


def test_every_rule_has_an_id_and_examples() -> None:
    ids = [r.id for r in RULES.rules]
    assert len(ids) == len(set(ids))
    assert all(r.id.startswith("quote.") and r.examples for r in RULES.rules)


@pytest.mark.parametrize(
    ("rule_id", "example"), EXAMPLES, ids=[f"{i}-{n}" for n, (i, _) in enumerate(EXAMPLES)]
)
def test_rule_example(rule_id: str, example: dict[str, Any]) -> None:
    doc = _doc(example["text"])
    quotes = find_quotes(doc, ())
    if example.get("none"):
        assert not [q for q in quotes if q.rule == rule_id or not q.inferred], quotes
        return
    said = [q for q in quotes if q.speaker == example["speaker"]]
    assert said, f"{rule_id}: no quote of {example['speaker']!r} in {quotes}"
    last = said[-1]
    for q in said:
        assert doc.text[q.start : q.end]  # the span is the quote's text
    if "role" in example or "affiliation" in example:
        mention = next(q.speaker_mention for q in said if q.speaker_mention is not None)
        assert mention.role == example.get("role", mention.role)
        assert mention.affiliation == example.get("affiliation", mention.affiliation)
        assert doc.text[mention.span.start : mention.span.end] == mention.span.text
    assert last.rule.startswith("quote.")


def test_a_quote_over_three_paragraphs_is_three_quotes_of_one_speaker() -> None:
    text = (
        "Tern Labs issued a statement, which can be attributed to co-founder Ira Vance:\n"
        "“The first paragraph of the statement opens the quote and does not close it here.\n"
        "The second paragraph carries on without any quote marks at all, as many do.\n"
        "The third paragraph ends the statement and closes the quote, at long last.”\n"
        "Nothing here is quoted at all, and nobody says anything else."
    )
    quotes = find_quotes(_doc(text), ())
    assert [q.speaker for q in quotes] == ["Ira Vance"] * 3
    assert quotes[-1].end == text.index("”")


def test_surname_quote_before_the_full_name_takes_the_full_name() -> None:
    text = (
        "“Every key we hand over is a key someone else will copy,” Quist said.\n\n"
        "Later on, “nobody asked the engineers what they think of any of it,” said "
        "cryptographer Ada Quist."
    )
    assert {q.speaker for q in find_quotes(_doc(text), ())} == {"Ada Quist"}


def test_one_capitalised_word_is_never_a_speaker() -> None:
    text = "“Happy New Year to every one of you out there tonight,” Tom said."
    assert find_quotes(_doc(text), ()) == []


def test_bad_rules_file_names_the_file(tmp_path: Any) -> None:
    bad = tmp_path / "speakers.yaml"
    bad.write_text("rules:\n  - {id: x.y, where: after, pattern: '(unclosed'}\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"speakers\.yaml"):
        load_speaker_rules(bad)


def test_the_body_a_speaker_speaks_for_is_a_mention_of_its_own() -> None:
    from policygraph.extraction.prose import extract_prose

    text = (
        "“We will fight this in every court,” said Ira Vance, "
        "campaign director of Fight for Lanterns."
    )
    found = extract_prose(_doc(text), None)
    orgs = {m.name: m for m in found.mentions if m.kind == "organisation"}
    assert orgs["Fight for Lanterns"].rule == "mention.affiliation"
    person = next(m for m in found.mentions if m.name == "Ira Vance")
    assert (person.role, person.affiliation) == ("campaign director", "Fight for Lanterns")
