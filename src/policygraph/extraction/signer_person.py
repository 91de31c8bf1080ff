"""Reading a person's signer line: name, role, affiliation, country and region ("Dr Matthew
Rimmer, Professor of ..., QUT Faculty of Law"); a minister signing a joint statement signs for
their government. The vocabulary is data/signatories.yaml (lexicon.py); signatories.py decides
whether a line names a person or an organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..models import SignatoryEntry
from .lexicon import (
    city_of,
    find_countries,
    government_role,
    has_keyword,
    is_post_nominals,
    is_role,
    lexicon,
    role_phrase_len,
    strip_legal_suffix,
)
from .signer_text import role_dash, state_place

__all__ = ["read_person"]


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
        return _after_role(words, n, segment)
    if is_role(segment):
        return segment, None
    return None, segment


def _after_role(words: list[str], n: int, segment: str) -> tuple[str | None, str | None]:
    """A segment whose first `n` words are a role: the role, and the body after it."""
    lex = lexicon()
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
            role = re.sub(r"\s+(?:of|at)$", "", " ".join(words[:k]))
            return role, re.sub(r"^the\s+(?=[A-Z])", "", tail)
        return segment, None
    tail = " ".join(rest)
    if not is_role(tail):
        return " ".join(words[:n]), tail
    return segment, None


@dataclass
class _Person:
    """What the segments after a person's name say, read in order."""

    roles: list[str] = field(default_factory=list)
    affiliation: str | None = None
    country: str | None = None
    region: str | None = None
    department_first: bool = False
    pairs: list[tuple[str | None, str]] = field(default_factory=list)  # (role, body) in order


def _segments(rest: list[str]) -> _Person:
    lex = lexicon()
    p = _Person()
    rest, place = state_place(rest)
    if place is not None:
        p.region, p.country = place
    body = [
        part
        for seg in rest
        if not is_post_nominals(seg) and seg.casefold() not in lex.no_affiliation
        for part in role_dash(seg)
    ]
    for i, seg in enumerate(body):
        if seg in lex.countries and p.country is None:
            p.country = lex.countries[seg]
            continue
        city = city_of(seg)
        if city is not None and p.region is None:
            p.region, p.country = city[0], p.country or city[1]
            continue
        if seg in lex.regions and p.region is None:
            p.region = seg
            continue
        if _is_department(seg, body[i + 1] if i + 1 < len(body) else None):
            if p.roles:
                p.roles[-1] = f"{p.roles[-1]}, {seg}"
            else:
                p.roles.append(seg)
                p.department_first = True
            continue
        role, aff = _role_and_affiliation(seg)
        if role:
            p.roles.append(role)
        if aff:
            aff, _, _ = strip_legal_suffix(aff)
            last = p.pairs[-1][0] if p.pairs else None
            former = bool(role and role.casefold().startswith("former")) or bool(
                last and last.casefold().startswith("former")
            )
            p.pairs.append((role if role else (p.roles[-1] if p.roles else None), aff))
            if not former and p.affiliation is None:
                p.affiliation = aff
    if p.affiliation is None and p.pairs:
        p.affiliation = p.pairs[0][1]
    return p


_FOR_GOVERNMENT = re.compile(
    r"[,;]?\s*(?:for|on\s+behalf\s+of)\s+(?:the\s+)?government\b[^,;]*", re.IGNORECASE
)


def _role_text(p: _Person, title_roles: list[str]) -> str | None:
    role_text = ", ".join(p.roles) or None
    if title_roles:
        title = " ".join(title_roles)
        if role_text is None:
            role_text = title
        elif p.department_first:
            role_text = f"{title}, {role_text}"
        elif not any(w.casefold() in role_text.casefold() for w in title.split()):
            role_text = f"{title}; {role_text}"
    return role_text


def read_person(
    base: SignatoryEntry, head: str, rest: list[str], title_roles: list[str]
) -> SignatoryEntry:
    """The entry for a person named `head`, with what the segments after the name say."""
    p = _segments(rest)
    role_text = _role_text(p, title_roles)
    # a minister signing a joint statement signs for their government ("Peter Dutton MP,
    # Australian Minister for Home Affairs"); a former minister signs for themself
    folded = (role_text or "").casefold()
    if government_role(folded) and not re.search(r"\bformer\b|\d", folded):
        places = find_countries(", ".join(filter(None, (role_text, p.affiliation, p.country))))
        if places:
            # the office is the role; "for the Government of X" says whom it is held for
            office = re.sub(_FOR_GOVERNMENT, "", role_text or "").strip(" ,;") or role_text
            return replace(
                base,
                label=places[0],
                kind="government",
                role=office,
                affiliation=p.affiliation,
                country=places[0],
                signed_by=head,
            )
    return replace(
        base,
        label=head,
        kind="person",
        role=role_text,
        affiliation=p.affiliation,
        country=p.country,
        region=p.region,
    )
