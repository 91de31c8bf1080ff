"""Plain text, typically copied or scraped from a web page: find the site furniture.

The whole text stays in Document.text so offsets remain valid; navigation, teasers,
newsletter forms and footers are recorded as boilerplate regions (patterns in
data/boilerplate.yaml). The title is the first real line outside those regions, the
publisher is how the furniture names the site.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from policygraph.errors import DataError, PolicygraphError
from policygraph.models import Span

from .. import resources

__all__ = ["BoilerplatePatterns", "TextAnalysis", "analyse_text", "boilerplate_patterns"]


# A headline is one line of modest length that does not end like a sentence of prose.
_TITLE_MAX_CHARS = 200
_TITLE_MIN_WORDS = 2


@dataclass(frozen=True)
class BoilerplatePatterns:
    lines: tuple[re.Pattern[str], ...]
    tail: tuple[re.Pattern[str], ...]
    publisher: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class TextAnalysis:
    boilerplate: tuple[Span, ...]
    title: str | None
    publisher: str | None


def _compile(path: str, section: str, items: object, flags: int) -> tuple[re.Pattern[str], ...]:
    if items is None:
        return ()
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise PolicygraphError(f"{path}: '{section}' must be a list of regular expressions")
    try:
        return tuple(re.compile(i, flags) for i in items)
    except re.error as exc:
        raise PolicygraphError(f"{path}: bad pattern in '{section}': {exc}") from exc


def boilerplate_patterns(path: str | None = None) -> BoilerplatePatterns:
    """The patterns at `path`, by default data/boilerplate.yaml (read once per path)."""
    return _boilerplate_patterns(path or str(resources.data("boilerplate.yaml")))


@functools.cache
def _boilerplate_patterns(path: str) -> BoilerplatePatterns:
    data = resources.load_yaml(Path(path), "boilerplate patterns", DataError) or {}
    if not isinstance(data, dict):
        raise PolicygraphError(f"{path}: expected a mapping with lines/tail/publisher")
    return BoilerplatePatterns(
        lines=_compile(path, "lines", data.get("lines"), re.I),
        tail=_compile(path, "tail", data.get("tail"), re.I),
        publisher=_compile(path, "publisher", data.get("publisher"), 0),
    )


def _lines(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, stripped line) for every line; start/end bound the stripped content."""
    pos = 0
    for raw in text.split("\n"):
        lead = len(raw) - len(raw.lstrip())
        stripped = raw.strip()
        yield pos + lead, pos + lead + len(stripped), stripped
        pos += len(raw) + 1


def _regions(text: str, patterns: BoilerplatePatterns, offset: int) -> list[tuple[int, int]]:
    marked: list[tuple[int, int]] = []
    for start, end, line in _lines(text[offset:]):
        if not line:
            continue
        if any(p.search(line) for p in patterns.tail):
            marked.append((offset + start, len(text.rstrip())))
            break
        if any(p.search(line) for p in patterns.lines):
            marked.append((offset + start, offset + end))
    # Furniture lines separated only by blank lines form one region.
    merged: list[tuple[int, int]] = []
    for start, end in marked:
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _title(
    text: str, regions: list[tuple[int, int]], offset: int, skip: Callable[[str], bool]
) -> str | None:
    for start, end, line in _lines(text[offset:]):
        s, e = offset + start, offset + end
        if not line or any(a <= s and e <= b for a, b in regions) or skip(line):
            continue
        if (
            len(line) <= _TITLE_MAX_CHARS
            and len(line.split()) >= _TITLE_MIN_WORDS
            and not line.endswith((".", ":", ";", ","))
        ):
            return line
        return None  # the first real line is prose: this text has no headline
    return None


def _publisher(
    text: str, regions: list[tuple[int, int]], patterns: BoilerplatePatterns
) -> str | None:
    for pattern in patterns.publisher:
        for a, b in regions:
            for _, _, line in _lines(text[a:b]):
                m = pattern.search(line)
                if m:
                    return m.group("name").strip()
    return None


def analyse_text(
    text: str, *, offset: int = 0, not_title: Callable[[str], bool] = lambda line: False
) -> TextAnalysis:
    """Boilerplate regions, headline and publisher of scraped text (from `offset` on);
    lines `not_title` accepts (an editor's mode line) are passed over for the headline."""
    patterns = boilerplate_patterns()
    regions = _regions(text, patterns, offset)
    return TextAnalysis(
        boilerplate=tuple(Span(a, b, text[a:b]) for a, b in regions),
        title=_title(text, regions, offset, not_title),
        publisher=_publisher(text, regions, patterns),
    )
