"""The signer vocabulary of data/signatories.yaml, and the questions asked of it.

Reading a signatory line (signatories.py), finding a letter's signer list and its addressees
(signer_lists.py, addressees.py) and telling a company's name in running text (actors.py) all
ask the same questions of one vocabulary: is this a country, an honorific, a post-nominal, a
role, a personal name, a legal suffix? This module loads data/signatories.yaml once and answers
them, so every stage reads the data the same way; data_path and load_yaml also serve the other
files of data/.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import resources
from ..errors import PolicygraphError
from ..models import ActorKind

__all__ = [
    "Honorific",
    "Lexicon",
    "city_of",
    "country_of",
    "data_path",
    "find_countries",
    "government_role",
    "has_keyword",
    "is_legal_suffix",
    "is_person_name",
    "is_post_nominals",
    "is_role",
    "lexicon",
    "load_yaml",
    "role_phrase_len",
    "section_kind",
    "strip_honorifics",
    "strip_legal_suffix",
    "strip_post_nominals",
]

_UP = "A-ZÀ-ÖØ-ÞĀ-Ž"
_LOW = "a-zß-öø-ÿā-ž'’"
# "Hanson-Young", "O'Shea", "McKinney", "A." — but not "SMEX" or "epicenter.works"
NAME_TOKEN = re.compile(
    rf"^(?:[{_UP}][{_LOW}]*(?:[{_UP}][{_LOW}]+)*(?:[-'’][{_UP}{_LOW}]+)*|[A-Z]\.)$"
)
WORD = re.compile(r"[\w'’.&-]+")


def data_path(name: str) -> Path:
    """A file of the project's data/ folder (policygraph.resources finds it)."""
    return resources.data(name)


def load_yaml(name: str) -> dict[str, Any]:
    """A YAML mapping from data/, or a PolicygraphError naming the file and the problem."""
    path = data_path(name)
    data = resources.load_yaml(path, "lexicon")
    if not isinstance(data, dict):
        raise PolicygraphError(f"{path}: expected a mapping at the top level")
    return data


@dataclass(frozen=True)
class Honorific:
    text: str
    role: str | None  # the role it gives the person, or None for a form of address


@dataclass(frozen=True)
class Lexicon:
    """data/signatories.yaml, prepared for matching."""

    countries: dict[str, str]  # any written form -> canonical country name
    regions: frozenset[str]
    legal_suffixes: tuple[tuple[str, bool], ...]  # (suffix, makes a company), longest first
    honorifics: tuple[Honorific, ...]  # longest first
    post_nominals: frozenset[str]
    role_words: frozenset[str]
    role_modifiers: frozenset[str]
    strong_keywords: frozenset[str]
    weak_keywords: frozenset[str]
    companies: frozenset[str]
    government_patterns: tuple[re.Pattern[str], ...]
    government_roles: tuple[str, ...]
    disclaimers: tuple[re.Pattern[str], ...]
    sections: tuple[tuple[re.Pattern[str], ActorKind], ...]
    particles: frozenset[str]
    unit_heads: frozenset[str] = frozenset()
    name_suffixes: frozenset[str] = frozenset()
    company_heads: frozenset[str] = frozenset()
    cities: dict[str, str] | None = None  # city -> the country it lies in
    state_codes: dict[str, str] | None = None  # "CA" -> the country whose state it is
    no_affiliation: frozenset[str] = frozenset()  # casefolded: "independent", "n/a"


def _strings(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key) or []
    return [str(v) for v in value]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = load_yaml("signatories.yaml")
    countries: dict[str, str] = {}
    for name, variants in (data.get("countries") or {}).items():
        countries[str(name)] = str(name)
        for v in variants or []:
            countries[str(v)] = str(name)
    suffixes = sorted(
        ((str(s["suffix"]), bool(s.get("company"))) for s in data.get("legal_suffixes") or []),
        key=lambda p: -len(p[0]),
    )
    honorifics = sorted(
        (
            Honorific(str(h["text"]), str(h.get("as") or h["text"]) if h.get("role") else None)
            for h in data.get("honorifics") or []
        ),
        key=lambda h: -len(h.text),
    )
    keywords = data.get("org_keywords") or {}
    sections: list[tuple[re.Pattern[str], ActorKind]] = []
    for kind, patterns in (data.get("list_sections") or {}).items():
        for p in patterns or []:
            sections.append((re.compile(rf"^(?:{p})\s*:?$", re.IGNORECASE), kind))
    return Lexicon(
        countries=countries,
        regions=frozenset(_strings(data, "regions")),
        legal_suffixes=tuple(suffixes),
        honorifics=tuple(honorifics),
        post_nominals=frozenset(_strings(data, "post_nominals")),
        role_words=frozenset(w.casefold() for w in _strings(data, "role_words")),
        role_modifiers=frozenset(w.casefold() for w in _strings(data, "role_modifiers")),
        strong_keywords=frozenset(w.casefold() for w in keywords.get("strong") or []),
        weak_keywords=frozenset(w.casefold() for w in keywords.get("weak") or []),
        companies=frozenset(_strings(data, "companies")),
        government_patterns=tuple(
            re.compile(p, re.IGNORECASE) for p in _strings(data, "government_patterns")
        ),
        government_roles=tuple(w.casefold() for w in _strings(data, "government_roles")),
        disclaimers=tuple(re.compile(p, re.IGNORECASE) for p in _strings(data, "disclaimers")),
        sections=tuple(sections),
        particles=frozenset(_strings(data, "name_particles")),
        unit_heads=frozenset(_strings(data, "unit_heads")),
        name_suffixes=frozenset(_strings(data, "name_suffixes")),
        company_heads=frozenset(_strings(data, "company_heads")),
        cities={str(k): str(v) for k, v in (data.get("cities") or {}).items()},
        no_affiliation=frozenset(w.casefold() for w in _strings(data, "no_affiliation")),
        state_codes={
            str(code): str(country)
            for country, codes in (data.get("state_codes") or {}).items()
            for code in codes or []
        },
    )


def country_of(text: str) -> str | None:
    """The canonical country a whole string names ("Brasil" -> "Brazil"), or None."""
    return lexicon().countries.get(text.strip().strip("."))


def city_of(text: str) -> tuple[str, str] | None:
    """(city, its country) when a whole string names a city of the gazetteer ("Berlin")."""
    name = text.strip().strip(".")
    country = (lexicon().cities or {}).get(name)
    return (name, country) if country else None


def section_kind(line: str) -> ActorKind | None:
    """The kind of signer a list section header announces ("Organisations", "Individuals")."""
    text = line.strip().strip("*_#").strip()
    for pattern, kind in lexicon().sections:
        if pattern.match(text):
            return kind
    return None


def find_countries(text: str) -> tuple[str, ...]:
    """Countries a string names, in order ("US-UK-Australia" -> United States, United Kingdom,
    Australia; "Australian governments" -> Australia)."""
    lex = lexicon()
    forms = sorted(lex.countries, key=len, reverse=True)
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for form in forms:
        for m in re.finditer(rf"(?<![\w]){re.escape(form)}(?![\w])", text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), lex.countries[form]))
    seen: list[str] = []
    for _, country in sorted(found):
        if country not in seen:
            seen.append(country)
    return tuple(seen)


# --- predicates --------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return WORD.findall(text)


def has_keyword(text: str, keywords: frozenset[str]) -> bool:
    return any(w.casefold().strip(".") in keywords for w in _words(text))


def strip_legal_suffix(text: str) -> tuple[str, str | None, bool]:
    """("Restore The Fourth, Inc." ->) name, suffix, whether the suffix makes a company."""
    for suffix, company in lexicon().legal_suffixes:
        for sep in (", ", " "):
            if text.endswith(sep + suffix) and len(text) > len(sep + suffix):
                return text[: -len(sep + suffix)].rstrip(" ,"), suffix, company
    return text, None, False


def is_legal_suffix(text: str) -> bool:
    return any(text == suffix for suffix, _ in lexicon().legal_suffixes)


def strip_honorifics(text: str) -> tuple[str, list[str]]:
    """Leading titles off a name; returns the rest and the roles the titles give."""
    roles: list[str] = []
    rest = text
    changed = True
    while changed:
        changed = False
        for h in lexicon().honorifics:
            if rest.startswith(h.text + " ") and len(rest) > len(h.text) + 1:
                rest = rest[len(h.text) + 1 :].lstrip()
                if h.role:
                    roles.append(h.role)
                changed = True
                break
    return rest, roles


def strip_post_nominals(text: str) -> str:
    words = text.split()
    post = lexicon().post_nominals
    while len(words) > 1 and words[-1].strip(",") in post:
        words.pop()
    return " ".join(words).rstrip(" ,")


def is_post_nominals(text: str) -> bool:
    words = text.split()
    return bool(words) and all(w in lexicon().post_nominals for w in words)


def is_person_name(text: str) -> bool:
    """2–5 capitalised name tokens (particles and initials allowed), nothing that names a body."""
    lex = lexicon()
    tokens = text.split()
    if not 2 <= len(tokens) <= 5:
        return False
    if any(ch.isdigit() for ch in text) or text in lex.countries or text in lex.regions:
        return False
    if has_keyword(text, lex.strong_keywords):
        return False
    if all(t.casefold() in lex.role_words | lex.role_modifiers for t in tokens):
        return False  # "Executive Director", "Associate Professor"
    if government_role(text):
        return False  # "United States Attorney General"
    named = 0
    for i, tok in enumerate(tokens):
        if tok in lex.particles and 0 < i < len(tokens) - 1:
            continue
        if tok in lex.name_suffixes and i == len(tokens) - 1 and i >= 2:
            continue  # "Barber II", "Natalie Jr."
        if not NAME_TOKEN.match(tok):
            return False
        if len(tok) > 2 and not tok.isupper():
            named += 1
    return named >= 2 or (named >= 1 and len(tokens) >= 2 and tokens[-1][0].isupper())


def role_phrase_len(words: Sequence[str]) -> int:
    """How many leading words form a role phrase ("Acting Co-deputy Leader ..." -> 3), or 0."""
    lex = lexicon()
    i = 0
    last_role = 0
    while i < len(words):
        w = words[i].casefold().strip(".,")
        if w in lex.role_words:
            last_role = i + 1
        elif w not in lex.role_modifiers and not (
            words[i][0].islower() and w not in {"of", "for", "at"}
        ):
            break
        i += 1
    return last_role


def is_role(segment: str) -> bool:
    lex = lexicon()
    words = segment.split()
    if not words:
        return False
    if segment[0].islower() or government_role(segment):
        return True
    return words[-1].casefold().strip(".") in lex.role_words or role_phrase_len(words) > 0


def government_role(text: str) -> bool:
    folded = text.casefold()
    return any(re.search(rf"\b{re.escape(r)}\b", folded) for r in lexicon().government_roles)
