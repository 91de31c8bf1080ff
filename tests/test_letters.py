"""Letters a document reproduces (heading, addressees, signers, the letter it answers), and
document kinds, on the seeds, the DRW gold posts, the whole DRW blog and small made-up texts."""

from __future__ import annotations

import glob
import hashlib
import os
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from policygraph.errors import DocumentError
from policygraph.extraction.letters import classify, extract_letter, find_countries
from policygraph.loading import load_document
from policygraph.models import Document, DocumentMeta, LetterFinding, Span
from tests.support import ROOT, SEEDS, require_shared

LETTER_SEED = os.path.join(SEEDS, "004_de020599fd118b6a.txt")
NEWS_SEED = os.path.join(SEEDS, "000_7564b24336da61a9.txt")


def make(text: str, **meta: Any) -> Document:
    digest = hashlib.sha256(text.encode()).hexdigest()
    links = meta.pop("links", ())
    fmt = meta.pop("format", "markdown")
    return Document("test.md", text, fmt, DocumentMeta(**meta), digest, links=links)


def letter_of(text: str, **meta: Any) -> LetterFinding:
    letter = extract_letter(make(text, **meta))
    assert letter is not None
    return letter


def assert_spans_exact(doc: Document, letter: LetterFinding) -> None:
    spans: list[Span] = [s.span for s in letter.signatories]
    spans += [m.span for m in letter.addressed_to] + [r.span for r in letter.responds_to]
    if letter.span is not None:
        spans.append(letter.span)
    for span in spans:
        assert doc.text[span.start : span.end] == span.text


# --- the seeds -------------------------------------------------------------------------------


def test_seed_letter_structure() -> None:
    doc = load_document(LETTER_SEED)
    letter = extract_letter(doc)
    assert letter is not None
    assert letter.title == "Open Letter: Facebook's End-to-End Encryption Plans"
    assert letter.heading == "OPEN LETTER: FACEBOOK'S END-TO-END SECURITY PLANS"
    assert letter.date == "2019-10-04"
    assert [(m.name, m.kind) for m in letter.addressed_to] == [("Mr. Zuckerberg", "person")]
    assert [s.position for s in letter.signatories] == list(range(1, 59))
    assert letter.signatories[0].label == "AfroLeadership"
    assert letter.signatories[-1].label == "Vrijschrift"
    # the text claims no count (the gold's 58 is the length of the list)
    assert letter.signatory_count is None
    assert letter.span is not None
    assert letter.span.text.startswith("Dear Mr. Zuckerberg,")
    assert letter.span.text.endswith("Vrijschrift")
    assert_spans_exact(doc, letter)
    assert classify(doc, letter) == "open_letter"


def test_seed_letter_answers_the_governments_letter() -> None:
    doc = load_document(LETTER_SEED)
    letter = extract_letter(doc)
    assert letter is not None
    (ref,) = letter.responds_to
    assert ref.description == (
        "requests from the United States, United Kingdom, and Australian governments"
    )
    assert ref.authors == ("United States", "United Kingdom", "Australia")
    assert ref.date == "2019-10-04"  # from "...-10-4-19.pdf"
    assert (
        ref.link == "https://cdt.org/files/2019/10/US-UK-Australia-letter-to-Zuckerberg-10-4-19.pdf"
    )
    assert ref.addressed_to == ("Mr. Zuckerberg",)


def test_news_article_describing_the_letter_reproduces_none() -> None:
    doc = load_document(NEWS_SEED)
    letter = extract_letter(doc)
    assert letter is None
    assert classify(doc, letter) == "news_article"


# --- the DRW gold ----------------------------------------------------------------------------


def _drw_gold() -> tuple[str, list[dict[str, Any]]]:
    path = require_shared("corpus", "drw", "gold.yaml")
    with open(path, encoding="utf-8") as fh:
        return os.path.dirname(path), yaml.safe_load(fh)["documents"]


def test_drw_gold_document_kinds() -> None:
    base, docs = _drw_gold()
    wrong = []
    for gd in docs:
        doc = load_document(os.path.join(base, gd["file"]))
        kind = classify(doc, extract_letter(doc))
        if kind != gd["kind"]:
            wrong.append(f"{gd['file']}: {kind} != {gd['kind']}")
    assert not wrong, wrong


def test_drw_gold_addressees() -> None:
    base, docs = _drw_gold()
    found = {}
    for gd in docs:
        doc = load_document(os.path.join(base, gd["file"]))
        letter = extract_letter(doc)
        if letter is not None:
            assert_spans_exact(doc, letter)
            found[os.path.basename(gd["file"])[:10]] = [m.name for m in letter.addressed_to]
    assert found["2016-08-12"] == ["Prime Minister"]
    assert found["2018-03-22"] == ["Australian Parliamentarians"]
    # George Brandis is named only in the post's title, which is not part of the text
    assert found["2017-11-06"] == []


def test_drw_blog_letters_only_where_reproduced() -> None:
    """No invented signatories: over the whole blog, only posts that reproduce a letter get one."""
    paths = sorted(glob.glob(os.path.join(require_shared("corpus", "drw", "blog"), "*.md")))
    assert len(paths) == 456
    with_letter = {}
    for path in paths:
        try:
            doc = load_document(path)
        except DocumentError:
            continue  # empty posts (an image only) are the loader's business
        letter = extract_letter(doc)
        if letter is not None:
            with_letter[os.path.basename(path)] = len(letter.signatories)
    print(with_letter)
    # keyed by the first 40 characters of the file name
    assert {name[:40]: n for name, n in with_letter.items()} == {
        "2016-03-01-urging-sweden-and-the-uk-to-f": 500,
        "2016-08-12-open-letter-from-privacy-advo": 42,
        "2017-11-06-an-open-letter-to-attorney-ge": 74,
        "2018-03-22-open-letter-to-australian-par": 1,
        "2019-10-04-open-letter-facebooks-end-to-": 58,
        # a joint statement: "The following organisations support the repeal of ... the TOLA
        # Act:" over the names of nine organisations
        "2019-12-04-major-amendments-to-encryptio": 9,
    }


def test_assange_statement_sections_and_publisher_signature() -> None:
    path = os.path.join(
        require_shared("corpus", "drw", "blog"),
        "2016-03-01-urging-sweden-and-the-uk-to-free-julian-assange.md",
    )
    letter = extract_letter(load_document(path))
    assert letter is not None
    first = letter.signatories[0]
    # "Digital Rights Watch signed on to the following open statement:"
    assert (first.label, first.position) == ("Digital Rights Watch", 1)
    kinds = [s.kind for s in letter.signatories]
    # "Organisations" then "Individuals": 155 organisation lines, then 345 people
    assert kinds[1:156].count("organisation") >= 150
    assert kinds[156:].count("person") == len(kinds[156:])


# --- made-up texts ---------------------------------------------------------------------------

BODY = (
    "We write to urge you to protect strong encryption for everyone in Australia.\n\n"
    "Weakening it would put every user at risk, and we ask you to withdraw the bill.\n\n"
)


def test_signature_block_after_closing_is_one_signer() -> None:
    text = (
        "Dear Minister,\n\n" + BODY + "Yours sincerely,\n\nDr Jane Doe\nExecutive Director\n"
        "Foo Institute\n"
    )
    doc = make(text)
    letter = letter_of(text)
    (signer,) = letter.signatories
    assert (signer.label, signer.kind, signer.role, signer.affiliation) == (
        "Jane Doe",
        "person",
        "Executive Director",
        "Foo Institute",
    )
    assert signer.span.text == "Dr Jane Doe\nExecutive Director\nFoo Institute"
    assert [(m.name, m.kind) for m in letter.addressed_to] == [("Minister", "person")]
    assert_spans_exact(doc, letter)


def test_signed_by_list_with_blank_lines_and_stop() -> None:
    text = (
        "The letter reads:\n\n" + BODY + "Signed by:\n\nAccess Now\n\nHuman Rights Watch\n\n"
        "SHARE Foundation\n\nSee the full list of signatures at Example\n"
    )
    letter = letter_of(text)
    assert [s.label for s in letter.signatories] == [
        "Access Now",
        "Human Rights Watch",
        "SHARE Foundation",
    ]
    assert letter.span is not None and letter.span.text.startswith("We write to urge")


def test_undersigned_paragraph_then_list_ending_at_prose() -> None:
    text = (
        BODY + "We, the undersigned, call on the government to drop the bill.\n\n"
        "Jane Doe, journalist\nJohn Smith, Foo Institute\n\n"
        "Digital Rights Watch will keep campaigning on this issue in the weeks to come.\n"
    )
    letter = letter_of(text)
    assert [(s.label, s.kind) for s in letter.signatories] == [
        ("Jane Doe", "person"),
        ("John Smith", "person"),
    ]


def test_template_for_readers_is_not_a_letter() -> None:
    text = "Dear [MP name],\n\n" + BODY + "Sincerely,\n\n[Your name]\n[Your suburb]\n"
    assert extract_letter(make(text)) is None


def test_post_that_only_describes_a_letter_gets_none() -> None:
    text = (
        "Digital Rights Watch has joined with dozens of organisations in signing an open letter "
        "about the proposed regulation.\n\nKey concerns include:\n\nLack of transparency\n"
        "Error-prone filters\n\nDownload and read the letter here.\n"
    )
    doc = make(text, title="Open letter on the Terrorism Database", categories=("News",))
    assert extract_letter(doc) is None
    assert classify(doc, None) == "blog_post"


def test_claimed_count_and_salutation_to_several() -> None:
    text = (
        "This letter, signed by 24 organisations, was sent today.\n\n"
        "Dear Mr. Zuckerberg and Ms. Sandberg,\n\n" + BODY + "Sincerely,\n\n"
        "Access Now\nFree Press\nEngine\n"
    )
    letter = letter_of(text)
    assert letter.signatory_count == 24
    assert [m.name for m in letter.addressed_to] == ["Mr. Zuckerberg", "Ms. Sandberg"]


def test_responds_to_reads_authors_and_dates_from_links() -> None:
    text = "Dear Ministers,\n\nWe have read your statement and disagree.\n\n" + BODY
    text += "Sincerely,\n\nAccess Now\nFree Press\n"
    anchor = "your statement"
    start = text.index(anchor)
    url = "https://example.org/files/20190205-Five-Eyes-Statement-Canada-New-Zealand.pdf"
    letter = letter_of(text, links=((Span(start, start + len(anchor), anchor), url),))
    (ref,) = letter.responds_to
    assert ref.date == "2019-02-05"
    assert ref.authors == ("Canada", "New Zealand")
    # a link that is not about a letter is not an answered letter
    other = text.replace("your statement", "your website")
    letter = letter_of(
        other, links=((Span(start, start + len("your website"), "your website"), "https://x.org/"),)
    )
    assert letter.responds_to == ()


def test_find_countries_reads_demonyms_and_codes() -> None:
    assert find_countries("US-UK-Australia letter") == (
        "United States",
        "United Kingdom",
        "Australia",
    )
    assert find_countries("the Brazilian and Peruvian governments") == ("Brazil", "Peru")
    assert find_countries("contact us") == ()


def test_classify_from_cues() -> None:
    assert classify(make("Some text.\n", categories=("Media releases",)), None) == "press_release"
    assert classify(make("FOR IMMEDIATE RELEASE\n\nToday...\n"), None) == "press_release"
    assert (
        classify(make("Ministers met.\n", url="https://www.gov.uk/government/news/x"), None)
        == "government_statement"
    )
    scraped = "Headline\n\nStory text.\n\n© 2008-2021 Example Media Pvt. Ltd.\n"
    assert classify(make(scraped, format="text"), None) == "news_article"
    page = os.path.join(ROOT, "tests", "data", "documents", "news_page.html")
    news = load_document(page)
    assert extract_letter(news) is None  # "Forty ... organisations have written to ..."
    assert classify(news, None) == "news_article"
    # the same furniture in a blog post's markdown does not make it news
    assert classify(make(scraped), None) == "blog_post"


def test_ministers_signature_blocks_sign_for_their_governments() -> None:
    text = (
        "Dear Mr. Zuckerberg,\n\n" + BODY + "Sincerely,\n\n"
        "William P. Barr\nUnited States Attorney General\n\n"
        "Kevin K. McAleenan\nUnited States Secretary of Homeland Security (Acting)\n\n"
        "Rt Hon Priti Patel MP\nUnited Kingdom Home Secretary\n\n"
        "Peter Dutton MP\nAustralian Minister for Home Affairs\n\n"
        "Facebook has not yet replied to the letter, which was published on Friday.\n"
    )
    doc = make(text)
    letter = letter_of(text)
    assert [(s.label, s.kind) for s in letter.signatories] == [
        ("United States", "government"),
        ("United States", "government"),
        ("United Kingdom", "government"),
        ("Australia", "government"),
    ]
    assert (
        letter.signatories[2].as_written == "Rt Hon Priti Patel MP, United Kingdom Home Secretary"
    )
    assert letter.signatories[2].role == "United Kingdom Home Secretary"
    assert_spans_exact(doc, letter)


def test_plain_names_one_per_line_are_not_merged() -> None:
    text = (
        "Dear Minister,\n\n" + BODY + "Sincerely,\n\nJenna Price\nTim Cashmere\n"
        "Mary Kostakidis, Freelance Journalist\nAccess Now\n"
    )
    letter = letter_of(text)
    assert [s.label for s in letter.signatories] == [
        "Jenna Price",
        "Tim Cashmere",
        "Mary Kostakidis",
        "Access Now",
    ]


LINES = [
    "Dear Mr. Zuckerberg,",
    "Dear [MP name],",
    "Sincerely,",
    "Signed by:",
    "Signatories",
    "Organisations",
    "Individuals",
    "We, the undersigned, ask you to act.",
    "Digital Rights Watch has signed on to the following open letter:",
    "",
    "",
    "Access Now",
    "Jane Doe, lawyer",
    "Dr Jane Doe",
    "Executive Director",
    "Foo Institute (FI), Brasil",
    "See the full list of signatures",
    "We urge you to proceed with your plans to encrypt messaging across all products today.",
    "  * **Senator Sarah Hanson-Young**, Australian Greens",
    "\u200b",
    "OPEN LETTER: ABOUT THINGS",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=25), st.booleans())
def test_extract_letter_never_crashes_and_spans_are_exact(lines: list[str], crlf: bool) -> None:
    text = ("\r\n" if crlf else "\n").join(lines)
    doc = make(text)
    letter = extract_letter(doc)
    if letter is not None:
        assert_spans_exact(doc, letter)
        assert [s.position for s in letter.signatories] == list(
            range(1, len(letter.signatories) + 1)
        )
    assert classify(doc, letter) in (
        "open_letter",
        "news_article",
        "press_release",
        "government_statement",
        "blog_post",
    )
