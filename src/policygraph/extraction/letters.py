"""Letters a document reproduces: salutation, heading, signatory list, the letter it answers.

A document reproduces a letter when its text has the letter's own furniture: a salutation
("Dear Mr. Zuckerberg,") with a closing, a list of signers after a closing, a "Signed by:" /
"Signatories" header or a "We, the undersigned" paragraph, or an introduction such as
"Digital Rights Watch has signed on to the following open letter:" followed by its text.
A document that only describes a letter gets no LetterFinding (prose extraction reports it
as a LetterRef). The cue phrases are data/document_kinds.yaml.
"""

from __future__ import annotations

import dataclasses
from typing import cast
from urllib.parse import urlparse

from ..models import Document, DocumentKind, LetterFinding, Mention, SignatoryEntry, Span
from .addressees import addressees
from .letter_cues import KindRule, Line, bare_text, cues, first_rule, is_prose, matches, text_lines
from .lexicon import find_countries
from .linked_letters import announced_letters, responds_to
from .signatories import parse_signatory_line
from .signer_lists import SignerList, collect, openers, signatory_entries, with_continuations
from .signer_pages import page_list

__all__ = [
    "announced_letters",
    "classify",
    "classify_with_rule",
    "count_note",
    "extract_letter",
    "find_countries",
]

# --- the letter ------------------------------------------------------------------------------


def _heading(lines: list[Line], around: int, page_title: str | None = None) -> str | None:
    c = cues()
    found: list[str] = []
    for line in lines[max(0, around - 3) : around + 4]:
        text = bare_text(line.text)
        if not text or len(text.split()) > 20 or text[-1:] in ".,":
            continue
        letters = [ch for ch in text if ch.isalpha()]
        shouting = (
            len(text.split()) >= 3
            and letters
            and sum(ch.isupper() for ch in letters) >= (0.8 * len(letters))
        )
        if c.heading.match(text) or shouting:
            found.append(text)
    # A web page or PDF puts its own title above the letter; the letter's heading is the other
    # candidate, when there is one.
    own = [t for t in found if page_title is None or t.casefold() != page_title.casefold()]
    candidates = own or found
    return candidates[0] if candidates else None


def _signed_following(doc: Document, lines: list[Line]) -> tuple[int, SignatoryEntry] | None:
    """("X has signed on to the following open letter:") -> the line index and X as a signer."""
    c = cues()
    for i, line in enumerate(lines):
        m = c.signed_following.match(bare_text(line.text))
        if not m or doc.in_boilerplate(line.start, line.end):
            continue
        signer = m.group("signer").strip()
        offset = line.text.index(signer)
        entry = dataclasses.replace(
            parse_signatory_line(signer, start=line.start + offset, position=1),
            rule="letter.signed-following",
        )
        body = [x for x in lines[i + 1 :] if not x.blank and is_prose(x.text)]
        if len(body) >= 2:
            return i, entry
    return None


def _salutation(doc: Document, lines: list[Line]) -> tuple[int | None, str]:
    """The line that greets the addressee ("Dear Ms Reyes,", "Hello,", "To Senator Ada
    Reyes, I am writing ..."), and the id of the greeting rule."""
    c = cues()
    for i, line in enumerate(lines):
        text = bare_text(line.text)
        if not text or doc.in_boilerplate(line.start, line.end):
            continue
        if c.salutation_inline.match(text):
            return i, "letter.greeting.to-inline"
        greeting = first_rule(c.greetings, text)
        if greeting is not None and (c.salutation.match(text) or len(text.split()) <= 3):
            return i, greeting.id
    return None, ""


def _claimed_count(doc: Document) -> int | None:
    c = cues()
    for source in (doc.meta.title or "", doc.text):
        m = c.count.search(source)
        if m:
            return int(m.group("n"))
    return None


def _best_list(doc: Document, lines: list[Line]) -> SignerList | None:
    """The longest signer list of the text (with late signers that continue it)."""
    usable = [
        op
        for op in openers(lines)
        if not doc.in_boilerplate(lines[op.index].start, lines[op.index].end)
    ]
    best: SignerList | None = None
    for opener in usable:
        if opener.continues:
            continue
        found = collect(lines, opener)
        if found.template:
            continue
        if found.blocks and (best is None or len(found.blocks) > len(best.blocks)):
            best = found
    if best is None or len(best.blocks) < 2:
        # no letter's list: the page itself may be one ("Organizations", then names)
        best = page_list(doc, lines) or best
    return with_continuations(lines, best, usable) if best is not None else None


def _addressed(doc: Document, lines: list[Line], salutation: int | None) -> tuple[Mention, ...]:
    """Whom the letter greets, or else whom the text says it is addressed to."""
    c = cues()
    if salutation is not None:
        line = lines[salutation]
        text = bare_text(line.text)
        m = c.salutation.match(text) or c.salutation_inline.match(text)
        if m:
            to = m.group("to")
            return addressees(to, line.start + line.text.index(to))
    for pattern in c.addressed_in_text:
        m2 = next(
            (m for m in pattern.finditer(doc.text) if not doc.in_boilerplate(m.start(), m.end())),
            None,
        )
        if m2:
            return addressees(m2.group("to"), m2.start("to"))
    return ()


def _region(
    lines: list[Line],
    salutation: int | None,
    following: tuple[int, SignatoryEntry] | None,
    best: SignerList | None,
) -> tuple[int, int]:
    """Line indices where the letter starts and ends: from the salutation, the introduction of
    the letter, or the text's start, to the end of its signer list."""
    c = cues()
    if salutation is not None:
        start_line = salutation
    elif following is not None:
        start_line = following[0] + 1
    else:
        limit = best.opener if best is not None else len(lines)
        intros = [i for i in range(limit) if c.intro.search(lines[i].text)]
        start_line = intros[-1] + 1 if intros else 0
    while start_line < len(lines) - 1 and lines[start_line].blank:
        start_line += 1
    end_line = best.end - 1 if best is not None else len(lines) - 1
    while end_line > start_line and lines[end_line].blank:
        end_line -= 1
    return start_line, end_line


def extract_letter(doc: Document) -> LetterFinding | None:
    """The letter `doc` reproduces, with its signers in order, or None when it reproduces none."""
    lines = text_lines(doc.text)
    salutation, greeting = _salutation(doc, lines)
    best = _best_list(doc, lines)
    following = _signed_following(doc, lines)

    is_closing = (
        best is not None
        and best.opener >= 0
        and matches(cues().closings, bare_text(lines[best.opener].text))
    )
    reproduced = (
        best is not None and (len(best.blocks) >= 2 or salutation is not None or not is_closing)
    ) or following is not None
    if not reproduced:
        return None

    signatories = signatory_entries(doc, best) if best is not None else []
    if following is not None:
        signer = following[1]
        if not any(s.label.casefold() == signer.label.casefold() for s in signatories):
            signatories = [signer] + [
                dataclasses.replace(s, position=s.position + 1) for s in signatories
            ]
    start_line, end_line = _region(lines, salutation, following, best)
    region = (lines[start_line].start, lines[end_line].end)
    addressed = _addressed(doc, lines, salutation)
    return LetterFinding(
        title=doc.meta.title,
        heading=_heading(lines, start_line, doc.meta.title),
        date=doc.meta.date,
        addressed_to=addressed,
        signatories=tuple(signatories),
        responds_to=responds_to(doc, region, addressed),
        signatory_count=_claimed_count(doc),
        span=Span(region[0], region[1], doc.text[region[0] : region[1]]),
        rule=(best.rule if best is not None else "")
        or ("letter.signed-following" if following is not None else greeting),
    )


def count_note(letter: LetterFinding | None) -> str | None:
    """A note for the build summary when a letter claims far more signers than were read
    ("58 organisations", 12 read): the rest are on another page, or in a shape not read."""
    if letter is None or not letter.signatory_count:
        return None
    found, claimed = len(letter.signatories), letter.signatory_count
    if 2 * found >= claimed:
        return None
    return (
        f"the letter says it has {claimed} signatories; {found} were read from this document"
        " (the others may be listed elsewhere, or in a form the reader does not know)"
    )


# --- document kinds --------------------------------------------------------------------------


def _lines_out_of_boilerplate(doc: Document) -> list[str]:
    return [
        bare_text(line.text)
        for line in text_lines(doc.text)
        if line.text and not doc.in_boilerplate(line.start, line.end)
    ]


def _fires(rule: KindRule, doc: Document, lines: list[str]) -> bool:
    if rule.formats and doc.format not in rule.formats:
        return False
    meta = doc.meta
    p = rule.pattern
    if rule.at == "head":
        return any(p.search(x) for x in lines[: cues().head_lines])
    if rule.at == "text":
        return any(p.search(x) for x in lines)
    if rule.at == "title":
        return bool(meta.title and p.search(meta.title))
    if rule.at == "categories":
        return any(p.search(cat) for cat in meta.categories)
    if rule.at == "site":
        site = (meta.site or urlparse(meta.url or "").netloc or "").casefold()
        return bool(site and p.search(site))
    if rule.at == "outlet":
        outlet = " ".join(filter(None, (meta.site, meta.publisher)))
        return bool(outlet and p.search(outlet))
    if rule.at == "speech":
        text = "\n".join(lines)
        n = len(p.findall(text))
        words = max(1, len(text.split()))
        return (
            n >= rule.min_count
            and (rule.max_count is None or n <= rule.max_count)
            and 1000 * n / words >= rule.per_1000_words
        )
    return False


def classify_with_rule(doc: Document, letter: LetterFinding | None) -> tuple[DocumentKind, str]:
    """What kind of document this is, and the id of the rule that decided: a reproduced letter
    makes it an open letter; otherwise the first rule of data/document_kinds.yaml that fires
    (press-release headers, government sites, datelines, news credits, reported speech ...)."""
    if letter is not None:
        # A statement signed by several governments (or their ministers) is theirs, not an
        # open letter of civil society.
        govs = sum(1 for e in letter.signatories if e.kind == "government")
        if govs >= 2 and 2 * govs > len(letter.signatories):
            return "government_statement", "kind.letter.governments"
        return "open_letter", "kind.letter.reproduced"
    lines = _lines_out_of_boilerplate(doc)
    for rule in cues().kinds:
        if _fires(rule, doc, lines):
            return cast(DocumentKind, rule.kind), rule.id
    return "blog_post", "kind.default"


def classify(doc: Document, letter: LetterFinding | None) -> DocumentKind:
    return classify_with_rule(doc, letter)[0]
