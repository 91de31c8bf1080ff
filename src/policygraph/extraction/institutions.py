"""ActorFinder passes for actors named by their institution or their role rather than by an
organisation's name: legislatures ("Congress", "the Brazilian Congress"), governments by
their leader ("the Morrison government", "the Clinton administration") or their country
("Government of India"), and people named with their role ("FBI Director Christopher Wray").
The words come from data/gazetteer.yaml and data/rules/people.yaml."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .name_patterns import STOP_START

if TYPE_CHECKING:
    from .actors import ActorFinder

__all__ = ["government_of", "led_governments", "legislatures", "role_people"]


def legislatures(f: ActorFinder) -> None:
    """ "Congress", "the Senate", "Brazilian Congress", "United States Congress"; not the
    end of a longer name ("Creative Commons", "Senate Judiciary Committee")."""
    g = f.gaz
    if not g.legislatures:
        return
    bodies = g.alt("legislatures")
    place = rf"(?:{g.alt('countries')}|{f._adj})"
    for m in re.finditer(
        rf"(?:\b(?P<place>{place})\s+)?(?<![\w-])(?P<body>{bodies})(?![\w-])", f.text
    ):
        if re.match(r"\s+[A-Z]", f.text[m.end() : m.end() + 3]):
            continue  # "Senate Judiciary Committee": part of a longer name
        before = re.search(r"([A-Z][\w'’.-]*)\s+$", f.text[max(0, m.start() - 30) : m.start()])
        if m.group("place") is None and before and before.group(1) not in STOP_START:
            continue  # "Creative Commons"
        f.add(m.group(0), "government", m.start(), m.end())


def led_governments(f: ActorFinder) -> None:
    """ "the Morrison government", "the Clinton administration": a government named by its
    leader's surname (a capitalised word that is no country, adjective or sentence start)."""
    g = f.gaz
    for m in re.finditer(
        r"\b(?:the|The)\s+([A-Z][a-z][\w'’-]+)\s+(government|administration)\b", f.text
    ):
        word = m.group(1)
        if word in g.adjectives or word in g.countries or word in STOP_START or word in g.org_heads:
            continue
        if word in f.people.not_in_names:
            continue
        f.add(f"{word} {m.group(2)}", "government", m.start(1), m.end(2))


def government_of(f: ActorFinder) -> None:
    """ "Government of India", "the Government of Canada": the country's government."""
    g = f.gaz
    for m in re.finditer(
        rf"\b[Gg]overnment\s+of\s+(?:the\s+)?({g.alt('countries')})(?![\w])", f.text
    ):
        country = g.countries[m.group(1)]
        f.add(m.group(0), "government", m.start(), m.end(), country=country)


def role_people(f: ActorFinder) -> None:
    """People named with their role: "FBI Director Christopher Wray", "Thomas Drake, a
    whistleblower …" (the rules of data/rules/people.yaml)."""
    g = f.gaz
    for p in f.people.role_people(f.text):
        if f.is_org_name(p.name) or p.name in g.countries or p.name in g.blocs:
            continue
        f.add(p.name, "person", p.start, p.end, role=p.role, rule=p.rule)
