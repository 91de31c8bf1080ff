"""Pages that are nothing but a signer list: a campaign's "Organizations" or "Individuals who
signed" page, the names one a line (list items, logos' alt text, table rows, lines of a
paragraph), perhaps under a one-line introduction, with no letter text on the page.

The page's heading (its title, or one of its first lines) is the cue (`list_pages` of
data/document_kinds.yaml); the signers are collected as any list is (signer_lists.collect),
from the line where the longest list starts, and only when they make most of the page: a page
with a heading such as "Supporters" over an article is not a list.
"""

from __future__ import annotations

import dataclasses
import re

from ..models import ActorKind, Document
from .letter_cues import Line, Rule, bare_text, cues, first_rule, matches
from .lexicon import section_kind
from .signer_lists import Block, Opener, SignerList, collect

__all__ = ["page_list"]

# lines the page's heading, and the list under it, may come after (a site's menu, a banner,
# an introduction)
_HEAD_LINES = 20
_MIN_SIGNERS = 3
_TITLE_PARTS = re.compile(r"\s+[|–—·:-]\s+")


def _heading_rule(text: str) -> tuple[Rule, ActorKind | None] | None:
    """The list-page rule a heading matches, with the kind of signer it names."""
    rule = first_rule(cues().list_pages, text) or first_rule(cues().list_headers, text)
    if rule is None:
        return None
    words = text.split()
    kind = section_kind(text) or next((k for w in words if (k := section_kind(w))), None)
    return rule, kind


def _sentence(text: str) -> bool:
    """An introduction under the heading ("These organizations have signed the letter.")."""
    return len(text.split()) >= 4 and text.rstrip()[-1:] in ".:!?"


def _page_heading(doc: Document, lines: list[Line]) -> tuple[Rule, ActorKind | None, int] | None:
    """The page's title ("Organizations | Stop Spying Now": either part) or one of its first
    lines, when it announces a list; with the index of the line after which the list may
    start (-1 for the title)."""
    titled = next(
        (f for t in _TITLE_PARTS.split(doc.meta.title or "") if (f := _heading_rule(t.strip()))),
        None,
    )
    # the heading in the body: the last of the first run of headings (a menu may name the
    # page too; the sections of the list below it are no page heading)
    at: list[tuple[int, tuple[Rule, ActorKind | None]]] = []
    for i in [i for i, x in enumerate(lines) if not x.blank][:_HEAD_LINES]:
        found = _heading_rule(bare_text(lines[i].text))
        if found is not None:
            at.append((i, found))
        elif at:
            break
    if at:
        i, heading = at[-1]
        return (*(titled or heading), i)
    return (*titled, -1) if titled else None


def _runs(lines: list[Line], opener: Opener) -> SignerList:
    """The list from `opener` on, over the blank lines between its runs (the columns or
    boxes of a page, one run each) and over a single odd line between signers (a long title
    read as a sentence), to the first line after which no signers follow."""
    found = collect(lines, opener)
    while found.blocks and not found.template:
        k = found.end
        while k < len(lines) and lines[k].blank:
            k += 1
        if k >= len(lines) or matches(cues().list_stops, bare_text(lines[k].text)):
            break
        kind = found.blocks[-1].kind
        odd: tuple[Block, ...] = ()
        if k == found.end:  # the list stopped at a line of its own: one signer between others
            odd = (Block((lines[k],), kind, opener.rule),)
        more = collect(lines, dataclasses.replace(opener, index=k if odd else k - 1, section=kind))
        if len(more.blocks) < (_MIN_SIGNERS if odd else 1) or more.template:
            break
        found = dataclasses.replace(found, blocks=found.blocks + odd + more.blocks, end=more.end)
    return found


def page_list(doc: Document, lines: list[Line]) -> SignerList | None:
    """The signer list that is the whole page, or None."""
    heading = _page_heading(doc, lines)
    if heading is None:
        return None
    rule, kind, after = heading
    starts = [
        i
        for i, x in enumerate(lines)
        if i > after
        and not x.blank
        and not _sentence(bare_text(x.text))
        and not cues().page_menu.match(bare_text(x.text))
    ][:_HEAD_LINES]
    best: SignerList | None = None
    for start in starts:
        found = _runs(lines, Opener(start - 1, rule.id, section=kind))
        if found.template or not found.blocks:
            continue
        if best is None or len(found.blocks) > len(best.blocks):
            best = found
    if best is None or len(best.blocks) < _MIN_SIGNERS:
        return None
    menu = cues().page_menu
    page = [
        x
        for x in lines
        if not x.blank
        and not doc.in_boilerplate(x.start, x.end)
        and not menu.match(bare_text(x.text))
    ]
    listed = sum(len(b.lines) for b in best.blocks)
    return best if 2 * listed >= len(page) else None
