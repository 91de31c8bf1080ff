"""Quoted speech and who said it: “…,” said X / X said “…” / Quotes attributable to X.

A quote with no attribution that follows a speaker's quotes in the next paragraphs is given to
that speaker (inferred, lower confidence): media releases quote one person over several
paragraphs. Short quoted phrases without a speaking verb are scare quotes, not quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import ActorKind, Document, Mention, Span

__all__ = ["RawQuote", "find_quotes"]

_OPEN = '“"'
_CLOSE = '”"'
_VERBS = r"(?:said|says|added|told|concluded|stated|explained|warned|argued|continued|noted|wrote)"
_PRE_VERBS = (
    r"(?:(?:has|have|had)\s+)?(?:[a-z]+\s+){0,3}?"
    r"(?:said|says|had|called|described|termed|labell?ed|added|stated|warned|wrote|raise)"
)
_TITLE = r"(?:(?:Mr|Mrs|Ms|Dr|Prof|Professor|Senator)\.?\s+)?"
_NAME = r"[A-Z][\w'’.\-]*(?:[ ]+(?:of[ ]+|for[ ]+)?[A-Z][\w'’.\-]*)*"


@dataclass(frozen=True)
class RawQuote:
    start: int  # inner text, without the quote marks
    end: int
    speaker: str
    speaker_kind: ActorKind
    speaker_mention: Mention | None
    inferred: bool


def _pairs(text: str) -> list[tuple[int, int, int]]:
    """(inner start, inner end, line index) of quote-mark pairs; quotes do not span lines."""
    out: list[tuple[int, int, int]] = []
    pos = 0
    for line_no, line in enumerate(text.split("\n")):
        opened: int | None = None
        for i, ch in enumerate(line):
            if opened is None and ch in _OPEN and (i == 0 or not line[i - 1].isalnum()):
                opened = i
            elif opened is not None and ch in _CLOSE:
                out.append((pos + opened + 1, pos + i, line_no))
                opened = None
        pos += len(line) + 1
    return out


def _mention_at(mentions: tuple[Mention, ...], start: int, end: int) -> Mention | None:
    best = None
    for m in mentions:
        if (
            m.span.start < end
            and start < m.span.end
            and (best is None or len(m.name) > len(best.name))
        ):
            best = m
    return best


_ROLE = (
    r"CEO|Chair|Chairperson|Director|President|Executive|Counsel|Advocate|Candidate|Officer|"
    r"Spokesperson|Spokeswoman|Spokesman|Manager|Minister|Secretary|Founder|Co-founder|Member|"
    r"member|Lead|Researcher|Lawyer"
)
_NOT_FIRST = {
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "It",
    "We",
    "They",
    "He",
    "She",
    "I",
    "Our",
    "Their",
    "What",
    "Why",
    "How",
    "When",
    "If",
    "As",
    "But",
}


def _speaker(
    mentions: tuple[Mention, ...], name: str, start: int, full_name: dict[str, str]
) -> tuple[str, ActorKind, Mention | None] | None:
    """The speaker written at `start`: the actor mention there, or a person the document
    names in full elsewhere ("Ms Gray" → Amy Gray), as a mention of the written form; None
    when the words are not a name ("Overall", "Spotify CEO")."""
    owned = re.match(r"(.+?)['’]s\s+(?=[A-Z])", name)
    m = None if owned else _mention_at(mentions, start, start + len(name))
    if m is not None and not (m.kind != "person" and re.search(rf"\b(?:{_ROLE})\s+[A-Z]", name)):
        return m.name, m.kind, m
    written = re.sub(r"['’]s$", "", name.rstrip("."))
    owner = re.match(r"(.+?)['’]s\s+(?=[A-Z])", written)  # "Digital Rights Watch's Lizzie O'Shea"
    role = re.match(rf"(.*\b(?:{_ROLE}))\s+(?=[A-Z])", written)  # "DRW Chairperson Lizzie O'Shea"
    cut = owner or role
    if cut:
        start += cut.end()
        written = written[cut.end() :].lstrip()
    bare = re.sub(rf"^{_TITLE}", "", written).strip()
    tokens = bare.split()
    full = full_name.get(bare.replace("’", "'"))
    if full is None:
        looks_like_name = (
            2 <= len(tokens) <= 4
            and tokens[0] not in _NOT_FIRST
            and all(re.fullmatch(r"[A-Z][\w'’-]*\.?", t) for t in tokens)
            and not re.search(rf"\b(?:{_ROLE})$", bare)
        )
        if not looks_like_name:
            return None
        full = bare
    known = next((x for x in mentions if x.name == full and x.affiliation), None)
    affiliation = known.affiliation if known else None
    if affiliation is None and owner:
        affiliation = owner.group(1)
    mention = Mention(
        full,
        "person",
        Span(start, start + len(written), written),
        role=known.role if known else None,
        affiliation=affiliation,
    )
    return full, "person", mention


def find_quotes(doc: Document, mentions: tuple[Mention, ...]) -> list[RawQuote]:
    text = doc.text
    people = [m.name for m in mentions if m.kind == "person" and len(m.name.split()) >= 2]
    full_name: dict[str, str] = {}
    for p in people:
        p_key = p.replace("’", "'")
        full_name.setdefault(p_key.split()[-1], p)
        full_name.setdefault(p_key.split()[0], p)
        if len(p.split()) >= 3:  # "Singleton Norton"
            full_name.setdefault(" ".join(p_key.split()[-2:]), p)
    quotes: list[RawQuote] = []
    last: RawQuote | None = None
    lines = text.split("\n")
    line_starts = [0]
    for line in lines:
        line_starts.append(line_starts[-1] + len(line) + 1)
    pairs = _pairs(text)
    # "Quotes attributable to X" headings give X the quotes below them, up to the next heading.
    headings: dict[int, tuple[str, ActorKind, Mention | None] | None] = {
        i: None for i, line in enumerate(lines) if re.match(r"\s*(?:#|\*\*[^*]+\*\*\s*$)", line)
    }
    for hm in re.finditer(rf"Quotes?\s+(?:attributable|attributed)\s+to\s+({_TITLE}{_NAME})", text):
        line_no = text.count("\n", 0, hm.start())
        headings[line_no] = _speaker(mentions, hm.group(1), hm.start(1), full_name)
    last_line = -10
    for start, end, line_no in pairs:
        if doc.in_boilerplate(start, end):
            continue
        above = [h for h in headings if h < line_no]
        heading_speaker = headings[max(above)] if above else None
        inner = text[start:end]
        words = len(inner.split())
        after = text[end + 1 : end + 160]
        line_start = line_starts[line_no]
        before = text[max(line_start, start - 300) : start - 1]
        before = re.split(r"(?<=[.!?])\s+", before)[-1]
        found: tuple[str, ActorKind, Mention | None] | None = None
        m = re.match(
            rf"\s*,?\s*{_VERBS}\s+(?:by\s+)?(?:the\s+)?"
            rf"({_TITLE}{_NAME})",
            after,
        )
        m2 = re.match(rf"\s*,?\s*({_TITLE}{_NAME})(?:,[^,.“\"]{{3,80}},)?\s+{_VERBS}\b", after)
        pre = re.search(
            rf"(?:^|[.;:]\s+)({_TITLE}{_NAME})(?:\s*\([A-Z.]+\))?\s+{_PRE_VERBS}\b"
            rf"[^“\"]*$",
            before,
        )
        if m:
            name = m.group(1)
            # "said Digital Rights Watch board member, Lizzie O’Shea": the person, not the org
            tail = re.match(
                rf"(?:\s+(?:board\s+)?\w+(?:\s+\w+)?)?,\s+({_TITLE}{_NAME})", after[m.end() :]
            )
            mention = _mention_at(mentions, end + 1 + m.start(1), end + 1 + m.end(1))
            if tail and mention is not None and mention.kind != "person":
                found = _speaker(
                    mentions, tail.group(1), end + 1 + m.end() + tail.start(1), full_name
                )
            else:
                found = _speaker(mentions, name, end + 1 + m.start(1), full_name)
        elif m2 and m2.group(1) not in ("He", "She", "They", "It", "We"):
            found = _speaker(mentions, m2.group(1), end + 1 + m2.start(1), full_name)
        elif pre and words >= 3:
            name = pre.group(1)
            offset = start - 1 - len(before) + pre.start(1)
            found = _speaker(mentions, name, offset, full_name)
        inferred = False
        starts_line = _is_quote_line(lines[line_no])
        if (
            found is None
            and last is not None
            and (words >= 8 or (line_no == last_line and words >= 3))
        ):
            same_para = line_no == last_line
            next_para = line_no - last_line <= 2 and not any(
                lines[i].strip() and not _is_quote_line(lines[i])
                for i in range(last_line + 1, line_no)
            )
            if same_para or (next_para and starts_line):
                found = (last.speaker, last.speaker_kind, last.speaker_mention)
                inferred = not same_para
        if found is None and heading_speaker is not None and words >= 8 and starts_line:
            found = heading_speaker
        if found is None or found[0] in ("He", "She", "They", "It", "We", "I"):
            continue
        q = RawQuote(start, end, found[0], found[1], found[2], inferred)
        quotes.append(q)
        last, last_line = q, line_no
    return quotes


def _is_quote_line(line: str) -> bool:
    s = line.strip().lstrip("_*")
    return bool(s) and s[0] in _OPEN
