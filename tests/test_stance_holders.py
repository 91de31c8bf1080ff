"""Who holds a stance (extraction/stance_holders.py), round three: a press release's run of
quoted paragraphs, a judgement in what a named actor is reported to say, what someone is told
they should do. Invented texts; each class was first seen in real documents (dev and DRW)."""

from __future__ import annotations

import hashlib

import pytest

from policygraph.extraction.grammar import grammar_for
from policygraph.extraction.prose import extract_prose
from policygraph.models import Document, DocumentMeta, StanceFinding


def _doc(text: str, **meta: object) -> Document:
    return Document(
        "t.txt",
        text,
        "text",
        DocumentMeta(**meta),  # type: ignore[arg-type]
        hashlib.sha256(text.encode()).hexdigest(),
    )


def _held(text: str, **meta: object) -> set[tuple[str, str, str]]:
    found = extract_prose(_doc(text, **meta), None)
    stances: list[StanceFinding] = [*found.stances, *(s for q in found.quotes for s in q.stances)]
    return {(s.holder, s.topic, s.position) for s in stances}


RELEASE = (
    "Tern Rights today warned that the proposed bill puts everyone at risk.\n\n"
    '"This is a clear example of why security matters online," said Tern Rights Chair '
    "Dana Holt.\n\n"
    "Tern Rights is warning that the bill could put individuals at risk.\n\n"
    '"It is because of attacks like these that we must protect encryption, not weaken it."\n'
)


def test_an_unattributed_quoted_paragraph_continues_the_last_speakers_quote() -> None:
    got = _held(RELEASE, publisher="Tern Rights")
    assert ("Dana Holt", "backdoors", "oppose") in got
    assert ("Tern Rights", "backdoors", "oppose") not in got  # the speaker's words, not the post's


def test_a_run_of_quoted_paragraphs_is_the_speaker_its_last_paragraph_names() -> None:
    text = (
        "Kestrel Network launched today.\n\n"
        '"Our privacy is being compromised by warrantless surveillance.\n\n'
        '"We stand for privacy and freedom," said Kestrel Network Chair Lee Grant.\n'
    )
    assert ("Lee Grant", "surveillance_powers", "oppose") in _held(text, publisher="Kestrel")


def test_a_quoted_paragraph_with_its_own_attribution_is_not_a_continuation() -> None:
    text = (
        '"We oppose any backdoor," said Tern Rights Chair Dana Holt.\n\n'
        '"The government should support this bill to fix the encryption laws," Senator Ada '
        "Reyes said in a statement that named nobody else.\n"
    )
    got = _held(text, publisher="Example News")
    assert not any(h == "Dana Holt" and p == "support" for h, _, p in got)


def test_a_judgement_in_what_a_named_actor_is_reported_to_say_is_theirs() -> None:
    text = 'Orchid CEO Jo Park said on Wednesday that a "backdoor" would imperil all users.'
    got = _held(text, publisher="Example News")
    assert ("Jo Park", "backdoors", "oppose") in got
    assert not any(h == "Example News" for h, _, _ in got)


def test_what_an_actor_is_told_it_should_do_is_the_voices_demand() -> None:
    got = _held("The Government should repeal the encryption laws.", publisher="Tern Rights")
    assert got == {("Tern Rights", "backdoors", "oppose")}


def test_what_an_actor_is_reported_to_say_another_should_do_is_not_the_writers() -> None:
    text = "Officials said platforms should introduce lawful access to encrypted messages."
    got = _held(text, publisher="Example News")
    assert not any(h == "Example News" for h, _, _ in got)


def test_a_judgement_in_what_someone_else_asserts_is_not_the_voices() -> None:
    text = (
        "The agency will be back asserting that its investigations have been thwarted by "
        "end-to-end encryption."
    )
    assert _held(text, publisher="Tern Rights") == set()


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Wir lehnen Verschlüsselungshintertüren ab.", {("backdoors", "oppose")}),
        ("Wir lehnen die EU-Chatkontrolle ab.", {("content_scanning", "oppose")}),
        (
            "Der Minister forderte ein Verbot verschlüsselter Kommunikation.",
            {("backdoors", "support")},
        ),
        (
            "Die Minister fordern die Aufbewahrung von Telefon- und Internetdaten.",
            {("data_retention", "support")},
        ),
    ],
)
def test_german_compounds_and_bans_before_a_genitive(
    sentence: str, expected: set[tuple[str, str]]
) -> None:
    g = grammar_for("de")
    assert g is not None
    assert {(c.topic, c.position) for c in g.read(sentence)} == expected


@pytest.mark.parametrize(
    ("sentence", "not_holder"),
    [
        # whom a recommendation is made to does not hold what it is asked to do
        ("The inquiry recommended that Australia introduce a fair use exception.", "Australia"),
        # a country's court or parliament is not the country
        (
            "The EU top court issued a strong ruling against blanket data retention.",
            "European Union",
        ),
    ],
)
def test_who_a_recommendation_or_a_court_is_not(sentence: str, not_holder: str) -> None:
    assert not any(h == not_holder for h, _, _ in _held(sentence, publisher="Tern Rights"))
