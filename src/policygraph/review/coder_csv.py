"""A coder's CSV → decisions. One row per decision; a header names the columns:

    document,kind,status,text,start,end,topic,holder,position,actor,reviewer,note

`document` is a source path or content hash of a stored document; the span is `text` (found
in the document) or `start`,`end`; `topic`/`holder` pick among a span's stances; `position`,
`holder`, `topic` and `actor` are also what a correction or an addition sets. `reviewer` and
`time` default to the importer's. Rows that cannot be read are reported with their number;
the others are imported.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from ..errors import ReviewError
from ..store import Store
from .actions import decide
from .model import FIELDS, Decision, Kind, Status

__all__ = ["read_coder_csv"]

_REQUIRED = ("document", "kind", "status")


def read_coder_csv(store: Store, path: Path, reviewer: str) -> tuple[list[Decision], list[str]]:
    """The decisions of the CSV's rows, and one problem line per row that failed."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReviewError(f"{path}: cannot read the CSV: {exc}") from exc
    if rows and not set(_REQUIRED) <= set(rows[0]):
        raise ReviewError(f"{path}: the header must name {', '.join(_REQUIRED)}")
    decisions: list[Decision] = []
    problems: list[str] = []
    for n, row in enumerate(rows, start=2):  # row 1 is the header
        try:
            decisions.append(_decision(store, row, reviewer))
        except (ReviewError, ValueError) as exc:
            problems.append(f"{path}: row {n}: {exc}")
    return decisions, problems


def _decision(store: Store, row: dict[str, str], reviewer: str) -> Decision:
    cell = {k.strip(): (v or "").strip() for k, v in row.items() if k}
    kind, status = Kind(cell["kind"]), Status(cell["status"])
    span = None
    if cell.get("start") and cell.get("end"):
        span = (int(cell["start"]), int(cell["end"]))
    values = {k: cell[k] for k in FIELDS[kind] if cell.get(k)}
    changes = values if status in (Status.CORRECTED, Status.ADDED) else {}
    select = {}
    if status not in (Status.CORRECTED, Status.ADDED):
        select = {k: cell[k] for k in ("topic", "holder") if cell.get(k)}
    d = decide(
        store,
        kind=kind,
        status=status,
        reviewer=cell.get("reviewer") or reviewer,
        document=cell["document"],
        text=cell.get("text") or None,
        span=span,
        select=select,
        changes=changes,
        note=cell.get("note") or None,
    )
    if cell.get("time"):
        t = dt.datetime.fromisoformat(cell["time"])
        d = Decision(
            d.kind, d.status, d.reviewer, t if t.tzinfo else t.replace(tzinfo=dt.UTC), d.key,
            select=d.select, changes=d.changes, note=d.note,
        )  # fmt: skip
    return d
