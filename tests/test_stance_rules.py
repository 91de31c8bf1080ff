"""The rule engine and its data: every rule's own examples, the inflection of LEMMA, rule files
that are wrong, the topic lexicon against the topic scheme, the language guess."""

from __future__ import annotations

from pathlib import Path

import pytest

from policygraph.errors import DataError
from policygraph.extraction.grammar import grammar_for
from policygraph.extraction.language import guess_language
from policygraph.extraction.rules import (
    Rule,
    RuleSet,
    inflect,
    load_ruleset,
    rules_dir,
)
from policygraph.topics import load_topics

RULE_FILES = sorted(rules_dir().glob("stances.*.yaml")) + sorted(rules_dir().glob("lexicon.*.yaml"))


def _ruleset(path: Path) -> RuleSet:
    name, lang = path.name.split(".")[:2]
    rs = load_ruleset(name, lang)
    assert rs is not None
    return rs


def _examples() -> list[tuple[Path, str, str, bool]]:
    out = []
    for path in RULE_FILES:
        rs = _ruleset(path)
        for rule in rs.all_rules():
            out += [(path, rule.id, text, True) for text in rule.examples_match]
            out += [(path, rule.id, text, False) for text in rule.examples_no_match]
    return out


def _section(rs: RuleSet, rule: Rule) -> str:
    return next(name for name, rules in rs.sections.items() if rule in rules)


@pytest.mark.parametrize(
    ("path", "rule_id", "text", "must_match"),
    _examples(),
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_every_rule_matches_its_examples(
    path: Path, rule_id: str, text: str, must_match: bool
) -> None:
    rs = _ruleset(path)
    rule = rs.by_id[rule_id]
    found = {r.id for r, _, _ in rs.matches(_section(rs, rule), rs.nlp.make_doc(text))}
    assert (rule_id in found) is must_match, f"{rule_id} on {text!r}"


def test_every_rule_has_an_example_and_a_dotted_id() -> None:
    for path in RULE_FILES:
        for rule in _ruleset(path).all_rules():
            assert rule.examples_match, f"{path.name}: {rule.id} has no example"
            assert rule.id.count(".") >= 2, rule.id


def test_lexicon_topics_are_the_topic_schemes() -> None:
    notations = set(load_topics().notations)
    for path in rules_dir().glob("lexicon.*.yaml"):
        for rule in _ruleset(path).all_rules():
            topic = rule.attrs["topic"]
            assert topic == "_none" or topic in notations, f"{path.name}: {rule.id}: {topic}"
            harmed = rule.attrs.get("harmed")
            assert harmed is None or harmed in notations


def test_the_three_new_topics_carry_labels_in_four_languages() -> None:
    from rdflib import Graph
    from rdflib.namespace import SKOS

    from policygraph import resources

    g = Graph().parse(resources.ontology("topics.ttl"))
    for notation in ("content_scanning", "surveillance_powers", "data_retention"):
        topic = load_topics().get(notation)
        assert topic is not None and topic.label
        concept = next(s for s, o in g.subject_objects(SKOS.notation) if str(o) == notation)
        langs = {lab.language for lab in g.objects(concept, SKOS.prefLabel)}
        assert {"en", "de", "fr", "sv"} <= langs, notation
        assert g.value(concept, SKOS.definition) is not None


@pytest.mark.parametrize(
    ("lemma", "forms"),
    [
        ("oppose", {"oppose", "opposes", "opposed", "opposing"}),
        ("reject", {"reject", "rejects", "rejected", "rejecting"}),
        ("push", {"push", "pushes", "pushed", "pushing"}),
        ("deny", {"deny", "denies", "denied", "denying"}),
        ("stop", {"stop", "stops", "stopped", "stopping"}),
        ("seek", {"seek", "seeks", "sought", "seeking"}),
        ("agree", {"agree", "agrees", "agreed", "agreeing"}),
    ],
)
def test_lemma_inflection(lemma: str, forms: set[str]) -> None:
    assert set(inflect(lemma, {"seek": ["seeks", "sought", "seeking"]}, {"stop"})) == forms


def test_a_boolean_where_a_word_was_meant_names_the_file_and_rule(tmp_path: Path) -> None:
    bad = tmp_path / "stances.xx.yaml"
    bad.write_text(
        "language: en\nsections: [predicates]\npredicates:\n"
        "  - id: stance.predicate.bad\n    patterns: [[{LOWER: on}]]\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"stances\.xx\.yaml.*stance\.predicate\.bad.*quote"):
        RuleSet(bad)


def test_a_rule_without_an_id_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "stances.xx.yaml"
    bad.write_text(
        "language: en\nsections: [predicates]\npredicates:\n  - patterns: [[{LOWER: x}]]\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="needs an `id`"):
        RuleSet(bad)


def test_a_language_without_rules_has_no_grammar() -> None:
    assert load_ruleset("stances", "nl") is None
    assert grammar_for("nl") is None
    assert grammar_for("en") is not None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "The government said that it will not weaken the encryption of our messages, and "
            "the minister has confirmed that this is the plan for the year.",
            "en",
        ),
        (
            "Die Regierung hat gesagt, dass sie die Verschlüsselung nicht schwächen wird, und "
            "auch der Minister ist der Meinung, dass es bei dem Plan bleibt.",
            "de",
        ),
        (
            "Le gouvernement a dit que la loi ne sera pas changée et que les ministres sont "
            "pour cette idée dans le pays, avec une décision pour ce mois.",
            "fr",
        ),
        (
            "Regeringen har sagt att den inte ska försvaga krypteringen och att det är viktigt "
            "för oss som vill kunna lita på att det som sägs också görs.",
            "sv",
        ),
        (
            "El gobierno dijo que no se va a cambiar la ley y que los ministros están de "
            "acuerdo con la idea del plan para el país, como se ha dicho.",
            "es",
        ),
        (
            "De regering heeft gezegd dat het niet van plan is om de wet te veranderen en dat "
            "de minister het eens is met het plan voor een jaar.",
            "nl",
        ),
        ("Short text.", "en"),
    ],
)
def test_language_guess(text: str, lang: str) -> None:
    assert guess_language(text) == lang
