"""Whom a letter is addressed to: "Mr. Zuckerberg and Ms. Sandberg" as typed mentions.

The names after "Dear" (or an "addressed to" in the text) are split into mentions, each given
a kind (person, government, company, organisation) from the signer vocabulary and the
government addressees of data/document_kinds.yaml. It is its own module because both the
salutation and the text's own "addressed to" feed it, and the letters a letter answers
(linked_letters.py) are credited to the same addressees.
"""

from __future__ import annotations

import re

from ..models import ActorKind, Mention, Span
from .letter_cues import cues
from .lexicon import is_person_name, lexicon

__all__ = ["addressees"]

# --- addressees ------------------------------------------------------------------------------


def _addressee_kind(name: str) -> ActorKind:
    lex = lexicon()
    words = {w.casefold().strip(".,") for w in name.split()}
    first = name.split()[0] if name.split() else ""
    if any(h.text == first or h.text == first.rstrip(".") for h in lex.honorifics):
        return "person"
    if any(role in name.casefold() for role in lex.government_roles):
        return "person"
    if words & cues().government_addressees:
        return "government"
    if name in lex.companies:
        return "company"
    if name in lex.countries:
        return "government"
    if is_person_name(name) or len(name.split()) == 1:
        return "person"
    return "organisation"


def addressees(text: str, start: int) -> tuple[Mention, ...]:
    """Mentions for "Mr. Zuckerberg and Ms. Sandberg" at offset `start` of the document."""
    out: list[Mention] = []
    for m in re.finditer(r"[^,&]+?(?=\s*(?:,|&|\band\b|$))", text):
        name = m.group(0).strip()
        name = re.sub(r"^(?:and|&)\s+", "", name).strip()
        if not name or name.casefold() in {"and", "all"}:
            continue
        offset = text.index(name, m.start())
        out.append(
            Mention(
                name=name,
                kind=_addressee_kind(name),
                span=Span(start + offset, start + offset + len(name), name),
            )
        )
    return tuple(out)
