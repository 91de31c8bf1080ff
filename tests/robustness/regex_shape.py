"""A structural check for the backtracking shapes that make a regular expression slow.

Two shapes cost more than linear time in Python's backtracking engine:
- nested: an unbounded repeat whose body holds another repeat (`(?:<!--.*?-->\\s*)*`), which
  can split the same text in exponentially many ways;
- adjacent: two unbounded repeats in one sequence over overlapping characters, with only
  single characters of the first one's set between them (`[^a-z\\n]*[A-Z][^a-z\\n]*`), which
  split a run in quadratically many ways before failing.

`slow_shapes(pattern)` names each it finds (lookarounds are checked as their own sequences).
The characters of a class are sampled over the first 0x250 code points: enough for the
classes these patterns use.
"""

from __future__ import annotations

import re
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser as sre  # type: ignore[attr-defined]
from typing import Any

_SAMPLE = [chr(i) for i in range(0x250)]
_REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT)


_CATEGORIES = {
    c.CATEGORY_DIGIT: re.compile(r"\d"),
    c.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
    c.CATEGORY_SPACE: re.compile(r"\s"),
    c.CATEGORY_NOT_SPACE: re.compile(r"\S"),
    c.CATEGORY_WORD: re.compile(r"\w"),
    c.CATEGORY_NOT_WORD: re.compile(r"\W"),
}


def _in_class(items: Any, ch: str) -> bool:
    negate = bool(items) and items[0][0] is c.NEGATE
    hit = False
    for op, av in items[1:] if negate else items:
        if op is c.LITERAL:
            hit = hit or ord(ch) == av
        elif op is c.RANGE:
            hit = hit or av[0] <= ord(ch) <= av[1]
        elif op is c.CATEGORY:
            hit = hit or bool(_CATEGORIES[av].match(ch))
    return hit != negate


def _chars(op: Any, av: Any) -> frozenset[str] | None:
    """The sampled characters a one-character item matches (None: not a one-character item)."""
    tests = {
        c.LITERAL: lambda ch: ord(ch) == av,
        c.NOT_LITERAL: lambda ch: ord(ch) != av,
        c.ANY: lambda ch: True,
        c.IN: lambda ch: _in_class(av, ch),
        c.CATEGORY: lambda ch: bool(_CATEGORIES[av].match(ch)),
    }
    test = tests.get(op)
    return None if test is None else frozenset(ch for ch in _SAMPLE if test(ch))


def _holds_repeat(items: Any) -> bool:
    for op, av in items:
        if op in _REPEATS and av[1] > 1:
            return True
        for child in _children(op, av):
            if _holds_repeat(child):
                return True
    return False


def _children(op: Any, av: Any) -> list[Any]:
    if op in _REPEATS:
        return [av[2]]
    if op is c.SUBPATTERN:
        return [av[3]]
    if op is c.BRANCH:
        return list(av[1])
    if op in (c.ASSERT, c.ASSERT_NOT):
        return [av[1]]
    if op is c.ATOMIC_GROUP:
        return [av]
    return []


def _single(items: Any) -> frozenset[str] | None:
    """The characters of a body that is one character item (a class, a literal), else None."""
    seq = list(items)
    if len(seq) != 1:
        return None
    op, av = seq[0]
    if op is c.SUBPATTERN:
        return _single(av[3])
    return _chars(op, av)


def _check_sequence(items: Any, found: list[str]) -> None:
    run: frozenset[str] | None = None  # the characters of the last unbounded repeat
    for op, av in items:
        if op in _REPEATS and av[1] == c.MAXREPEAT:
            if _holds_repeat(av[2]):
                found.append("nested: an unbounded repeat holds another repeat")
            chars = _single(av[2])
            if run is not None and chars is not None and run & chars:
                found.append("adjacent: two unbounded repeats over overlapping characters")
            run = chars
        elif op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            pass  # zero-width: neither ends nor continues a run
        else:
            chars = _chars(op, av)
            if run is not None and not (chars is not None and chars <= run):
                run = None
        for child in _children(op, av):
            _check_sequence(child, found)


def slow_shapes(pattern: str | re.Pattern[str]) -> list[str]:
    if isinstance(pattern, re.Pattern):
        parsed = sre.parse(pattern.pattern, pattern.flags)
    else:
        parsed = sre.parse(pattern, 0)
    found: list[str] = []
    _check_sequence(parsed, found)
    return found
