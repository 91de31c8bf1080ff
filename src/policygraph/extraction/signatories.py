"""Reading one line of a signatory list: who signed, and what else the line says about them.

A line such as "Centro de Ensino e Pesquisa em Inovação (CEPI), FGV Direito SP, Brasil" carries
a name, an acronym, a parent body and a country; "Dr Matthew Rimmer, Professor of ..., QUT
Faculty of Law" carries a person, a role and an affiliation. The vocabulary (countries,
honorifics, legal suffixes, role words, organisation keywords) is data/signatories.yaml,
read by lexicon.py.

Person or organisation is decided from signals on the line (honorifics, a personal name
followed by a role or affiliation, organisation keywords, legal suffixes); a line with no
decisive signal ("Bolo Bhi", "Jenna Price") takes the kind most decided lines of its list have.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..models import ActorKind, SignatoryEntry, Span
from .lexicon import (
    city_of,
    find_countries,
    government_role,
    has_keyword,
    is_legal_suffix,
    is_person_name,
    is_post_nominals,
    is_role,
    lexicon,
    role_phrase_len,
    strip_honorifics,
    strip_legal_suffix,
    strip_post_nominals,
)
from .signer_text import (
    DASH_SPLIT,
    clean_line,
    is_acronym,
    normalise_form,
    role_dash,
    split_segments,
)

__all__ = ["find_countries", "parse_signatory_line", "parse_signatory_lines"]

ACRONYM_PREFIX = re.compile(
    r"^(?P<acr>[A-Z0-9][A-Za-z0-9.&]{1,11})\s*(?::|\s[–—-])\s+(?P<rest>\S.*)$"
)
PAREN = re.compile(r"\(([^()]*)\)")
POSSESSIVE = re.compile(
    r"^(?P<parent>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)+)['’]s\s+(?P<label>[A-Z].*)$"
)


# --- splitting -------------------------------------------------------------------------------


def _is_department(segment: str, following: str | None) -> bool:
    """ "Media Studies" before "University of Adelaide": a unit of the body that follows."""
    lex = lexicon()
    words = [w for w in segment.split() if w != "&"]
    return (
        following is not None
        and 1 <= len(words) <= 3
        and all(w[0].isupper() and not w.isupper() for w in words)
        and not has_keyword(segment, lex.strong_keywords)
        and not is_role(segment)
        and has_keyword(following, lex.strong_keywords)
    )


def _role_and_affiliation(segment: str) -> tuple[str | None, str | None]:
    """One segment after a person's name: role, affiliation, or both ("CEO ActionAid Australia")."""
    lex = lexicon()
    if segment.startswith("the ") and segment[4:5].isupper():
        segment = segment[4:]
    words = segment.split()
    if segment[0].islower() and not any(w[0].isupper() for w in words[1:] if w[0].isalpha()):
        return segment, None
    # "QUT Law and APF board member", "Australian Greens and Federal Member for Melbourne"
    left, sep, right = segment.partition(" and ")
    # (a single role word after "and" coordinates roles: "Privacy Research and Advocate")
    if sep and not is_role(left) and len(right.split()) >= 2 and is_role(right):
        return right, left
    n = role_phrase_len(words)
    # an office of several words ("Attorney General") is one role, whatever its last word
    folded = segment.casefold()
    for office in lex.government_roles:
        if folded == office or folded.startswith(office + " "):
            n = max(n, len(office.split()))
    if n:
        rest = words[n:]
        # "Senator for Victoria", "Member for Cairns": the place belongs to the role
        if not rest or rest[0] == "for":
            return segment, None
        if rest[0] in {"of", "at"}:
            # "President of Union of ...": a body; "Professor of ... Law": a field;
            # "Professor of Law Victoria University": a field, then a body
            k = n + 1
            while k < len(words) - 1 and words[k].casefold() in lex.weak_keywords:
                k += 1
            tail = " ".join(words[k:])
            if tail and has_keyword(tail, lex.strong_keywords):
                # "President of the Orchid League": the role, and the body without "of the"
                role = " ".join(words[:k])
                role = re.sub(r"\s+(?:of|at)$", "", role)
                return role, re.sub(r"^the\s+(?=[A-Z])", "", tail)
            return segment, None
        tail = " ".join(rest)
        if not is_role(tail):
            return " ".join(words[:n]), tail
        return segment, None
    if is_role(segment):
        return segment, None
    return None, segment


# --- the line --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Reading:
    entry: SignatoryEntry
    decided: bool  # the kind follows from a signal on the line, not from a default


def _government(name: str) -> tuple[str, str | None] | None:
    """(label, country) when the name is a government ("Government of Australia", "Australia")."""
    lex = lexicon()
    country = lex.countries.get(name)
    if country and name == country:
        return country, country
    for pattern in lex.government_patterns:
        m = pattern.match(name)
        if m:
            place = m.groupdict().get("country")
            return name, (lex.countries.get(place.strip()) if place else None)
    return None


_FOR_GOVERNMENT = re.compile(
    r"[,;]?\s*(?:for|on\s+behalf\s+of)\s+(?:the\s+)?government\b[^,;]*", re.IGNORECASE
)


def _read_person(
    base: SignatoryEntry, head: str, rest: list[str], title_roles: list[str]
) -> SignatoryEntry:
    lex = lexicon()
    roles: list[str] = []
    affiliation: str | None = None
    country: str | None = None
    region: str | None = None
    department_first = False
    pairs: list[tuple[str | None, str | None]] = []
    body = [part for seg in rest if not is_post_nominals(seg) for part in role_dash(seg)]
    for i, seg in enumerate(body):
        if seg in lex.countries and country is None:
            country = lex.countries[seg]
            continue
        city = city_of(seg)
        if city is not None and region is None:
            region, country = city[0], country or city[1]
            continue
        if seg in lex.regions and region is None:
            region = seg
            continue
        following = body[i + 1] if i + 1 < len(body) else None
        if _is_department(seg, following):
            if roles:
                roles[-1] = f"{roles[-1]}, {seg}"
            else:
                roles.append(seg)
                department_first = True
            continue
        role, aff = _role_and_affiliation(seg)
        if role:
            roles.append(role)
        if aff:
            aff, _, _ = strip_legal_suffix(aff)
            former = bool(role and role.casefold().startswith("former")) or bool(
                pairs and pairs[-1][0] and str(pairs[-1][0]).casefold().startswith("former")
            )
            pairs.append((role if role else (roles[-1] if roles else None), aff))
            if not former and affiliation is None:
                affiliation = aff
    if affiliation is None and pairs:
        affiliation = pairs[0][1]
    role_text = ", ".join(roles) or None
    if title_roles:
        title = " ".join(title_roles)
        if role_text is None:
            role_text = title
        elif department_first:
            role_text = f"{title}, {role_text}"
        elif not any(w.casefold() in role_text.casefold() for w in title.split()):
            role_text = f"{title}; {role_text}"
    kind: ActorKind = "person"
    # a minister signing a joint statement signs for their government ("Peter Dutton MP,
    # Australian Minister for Home Affairs"); a former minister signs for themself
    folded = (role_text or "").casefold()
    if government_role(folded) and not re.search(r"\bformer\b|\d", folded):
        places = find_countries(", ".join(filter(None, (role_text, affiliation, country))))
        if places:
            # the office is the role; "for the Government of X" says whom it is held for
            office = re.sub(_FOR_GOVERNMENT, "", role_text or "").strip(" ,;") or role_text
            return replace(
                base,
                label=places[0],
                kind="government",
                role=office,
                affiliation=affiliation,
                country=places[0],
                signed_by=head,
            )
    return replace(
        base,
        label=head,
        kind=kind,
        role=role_text,
        affiliation=affiliation,
        country=country,
        region=region,
    )


def _read_organisation(base: SignatoryEntry, text: str) -> tuple[SignatoryEntry, bool]:
    lex = lexicon()
    acronym: str | None = None
    parent: str | None = None
    country: str | None = None
    region: str | None = None
    decided = False

    body, suffix, company = strip_legal_suffix(text)
    decided = suffix is not None
    segments = split_segments(body) or [text]
    head, rest = segments[0], segments[1:]
    # trailing segments: legal form, country, region, parent body
    extra: list[str] = []
    for seg in rest:
        if is_post_nominals(seg):
            continue
        if is_legal_suffix(seg):
            suffix, company = seg, dict(lex.legal_suffixes)[seg]
            decided = True
        elif seg in lex.countries and country is None:
            country = lex.countries[seg]
        elif seg in lex.regions and region is None:
            region = seg
        elif city_of(seg) is not None and region is None:
            region, country = seg, country or (city_of(seg) or ("", None))[1]
        else:
            extra.append(seg)
    if extra:
        # a body after the name is a parent for an organisation and an affiliation for a
        # person alike, so it does not decide the kind
        parent = extra[0]

    m = ACRONYM_PREFIX.match(head)
    if m and is_acronym(m.group("acr")):
        acronym = m.group("acr")
        head = re.sub(r"^The\s+", "", m.group("rest"))
        decided = True
    # parenthesised acronym, possibly followed by a translation in parentheses
    pm = PAREN.search(head)
    if pm and is_acronym(pm.group(1)) and acronym is None:
        acronym = pm.group(1)
        head = head[: pm.start()].rstrip()
        decided = True
    elif pm is None and acronym is None:
        words = head.split()
        if (
            len(words) >= 3
            and is_acronym(words[-1])
            and words[-1] not in lex.countries
            and words[-1] not in lex.regions
            and any(w.islower() for w in words[:-1])
        ):
            acronym = words[-1]
            head = " ".join(words[:-1])
            decided = True
    label = head
    dm = DASH_SPLIT.match(head)
    if dm:
        left, right = dm.group("left"), dm.group("right")
        if right in lex.countries:
            label, parent = head, parent or left
            country = country or lex.countries[right]
            decided = True
        elif right[0].islower():
            label = left  # a tagline: "epicenter.works – for digital rights"
    pos = POSSESSIVE.match(label)
    if pos and has_keyword(pos.group("label"), lex.strong_keywords):
        label, parent = pos.group("label"), parent or pos.group("parent")
        decided = True
    words = label.split()
    if words and words[-1] == "Chapter":
        for i, w in enumerate(words):
            if i > 0 and (w in lex.countries or w in lex.regions):
                parent = parent or " ".join(words[:i])
                break
    kind: ActorKind = "organisation"
    if company or label in lex.companies or (len(words) >= 2 and words[-1] in lex.company_heads):
        kind = "company"
        decided = True
    gov = _government(label)
    if gov is not None:
        kind = "government"
        label = gov[0]
        country = country or gov[1]
        decided = True
    if has_keyword(label, lex.strong_keywords) or acronym:
        decided = True
    label = label.strip()
    if label.startswith("the ") and label[4:5].isupper():
        label = label[4:]  # "the Constitutional Alliance" as a sentence writes it
    entry = replace(
        base,
        label=label,
        kind=kind,
        acronym=acronym,
        parent=parent,
        country=country,
        region=region,
        legal_suffix=suffix,
    )
    return entry, decided


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
        entry = _read_person(base, named, rest, title_roles)
        if person_signal:
            return _Reading(entry, True)
        org, decided = _read_organisation(base, text)
        if decided or has_keyword(named, lex.weak_keywords):
            return _Reading(org, decided)
        return _Reading(entry, False)
    org, decided = _read_organisation(base, text)
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
        return _read_person(base, strip_post_nominals(named), segments[1:], roles)
    entry, _ = _read_organisation(base, text)
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
