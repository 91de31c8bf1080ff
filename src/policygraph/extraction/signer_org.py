"""Reading an organisation's signer line: its name, acronym, legal form, parent body, country
and region ("Centro de Ensino e Pesquisa em Inovação (CEPI), FGV Direito SP, Brasil"), and
whether it is a company or a government. The vocabulary is data/signatories.yaml (lexicon.py);
signatories.py decides whether a line names an organisation or a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..models import ActorKind, SignatoryEntry
from .lexicon import (
    city_of,
    has_keyword,
    is_legal_suffix,
    is_post_nominals,
    lexicon,
    strip_legal_suffix,
)
from .signer_text import DASH_SPLIT, is_acronym, split_segments, state_place

__all__ = ["read_organisation"]

ACRONYM_PREFIX = re.compile(
    r"^(?P<acr>[A-Z0-9][A-Za-z0-9.&]{1,11})\s*(?::|\s[–—-])\s+(?P<rest>\S.*)$"
)
PAREN = re.compile(r"\(([^()]*)\)")
POSSESSIVE = re.compile(
    r"^(?P<parent>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)+)['’]s\s+(?P<label>[A-Z].*)$"
)


@dataclass
class _Org:
    """What the line says about the organisation, filled in as the line is read."""

    head: str
    suffix: str | None = None
    company: bool = False
    decided: bool = False  # the line itself says it is an organisation (not a default)
    acronym: str | None = None
    parent: str | None = None
    country: str | None = None
    region: str | None = None


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


def _trailing(org: _Org, rest: list[str]) -> None:
    """Segments after the name: legal form, country, region, city, parent body."""
    lex = lexicon()
    extra: list[str] = []
    rest, place = state_place(rest)
    if place is not None:
        org.region, org.country = place
    for seg in rest:
        if is_post_nominals(seg):
            continue
        if is_legal_suffix(seg):
            org.suffix, org.company = seg, dict(lex.legal_suffixes)[seg]
            org.decided = True
        elif seg in lex.countries and org.country is None:
            org.country = lex.countries[seg]
        elif seg in lex.regions and org.region is None:
            org.region = seg
        elif city_of(seg) is not None and org.region is None:
            org.region, org.country = seg, org.country or (city_of(seg) or ("", None))[1]
        else:
            extra.append(seg)
    if extra:
        # a body after the name is a parent for an organisation and an affiliation for a
        # person alike, so it does not decide the kind
        org.parent = extra[0]


def _acronym(org: _Org) -> None:
    """An acronym before the name ("EFF: Electronic ..."), in parentheses after it, or as
    its last word ("Centro de Ensino CEPI")."""
    lex = lexicon()
    m = ACRONYM_PREFIX.match(org.head)
    if m and is_acronym(m.group("acr")):
        org.acronym = m.group("acr")
        org.head = re.sub(r"^The\s+", "", m.group("rest"))
        org.decided = True
    # parenthesised acronym, possibly followed by a translation in parentheses
    pm = PAREN.search(org.head)
    if pm and is_acronym(pm.group(1)) and org.acronym is None:
        org.acronym = pm.group(1)
        org.head = org.head[: pm.start()].rstrip()
        org.decided = True
    elif pm is None and org.acronym is None:
        words = org.head.split()
        if (
            len(words) >= 3
            and is_acronym(words[-1])
            and words[-1] not in lex.countries
            and words[-1] not in lex.regions
            and any(w.islower() for w in words[:-1])
        ):
            org.acronym = words[-1]
            org.head = " ".join(words[:-1])
            org.decided = True


def _label(org: _Org) -> str:
    """The name without a country after a dash, a tagline or a possessive parent."""
    lex = lexicon()
    label = org.head
    dm = DASH_SPLIT.match(org.head)
    if dm:
        left, right = dm.group("left"), dm.group("right")
        if right in lex.countries:
            org.parent = org.parent or left
            org.country = org.country or lex.countries[right]
            org.decided = True
        elif right[0].islower():
            label = left  # a tagline: "epicenter.works – for digital rights"
    pos = POSSESSIVE.match(label)
    if pos and has_keyword(pos.group("label"), lex.strong_keywords):
        label, org.parent = pos.group("label"), org.parent or pos.group("parent")
        org.decided = True
    words = label.split()
    if words and words[-1] == "Chapter":
        for i, w in enumerate(words):
            if i > 0 and (w in lex.countries or w in lex.regions):
                org.parent = org.parent or " ".join(words[:i])
                break
    return label


def read_organisation(base: SignatoryEntry, text: str) -> tuple[SignatoryEntry, bool]:
    """The entry for an organisation's line, and whether the line decides the kind."""
    lex = lexicon()
    body, suffix, company = strip_legal_suffix(text)
    segments = split_segments(body) or [text]
    org = _Org(segments[0], suffix=suffix, company=company, decided=suffix is not None)
    _trailing(org, segments[1:])
    _acronym(org)
    label = _label(org)
    words = label.split()
    kind: ActorKind = "organisation"
    if (
        org.company
        or label in lex.companies
        or (len(words) >= 2 and words[-1] in lex.company_heads)
    ):
        kind = "company"
        org.decided = True
    gov = _government(label)
    if gov is not None:
        kind, label = "government", gov[0]
        org.country = org.country or gov[1]
        org.decided = True
    if has_keyword(label, lex.strong_keywords) or org.acronym:
        org.decided = True
    label = label.strip()
    if label.startswith("the ") and label[4:5].isupper():
        label = label[4:]  # "the Constitutional Alliance" as a sentence writes it
    entry = replace(
        base,
        label=label,
        kind=kind,
        acronym=org.acronym,
        parent=org.parent,
        country=org.country,
        region=org.region,
        legal_suffix=org.suffix,
    )
    return entry, org.decided
