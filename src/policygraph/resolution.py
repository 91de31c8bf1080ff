"""Names → canonical actors: one key per real-world actor, whatever a document called it.

Rules, in order: a curated alias (data/aliases.yaml); an acronym the documents define
("Electronic Frontier Foundation (EFF)"); the name itself, normalised. Every resolution
records why it was made, so a merge can be explained.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .models import ActorKind
from .vocab import slug

__all__ = ["DATA_DIR", "ResolvedActor", "Resolver", "normalise_name"]

DATA_DIR = Path(__file__).resolve().parents[2] / "data"

_HONORIFIC = re.compile(r"^(?:mr|mrs|ms|dr|prof|professor|sir|dame)\.?\s+", re.IGNORECASE)


def normalise_name(name: str) -> str:
    """NFKC, case folding, whitespace folding, typographic quotes and dashes unified."""
    text = unicodedata.normalize("NFKC", name)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")
    text = text.replace("\u2014", "-")
    return " ".join(text.casefold().split()).strip(" .,;:")


@dataclass(frozen=True)
class ResolvedActor:
    key: str
    label: str
    kind: ActorKind
    reason: str


@dataclass
class _Entry:
    key: str
    label: str
    kind: ActorKind
    reason: str


class Resolver:
    """Maps names to canonical actors; learns from the documents of a build."""

    def __init__(self) -> None:
        self._by_name: dict[str, _Entry] = {}

    @classmethod
    def from_data(cls, path: Path | None = None) -> Resolver:
        resolver = cls()
        source = path or DATA_DIR / "aliases.yaml"
        if source.exists():
            data = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
            for item in data.get("actors", []):
                label = str(item["label"])
                kind: ActorKind = item.get("kind", "organisation")
                reason = f"curated alias ({item.get('reason', 'data/aliases.yaml')})"
                resolver.register(label, kind, aliases=item.get("aliases", []), reason=reason)
        return resolver

    def register(
        self,
        label: str,
        kind: ActorKind,
        *,
        aliases: Iterable[str] = (),
        reason: str = "named in a document",
    ) -> ResolvedActor:
        """Make `label` a canonical actor (unless a name of it is known) and add aliases."""
        known = self._lookup(label)
        if known is None:
            known = _Entry(slug(label), label, kind, reason)
            self._by_name[normalise_name(label)] = known
        for alias in aliases:
            norm = normalise_name(alias)
            if norm and norm not in self._by_name:
                self._by_name[norm] = _Entry(known.key, known.label, known.kind, reason)
        return ResolvedActor(known.key, known.label, known.kind, known.reason)

    def _lookup(self, name: str) -> _Entry | None:
        norm = normalise_name(name)
        entry = self._by_name.get(norm)
        if entry is None:
            stripped = _HONORIFIC.sub("", norm)
            entry = self._by_name.get(stripped)
        if entry is None and norm.startswith("the "):
            entry = self._by_name.get(norm[4:])
        return entry

    def resolve(self, name: str, kind: ActorKind = "organisation") -> ResolvedActor:
        entry = self._lookup(name)
        if entry is not None:
            reason = entry.reason if normalise_name(name) != normalise_name(entry.label) else (
                "same name"
            )
            return ResolvedActor(entry.key, entry.label, entry.kind, reason)
        return self.register(name, kind)

    def aliases_of(self, key: str) -> list[str]:
        return sorted(n for n, e in self._by_name.items() if e.key == key)
