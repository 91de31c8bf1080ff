"""The rule engine's matching: each multi-word pattern is run only where the words it needs
are present, and a rule's matches are what one Matcher of all its patterns would give."""

from __future__ import annotations

from pathlib import Path

from policygraph.extraction.rules import RuleSet

RULES = """
language: en
sections: [s]
s:
  - id: t.access
    patterns:
      - [{LOWER: {IN: [exceptional, lawful]}}, {LOWER: "-", OP: "?"}, {LOWER: access}]
      - [{LOWER: lawful}, {LOWER: access}]
  - id: t.optional_first
    patterns:
      - [{LOWER: strong, OP: "?"}, {LOWER: encryption}, {LOWER: {IN: [matters, counts]}}]
  - id: t.word
    patterns:
      - [{LOWER: backdoor}]
"""


def _rules(tmp_path: Path) -> RuleSet:
    path = tmp_path / "t.en.yaml"
    path.write_text(RULES, encoding="utf-8")
    return RuleSet(path)


def _found(rs: RuleSet, text: str) -> list[tuple[str, int, int]]:
    return [(r.id, s, e) for r, s, e in rs.matches("s", rs.nlp.make_doc(text))]


def test_two_patterns_of_one_rule_on_the_same_words_are_one_match(tmp_path: Path) -> None:
    rs = _rules(tmp_path)
    assert _found(rs, "They want lawful access now") == [("t.access", 2, 4)]
    assert _found(rs, "exceptional-access and a backdoor") == [
        ("t.access", 0, 3),
        ("t.word", 5, 6),
    ]


def test_a_pattern_whose_first_token_is_optional_still_matches(tmp_path: Path) -> None:
    rs = _rules(tmp_path)
    assert _found(rs, "Yes, strong encryption matters.") == [
        ("t.optional_first", 2, 5),
        ("t.optional_first", 3, 5),
    ]
    assert _found(rs, "encryption counts") == [("t.optional_first", 0, 2)]


def test_a_pattern_missing_a_needed_word_matches_nothing(tmp_path: Path) -> None:
    rs = _rules(tmp_path)
    assert _found(rs, "lawful interception and strong encryption") == []
