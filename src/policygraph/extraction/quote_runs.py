"""A press release's run of quoted paragraphs: which quote an unattributed one continues.

A press release names every new speaker, so a quoted paragraph with no attribution of its own
is the speaker's of the last quote before it (also past a paragraph of paraphrase between
them), or of the run's attributed last paragraph ('"...," said X.'). Used by stance_holders.py
to give such a paragraph's stances to its speaker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .quotes import RawQuote

__all__ = ["continued_quote"]

# a paragraph that opens with a quotation mark, and how far back its speaker is sought
_QUOTE_MARK = re.compile(r"[ \t]*[“\"]")
_PARAGRAPHS = 6
_AHEAD = 4000  # characters of the run after it searched for its attribution


def continued_quote(text: str, quotes: Sequence[RawQuote], pos: int) -> RawQuote | None:
    """The quote the paragraph holding `pos` continues, or None where it is not a quoted
    paragraph without an attribution of its own (or `pos` is inside a found quote)."""
    start = text.rfind("\n", 0, pos) + 1
    stop = text.find("\n", pos)
    stop = stop if stop >= 0 else len(text)
    line = text[start:stop].rstrip()
    # quoted from its first word to its last, or left open for the next paragraph (a quote
    # over several paragraphs closes only on its last): no attribution of its own
    inner = line.lstrip()[1:]
    closed = line.endswith(("”", '"')) or not any(c in inner for c in '”"')
    inside = any(q.start <= pos < q.end for q in quotes)
    if not (_QUOTE_MARK.match(line) and closed) or inside:
        return None
    return _said_before(text, quotes, start) or _said_after(text, quotes, stop)


def _said_before(text: str, quotes: Sequence[RawQuote], start: int) -> RawQuote | None:
    end = start - 1
    for _ in range(_PARAGRAPHS):
        while end > 0 and text[end - 1] == "\n":
            end -= 1  # the blank lines between paragraphs
        if end <= 0:
            return None
        begin = text.rfind("\n", 0, end) + 1
        said = [q for q in quotes if begin <= q.start < end]
        if said:
            return said[-1]
        end = begin - 1
    return None


def _said_after(text: str, quotes: Sequence[RawQuote], stop: int) -> RawQuote | None:
    """The speaker named at the end of the run of quoted paragraphs this one opens."""
    for line in re.finditer(r"[^\n]+", text[stop : stop + _AHEAD]):
        begin, end = stop + line.start(), stop + line.end()
        said = [q for q in quotes if begin <= q.start < end]
        if said:
            return said[0]
        if not _QUOTE_MARK.match(line.group(0)):
            return None  # the run ends unattributed
    return None
