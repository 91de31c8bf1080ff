"""People in running text: every example of data/rules/people.yaml, and the classes of name
that must not become a person."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from policygraph.errors import DataError
from policygraph.extraction.people import load_people_rules
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
        assert m.rule.startswith(("mention.", "quote.")), m
        assert text[m.span.start : m.span.end] == m.span.text
    assert all(q.rule.startswith("quote.") for q in found.quotes)


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
    with pytest.raises(DataError, match=r"people\.yaml"):
        load_people_rules(bad)


# --- actors named by their institution ------------------------------------------------------
def _mentions(text: str) -> dict[str, Any]:
    return {m.name: m for m in extract_prose(_doc(text), None).mentions}


@pytest.mark.parametrize(
    ("text", "name", "rule"),
    [
        ("The bill now goes to the Senate for a vote.", "Senate", "mention.legislature"),
        (
            "Lawmakers in the Brazilian Congress objected.",
            "Brazilian Congress",
            "mention.legislature",
        ),
        (
            "The Reyes government wants access to chats.",
            "Reyes government",
            "mention.government.by-leader",
        ),
        (
            "The Holt administration said nothing.",
            "Holt administration",
            "mention.government.by-leader",
        ),
        (
            "The Government of Canada replied.",
            "Government of Canada",
            "mention.government.of-country",
        ),
    ],
)
def test_institutions_are_government_actors(text: str, name: str, rule: str) -> None:
    found = _mentions(text)
    assert found[name].kind == "government"
    assert found[name].rule == rule


@pytest.mark.parametrize(
    "text",
    [
        "The Creative Commons licence applies.",  # the end of another name
        "The Senate Judiciary Committee met.",  # the start of a longer name
        "Everyone uses Cisco routers and Google search.",  # products, not companies acting
    ],
)
def test_not_an_institution_or_company_here(text: str) -> None:
    found = _mentions(text)
    assert not {"Commons", "Senate", "Cisco", "Google"} & set(found)


def test_government_of_a_country_is_that_country() -> None:
    from policygraph.resolution import Resolver

    r = Resolver.from_data()
    gov = r.resolve("Government of Canada", "government")
    assert gov.key == r.resolve("Canada", "government").key
    assert gov.reason.startswith("resolution.government-of")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The Northwind Party's plan failed.", "Northwind Party"),
        ("The Department of Lanterns' powers grew.", "Department of Lanterns"),
        ("Rowan Pike's bill passed, said FBI Director Rowan Pike.", "Rowan Pike"),
    ],
)
def test_possessives_are_not_part_of_the_name(text: str, name: str) -> None:
    found = _mentions(text)
    assert name in found
    assert found[name].span.text == name


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "It was signed by Campaign for Kestrels and the Orchid Alliance last week.",
            {"Campaign for Kestrels", "Orchid Alliance"},
        ),
        (
            "Ada Quist, Executive Director of Tern Justice and Chair of the Lantern Commission.",
            {"Tern Justice"},
        ),
        (
            "The Ministry of Lanterns and Information Technology replied.",
            {"Ministry of Lanterns and Information Technology"},
        ),
    ],
)
def test_joined_names_and_roles_split_into_actors(text: str, names: set[str]) -> None:
    found = _mentions(text)
    assert names <= set(found), found
    assert not any(" and the " in n or "Chair of" in n for n in found)


def test_a_middle_initial_stays_in_the_name() -> None:
    found = _people("We thank Professor Ada K. Quist for her help.")
    assert set(found) == {"Ada K. Quist"}


def test_a_title_inside_an_organisations_name_makes_no_person() -> None:
    assert _people("We thank our friends at Criminal Justice Kestrels for hosting.") == {}
    assert set(_people("Tell President Quist: no backdoors.")) == {"Quist"}
    assert set(_people("Senator Pike spoke. Later Senator Rowan Pike left.")) == {"Rowan Pike"}


def test_a_list_of_full_names_ending_in_others_is_people() -> None:
    text = "Remarks from Ada Quist, Rowan Pike, Sam Reyes and several other MPs at the time."
    assert set(_people(text)) == {"Ada Quist", "Rowan Pike", "Sam Reyes"}


def test_legal_form_and_country_in_front_stay_in_the_name_as_written() -> None:
    found = _mentions("Apple Inc. said no. The U.S. Federal Bureau of Investigation said yes.")
    assert found["Apple Inc."].kind == "company"
    assert found["U.S. Federal Bureau of Investigation"].country == "United States"


def test_a_country_in_parentheses_is_the_place_and_the_resolver_decides_identity() -> None:
    from policygraph.resolution import Resolver

    found = _mentions("The Kestrel Foundation (Germany) and the Internet Society (Germany) agree.")
    kestrel = found["Kestrel Foundation (Germany)"]
    assert (kestrel.country, kestrel.acronym) == ("Germany", None)
    r = Resolver.from_data()
    assert r.resolve(kestrel.name).key == r.resolve("Kestrel Foundation").key
    assert r.resolve("Internet Society (Germany)").key != r.resolve("Internet Society").key


@pytest.mark.parametrize(
    ("text", "person"),
    [
        # a role's words never cross a line
        ("Join us at LanternTalk\nOur Chair Ada Quist will speak.", "Ada Quist"),
        # the body's words before the name are not the name
        ("The Lantern Rights Commission President Ada Quist spoke.", "Ada Quist"),
        # words that cannot begin a name go to the role
        ("UN High Commissioner for Human Rights Ada Quist spoke.", "Ada Quist"),
    ],
)
def test_the_person_is_the_name_not_the_words_around_it(text: str, person: str) -> None:
    assert person in _people(text)
    assert all("\n" not in m.span.text for m in _people(text).values())


@pytest.mark.parametrize(
    "text",
    [
        "WE ASKED ADA QUIST, and THE MINISTER agreed.",  # all capitals: no shape of a name
        "Dear Prime Minister, we write to you.",  # a role is no one's name
        "Members of the Australian Lawyers Guild signed.",  # a nationality is no name
    ],
)
def test_words_that_are_no_persons_name(text: str) -> None:
    assert _people(text) == {}
