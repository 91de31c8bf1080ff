"""Loading real documents: the seeds, the DRW blog corpus, HTML and PDF fixtures."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from policygraph.errors import DocumentError
from policygraph.loading import SUPPORTED_SUFFIXES, iter_documents, load_document
from policygraph.models import Document
from tests.support import ROOT, SEEDS, require_shared

LETTER_SEED = os.path.join(SEEDS, "004_de020599fd118b6a.txt")
NEWS_SEED = os.path.join(SEEDS, "000_7564b24336da61a9.txt")
FIXTURES = os.path.join(ROOT, "tests", "data", "documents")


def _spans_are_exact(doc: Document) -> None:
    for span in doc.boilerplate:
        assert doc.text[span.start : span.end] == span.text
    for span, _url in doc.links:
        assert doc.text[span.start : span.end] == span.text


# --- the seed letter: Markdown with (slightly broken) YAML front matter in a .txt file ---


def test_seed_letter_metadata_from_front_matter() -> None:
    doc = load_document(LETTER_SEED)
    assert doc.format == "markdown"
    assert doc.meta.title == "Open Letter: Facebook's End-to-End Encryption Plans"
    assert doc.meta.date == "2019-10-04"
    assert doc.meta.authors == ("Digital Rights Watch",)
    assert doc.meta.publisher == "Digital Rights Watch"
    assert doc.meta.categories == ("Media releases", "News")
    assert doc.meta.url == "/2019/10/04/open-letter-facebooks-end-to-end-encryption-plans/"


def test_seed_letter_text_is_plain_with_one_signatory_per_line() -> None:
    doc = load_document(LETTER_SEED)
    assert "---" not in doc.text and "title:" not in doc.text
    assert doc.text.startswith("Dear Mr. Zuckerberg,\n")
    assert "OPEN LETTER: FACEBOOK'S END-TO-END SECURITY PLANS" in doc.text.split("\n")
    for markup in ("<a", "</a>", "href", "_Dear", "Sincerely,_", "&#"):
        assert markup not in doc.text
    after = doc.text.split("Sincerely,\n", 1)[1]
    lines = [line for line in after.split("\n") if line.strip()]
    assert len(lines) == 58
    assert lines[0] == "AfroLeadership"
    assert lines[-1] == "Vrijschrift"
    assert "Internet Society – Bulgaria" in lines


def test_seed_letter_link_keeps_anchor_text_and_target() -> None:
    doc = load_document(LETTER_SEED)
    _spans_are_exact(doc)
    (span, url), *_ = doc.links
    assert (
        span.text == "requests from the United States, United Kingdom, and Australian governments"
    )
    assert url == "https://cdt.org/files/2019/10/US-UK-Australia-letter-to-Zuckerberg-10-4-19.pdf"


# --- the seed news article: text scraped from MediaNama with its site furniture ---


def test_seed_news_metadata() -> None:
    doc = load_document(NEWS_SEED)
    assert doc.format == "text"
    assert doc.meta.title == (
        "‘We support you on end-to-end encryption,’ 58 civil society organisations to Facebook"
    )
    assert doc.meta.date is None  # the "© 2008-2021" footer is not a publication date
    assert doc.meta.publisher == "MediaNama"


def test_seed_news_boilerplate_covers_furniture_not_the_article() -> None:
    doc = load_document(NEWS_SEED)
    _spans_are_exact(doc)

    def covered(phrase: str) -> bool:
        at = doc.text.index(phrase)
        return doc.in_boilerplate(at, at + len(phrase))

    for furniture in (
        "wordpress blog stats",
        "Hi, what are you looking for?",
        "Advertisement. Scroll to continue reading.",
        "You May Also Like",
        "Gautam Adani",
        "Mixed Bag Media",
        "Subscribe to our daily newsletter",
    ):
        assert covered(furniture), furniture
    for article in (
        "58 civil society organisations to Facebook",
        "Pakistani organisation Bolo Bhi also signed the letter.",
        "Electronic Frontier Foundation (EFF)",
        "Raman Jit Singh Chima, Asia Policy Director at Access Now",
        "Risk to journalists",
    ):
        assert not covered(article), article
    # The text is kept whole so offsets into the original stay valid.
    assert "Gautam Adani" in doc.text


def test_same_text_under_two_names_has_the_same_hash(tmp_path: Path) -> None:
    a = tmp_path / "one.txt"
    b = tmp_path / "sub" / "other-name.md"
    b.parent.mkdir()
    shutil.copy(LETTER_SEED, a)
    shutil.copy(LETTER_SEED, b)
    first, second = load_document(a), load_document(b)
    assert first.content_hash == second.content_hash
    assert first.content_hash == hashlib.sha256(first.text.encode("utf-8")).hexdigest()
    assert load_document(NEWS_SEED).content_hash != first.content_hash


def test_root_makes_the_path_relative(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    shutil.copy(NEWS_SEED, tmp_path / "docs" / "news.txt")
    doc = load_document(tmp_path / "docs" / "news.txt", root=tmp_path)
    assert doc.path == os.path.join("docs", "news.txt")


# --- the DRW blog corpus ---

# Posts with nothing to read once markup is gone: each is reported, not loaded.
DRW_EMPTY = {
    "2016-08-05-address-privacy-concerns-in-the-census.md": "an embedded petition widget only",
    "2016-08-12-restore-faith-in-the-census.md": "an embedded petition widget only",
    "2018-05-30-.md": "a draft stub with front matter only",
    "2022-06-20-end-warrantless-device-searches-at-border.md": "a redirect to another site",
    "2025-09-09-ai-submission-generator.md": "a tool page rendered by a layout",
    "_index.md": "Hugo's section index page",
}


def test_every_drw_post_loads_or_is_explained() -> None:
    corpus = require_shared("corpus", "drw")
    items = list(iter_documents([corpus]))
    errors = [i for i in items if isinstance(i, DocumentError)]
    docs = [i for i in items if isinstance(i, Document)]
    assert {os.path.basename(e.path) for e in errors} == set(DRW_EMPTY)
    assert all("empty document" in e.problem for e in errors)
    assert len(docs) == 456 - len(DRW_EMPTY)
    # authors/ holds profiles, not posts; gold.yaml and the checker are not documents.
    assert not any(os.sep + "authors" + os.sep in d.path for d in docs)
    assert {d.meta.publisher for d in docs} == {"Digital Rights Watch"}
    assert all(d.meta.date for d in docs)
    assert all(d.meta.title for d in docs)
    paths = [d.path for d in docs]
    assert paths == sorted(paths)


def test_drw_authors_resolve_through_the_authors_folder() -> None:
    blog = require_shared("corpus", "drw", "blog")
    by_org = load_document(
        os.path.join(blog, "2017-11-06-an-open-letter-to-attorney-general-george-brandis.md")
    )
    assert by_org.meta.authors == ("Digital Rights Watch",)
    sam = [
        d
        for d in iter_documents([blog])
        if isinstance(d, Document) and d.meta.authors == ("Samantha Floreani",)
    ]
    assert len(sam) == 105
    assert {d.meta.publisher for d in sam} == {"Digital Rights Watch"}


def test_drw_post_published_early_morning_in_australia_takes_the_local_date() -> None:
    # front matter 2017-06-25T20:00:04+00:00 is 06:00 on the 26th in Sydney; the permalink
    # (/2017/06/26/) and the file name carry the site's own date.
    path = require_shared(
        "corpus", "drw", "blog", "2017-06-26-defend-privacy-and-encryption-from-the-five-eyes.md"
    )
    assert load_document(path).meta.date == "2017-06-26"


def test_drw_signatory_list_loses_bullets_bold_and_zero_width_spaces() -> None:
    path = require_shared(
        "corpus", "drw", "blog", "2017-11-06-an-open-letter-to-attorney-general-george-brandis.md"
    )
    doc = load_document(path)
    lines = doc.text.split("\n")
    assert "Jennifer Robinson, human rights lawyer, Doughty Street Chambers" in lines
    assert "Scott Ludlam, writer, graphic designer, activist" in lines
    assert "Dr Giordano Nanni, founder Juice Media" in lines
    for junk in ("\u200b", "**", "  * "):
        assert junk not in doc.text


def test_supported_suffixes_cover_every_loader() -> None:
    assert {".md", ".txt", ".html", ".htm", ".pdf"} <= set(SUPPORTED_SUFFIXES)


# --- HTML ---


def test_html_page_main_text_and_metadata() -> None:
    doc = load_document(os.path.join(FIXTURES, "news_page.html"))
    assert doc.format == "html"
    assert doc.meta.title == "Groups urge ministers to drop encryption backdoor plan"
    assert doc.meta.date == "2021-03-15"
    assert doc.meta.authors == ("Jane Reporter",)
    assert doc.meta.publisher == "Example Tech News"
    assert "“exceptional access”" in doc.text  # entities decoded
    assert "said Maria Example, policy director" in doc.text
    for furniture in (
        "Tracking Corp",  # script
        "font-family",  # style
        "Iframe Advertiser",  # iframe
        "Navigation Weekly",  # nav
        "Sidebar Teaser Company",  # aside
        "Example Media Holdings",  # footer
    ):
        assert furniture not in doc.text, furniture
    _spans_are_exact(doc)
    assert [(s.text, url) for s, url in doc.links] == [
        ("Access Now", "https://www.accessnow.org/"),
        ("Electronic Frontier Foundation", "https://www.eff.org/"),
    ]


def test_html_detected_from_content_whatever_the_name(tmp_path: Path) -> None:
    misnamed = tmp_path / "saved-page.txt"
    shutil.copy(os.path.join(FIXTURES, "news_page.html"), misnamed)
    assert load_document(misnamed).format == "html"


# --- PDF ---

LEFT_COLUMN = [
    "Access Now",
    "ARTICLE 19",
    "Bolo Bhi",
    "Digital Rights Watch",
    "Electronic Frontier Foundation",
]
RIGHT_COLUMN = [
    "Fight for the Future",
    "Human Rights Watch",
    "Internet Society",
    "Open Rights Group",
    "SHARE Foundation",
]


def letter_pdf() -> bytes:
    """A one-page letter: prose, then a two-column signatory list, then a full-width note."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title("Open letter on encryption")
    pdf.set_author("Encryption Coalition")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(
        0,
        6,
        "Dear Minister,\nWe write to urge you to protect end-to-end encryption and to reject "
        "any proposal for exceptional access to the content of private messages.",
    )
    pdf.ln(4)
    pdf.cell(0, 6, "Signed,", new_x="LMARGIN", new_y="NEXT")
    top = pdf.get_y()
    for i, (left, right) in enumerate(zip(LEFT_COLUMN, RIGHT_COLUMN, strict=True)):
        pdf.set_xy(20, top + i * 7)
        pdf.cell(80, 6, left)
        pdf.set_xy(115, top + i * 7)
        pdf.cell(80, 6, right)
    pdf.set_xy(20, top + len(LEFT_COLUMN) * 7 + 6)
    pdf.multi_cell(0, 6, "Contact: the coalition secretariat, who answers press questions.")
    return bytes(pdf.output())


def test_pdf_letter_reads_two_column_signatories_column_by_column(tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    path.write_bytes(letter_pdf())
    doc = load_document(path)
    assert doc.format == "pdf"
    assert doc.meta.title == "Open letter on encryption"
    assert doc.meta.authors == ("Encryption Coalition",)
    lines = doc.text.split("\n")
    assert lines[0] == "Dear Minister,"
    start = lines.index("Signed,") + 1
    assert lines[start : start + 10] == LEFT_COLUMN + RIGHT_COLUMN
    assert lines[start + 10].startswith("Contact: the coalition secretariat")


def test_pdf_detected_from_magic_bytes_not_the_name(tmp_path: Path) -> None:
    path = tmp_path / "download"  # no suffix at all
    path.write_bytes(letter_pdf())
    assert load_document(path).format == "pdf"


# --- Markdown markup ---


def test_markdown_markup_is_stripped_and_links_recorded(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text(
        "# Groups &amp; coalitions write to the minister\n"
        "\n"
        '{{< figure src="/img/letter.png" >}}\n'
        'The letter was led by [Access Now][an] and **[EFF](https://www.eff.org/ "EFF")**,\n'
        "with _support_ from <a href='https://openrightsgroup.org'>Open&nbsp;Rights "
        "Group</a>.\n"
        "<!-- an editor's note that readers never see -->\n"
        "<script>var tracker = 'Tracking Corp';</script>\n"
        "\n"
        "  * **Jennifer Robinson**\u200b, human rights lawyer\n"
        "  * Scott Ludlam\u200b, writer\n"
        "\n"
        "[an]: https://www.accessnow.org/\n",
        encoding="utf-8",
    )
    doc = load_document(path)
    assert doc.meta.title == "Groups & coalitions write to the minister"
    assert doc.text.split("\n") == [
        "Groups & coalitions write to the minister",
        "",
        "The letter was led by Access Now and EFF,",
        "with support from Open Rights Group.",
        "",
        "Jennifer Robinson, human rights lawyer",
        "Scott Ludlam, writer",
    ]
    _spans_are_exact(doc)
    assert [(s.text, url) for s, url in doc.links] == [
        ("Access Now", "https://www.accessnow.org/"),
        ("EFF", "https://www.eff.org/"),
        ("Open Rights Group", "https://openrightsgroup.org"),
    ]


# --- publishers and authors from the site's own files ---


def _post(
    folder: Path, name: str, front: str, body: str = "Some words about encryption.\n"
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    return path


def test_authors_folder_gives_names_and_the_organisation_as_publisher(tmp_path: Path) -> None:
    authors = tmp_path / "authors"
    _post(
        authors, "pln.md", "name: Privacy League Network\nusername: pln\nweb: https://pln.example\n"
    )
    _post(
        authors,
        "ann.md",
        "name: Ann Example\nusername: ann\nrole: Director\nemail: ann@pln.example\n",
    )
    _post(authors, "bob.md", "name: Bob Person\nusername: bob\n")  # no role, not the org
    blog = tmp_path / "blog"
    by_ann = load_document(_post(blog, "a.md", "title: A\nauthors: [ann]\ndate: 2020-02-03\n"))
    by_org = load_document(_post(blog, "b.md", "title: B\nauthors: [pln]\n"))
    by_guest = load_document(_post(blog, "c.md", "title: C\nauthor: guest-writer\n"))
    assert by_ann.meta.authors == ("Ann Example",)
    assert by_org.meta.authors == ("Privacy League Network",)
    assert by_guest.meta.authors == ("guest-writer",)  # no profile: taken literally
    assert {d.meta.publisher for d in (by_ann, by_org, by_guest)} == {"Privacy League Network"}


def test_no_organisation_profile_means_no_guessed_publisher(tmp_path: Path) -> None:
    _post(tmp_path / "authors", "bob.md", "name: Bob Person\nusername: bob\n")
    _post(tmp_path / "authors", "cy.md", "name: Cy Other\nusername: cy\nrole: Editor\n")
    doc = load_document(_post(tmp_path / "blog", "a.md", "title: A\nauthors: [bob, cy]\n"))
    assert doc.meta.authors == ("Bob Person", "Cy Other")
    assert doc.meta.publisher is None


def test_site_settings_file_names_the_publisher(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("publisher: Example Watch\nsite: example.org\n")
    post = load_document(_post(tmp_path / "posts", "a.md", "title: A\nauthor: Jo Writer\n"))
    pasted = tmp_path / "posts" / "pasted.txt"
    pasted.write_text("Statement on encryption\n\nWe oppose backdoors.\n", encoding="utf-8")
    assert post.meta.publisher == "Example Watch"
    assert post.meta.site == "example.org"
    assert post.meta.authors == ("Jo Writer",)
    assert load_document(pasted).meta.publisher == "Example Watch"
    stated = load_document(_post(tmp_path / "posts", "b.md", "title: B\npublisher: Other Org\n"))
    assert stated.meta.publisher == "Other Org"  # the document's own word wins


def test_hugo_config_title_is_the_publisher(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text(
        'baseURL = "https://rights.example.org/"\ntitle = "Rights Example"\n'
    )
    doc = load_document(_post(tmp_path / "content" / "blog", "a.md", "title: A\n"))
    assert doc.meta.publisher == "Rights Example"
    assert doc.meta.site == "rights.example.org"


def test_markdown_escapes_tables_and_email_autolinks(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text(
        "Said \\[the member] was \\*not\\* there \\#1.\n"
        "Read [the report](https://en.wikipedia.org/wiki/Act_(2018)) now.\n"
        "Email <media@example.org> for comment.\n"
        "\n"
        "| Organisation | Position |\n"
        "|--------------|---------:|\n"
        "| Access Now   | Oppose   |\n",
        encoding="utf-8",
    )
    doc = load_document(path)
    assert doc.text.split("\n") == [
        "Said [the member] was *not* there #1.",
        "Read the report now.",
        "Email media@example.org for comment.",
        "",
        "Organisation\tPosition",
        "Access Now\tOppose",
    ]
    assert [url for _, url in doc.links] == [
        "https://en.wikipedia.org/wiki/Act_(2018)",
        "mailto:media@example.org",
    ]


def test_html_letter_keeps_one_signatory_per_line() -> None:
    doc = load_document(os.path.join(FIXTURES, "letter_page.html"))
    assert doc.meta.title == "Open letter to the Minister"
    assert doc.meta.publisher == "Rights Org"  # "Headline | Site" in the page's <title>
    lines = doc.text.split("\n")
    start = lines.index("Signed,") + 1
    assert lines[start:] == [
        "Access Now",
        "ARTICLE 19",
        "Bolo Bhi, Pakistan",
        "Electronic Frontier Foundation",
        "Human Rights Watch",
        "Internet Society",
    ]
    assert "Home" not in lines and "© 2021 Rights Org" not in doc.text


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2019-10-04T13:08:06+00:00", "2019-10-04"),
        ("2019-10-04", "2019-10-04"),
        ("'4 October 2019'", "2019-10-04"),
        ("'October 4, 2019'", "2019-10-04"),
        ("2019", "2019"),
    ],
)
def test_front_matter_dates(tmp_path: Path, written: str, iso: str) -> None:
    doc = load_document(_post(tmp_path, "post.md", f"title: T\ndate: {written}\n"))
    assert doc.meta.date == iso
