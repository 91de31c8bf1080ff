"""Pages that are nothing but a signer list (a campaign's "Organizations" or "Individuals who
signed" page), loaded from HTML as a user's folder has them: list items with links, logos'
alt text, a table with a country column, lines of one paragraph, a name a paragraph, tabbed
boxes in columns. Names, places and organisations are invented for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from policygraph.extraction import extract
from policygraph.loading import load_document
from policygraph.models import Findings

ORGS = ["Orchid Rights League", "Tern Labs", "Kestrel Network", "Bittern Foundation"]


def page(tmp_path: Path, title: str, body: str) -> Findings:
    path = tmp_path / "page.html"
    path.write_text(
        f"<!DOCTYPE html><html><head><title>{title}</title></head><body>{body}</body></html>",
        encoding="utf-8",
    )
    doc = load_document(path)
    assert not isinstance(doc, Exception), doc
    found = extract(doc)
    if found.letter is not None:
        for s in found.letter.signatories:
            assert doc.text[s.span.start : s.span.end] == s.span.text
            assert s.rule.startswith("signers."), s
    return found


def signers(found: Findings) -> list[tuple[str, str]]:
    assert found.letter is not None, "the page is not read as a signer list"
    return [(s.label, s.kind) for s in found.letter.signatories]


def test_linked_list_items_under_a_menu_and_a_one_line_introduction(tmp_path: Path) -> None:
    items = "".join(f'<li><a href="https://{i}.example">{n}</a></li>' for i, n in enumerate(ORGS))
    found = page(
        tmp_path,
        "Organizations | Stop Spying Now",
        '<nav><ul><li><a href="/">Home</a></li><li><a href="/people">Individuals</a></li>'
        "</ul></nav><h1>Organizations</h1><p>These organizations have signed the letter.</p>"
        f"<ul>{items}</ul><footer><p>Copyright 2013</p></footer>",
    )
    assert signers(found) == [(n, "organisation") for n in ORGS]
    assert found.kind == "open_letter"
    assert found.letter is not None and found.letter.rule == "signers.page.kind"


def test_people_with_affiliations_take_the_kind_the_heading_names(tmp_path: Path) -> None:
    found = page(
        tmp_path,
        "Individuals",
        "<h1>Individuals</h1><ul><li>Jane Roe, Professor, Example University</li>"
        "<li>John Doe (Example Univ.)*</li><li>Bolo Vance</li><li>Ivo Park</li></ul>"
        "<p>* Affiliations for identification only.</p>",
    )
    assert signers(found) == [
        (n, "person") for n in ("Jane Roe", "John Doe", "Bolo Vance", "Ivo Park")
    ]
    assert found.letter is not None
    first, second = found.letter.signatories[:2]
    assert (first.role, first.affiliation) == ("Professor", "Example University")
    assert second.affiliation == "Example Univ."


def test_logos_alt_text_under_a_heading(tmp_path: Path) -> None:
    logos = "".join(f'<a href="https://x.example"><img src="l.png" alt="{n}"></a>' for n in ORGS)
    found = page(
        tmp_path,
        "Coalition",
        f'<div id="main"><h2>Organizations in support</h2><div>{logos}</div></div>',
    )
    assert [label for label, _ in signers(found)] == ORGS


def test_table_rows_keep_the_country_with_the_signer(tmp_path: Path) -> None:
    rows = "".join(
        f"<tr><td>{n}</td><td>{c}</td></tr>"
        for n, c in zip(ORGS, ["Germany", "Portugal", "France", "Spain"], strict=True)
    )
    found = page(
        tmp_path,
        "Signatories",
        f"<h1>Signatories</h1><table><tr><th>Organisation</th><th>Country</th></tr>{rows}</table>",
    )
    assert [label for label, _ in signers(found)] == ORGS
    assert found.letter is not None
    assert [s.country for s in found.letter.signatories] == [
        "Germany",
        "Portugal",
        "France",
        "Spain",
    ]


@pytest.mark.parametrize(
    "body",
    [
        "<h1>Organizations that signed</h1><p>" + "<br>".join(ORGS) + "</p>",
        "<h1>Who has signed</h1>" + "".join(f"<p>{n}</p>" for n in ORGS),
    ],
    ids=["br-lines", "a-name-a-paragraph"],
)
def test_lines_of_a_paragraph_or_a_name_a_paragraph(tmp_path: Path, body: str) -> None:
    assert [label for label, _ in signers(page(tmp_path, "Signers", body))] == ORGS


def test_tabbed_boxes_in_columns_each_section_its_kind(tmp_path: Path) -> None:
    cols = "".join(
        f"<div class='col'><ul><li>{a}</li><li>{b}</li></ul></div>" for a, b in (ORGS[:2], ORGS[2:])
    )
    found = page(
        tmp_path,
        "Who has signed | Example Campaign",
        "<h1>Who has signed</h1><ul role='tablist'><li><button>Organizations</button></li>"
        "<li><button>Individuals</button></li></ul>"
        f"<div class='tab-panel'><h3>Organizations</h3><div class='row'>{cols}</div></div>"
        "<div class='tab-panel'><h3>Individuals</h3><ul><li>Jane Roe, Example University</li>"
        "<li>Mara Quill</li></ul></div>",
    )
    assert signers(found) == [(n, "organisation") for n in ORGS] + [
        ("Jane Roe", "person"),
        ("Mara Quill", "person"),
    ]


def test_a_heading_over_an_article_is_no_signer_list(tmp_path: Path) -> None:
    found = page(
        tmp_path,
        "Supporters | Example News",
        "<article><h1>Supporters</h1><p>Supporters of the bill gathered outside parliament on"
        " Tuesday, saying the new powers were needed to fight crime.</p><p>Jo Park</p>"
        "<p>Critics said the powers would weaken encryption for everyone and called on the"
        " government to withdraw the bill before the vote.</p></article>",
    )
    assert found.letter is None


def test_fields_written_as_blocks_stay_apart_under_sections_of_a_statement(
    tmp_path: Path,
) -> None:
    # a CMS view: each field of a signer its own <div>, the page's <body> classed "navbar-..."
    people = [
        ("Jo Park", "Access Services Librarian", "Orchid College"),
        ("Ada Lind", "Professor", "Tern University"),
    ]
    items = "".join(
        f"<li><div class='views-field'><strong>{n}</strong></div><div class='views-field'>"
        f"<span>{r}</span></div><div class='views-field'><span>{a}</span></div></li>"
        for n, r, a in people
    )
    orgs = "".join(f"<li><div class='views-field'><strong>{n}</strong></div></li>" for n in ORGS)
    path = tmp_path / "signatories.html"
    path.write_text(
        "<!DOCTYPE html><html><head><title>Signatories to the Position Statement on Lending |"
        " Example</title></head><body class='navbar-is-fixed-top'><nav><ul class='menu'>"
        "<li><a href='/statement'>Statement</a></li><li><a href='/sign'>Sign</a></li></ul></nav>"
        "<h1>Signatories to the Position Statement on Lending</h1>"
        f"<section><h2>Institutional</h2><ul>{orgs}</ul></section>"
        f"<section><h2>Individual</h2><ul>{items}</ul></section></body></html>",
        encoding="utf-8",
    )
    doc = load_document(path)
    assert not isinstance(doc, Exception)
    assert "Jo Park, Access Services Librarian, Orchid College" in doc.text
    assert "Jo ParkAccess" not in doc.text
    letter = extract(doc).letter
    assert letter is not None and letter.rule == "signers.page.signatories-of"
    assert [(s.label, s.kind) for s in letter.signatories] == [
        *[(n, "organisation") for n in ORGS],
        ("Jo Park", "person"),
        ("Ada Lind", "person"),
    ]
    assert letter.signatories[-1].affiliation == "Tern University"


def test_a_long_menu_the_extractor_kept_is_no_part_of_the_list(tmp_path: Path) -> None:
    menu = "".join(
        f"<p>{m}</p>"
        for m in ["About", "The letter", "Press", "Events", "Donate", "Contact", "Blog", "FAQ"]
    )
    names = [*ORGS, "Heron Civil Liberties Union", "Plover Collective", "Egret Alliance"]
    found = page(
        tmp_path,
        "Stop Spying Now",
        f"<div class='top'>{menu}</div><div id='c'><h1>Organizations</h1>"
        + "".join(f"<p>{n}</p>" for n in names)
        + "</div>",
    )
    assert [label for label, _ in signers(found)] == names
