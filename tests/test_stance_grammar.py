"""The general stance grammar on invented sentences: who holds which position on which topic,
with negation, conditionals, reported speech, the letter's own voice and targets that are
themselves harms. The organisations and people are made up."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from policygraph.extraction.grammar import grammar_for
from policygraph.extraction.prose import LETTER_HOLDER, extract_prose
from policygraph.models import (
    Document,
    DocumentMeta,
    LetterFinding,
    SignatoryEntry,
    Span,
    StanceFinding,
)


def _doc(text: str, **meta: object) -> Document:
    return Document(
        "t.txt",
        text,
        "text",
        DocumentMeta(**meta),  # type: ignore[arg-type]
        hashlib.sha256(text.encode()).hexdigest(),
    )


def _read(text: str) -> set[tuple[str, str]]:
    g = grammar_for("en")
    assert g is not None
    return {(c.topic, c.position) for c in g.read(text)}


def _stances(doc: Document, letter: LetterFinding | None = None) -> list[StanceFinding]:
    found = extract_prose(doc, letter)
    return [*found.stances, *(s for q in found.quotes for s in q.stances)]


# --- issue 13, failure modes 1: each class, in words of our own ----------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # calling something by a pejorative name
        ("Northwind Labs called the feature a backdoor.", ("backdoors", "oppose")),
        ("Kestrel Network described the new rule as a backdoor.", ("backdoors", "oppose")),
        # a prescriptive passive, negated
        ("Client-side scanning should not be mandated.", ("content_scanning", "oppose")),
        ("Data retention must be repealed.", ("data_retention", "oppose")),
        # rejecting a harm to encryption: against access mandates
        ("We reject any weakening of encryption.", ("backdoors", "oppose")),
        ("We oppose every attack on end-to-end encryption.", ("backdoors", "oppose")),
        # wanting access to encrypted content
        (
            "The minister wants platforms to give police access to encrypted chats.",
            ("backdoors", "support"),
        ),
        # a measure as the subject of a harm: the voice opposes the measure
        (
            "The bill's scanning obligations would break end-to-end encryption.",
            ("content_scanning", "oppose"),
        ),
        ("Mandatory data retention would undermine press freedom.", ("data_retention", "oppose")),
        # a government's measure on encryption is the access measure, not encryption itself
        ("We have grave concerns about the encryption provisions.", ("backdoors", "oppose")),
        ("We express concern about the cryptography initiative.", ("backdoors", "oppose")),
        ("We oppose encryption export controls.", ("backdoors", "oppose")),
        # a measure judged out of control
        ("Mass surveillance is out of control.", ("surveillance_powers", "oppose")),
        ("Data retention regimes are now out of control.", ("data_retention", "oppose")),
        # a measure judged by its record
        ("Key escrow is a history of failures.", ("backdoors", "oppose")),
        ("Data retention is a history of abuses.", ("data_retention", "oppose")),
    ],
)
def test_failure_mode_classes(sentence: str, expected: tuple[str, str]) -> None:
    assert expected in _read(sentence)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("We do not support client-side scanning.", {("content_scanning", "oppose")}),
        ("Orchid has never opposed lawful access.", {("backdoors", "support")}),
        ("We urge you not to weaken encryption.", {("backdoors", "oppose")}),
        ("They asked Tern to halt its plans for end-to-end encryption.", {("e2ee", "oppose")}),
        (
            "We call on the Commission to withdraw the chat control proposal.",
            {("content_scanning", "oppose")},
        ),
        ("We support the campaign against backdoors.", {("backdoors", "oppose")}),
        ("Join our campaign to ban facial recognition.", {("facial_recognition", "oppose")}),
        (
            "Kestrel urged citizens to protect themselves from mass surveillance.",
            {("surveillance_powers", "oppose")},
        ),
        (
            "They asked it not to deploy end-to-end encryption without backdoor access.",
            {("backdoors", "support")},
        ),
        # a coordinated infinitive is a verb of its own, not a flip of the first
        (
            "We call on you to reject any obligation to scan encrypted messages and to defend "
            "end-to-end encryption.",
            {("content_scanning", "oppose"), ("e2ee", "support")},
        ),
    ],
)
def test_negation_and_flips_turn_the_position(
    sentence: str, expected: set[tuple[str, str]]
) -> None:
    assert _read(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "If the government introduced backdoors, it would be a disaster.",
        "Even if Orchid supported client-side scanning, nobody would use it.",
        "Does the minister support backdoors?",
        "It is unclear whether Tern will support data retention.",
        "Any attempt to break encryption could prove fruitless, Lee Grant has warned.",
        "Tern welcomed the ruling that Orchid breached privacy with facial recognition.",
        "We don't need backdoor lawmaking via regulation.",
        "Visit the Government-supported guide to email encryption.",
        "This is not a backdoor, the minister said.",
    ],
)
def test_conditionals_questions_and_lookalikes_give_no_stance(sentence: str) -> None:
    assert _read(sentence) == set()


# --- holders --------------------------------------------------------------------------------


def test_reported_speech_gives_the_speaker_the_stance() -> None:
    text = (
        "Prime Minister Dana Holt has stated that her government wants to introduce a method "
        "for intercepting and reading encrypted messages."
    )
    found = _stances(_doc(text, publisher="Example News"))
    got = {(s.holder, s.topic, s.position) for s in found}
    assert ("Dana Holt", "backdoors", "support") in got
    s = next(s for s in found if s.holder == "Dana Holt")
    assert s.rule == "stance.predicate.want"
    assert s.attribution == "reported"
    assert text[s.evidence.start : s.evidence.end] == s.evidence.text == text


def test_a_subject_in_a_list_is_not_the_holder() -> None:
    text = (
        "Encryption products used by apps such as Orchid Chat, Tern and Kestrel would have "
        "to be registered, and the draft requires providers to retain metadata."
    )
    holders = {s.holder for s in _stances(_doc(text))}
    assert not holders & {"Orchid Chat", "Tern", "Kestrel"}


def _letter(text: str) -> LetterFinding:
    name = "Orchid Society"
    start = text.index(name)
    entry = SignatoryEntry(1, name, name, Span(start, start + len(name), name))
    return LetterFinding(None, None, None, (), (entry,), span=Span(0, len(text), text))


def test_the_addressee_of_a_letter_named_in_a_report_is_not_the_holder() -> None:
    text = (
        "Researchers today sent an open letter to the Members of the European Parliament urging "
        "them to reject the chat control proposal."
    )
    found = extract_prose(_doc(text, publisher="Tern Rights"), None)
    assert "European Parliament" in {m.name for m in found.mentions}
    assert not any("European Parliament" in s.holder for s in found.stances)


def test_the_letters_own_voice_is_held_by_the_letter() -> None:
    text = (
        "Dear Minister,\n\nWe firmly oppose any backdoor in messaging services. "
        "We urge you not to weaken encryption.\n\nSigned,\n\nOrchid Society\n"
    )
    found = _stances(_doc(text), _letter(text))
    got = {(s.holder, s.topic, s.position) for s in found}
    assert (LETTER_HOLDER, "backdoors", "oppose") in got
    assert not any(s.position == "support" for s in found)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a hard-wrapped letter (PDF, plain text): a term wrapped across lines is one term
        (
            "We have long welcomed the adoption of end-to-end\nencryption in messaging apps.",
            ("e2ee", "support"),
        ),
        (
            "We firmly oppose client-side\nscanning of private messages.",
            ("content_scanning", "oppose"),
        ),
        ("We reject mandatory data\nretention in any form.", ("data_retention", "oppose")),
    ],
)
def test_a_term_wrapped_across_lines_of_a_letter_is_read(
    body: str, expected: tuple[str, str]
) -> None:
    text = f"Dear Minister,\n\n{body}\n\nSigned,\n\nOrchid Society\n"
    found = _stances(_doc(text), _letter(text))
    got = {(s.topic, s.position) for s in found if s.holder == LETTER_HOLDER}
    assert got == {expected}
    assert all(s.evidence.text == text[s.evidence.start : s.evidence.end] for s in found)


def test_we_of_a_post_is_its_publisher() -> None:
    text = "We have long opposed mandatory data retention, and we will keep fighting it."
    found = _stances(_doc(text, publisher="Tern Rights", authors=("Jo Park",)))
    assert {(s.holder, s.topic, s.position) for s in found} == {
        ("Tern Rights", "data_retention", "oppose")
    }
    assert found[0].attribution == "authorship"


def test_a_document_in_an_uncovered_language_gives_no_stance() -> None:
    text = "De regering wil de bewaarplicht invoeren en wij verwelkomen het voorstel."
    found = extract_prose(_doc(text), None, language=None)
    assert found.stances == ()


def test_build_summary_names_a_document_in_an_uncovered_language(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "en.md").write_text(
        "# Tern Rights on retention\n\nWe have long opposed mandatory data retention, and we "
        "will keep fighting it in the courts and in the parliament.\n",
        encoding="utf-8",
    )
    nl = docs / "nl.md"
    nl.write_text(
        "# De regering en de bewaarplicht\n\nDe regering heeft vandaag gezegd dat het voor de "
        "politie makkelijker moet worden om gegevens op te vragen, en dat is voor ons niet "
        "van belang als het voor de burgers ook niet duidelijk is wat er met de gegevens "
        "gebeurt. Het is niet zeker dat het zo wordt.\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "policygraph", "build", str(docs), "--store", str(tmp_path / "s")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert f"not covered: language nl: {nl}" in lines
    assert not any("en.md" in line and "not covered" in line for line in lines)
    assert "2 documents (2 written, 0 unchanged), 0 skipped, 1 in a language not covered" in (
        proc.stdout
    )


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the head of the subject, not the term in its modifier
        ("Backdoors in encryption put us all in danger.", {("backdoors", "oppose")}),
        # a measure that breaks encryption: the voice opposes both the measure and the break
        (
            "Mandatory scanning would break end-to-end encryption.",
            {("content_scanning", "oppose"), ("backdoors", "oppose")},
        ),
        # denying the harm defends the measure, and says nothing of the break
        ("Client-side scanning would not break encryption.", {("content_scanning", "support")}),
        ("EPIC opposed the Clipper chip.", {("backdoors", "oppose")}),
        # a noun that turns its object over is no one's act, but still turns it over
        ("We support the repeal of the encryption laws.", {("backdoors", "oppose")}),
    ],
)
def test_subjects_judged_by_their_verb(sentence: str, expected: set[tuple[str, str]]) -> None:
    assert _read(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The letter calls on lawmakers to reject the chat control proposal.",
        "Today 20 groups released an open letter to the Council urging ministers to reject "
        "client-side scanning.",
        "Open letter signed by groups across Europe opposes the plan for client-side scanning.",
    ],
)
def test_a_letter_a_press_release_reports_is_held_by_its_signers(sentence: str) -> None:
    from policygraph.extraction import extract

    text = (
        f"FOR IMMEDIATE RELEASE\n\n{sentence}\n\n"
        "Signers include Orchid Society, Tern Rights and Kestrel Network.\n"
    )
    found = extract(_doc(text, publisher="Heron Media"))
    got = {(s.holder, s.topic, s.position) for s in found.stances}
    assert got == {
        (name, "content_scanning", "oppose")
        for name in ("Orchid Society", "Tern Rights", "Kestrel Network")
    }


def test_a_letter_without_a_list_of_signers_is_held_by_nobody() -> None:
    text = "The letter calls on lawmakers to reject the chat control proposal.\n"
    found = extract_prose(_doc(text, publisher="Heron Media"), None)
    assert not found.stances


@pytest.mark.parametrize(
    "tail",
    [
        "See also: Why we oppose client-side scanning\n",
        "Read more: We reject mandatory data retention\n",
        "Related Coverage\n\nInside the fight over chat control\n\nWhy we oppose backdoors\n",
    ],
)
def test_a_teaser_for_another_article_states_no_stance(tail: str) -> None:
    text = f"Ministers met in Brussels on Tuesday.\n\n{tail}"
    assert not _stances(_doc(text, publisher="Heron Media", authors=("Jo Park",)))


@pytest.mark.parametrize(
    "about",
    [
        "Tern Rights works to defend the open web. We oppose mandatory data retention.",
        "Tern Rights is a non-profit group. We reject client-side scanning.",
        "Tern Rights campaigns for privacy: we oppose every backdoor.",
    ],
)
def test_the_about_us_paragraph_after_a_press_release_ends_states_no_stance(about: str) -> None:
    text = f"Ministers met in Brussels on Tuesday.\n###\n{about}\n"
    assert not _stances(_doc(text, publisher="Tern Rights", authors=("Jo Park",)))
    # before the end mark the same words are the release's own
    assert _stances(_doc(f"{about}\n###\n", publisher="Tern Rights", authors=("Jo Park",)))


@pytest.mark.parametrize(
    "sentence",
    [
        "Fight for the Future, the group behind the rallies, spoke about the backdoor.",
        "Fight for the Future published a report on the backdoor.",
        "Fight for the Future, based in Boston, wrote about the encryption bill.",
    ],
)
def test_a_predicate_word_inside_an_actor_name_is_not_a_verb(sentence: str) -> None:
    doc = _doc(sentence, publisher="Fight for the Future", authors=("Jo Park",))
    assert not _stances(doc)


@pytest.mark.parametrize(
    ("sentence", "not_holder"),
    [
        # whom a request is made of, named with the role at their company
        (
            "The ministers wrote to Northwind Labs CEO Dana Reyes, asking for the company to "
            "give police access to encrypted messages.",
            "Dana Reyes",
        ),
        (
            "The ministers sent a letter to Kestrel Chat founder Dana Reyes, urging the firm "
            "to build a backdoor.",
            "Dana Reyes",
        ),
        # a sentence's opening phrase of time or place
        (
            "Last month, at a meeting between the minister and Northwind Labs chief executive "
            "Dana Reyes, the government asked the company to build a backdoor.",
            "Dana Reyes",
        ),
        # the complement of a noun in an apposition
        (
            "Orchid Corp, the owner of Northwind Labs and Kestrel Chat, said it would oppose "
            "any backdoor.",
            "Northwind Labs",
        ),
        (
            "Orchid Corp, the owner of Northwind Labs, said it would delay its end-to-end "
            "encryption plans.",
            "Northwind Labs",
        ),
        # a name that modifies the noun which is the subject
        (
            "The Kestrel Foundation proposal is an attempt to ban end-to-end encryption.",
            "Kestrel Foundation",
        ),
        ("The Northwind Labs case would ban end-to-end encryption.", "Northwind Labs"),
        # words in quotation marks that nobody is found to have said are not the author's
        (
            '"Building a backdoor would undermine end-to-end encryption," the statement read.',
            "Heron Media",
        ),
        # what a speaker says has its own subject: its act is not the speaker's
        (
            "Northwind Labs warned that the law would mandate client-side scanning.",
            "Northwind Labs",
        ),
        ("Northwind Labs said this plan would require client-side scanning.", "Northwind Labs"),
        (
            "Kestrel Network said on Monday that the rules would require scanning of private "
            "messages.",
            "Kestrel Network",
        ),
        # a negated verb after the target turns what is asked around: not read
        (
            "The Kestrel Foundation urged the company to ensure that encryption does not "
            "impede police investigations.",
            "Kestrel Foundation",
        ),
        (
            "The Kestrel Foundation called for rules so that encryption cannot hinder police.",
            "Kestrel Foundation",
        ),
    ],
)
def test_who_does_not_hold_what_a_sentence_says(sentence: str, not_holder: str) -> None:
    found = _stances(_doc(sentence, publisher="Heron Media", authors=("Jo Park",)))
    assert not_holder not in {s.holder for s in found}


def test_a_speaker_who_says_what_they_will_do_holds_it() -> None:
    for sentence in (
        "Northwind Labs said in a statement that it would oppose any backdoor.",
        "Northwind Labs said the company would oppose any backdoor.",
    ):
        found = _stances(_doc(sentence, publisher="Heron Media"))
        assert ("Northwind Labs", "backdoors", "oppose") in {
            (s.holder, s.topic, s.position) for s in found
        }


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        (
            "Hemliga tvångsmedel är helt avgörande i brottsbekämpningen.",
            ("surveillance_powers", "support"),
        ),
        (
            "Hemlig dataavläsning är ett viktigt verktyg för polisen.",
            ("surveillance_powers", "support"),
        ),
        ("Datalagring är inte nödvändigt för att utreda brott.", ("data_retention", "oppose")),
    ],
)
def test_a_swedish_ministers_dash_quote_states_the_ministers_stance(
    quote: str, expected: tuple[str, str]
) -> None:
    from policygraph.extraction import extract

    text = (
        "Regeringen lämnar i dag en skrivelse till riksdagen om hur arbetet mot brottsligheten "
        "har gått under året, och den visar att det har varit ett år av stora förändringar för "
        "de myndigheter som har ansvar för det.\n\n"
        f"– {quote} Det handlar om att skydda människor, säger justitieminister Per Lindqvist.\n"
    )
    found = extract(_doc(text))
    assert found.language == "sv" and found.language_covered
    got = {(s.holder, s.topic, s.position) for q in found.quotes for s in q.stances}
    assert got == {("Per Lindqvist", *expected)}


@pytest.mark.parametrize(
    ("sentence", "third"),
    [
        (
            "“Northwind Labs has found the perfect way around our laws by building its own "
            "surveillance network with the police,” said Jo Park of Tern Rights.",
            "Northwind Labs",
        ),
        (
            "“Kestrel Network is pushing for client-side scanning of our chats,” said Jo Park "
            "of Tern Rights.",
            "Kestrel Network",
        ),
        (
            "“Kestrel Network is pushing for mandatory data retention,” said Jo Park of Tern "
            "Rights.",
            "Kestrel Network",
        ),
    ],
)
def test_a_third_party_in_a_speakers_words_holds_nothing(sentence: str, third: str) -> None:
    found = _stances(_doc(sentence, publisher="Heron Media"))
    assert third not in {s.holder for s in found}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "E2EE [end-to-end encryption] serves an important role in protecting users.",
            ("e2ee", "support"),
        ),
        ("Strong encryption plays a vital role in keeping us safe.", ("backdoors", "oppose")),
        ("Data retention plays a key role in investigating crime.", ("data_retention", "support")),
    ],
)
def test_a_measure_that_plays_a_protective_role(sentence: str, expected: tuple[str, str]) -> None:
    assert expected in _read(sentence)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Sign the petition against government backdoors in our phones.", ("backdoors", "oppose")),
        ("Tell your MP to reject mandatory data retention.", ("data_retention", "oppose")),
        (
            "Call your representative and demand an end to mass surveillance.",
            ("surveillance_powers", "oppose"),
        ),
    ],
)
def test_a_call_to_action_is_the_publishers_stance(
    sentence: str, expected: tuple[str, str]
) -> None:
    found = _stances(_doc(sentence, publisher="Tern Rights"))
    assert {(s.holder, s.topic, s.position) for s in found} == {("Tern Rights", *expected)}


@pytest.mark.parametrize(
    "sentence",
    [
        "Northwind Labs said it would delay its end-to-end encryption plans by a year.",
        "Northwind Labs delayed its end-to-end encryption rollout again.",
        "Northwind Labs will delay its end-to-end encryption plans until 2030.",
    ],
)
def test_putting_off_ones_own_measure_is_no_stance_against_it(sentence: str) -> None:
    assert not _stances(_doc(sentence, publisher="Heron Media"))


def test_asking_another_to_put_off_its_measure_is_a_stance() -> None:
    text = "We urged Northwind Labs to delay its end-to-end encryption plans."
    found = _stances(_doc(text, publisher="Heron Media"))
    assert {(s.holder, s.topic, s.position) for s in found} == {("Heron Media", "e2ee", "oppose")}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a harm in the passive: the voice opposes its doer, named after "by"
        (
            "Our right to privacy is being compromised by warrantless surveillance.",
            {("surveillance_powers", "oppose")},
        ),
        ("Investigations are hampered by end-to-end encryption.", {("e2ee", "oppose")}),
        # the named key-escrow scheme of the 1990s
        ("The Clipper proposal should not be adopted.", {("backdoors", "oppose")}),
        # a predicative judgement with a noun: "a prime example of the overreach"
        (
            "The data retention scheme is a prime example of the overreach of governments.",
            {("data_retention", "oppose")},
        ),
        ("We oppose the social media ban.", {("age_verification", "oppose")}),
        ("We welcome the commitment to privacy reform.", {("privacy_law_reform", "support")}),
    ],
)
def test_round_three_classes(sentence: str, expected: set[tuple[str, str]]) -> None:
    assert _read(sentence) == expected
