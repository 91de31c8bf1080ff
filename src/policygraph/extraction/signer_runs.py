"""Signer lines that hold several signers, and runs of names written in a sentence.

A signer list may give several signers on one line: a comma-separated run ("A, B, Inc., C,
and D."), signers set together without a break ("Orchid (France)Tern (Spain)"), and a press
release names signers inside a sentence ("groups like A and the B, C, and D"). This module
splits such lines into one Line per signer (offsets kept), keeping together what annotates one
signer (a legal form, a country or city, a unit such as "Office of Communication"), and leaving
alone a line that is one signer with their role ("Jo Park, Executive Director, Orchid").
"""

from __future__ import annotations

import itertools
import re

from .letter_cues import Line, cues
from .lexicon import (
    city_of,
    country_of,
    is_legal_suffix,
    is_person_name,
    is_role,
    lexicon,
    strip_honorifics,
    strip_post_nominals,
)

__all__ = [
    "RULE_COMMA_RUN",
    "RULE_RUN_TOGETHER",
    "UNNAMED_OTHERS",
    "name_parts",
    "names_person",
    "signers_on",
]

RULE_COMMA_RUN = "signers.line.comma-run"
RULE_RUN_TOGETHER = "signers.line.run-together"

_RUN_MIN_PARTS = 3
_RUN_PART_MAX_WORDS = 9
# "Orchid (France)Tern (Spain)": a closing parenthesis run into the next name
_RUN_TOGETHER = re.compile(r"\)(?=[A-Z][a-z])")


def names_person(text: str) -> bool:
    """A line that starts with a personal name ("Rt Hon Priti Patel MP", "Jane Doe, lawyer")."""
    named, _ = strip_honorifics(text.split(",")[0].split("(")[0].strip())
    return is_person_name(strip_post_nominals(named))


# --- lines that hold several signers ----------------------------------------------------------


def _parts(line: Line, text: str) -> list[Line]:
    """`text` (a part of `line`) split at commas outside parentheses and at a final "and"."""
    out: list[Line] = []
    base = line.start + line.text.find(text)
    depth, start = 0, 0
    for i, ch in enumerate(text + ","):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if (ch in ",;" and depth <= 0) or i == len(text):
            piece = text[start:i]
            lead = len(piece) - len(piece.lstrip())
            piece = piece.strip()
            m = re.match(r"^(?:and|&)\s+", piece)
            if m:
                lead, piece = lead + m.end(), piece[m.end() :]
            if out or piece:
                piece = (
                    piece.rstrip(".") if i == len(text) and not piece.endswith("Inc.") else piece
                )
                out.append(Line(base + start + lead, piece))
            start = i + 1
    # "A and B" in the last part of a run of several: two signers
    if len(out) >= 2:
        last = out[-1]
        m = re.search(r"\s+(?:and|&)\s+(?=[A-Z])", last.text)
        if m and not re.search(r"\s(?:and|&)\s", out[-2].text):
            left, right = last.text[: m.start()], last.text[m.end() :]
            out[-1:] = [Line(last.start, left), Line(last.start + m.end(), right)]
    return [p for p in out if p.text]


def _joins_previous(part: str) -> bool:
    """A part that annotates the signer before it rather than naming one: a legal form
    ("Inc."), a country or city, a unit ("Office of Communication Inc.")."""
    lex = lexicon()
    words = part.split()
    return bool(
        is_legal_suffix(part)
        or country_of(part)
        or part in lex.regions
        or city_of(part)
        or (len(words) >= 3 and words[0] in lex.unit_heads and words[1] == "of")
    )


def _name_run(line: Line, text: str, min_parts: int = _RUN_MIN_PARTS) -> list[Line] | None:
    """The signers of a comma-separated line ("A, B, C, and D."), or None for a line that is
    one signer ("Jo Park, Executive Director, Open Lantern Society") or prose."""
    if text.count(",") + text.count(";") + len(re.findall(r"\s(?:and|&)\s", text)) < (
        min_parts - 1
    ):
        return None
    parts = _parts(line, text)
    merged: list[Line] = []
    for p in parts:
        if merged and _joins_previous(p.text):
            prev = merged[-1]
            merged[-1] = Line(prev.start, text_between(line, prev.start, p.start + len(p.text)))
        else:
            merged.append(p)
    if len(merged) < min_parts:
        return None
    if names_person(merged[0].text) and not all(names_person(p.text) for p in merged):
        return None  # "Jo Park, Media Studies, Example University": one person, where they work
    prose_words = cues().prose_words
    for p in merged:
        words = p.text.split()
        if (
            not words
            or len(words) > _RUN_PART_MAX_WORDS
            or not (words[0][:1].isupper() or words[0] == "the")
        ):
            return None
        if sum(w.casefold() in prose_words for w in words) > max(1, len(words) // 2):
            return None
        if p.text[:1].isupper() and is_role(p.text):
            return None  # a signer's role: the line is one signer with their position
    return merged


# "leading immigration groups like RAICES": the description before the name
_DESCRIBED = re.compile(
    r"^(?:(?:and\s+)?(?:[\w-]+\s+){0,4}?(?:groups|organi[sz]ations|companies|ngos)\s+"
    r"(?:like|such\s+as|including)\s+)"
)


UNNAMED_OTHERS = re.compile(
    r"\s*,?\s+(?:and|&)\s+(?:\d+|dozens|hundreds|many|several|other|more)\b[^,]*$"
)


def name_parts(line: Line) -> list[Line]:
    """The names of a run written in a sentence ("groups like A and the B, C, and D"): parts
    split at commas and at an "and" before "the", descriptions before a name dropped, parts
    that are not names (roles, lower-case words) left out."""
    out: list[Line] = []
    for p in _parts(line, line.text):
        d = _DESCRIBED.match(p.text)
        if d:
            p = Line(p.start + d.end(), p.text[d.end() :])
        pieces = [p]
        m = re.search(r"\s+and\s+(?=the\s+[A-Z])", p.text)
        if m:
            pieces = [
                Line(p.start, p.text[: m.start()]),
                Line(p.start + m.end(), p.text[m.end() :]),
            ]
        for q in pieces:
            # "Kestrel Network and 30 other groups": the others are not named
            more = UNNAMED_OTHERS.search(q.text)
            if more:
                q = Line(q.start, q.text[: more.start()])
            words = q.text.split()
            if (
                words
                and len(words) <= _RUN_PART_MAX_WORDS
                and (words[0][:1].isupper() or words[0][:1].isdigit() or words[0] == "the")
                and len(words) > (words[0] == "the")
                and not is_role(re.sub(r"^the\s+", "", q.text))
            ):
                out.append(q)
    merged: list[Line] = []
    for q in out:
        if merged and _joins_previous(q.text):
            prev = merged[-1]
            merged[-1] = Line(
                prev.start, line.text[prev.start - line.start : q.start - line.start + len(q.text)]
            )
        else:
            merged.append(q)
    return merged


def text_between(line: Line, start: int, end: int) -> str:
    return line.text[start - line.start : end - line.start]


def _run_together(line: Line, text: str) -> list[Line] | None:
    """ "Orchid (France)Tern (Spain)" → "Orchid (France)", "Tern (Spain)"."""
    cuts = [m.end() for m in _RUN_TOGETHER.finditer(text)]
    if not cuts:
        return None
    base = line.start + line.text.find(text)
    bounds = [0, *cuts, len(text)]
    out: list[Line] = []
    for a, b in itertools.pairwise(bounds):
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        out.append(Line(base + a + lead, piece.strip()))
    return out


def signers_on(
    line: Line, text: str, min_parts: int = _RUN_MIN_PARTS
) -> tuple[list[Line], str] | None:
    """Several signers on one line, and the id of the rule that split them."""
    run = _name_run(line, text, min_parts)
    if run:
        return run, RULE_COMMA_RUN
    together = _run_together(line, text)
    if together:
        return together, RULE_RUN_TOGETHER
    return None
