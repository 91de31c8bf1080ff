"""Words a regular expression cannot match without: a cheap test before running it.

A cue or term pattern is searched in every sentence of a document, and Python's `re` tries
each alternative at each position: a pattern opening on a character class (`[A-Z]\\w+`) is
tried at every word. `required_literals(pattern)` reads the pattern's parse tree and returns
a set of plain strings at least one of which every match contains (lower-cased), or None
where it cannot tell; `LiteralFilter` answers "can this pattern match this text?" with a few
substring tests, so the regular expression runs only on the texts it may match. The test is
a necessary condition, never a sufficient one: what the pattern finds does not change.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

# The parser `re` compiles with: private (and untyped), so it is looked up by name, and its
# absence only turns the filter off.
try:
    _p: Any = importlib.import_module("re._parser")
    _c: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - every supported Python has them
    _p = _c = None

__all__ = ["LiteralFilter", "fold", "required_literals"]

# The non-ASCII characters that an ASCII letter matches under re.IGNORECASE (Python's case
# equivalences beyond lower()): folded to that letter so that a substring test sees them.
_EQUIVALENT = str.maketrans({"İ": "i", "ı": "i", "ſ": "s", "K": "k"})
_SPECIAL = ("İ", "ı", "ſ", "K")
_Literals = frozenset[str] | None


@lru_cache(maxsize=64)
def fold(text: str) -> str:
    """The text as `LiteralFilter` compares it: lower-case, with the case equivalences of re.
    (Cached: every topic's filter asks it of the same sentence.)"""
    low = text.lower()
    if text.isascii() or not any(c in text for c in _SPECIAL):
        return low  # translate() walks the text in Python's slow path: only where needed
    return text.translate(_EQUIVALENT).lower()


def _better(a: _Literals, b: _Literals) -> _Literals:
    """The more selective of two necessary sets: the longer shortest string, then fewer."""
    if a is None or b is None:
        return a if b is None else b
    ka, kb = (min(map(len, a)), -len(a)), (min(map(len, b)), -len(b))
    return a if ka >= kb else b


def _sequence(items: Sequence[tuple[Any, Any]]) -> _Literals:
    best: _Literals = None
    run: list[str] = []
    for op, arg in [*items, (None, None)]:
        if op is _c.LITERAL and arg < 128:
            run.append(chr(arg).lower())
            continue
        if run:
            best = _better(best, frozenset({"".join(run)}))
            run = []
        if op is not None:
            best = _better(best, _item(op, arg))
    return best


def _item(op: Any, arg: Any) -> _Literals:
    """The necessary set of one node of the parse tree (None: nothing is certain)."""
    if op is _c.SUBPATTERN:
        return _sequence(list(arg[-1]))
    if op is _c.BRANCH:
        out: set[str] = set()
        for branch in arg[1]:
            sub = _sequence(list(branch))
            if sub is None:
                return None  # one way through without a known word: the whole is unknown
            out |= sub
        return frozenset(out)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and arg[0] >= 1:
        return _sequence(list(arg[2]))
    if op is _c.ATOMIC_GROUP:
        return _sequence(list(arg))
    return None  # a class, a wildcard, an optional part, a look-around, a back-reference


def required_literals(pattern: str | re.Pattern[str]) -> frozenset[str] | None:
    """Lower-cased strings at least one of which occurs in every match of `pattern`, or None.

    Plain ASCII characters only (the equivalences of re.IGNORECASE are folded by `fold`);
    an empty string is never returned (it would let every text through)."""
    if isinstance(pattern, re.Pattern):
        source, flags = pattern.pattern, pattern.flags
    else:
        source, flags = pattern, 0
    if _p is None:
        return None
    try:
        tree = _p.parse(source, flags)
    except (re.error, RecursionError):
        return None
    found = _sequence(list(tree))
    return found if found and all(found) else None


class LiteralFilter:
    """One or more patterns' required strings: `may_match(text)` is False only where none of
    the patterns can match the text."""

    def __init__(self, patterns: Iterable[str | re.Pattern[str]]) -> None:
        words: set[str] = set()
        self.active = True
        for p in patterns:
            lits = required_literals(p)
            if lits is None:
                self.active = False  # a pattern with no certain word: every text may match
                break
            words |= lits
        # a string containing another is implied by it: test the shorter only
        self.words = tuple(sorted(w for w in words if not any(v != w and v in w for v in words)))

    def may_match(self, text: str) -> bool:
        return not self.active or self.may_match_folded(fold(text))

    def may_match_folded(self, low: str) -> bool:
        """`may_match` of a text already passed through `fold`."""
        return not self.active or any(w in low for w in self.words)
