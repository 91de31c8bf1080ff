"""The stance grammar's values and the tests on a window of tokens that need none of its
word lists: what a claim is, a term and a predicate found in a sentence, imperative, passive
and label shapes. grammar.py reads a sentence with them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..models import Position

__all__ = ["Claim", "Pred", "Term", "imperative", "label_gap", "passive_act", "pos"]

_LABEL_GAP = {"a", "an", "as", "another", "de", "facto", "more", "than", "new", "kind", "form",
              "type", "of", "nothing", "just", "simply", "effectively", "essentially", '"', "“",
              "”", "'", "‘", "’", "the", "what", "is", "sort", "government", "secret", "be",
              "basically", "less", "no"}  # fmt: skip


@dataclass(frozen=True)
class Claim:
    topic: str
    position: Position
    rule: str
    confidence: float
    at: int  # character offset in the sentence of the predicate: the holder comes before it
    voice: bool  # held by whoever speaks the sentence (speaker, letter, author), not a subject
    line: int = 0  # where in the sentence the line read starts: a holder is sought after it


@dataclass(frozen=True)
class Term:
    topic: str
    sign: int
    start: int
    end: int
    rule: str
    pejorative: bool
    confidence: float
    harm_at: int = -1  # token where the harm that turned this term over starts


@dataclass(frozen=True)
class Pred:
    rule: str
    start: int
    end: int
    attrs: dict[str, Any]

    @property
    def sign(self) -> int:
        return -1 if self.attrs.get("polarity") == "oppose" else 1


def imperative(toks: Any, p: Pred) -> bool:
    """The predicate opens its sentence in the base form ("Ban facial recognition.")."""
    lead = [t for t in toks[: p.start] if not (t.is_punct or t.is_space or t.like_num)]
    word = toks[p.start].lower_
    return not lead and not word.endswith(("s", "ed", "ing")) and p.end - p.start <= 3


def passive_act(toks: Any, p: Pred) -> bool:
    """A one-word verb predicate in a passive ("was blocked", "are supported by")."""
    if p.end - p.start != 1 or not toks[p.start].lower_.endswith(("ed", "en", "wn")):
        return False
    aux = {"is", "are", "was", "were", "been", "being", "be", "get", "got"}
    return any(x.lower_ in aux for x in toks[max(0, p.start - 2) : p.start])


def label_gap(toks: Any, a: int, b: int) -> bool:
    gap = [x.lower_ for x in toks[a:b]]
    if len(gap) <= 5 and all(w in _LABEL_GAP for w in gap):
        return True
    # "called the feature a backdoor": an object, then the article
    return len(gap) <= 6 and bool(gap) and gap[-1] in ("a", "an", "as") and "to" not in gap


def pos(sign: int) -> Position:
    return "support" if sign > 0 else "oppose"
