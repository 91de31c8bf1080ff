"""HTML pages: trafilatura finds the article (dropping navigation, scripts, teasers) and its
metadata; lxml supplies the links, located in the extracted text in document order, and the
lists, tables and list items' fields the extractor loses (html_lists.py).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

import lxml.html  # type: ignore[import-untyped]
import trafilatura
from lxml import etree  # type: ignore[import-untyped]

from policygraph.errors import DocumentError
from policygraph.loading.document import make_document
from policygraph.loading.html_lists import (
    FURNITURE,
    restore_name_lists,
    restore_table_rows,
    separate_fields,
    table_rows,
)
from policygraph.loading.markdown import ZERO_WIDTH
from policygraph.models import Document, DocumentMeta, Span

__all__ = ["load_html"]

_BLOCKS = (
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "br",
    "blockquote",
    "section",
    "article",
    "ul",
    "ol",
    "table",
    "pre",
)


_BULLET = re.compile(r"^- (?=\S)")
_TITLE_SEPARATOR = re.compile(r"\s+[|–—·-]\s+")


def _parse(text: str, path: str) -> Any:
    try:
        # lxml refuses str input that declares an encoding: the text is already decoded.
        cleaned = re.sub(r"\A\s*<\?xml[^>]*\?>", "", text)
        return lxml.html.document_fromstring(cleaned)
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(path, f"HTML cannot be parsed: {exc}") from exc


def _fallback_text(tree: Any) -> str:
    tree = lxml.html.fromstring(lxml.html.tostring(tree))
    for element in tree.iter(*FURNITURE):
        element.drop_tree()
    for element in tree.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    body = tree.find("body")
    raw = (body if body is not None else tree).text_content()
    lines = (" ".join(line.split()) for line in raw.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _block_text(anchor: Any) -> str | None:
    """The text of the paragraph (or list item, cell...) the link sits in."""
    for element in anchor.iterancestors():
        if element.tag in _BLOCKS:
            return " ".join(element.text_content().split())
    return None


def _links(tree: Any, text: str) -> tuple[tuple[Span, str], ...]:
    found: list[tuple[Span, str]] = []
    cursor = block_cursor = 0
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        label = " ".join(anchor.text_content().split())
        if not href or not label or href.startswith(("#", "javascript:")):
            continue
        # Menu links ("Home") must not land on the same word in the article ("Home Affairs").
        if any(a.tag in FURNITURE for a in anchor.iterancestors()):
            continue
        # Nor may a by-line link the extractor dropped ("by Digital Rights Watch") land on the
        # same name further down (a signatory): the link's paragraph must be in the text.
        start, end = cursor, len(text)
        block = _block_text(anchor)
        if block and block != label:
            at = text.find(block, block_cursor)
            if at < 0:
                continue
            block_cursor, start, end = at, max(at, cursor), at + len(block)
        m = re.compile(rf"(?<!\w){re.escape(label)}(?!\w)").search(text, start, end)
        if m is None:
            continue
        found.append((Span(m.start(), m.end(), label), href))
        cursor = m.end()
    return tuple(found)


def _site_from_title(page_title: str, title: str | None) -> str | None:
    """ "Headline | Site Name" → "Site Name", when the part before the bar is the headline."""
    if not title:
        return None
    parts = _TITLE_SEPARATOR.split(page_title)
    if len(parts) >= 2 and parts[0].strip() == title and parts[-1].strip() != title:
        return parts[-1].strip() or None
    return None


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def load_html(text: str, path: str) -> Document:
    tree = _parse(text, path)
    try:
        result = trafilatura.bare_extraction(
            text,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            favor_recall=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura surfaces lxml's many error types unwrapped
        raise DocumentError(path, f"HTML cannot be read: {exc}") from exc
    extracted = getattr(result, "text", None) if result is not None else None
    body = extracted if extracted and extracted.strip() else _fallback_text(tree)
    body = unicodedata.normalize("NFC", body.translate(ZERO_WIDTH).replace("\u00a0", " "))
    # trafilatura writes list items as "- item"; Markdown loading drops bullets, so do we.
    body = "\n".join(_BULLET.sub("", line.rstrip()) for line in body.split("\n")).strip("\n")
    body = table_rows(body)
    body = separate_fields(tree, body)
    body = restore_table_rows(tree, body)
    body = restore_name_lists(tree, body)

    def field(name: str) -> str | None:
        value = getattr(result, name, None) if result is not None else None
        return str(value).strip() if isinstance(value, str) and value.strip() else None

    title_el = tree.find(".//title")
    page_title = " ".join(title_el.text_content().split()) if title_el is not None else ""
    title = field("title") or page_title or None
    # The headline is metadata, as a Markdown post's front-matter title is: kept in the text
    # it would read as the first sentence of a reproduced letter.
    first, _, rest = body.partition("\n")
    if title and rest.strip() and first.strip().casefold() == title.casefold():
        body = rest.lstrip("\n")
    author = field("author")
    sitename = field("sitename") or _site_from_title(page_title, title)
    categories = getattr(result, "categories", None) or []
    meta = DocumentMeta(
        title=title,
        date=_iso_date(field("date")),
        authors=tuple(a.strip() for a in author.split(";") if a.strip()) if author else (),
        publisher=sitename or field("hostname"),
        url=field("url"),
        categories=tuple(str(c) for c in categories if str(c).strip()),
        site=field("hostname") or sitename,
    )
    return make_document(path, body, "html", meta, links=_links(tree, body))
