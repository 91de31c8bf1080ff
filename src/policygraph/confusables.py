"""Names that render as another actor's name: look-alike letters of other scripts mixed into
a Latin name ("Аccess Now" with a Cyrillic А, minted as actor/ccess-now), and invisible or
reordering characters (a right-to-left override). The characters are data
(data/confusables.yaml, after Unicode's UTS #39 confusables); the build reports each such
name it read, with what it reads as, so a forged actor does not pass unseen.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from . import resources
from .errors import DataError

__all__ = ["Confusables", "load_confusables"]


@dataclass(frozen=True)
class Confusables:
    lookalikes: dict[str, str]  # character → the Latin text it reads as
    invisible: frozenset[str]

    def skeleton(self, name: str) -> str:
        """The name as it reads: look-alikes replaced by their Latin letters, invisible and
        reordering characters removed."""
        return "".join(self.lookalikes.get(ch, ch) for ch in name if ch not in self.invisible)

    def problem(self, name: str) -> str | None:
        """Why the name may pass for another's (None: it does not)."""
        hidden = sorted({f"U+{ord(ch):04X}" for ch in name if ch in self.invisible})
        mixed = sorted({ch for ch in name if ch in self.lookalikes})
        latin = any(_is_latin(ch) for ch in name)
        if not hidden and not (mixed and latin):
            return None
        what = []
        if mixed and latin:
            what.append("letters of another script among Latin ones (" + _names(mixed) + ")")
        if hidden:
            what.append("invisible or reordering characters (" + ", ".join(hidden) + ")")
        return f"name {name!a} reads as {self.skeleton(name)!r}: " + " and ".join(what)

    def notes(self, names: Iterable[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p for n in names if (p := self.problem(n)) is not None))


def _is_latin(ch: str) -> bool:
    return ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN")


def _names(chars: list[str]) -> str:
    return ", ".join(f"{unicodedata.name(ch, '?').title()} U+{ord(ch):04X}" for ch in chars)


@functools.cache
def load_confusables() -> Confusables:
    path = resources.data("confusables.yaml")
    data = resources.load_yaml(path, "the confusable characters", DataError)
    try:
        lookalikes = {str(k): str(v) for k, v in data["map"].items()}
        invisible = frozenset(str(c) for c in data["invisible"])
    except (KeyError, TypeError, AttributeError) as exc:
        raise DataError(f"{path}: expected a `map` and an `invisible` list") from exc
    if any(len(k) != 1 for k in lookalikes) or any(len(c) != 1 for c in invisible):
        raise DataError(f"{path}: each key of `map` and each `invisible` entry is one character")
    return Confusables(lookalikes, invisible)
