"""Metadata a document states in its first lines: news and press-release headers.

Articles copied from news sites and press releases carry their metadata as lines of the text
("+ Date: 4 October 2019" / "+ Author: ..." / "+ Source: ...", "Date: ...", "By Jane Doe"),
not as front matter. The line patterns are data (data/rules/letters-metadata.yaml), each with
an id; the lines stay in the text (offsets are kept), their values fill the fields front
matter left empty. An editor's mode line (`-*- mode: markdown -*-`) is never a title.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policygraph.errors import DataError, PolicygraphError

from .. import resources

__all__ = [
    "HeaderRule",
    "HeaderRules",
    "HeaderValues",
    "header_rules",
    "is_not_title",
    "read_headers",
]

RULES_FILE = "rules/letters-metadata.yaml"  # below data/ (resources.data)


@dataclass(frozen=True)
class HeaderRule:
    id: str
    field: str  # date | author | publisher | title
    pattern: re.Pattern[str]
    examples: dict[str, Any]


@dataclass(frozen=True)
class HeaderRules:
    max_lines: int
    fields: tuple[HeaderRule, ...]
    not_titles: tuple[HeaderRule, ...]


@dataclass(frozen=True)
class HeaderValues:
    """Fields read from header lines, each with the id of the rule that read it."""

    values: dict[str, tuple[str, str]]  # field -> (value, rule id)

    def get(self, name: str) -> str | None:
        found = self.values.get(name)
        return found[0] if found else None


def _rules(path: str, items: Any, flags: int) -> tuple[HeaderRule, ...]:
    out: list[HeaderRule] = []
    for item in items or []:
        try:
            out.append(
                HeaderRule(
                    id=str(item["id"]),
                    field=str(item.get("field", "")),
                    # a rule that reads names keeps case: "By Jane Doe", not "by then"
                    pattern=re.compile(
                        str(item["pattern"]), 0 if item.get("case_sensitive") else flags
                    ),
                    examples=dict(item.get("examples") or {}),
                )
            )
        except (KeyError, TypeError, AttributeError, re.error) as exc:
            raise PolicygraphError(f"{path}: bad header rule {item!r:.80}: {exc}") from exc
    return tuple(out)


def header_rules(path: str | None = None) -> HeaderRules:
    """The header rules of `path`, or of data/rules/letters-metadata.yaml wherever the
    resources module finds data/ (cached per path, so an override is seen)."""
    return _header_rules(path or str(resources.data(RULES_FILE)))


@functools.cache
def _header_rules(path: str) -> HeaderRules:
    data = resources.load_yaml(Path(path), "header rules", DataError) or {}
    if not isinstance(data, dict):
        raise PolicygraphError(f"{path}: expected a mapping with fields/not_titles")
    return HeaderRules(
        max_lines=int(data.get("max_lines", 8)),
        fields=_rules(path, data.get("fields"), re.IGNORECASE),
        not_titles=_rules(path, data.get("not_titles"), 0),
    )


def is_not_title(line: str) -> bool:
    """A line that can never be a title (an editor's mode line)."""
    return any(r.pattern.search(line) for r in header_rules().not_titles)


def _match(rule: HeaderRule, line: str) -> str | None:
    m = rule.pattern.match(line)
    return m.group("value").strip() if m else None


def read_headers(body: str) -> HeaderValues:
    """The fields the first lines of `body` state, first statement of each field winning."""
    rules = header_rules()
    values: dict[str, tuple[str, str]] = {}
    seen = 0
    for raw in body.split("\n"):
        line = raw.strip().strip("*_").strip()
        if not line or is_not_title(line):
            continue
        seen += 1
        if seen > rules.max_lines:
            break
        hit = next(((r, v) for r in rules.fields if (v := _match(r, line)) is not None), None)
        if hit is None:
            if values:
                break  # the header block is over
            continue  # a headline or dateline may come before the header lines
        rule, value = hit
        values.setdefault(rule.field, (value, rule.id))
    return HeaderValues(values)
