"""Running text → actors, quotes and stances (extract_prose), on the seeds and small texts."""

from __future__ import annotations

import hashlib
import os

from policygraph.extraction.letters import extract_letter
from policygraph.extraction.prose import LETTER_HOLDER, extract_prose
from policygraph.loading import load_document
from policygraph.models import Document, DocumentMeta

from .support import SEEDS

ARTICLE = os.path.join(SEEDS, "000_7564b24336da61a9.txt")
LETTER = os.path.join(SEEDS, "004_de020599fd118b6a.txt")


def _doc(text: str, **meta: object) -> Document:
    return Document(
        "t.txt",
        text,
        "text",
        DocumentMeta(**meta),  # type: ignore[arg-type]
        hashlib.sha256(text.encode()).hexdigest(),
    )


def test_article_actors_and_no_boilerplate_actor() -> None:
    doc = load_document(ARTICLE)
    found = extract_prose(doc, None)
    names = {m.name for m in found.mentions}
    assert {
        "United States",
        "United Kingdom",
        "Australia",
        "Access Now",
        "Bolo Bhi",
        "Raman Jit Singh Chima",
        "Mark Zuckerberg",
        "MediaNama",
    } <= names
    assert "Gautam Adani" not in names
    assert not any(doc.in_boilerplate(m.span.start, m.span.end) for m in found.mentions)
    chima = next(m for m in found.mentions if m.name == "Raman Jit Singh Chima")
    assert (chima.role, chima.affiliation) == ("Asia Policy Director", "Access Now")
    for m in found.mentions:
        assert doc.text[m.span.start : m.span.end] == m.span.text


def test_article_quotes_have_speakers_and_stances() -> None:
    found = extract_prose(load_document(ARTICLE), None)
    by_speaker = {q.speaker: q for q in found.quotes}
    chima = by_speaker["Raman Jit Singh Chima"]
    assert chima.text.startswith("We strongly believe that governments should not force")
    assert [(s.topic, s.position) for s in chima.stances] == [("backdoors", "oppose")]
    eff = [q for q in found.quotes if q.speaker == "Electronic Frontier Foundation"]
    assert {q.text for q in eff} >= {"an all-out attack on encryption"}


def test_reported_request_is_the_governments_support_not_a_flip() -> None:
    found = extract_prose(load_document(ARTICLE), None)
    gov = {
        (s.holder, s.topic, s.position)
        for s in found.stances
        if s.holder in ("United States", "United Kingdom", "Australia")
    }
    assert gov == {
        (c, "backdoors", "support") for c in ("United States", "United Kingdom", "Australia")
    }
    s = next(s for s in found.stances if s.holder == "Australia")
    assert "without backdoor access" in s.evidence.text
    assert s.attribution == "reported"


def test_letter_stance_is_held_by_the_letter_and_governments_by_request() -> None:
    doc = load_document(LETTER)
    found = extract_prose(doc, extract_letter(doc))
    held = {(s.holder, s.topic, s.position) for s in found.stances}
    assert (LETTER_HOLDER, "backdoors", "oppose") in held
    assert (LETTER_HOLDER, "e2ee", "support") in held
    assert ("Australia", "e2ee", "oppose") in held
    assert not any(s.position == "support" and s.topic == "backdoors" for s in found.stances)
    for s in found.stances:
        assert doc.text[s.evidence.start : s.evidence.end] == s.evidence.text


def test_negation_flips_a_cue() -> None:
    text = "Acme Foundation said it would not proceed with the prosecution of the protesters."
    found = extract_prose(_doc(text), None)
    assert {(s.holder, s.topic, s.position) for s in found.stances} == {
        ("Acme Foundation", "pine_gap_prosecution", "oppose")
    }


def test_places_are_not_actors_but_acting_countries_are() -> None:
    text = (
        "The base supports operations in Afghanistan, Pakistan, Yemen, and Syria. "
        "It implicates Australia in the strikes."
    )
    names = {m.name for m in extract_prose(_doc(text), None).mentions}
    assert "Australia" in names
    assert not names & {"Afghanistan", "Pakistan", "Yemen", "Syria"}


def test_said_attribution_after_quote_and_surname_continuation() -> None:
    text = (
        '"We call for an independent inquiry into the census now," said Jane Citizen '
        'from Privacy Watch.\n\n"The census was mishandled from start to finish," '
        "said Ms Citizen."
    )
    found = extract_prose(_doc(text), None)
    assert [q.speaker for q in found.quotes] == ["Jane Citizen", "Jane Citizen"]
    stances = {(s.holder, s.topic, s.position) for q in found.quotes for s in q.stances}
    assert ("Jane Citizen", "census_privacy", "support") in stances
    # the spokesperson's organisation holds the view too, as reported
    assert ("Privacy Watch", "census_privacy", "support") in {
        (s.holder, s.topic, s.position) for s in found.stances
    }


def test_a_new_topic_needs_only_data(tmp_path: object) -> None:
    from pathlib import Path

    from policygraph.topics import load_topics

    ttl = Path(str(tmp_path)) / "topics.ttl"
    ttl.write_text(
        "@prefix pg: <https://w3id.org/policygraph/ns#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<https://w3id.org/policygraph/topic/age-checks> a skos:Concept ;\n"
        '  skos:notation "age_checks" ; skos:prefLabel "age verification"@en ;\n'
        '  pg:termPattern "age (?:verification|checks?)" ;\n'
        '  pg:supportCue "(?:mandate|require)\\\\w* age (?:verification|checks?)" ;\n'
        '  pg:opposeCue "age (?:verification|checks?) (?:would|will) (?:harm|endanger)" .\n',
        encoding="utf-8",
    )
    scheme = load_topics(ttl)
    text = (
        "Acme Watch warned that age verification would harm privacy. "
        "The Minister for Communications wants to require age checks for all sites."
    )
    found = extract_prose(_doc(text), None, scheme)
    assert ("Acme Watch", "age_checks", "oppose") in {
        (s.holder, s.topic, s.position) for s in found.stances
    }


def test_quotes_under_an_attribution_heading_belong_to_that_speaker() -> None:
    text = (
        "Quotes attributable to Jane Citizen, Chair of Privacy Watch\n\n"
        '"Our privacy laws have failed to keep pace with technology and must be reformed."\n\n'
        "Media contact\n\n"
        "Call us on the number below for anything at all about this release today."
    )
    found = extract_prose(_doc(text), None)
    assert [(q.speaker, q.text[:11]) for q in found.quotes] == [("Jane Citizen", "Our privacy")]
    held = {(s.holder, s.topic, s.position) for q in found.quotes for s in q.stances}
    assert ("Jane Citizen", "privacy_law_reform", "support") in held


def test_person_of_organisation_and_non_names_are_not_people() -> None:
    text = (
        '"The bill is flawed," said Roger Clarke of the Australian Privacy Foundation.\n\n'
        "More from Digital Rights Watch here. Photo by ThisIsEngineering from Pexels."
    )
    found = extract_prose(_doc(text), None)
    people = {m.name: m for m in found.mentions if m.kind == "person"}
    assert set(people) == {"Roger Clarke"}
    assert people["Roger Clarke"].affiliation == "Australian Privacy Foundation"
    assert [q.speaker for q in found.quotes] == ["Roger Clarke"]
