"""Names → canonical actors: one key per real-world actor, whatever a document called it.

Rules, in order: a curated alias (data/aliases.yaml); an acronym the documents define
("Electronic Frontier Foundation (EFF)"); the name itself, normalised. Every resolution
records why it was made, so a merge can be explained.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import yaml

from . import resources
from .models import ActorKind, Findings, LetterRef
from .vocab import slug
from .yamlload import SAFE_LOADER

__all__ = ["ResolvedActor", "Resolver", "fold_name", "normalise_name"]

_HONORIFIC = re.compile(
    r"^(?:(?:mr|mrs|ms|dr|prof|professor|sir|dame|senator|father)\.?\s+)+", re.IGNORECASE
)


def _url_path(url: str | None) -> str | None:
    """ "https://site.example/2026/04/02/letter/" and "/2026/04/02/letter" → one key."""
    path = urlparse(url or "").path.strip("/")
    return path or None


def normalise_name(name: str) -> str:
    """NFKC, case folding, whitespace folding, typographic quotes and dashes unified."""
    text = unicodedata.normalize("NFKC", name)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")
    text = text.replace("\u2014", "-")
    return " ".join(text.casefold().split()).strip(" .,;:")


_NOT_ALNUM = re.compile(r"[^\w]+|_")


def fold_name(name: str) -> str:
    """A looser form, for looking up a name someone typed (lookups.py): normalised, then
    accents, punctuation and a leading "the" dropped ("Asociación" = "asociacion")."""
    text = unicodedata.normalize("NFKD", normalise_name(name))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = " ".join(_NOT_ALNUM.sub(" ", text).split())
    return text.removeprefix("the ")


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
        # (author keys, "MM-DD") → year, from letters whose full date a document gives
        self._letter_years: dict[tuple[tuple[str, ...], str], str] = {}
        self._labels: dict[str, set[str]] = {}  # key → aliases as written
        self._letters_at: dict[str, str] = {}  # URL path of a document → its letter's short hash

    @classmethod
    def from_data(cls, path: Path | None = None) -> Resolver:
        resolver = cls()
        source = path or resources.data("aliases.yaml")
        if source.exists():
            data = yaml.load(source.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
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
            if alias != norm and alias != known.label:  # as written, not the lookup form
                self._labels.setdefault(known.key, set()).add(alias)
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
            reason = (
                entry.reason
                if normalise_name(name) != normalise_name(entry.label)
                else ("same name")
            )
            return ResolvedActor(entry.key, entry.label, entry.kind, reason)
        return self.register(name, kind)

    def learn(self, findings: Iterable[Findings], store: object = None) -> None:
        """Learn, from all documents of a build, names that the text ties together: acronyms a
        document defines ("Electronic Frontier Foundation (EFF)"), and people written by
        surname or first name alone ("Mr. Zuckerberg", "Lucie") where exactly one person of
        the build has that full name."""
        people: set[str] = set()
        short: set[str] = set()
        findings = list(findings)
        for f in findings:
            url = _url_path(f.document.meta.url)
            if f.letter is not None and url:
                self._letters_at[url] = f.document.short_hash
            for ref in f.letter_refs:
                if ref.date and len(ref.date) == 10 and ref.authors:
                    key = (self._author_keys(ref), ref.date[5:])
                    self._letter_years.setdefault(key, ref.date[:4])
        for f in findings:
            names: list[tuple[str, ActorKind, str | None]] = [
                (m.name, m.kind, m.acronym) for m in f.mentions
            ]
            names += [(q.speaker, q.speaker_kind, None) for q in f.quotes]
            if f.letter is not None:
                names += [(e.label, e.kind, e.acronym) for e in f.letter.signatories]
                for e in f.letter.signatories:
                    if e.legal_suffix and e.kind != "person":
                        # "Quietline Messaging Ltd" named elsewhere is the signer
                        # "Quietline Messaging" whose list line carried the suffix
                        self.register(
                            e.label,
                            e.kind,
                            aliases=[f"{e.label} {e.legal_suffix}"],
                            reason=f"legal suffix {e.legal_suffix!r} of a signatory",
                        )
                names += [(a.name, a.kind, a.acronym) for a in f.letter.addressed_to]
            for name, kind, acronym in names:
                if acronym and kind != "person" and self._lookup(acronym) is None:
                    self.register(
                        name,
                        kind,
                        aliases=[acronym],
                        reason=f"acronym {acronym!r} defined in the text",
                    )
                if kind == "person":
                    people.add(name)
                    short.add(name)

        def bare_of(name: str) -> str:
            return _HONORIFIC.sub("", normalise_name(name))

        def key_of(name: str) -> str:
            entry = self._lookup(name)
            return entry.key if entry is not None else slug(bare_of(name))

        # Longer names indexed by their trailing words (surnames) and first word, so each
        # short form looks up its candidates rather than scanning every person of the build.
        bares = {p: bare_of(p) for p in people}
        longer: dict[tuple[int, str], set[str]] = {}
        for p, bare in bares.items():
            words = bare.split()
            for k in range(1, len(words)):
                longer.setdefault((k, " ".join(words[-k:])), set()).add(p)
            if len(words) > 1:
                longer.setdefault((0, words[0]), set()).add(p)

        # Longest first: "Singleton Norton" joins its full name before "Norton" is looked at.
        for name in sorted(short, key=lambda n: (-len(bares[n].split()), n)):
            bare = bares[name]
            n = len(bare.split())
            if not bare:
                continue
            # a longer name of which this is the surname(s), or (one word) the first name
            full = longer.get((n, bare), set()) | (
                longer.get((0, bare), set()) if n == 1 else set()
            )
            keys = {key_of(p) for p in full}
            if len(keys) == 1 and key_of(name) not in keys:
                target = self.resolve(sorted(full, key=len)[-1], "person")
                known = self._by_name.get(bare)
                if known is not None and known.key != target.key:
                    continue  # the short form already names another actor
                self.register(
                    target.label,
                    "person",
                    aliases=[name, bare],
                    reason=f"{name!r} is the only person of that name in the documents",
                )

        # Every name the builder will look up, registered now in document order: documents
        # are then built in any order (or in parallel) and an actor still gets the label it
        # is first written with in the build, the same in every document graph.
        for f in findings:
            for name, kind in _names_built(f):
                if name:
                    self.resolve(name, kind)

    def _author_keys(self, ref: LetterRef) -> tuple[str, ...]:
        return tuple(sorted(self.resolve(a, "government").key for a in ref.authors))

    def letter_at(self, link: str | None) -> str | None:
        """The short hash of the built document whose letter `link` points to, if any (a
        press release linking to the open letter it announces)."""
        path = _url_path(link)
        return self._letters_at.get(path) if path else None

    def letter_date(self, ref: LetterRef) -> str | None:
        """The letter's date; a day without a year ("--10-04", from "sent on October 4") takes
        the year another document gives for a letter of the same authors on that day."""
        if ref.date and ref.date.startswith("--") and ref.authors:
            year = self._letter_years.get((self._author_keys(ref), ref.date[2:]))
            return f"{year}-{ref.date[2:]}" if year else ref.date
        return ref.date

    def labels_of(self, key: str) -> list[str]:
        """Other names of the actor, as written (curated aliases, acronyms, learned short
        forms): each becomes a label on its node."""
        return sorted(self._labels.get(key, ()))

    def aliases_of(self, key: str) -> list[str]:
        return sorted(n for n, e in self._by_name.items() if e.key == key)


def _names_built(f: Findings) -> Iterator[tuple[str, ActorKind]]:
    """The (name, kind) pairs building.py resolves for a document, in the order it does."""
    meta = f.document.meta
    if meta.publisher:
        yield meta.publisher, "organisation"
    for author in meta.authors:
        if author != meta.publisher:
            yield author, "person"
    if f.letter is not None:
        yield from ((a, "organisation") for a in f.letter.authors)
        yield from ((m.name, m.kind) for m in f.letter.addressed_to)
        for e in f.letter.signatories:
            yield e.label, e.kind
            if e.parent:
                yield e.parent, "organisation"
            if e.kind == "person" and e.affiliation:
                yield e.affiliation, "organisation"
            if e.signed_by:
                yield e.signed_by, "person"
    for ref in f.letter_refs:
        yield from ((a, "government") for a in ref.authors)
        yield from ((n, "person") for n in ref.addressed_to)
    for m in f.mentions:
        yield m.name, m.kind
        if m.kind == "person" and m.affiliation:
            yield m.affiliation, "organisation"
    stances = list(f.stances)
    for q in f.quotes:
        yield q.speaker, q.speaker_kind
        stances.extend(q.stances)
    for st in stances:
        if st.holder != "@letter":
            yield st.holder, st.holder_kind or "organisation"
