"""Signer lists in the layouts of older and odder pages — "Name / role" lines, bare section
titles, two columns of plain text, collective sign-offs, logos, HTML lists under headings —
and signers a press release names in prose. Invented texts (names and bodies made up)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from policygraph.extraction.letters import extract_letter
from policygraph.extraction.lexicon import is_person_name
from policygraph.extraction.linked_letters import reported_signers
from policygraph.extraction.signatories import parse_signatory_line
from policygraph.loading import load_document
from policygraph.loading.markdown import alt_name, strip_markdown
from policygraph.models import Document, DocumentMeta, LetterFinding

BODY = (
    "We write to oppose the proposal to scan private messages. It would weaken the security\n"
    "of everyone who relies on encrypted services, and it would not make children safer.\n"
)


def letter_of(text: str) -> LetterFinding:
    doc = Document(
        "t.md", text, "markdown", DocumentMeta(), hashlib.sha256(text.encode()).hexdigest()
    )
    letter = extract_letter(doc)
    assert letter is not None
    for s in letter.signatories:
        assert doc.text[s.span.start : s.span.end] == s.span.text
        assert s.rule, s
    return letter


def labels(letter: LetterFinding) -> list[str]:
    return [s.label for s in letter.signatories]


# --- "Name / role, affiliation" --------------------------------------------------------------


def test_slash_lines_one_signer_a_paragraph_whatever_their_role() -> None:
    text = (
        "Dear Prime Minister Vell,\n\n" + BODY + "\nRespectfully,\n\nConcerned citizens\n\n"
        "**Mara Quill** / Novelist\n\n"
        "**Jon Vell** / Professor - Universidad de Ejemplo\n\n"
        "**Ada Brisk** / Founder of the Harbor Collective. Advisor to the Tern Council on open "
        "networks and the rights of their users\n\n"
        "**Rev. Dr. Samuel T. Orrin III** / Orchid Fellowship, Chile\n\n"
        "**Lia Marsh** / CTO / Kestrel Labs\n\n"
        "**Pim Okaro** / \n\n"
        "Affiliations are listed for identification purposes\n"
    )
    letter = letter_of(text)
    assert labels(letter) == [
        "Mara Quill",
        "Jon Vell",
        "Ada Brisk",
        "Samuel T. Orrin III",
        "Lia Marsh",
        "Pim Okaro",
    ]
    by = {s.label: s for s in letter.signatories}
    assert by["Mara Quill"].role == "Novelist"
    assert (by["Jon Vell"].role, by["Jon Vell"].affiliation) == (
        "Professor",
        "Universidad de Ejemplo",
    )
    assert by["Samuel T. Orrin III"].country == "Chile"
    assert {s.kind for s in letter.signatories} == {"person"}


def test_a_slash_inside_a_body_name_is_no_separator() -> None:
    entry = parse_signatory_line("TCP / IP Working Group", start=0, position=1)
    assert entry.label == "TCP / IP Working Group"


def test_a_slash_before_a_country_says_where_the_body_is() -> None:
    entry = parse_signatory_line("Orchid Rights Network / Germany", start=0, position=1)
    assert (entry.label, entry.country) == ("Orchid Rights Network", "Germany")


def test_generational_suffix_ends_a_personal_name() -> None:
    assert is_person_name("Samuel T. Orrin III")
    assert is_person_name("Ravi Okaro Jr.")
    assert not is_person_name("III Jr.")


# --- sections, columns, the end of a list ----------------------------------------------------


def test_bare_section_titles_between_blank_lines_open_sections() -> None:
    text = (
        "Dear Mr. President,\n\n" + BODY + "\nSincerely,\n\n"
        "Civil Liberties and Consumer Groups\n\n"
        "  Mara Quill, Harbor Privacy Project\n  Jon Vell, Orchid Rights Network\n\n"
        "Security Researchers and Engineers\n\n"
        "  Ada Brisk, Example University\n  Lia Marsh, Kestrel Labs\n  Pim Okaro, consultant\n\n"
        "Industry and Academia\n\n"
        "  Tam Reyes, Tern Systems Inc.\n  Odo Finch, Example State University\n\n"
        "     (affiliations are for identification purposes only)\n"
    )
    letter = letter_of(text)
    assert labels(letter) == [
        "Mara Quill",
        "Jon Vell",
        "Ada Brisk",
        "Lia Marsh",
        "Pim Okaro",
        "Tam Reyes",
        "Odo Finch",
    ]


def test_signers_one_a_paragraph_are_no_section_titles() -> None:
    text = (
        "Dear Minister,\n\n" + BODY + "\nSincerely,\n\n"
        "Harbor Privacy Project\n\nOrchid Rights Network\n\nKestrel Labs\n"
    )
    assert labels(letter_of(text)) == [
        "Harbor Privacy Project",
        "Orchid Rights Network",
        "Kestrel Labs",
    ]


def test_two_columns_of_plain_text_with_wrapped_names_and_a_cc_block() -> None:
    text = (
        "Dear Mr. President:\n\n" + BODY + "\n                    Sincerely,\n\n"
        "Harbor Privacy Project                 Orchid Systems Inc.\n\n"
        "Kestrel Networks, Inc.                 Example Software Publishers Association of\n"
        "                                       North America\n"
        "Council on Open Networks and\n"
        "Digital Policy, Tern Institute         Juniper Data Corporation\n\n"
        "Example Computer and Office Equipment  Marsh Labs\n"
        "Makers Association\n"
        "                                       Finch Software Company\n"
        "Open Wire Foundation\n\n\n"
        "cc:     Ada Brisk, Office of the President\n"
        "        Jon Vell, National Example Council\n"
    )
    letter = letter_of(text)
    assert sorted(labels(letter)) == sorted(
        [
            "Harbor Privacy Project",
            "Orchid Systems",
            "Kestrel Networks",
            "Example Software Publishers Association of North America",
            "Council on Open Networks and Digital Policy",
            "Juniper Data Corporation",
            "Example Computer and Office Equipment Makers Association",
            "Marsh Labs",
            "Finch Software Company",
            "Open Wire Foundation",
        ]
    )
    assert {s.rule for s in letter.signatories} == {"signers.layout.columns"}
    assert not {"Ada Brisk", "Jon Vell"} & set(labels(letter))


def test_two_signers_on_one_line_and_the_end_mark_of_a_release() -> None:
    text = (
        "Dear Senator,\n\n" + BODY + "\nSincerely,\n\nMara Quill                 Jon Vell\n\n-30-\n"
    )
    assert labels(letter_of(text)) == ["Mara Quill", "Jon Vell"]


def test_a_table_set_out_with_spaces_is_one_signer_a_row() -> None:
    text = (
        "Dear Minister,\n\n" + BODY + "\nSincerely,\n\n"
        "Mara Quill       Professor of Law, Example University\n"
        "Jon Vell         Executive Director, Harbor Privacy Project\n"
        "Ada Brisk        Researcher\n"
        "Orchid Rights Network      Germany\n"
        "Tern Labs                  Portugal\n"
    )
    letter = letter_of(text)
    assert labels(letter) == [
        "Mara Quill",
        "Jon Vell",
        "Ada Brisk",
        "Orchid Rights Network",
        "Tern Labs",
    ]
    assert letter.signatories[0].affiliation == "Example University"
    assert letter.signatories[4].country == "Portugal"


def test_a_sentence_that_looks_like_two_columns_is_prose() -> None:
    text = (
        "Dear Minister,\n\n" + BODY + "\nSincerely,\n\nMara Quill\n\n"
        "We sent this letter to the minister on Monday    and we are waiting for an answer.\n"
    )
    assert labels(letter_of(text)) == ["Mara Quill"]


# --- loaders: logos, lists under headings, indentation ----------------------------------------


def test_markdown_row_of_logos_is_one_signer_each() -> None:
    text, _ = strip_markdown(
        "Signed by:\n\n[![Orchid Rights Network logo](/o.png)](https://o.example) "
        "![Logo of Tern Labs](/t.png) ![Kestrel Labs](/k.png)\n"
    )
    assert text.split("\n")[2:] == ["Orchid Rights Network", "Tern Labs", "Kestrel Labs"]


def test_alt_text_names() -> None:
    assert alt_name("Orchid Rights Network logo") == "Orchid Rights Network"
    assert alt_name("Logo of Tern Labs") == "Tern Labs"
    assert alt_name("Kestrel’s logo") == "Kestrel"
    assert alt_name("Logopedics Institute") == "Logopedics Institute"


def test_markdown_keeps_the_indentation_of_plain_text() -> None:
    text, _ = strip_markdown("Orchid          Tern\n                Kestrel   \n")
    assert text == "Orchid          Tern\n                Kestrel"


HTML_LISTS = """<html><head><title>Joint letter</title></head><body>
<h1>Joint letter against message scanning</h1>
<p>Dear Minister Rask,</p>
<p>We write to oppose the proposal to scan private messages. It would weaken the security of
everyone who relies on encrypted services, and it would not make children safer.</p>
<h2>Signatories</h2>
<div class="tabs"><button>Organisations</button><button>Individuals</button></div>
<h3>Organisations</h3>
<ul><li>Harbor Privacy Project</li><li>Orchid Rights Network</li><li>Tern Labs</li></ul>
<h3>Individuals</h3>
<ul><li>Mara Quill, Professor, Example University</li><li>Jon Vell</li></ul>
<p>For media enquiries, write to the coalition.</p>
</body></html>
"""

HTML_LOGOS = """<html><head><title>Joint statement</title></head><body>
<h1>Joint statement on client-side scanning</h1>
<p>We write to oppose the proposal to scan private messages. It would weaken the security of
everyone who relies on encrypted services, and it would not make children safer.</p>
<h2>Signatories</h2>
<div><img src="a.png" alt="Harbor Privacy Project">
<img src="b.png" alt="Orchid Rights Network logo"><img src="c.png" alt="Tern Labs"></div>
</body></html>
"""

HTML_PANELS = """<html><head><title>Joint letter</title></head><body><main>
<h1>Joint letter against message scanning</h1>
<p>Dear Minister Rask,</p>
<p>We write to oppose the proposal to scan private messages. It would weaken the security of
everyone who relies on encrypted services, and it would not make children safer.</p>
<h2>Signatories</h2>
<div role="tablist"><a href="#orgs">Organisations</a><a href="#people">Individuals</a></div>
<div class="panel" id="orgs"><ul><li><a href="https://h.example">Harbor Privacy Project</a></li>
<li><a href="https://o.example">Orchid Rights Network</a></li></ul></div>
<div class="panel" id="people"><h3>Individuals</h3>
<ul><li>Mara Quill, Professor, Example University</li><li>Jon Vell</li></ul></div>
<p>For media enquiries, write to the coalition.</p>
</main></body></html>
"""

HTML_BREAKS = """<html><head><title>Letter</title></head><body><article>
<p>Dear Commissioner Vell,</p>
<p>We write to oppose the proposal to scan private messages. It would weaken the security of
everyone who relies on encrypted services, and it would not make children safer.</p>
<p>Sincerely,</p>
<p>Harbor Privacy Project<br/>Orchid Rights Network<br>Tern Labs<br />Kestrel Labs (Germany)</p>
</article></body></html>
"""


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            HTML_LISTS,
            [
                ("Harbor Privacy Project", "organisation"),
                ("Orchid Rights Network", "organisation"),
                ("Tern Labs", "organisation"),
                ("Mara Quill", "person"),
                ("Jon Vell", "person"),
            ],
        ),
        (
            HTML_LOGOS,
            [
                ("Harbor Privacy Project", "organisation"),
                ("Orchid Rights Network", "organisation"),
                ("Tern Labs", "organisation"),
            ],
        ),
        (
            HTML_BREAKS,
            [
                ("Harbor Privacy Project", "organisation"),
                ("Orchid Rights Network", "organisation"),
                ("Tern Labs", "organisation"),
                ("Kestrel Labs", "organisation"),
            ],
        ),
        (
            HTML_PANELS,
            [
                ("Harbor Privacy Project", "organisation"),
                ("Orchid Rights Network", "organisation"),
                ("Mara Quill", "person"),
                ("Jon Vell", "person"),
            ],
        ),
    ],
    ids=["lists-under-tabs-and-headings", "logos-under-a-heading", "br-lines", "tab-panels"],
)
def test_html_signer_lists(tmp_path: Path, page: str, expected: list[tuple[str, str]]) -> None:
    path = tmp_path / "letter.html"
    path.write_text(page, encoding="utf-8")
    doc = load_document(str(path))
    letter = extract_letter(doc)
    assert letter is not None
    assert [(s.label, s.kind) for s in letter.signatories] == expected
    assert "For media enquiries" not in " ".join(s.as_written for s in letter.signatories)


# --- signers named in the prose of a release ---------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        (
            "The letter was signed by the Harbor Privacy Project, Tern Labs, and the Orchid "
            "Rights Network.",
            ["Harbor Privacy Project", "Tern Labs", "Orchid Rights Network"],
        ),
        (
            "The coalition was joined by Kestrel Labs, the Juniper Fund and Open Wire in a "
            "letter to the Attorney General.",
            ["Kestrel Labs", "Juniper Fund", "Open Wire"],
        ),
        (
            "Today the Harbor Privacy Project, together with Kestrel Labs, Tern Labs and the "
            "Orchid Rights Network, sent a letter to senators.",
            ["Kestrel Labs", "Tern Labs", "Orchid Rights Network"],
        ),
        (
            "Today, Kestrel Labs, Tern Labs and the Juniper Fund sent a joint letter to the "
            "committee, urging it to drop the bill.",
            ["Kestrel Labs", "Tern Labs", "Juniper Fund"],
        ),
    ],
)
def test_co_signers_named_in_a_release(sentence: str, names: list[str]) -> None:
    text = "Groups urge senators to reject the bill\n\n" + sentence + "\n"
    doc = Document(
        "r.md", text, "markdown", DocumentMeta(), hashlib.sha256(text.encode()).hexdigest()
    )
    found = reported_signers(doc)
    assert found is not None
    ref, _ = found
    assert [s.label for s in ref.signatories] == names
    for s in ref.signatories:
        assert doc.text[s.span.start : s.span.end] == s.span.text


def test_signature_blocks_side_by_side() -> None:
    text = (
        "Dear Chairman Reyes:\n\n" + BODY + "\nSincerely,\n\n"
        "Mara Quill                          Jon Vell\n"
        "Executive Director                  Legislative Counsel\n"
        "Harbor Privacy Project              Orchid Rights Network\n\n"
        "-30-\n"
    )
    letter = letter_of(text)
    assert labels(letter) == ["Mara Quill", "Jon Vell"]
    assert [(s.role, s.affiliation) for s in letter.signatories] == [
        ("Executive Director", "Harbor Privacy Project"),
        ("Legislative Counsel", "Orchid Rights Network"),
    ]


def test_plain_text_headers_underlined_and_addresses_after_names() -> None:
    text = (
        "Dear Senator Reyes:\n\n" + BODY + "\nSincerely,\n\n"
        "Organizations\n-------------\nHarbor Privacy Project\nOrchid Rights Network\n\n"
        "Individuals\n===========\nMara Quill <mquill@example.org>\n/s/ Jon Vell\n"
        "Ada Brisk (abrisk@example.net)\n"
    )
    letter = letter_of(text)
    assert [(s.label, s.kind) for s in letter.signatories] == [
        ("Harbor Privacy Project", "organisation"),
        ("Orchid Rights Network", "organisation"),
        ("Mara Quill", "person"),
        ("Jon Vell", "person"),
        ("Ada Brisk", "person"),
    ]


def test_an_underlined_opener() -> None:
    text = BODY + "\nSIGNATORIES\n-----------\n\nHarbor Privacy Project\nTern Labs\n"
    assert labels(letter_of(text)) == ["Harbor Privacy Project", "Tern Labs"]


def test_a_body_alone_among_one_line_paragraphs_stays_a_signer() -> None:
    text = (
        "Dear Minister,\n\n" + BODY + "\nSincerely,\n\n"
        "Mara Quill / Novelist\n\nHarbor Privacy Project\n\nJon Vell\nDirector, Orchid Rights "
        "Network\n"
    )
    assert labels(letter_of(text)) == ["Mara Quill", "Harbor Privacy Project", "Jon Vell"]


def test_a_one_word_name_before_a_role_is_a_person() -> None:
    text = (
        "Dear Minister,\n\n" + BODY + "\nSincerely,\n\n"
        "Mara Quill / Novelist\n\nOdo / Artist, Chile\n\nJon Vell / Director, Orchid Network\n"
    )
    letter = letter_of(text)
    assert labels(letter) == ["Mara Quill", "Odo", "Jon Vell"]
    odo = letter.signatories[1]
    assert (odo.kind, odo.role, odo.country) == ("person", "Artist", "Chile")


@pytest.mark.parametrize(
    ("line", "role", "affiliation"),
    [
        ("Mara Quill, President of the Orchid Rights League", "President", "Orchid Rights League"),
        (
            "Jon Vell, Director of Harbor Privacy Foundation",
            "Director",
            "Harbor Privacy Foundation",
        ),
        (
            "Ada Brisk, Professor of Law, Example University",
            "Professor of Law",
            "Example University",
        ),
    ],
)
def test_a_role_of_a_body(line: str, role: str, affiliation: str) -> None:
    entry = parse_signatory_line(line, start=0, position=1)
    assert (entry.role, entry.affiliation) == (role, affiliation)


def test_html_logos_inside_markdown_are_their_alt_texts() -> None:
    text, _ = strip_markdown(
        "Supported by:\n\n"
        '<p><a href="https://o.example"><img src="o.png" alt="Orchid Rights Network logo"></a>'
        ' <img src="t.png" alt="Tern Labs"/></p>\n\n'
        'A photo: <img src="x.png" alt="Marchers in a square"> of the march.\n'
    )
    assert "Orchid Rights Network\nTern Labs" in text
    assert "Marchers" not in text  # one picture in a sentence is no row of logos


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Orchid Software Corporation", "company"),
        ("Tern Systems Company", "company"),
        ("Harbor Privacy Project, Inc.", "organisation"),  # a non-profit is incorporated too
    ],
)
def test_company_by_the_last_word_of_its_name(line: str, kind: str) -> None:
    assert parse_signatory_line(line, start=0, position=1).kind == kind


def test_capital_sections_then_signature_blocks_after_a_blank() -> None:
    text = (
        "Dear Mr. President:\n\n" + BODY + "\nSincerely,\n\n"
        "ORGANIZATIONS\n\nHarbor Privacy Project\nOrchid Rights Network\n\n"
        "CRYPTOGRAPHERS AND SECURITY EXPERTS\n\nMara Quill, Example University\n"
        "Jon Vell, Tern Labs\n\n"
        "Ada Brisk\nChief Scientist\nKestrel Labs\n\n"
        "Pim Okaro\nProfessor, Example State University\n"
    )
    letter = letter_of(text)
    assert labels(letter) == [
        "Harbor Privacy Project",
        "Orchid Rights Network",
        "Mara Quill",
        "Jon Vell",
        "Ada Brisk",
        "Pim Okaro",
    ]
    ada = letter.signatories[4]
    assert (ada.role, ada.affiliation) == ("Chief Scientist", "Kestrel Labs")


def test_a_list_still_ends_at_a_blank_line_before_other_names() -> None:
    text = (
        "Dear Minister,\n\n" + BODY + "\nSincerely,\n\nHarbor Privacy Project\n"
        "Orchid Rights Network\n\nTern Labs Newsletter\nKestrel Weekly\n"
    )
    assert labels(letter_of(text)) == ["Harbor Privacy Project", "Orchid Rights Network"]
