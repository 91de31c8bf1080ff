"""The resolver while it learns: names registered as a build's documents are read, each merge
with its rule (the rules are listed in the package's docstring). It is mutable and lives only
inside `learn_actors`; building reads the frozen `ActorTable` it returns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import resources
from ..models import ActorKind, Findings, LetterRef
from ..names import (
    actor_key,
    fold,
    government_of,
    is_chapter_name,
    split_place_suffix,
    without_legal_suffix,
)
from ..vocab import slug
from .table import ActorTable, ResolvedActor, actor_names, url_path

__all__ = ["Resolver"]

_HONORIFIC = re.compile(
    r"^(?:(?:mr|mrs|ms|dr|prof|professor|sir|dame|senator|father|president)\.?\s+)+",
    re.IGNORECASE,
)
_THE = re.compile(r"^the\s+", re.IGNORECASE)


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    from ..extraction.gazetteer import load_gazetteer  # written form → country

    return load_gazetteer().countries


@lru_cache(maxsize=1)
def _agencies() -> dict[str, str]:
    from ..extraction.gazetteer import load_gazetteer  # written form → government body

    return load_gazetteer().agencies


@lru_cache(maxsize=1)
def _legal_suffixes() -> tuple[str, ...]:
    from ..extraction.lexicon import lexicon  # the legal forms of data/signatories.yaml

    return tuple(s for s, _ in lexicon().legal_suffixes)


@dataclass(frozen=True)
class _Entry:
    key: str
    label: str
    kind: ActorKind
    reason: str
    place: str | None = None


class Resolver:
    """Maps names to canonical actors; learns from the documents of a build."""

    def __init__(self) -> None:
        self._by_name: dict[str, _Entry] = {}  # names.actor_key → actor
        # (author keys, "MM-DD") → year, from letters whose full date a document gives
        self._letter_years: dict[tuple[tuple[str, ...], str], str] = {}
        self._labels: dict[str, set[str]] = {}  # key → aliases as written
        self._letters_at: dict[str, str] = {}  # URL path of a document → its letter's short hash
        self._chapters: set[str] = set()  # keys of names that are chapters, never split
        self._federations: set[str] = set()  # keys of organisations made of national chapters

    @classmethod
    def from_data(cls, path: Path | None = None) -> Resolver:
        resolver = cls()
        source = path or resources.data("aliases.yaml")
        if source.exists():
            data = resources.load_yaml(source, "curated aliases") or {}
            for item in data.get("actors", []):
                label = str(item["label"])
                kind: ActorKind = item.get("kind", "organisation")
                rule = f"resolution.alias.{item.get('id') or slug(label)}"
                reason = f"{rule}: curated alias ({item.get('reason', 'data/aliases.yaml')})"
                resolver.register(label, kind, aliases=item.get("aliases", []), reason=reason)
            resolver._federations = {actor_key(str(n)) for n in data.get("federations", [])}
        return resolver

    def register(
        self,
        label: str,
        kind: ActorKind,
        *,
        aliases: Iterable[str] = (),
        reason: str = "named in a document",
        place: str | None = None,
    ) -> ResolvedActor:
        """Make `label` a canonical actor (unless a name of it is known) and add aliases."""
        known = self._lookup(label)
        if known is None:
            known = _Entry(slug(label), label, kind, reason, place)
            self._by_name[actor_key(label)] = known
            bare = _HONORIFIC.sub("", label).strip()
            if kind == "person" and bare and bare != label:
                # the label stays as written; "President Barack Obama" is also Barack Obama
                self._labels.setdefault(known.key, set()).add(bare)
                self._by_name.setdefault(actor_key(bare), known)
        for alias in aliases:
            norm = actor_key(alias)
            if norm and norm not in self._by_name:
                self._by_name[norm] = _Entry(known.key, known.label, known.kind, reason, place)
            if fold(alias) != fold(known.label):  # as written, not the lookup form
                self._labels.setdefault(known.key, set()).add(alias)
        return ResolvedActor(known.key, known.label, known.kind, known.reason, known.place)

    def _lookup(self, name: str) -> _Entry | None:
        folded = fold(name)
        for variant in (folded, _HONORIFIC.sub("", folded), _THE.sub("", folded)):
            entry = self._by_name.get(actor_key(variant))
            if entry is not None:
                return entry
        return None

    def _split_place(self, name: str) -> tuple[str, str] | None:
        """("Tern Labs", "Portugal") for "Tern Labs - Portugal"; None for a chapter's name or
        a name without a country suffix."""
        parts = split_place_suffix(name)
        if parts is None or is_chapter_name(name) or actor_key(name) in self._chapters:
            return None
        base, place = parts
        country = _countries().get(place)
        if country is None or not base or actor_key(base) in self._federations:
            return None
        return base, country

    def resolve(self, name: str, kind: ActorKind = "organisation") -> ResolvedActor:
        entry = self._lookup(name)
        if entry is None and kind != "person":
            entry = self._by_suffix(name, kind)
        if entry is not None:
            same = fold(name) == fold(entry.label)
            reason = "same name" if same else entry.reason
            if not same and reason == "named in a document":
                reason = f"resolution.key: {name!r} and {entry.label!r} differ only in spelling"
            return ResolvedActor(entry.key, entry.label, entry.kind, reason, entry.place)
        return self.register(name, kind)

    def _by_suffix(self, name: str, kind: ActorKind) -> _Entry | None:
        """The actor a name with a legal-form or country suffix stands for (registered now
        under the bare name when the build has not met it yet)."""
        legal = without_legal_suffix(name, _legal_suffixes())
        if legal is not None:
            why = f"resolution.legal-suffix: {name!r} is {legal!r} with its legal form"
            base = self._lookup(legal)
            if base is None:  # the bare name is the actor, whichever the build meets first
                self.register(legal, kind, reason=why)
                base = self._lookup(legal)
            assert base is not None
            return _Entry(base.key, base.label, base.kind, why, base.place)
        gov = government_of(name)
        if gov and gov in _countries():
            self.register(_countries()[gov], "government")
            state = self._lookup(_countries()[gov])
            why = f"resolution.government-of: {name!r} is the government of {gov!r}"
            if state is not None:
                return _Entry(state.key, state.label, state.kind, why, state.place)
        prefixed = self._country_prefix(name)
        if prefixed is not None:
            return prefixed
        split = self._split_place(name)
        if split is None:
            return None
        base_name, country = split
        why = f"resolution.place-suffix: {country!r} in {name!r} says where, not who"
        base = self._lookup(base_name)
        if base is None:
            self.register(base_name, kind, reason=why, place=country)
            base = self._lookup(base_name)
        assert base is not None
        self.register(base.label, base.kind, aliases=[name], reason=why, place=country)
        return _Entry(base.key, base.label, base.kind, why, country)

    def _country_prefix(self, name: str) -> _Entry | None:
        """ "U.S. Federal Bureau of Investigation" is the Federal Bureau of Investigation the
        build knows, in the United States (only a known actor: "US Technology Policy
        Committee" is a name of its own)."""
        words = name.split()
        for n in (3, 2, 1):
            head, rest = " ".join(words[:n]), " ".join(words[n:])
            country = _countries().get(head)
            if country is None or len(rest.split()) < 2:
                continue
            base = self._lookup(rest)
            if base is None and rest in _agencies():  # a body the gazetteer knows
                self.register(_agencies()[rest], "government")
                base = self._lookup(rest)
            if base is not None and base.kind in ("government", "organisation"):
                why = f"resolution.place-prefix: {head!r} in {name!r} says where, not who"
                return _Entry(base.key, base.label, base.kind, why, base.place or country)
        return None

    def learn(self, findings: Iterable[Findings]) -> ActorTable:
        """Learn, from all documents of a build, names that the text ties together: acronyms a
        document defines ("Electronic Frontier Foundation (EFF)"), and people written by
        surname or first name alone ("Mr. Zuckerberg", "Lucie") where exactly one person of
        the build has that full name. Then every name the documents' graphs name is resolved,
        in document order (an actor keeps the label it is first written with in the build),
        and the answers frozen: building reads that table and never resolves a name itself."""
        findings = list(findings)
        self._learn_letters(findings)
        people = self._learn_names(findings)
        self._learn_short_forms(people)
        named = [(name, kind) for f in findings for name, kind in actor_names(f)]
        for name, kind in named:
            self.resolve(name, kind)
        # A second pass, once every name is known: a name resolved early through a suffix
        # rule answers as it would at the end of learning.
        actors = {pair: self.resolve(*pair) for pair in named}
        labels = {key: tuple(sorted(names)) for key, names in self._labels.items()}
        return ActorTable(actors, labels, dict(self._letters_at), dict(self._letter_years))

    def _learn_letters(self, findings: list[Findings]) -> None:
        for f in findings:
            url = url_path(f.document.meta.url)
            if f.letter is not None and url:
                self._letters_at[url] = f.document.short_hash
            for ref in f.letter_refs:
                if ref.date and len(ref.date) == 10 and ref.authors:
                    key = (self._author_keys(ref), ref.date[5:])
                    self._letter_years.setdefault(key, ref.date[:4])

    def _learn_names(self, findings: list[Findings]) -> set[str]:
        """Acronyms, legal suffixes and chapters the documents define; the people they name."""
        people: set[str] = set()
        for f in findings:
            names: list[tuple[str, ActorKind, str | None]] = [
                (m.name, m.kind, m.acronym) for m in f.mentions
            ]
            names += [(q.speaker, q.speaker_kind, None) for q in f.quotes]
            if f.letter is not None:
                names += [(e.label, e.kind, e.acronym) for e in f.letter.signatories]
                # a signer with a parent is a chapter of it: never folded into the parent
                self._chapters |= {actor_key(e.label) for e in f.letter.signatories if e.parent}
                for e in f.letter.signatories:
                    if e.legal_suffix and e.kind != "person":
                        # "Quietline Messaging Ltd" named elsewhere is the signer
                        # "Quietline Messaging" whose list line carried the suffix
                        self.register(
                            e.label,
                            e.kind,
                            aliases=[f"{e.label} {e.legal_suffix}"],
                            reason=f"resolution.legal-suffix: {e.legal_suffix!r} of a signatory",
                        )
                names += [(a.name, a.kind, a.acronym) for a in f.letter.addressed_to]
            for name, kind, acronym in names:
                if acronym and kind != "person" and self._lookup(acronym) is None:
                    self.register(
                        name,
                        kind,
                        aliases=[acronym],
                        reason=f"resolution.acronym: {acronym!r} defined in the text",
                    )
                if kind == "person":
                    people.add(name)
        return people

    def _learn_short_forms(self, people: set[str]) -> None:
        """A surname or first name alone joins the one person of the build with that name."""

        def bare_of(name: str) -> str:
            return _HONORIFIC.sub("", fold(name))

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
        for name in sorted(people, key=lambda n: (-len(bares[n].split()), n)):
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
                known = self._by_name.get(actor_key(bare))
                if known is not None and known.key != target.key:
                    continue  # the short form already names another actor
                self.register(
                    target.label,
                    "person",
                    aliases=[name, bare],
                    reason=f"resolution.surname: {name!r} is the only person of that name "
                    "in the documents",
                )

    def _author_keys(self, ref: LetterRef) -> tuple[str, ...]:
        return tuple(sorted(self.resolve(a, "government").key for a in ref.authors))
