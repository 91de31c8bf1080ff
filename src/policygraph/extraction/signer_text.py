"""The written form of one signer line, read into "Name, field, field" segments.

Lines come with furniture around the name: a table row ("Orchid<TAB>Germany"), a trailing
parenthesis ("Title Name (Affiliation)", "Kestrel Network (Germany)"), a nickname ("William
(Bill) Buchanan"), a dash between a person and their body ("Jane Doe – Orchid"), emphasis
markers and disclaimers ("(for identification only)"). These functions normalise that form, so
that signatories.py reads every line the same way; a parenthesised acronym and a country or
chapter after a dash ("Internet Society – Bulgaria") are left for it to decide.
"""

from __future__ import annotations

import re

from .lexicon import is_person_name, is_role, lexicon, strip_honorifics, strip_post_nominals

__all__ = [
    "DASH_SPLIT",
    "ZERO_WIDTH",
    "clean_line",
    "is_acronym",
    "is_slash_signer",
    "normalise_form",
    "role_dash",
    "split_segments",
    "state_place",
]

ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# A dash that separates parts of a name ("Internet Society – Bulgaria"); a hyphen inside a
# word ("IT-Political") is not one.
DASH_SPLIT = re.compile(r"^(?P<left>.+?)\s+[–—-]\s+(?P<right>.+)$")


def split_segments(text: str) -> list[str]:
    """Comma-separated parts, not splitting inside parentheses."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def is_acronym(text: str) -> bool:
    t = text.strip()
    letters = [c for c in t if c.isalpha()]
    if not (2 <= len(t) <= 15) or " " in t or not letters:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper >= 2 and upper >= len(letters) * 0.6


def clean_line(line: str) -> str:
    # a table row ("Orchid<TAB>Germany") reads as "Orchid, Germany"
    # and so does a row set out with spaces ("Orchid      Germany")
    line = re.sub(r"\s*(?:\t+| {4,})\s*", ", ", line.strip("\t "))
    text = line.translate(ZERO_WIDTH).replace("**", "").replace("__", "").strip()
    text = text.strip("*_").strip()
    for pattern in lexicon().disclaimers:
        text = pattern.sub("", text).strip()
    return text.rstrip(";").strip()


_TRAILING_PAREN = re.compile(r"^(?P<head>.+?)\s*\((?P<inner>[^()]+)\)\s*$")
_NICKNAME = re.compile(r"\s*\([A-Z][a-z]+\)(?=\s)")


def _unbracketed(text: str) -> str:
    """ "Title Name (Affiliation)", "Kestrel Network (Germany)" read as "Name, Affiliation" and
    "Kestrel Network, Germany"; a parenthesised acronym stays ("Open Rights Group (ORG)"),
    as does a nickname inside a name ("William (Bill) Buchanan") once dropped."""
    m = _TRAILING_PAREN.match(text)
    if m is None or is_acronym(m.group("inner")) or "," in m.group("head"):
        return text
    head = _NICKNAME.sub("", m.group("head"))
    return f"{head}, {m.group('inner').strip()}"


def _person_dash(text: str) -> str:
    """ "Jane Doe – Open Lantern Society" read as "Jane Doe, Open Lantern Society"."""
    m = DASH_SPLIT.match(text)
    if m is None or "," in m.group("left"):
        return text
    lex = lexicon()
    if m.group("right") in lex.countries or m.group("right") in lex.regions:
        return text  # "Tern Labs - Portugal": a country after the name (or a chapter)
    named, _ = strip_honorifics(m.group("left"))
    if is_person_name(strip_post_nominals(named)) and m.group("right")[:1].isupper():
        return f"{m.group('left')}, {m.group('right')}"
    return text


# "Jane Doe / Professor, Example University": a slash between a signer and what they are
SLASH_SPLIT = re.compile(r"^(?P<left>[^/,]+?)\s+/(?:\s+(?P<right>\S.*))?\s*$")


def _person_slash(text: str) -> str:
    """ "Jane Doe / Author, Chile" read as "Jane Doe, Author, Chile"; "Jane Doe /" (nothing
    after the slash) as "Jane Doe"; "Orchid / Germany" as "Orchid, Germany". Otherwise only
    after a personal name: "TCP / IP Working Group" stays."""
    m = SLASH_SPLIT.match(text)
    if m is None:
        return text
    named, _ = strip_honorifics(m.group("left"))
    right = (m.group("right") or "").strip()
    lex = lexicon()
    if right and (right in lex.countries or right in lex.regions or right in (lex.cities or {})):
        return f"{m.group('left')}, {right}"  # "Orchid Collective / Germany": where it is
    single = len(named.split()) == 1 and named[:1].isupper() and is_role(right.split(",")[0])
    if not (is_person_name(strip_post_nominals(named)) or single):
        return text  # (a one-word name before a role, "Zimoun / Artist", is a signer too)
    # "CTO / Tern Labs": a further slash parts role and body
    right = re.sub(r"\s+/\s+", ", ", right)
    return f"{m.group('left')}, {right}" if right else m.group("left")


def is_slash_signer(text: str) -> bool:
    """A "Name / role, affiliation" signer line (however long its role)."""
    text = clean_line(text)
    return _person_slash(text) != text


def normalise_form(text: str) -> str:
    """A cleaned line in the form the reader takes: parentheses, dashes and a slash after a
    name as segments."""
    return _person_dash(_unbracketed(_person_slash(text)))


def role_dash(segment: str) -> list[str]:
    """ "Professor - Universidad de Ejemplo" (a role, a dash, a body): two segments; the dashes
    and slashes a line leaves around a segment ("- Orchid Network -", "/ Tern Labs") dropped."""
    seg = segment.strip(" -–—/")
    m = DASH_SPLIT.match(seg)
    if m and m.group("right")[:1].isupper() and is_role(m.group("left")):  # not "2013 – 2015"
        return [m.group("left"), m.group("right").strip(" -–—/")]
    return [seg] if seg else []


_PLACE_WORD = re.compile(r"^(?:[A-Z][\w.'’-]*|of|de|la|le|du|upon|on)$")


def state_place(segments: list[str]) -> tuple[list[str], tuple[str, str] | None]:
    """A city and its state or province code among a line's segments ("Huntington Beach",
    "CA"): the segments without them, and (region "Huntington Beach, CA", its country)."""
    codes = lexicon().state_codes or {}
    for i in range(1, len(segments)):
        code, place = segments[i].strip(" ."), segments[i - 1]
        words = place.split()
        if (
            code in codes
            and 1 <= len(words) <= 4
            and all(_PLACE_WORD.match(w) for w in words)
            and words[0][:1].isupper()
            and place not in lexicon().countries
            and not is_role(place)
            and not any(ch.isdigit() for ch in place)
        ):
            rest = segments[: i - 1] + segments[i + 1 :]
            return rest, (f"{place}, {code}", codes[code])
    return segments, None
