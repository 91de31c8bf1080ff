"""Paragraphs and sentences of a document's text, with offsets into `Document.text`."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "split_sentences"]

# A blank line, a list bullet or a heading starts a new paragraph.
_PARA = re.compile(r"\n\s*\n|\n(?=\s*(?:[*•\-]\s|#|\d+\.\s))")
# Full stops after these words do not end a sentence ("Mr. Zuckerberg", "U.S. government").
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Inc|Ltd|Pty|No|vs|etc|e\.g|i\.e|Jr|Sr)|\b[A-Z])\.$"
)
_END = re.compile(r"[.!?][\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9_*])")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int  # index of the paragraph, to find what a sentence's paragraph is about


# A salutation or a heading in capitals on a line of its own ends there, whether the format
# set a blank line after it (Markdown) or a single line break (HTML, PDF).
_STANDALONE_LINE = re.compile(
    # (a capital looked for ahead, then one run to the line's end: the two runs around a
    # capital, `[^a-z\n]*[A-Z][^a-z\n]*`, took quadratic time on a long all-caps line)
    r"^(?:(?i:dear)\s[^\n]{1,120}[,:][ \t]*|(?=[^a-z\n]*[A-Z])[^a-z\n]*)(?=\n)",
    re.M,
)


def split_sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    para_start = 0
    bounds = sorted(
        {m.start() for m in _PARA.finditer(text)}
        | {m.end() for m in _STANDALONE_LINE.finditer(text) if len(m.group(0).split()) >= 2}
        | {len(text)}
    )
    for index, para_end in enumerate(bounds):
        pos = para_start
        for m in _END.finditer(text, para_start, para_end):
            if _ABBREV.search(text[max(para_start, m.start() - 6) : m.start() + 1]):
                continue
            _add(out, text, pos, m.end(), index)
            pos = m.end()
        _add(out, text, pos, para_end, index)
        para_start = para_end
    return out


def _add(out: list[Sentence], text: str, start: int, end: int, para: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    s = start + lead
    out.append(Sentence(s, s + len(stripped), stripped, para))
