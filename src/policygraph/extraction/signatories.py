"""Reading one line of a signatory list: who signed, and what else the line says about them.

A line such as "Centro de Ensino e Pesquisa em Inovação (CEPI), FGV Direito SP, Brasil" carries
a name, an acronym, a parent body and a country; "Dr Matthew Rimmer, Professor of ..., QUT
Faculty of Law" carries a person, a role and an affiliation. The vocabulary (countries,
honorifics, legal suffixes, role words, organisation keywords) is data/signatories.yaml,
read by lexicon.py; signer_person.py and signer_org.py read a person's and an organisation's
line.

Person or organisation is decided from signals on the line (honorifics, a personal name
followed by a role or affiliation, organisation keywords, legal suffixes); a line with no
decisive signal ("Bolo Bhi", "Jenna Price") takes the kind most decided lines of its list have.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..models import ActorKind, SignatoryEntry, Span
from .lexicon import (
    find_countries,
    has_keyword,
    is_legal_suffix,
    is_person_name,
    is_post_nominals,
    lexicon,
    strip_honorifics,
    strip_post_nominals,
)
from .signer_org import read_organisation
from .signer_person import read_person
from .signer_text import DASH_SPLIT, clean_line, normalise_form, split_segments

__all__ = ["find_countries", "parse_signatory_line", "parse_signatory_lines"]


@dataclass(frozen=True)
class _Reading:
    entry: SignatoryEntry
    decided: bool  # the kind follows from a signal on the line, not from a default


def _read(line: str, *, start: int, position: int) -> _Reading:
    text = clean_line(line)
    base = SignatoryEntry(
        position=position,
        as_written=text,
        label=text,
        span=Span(start, start + len(line), line),
    )
    if not text:
        return _Reading(base, False)
    text = normalise_form(text)
    segments = split_segments(text) or [text]
    head = segments[0]
    named, title_roles = strip_honorifics(head)
    named = strip_post_nominals(named)
    rest = segments[1:]
    lex = lexicon()
    if is_person_name(named):
        informative = [
            s
            for s in rest
            if s not in lex.countries
            and s not in lex.regions
            and not is_post_nominals(s)
            and not is_legal_suffix(s)
        ]
        honorific = named != strip_post_nominals(head) or bool(title_roles)
        post_nominal = strip_post_nominals(head) != head or any(map(is_post_nominals, rest))
        person_signal = honorific or post_nominal or bool(informative)
        entry = read_person(base, named, rest, title_roles)
        if person_signal:
            return _Reading(entry, True)
        org, decided = read_organisation(base, text)
        if decided or has_keyword(named, lex.weak_keywords):
            return _Reading(org, decided)
        return _Reading(entry, False)
    org, decided = read_organisation(base, text)
    return _Reading(org, decided)


def parse_signatory_line(
    line: str, *, start: int, position: int, list_kind: ActorKind | None = None
) -> SignatoryEntry:
    """Split one signer line into its label and what else it carries.

    `start` is the offset of `line` in Document.text (the entry's span covers the line as
    given); `position` is its 1-based place in the list. `list_kind` is the kind most lines of
    the list have: a line without a decisive signal of its own takes it.
    """
    reading = _read(line, start=start, position=position)
    if reading.decided or list_kind is None or list_kind == reading.entry.kind:
        return reading.entry
    if list_kind == "person":
        return _reading_as(line, start, position, "person")
    return _reading_as(line, start, position, list_kind)


def _reading_as(line: str, start: int, position: int, kind: ActorKind) -> SignatoryEntry:
    text = clean_line(line)
    base = SignatoryEntry(
        position=position, as_written=text, label=text, span=Span(start, start + len(line), line)
    )
    if kind == "person":
        form = normalise_form(text)  # as _read takes it ("Odo / Artist" is "Odo, Artist")
        segments = split_segments(form) or [form]
        named, roles = strip_honorifics(segments[0])
        return read_person(base, strip_post_nominals(named), segments[1:], roles)
    entry, _ = read_organisation(base, text)
    return replace(entry, kind=kind) if entry.kind == "organisation" else entry


def _country_suffixes(readings: list[_Reading]) -> list[_Reading]:
    """ "Tern Labs - Portugal": the country is an attribute of Tern Labs, unless the list also
    has "Tern Labs" itself, which makes the line a chapter of it ("Internet Society" and
    "Internet Society – Bulgaria" are two signers)."""
    labels = {r.entry.label for r in readings}
    out: list[_Reading] = []
    for r in readings:
        e = r.entry
        if (
            e.parent
            and e.country
            and e.parent not in labels
            and DASH_SPLIT.match(e.label)
            and e.label.startswith(e.parent)
        ):
            r = _Reading(replace(e, label=e.parent, parent=None), r.decided)
        out.append(r)
    return out


def parse_signatory_lines(
    lines: Sequence[tuple[int, str]],
    *,
    section_kinds: Sequence[ActorKind | None] | None = None,
) -> tuple[SignatoryEntry, ...]:
    """Parse a whole list: (offset, line) pairs in order.

    Lines whose kind the line alone does not decide take the section's kind when the list
    has section headers ("Organisations", "Individuals"), else the majority of the decided lines.
    """
    readings = [_read(text, start=s, position=i + 1) for i, (s, text) in enumerate(lines)]
    readings = _country_suffixes(readings)
    votes = Counter(r.entry.kind for r in readings if r.decided)
    majority: ActorKind | None = votes.most_common(1)[0][0] if votes else None
    out: list[SignatoryEntry] = []
    for i, reading in enumerate(readings):
        hint = section_kinds[i] if section_kinds and section_kinds[i] else majority
        if reading.decided or hint is None or hint == reading.entry.kind:
            out.append(reading.entry)
        else:
            start, text = lines[i]
            out.append(_reading_as(text, start, i + 1, hint))
    return tuple(out)
