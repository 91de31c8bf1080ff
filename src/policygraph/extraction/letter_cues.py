"""The cue phrases of data/document_kinds.yaml, compiled, and a document's text as lines.

Finding a letter's signer list (signer_lists.py), the letters it links to (linked_letters.py),
the letter itself and the document's kind (letters.py) all match the same compiled cues against
the same lines; this module holds both, with the line-level tests built on them (a line's bare
text, whether it matches a cue, whether it is running prose), so those stages share one copy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..errors import PolicygraphError
from .lexicon import load_yaml

__all__ = [
    "Cues",
    "KindRule",
    "Line",
    "Rule",
    "all_rules",
    "bare_text",
    "cues",
    "first_rule",
    "is_prose",
    "matches",
    "text_lines",
]

_I = re.IGNORECASE | re.MULTILINE


@dataclass(frozen=True)
class _FileDate:
    pattern: re.Pattern[str]
    order: str


@dataclass(frozen=True)
class Rule:
    """A cue with an id (which the findings it opens carry as their `rule`) and the example
    lines its tests check."""

    id: str
    pattern: re.Pattern[str]
    match_examples: tuple[str, ...] = ()
    no_match_examples: tuple[str, ...] = ()
    continues: bool = False  # a list it opens continues the letter's list (late signers)
    # the text before the cue must match this for the cue to count ("Supporting
    # organizations:" opens signers only under a pledge or statement)
    requires: re.Pattern[str] | None = None
    requires_in: str = "sentence"  # where `requires` is searched: the sentence, or the "text"
    names_capitalised: bool = False  # its run of names has no lower-case word but joiners

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text)


@dataclass(frozen=True)
class KindRule:
    """A cue for a document kind (data/document_kinds.yaml `kinds`)."""

    id: str
    kind: str
    at: str  # head | text | title | categories | site | outlet | speech
    pattern: re.Pattern[str]
    formats: frozenset[str] = frozenset()
    min_count: int = 1
    max_count: int | None = None
    per_1000_words: float = 0.0
    match_examples: tuple[str, ...] = ()
    no_match_examples: tuple[str, ...] = ()


def _kind_rules(values: Any) -> tuple[KindRule, ...]:
    out: list[KindRule] = []
    for v in values or []:
        examples = v.get("examples") or {}
        flags = re.MULTILINE if v.get("case_sensitive") else _I
        out.append(
            KindRule(
                id=str(v["id"]),
                kind=str(v["kind"]),
                at=str(v["at"]),
                pattern=re.compile(str(v["pattern"]), flags),
                formats=frozenset(str(f) for f in v.get("formats") or ()),
                min_count=int(v.get("min_count", 1)),
                max_count=int(v["max_count"]) if v.get("max_count") is not None else None,
                per_1000_words=float(v.get("per_1000_words", 0.0)),
                match_examples=tuple(str(x) for x in examples.get("match") or ()),
                no_match_examples=tuple(str(x) for x in examples.get("no_match") or ()),
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class Cues:
    """data/document_kinds.yaml, compiled."""

    salutation: re.Pattern[str]
    salutation_inline: re.Pattern[str]
    greetings: tuple[Rule, ...]
    closings: tuple[Rule, ...]
    list_headers: tuple[Rule, ...]
    inline_headers: tuple[Rule, ...]
    list_pages: tuple[Rule, ...]
    page_menu: re.Pattern[str]
    following: tuple[Rule, ...]
    reported_signers: tuple[Rule, ...]
    undersigned: re.Pattern[str]
    signed_following: re.Pattern[str]
    intro: re.Pattern[str]
    heading: re.Pattern[str]
    addressed_in_text: tuple[re.Pattern[str], ...]
    government_addressees: frozenset[str]
    list_stops: tuple[Rule, ...]
    prose_words: frozenset[str]
    placeholders: tuple[re.Pattern[str], ...]
    count: re.Pattern[str]
    respond_cues: tuple[str, ...]
    announced: re.Pattern[str]
    file_dates: tuple[_FileDate, ...]
    kinds: tuple[KindRule, ...]
    head_lines: int
    reported_names_end: re.Pattern[str]
    reported_name_joiners: frozenset[str] = frozenset()


def _compile_all(values: Any, flags: int = _I) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(str(v), flags) for v in values or [])


def _rules(values: Any, flags: int = _I) -> tuple[Rule, ...]:
    out: list[Rule] = []
    for v in values or []:
        examples = v.get("examples") or {}
        out.append(
            Rule(
                id=str(v["id"]),
                pattern=re.compile(str(v["pattern"]), flags),
                match_examples=tuple(str(x) for x in examples.get("match") or ()),
                no_match_examples=tuple(str(x) for x in examples.get("no_match") or ()),
                continues=bool(v.get("continues")),
                requires=re.compile(str(v["requires"]), flags) if v.get("requires") else None,
                requires_in=str(v.get("requires_in") or "sentence"),
                names_capitalised=bool(v.get("names_capitalised")),
            )
        )
    return tuple(out)


def first_rule(rules: Sequence[Rule], text: str) -> Rule | None:
    """The first rule (in the data file's order) that matches `text`."""
    return next((r for r in rules if r.search(text)), None)


def all_rules() -> tuple[Rule, ...]:
    """Every rule of the letter cues with an id (for the tests that run their examples)."""
    c = cues()
    return (
        c.greetings
        + c.closings
        + c.list_headers
        + c.inline_headers
        + c.list_pages
        + c.following
        + c.reported_signers
        + c.list_stops
    )


@lru_cache(maxsize=1)
def cues() -> Cues:
    data = load_yaml("document_kinds.yaml")
    try:
        letter = data["letter"]
        responds = data["responds_to"]
        return Cues(
            salutation=re.compile(letter["salutation"], _I),
            salutation_inline=re.compile(letter["salutation_inline"], re.MULTILINE),
            greetings=_rules(letter["greetings"]),
            closings=_rules(letter["closings"]),
            list_headers=_rules(letter["list_headers"]),
            inline_headers=_rules(letter["inline_headers"]),
            list_pages=_rules(letter.get("list_pages")),
            page_menu=re.compile(str(letter.get("page_menu") or "(?!)"), _I),
            following=_rules(letter["following"]),
            reported_signers=_rules(data.get("reported_signers")),
            undersigned=re.compile(letter["undersigned"], _I),
            signed_following=re.compile(letter["signed_following"], re.MULTILINE),
            intro=re.compile(letter["intro"], _I),
            heading=re.compile(letter["heading"], _I),
            addressed_in_text=_compile_all(letter["addressed_in_text"], 0),
            government_addressees=frozenset(
                str(w).casefold() for w in letter["government_addressees"]
            ),
            list_stops=_rules(letter["list_stops"]),
            prose_words=frozenset(str(w).casefold() for w in letter["prose_words"]),
            placeholders=_compile_all(letter["placeholders"]),
            count=re.compile(letter["count"], _I),
            respond_cues=tuple(str(c).casefold() for c in responds["cues"]),
            announced=re.compile(data["announces"]["link"], _I),
            file_dates=tuple(
                _FileDate(re.compile(str(d["pattern"])), str(d["order"]))
                for d in responds["file_dates"]
            ),
            kinds=_kind_rules(data.get("kinds")),
            head_lines=int(data.get("head_lines", 8)),
            reported_names_end=re.compile(data["reported_names_end"], re.MULTILINE),
            reported_name_joiners=frozenset(
                str(w) for w in data.get("reported_name_joiners") or []
            ),
        )
    except (KeyError, TypeError, re.error) as exc:
        raise PolicygraphError(f"data/document_kinds.yaml: bad or missing entry: {exc}") from exc


# --- lines -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    start: int  # offset of `text` (the line without surrounding blanks) in Document.text
    text: str
    indent: int = 0  # blanks before `text` on its line: where a column of plain text starts

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def blank(self) -> bool:
        return not self.text


def text_lines(text: str) -> list[Line]:
    out: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        out.append(Line(pos + lead if stripped else pos, stripped, lead if stripped else 0))
        pos += len(raw) + 1
    return out


# List furniture before a line's content: "1. ", "10.Professor ..." (a PDF without the space),
# "(3) ", bullets "●", "•".
_ENUMERATION = re.compile(r"^(?:\(?\d{1,3}[.)](?=\s*[^\W\d])|[•●▪◦·‣∙])\s*")


def bare_text(text: str) -> str:
    """A line without emphasis markers and list numbering that may survive markup stripping."""
    return _ENUMERATION.sub("", text.strip().strip("*_").strip()).strip("*_").strip()


def matches(patterns: Sequence[re.Pattern[str] | Rule], text: str) -> bool:
    return any(p.search(text) for p in patterns)


def is_prose(text: str) -> bool:
    """A sentence of running text rather than a signer line."""
    words = text.split()
    if len(words) > 30:
        return True
    for m in re.finditer(r"[a-z]{2}[.!?][\"”’]?\s+[A-Z]", text):
        # a full stop after a few words, not after an abbreviated title ("Profa. Dra.")
        if len(text[: m.start()].split()) >= 3 and len(words) >= 8:
            return True
    function = sum(1 for w in words if w.casefold().strip(",.;:") in cues().prose_words)
    if len(words) >= 8 and text.count(",") <= 1 and text.rstrip()[-1:] in ".!?:":
        return True
    lower = sum(1 for w in words if w[:1].islower())
    return len(words) >= 10 and function >= len(words) * 0.3 and lower >= len(words) * 0.5
