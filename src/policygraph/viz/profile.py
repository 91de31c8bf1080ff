"""One actor on one page: every letter it signed or wrote and every stance it holds, each
with its quote and source document, and its Wikidata item.

Read with the views' own queries (signed.rq, authored.rq, stances.rq) and kept to the rows
whose actor is this one, so the page lists exactly what the views draw for it. The page is
static HTML (Jinja, autoescaped) under a policy that allows no script and no request.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import jinja2

from .. import __version__, resources
from ..confusables import load_confusables
from ..errors import UnknownNameError, ViewError
from ..lookups import Names
from ..store import Store
from .catalogue import Catalogue, Window, rows, stance_rows

__all__ = [
    "LetterSigned",
    "Profile",
    "StanceHeld",
    "actor_profile",
    "all_profiles",
    "profile_file",
    "profiles_from",
    "write_profile",
    "write_profiles",
]

_WEB = re.compile(r"^https?://")
Role = Literal["signed", "wrote"]
_ROLES: tuple[tuple[str, Role], ...] = (("signed", "signed"), ("authored", "wrote"))


@dataclass(frozen=True)
class Source:
    title: str
    path: str
    url: str  # "" unless http(s)


@dataclass(frozen=True)
class LetterSigned:
    letter: str
    title: str
    date: str
    role: Role
    quote: str  # the list line or the span naming the actor
    source: Source


@dataclass(frozen=True)
class StanceHeld:
    topic: str  # notation
    topic_label: str
    position: Literal["support", "oppose"]
    date: str
    quote: str
    attribution: str
    source: Source


@dataclass(frozen=True)
class Profile:
    iri: str
    label: str
    kind: str
    wikidata: str
    aliases: str
    letters: tuple[LetterSigned, ...]
    stances: tuple[StanceHeld, ...]
    # Why the name may pass for another actor's (confusables.py); "" when it does not.
    lookalike: str = ""


def actor_profile(store: Store, actor: str) -> Profile:
    """The profile of an actor given by IRI, name or other name ("unknown actor …" if none)."""
    cat = Catalogue(store)
    iri = actor if actor in cat.nodes else _by_name(store, cat, actor)
    return profiles_from(cat, {iri})[iri]


def all_profiles(store: Store, actors: set[str]) -> dict[str, Profile]:
    """The profiles of these actors (IRIs), read in one pass over the store."""
    return profiles_from(Catalogue(store), actors)


def profiles_from(cat: Catalogue, wanted: set[str]) -> dict[str, Profile]:
    """The profiles of these actors (IRIs), from a catalogue already read."""
    cat.load_letters()
    letters: dict[str, dict[tuple[str, str], LetterSigned]] = {iri: {} for iri in wanted}
    for query, role in _ROLES:
        for row in rows(cat.store, query):
            letter, actor = row["to"] or "", row["from"] or ""
            if actor not in wanted or letter not in cat.letters:
                continue
            entry = cat.letters[letter]
            ev = cat.evidence(row, date=entry["date"])
            found = LetterSigned(
                letter, entry["label"], entry["date"], role, ev["quote"], _source(ev)
            )
            mine = letters[actor]
            if (letter, role) not in mine or _order(found) < _order(mine[(letter, role)]):
                mine[(letter, role)] = found
    stances: dict[str, dict[tuple[str, str, str, str], StanceHeld]] = {iri: {} for iri in wanted}
    for s in stance_rows(cat, Window()):
        if s.holder not in wanted:
            continue
        ev = s.evidence
        held = StanceHeld(
            s.topic,
            cat.node(cat.topic_by_notation[s.topic])["label"],
            "support" if s.position == "support" else "oppose",
            ev["date"],
            ev["quote"],
            ev.get("attribution", ""),
            _source(ev),
        )
        stances[s.holder][(s.topic, s.position, ev["doc"], ev["quote"])] = held
    out = {}
    for iri in sorted(wanted):
        node = cat.node(iri)
        out[iri] = Profile(
            iri=iri,
            label=node["label"],
            lookalike=load_confusables().problem(node["label"]) or "",
            kind=node["kind"],
            wikidata=node.get("wikidata", ""),
            aliases=node.get("aliases", ""),
            letters=tuple(sorted(letters[iri].values(), key=lambda x: (x.date or "9999", x.title))),
            stances=tuple(
                sorted(stances[iri].values(), key=lambda x: (x.topic, x.position, x.date, x.quote))
            ),
        )
    return out


def profile_file(iri: str) -> str:
    """A file name for an actor's page: a hash of its IRI, so no text from a document (an
    IRI's tail comes from a name as written) ends up in a file name or a link."""
    return f"actor-{hashlib.sha256(iri.encode()).hexdigest()[:16]}.html"


def write_profiles(store: Store, actors: set[str], out_dir: Path) -> dict[str, str]:
    """Every actor's page into `out_dir`; maps each IRI to its file's name."""
    written = {}
    for iri, profile in all_profiles(store, actors).items():
        name = profile_file(iri)
        _write(out_dir / name, render_profile(profile))
        written[iri] = name
    return written


def _by_name(store: Store, cat: Catalogue, name: str) -> str:
    """The IRI of the actor a name or other name stands for (the lookup `query` uses)."""
    try:
        label = Names(store.select).actor(name)
    except UnknownNameError as exc:
        raise ViewError(str(exc)) from exc
    found = sorted(iri for iri, node in cat.nodes.items() if node["label"] == label)
    if len(found) != 1:
        raise ViewError(f"{name!r} names {len(found)} actors: {', '.join(found)}; give an IRI")
    return found[0]


def _order(item: LetterSigned) -> tuple[str, str]:
    return (item.source.path, item.quote)


def _source(ev: dict[str, str]) -> Source:
    url = ev.get("doc_url", "")
    return Source(ev.get("doc_title", ""), ev.get("doc_path", ""), url if _WEB.match(url) else "")


@cache
def _template() -> jinja2.Template:
    # Compiled once: a view links hundreds of profiles, written in one go.
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(resources.package_text("viz", "profile.html"))


def render_profile(profile: Profile) -> str:
    template = _template()
    wikidata = profile.wikidata.replace("http://", "https://") if profile.wikidata else ""
    return template.render(p=profile, version=__version__, wikidata=wikidata)


def write_profile(store: Store, actor: str, path: Path) -> Path:
    return _write(path, render_profile(actor_profile(store, actor)))


def _write(path: Path, html: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path
