"""A cheap guess at a document's language from counts of function words
(data/rules/stopwords.yaml).

Good enough to route a document to the rules of its language and to say when no rules cover
it; not a language identifier for short or mixed texts (fewer than a dozen function words
found → English, the default the rules were written in).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from .. import resources
from ..errors import DataError
from .rules import rules_dir

__all__ = ["DEFAULT_LANGUAGE", "guess_language"]

DEFAULT_LANGUAGE = "en"
_MIN_HITS = 12
_SAMPLE = 20_000  # characters: the start of a long document says enough
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _stopwords(path: Path | None = None) -> dict[str, frozenset[str]]:
    return _read_stopwords(path or rules_dir() / "stopwords.yaml")


@lru_cache(maxsize=2)
def _read_stopwords(path: Path) -> dict[str, frozenset[str]]:
    data = resources.load_yaml(path, "the stopword lists", DataError)
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise DataError(f"{path}: expected `language: [words]` entries")
    return {str(k): frozenset(str(w).lower() for w in v) for k, v in data.items()}


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, ...]]:
    """word → the languages whose list has it: one lookup per word of the text."""
    out: dict[str, list[str]] = {}
    for lang, words in _stopwords().items():
        for w in words:
            out.setdefault(w, []).append(lang)
    return {w: tuple(langs) for w, langs in out.items()}


def guess_language(text: str) -> str:
    """The ISO 639-1 code of the language whose function words occur most in `text`."""
    index = _index()
    counts: Counter[str] = Counter()
    for word in _WORD.findall(text[:_SAMPLE].lower()):
        counts.update(index.get(word, ()))
    if not counts:
        return DEFAULT_LANGUAGE
    best, n = counts.most_common(1)[0]
    if n < _MIN_HITS:
        return DEFAULT_LANGUAGE
    return best
