"""ActorFinder passes that find people by the company their names keep: a role and a body
("Raman Jit Singh Chima, Asia Policy Director at Access Now"), a title ("Attorney General
George Brandis"), or a full name the document gives elsewhere ("wrote to Zuckerberg")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .name_patterns import PERSON, STOP_START

if TYPE_CHECKING:
    from .actors import ActorFinder

__all__ = ["known_people", "people_with_roles", "titled_people"]


def people_with_roles(f: ActorFinder) -> None:
    t = f.text
    # a name stays on its line: "... at Open Net Collective.\n\nMedia contact" is not one
    # (bounded, 12 words of 40 letters: the unbounded run, tried at each start of a long
    # capitalised paragraph, took quadratic time)
    org = (
        r"(?:the[ \t]+)?[A-Z][\w'’.&-]{0,40}"
        r"(?:[ \t]+(?:of[ \t]+|for[ \t]+|&[ \t]+)?[A-Z][\w'’.&-]{0,40}){0,11}"
    )
    role = r"[A-Za-z][\w&-]*(?:\s+(?:and\s+)?[A-Za-z][\w&-]*){0,5}?"
    patterns = [
        # "Raman Jit Singh Chima, Asia Policy Director at Access Now"
        (rf"(?P<name>{PERSON}),\s+(?P<role>{role})\s+(?:at|of|for)\s+(?P<org>{org})", True),
        # "Amy Gray from Digital Rights Watch", "Lucie Krahulcova, from Access Now"
        (rf"(?P<name>{PERSON}),?\s+from\s+(?:the\s+)?(?P<org>{org})", False),
        # "Digital Rights Watch board member, Lizzie O’Shea"
        (
            rf"(?P<org>{org})\s+(?P<role>(?:board\s+)?(?:member|chair|director|spokesperson|"
            rf"CEO|founder|co-founder|president)),?\s+(?P<name>{PERSON})",
            True,
        ),
    ]
    for pattern, has_role in patterns:
        for m in re.finditer(pattern, t):
            name = f._strip_title(m.group("name"))
            org_name = f._affiliation(m.group("org"))
            if not f.is_org_name(org_name) and org_name not in f._known_orgs():
                continue
            if f.is_org_name(name[0]) or name[0] in f.gaz.countries:
                continue
            if len(name[0].split()) < 2 and not name[2]:
                continue  # "More from X", "ThisIsEngineering from Pexels": not a name
            role_text = m.group("role").strip() if has_role else None
            if role_text and role_text.split()[0] in ("parent", "and"):
                role_text = re.sub(r"^(?:parent\s+and\s+)", "", role_text)
            f.add(
                name[0],
                "person",
                name[1] + m.start("name"),
                m.start("name") + len(m.group("name")),
                role=role_text or name[2],
                affiliation=org_name,
            )
    # "Lucie (our Programme Director)", "our Board Chair, Lizzie"
    publisher = f.doc.meta.publisher
    for m in re.finditer(
        r"\b(?P<name>[A-Z][a-z]+)\s+\(our\s+(?P<role>[\w ]{3,40})\)|"
        rf"\bour\s+(?P<role2>(?:[A-Z]\w+[ ]+){{0,3}}(?:{f.people.capitalised_roles})),[ ]+"
        r"(?P<name2>[A-Z][a-z]+)\b",
        t,
    ):
        first = m.group("name") or m.group("name2")
        r = m.group("role") or m.group("role2")
        s = m.start("name") if m.group("name") else m.start("name2")
        f.add(first, "person", s, s + len(first), role=r, affiliation=publisher)


def titled_people(f: ActorFinder) -> None:
    t = f.text
    for m in re.finditer(rf"\b({f._title})(\.?)[ ]+({PERSON})", t):
        title, name = m.group(1), m.group(3)
        if m.group(2) and len(title) > 4:
            continue  # "... the Health Minister. We put ...": a sentence ends there
        if f.is_org_name(name) or name in f.gaz.countries or name in f.gaz.blocs:
            continue
        # a capitalised word before the title, not starting its sentence ("Tell President
        # Obama"), makes the title part of a name
        before = re.search(r"(^|.)\s*([A-Z][\w'’-]*)[ ]+$", t[max(0, m.start() - 30) : m.start()])
        if (
            len(name.split()) == 1
            and before
            and before.group(2) not in STOP_START
            and before.group(1) not in ("", ".", "!", "?", ":", "\n")
        ):
            continue  # "Criminal Justice Color of Change": the title is part of a name
        role = title if title not in ("Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Dame") else None
        f.add(name, "person", m.start(3), m.end(3), role=role)


def known_people(f: ActorFinder) -> None:
    """People the document names elsewhere with a title or role, written by surname, and
    letter signers and addressees named in the text."""
    t = f.text
    people = {m.name for m in f.found if m.kind == "person"}
    if f.letter is not None:
        people |= {e.label for e in f.letter.signatories if e.kind == "person"}
        people |= {a.name for a in f.letter.addressed_to if a.kind == "person"}
    for name in sorted(people, key=len, reverse=True):
        if len(name.split()) < 2:
            continue
        for m in re.finditer(rf"(?<![\w]){re.escape(name)}(?![\w])", t):
            f.add(name, "person", m.start(), m.end())
    # "wrote to Mark Zuckerberg", "sent to Zuckerberg"
    for m in re.finditer(rf"\b(?:wrote|written|sent|delivered|addressed)\s+to\s+({PERSON})", t):
        name = m.group(1)
        if f.is_org_name(name) or name in f.gaz.countries or name in f.gaz.blocs:
            continue
        full = f.full_name(name)
        if full or len(name.split()) >= 2:
            f.add(full or name, "person", m.start(1), m.end(1))
