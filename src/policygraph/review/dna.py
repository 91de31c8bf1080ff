"""The Discourse Network Analyzer's statement table, out and in.

DNA codes a statement as: who (actor), on what (concept), agreeing or not (agreement), when
(date), in which document, and the text that says so. The export writes the stances
reviewers accepted, corrected or added, one row each, with `coder` (the reviewer) and the
span's `start` so a text written twice in a document is found again. The import turns each row
into the decision that makes the store hold that statement: an extracted stance on the span
with the same holder, topic and position is accepted; one with another position is
corrected; none is an added stance.

    actor,concept,agreement,date,document,text,coder,start
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from ..errors import ReviewError
from ..names import lookup_key
from ..store import Store
from . import locate as loc
from .actions import document_facts
from .model import Decision, FactKey, Kind, Status, now

__all__ = ["COLUMNS", "export_dna", "import_dna"]

COLUMNS = ("actor", "concept", "agreement", "date", "document", "text", "coder", "start")
_AGREEMENT = {"yes": "support", "no": "oppose", "1": "support", "0": "oppose",
              "support": "support", "oppose": "oppose"}  # fmt: skip


def export_dna(store: Store) -> str:
    """The reviewed statements as DNA's statement table (CSV text)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    seen: set[tuple[str, ...]] = set()
    for row in loc.select(store, "reviewed_stances"):
        _, holder, topic, position, date, hash_, path, start, exact, reviewer, _status = row
        line = (
            str(holder),
            str(topic),
            "yes" if str(position).endswith("Support") else "no",
            str(date or ""),
            str(path or hash_),
            str(exact),
            str(reviewer),
            str(start),
        )
        if line not in seen:
            seen.add(line)
            writer.writerow(line)
    return out.getvalue()


def import_dna(store: Store, path: Path, reviewer: str) -> tuple[list[Decision], list[str]]:
    """The decisions a statement table asks for, and one problem line per row that failed."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReviewError(f"{path}: cannot read the statement table: {exc}") from exc
    required = {"actor", "concept", "agreement", "document", "text"}
    if rows and not required <= set(rows[0]):
        raise ReviewError(f"{path}: the header must name {', '.join(sorted(required))}")
    decisions: list[Decision] = []
    problems: list[str] = []
    for n, row in enumerate(rows, start=2):
        try:
            decisions.append(_statement(store, {k: (v or "").strip() for k, v in row.items()},
                                        reviewer))  # fmt: skip
        except (ReviewError, ValueError) as exc:
            problems.append(f"{path}: row {n}: {exc}")
    return decisions, problems


def _statement(store: Store, row: dict[str, str], reviewer: str) -> Decision:
    position = _AGREEMENT.get(row["agreement"].lower())
    if position is None:
        raise ReviewError(f"agreement {row['agreement']!r} is not yes or no")
    doc = loc.find_document(store, row["document"])
    key = _key(store, doc, row["text"], row.get("start"))
    topic = _topic(row["concept"])
    who = row.get("coder") or reviewer
    actors = loc.Actors(store)
    holder = actors.find(row["actor"])
    for f in document_facts(store, doc):
        if f.kind is not Kind.STANCE or (f.start, f.end) != (key.start, key.end):
            continue
        if f.topic != topic or holder is None or not _holds(actors, f.who, holder):
            continue
        select = (("holder", f.who[0]), ("topic", topic))
        if f.position == position:
            return Decision(Kind.STANCE, Status.ACCEPTED, who, now(), key, select=select)
        return Decision(Kind.STANCE, Status.CORRECTED, who, now(), key, select=select,
                        changes=(("position", position),))  # fmt: skip
    changes = (("holder", row["actor"]), ("position", position), ("topic", topic))
    return Decision(Kind.STANCE, Status.ADDED, who, now(), key, changes=changes)


def _holds(actors: loc.Actors, names: Iterable[str], holder: object) -> bool:
    return any(actors.find(n) == holder for n in names)


def _key(store: Store, doc: loc.StoredDocument, text: str, start: str | None) -> FactKey:
    if start:
        at = int(start)
        body = loc.document_text(store, doc)
        if body[at : at + len(text)] == text:
            return loc.key_for(store, doc, at, at + len(text))
    return loc.key_for_text(store, doc, text)


def _topic(concept: str) -> str:
    from ..topics import load_topics

    wanted = lookup_key(concept)
    for t in load_topics().topics:
        if wanted in {lookup_key(t.notation), lookup_key(t.label)}:
            return t.notation
    raise ReviewError(f"concept {concept!r} is no topic of the topic scheme")
