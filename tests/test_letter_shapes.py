"""Letters and signer lists of every common shape, fields out of signer lines, and document
kinds — on invented texts (names, places and organisations made up for the tests)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from policygraph.extraction.letter_cues import all_rules, cues
from policygraph.extraction.letters import classify_with_rule, extract_letter
from policygraph.extraction.signatories import parse_signatory_lines
from policygraph.models import Document, DocumentMeta, LetterFinding

BODY = (
    "We write to oppose the proposal to scan private messages. It would weaken the security\n"
    "of everyone who relies on encrypted services, and it would not make children safer.\n"
)


def make(text: str, **meta: Any) -> Document:
    digest = hashlib.sha256(text.encode()).hexdigest()
    fmt = meta.pop("format", "markdown")
    return Document("test.md", text, fmt, DocumentMeta(**meta), digest)


def letter_of(text: str, **meta: Any) -> tuple[Document, LetterFinding]:
    doc = make(text, **meta)
    letter = extract_letter(doc)
    assert letter is not None
    for s in letter.signatories:
        assert doc.text[s.span.start : s.span.end] == s.span.text
        assert s.rule, s
    assert letter.rule
    return doc, letter


def labels(letter: LetterFinding) -> list[str]:
    return [s.label for s in letter.signatories]


# --- shapes of letters ------------------------------------------------------------------------


def test_inline_salutation_open_letter() -> None:
    text = (
        "To Senator Ada Reyes, I am writing this open letter about the scanning bill.\n\n"
        + BODY
        + "\nSincerely,\n\nMara Quill\n"
    )
    _, letter = letter_of(text)
    assert labels(letter) == ["Mara Quill"]
    assert [m.name for m in letter.addressed_to] == ["Senator Ada Reyes"]


def test_joint_statement_without_salutation() -> None:
    text = (
        "Joint statement on message scanning\n\n" + BODY + "\nWe, the undersigned:\n\n"
        "Open Lantern Society\nKestrel Network\nTern Labs\n"
    )
    _, letter = letter_of(text)
    assert labels(letter) == ["Open Lantern Society", "Kestrel Network", "Tern Labs"]


def test_the_following_developers_agree() -> None:
    text = (
        BODY + "\nThe following developers agree with this statement:\n\n"
        "Jonah Pell\nIvy Marsh\nLee Grant\n\nThanks for reading our blog.\n"
    )
    _, letter = letter_of(text)
    assert labels(letter) == ["Jonah Pell", "Ivy Marsh", "Lee Grant"]
    assert {s.kind for s in letter.signatories} == {"person"}
    assert letter.signatories[0].rule == "signers.opener.following"


@pytest.mark.parametrize(
    ("opener", "rule"),
    [
        ("Signatory:", "signers.header.signatories"),
        ("Signed,", "signers.closing.signed"),
        ("Co-signed by", "signers.header.signed-by"),
        ("In solidarity,", "signers.closing.sign-off"),
    ],
)
def test_other_openers(opener: str, rule: str) -> None:
    text = BODY + f"\n{opener}\n\nOpen Lantern Society\nOrchid Collective\n"
    _, letter = letter_of(text)
    assert labels(letter) == ["Open Lantern Society", "Orchid Collective"]
    assert {s.rule for s in letter.signatories} == {rule}


def test_inline_signed_by_list() -> None:
    text = BODY + "\nSigned by: Orchid Collective, Tern Labs and Kestrel Network\n"
    _, letter = letter_of(text)
    assert labels(letter) == ["Orchid Collective", "Tern Labs", "Kestrel Network"]


def test_a_pledge_with_its_supporters() -> None:
    text = (
        "Take the privacy pledge\n\n" + BODY + "\nSupporting organizations:\n"
        "Open Lantern Society\nKestrel Network\n"
    )
    _, letter = letter_of(text)
    assert labels(letter) == ["Open Lantern Society", "Kestrel Network"]


def test_supporters_of_a_launch_sign_nothing() -> None:
    text = (
        "A new group launched today to defend privacy online.\n\nSupporting individuals\n\n"
        "Jonah Pell, journalist\n\nIvy Marsh, lawyer\n"
    )
    assert extract_letter(make(text)) is None


def test_several_headed_sections_run_on() -> None:
    text = (
        BODY + "\nSignatories\n\nOrganisations:\nOpen Lantern Society\nKestrel Network\n\n"
        "Trade associations and supporters:\nHarbour Software Guild\nExample Makers Forum\n\n"
        "Individuals:\nJonah Pell\nIvy Marsh\n"
    )
    _, letter = letter_of(text)
    assert labels(letter) == [
        "Open Lantern Society",
        "Kestrel Network",
        "Harbour Software Guild",
        "Example Makers Forum",
        "Jonah Pell",
        "Ivy Marsh",
    ]
    assert [s.kind for s in letter.signatories][-2:] == ["person", "person"]


def test_comma_separated_paragraph_of_signers() -> None:
    text = (
        BODY + "\nSincerely,\nThe undersigned:\n\n"
        "Open Lantern Society, Restore Privacy, Inc., Kestrel Network, Church of Tern, "
        "Office of Communication Inc., the Orchid Alliance, and Harbour Rights.\n"
    )
    _, letter = letter_of(text)
    assert [s.as_written for s in letter.signatories] == [
        "Open Lantern Society",
        "Restore Privacy, Inc.",
        "Kestrel Network",
        "Church of Tern, Office of Communication Inc.",
        "the Orchid Alliance",
        "Harbour Rights",
    ]
    assert {s.rule for s in letter.signatories} == {"signers.line.comma-run"}


def test_one_person_with_role_and_body_is_not_split() -> None:
    text = (
        BODY + "\nSignatories\n\nJo Park, Executive Director, Open Lantern Society\n"
        "Lee Grant, Media Studies, Harbour University\n"
    )
    _, letter = letter_of(text)
    assert labels(letter) == ["Jo Park", "Lee Grant"]
    assert letter.signatories[0].role == "Executive Director"
    assert letter.signatories[0].affiliation == "Open Lantern Society"


def test_role_line_attaches_to_the_person_above() -> None:
    text = (
        "Dear Minister,\n\n"
        + BODY
        + "\nYours sincerely,\n\nDana Holt\nExecutive Director of the Open Lantern Society\n"
    )
    _, letter = letter_of(text)
    assert labels(letter) == ["Dana Holt"]
    assert letter.signatories[0].kind == "person"


def test_numbered_list_over_a_page_break_with_late_signers() -> None:
    first = ["Ada", "Bea", "Cal", "Dov", "Eli"]
    lines = [f"{i}. Dr {first[i - 1]} Example (Harbour University)" for i in range(1, 4)]
    lines += [f"{i}.Professor {first[i - 1]} Sample (Kestrel Institute)" for i in range(4, 6)]
    text = (
        BODY + "\nSignatories\n" + "\n".join(lines) + "\nFor inquiries please contact:\n"
        "Dr Ada Example <a@example.org>\n"
        "We have added a few more signatures that came in later.\n"
        "● Tom Sample (Harbour University)\n"
    )
    _, letter = letter_of(text)
    assert [s.label for s in letter.signatories] == [
        "Ada Example",
        "Bea Example",
        "Cal Example",
        "Dov Sample",
        "Eli Sample",
        "Tom Sample",
    ]
    assert letter.signatories[3].affiliation == "Kestrel Institute"
    assert letter.signatories[-1].rule == "signers.opener.more-signatures"


# --- fields out of signer lines ---------------------------------------------------------------


def _read(*lines: str) -> list[dict[str, Any]]:
    pos, pairs = 0, []
    for line in lines:
        pairs.append((pos, line))
        pos += len(line) + 1
    return [
        {
            "label": e.label,
            "kind": e.kind,
            "country": e.country,
            "region": e.region,
            "parent": e.parent,
            "affiliation": e.affiliation,
            "role": e.role,
        }
        for e in parse_signatory_lines(pairs)
    ]


def test_country_in_parentheses_and_after_a_dash() -> None:
    kestrel, tern = _read("Kestrel Network (Germany)", "Tern Labs - Portugal")
    assert (kestrel["label"], kestrel["country"]) == ("Kestrel Network", "Germany")
    assert (tern["label"], tern["country"], tern["parent"]) == ("Tern Labs", "Portugal", None)


def test_dash_country_is_a_chapter_when_the_list_names_the_parent() -> None:
    _, chapter = _read("Orchid Society", "Orchid Society – Bulgaria")
    assert (chapter["label"], chapter["parent"], chapter["country"]) == (
        "Orchid Society – Bulgaria",
        "Orchid Society",
        "Bulgaria",
    )


def test_city_after_the_name() -> None:
    (orchid,) = _read("Orchid, Berlin")
    assert (orchid["label"], orchid["region"], orchid["country"]) == (
        "Orchid",
        "Berlin",
        "Germany",
    )


def test_run_together_signers_are_two() -> None:
    text = BODY + "\nSignatories:\nOrchid (France)Tern (Spain)\nKestrel Network (Italy)\n"
    _, letter = letter_of(text)
    assert [(s.label, s.country) for s in letter.signatories] == [
        ("Orchid", "France"),
        ("Tern", "Spain"),
        ("Kestrel Network", "Italy"),
    ]
    assert letter.signatories[0].rule == "signers.line.run-together"


def test_title_name_affiliation() -> None:
    (p,) = _read("Professor Wren (Ada) Lind OBE (Centre for Privacy, Harbour University)")
    assert (p["label"], p["kind"], p["role"], p["affiliation"]) == (
        "Wren Lind",
        "person",
        "Professor",
        "Centre for Privacy",
    )


# --- document kinds ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "meta", "kind", "rule"),
    [
        (
            "FOR IMMEDIATE RELEASE\n\nOrchid joins the fight.\n",
            {},
            "press_release",
            "kind.press.header",
        ),
        (
            "Media advisory for 3 May\nContact: Ivy Marsh\n\nRallies.\n",
            {},
            "press_release",
            "kind.press.header",
        ),
        (
            "Press release\n\nKestrel Network said today ...\n",
            {},
            "press_release",
            "kind.press.header",
        ),
        (
            "WASHINGTON (Reuters) - Ministers met on Friday.\n\nMore text.\n",
            {},
            "news_article",
            "kind.news.dateline",
        ),
        (
            "Ministers met.\n\n(Reporting by Jonah Pell; Editing by Ivy Marsh)\n",
            {},
            "news_article",
            "kind.news.credit",
        ),
        (
            "Joint statement\n\nThe ministers agree.\n",
            {"title": "Joint statement on lawful access"},
            "government_statement",
            "kind.government.joint-statement",
        ),
        (
            "The plan.\n",
            {"site": "www.justice.gov.example.gov"},
            "government_statement",
            "kind.government.site",
        ),
        (
            "Regeringen vill ändra lagen.\n",
            {"title": "Regeringen föreslår en ny lag"},
            "government_statement",
            "kind.government.self-named",
        ),
        ("I like encryption and so should you.\n", {}, "blog_post", "kind.default"),
    ],
)
def test_document_kind_cues(text: str, meta: dict[str, Any], kind: str, rule: str) -> None:
    assert classify_with_rule(make(text, **meta), None) == (kind, rule)


def test_news_by_reported_speech() -> None:
    said = " ".join(f"Official {i} said the plan was fine." for i in range(6))
    assert classify_with_rule(make(said), None) == ("news_article", "kind.news.reported-speech")


# --- every rule's own examples ----------------------------------------------------------------


def _rule_examples() -> list[tuple[str, str, bool]]:
    out: list[tuple[str, str, bool]] = []
    for rule in all_rules():
        out += [(rule.id, t, True) for t in rule.match_examples]
        out += [(rule.id, t, False) for t in rule.no_match_examples]
    for k in cues().kinds:
        out += [(k.id, t, True) for t in k.match_examples]
        out += [(k.id, t, False) for t in k.no_match_examples]
    return out


@pytest.mark.parametrize(("rule_id", "text", "should"), _rule_examples())
def test_rule_examples(rule_id: str, text: str, should: bool) -> None:
    patterns = [r.pattern for r in all_rules() if r.id == rule_id]
    patterns += [k.pattern for k in cues().kinds if k.id == rule_id]
    assert patterns, rule_id
    found = any(p.search(text) for p in patterns)
    assert found is should, (rule_id, text)


def test_rule_ids_are_unique_per_pattern_family() -> None:
    ids = [k.id for k in cues().kinds]
    assert len(ids) == len(set(ids))
    assert all(r.id.count(".") >= 2 for r in all_rules())


# --- signers named only in a press release ----------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        (
            "The letter was co-signed by organisations including Orchid, Tern Labs and "
            "Kestrel Network.",
            "signers.reported.signed-by",
        ),
        (
            "Open Lantern, joined by Orchid, Tern Labs, and Kestrel Network, sent the letter.",
            "signers.reported.joined-by",
        ),
        (
            "The signing organizations include: Orchid, Tern Labs, Restore Privacy, Inc., "
            "and Kestrel Network.",
            "signers.reported.include",
        ),
        (
            "A coalition of 40 groups including Orchid, Tern Labs and the Kestrel Network sent"
            " the letter to Congress.",
            "signers.reported.including",
        ),
        (
            "More than 20 groups, among them Orchid, Tern Labs and Kestrel Network, signed it.",
            "signers.reported.including",
        ),
        (
            "Orchid, Tern Labs, Kestrel Network and 30 other organizations sent a letter today.",
            "signers.reported.subject",
        ),
        (
            "The coalition includes Orchid, Tern Labs and Kestrel Network.",
            "signers.reported.coalition-members",
        ),
        (
            "Signatories to the letter include the Orchid, Tern Labs, and Kestrel Network.",
            "signers.reported.include",
        ),
    ],
)
def test_press_release_names_the_signers_of_the_reported_letter(sentence: str, rule: str) -> None:
    from policygraph.extraction import extract

    text = "FOR IMMEDIATE RELEASE\n\nToday groups published an open letter.\n\n" + sentence + "\n"
    f = extract(make(text))
    assert f.letter is None  # the letter is reported, not reproduced
    assert f.kind == "press_release"
    (ref,) = [r for r in f.letter_refs if r.signatories]
    names = [s.label for s in ref.signatories]
    assert {"Orchid", "Tern Labs", "Kestrel Network"} <= set(names)
    assert not any("other" in n or " sent" in n for n in names), names
    assert all(s.rule == rule for s in ref.signatories)
    mentioned = {m.name for m in f.mentions}
    assert {"Orchid", "Tern Labs", "Kestrel Network"} <= mentioned
    for s in ref.signatories:
        assert f.document.text[s.span.start : s.span.end] == s.span.text


def test_backers_of_a_launch_are_not_signers() -> None:
    from policygraph.extraction import extract

    text = "With the backing of groups including Orchid, Tern Labs and Kestrel, a group launched.\n"
    assert not [r for r in extract(make(text)).letter_refs if r.signatories]


def test_coalition_members_sign_only_when_the_document_is_about_a_letter() -> None:
    from policygraph.extraction import extract

    text = "FOR IMMEDIATE RELEASE\n\nThe coalition includes Orchid, Tern Labs and Kestrel.\n"
    assert not [r for r in extract(make(text)).letter_refs if r.signatories]


def test_table_rows_headers_and_dashes() -> None:
    text = (
        BODY + "\nSincerely,\n\nThe undersigned organizations\n\nOrchid Collective\tGermany\n"
        "Kestrel Network\tItaly\n\nIndividual signers\n\nJane Doe – Open Lantern Society\n"
        "Jo Park – Harbour University\n"
    )
    _, letter = letter_of(text)
    got = [(s.label, s.kind, s.country, s.affiliation) for s in letter.signatories]
    assert got == [
        ("Orchid Collective", "organisation", "Germany", None),
        ("Kestrel Network", "organisation", "Italy", None),
        ("Jane Doe", "person", None, "Open Lantern Society"),
        ("Jo Park", "person", None, "Harbour University"),
    ]


def test_country_on_the_line_below_belongs_to_the_signer_above() -> None:
    text = BODY + "\nSignatories\n\nOrchid Collective\nGermany\nKestrel Network\nItaly\n"
    _, letter = letter_of(text)
    assert [(s.label, s.country) for s in letter.signatories] == [
        ("Orchid Collective", "Germany"),
        ("Kestrel Network", "Italy"),
    ]


def test_governments_listed_one_a_line_stay_signers() -> None:
    text = BODY + "\nSigned by:\n\nAustralia\nCanada\nNew Zealand\n"
    _, letter = letter_of(text)
    assert [(s.label, s.kind) for s in letter.signatories] == [
        ("Australia", "government"),
        ("Canada", "government"),
        ("New Zealand", "government"),
    ]


def test_every_letter_and_signer_names_its_rule_on_the_real_corpora() -> None:
    """Over the DRW gold posts and the dev corpus: each letter, signer and letter reference
    made here carries the id of the rule that made it, and its span is exact."""
    import glob
    import os

    from policygraph.errors import DocumentError
    from policygraph.extraction import extract
    from policygraph.loading import load_document
    from tests.support import require_shared

    paths = sorted(glob.glob(os.path.join(require_shared("corpus", "dev", "docs"), "*")))
    paths += sorted(glob.glob(os.path.join(require_shared("corpus", "drw", "blog"), "2019-*.md")))
    letters = 0
    for path in paths:
        try:
            doc = load_document(path)
        except DocumentError:
            continue
        f = extract(doc)
        if f.letter is not None:
            letters += 1
            assert f.letter.rule, path
            for s in f.letter.signatories:
                assert s.rule, (path, s.as_written)
                assert doc.text[s.span.start : s.span.end] == s.span.text
        for ref in f.letter_refs:
            for s in ref.signatories:
                assert s.rule and doc.text[s.span.start : s.span.end] == s.span.text
    assert letters >= 6


@pytest.mark.parametrize(
    "sentence",
    [
        "In less than 24 hours, 24,000 Internet users signed a letter to the board.",
        "Earlier today, Senator Reyes, Senator Lind and the committee sent a letter.",
        "Meanwhile, Tern Labs sent a letter to its customers.",
        "More than 1,000 firefighters, nurses and EMTs signed a letter to Congress.",
    ],
)
def test_a_sentence_opening_on_time_or_a_count_names_no_signers(sentence: str) -> None:
    from policygraph.extraction import extract

    text = "FOR IMMEDIATE RELEASE\n\n" + sentence + "\n"
    assert not [r for r in extract(make(text)).letter_refs if r.signatories]


def test_under_lines_of_one_signer_each_a_brand_name_is_the_next_signer() -> None:
    text = (
        BODY + "\nSincerely,\n\nOrchid Collective\nKestrel Network\nTern Labs\nHumblebee Media\n"
        "iFixup\nIgnition Digital\nplover.example\n"
    )
    _, letter = letter_of(text)
    assert labels(letter) == [
        "Orchid Collective",
        "Kestrel Network",
        "Tern Labs",
        "Humblebee Media",
        "iFixup",
        "Ignition Digital",
        "plover.example",
    ]


def test_under_lines_of_one_signer_each_a_comma_line_is_one_signer() -> None:
    text = (
        BODY + "\nSignatories\n\nOrchid Library\nKestrel College\nTern University\n"
        "Plover Academy, Andover, Heron Library\nBittern Institute\n"
    )
    _, letter = letter_of(text)
    assert "Plover Academy" in labels(letter)
    assert "Andover" not in labels(letter) and len(letter.signatories) == 5


def test_a_letter_claiming_far_more_signers_than_read_says_so_in_its_notes() -> None:
    from policygraph.extraction import extract

    text = (
        "Open letter from 58 organisations\n\n"
        + BODY
        + "\nSincerely,\n\nOrchid Collective\nKestrel Network\nTern Labs\n"
    )
    f = extract(make(text))
    assert f.letter is not None and f.letter.signatory_count == 58
    assert any("58 signatories; 3 were read" in n for n in f.notes)
    full = BODY + "\nSigned by 3 organisations:\n\nOrchid Collective\nKestrel Network\nTern Labs\n"
    assert not any("signatories;" in n for n in extract(make(full)).notes)
