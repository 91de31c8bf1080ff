"""Metadata from every common header style (invented documents): front matter that holds a
field of the wrong type, TOML, news header lines, reStructuredText, mode lines; a reason for
every file not read."""

from __future__ import annotations

from pathlib import Path

import pytest

from policygraph.errors import DocumentError
from policygraph.loading import iter_documents, load_document
from policygraph.loading.headers import header_rules, read_headers


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_mkdocs_nested_date_and_boolean_published_keep_the_document(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "post.md",
        "---\ntitle: Tern Labs rejects the scanning plan\ndate:\n  created: 2023-05-02\n"
        "  updated: 2023-06-01\npublished: true\n---\n\nTern Labs said no.\n",
    )
    doc = load_document(path)
    assert doc.meta.date == "2023-05-02"
    assert doc.meta.title == "Tern Labs rejects the scanning plan"


def test_a_field_that_is_not_a_date_is_dropped_and_noted(tmp_path: Path) -> None:
    path = _write(tmp_path, "post.md", "---\ntitle: A post\ndate: sometime soon\n---\n\nText.\n")
    doc = load_document(path)
    assert doc.meta.date is None
    assert any("not a date" in n for n in doc.notes)


def test_wordpress_export_keys_and_entities(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "wp.md",
        "---\npost_title: 'Kestrel&#039;s chat plan'\nauthor: Staff Writer\n"
        "post_date: 2017-03-04 10:00:00\npublished: true\n---\n\n<p>Body text here.</p>\n",
    )
    doc = load_document(path)
    assert doc.meta.title == "Kestrel's chat plan"
    assert doc.meta.date == "2017-03-04"
    # a byline that is only a role names no one: neither author nor publisher
    assert doc.meta.authors == ()
    assert doc.meta.publisher is None


def test_front_matter_author_who_is_a_person_is_not_the_publisher(tmp_path: Path) -> None:
    path = _write(tmp_path, "p.md", "---\ntitle: T\nauthor: Mara Quill\n---\n\nText.\n")
    meta = load_document(path).meta
    assert meta.authors == ("Mara Quill",)
    assert meta.publisher is None


def test_toml_front_matter(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "hugo.md",
        '+++\ntitle = "Orchid joins the coalition"\ndate = 2022-11-05T09:00:00Z\n'
        'authors = ["Ivy Marsh"]\n+++\n\nOrchid joined.\n',
    )
    meta = load_document(path).meta
    assert (meta.title, meta.date, meta.authors) == (
        "Orchid joins the coalition",
        "2022-11-05",
        ("Ivy Marsh",),
    )


def test_news_header_lines(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "news.txt",
        "Ministers clash over message scanning\n\n+ Date: 4 October 2019\n+ Author: Jonah Pell\n"
        "+ Source: Harbour Daily\n\nThe minister said on Friday that ...\n",
    )
    meta = load_document(path).meta
    assert meta.date == "2019-10-04"
    assert meta.authors == ("Jonah Pell",)
    assert meta.publisher == "Harbour Daily"
    assert meta.title == "Ministers clash over message scanning"


def test_by_line_names_the_author_not_a_sentence() -> None:
    assert read_headers("Headline here\n\nBy Ada Lind, Example Wire\n\nText.").get("author") == (
        "Ada Lind"
    )
    assert read_headers("By the time the law passed, nobody cared.").get("author") is None


def test_editor_mode_line_is_never_the_title(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "notes.txt",
        "-*- mode: text; coding: utf-8 -*-\nWhy we signed the letter\n\nWe signed it because.\n",
    )
    assert load_document(path).meta.title == "Why we signed the letter"


def test_restructuredtext_is_loaded_with_its_docinfo(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "statement.rst",
        "=======================\nJoint statement on keys\n=======================\n\n"
        ":Date: 2021-07-08\n:Author: Open Lantern Society\n\n"
        ".. image:: logo.png\n   :alt: logo\n\n"
        "We, the undersigned, reject **any** weakening of `encryption "
        "<https://example.org/e2ee>`_.\n\n- Orchid\n- Tern Labs\n",
    )
    doc = load_document(path)
    assert doc.format == "rst"
    assert doc.meta.title == "Joint statement on keys"
    assert doc.meta.date == "2021-07-08"
    assert doc.meta.authors == ("Open Lantern Society",)
    assert "We, the undersigned, reject any weakening of encryption." in doc.text
    assert "image::" not in doc.text and "logo.png" not in doc.text
    assert "\nOrchid\nTern Labs" in doc.text
    (span, url), *_ = doc.links
    assert (doc.text[span.start : span.end], url) == ("encryption", "https://example.org/e2ee")


def test_every_document_file_not_read_has_a_reason(tmp_path: Path) -> None:
    _write(tmp_path, "a.md", "---\ntitle: A\n---\n\nText.\n")
    (tmp_path / "letter.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG")
    items = list(iter_documents(tmp_path))
    errors = [i for i in items if isinstance(i, DocumentError)]
    assert len(items) == 2
    assert len(errors) == 1 and errors[0].path.endswith("letter.docx")
    assert "Word" in errors[0].problem


def _examples() -> list[tuple[str, str, str | None]]:
    rules = header_rules()
    out: list[tuple[str, str, str | None]] = []
    for rule in rules.fields + rules.not_titles:
        for ex in rule.examples.get("match", []):
            text, value = (ex["text"], ex["value"]) if isinstance(ex, dict) else (ex, "")
            out.append((rule.id, text, value))
        out += [(rule.id, text, None) for text in rule.examples.get("no_match", [])]
    return out


@pytest.mark.parametrize(("rule_id", "text", "value"), _examples())
def test_header_rule_examples(rule_id: str, text: str, value: str | None) -> None:
    rules = header_rules()
    rule = next(r for r in rules.fields + rules.not_titles if r.id == rule_id)
    m = rule.pattern.match(text) if rule in rules.fields else rule.pattern.search(text)
    if value is None:
        assert m is None
    else:
        assert m is not None
        if value:
            assert m.group("value").strip() == value


def _two_page_list_pdf() -> bytes:
    """A letter whose signer list runs over a page break, with a running head and page
    numbers on both pages."""
    from fpdf import FPDF

    pdf = FPDF(format=(105, 148))  # A6, in mm
    pdf.set_auto_page_break(False)
    names = [f"Signer {name} Example" for name in ("Ada", "Bea", "Cal", "Dov", "Eli", "Fay")]
    for page, chunk in enumerate((names[:3], names[3:]), start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=9)
        pdf.cell(0, 5, "Open letter on scanning", new_x="LMARGIN", new_y="NEXT")
        if page == 1:
            pdf.multi_cell(0, 5, "Dear Minister, we oppose the scanning of private messages.")
            pdf.cell(0, 5, "Signatories", new_x="LMARGIN", new_y="NEXT")
        for name in chunk:
            pdf.cell(0, 5, name, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(-15)
        pdf.cell(0, 5, f"Page {page} of 2")
    return bytes(pdf.output())


def test_pdf_signer_list_runs_over_the_page_break_without_page_furniture(
    tmp_path: Path,
) -> None:
    from policygraph.extraction.letters import extract_letter

    path = tmp_path / "letter.pdf"
    path.write_bytes(_two_page_list_pdf())
    doc = load_document(path)
    assert "Page 1 of 2" not in doc.text
    assert doc.text.count("Open letter on scanning") == 0  # a running head on both pages
    letter = extract_letter(doc)
    assert letter is not None
    assert [s.label for s in letter.signatories] == [
        f"Signer {n} Example" for n in ("Ada", "Bea", "Cal", "Dov", "Eli", "Fay")
    ]


HTML_LETTER = """<!doctype html><html><head><title>Open letter on keys | Orchid</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/about">About</a></li></ul></nav>
<article><h1>Open letter on keys</h1>
<p>Dear Ministers,</p>
<p>We, the undersigned organisations and experts, write to urge you to reject any proposal
that would weaken end-to-end encryption or mandate the scanning of private messages.</p>
<p>Such measures would put everyone at risk. We ask you to protect strong encryption.</p>
<p>Signed,</p>
<table><tr><th>Organisation</th><th>Country</th></tr>
<tr><td>Orchid Collective</td><td>Germany</td></tr>
<tr><td>Kestrel Network</td><td>Italy</td></tr></table>
<p>Individual signatories:</p>
<ul><li><a href="https://example.org/ivy">Ivy Marsh</a></li>
<li><a href="https://example.org/jo">Jo Park</a></li></ul>
</article>
<footer><ul><li><a href="/privacy">Privacy</a></li><li><a href="/c">Contact</a></li></ul></footer>
</body></html>"""


def test_html_signer_table_and_link_list_are_kept_as_lines(tmp_path: Path) -> None:
    from policygraph.extraction.letters import extract_letter

    path = _write(tmp_path, "letter.html", HTML_LETTER)
    doc = load_document(path)
    assert "\nIvy Marsh\nJo Park" in doc.text
    assert "Home" not in doc.text and "Privacy" not in doc.text  # menus stay out
    letter = extract_letter(doc)
    assert letter is not None
    assert [(s.label, s.kind, s.country) for s in letter.signatories] == [
        ("Orchid Collective", "organisation", "Germany"),
        ("Kestrel Network", "organisation", "Italy"),
        ("Ivy Marsh", "person", None),
        ("Jo Park", "person", None),
    ]
