"""The review file: human decisions that override the scorer on every link run.

    format: policygraph-wikidata-review/1
    date: 2026-12-01            # when the decisions below were made (default for each)
    actors:
      - actor: United Kingdom   # a label, an alias, an actor key or IRI; or a list of names
        kind: country           # optional: only entities of this kind
        parent_of: [names]      # optional: actors that belong to this one (org:subOrganizationOf)
        decision: link          # link (to qid) | accept (the scorer's candidate qid) | reject
        qid: Q145
        source: "where the identifier was verified"
    topics:
      - topic: backdoors        # the topic's skos:notation
        decision: link
        qid: Q…
        match: close            # close (skos:closeMatch, default) | exact
        source: "…"

`reject` without a qid keeps the entity unlinked; with a qid it rules out that one item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

from ..errors import LinkError
from ..resolution import normalise_name
from .model import Entity, is_qid

__all__ = [
    "REVIEW_FORMAT",
    "ActorDecision",
    "Decision",
    "ReviewFile",
    "TopicDecision",
    "load_review",
]

REVIEW_FORMAT = "policygraph-wikidata-review/1"
Decision = Literal["link", "accept", "reject"]
_DECISIONS: tuple[Decision, ...] = get_args(Decision)
_KINDS = ("organisation", "company", "government", "person", "country")


@dataclass(frozen=True)
class ActorDecision:
    names: tuple[str, ...]
    decision: Decision
    qid: str | None
    source: str | None
    date: str | None
    kind: str | None = None
    note: str | None = None
    # Children the documents name without their parent ("ACM US Technology Policy
    # Committee"): the parent actor is made if missing and the children attached to it.
    parent_of: tuple[str, ...] = ()

    def matches(self, entity: Entity) -> bool:
        if self.kind is not None and entity.kind != self.kind:
            return False
        return names_match(self.names, entity)


def names_match(names: Iterable[str], entity: Entity) -> bool:
    """Whether one of `names` is the entity's label, an alias, its key or its IRI."""
    given = set(names)
    mine = {normalise_name(n) for n in given}
    theirs = {normalise_name(n) for n in (entity.label, *entity.aliases, entity.key)}
    return bool(mine & theirs) or str(entity.iri) in given


@dataclass(frozen=True)
class TopicDecision:
    notation: str
    decision: Decision
    qid: str | None
    source: str | None
    date: str | None
    match: str = "close"


@dataclass(frozen=True)
class ReviewFile:
    path: Path | None
    actors: tuple[ActorDecision, ...] = ()
    topics: tuple[TopicDecision, ...] = ()

    def for_entity(self, entity: Entity) -> list[ActorDecision]:
        return [d for d in self.actors if d.matches(entity)]


def load_review(path: Path | None) -> ReviewFile:
    """Read and check a review file; a missing path means no decisions."""
    if path is None:
        return ReviewFile(None)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise LinkError(f"{path}: review file not found") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise LinkError(f"{path}: cannot read the review file: {exc}") from exc
    if data is None:
        return ReviewFile(path)
    if not isinstance(data, dict) or data.get("format") != REVIEW_FORMAT:
        raise LinkError(f"{path}: not a review file (expected `format: {REVIEW_FORMAT}`)")
    default_date = _date(data.get("date"), path, "date")
    actors = tuple(
        _actor(entry, i, path, default_date) for i, entry in enumerate(_list(data, "actors", path))
    )
    topics = tuple(
        _topic(entry, i, path, default_date) for i, entry in enumerate(_list(data, "topics", path))
    )
    return ReviewFile(path, actors, topics)


def _list(data: dict[str, Any], key: str, path: Path) -> list[Any]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise LinkError(f"{path}: `{key}` must be a list of decisions")
    return value


def _date(value: object, path: Path, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError as exc:
        raise LinkError(f"{path}: {where}: {value!r} is not a date (YYYY-MM-DD)") from exc


def _common(entry: object, where: str, path: Path) -> tuple[dict[str, Any], Decision, str | None]:
    if not isinstance(entry, dict):
        raise LinkError(f"{path}: {where}: each decision must be a mapping")
    decision = str(entry.get("decision", "link"))
    if decision not in _DECISIONS:
        raise LinkError(f"{path}: {where}: decision {decision!r} is not one of {_DECISIONS}")
    qid = entry.get("qid")
    if qid is not None:
        qid = str(qid).strip()
        if not is_qid(qid):
            raise LinkError(f"{path}: {where}: {qid!r} is not a Wikidata item id (Q…)")
    if decision in ("link", "accept"):
        if qid is None:
            raise LinkError(f"{path}: {where}: decision {decision!r} needs a qid")
        if not entry.get("source"):
            raise LinkError(
                f"{path}: {where}: say where {qid} was verified (`source:`); identifiers "
                "recalled from memory are not admissible"
            )
    return entry, decision, qid


def _actor(entry: object, i: int, path: Path, default_date: str | None) -> ActorDecision:
    where = f"actors[{i}]"
    data, decision, qid = _common(entry, where, path)
    names = data.get("actor")
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise LinkError(f"{path}: {where}: `actor` must name the actor (a string or a list)")
    kind = data.get("kind")
    if kind is not None and kind not in _KINDS:
        raise LinkError(f"{path}: {where}: kind {kind!r} is not one of {_KINDS}")
    children = data.get("parent_of") or []
    if isinstance(children, str):
        children = [children]
    if not isinstance(children, list) or not all(isinstance(c, str) for c in children):
        raise LinkError(f"{path}: {where}: `parent_of` must name actors (a string or a list)")
    return ActorDecision(
        names=tuple(names),
        decision=decision,
        qid=qid,
        source=str(data["source"]) if data.get("source") else None,
        date=_date(data.get("date"), path, where) or default_date,
        kind=kind,
        note=str(data["note"]) if data.get("note") else None,
        parent_of=tuple(children),
    )


def _topic(entry: object, i: int, path: Path, default_date: str | None) -> TopicDecision:
    where = f"topics[{i}]"
    data, decision, qid = _common(entry, where, path)
    notation = data.get("topic")
    if not isinstance(notation, str) or not notation:
        raise LinkError(f"{path}: {where}: `topic` must give the topic's notation")
    match = str(data.get("match", "close"))
    if match not in ("close", "exact"):
        raise LinkError(f"{path}: {where}: match {match!r} is not close or exact")
    return TopicDecision(
        notation=notation,
        decision=decision,
        qid=qid,
        source=str(data["source"]) if data.get("source") else None,
        date=_date(data.get("date"), path, where) or default_date,
        match=match,
    )


def pending_yaml(items: Iterable[Any]) -> str:
    """A review-file fragment listing undecided entities and their candidates, to fill in."""
    entries = []
    for item in items:
        entries.append(
            {
                "actor": item.label,
                "kind": item.kind,
                "decision": "undecided",
                "why": item.reason,
                "candidates": [
                    {
                        "qid": s.candidate.qid,
                        "label": s.candidate.title,
                        "description": s.candidate.description,
                        "score": s.score,
                        "ruled_out": s.vetoed,
                        "features": list(s.features),
                    }
                    for s in item.candidates
                ],
            }
        )
    return yaml.safe_dump({"pending": entries}, allow_unicode=True, sort_keys=False)
