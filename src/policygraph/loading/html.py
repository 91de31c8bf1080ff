"""HTML pages: trafilatura finds the article (dropping navigation, scripts, teasers) and its
metadata; lxml supplies the links, located in the extracted text in document order.
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
from policygraph.loading.markdown import ZERO_WIDTH, alt_name
from policygraph.models import Document, DocumentMeta, Span

__all__ = ["load_html"]

# Elements that are never article text, for the fallback when trafilatura finds no article.
_FURNITURE = (
    "script",
    "style",
    "noscript",
    "iframe",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "svg",
)
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
    for element in tree.iter(*_FURNITURE):
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
        if any(a.tag in _FURNITURE for a in anchor.iterancestors()):
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


_LIST_ITEM_MAX_WORDS = 14
_HEADING_MAX_WORDS = 6
_TAB_ROW = re.compile(r"\btab(?:list|s)?\b", re.I)
_HEADINGS = ("h2", "h3", "h4", "h5", "h6", "p", "strong")
_NAME_LIST_CLASSES = re.compile(r"menu|nav|share|social|breadcrumb|pagination|tags", re.I)


def _item_name(item: Any) -> str:
    """A list item's name: its text, or the alt text of the image it holds (a logo)."""
    text = " ".join(item.text_content().split())
    if text:
        return text
    alts = [alt_name(img.get("alt", "")) for img in item.iter("img")]
    return " ".join(a for a in alts if a)


def _in_furniture(element: Any) -> bool:
    return any(
        a.tag in _FURNITURE or _NAME_LIST_CLASSES.search(a.get("class") or "")
        for a in (element, *element.iterancestors())
    )


def _visible_text(element: Any) -> str:
    """The element's text without its furniture (the buttons of a row of tabs)."""
    if element.tag in _FURNITURE:
        return ""
    clone = lxml.html.fromstring(lxml.html.tostring(element, with_tail=False))
    for inner in list(clone.iter(*_FURNITURE)):
        if inner is not clone:
            inner.drop_tree()
    return " ".join(clone.text_content().split())


def _names_of(lst: Any) -> list[str]:
    return [_item_name(li) for li in lst.iter("li")]


def _lead_in(element: Any, body_lines: frozenset[str]) -> tuple[str, list[str]]:
    """What comes before a list: the nearest text to put it back after (a paragraph, or the
    last name of the list above it) and the short headings between ("Signatories",
    "Organisations"), which the article extractor may have dropped with the list. A list
    first in its box (a tab panel) is looked past to what comes before the box."""
    headings: list[str] = []
    for node in (element, *element.iterancestors()):
        if node.tag in ("body", "html"):
            break
        for sib in node.itersiblings(preceding=True):
            boxed = [sib] if sib.tag in ("ul", "ol") else list(sib.iter("ul", "ol"))
            if boxed:  # a list above (perhaps in a box of its own, a tab panel)
                names = [n for n in _names_of(boxed[-1]) if n]
                if not names:
                    continue  # a row of logos without alt text: look past it
                return names[-1], headings
            text = _visible_text(sib)
            if not text or _TAB_ROW.search(sib.get("role") or sib.get("class") or ""):
                continue  # a row of tabs, an empty box
            if text in body_lines:
                return text, headings  # a heading the body kept: the list goes under it
            if sib.tag in _HEADINGS and len(text.split()) <= _HEADING_MAX_WORDS:
                headings.insert(0, text)
                continue
            return text, headings
    return "", headings


def _name_lists(tree: Any, body: str) -> list[tuple[str, list[str]]]:
    """Lists of names the article extractor drops as link-dense navigation: `<ul><li><a>`
    lists after a paragraph of the article (with the headings over them), and a heading
    ("Supporting organizations:", "Signatories") over a row of logos with alt text. Each as
    (text before it, lines: headings, then names)."""
    out: list[tuple[str, list[str]]] = []
    body_lines = frozenset(line.strip() for line in body.split("\n") if line.strip())
    for lst in tree.iter("ul", "ol"):
        if _in_furniture(lst):
            continue
        names = _names_of(lst)
        if (
            len(names) >= 2
            and all(names)
            and all(len(n.split()) <= _LIST_ITEM_MAX_WORDS and not n.endswith(".") for n in names)
        ):
            before, headings = _lead_in(lst, body_lines)
            out.append((before, [*headings, *names]))
    for heading in tree.iter(*_HEADINGS):
        title = " ".join(heading.text_content().split())
        if len(title.split()) > _HEADING_MAX_WORDS or _in_furniture(heading):
            continue
        if not title.endswith(":") and heading.tag in ("p", "strong"):
            continue  # a short paragraph is a heading over logos only when it ends in ":"
        alts: list[str] = []
        for sib in heading.itersiblings():
            imgs = [sib] if sib.tag == "img" else list(sib.iter("img"))
            found = [alt_name(i.get("alt", "")) for i in imgs if i.get("alt", "").strip()]
            if not found or " ".join(sib.text_content().split()):
                break
            alts += found
        if alts:
            out.append((title, [title, *alts]))
    return out


def _restore_name_lists(tree: Any, body: str) -> str:
    """The body with the name lists it lacks put back, one name a line, after the paragraph
    that introduces them (or at the end when that paragraph is not in the body either)."""
    for before, lines in _name_lists(tree, body):
        folded = " ".join(body.split())
        missing = [n for n in lines if n not in folded]
        if not missing:
            continue  # the extractor kept them (perhaps over several lines)
        at = body.rfind(before) if before else -1
        if at >= 0 and lines[0] == before:
            lines = lines[1:]  # the heading over the logos is in the body: they go under it
        block = "\n".join(lines)
        if at >= 0:
            end = body.find("\n", at + len(before))
            end = len(body) if end < 0 else end
            body = f"{body[:end]}\n\n{block}\n{body[end:]}"
        else:
            body = f"{body.rstrip()}\n\n{block}"
    return body


_TABLE_ROW = re.compile(r"^\|(.*)\|$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")


def _table_rows(body: str) -> str:
    """trafilatura writes tables as Markdown ("| Orchid | Germany |"): cells become
    tab-separated, as the Markdown loader has them; a header row (the one above the rule)
    becomes a heading ("Organisation / Country:")."""
    lines = body.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        if _TABLE_RULE.match(line.strip()):
            continue
        m = _TABLE_ROW.match(line.strip())
        if m is None:
            out.append(line)
            continue
        cells = [c.strip() for c in m.group(1).split("|")]
        header = i + 1 < len(lines) and bool(_TABLE_RULE.match(lines[i + 1].strip()))
        out.append(" / ".join(cells) + ":" if header else "\t".join(c for c in cells if c))
    return "\n".join(out)


def _cell_rows(table: Any) -> list[tuple[bool, list[str]]]:
    """A table's rows as (header row, cell texts), cells in order."""
    rows: list[tuple[bool, list[str]]] = []
    for tr in table.iter("tr"):
        cells = [c for c in tr if c.tag in ("td", "th")]
        texts = [" ".join(c.text_content().split()) for c in cells]
        rows.append((bool(cells) and all(c.tag == "th" for c in cells), texts))
    return rows


def _restore_table_rows(tree: Any, body: str) -> str:
    """A table the extractor wrote one cell a line ("Orchid" / "Germany" / "Tern Labs" / ...)
    back as rows: cells tab-separated, a header row as a heading ("Organisation / Country:"),
    as `_table_rows` has them; so a signer and its country stay on one line."""
    for table in tree.iter("table"):
        if _in_furniture(table) or table.find(".//table") is not None:
            continue
        rows = [(h, [c for c in cells if c]) for h, cells in _cell_rows(table)]
        rows = [(h, cells) for h, cells in rows if cells]
        if len(rows) < 2 or all(len(cells) < 2 for _, cells in rows):
            continue
        run = "\n".join(c for _, cells in rows for c in cells)
        at = body.find(run)
        if at < 0 or (at > 0 and body[at - 1] != "\n"):
            continue
        lines = [" / ".join(c) + ":" if h else "\t".join(c) for h, c in rows]
        body = body[:at] + "\n".join(lines) + body[at + len(run) :]
    return body


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
    body = _table_rows(body)
    body = _restore_table_rows(tree, body)
    body = _restore_name_lists(tree, body)

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
