"""What the HTML article extractor loses of a page's lists and tables, put back into its text:
name lists it drops as link-dense navigation (list items with links, logos' alt text), tables
it writes a cell a line, and the fields of a list item it runs together. A signer list keeps
one signer a line, with what the page wrote beside the name.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html  # type: ignore[import-untyped]

from policygraph.loading.markdown import alt_name

__all__ = [
    "FURNITURE",
    "restore_name_lists",
    "restore_table_rows",
    "separate_fields",
    "table_rows",
]

# Elements that are never article text, for the fallback when trafilatura finds no article.
FURNITURE = (
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
_LIST_ITEM_MAX_WORDS = 14
_HEADING_MAX_WORDS = 6
_TAB_ROW = re.compile(r"\btab(?:list|s)?\b", re.I)
_HEADINGS = ("h2", "h3", "h4", "h5", "h6", "p", "strong")
_NAME_LIST_CLASSES = re.compile(r"menu|nav|share|social|breadcrumb|pagination|tags", re.I)


def _item_name(item: Any) -> str:
    """A list item's name: its text, or the alt text of the image it holds (a logo)."""
    parts = _field_parts(item)
    if parts:
        return ", ".join(parts)
    text = " ".join(item.text_content().split())
    if text:
        return text
    alts = [alt_name(img.get("alt", "")) for img in item.iter("img")]
    return " ".join(a for a in alts if a)


def _in_furniture(element: Any) -> bool:
    # (the classes of <body> describe the page, "navbar-is-fixed-top", not a menu)
    return any(
        a.tag in FURNITURE or _NAME_LIST_CLASSES.search(a.get("class") or "")
        for a in (element, *element.iterancestors())
        if a.tag not in ("body", "html")
    )


def _visible_text(element: Any) -> str:
    """The element's text without its furniture (the buttons of a row of tabs)."""
    if element.tag in FURNITURE:
        return ""
    clone = lxml.html.fromstring(lxml.html.tostring(element, with_tail=False))
    for inner in list(clone.iter(*FURNITURE)):
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


def restore_name_lists(tree: Any, body: str) -> str:
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


def table_rows(body: str) -> str:
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


def restore_table_rows(tree: Any, body: str) -> str:
    """A table the extractor wrote one cell a line ("Orchid" / "Germany" / "Tern Labs" / ...)
    back as rows: cells tab-separated, a header row as a heading ("Organisation / Country:"),
    as `table_rows` has them; so a signer and its country stay on one line."""
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


_FIELD_BLOCKS = ("div", "p")


def _field_parts(item: Any) -> list[str]:
    """The fields of a list item or cell written as blocks of their own (a name, a role, a
    body: "<li><div>Jo Park</div><div>Librarian</div><div>Orchid College</div></li>"), or []
    when it has fewer than two."""
    blocks = [c for c in item if c.tag in _FIELD_BLOCKS]
    if len(blocks) < 2 or (item.text or "").strip():
        return []
    parts = [" ".join(c.text_content().split()) for c in blocks]
    return parts if all(parts) and len(blocks) == len(item) else []


def separate_fields(tree: Any, body: str) -> str:
    """The extractor runs such fields together ("Jo ParkLibrarianOrchid College") or sets
    them a line each: they are put back on one line, comma-separated, as a signer line
    writes them."""
    cursor = 0
    for item in tree.iter("li", "td"):
        parts = _field_parts(item)
        if not parts or _in_furniture(item):
            continue
        # run together, or one field a line (as the extractor writes a small page)
        for glued in (" ".join("".join(parts).split()), "\n".join(parts)):
            at = body.find(glued, cursor)
            if at >= 0:
                joined = ", ".join(parts)
                body = body[:at] + joined + body[at + len(glued) :]
                cursor = at + len(joined)
                break
    return body
