"""The shapes of names in running text: capitalised runs, personal names, role and body words.

ActorFinder (actors.py) runs many passes (governments, organisations, people with roles, name
lists) over the same notions of what a name looks like: a run of capitalised words with
connectors, a personal name of up to four tokens, the words that head a role or a body, the
words that start a sentence rather than a name. They are kept here, apart from the passes, so
each pass reads the same definitions.
"""

from __future__ import annotations

import re

__all__ = ["BODY_WORDS", "CAPS", "PERSON", "PLACE_PREP", "STOP_START", "alt"]
# The words of roles ("Director", "Chair") are data: data/rules/people.yaml (people.py).

# (a plural possessive belongs to the name: "Citizens' Privacy Network")
# (a word of at most 42 letters: unbounded, a long word was scanned again from each of its
# capitals)
_TOKEN = r"[A-Z][\w'’.\-]{0,40}[\w](?:(?<=s)['’](?=[ ]+[A-Z]))?"
_CONNECT = r"(?:of|for|the|and|&|on|de|del|da|do|dos|la|los|e|em|in)"
# A run of capitalised words, allowing lower-case connectors inside ("Center for Democracy
# & Technology"), never at either end.
CAPS = re.compile(rf"{_TOKEN}(?:[ ]+(?:{_CONNECT}[ ]+)*{_TOKEN})*")
# (a middle initial inside a name: "Mark D. Ryan")
PERSON = rf"{_TOKEN}(?:[ ]+(?:[A-Z]\.(?=[ ]+[A-Z])|{_TOKEN})){{0,3}}"
BODY_WORDS = {
    "University",
    "Department",
    "Dept",
    "Bureau",
    "Ministry",
    "Office",
    "Faculty",
    "School",
    "College",
    "Friends",
    "Institute",
    "Centre",
    "Center",
    "Museum",
    "Council",
    "Association",
    "Federation",
    "Union",
    "League",
    "Society",
    "Academy",
    "Commission",
    "Church",
    "Bank",
    "Board",
    "Court",
    "House",
    "Parliament",
    "Government",
    "State",
    "Republic",
    "Kingdom",
    "Chair",
    "Director",
    "President",
    "Deputy",
    "Secretary",
    "Minister",
    "Member",
    "Professor",
    "Head",
}
PLACE_PREP = re.compile(r"\b(?:in|at|near|across|throughout|around|within|into|outside)\s+$")
STOP_START = {
    "The",
    "A",
    "An",
    "This",
    "That",
    "These",
    "Those",
    "In",
    "On",
    "At",
    "And",
    "But",
    "For",
    "If",
    "It",
    "Its",
    "We",
    "Our",
    "They",
    "Their",
    "What",
    "Why",
    "How",
    "When",
    "As",
    "So",
}


def alt(words: object) -> str:
    items = sorted((str(w) for w in words), key=len, reverse=True)  # type: ignore[attr-defined]
    return "|".join(re.escape(w) for w in items)
