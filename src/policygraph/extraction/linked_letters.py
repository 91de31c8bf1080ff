"""Letters a document links to: the letter a letter answers, and letters a post announces.

A letter that answers another links it inside its own text (a link whose words or file name
say "letter", "request", "statement" ..., the file name often dated); a press release links
the open letter it announces without reproducing it. Both become LetterRefs read from
Document.links and the cues of data/document_kinds.yaml, apart from the reading of the
reproduced letter itself (letters.py).
"""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import unquote, urlparse

from ..models import Document, LetterFinding, LetterRef, Mention, Span
from .letter_cues import Line, cues, text_lines
from .lexicon import find_countries
from .signatories import parse_signatory_lines
from .signer_runs import UNNAMED_OTHERS, name_parts

__all__ = ["announced_letters", "reported_signers", "responds_to"]

# ids of the link rules (their cues are data/document_kinds.yaml `responds_to`, `announces`)
RULE_RESPONDS = "letters.responds-to.link"
RULE_ANNOUNCED = "letters.announced.link"

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
                rule=RULE_RESPONDS,
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
        out.append(
            LetterRef(
                description=span.text,
                span=span,
                date=doc.meta.date,
                link=url,
                rule=RULE_ANNOUNCED,
            )
        )
    return tuple(out)


# --- signers a document names without reproducing their letter -------------------------------

# A sentence ends at a full stop before a space and a capital, or at the end of the line; not
# after "Inc" or a one-letter initial, nor inside "RootsAction.org".
_SENTENCE_END = re.compile(r"(?<!\bInc)(?<!\bLtd)(?<!\b[A-Z])\.(?=\s+[A-Z\"“]|\s*$)")
_SENTENCE_BREAK = re.compile(r"[.!?][\"”]?\s+(?=[A-Z\"“])")


def _sentence_around(line: Line, pos: int) -> tuple[int, int]:
    """Offsets (in the line) of the sentence holding `pos`."""
    starts = [m.end() for m in _SENTENCE_BREAK.finditer(line.text) if m.end() <= pos]
    start = starts[-1] if starts else 0
    end_m = _SENTENCE_END.search(line.text, pos)
    return start, (end_m.start() + 1) if end_m else len(line.text)


def _capitalised(names: str) -> bool:
    """Every word of a run of names is capitalised, or a joiner ("Orchid, Tern Labs and the
    Kestrel Network"); "Last month, the Alliance" or "More than 1,000 firefighters" is not."""
    joiners = cues().reported_name_joiners
    more = UNNAMED_OTHERS.search(names)  # "... and 30 other groups": the others unnamed
    words = re.findall(r"[^\s,;]+", names[: more.start()] if more else names)
    return all(w[:1].isupper() or w[:1].isdigit() or w in joiners for w in words)


def reported_signers(doc: Document) -> tuple[LetterRef, tuple[Mention, ...]] | None:
    """The letter a document reports with the signers it names ("signers include A, B and
    C", "co-signed by organisations including ..."), and those signers as mentions."""
    c = cues()
    for line in text_lines(doc.text):
        if line.blank or doc.in_boilerplate(line.start, line.end):
            continue
        for rule in c.reported_signers:
            m = rule.search(line.text)
            if m is None:
                continue
            s0, s1 = _sentence_around(line, m.start())
            scope = doc.text if rule.requires_in == "text" else line.text[s0:s1]
            if rule.requires is not None and not rule.requires.search(scope):
                continue
            names_start = m.start("names")
            end_m = _SENTENCE_END.search(line.text, names_start)
            stop = min(m.end("names"), end_m.start() if end_m else len(line.text))
            names = line.text[names_start:stop]
            cut = c.reported_names_end.search(names)
            names = names[: cut.start()] if cut else names
            if rule.names_capitalised and not _capitalised(names):
                continue
            parts = name_parts(Line(line.start + names_start, names))
            if len(parts) < 2:
                continue
            entries = parse_signatory_lines([(p.start, p.text) for p in parts])
            entries = tuple(dataclasses.replace(e, rule=rule.id) for e in entries)
            span = Span(line.start + s0, line.start + s1, line.text[s0:s1])
            ref = LetterRef(
                description=span.text,
                span=span,
                date=doc.meta.date,
                signatories=entries,
                rule=rule.id,
            )
            mentions = tuple(
                Mention(
                    name=e.label,
                    kind=e.kind,
                    span=e.span,
                    acronym=e.acronym,
                    country=e.country,
                    rule=rule.id,
                )
                for e in entries
            )
            return ref, mentions
    return None
