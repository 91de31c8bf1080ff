"""The gazetteer (data/gazetteer.yaml): countries, blocs, agencies, companies and the words
that end the names of organisations and government bodies, as Python values."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from .. import resources
from ..errors import DataError
from ..yamlload import SAFE_LOADER
from .name_patterns import alt

__all__ = ["Gazetteer", "load_gazetteer"]


@dataclass(frozen=True)
class Gazetteer:
    countries: dict[str, str]  # written form → country
    adjectives: dict[str, str]  # "Australian" → Australia
    blocs: dict[str, str]  # written form → bloc
    agencies: dict[str, str]  # written form → government agency
    companies: frozenset[str]
    org_heads: frozenset[str]
    gov_heads: tuple[str, ...]
    titles: tuple[str, ...]
    legislatures: tuple[str, ...] = ()
    product_nouns: tuple[str, ...] = ()

    def alt(self, field: str) -> str:
        """A regex alternation of one section's names, longest first (made once: every
        document's actor finder needs several)."""
        if field not in self._alts:
            self._alts[field] = alt(getattr(self, field))
        return self._alts[field]

    @cached_property
    def _alts(self) -> dict[str, str]:
        return {}


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """The gazetteer at `path`, by default data/gazetteer.yaml (read once per path)."""
    return _load(path or resources.data("gazetteer.yaml"))


@lru_cache(maxsize=4)
def _load(path: Path) -> Gazetteer:
    try:
        return _parse(yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataError(f"{path}: cannot read the gazetteer: {exc}") from exc
    except (KeyError, TypeError, AttributeError) as exc:
        raise DataError(f"{path}: malformed gazetteer (section {exc})") from exc


def _parse(data: dict[str, Any]) -> Gazetteer:
    countries: dict[str, str] = {}
    adjectives: dict[str, str] = {}
    for c in data["countries"]:
        for form in [c["name"], *c.get("aliases", [])]:
            countries[form] = c["name"]
        for adj in c.get("adjectives", []):
            adjectives[adj] = c["name"]
    blocs = {f: b["name"] for b in data["blocs"] for f in [b["name"], *b.get("aliases", [])]}
    agencies = {
        f: a["name"] for a in data.get("agencies", []) for f in [a["name"], *a.get("aliases", [])]
    }
    return Gazetteer(
        countries=countries,
        adjectives=adjectives,
        blocs=blocs,
        agencies=agencies,
        companies=frozenset(data["companies"]),
        org_heads=frozenset(data["org_heads"]),
        gov_heads=tuple(data["gov_heads"]),
        titles=tuple(sorted(data["person_titles"], key=len, reverse=True)),
        legislatures=tuple(str(x) for x in data.get("legislatures") or ()),
        product_nouns=tuple(str(x) for x in data.get("product_nouns") or ()),
    )
