"""Letters a document links to: the letter a letter answers, and letters a post announces.

A letter that answers another links it inside its own text (a link whose words or file name
say "letter", "request", "statement" ..., the file name often dated); a press release links
the open letter it announces without reproducing it. Both become LetterRefs read from
Document.links and the cues of data/document_kinds.yaml, apart from the reading of the
reproduced letter itself (letters.py).
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlparse

from ..models import Document, LetterFinding, LetterRef, Mention
from .letter_cues import cues
from .lexicon import find_countries

__all__ = ["announced_letters", "responds_to"]

# --- answered letters ------------------------------------------------------------------------


def _file_date(url: str) -> str | None:
    name = unquote(urlparse(url).path.rsplit("/", 1)[-1])
    for fd in cues().file_dates:
        m = fd.pattern.search(name)
        if not m:
            continue
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        if y < 100:
            y += 2000
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def responds_to(
    doc: Document, region: tuple[int, int], addressees: tuple[Mention, ...]
) -> tuple[LetterRef, ...]:
    c = cues()
    out: list[LetterRef] = []
    for span, url in doc.links:
        if not (region[0] <= span.start and span.end <= region[1]):
            continue
        name = unquote(urlparse(url).path.rsplit("/", 1)[-1])
        haystack = f"{span.text} {name}".casefold()
        if not any(cue in haystack for cue in c.respond_cues):
            continue
        authors = find_countries(span.text) or find_countries(re.sub(r"[-_]", " ", name))
        out.append(
            LetterRef(
                description=span.text,
                span=span,
                authors=authors,
                addressed_to=tuple(m.name for m in addressees),
                date=_file_date(url),
                link=url,
            )
        )
    return tuple(out)


def announced_letters(doc: Document, letter: LetterFinding | None) -> tuple[LetterRef, ...]:
    """Letters a document links to without reproducing one ("published an [open letter to
    the Members of the European Parliament](...)"): a press release and its letter."""
    if letter is not None:
        return ()
    c = cues()
    out: list[LetterRef] = []
    seen: set[str] = set()
    for span, url in doc.links:
        if doc.in_boilerplate(span.start, span.end) or not c.announced.search(span.text):
            continue
        if url in seen:  # the same letter linked again further down
            continue
        seen.add(url)
        out.append(LetterRef(description=span.text, span=span, date=doc.meta.date, link=url))
    return tuple(out)
