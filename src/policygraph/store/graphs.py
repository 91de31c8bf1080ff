"""Whole-store operations the CLI and demo share: validation, counts, summaries."""

from __future__ import annotations

from ..rdf.validation import Violation, validate_oxigraph
from ..vocab import PREFIXES
from . import Store, rq

__all__ = ["class_counts", "compact", "summary", "validate_store"]


def compact(iri: str) -> str:
    """pg:Stance rather than the full IRI, for people."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)):
            return f"{prefix}:{iri[len(str(ns)) :]}"
    return iri


def validate_store(store: Store) -> list[tuple[str, Violation]]:
    """SHACL-check each document graph (with the topic scheme) and report what fails."""
    found = validate_oxigraph(store.oxigraph)
    return [(name, v) for name in sorted(found) for v in found[name]]


def class_counts(store: Store) -> list[tuple[str, int]]:
    rows = store.select(rq.load("stats"), union=False).rows
    return [(compact(str(c)), int(str(n))) for c, n in rows]


def summary(store: Store) -> dict[str, int]:
    result = store.select(rq.load("summary"), union=False)
    row = result.rows[0]
    return {k: int(v) if v is not None else 0 for k, v in zip(result.variables, row, strict=True)}  # type: ignore[call-overload]
