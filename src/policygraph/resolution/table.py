"""What resolution hands to building: a frozen table of every name a build's graphs name.

`actor_names` says which names those are: each document's graph names exactly these, with
these kinds (rdf/building.py asks for nothing else; a name it asks for that is not in the
table is an `UnresolvedName` error, never a new registration). Their order matters only to
resolution: an actor keeps the label it is first written with in the build.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

from ..errors import UnresolvedName
from ..models import ActorKind, Findings, LetterRef

__all__ = ["ActorTable", "ResolvedActor", "actor_names", "url_path"]


@dataclass(frozen=True)
class ResolvedActor:
    key: str
    label: str
    kind: ActorKind
    reason: str
    place: str | None = None  # a country the name carried as a suffix ("Tern Labs - Portugal")


def url_path(url: str | None) -> str | None:
    """ "https://site.example/2026/04/02/letter/" and "/2026/04/02/letter" → one key."""
    path = urlparse(url or "").path.strip("/")
    return path or None


@dataclass(frozen=True)
class ActorTable:
    """The resolver's answers, frozen after learning: building reads them, in any order and in
    any process (it is sent to each worker once)."""

    actors: Mapping[tuple[str, ActorKind], ResolvedActor]  # (name, kind) as building asks
    labels: Mapping[str, tuple[str, ...]]  # key → other names as written
    letters_at: Mapping[str, str]  # URL path of a document → its letter's short hash
    # (author keys, "MM-DD") → year, from letters whose full date a document gives
    letter_years: Mapping[tuple[tuple[str, ...], str], str]

    def actor(self, name: str, kind: ActorKind = "organisation") -> ResolvedActor:
        found = self.actors.get((name, kind))
        if found is None:
            raise UnresolvedName(
                f"{name!r} ({kind}) was not resolved: resolution.actor_names does not list "
                "a name the graph builder names"
            )
        return found

    def labels_of(self, key: str) -> tuple[str, ...]:
        """Other names of the actor, as written (curated aliases, acronyms, learned short
        forms): each becomes a label on its node."""
        return self.labels.get(key, ())

    def letter_at(self, link: str | None) -> str | None:
        """The short hash of the built document whose letter `link` points to, if any (a
        press release linking to the open letter it announces)."""
        path = url_path(link)
        return self.letters_at.get(path) if path else None

    def author_keys(self, ref: LetterRef) -> tuple[str, ...]:
        return tuple(sorted(self.actor(a, "government").key for a in ref.authors))

    def letter_date(self, ref: LetterRef) -> str | None:
        """The letter's date; a day without a year ("--10-04", from "sent on October 4") takes
        the year another document gives for a letter of the same authors on that day."""
        if ref.date and ref.date.startswith("--") and ref.authors:
            year = self.letter_years.get((self.author_keys(ref), ref.date[2:]))
            return f"{year}-{ref.date[2:]}" if year else ref.date
        return ref.date


def actor_names(f: Findings) -> Iterator[tuple[str, ActorKind]]:
    """The (name, kind) pairs a document's graph names, in the order of the document."""
    meta = f.document.meta
    if meta.publisher:
        yield meta.publisher, "organisation"
    for author in meta.authors:
        if author != meta.publisher:
            yield author, "person"
    if f.letter is not None:
        yield from ((a, "organisation") for a in f.letter.authors)
        for m in f.letter.addressed_to:
            yield m.name, m.kind
            if m.kind == "person" and m.affiliation:
                yield m.affiliation, "organisation"
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
        if not st.letters_own:
            yield st.holder, st.holder_kind or "organisation"
