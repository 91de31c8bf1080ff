"""A coder's decisions as typed values, and their YAML form (see file.py for the file).

A decision names the fact it is about by a key that survives a rebuild: the document's
content hash, the span's offsets and text, and the kind of fact. Facts are found again by
their span (the builder mints span IRIs from the hash and offsets), so a rule change that
moves other facts leaves the decision's fact where it was; a document whose text changed is
found again by its source path and the span by its text (see apply.py).

    format: policygraph-review/1
    decisions:
      - id: 3f0c…                  # stable: the target and the reviewer (a later decision by
        kind: stance               # the same reviewer on the same fact replaces it)
        status: corrected          # accepted | corrected | added | rejected
        reviewer: alice
        time: 2026-12-08T01:40:00+00:00
        document: 7564b243…        # the text's SHA-256
        source: data/documents/000_7564b24336da61a9.txt
        span: {start: 120, end: 188, text: "We oppose any backdoor"}
        select: {topic: backdoors} # optional: which of the span's facts (topic, holder)
        changes: {position: support}
      - kind: merge                # merges and splits name actors, not spans
        status: corrected
        actors: [Electronic Frontier Foundation, EFF Inc]   # kept, then merged into it
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from ..errors import ReviewError

__all__ = [
    "FORMAT",
    "Decision",
    "FactKey",
    "Kind",
    "Status",
    "decision_from_dict",
    "decision_to_dict",
    "now",
]

FORMAT = "policygraph-review/1"


class Status(Enum):
    """A fact's review status; `auto` is every fact no decision is about."""

    AUTO = "auto"
    ACCEPTED = "accepted"
    CORRECTED = "corrected"
    ADDED = "added"
    REJECTED = "rejected"


class Kind(Enum):
    SIGNATORY = "signatory"
    ACTOR = "actor"
    PERSON = "person"
    QUOTE = "quote"
    STANCE = "stance"
    MERGE = "merge"
    SPLIT = "split"


SPAN_KINDS = frozenset({Kind.SIGNATORY, Kind.ACTOR, Kind.PERSON, Kind.QUOTE, Kind.STANCE})
# What a correction or an addition may set, per kind.
FIELDS: dict[Kind, frozenset[str]] = {
    Kind.STANCE: frozenset({"holder", "topic", "position", "attribution"}),
    Kind.SIGNATORY: frozenset({"actor"}),
    Kind.ACTOR: frozenset({"actor", "actor_kind"}),
    Kind.PERSON: frozenset({"actor", "role", "organisation"}),
    Kind.QUOTE: frozenset({"speaker"}),
    Kind.MERGE: frozenset(),
    Kind.SPLIT: frozenset({"name"}),
}
SELECTORS = frozenset({"topic", "holder"})
POSITIONS = ("support", "oppose")


@dataclass(frozen=True)
class FactKey:
    """Which fact: its document (content hash, and the source path to find a changed text
    again), its span and its kind."""

    document: str
    start: int
    end: int
    text: str
    source: str | None = None

    def moved(self, document: str, start: int) -> FactKey:
        return replace(self, document=document, start=start, end=start + len(self.text))


@dataclass(frozen=True)
class Decision:
    kind: Kind
    status: Status
    reviewer: str
    time: dt.datetime
    key: FactKey | None = None  # span kinds
    actors: tuple[str, ...] = ()  # merge: (kept, merged…); split: (the merged actor,)
    select: tuple[tuple[str, str], ...] = ()
    changes: tuple[tuple[str, str], ...] = ()
    note: str | None = None
    id: str = field(default="")

    def __post_init__(self) -> None:
        _check(self)
        if not self.id:
            object.__setattr__(self, "id", self.target_id(self.reviewer))

    def target_id(self, reviewer: str) -> str:
        """The decision's id: what it is about and who decided (not what was decided)."""
        k = self.key
        parts: list[object] = [self.kind.value, reviewer, *self.actors, *sorted(self.select)]
        if k is not None:
            parts += [k.document, k.start, k.end]
        if self.status is Status.ADDED or self.kind is Kind.SPLIT:  # two of them are two facts
            parts += sorted(self.changes)
        return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]

    @property
    def target(self) -> str:
        """What the decision is about, whoever decided: decisions with the same target are
        one fact's codings (the latest is applied; two reviewers' are compared)."""
        return self.target_id("")

    def change(self, name: str) -> str | None:
        return dict(self.changes).get(name)

    def selected(self, name: str) -> str | None:
        return dict(self.select).get(name)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _check(d: Decision) -> None:
    if not d.reviewer.strip():
        raise ReviewError("a decision needs a reviewer")
    if d.kind in SPAN_KINDS and d.key is None:
        raise ReviewError(f"a {d.kind.value} decision needs a document and a span")
    if d.key is not None and (d.key.start < 0 or d.key.end <= d.key.start):
        raise ReviewError(f"span {d.key.start}..{d.key.end} is empty or negative")
    if d.kind is Kind.MERGE and len(d.actors) < 2:
        raise ReviewError("a merge names the actor kept and at least one merged into it")
    if d.kind is Kind.SPLIT and (len(d.actors) != 1 or not d.change("name")):
        raise ReviewError("a split names one actor and the name (as written) to split off")
    allowed = FIELDS[d.kind]
    bad = sorted({k for k, _ in d.changes} - allowed)
    if bad:
        raise ReviewError(f"a {d.kind.value} decision cannot change {', '.join(bad)}")
    if d.status is Status.CORRECTED and d.kind in SPAN_KINDS and not d.changes:
        raise ReviewError("a correction says what it changes")
    position = d.change("position")
    if position is not None and position not in POSITIONS:
        raise ReviewError(f"position {position!r} is not support or oppose")
    if d.status is Status.AUTO:
        raise ReviewError("`auto` is the status of facts nobody decided on, not a decision")


# ---------------------------------------------------------------------- YAML form
def decision_to_dict(d: Decision) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": d.id,
        "kind": d.kind.value,
        "status": d.status.value,
        "reviewer": d.reviewer,
        "time": d.time.isoformat(),
    }
    if d.key is not None:
        out["document"] = d.key.document
        if d.key.source:
            out["source"] = d.key.source
        out["span"] = {"start": d.key.start, "end": d.key.end, "text": d.key.text}
    if d.actors:
        out["actors"] = list(d.actors)
    if d.select:
        out["select"] = dict(d.select)
    if d.changes:
        out["changes"] = dict(d.changes)
    if d.note:
        out["note"] = d.note
    return out


def decision_from_dict(data: object, where: str) -> Decision:
    """One decision of a file; `where` names it in errors ("review.yaml: decisions[3]")."""
    if not isinstance(data, Mapping):
        raise ReviewError(f"{where}: each decision must be a mapping")
    try:
        kind = Kind(data.get("kind"))
        status = Status(data.get("status"))
    except ValueError as exc:
        raise ReviewError(f"{where}: {exc}") from exc
    try:
        return Decision(
            kind=kind,
            status=status,
            reviewer=str(data.get("reviewer") or ""),
            time=_time(data.get("time"), where),
            key=_key(data, where),
            actors=tuple(str(a) for a in data.get("actors") or ()),
            select=_pairs(data.get("select"), where, "select"),
            changes=_pairs(data.get("changes"), where, "changes"),
            note=str(data["note"]) if data.get("note") else None,
            id=str(data.get("id") or ""),
        )
    except ReviewError as exc:
        if str(exc).startswith(where):
            raise
        raise ReviewError(f"{where}: {exc}") from exc


def _time(value: object, where: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        t = value
    else:
        try:
            t = dt.datetime.fromisoformat(str(value))
        except ValueError as exc:
            raise ReviewError(f"{where}: time {value!r} is not an ISO date-time") from exc
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def _key(data: Mapping[str, Any], where: str) -> FactKey | None:
    span = data.get("span")
    if span is None and data.get("document") is None:
        return None
    if not isinstance(span, Mapping):
        raise ReviewError(f"{where}: `span` must be a mapping of start, end and text")
    try:
        start, end = int(span["start"]), int(span["end"])
        text = str(span["text"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ReviewError(f"{where}: `span` needs integer start and end and its text") from exc
    if len(text) != end - start:
        raise ReviewError(f"{where}: the span's text is not {end - start} characters long")
    document = str(data.get("document") or "")
    if len(document) != 64 or any(c not in "0123456789abcdef" for c in document):
        raise ReviewError(f"{where}: `document` must be the text's SHA-256 (64 hex digits)")
    source = data.get("source")
    return FactKey(document, start, end, text, str(source) if source else None)


def _pairs(value: object, where: str, name: str) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise ReviewError(f"{where}: `{name}` must be a mapping")
    if name == "select" and set(value) - SELECTORS:
        raise ReviewError(f"{where}: `select` takes only {', '.join(sorted(SELECTORS))}")
    return tuple(sorted((str(k), str(v)) for k, v in value.items()))
