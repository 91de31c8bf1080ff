"""Actors named in running text: governments and countries, blocs, companies, organisations
and people with their roles. Rules plus the data in data/gazetteer.yaml; no model.

Nothing is taken from `Document.boilerplate` or from the letter's own signatory lines (the
letter extractor reports those).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from ..models import ActorKind, Document, LetterFinding, Mention, Span
from . import institutions, organisation_passes, person_passes
from .gazetteer import Gazetteer, load_gazetteer
from .name_patterns import BODY_WORDS, PLACE_PREP, STOP_START
from .people import load_people_rules

__all__ = ["ActorFinder", "Gazetteer", "load_gazetteer"]


class ActorFinder:
    """Finds actor mentions in one document."""

    def __init__(self, doc: Document, letter: LetterFinding | None, gaz: Gazetteer | None = None):
        self.doc = doc
        self.text = doc.text
        self.gaz = gaz or load_gazetteer()
        self.letter = letter
        self.skip: list[tuple[int, int]] = [(b.start, b.end) for b in doc.boilerplate]
        if letter is not None:
            self.skip += [(e.span.start, e.span.end) for e in letter.signatories]
        self.people = load_people_rules()
        self._rule = "mention"
        self.found: list[Mention] = []
        self._taken: list[tuple[int, int]] = []
        g = self.gaz
        self._country_re = re.compile(rf"(?<![\w.])(?:{g.alt('countries')})(?![\w])")
        self._adj = g.alt("adjectives")
        self._bloc_re = re.compile(rf"(?<![\w])(?:{g.alt('blocs')})(?![\w])")
        self._agency_re = re.compile(rf"(?<![\w])(?:{g.alt('agencies')})(?![\w])")
        self._company_re = re.compile(rf"(?<![\w])(?:{g.alt('companies')})(?![\w])", re.I)
        self._title = g.alt("titles")

    # ------------------------------------------------------------------ helpers
    def skipped(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.skip)

    def free(self, start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in self._taken)

    def add(self, name: str, kind: ActorKind, start: int, end: int, **extra: Any) -> Mention | None:
        extra.setdefault("rule", self._rule)
        # "Christian Porter's bill", "the Labor Party's plan", "Home Affairs' powers": the
        # actor is named without the possessive
        possessive = re.search(r"['’]s$|(?<=s)['’]$", self.text[start:end])
        if possessive and re.search(r"['’]s?$", name):
            end -= len(possessive.group(0))
            name = re.sub(r"['’]s?$", "", name)
        if kind == "person":
            body = [i for i, w in enumerate(name.split()[:-1]) if self._org_word(w)]
            if body:  # "Rights Commission Gillian Triggs": the body's words are not her name
                words = name.split()[body[-1] + 1 :]
                start += self.text[start:end].rindex(words[0]) if len(words) >= 2 else 0
                name = " ".join(words)
                if len(words) < 2:
                    return None
            if not self.people.words_of_a_name(name) or any(
                w in self.gaz.adjectives or w in self.gaz.countries for w in name.split()
            ):
                return None  # "Happy New Year", "TIM", "Australian Lawyers": not a name
            if "\n" in self.text[start:end]:
                return None
        if self.skipped(start, end) or not self.free(start, end):
            return None
        m = Mention(name=name, kind=kind, span=Span(start, end, self.text[start:end]), **extra)
        self.found.append(m)
        self._taken.append((start, end))
        return m

    def home_country(self) -> str | None:
        counts = Counter(
            self.gaz.countries.get(m.group(0)) for m in self._country_re.finditer(self.text)
        )
        for m in re.finditer(rf"\b({self._adj})\b", self.text):
            counts[self.gaz.adjectives[m.group(1)]] += 1
        counts.pop(None, None)
        return counts.most_common(1)[0][0] if counts else None

    def is_org_name(self, name: str) -> bool:
        last = name.split()[-1].strip(".,’'s") if name.split() else ""
        return last in self.gaz.org_heads or name in self.gaz.companies

    # ------------------------------------------------------------------ passes
    def find(self) -> tuple[Mention, ...]:
        # Passes in priority order (an earlier pass's span is taken); each pass's id is the
        # `rule` of the mentions it finds, unless the pass names a finer one.
        passes: tuple[tuple[str, Callable[[], None]], ...] = (
            ("mention.government.of-country", partial(institutions.government_of, self)),
            ("mention.government", self.governments),
            ("mention.bloc", self.blocs),
            ("mention.government.by-leader", partial(institutions.led_governments, self)),
            ("mention.legislature", partial(institutions.legislatures, self)),
            ("mention.person.role-org", partial(person_passes.people_with_roles, self)),
            ("mention.person.role", partial(institutions.role_people, self)),
            ("mention.person.titled", partial(person_passes.titled_people, self)),
            ("mention.company", self.companies),
            ("mention.organisation", partial(organisation_passes.organisations, self)),
            ("mention.country", self.countries),
            ("mention.name-list", self.name_lists),
            ("mention.person.known", partial(person_passes.known_people, self)),
            ("mention.acronym", self.acronyms_and_outlets),
        )
        for rule, step in passes:
            self._rule = rule
            step()
        self.found.sort(key=lambda m: m.span.start)
        return tuple(self.found)

    def governments(self) -> None:
        g, t = self.gaz, self.text
        member = rf"(?:the\s+)?(?:{g.alt('countries')}|{self._adj})"
        # Every run below is bounded ({0,30} members, {0,8} words of at most 40 letters): an
        # unbounded run tried at each start of a long capitalised paragraph, then failing,
        # took quadratic time (20 KB of capitals: 26 s).
        # "the governments of the US, the UK and Australia"
        for m in re.finditer(
            rf"governments?\s+of\s+({member}(?:\s*,\s*{member}){{0,30}}(?:\s*,?\s+and\s+{member}))",
            t,
        ):
            self._members(m.start(1), m.end(1), whole=(m.start(), m.end()))
        # "the United States, United Kingdom, and Australian governments"
        for m in re.finditer(
            rf"((?:{member})(?:\s*,\s*(?:{member})){{0,30}}(?:\s*,?\s+and\s+(?:{member}))?)(?:['’]s)?"
            r"\s*[Gg]overnments?",
            t,
        ):
            self._members(m.start(1), m.end(), whole=(m.start(), m.end()))
        # "Turnbull Government", "Federal Government": the government of the home country
        home = self.home_country()
        for m in re.finditer(r"\b(?:the\s+)?([A-Z]\w+)\s+Government\b(?![ ]+[A-Z])", t):
            word = m.group(1)
            if word in g.adjectives or word in g.countries or word in STOP_START:
                continue
            if word == "Federal" and home:
                self.add(home, "government", m.start(1), m.end(), country=home)
            elif word != "Federal":
                self.add(f"{word} Government", "government", m.start(1), m.end())
        # government bodies: "Australian Federal Police", "NSW Department of Education"
        heads = g.alt("gov_heads")
        for m in re.finditer(
            # "Department of Electronics and Information Technology": "and" inside the name
            rf"(?:[A-Z][\w'’]{{0,40}}[ ]+){{0,8}}(?:{heads})\b"
            rf"(?:[ ]+of(?:[ ]+[A-Z][\w'’]{{0,40}}){{1,8}}"
            rf"(?:[ ]+(?:and|&)(?:[ ]+[A-Z][\w'’]{{0,40}}){{1,8}}){{0,3}})?(?![ ]+[A-Z])"
            r"|\b(?:Attorney[- ]General|Prime Minister)['’]s\s+[Dd]epartment",
            t,
        ):
            name = m.group(0)
            first = name.split()[0]
            start = m.start()
            if first in STOP_START:
                start += len(first) + 1
                name = name[len(first) + 1 :]
            if len(name.split()) < 2 or (
                name.split()[0] in g.adjectives and name.endswith("Government")
            ):
                continue
            self.add(name, "government", start, m.end())

    def _members(self, start: int, end: int, whole: tuple[int, int]) -> None:
        if self.skipped(*whole):
            return
        g = self.gaz
        for m in re.finditer(
            rf"(?<![\w.])(?:{g.alt('countries')}|{self._adj})(?![\w])", self.text[start:end]
        ):
            form = m.group(0)
            country = g.countries.get(form) or g.adjectives[form]
            end_at = start + m.end()
            if form not in g.countries:  # "Australian governments": the adjective with its noun
                tail = re.match(r"\s*[Gg]overnments?", self.text[end_at:])
                end_at += tail.end() if tail else 0
            self.add(country, "government", start + m.start(), end_at, country=country)

    def blocs(self) -> None:
        for m in self._bloc_re.finditer(self.text):
            if re.match(r"[ ]+(?!Eyes)[A-Z]\w", self.text[m.end() : m.end() + 20]):
                continue  # part of a longer name ("UN Human Rights Council")
            self.add(self.gaz.blocs[m.group(0)], "government", m.start(), m.end())
        for m in self._agency_re.finditer(self.text):
            # "U.S. Federal Bureau of Investigation": the country in front, as written (the
            # resolver takes it for the body, in that country)
            front = re.search(
                rf"(?<![\w.])({self.gaz.alt('countries')})[ ]+$", self.text[: m.start()][-30:]
            )
            if front:
                start = m.start() - len(front.group(0))
                country = self.gaz.countries[front.group(1)]
                self.add(self.text[start : m.end()], "government", start, m.end(), country=country)
                continue
            self.add(self.gaz.agencies[m.group(0)], "government", m.start(), m.end())

    def countries(self) -> None:
        for m in self._country_re.finditer(self.text):
            before = self.text[max(0, m.start() - 40) : m.start()]
            # "in Afghanistan, Pakistan, Yemen, and Syria": places, not actors
            lead = re.sub(r"(?:[A-Z][\w ]*,\s*)*(?:and\s+)?$", "", before)
            if PLACE_PREP.search(before) or PLACE_PREP.search(lead):
                continue
            after = self.text[m.end() : m.end() + 30]
            if re.match(r"\s+[A-Z]\w", after) and not re.match(r"\s+(?:and|The)\b", after):
                continue  # part of a longer name ("US Technology Policy Committee")
            country = self.gaz.countries[m.group(0)]
            self.add(country, "government", m.start(), m.end(), country=country)

    def companies(self) -> None:
        products = self.gaz.alt("product_nouns")
        for m in self._company_re.finditer(self.text):
            name = next(c for c in self.gaz.companies if c.casefold() == m.group(0).casefold())
            if products and re.match(rf"!|\s+(?:{products})\b", self.text[m.end() : m.end() + 20]):
                continue  # "Cisco routers", "Yahoo! Messenger": the product, not the company
            if m.group(0)[0].isupper() or m.group(0) == name:  # "eBay" as the company writes it
                # "Apple Inc.": the legal form belongs to the name as written
                legal = re.match(
                    r",?[ ]+(?:Inc\.?|Ltd\.?|LLC|Corp\.?|Corporation|plc|PLC)(?!\w)",
                    self.text[m.end() : m.end() + 14],
                )
                end = m.end() + (legal.end() if legal else 0)
                written = self.text[m.start() : end] if legal else name
                self.add(written, "company", m.start(), end)

    def acronyms_and_outlets(self) -> None:
        t = self.text
        for m in list(self.found):
            if m.acronym:
                for a in re.finditer(rf"(?<![\w]){re.escape(m.acronym)}(?![\w])", t):
                    self.add(m.name, m.kind, a.start(), a.end(), acronym=m.acronym)
        # "told MediaNama": whoever is told a statement is a news outlet
        for told in re.finditer(r"\btold\s+([A-Z][\w]+(?:\s+[A-Z][\w]+){0,3})", t):
            self.add(told.group(1), "organisation", told.start(1), told.end(1))

    def _org_word(self, words: str) -> bool:
        """Words that begin or end the name of a body rather than of a person."""
        return any(w in self.gaz.org_heads or w in BODY_WORDS for w in words.split()) or any(
            words.endswith(h) for h in self.gaz.gov_heads
        )

    def _affiliation(self, org: str) -> str:
        return re.sub(r"^the\s+", "", org.strip(" ,.")).strip()

    def strip_title(self, name: str) -> str:
        """ "Attorney General George Brandis" → "George Brandis"."""
        return re.sub(rf"^(?:(?:{self._title})\.?\s+)+", "", name).strip()

    def _known_orgs(self) -> set[str]:
        return {m.name for m in self.found if m.kind in ("organisation", "company")}

    def _strip_title(self, name: str) -> tuple[str, int, str | None]:
        m = re.match(rf"({self._title})\.?\s+", name)
        if m and len(name[m.end() :].split()) >= 1:
            return name[m.end() :], m.end(), m.group(1)
        return name, 0, None

    def name_lists(self) -> None:
        """Lists of names after "include", "by", "such as": people or organisations, by majority."""
        t = self.text
        # (bounded: names of at most 12 words of 40 letters, lists of at most 31 names; the
        # unbounded runs took quadratic time on a long capitalised paragraph)
        item = r"[A-Z][\w'’.&-]{0,40}(?:[ ]+(?:of[ ]+|for[ ]+|&[ ]+)?[A-Z][\w'’.&-]{0,40}){0,11}"
        # "A, B and C"; or "A, B, C and several others" (three names before a lower-case end)
        lists = rf"({item}(?:,\s+{item}){{1,30}},?\s+(?:and|as well as)\s+{item}"
        lists += rf"|{item}(?:,\s+{item}){{2,30}}(?=,?\s+(?:and|or)\s+[a-z]))"
        for m in re.finditer(lists, t):
            items = list(re.finditer(item, m.group(1)))
            names = [i.group(0) for i in items if i.group(0) not in ("and",)]
            orgs = sum(1 for n in names if self.is_org_name(n) or n in self._known_orgs())
            if any(n in self.gaz.countries or n in self.gaz.blocs for n in names):
                continue
            kind: ActorKind = "organisation" if orgs * 2 >= len(names) else "person"
            if kind == "person" and not all(
                re.fullmatch(r"[A-Z][\w'’-]+(?: [A-Z][\w'’.-]+){1,2}", n) for n in names
            ):
                continue
            for i in items:
                name = i.group(0)
                if name.split()[0] in STOP_START:
                    continue
                self.add(name, kind, m.start(1) + i.start(), m.start(1) + i.end())

    def full_name(self, surname: str) -> str | None:
        """The person this document names in full whose surname (or first name) this is."""
        people = [m for m in self.found if m.kind == "person" and len(m.name.split()) >= 2]
        if self.letter is not None:
            people += [
                Mention(a.name, "person", a.span)
                for a in self.letter.addressed_to
                if a.kind == "person"
            ]
        want = surname.replace("’", "'")
        for p in people:
            parts = p.name.replace("’", "'").split()
            if want in (parts[-1], parts[0], " ".join(parts[-2:])):
                return p.name
        return None


def complete_surnames(mentions: tuple[Mention, ...], finder: ActorFinder) -> tuple[Mention, ...]:
    """A person written by surname alone ("Ms Gray") takes the full name the document gives;
    one word that is no one's surname and has no title or role next to it is not a person
    ("Tom", "Evil")."""
    out = []
    for m in mentions:
        if m.kind == "person" and len(m.name.split()) == 1:
            full = finder.full_name(m.name)
            if full:
                m = replace(m, name=full)
            elif not m.role:
                continue
        out.append(m)
    return tuple(out)
