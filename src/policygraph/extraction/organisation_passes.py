"""The ActorFinder pass for organisations named by their own name ("Electronic Frontier
Foundation (EFF)", "Pakistani organisation Bolo Bhi"), with the people and the second
bodies written inside one capitalised run ("Roger Clarke of the Australian Privacy
Foundation", "Digital Rights Watch and Access Now"). The head words come from
data/gazetteer.yaml, the roles from data/rules/people.yaml."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .name_patterns import CAPS, PERSON, STOP_START

if TYPE_CHECKING:
    from .actors import ActorFinder

__all__ = ["organisations"]


def organisations(f: ActorFinder) -> None:
    t = f.text
    for m in CAPS.finditer(t):
        name, start = m.group(0), m.start()
        words = name.split()
        while words and words[0] in STOP_START:
            start += len(words[0]) + 1
            words = words[1:]
        roles = f.people.capitalised_roles
        # "Chair of X", "Executive Director of X": the organisation only
        role = re.match(rf"(?:(?:{roles})[ ]+)*(?:{roles})[ ]+of[ ]+(?:the[ ]+)?", " ".join(words))
        if role:  # "Chair of Digital Rights Watch": the organisation only
            start += role.end()
            words = " ".join(words)[role.end() :].split()
        name = " ".join(words)
        if not name or not f.is_org_name(name) or name in f.gaz.companies:
            continue
        if len(words) < 2:
            continue  # a lone head word ("Research ethics", "Media contact")
        if _person_of_body(f, name, start) or _joined(f, name, start):
            continue
        end = start + len(t[start : m.end()])
        # "Electronic Frontier Foundation (EFF)": its acronym; "Tern Labs (Germany)": its place
        am = re.match(r"\s*\(([A-Z][A-Za-z0-9.&]{1,9}|[A-Z][\w .]{2,30})\)", t[end:])
        inside = am.group(1) if am else None
        country = f.gaz.countries.get(inside or "")
        acronym = inside if inside and not country and " " not in inside else None
        if country and am:  # as written: the resolver says whether it is a chapter
            end += am.end()
        f.add(t[start:end], "organisation", start, end, acronym=acronym, country=country)
    # "organisation Bolo Bhi", "Pakistani organisation Bolo Bhi"
    for m in re.finditer(rf"(?:organi[sz]ations?|groups?|NGOs?)\s+({PERSON})", t):
        pre = t[max(0, m.start() - 20) : m.start()].split()
        country = f.gaz.adjectives.get(pre[-1]) if pre else None
        f.add(m.group(1), "organisation", m.start(1), m.end(1), country=country)


def _person_of_body(f: ActorFinder, name: str, start: int) -> bool:
    """ "Roger Clarke of the Australian Privacy Foundation": a person and the body."""
    person = re.fullmatch(r"([A-Z][\w'’-]+(?: [A-Z][\w'’-]+){1,2}) of (?:the )?(.+)", name)
    if not person or f._org_word(person.group(1)) or not f.is_org_name(person.group(2)):
        return False
    org = person.group(2)
    org_start = start + name.rindex(org)
    # "Jane Doe of the University of X and Acme Ltd": her body, then another actor
    first, sep, other = org.partition(" and ")
    if sep and _named_body(f, first) and _named_body(f, other):
        org = first
        other_start = org_start + len(first) + len(sep)
        f.add(other, "organisation", other_start, other_start + len(other))
    f.add(person.group(1), "person", start, start + len(person.group(1)), affiliation=org)
    f.add(org, "organisation", org_start, org_start + len(org))
    return True


def _joined(f: ActorFinder, name: str, start: int) -> bool:
    """ "Digital Rights Watch and Access Now", "Campaign for Liberty and the Constitutional
    Alliance": two actors, each found on its own; "Secure Justice and Chair of the City's
    Commission": the body, then a role."""
    roles = f.people.capitalised_roles
    cut = re.search(rf" and (?:(?:{roles}) )+of ", name)
    if cut:
        name = name[: cut.start()]
    if " and the " in name or (" and " in name and f.is_org_name(name.split(" and ")[0])):
        pos = start
        for part in re.split(r" and (?:the )?", name):
            pos = f.text.index(part, pos)
            if f.is_org_name(part) or " and the " in name:
                f.add(part, "organisation", pos, pos + len(part))
            pos += len(part)
        return True
    if cut:
        f.add(name, "organisation", start, start + len(name))
    return bool(cut)


def _named_body(f: ActorFinder, text: str) -> bool:
    """An organisation's name ("Open Rights Group", "University of X"), or a company's
    name with its legal suffix ("Acme Ltd")."""
    from .lexicon import lexicon  # the legal suffixes of data/signatories.yaml

    words = text.split()
    return f.is_org_name(text) or (
        len(words) >= 2
        and words[0][:1].isupper()
        and (
            any(words[-1] == suffix for suffix, _ in lexicon().legal_suffixes)
            or (len(words) >= 3 and words[0] in f.gaz.org_heads and words[1] == "of")
        )
    )
