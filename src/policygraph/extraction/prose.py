"""Running text → actors, quotes, stances and the letters it refers to.

`extract_prose(doc, letter)` is a pure function of one document (and the letter the letter
extractor found in it). Rules and data only: the gazetteer (data/gazetteer.yaml), the topic
scheme (ontology/topics.ttl), and the patterns in actors.py, quotes.py and stances.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import replace as dc_replace

from ..models import (
    ActorKind,
    Document,
    LetterFinding,
    LetterRef,
    Mention,
    QuoteFinding,
    Span,
    StanceFinding,
)
from ..topics import TopicScheme, load_topics
from .actors import ActorFinder, complete_surnames
from .quotes import RawQuote, find_quotes
from .sentences import split_sentences
from .stances import LETTER_HOLDER, StanceContext, find_stances

__all__ = ["LETTER_HOLDER", "ProseFindings", "extract_prose"]

_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}
_SIGNED = re.compile(r"\b(?:signator\w*|signed|co-signed|signing)\b", re.I)


@dataclass(frozen=True)
class ProseFindings:
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[QuoteFinding, ...] = ()
    stances: tuple[StanceFinding, ...] = ()
    letter_refs: tuple[LetterRef, ...] = ()


def _letter_region(doc: Document, letter: LetterFinding | None) -> tuple[int, int] | None:
    if letter is None or not letter.signatories:
        return None
    if letter.span is not None:
        return (letter.span.start, letter.span.end)
    first = min(e.span.start for e in letter.signatories)
    # A signer named in the opening line ("X has signed on to the following letter") means
    # the letter's text follows it.
    return (0, len(doc.text)) if first < 300 else (0, first)


def _signer_group(doc: Document, mentions: tuple[Mention, ...]) -> list[Mention]:
    """Actors the text says signed the letter ("Signatories include A, B and C")."""
    out: list[Mention] = []
    for s in split_sentences(doc.text):
        if _SIGNED.search(s.text) and not doc.in_boilerplate(s.start, s.end):
            out += [
                m
                for m in mentions
                if s.start <= m.span.start
                and m.span.end <= s.end
                and m.kind in ("organisation", "company", "person")
            ]
    return out


def _complete(mentions: tuple[Mention, ...]) -> tuple[Mention, ...]:
    """A person written by surname alone takes the one full name the document gives it."""
    fulls = {m.name for m in mentions if m.kind == "person" and len(m.name.split()) >= 2}

    def key(name: str) -> list[str]:
        return name.replace("’", "'").split()

    out = []
    for m in mentions:
        if m.kind == "person" and len(m.name.split()) == 1:
            match = {f for f in fulls if key(m.name)[0] in (key(f)[0], key(f)[-1])}
            if len(match) == 1:
                m = dc_replace(m, name=match.pop())
        out.append(m)
    return tuple(out)


def _affiliations(doc: Document, mentions: tuple[Mention, ...]) -> list[Mention]:
    """The body a person speaks for, written right after the name ("Evan Greer, campaign
    director of Fight for the Future"), is an actor named in the text too: the role says it
    is an organisation even when its name has no word like "Foundation"."""
    taken = [(m.span.start, m.span.end) for m in mentions]
    out: list[Mention] = []
    for m in mentions:
        if m.kind != "person" or not m.affiliation or m.span.end <= m.span.start:
            continue
        at = doc.text.find(m.affiliation, m.span.end, m.span.end + 160)
        end = at + len(m.affiliation)
        if at < 0 or "\n" in doc.text[m.span.end : at] or doc.in_boilerplate(at, end):
            continue
        if any(s < end and at < e for s, e in taken):
            continue
        org = Mention(
            m.affiliation, "organisation", Span(at, end, m.affiliation), rule="mention.affiliation"
        )
        out.append(org)
        taken.append((at, end))
    return out


def _addressees(doc: Document, letter: LetterFinding | None, finder: ActorFinder) -> list[Mention]:
    """Whom the letter speaks to as "you": its salutation, else the title ("An open letter to
    Attorney General George Brandis")."""
    if letter is not None and letter.addressed_to:
        return list(letter.addressed_to)
    m = re.search(r"\bletter\s+to\s+(.+)$", doc.meta.title or "", re.I)
    if m is None:
        return []
    name = finder.strip_title(m.group(1).strip())
    person = len(name.split()) in (2, 3) and not finder.is_org_name(name)
    kind: ActorKind = "person" if person else "organisation"
    # The title is not part of the text: the mention has an empty span at the start.
    return [Mention(name, kind, Span(0, 0, ""), rule="mention.addressee.title")]


def _letter_refs(doc: Document, mentions: tuple[Mention, ...]) -> list[LetterRef]:
    """ "the open letter that the governments of A, B and C sent to X on October 4"."""
    out: list[LetterRef] = []
    text = doc.text
    pattern = re.compile(
        r"(?:open\s+)?letter\s+(?:that|which|from|by)\s+(?P<who>[^.]{3,120}?)\s+"
        r"(?:sent|wrote|delivered|addressed)\s+to\s+(?P<to>[^.,]{2,60}?)"
        r"(?:\s+on\s+(?P<month>[A-Z][a-z]+)\s+(?P<day>\d{1,2})(?:,?\s+(?P<year>\d{4}))?)?(?=[,.;])"
    )
    for m in pattern.finditer(text):
        if doc.in_boilerplate(m.start(), m.end()):
            continue
        authors = [
            x.name
            for x in mentions
            if m.start("who") <= x.span.start and x.span.end <= m.end("who")
        ]
        to = [
            x.name for x in mentions if m.start("to") <= x.span.start and x.span.end <= m.end("to")
        ]
        if not authors:
            continue
        date = None
        if m.group("month") in _MONTHS:
            month, day = _MONTHS[m.group("month")], int(m.group("day"))
            year = m.group("year") or (doc.meta.date or "")[:4]
            # Without a year the day is kept as xsd:gMonthDay ("--10-04"); the year comes from
            # another document about the same letter.
            date = f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
        out.append(
            LetterRef(
                description=m.group(0),
                span=Span(m.start(), m.end(), m.group(0)),
                authors=tuple(dict.fromkeys(authors)),
                addressed_to=tuple(dict.fromkeys(to)),
                date=date,
            )
        )
    return out


def _with_speakers(
    doc: Document, mentions: tuple[Mention, ...], quotes: list[RawQuote]
) -> tuple[tuple[Mention, ...], list[RawQuote]]:
    """The mentions with the quotes' speakers and the bodies they speak for added, surnames
    completed, and the quotes' speakers renamed to match."""
    # A speaker written by surname or title ("Ms Gray", "added Krahulcova") is a mention of
    # that person too, so the written form becomes one of the node's names.
    taken = {(m.span.start, m.span.end) for m in mentions}
    spoken = [
        q.speaker_mention
        for q in quotes
        if q.speaker_mention is not None
        and (q.speaker_mention.span.start, q.speaker_mention.span.end) not in taken
    ]
    spoken += _affiliations(doc, (*mentions, *spoken))
    merged = tuple(
        sorted({*mentions, *spoken}, key=lambda m: (m.span.start, m.span.end, m.name, m.kind))
    )
    completed = _complete(merged)
    renamed = {a.name: b.name for a, b in zip(merged, completed, strict=True) if a.name != b.name}
    renamed_quotes = [
        q
        if q.speaker not in renamed
        else dc_replace(
            q,
            speaker=renamed[q.speaker],
            speaker_mention=q.speaker_mention
            and dc_replace(q.speaker_mention, name=renamed[q.speaker]),
        )
        for q in quotes
    ]
    return completed, renamed_quotes


def _quote_findings(
    doc: Document,
    quotes: list[RawQuote],
    found: list[tuple[StanceFinding, RawQuote | None]],
) -> tuple[tuple[QuoteFinding, ...], tuple[StanceFinding, ...]]:
    """Each quote with the stances read in it, and the stances read outside any quote."""
    # By identity: find_stances hands back the very quote objects the context holds.
    by_quote: dict[int, list[StanceFinding]] = {}
    loose: list[StanceFinding] = []
    for stance, quote in found:
        if quote is not None:
            by_quote.setdefault(id(quote), []).append(stance)
        else:
            loose.append(stance)
    findings = tuple(
        QuoteFinding(
            text=doc.text[q.start : q.end],
            span=Span(q.start, q.end, doc.text[q.start : q.end]),
            speaker=q.speaker,
            speaker_kind=q.speaker_kind,
            stances=tuple(by_quote.get(id(q), ())),
            rule=q.rule,
        )
        for q in quotes
    )
    return findings, tuple(loose)


def extract_prose(
    doc: Document,
    letter: LetterFinding | None,
    scheme: TopicScheme | None = None,
    language: str | None = "en",
    reported_signers: tuple[Mention, ...] = (),
) -> ProseFindings:
    """`language`: whose stance rules read the text; None reads no stances (a language the
    rules do not cover). `reported_signers`: the signers a press release lists for the letter
    it reports (they hold what that letter asks)."""
    scheme = scheme or load_topics()
    finder = ActorFinder(doc, letter)
    found_mentions = complete_surnames(finder.find(), finder)
    found_quotes = find_quotes(doc, found_mentions)
    # The signer group is read from the finder's mentions; the quotes' speakers join the
    # mentions only after, for the stance rules and the findings.
    ctx = StanceContext(
        doc=doc,
        letter=letter,
        mentions=found_mentions,
        quotes=found_quotes,
        sentences=split_sentences(doc.text),
        letter_region=_letter_region(doc, letter),
        signer_group=_signer_group(doc, found_mentions),
        reported_signers=list(reported_signers),
        addressees=_addressees(doc, letter, finder),
        language=language or "",
    )
    mentions, raw_quotes = _with_speakers(doc, found_mentions, found_quotes)
    ctx.mentions = mentions
    ctx.quotes = raw_quotes
    found = find_stances(ctx, scheme) if language else []
    quotes, loose = _quote_findings(doc, raw_quotes, found)
    return ProseFindings(
        mentions=mentions,
        quotes=quotes,
        stances=loose,
        letter_refs=tuple(_letter_refs(doc, mentions)),
    )
