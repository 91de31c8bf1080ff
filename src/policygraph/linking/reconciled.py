"""Candidates from any W3C reconciliation service (Wikidata's, or another policygraph's
`serve`): the entities' names go out as one `queries=` batch per request, through the one
HTTP client, cached per name like every other answer. A result whose id is a Wikidata item
(a QID, or its entity IRI) becomes a candidate, treated as a search hit: the service's score
is not trusted, the item's names and details are checked here as for any other candidate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..resolution import normalise_name
from .candidates import CandidateAnswers, entity_names
from .endpoint import AnswerSource
from .model import WD_ENTITY, Entity, is_qid
from .scoring import NameMatch, TypeRules

__all__ = ["RECONCILE_BATCH", "reconcile_candidates"]

RECONCILE_BATCH = 10  # queries per request, as OpenRefine sends them


def reconcile_key(name: str) -> str:
    return f"reconcile\t{name}"


def _qid(value: object) -> str | None:
    text = str(value).strip()
    text = text.removeprefix(WD_ENTITY)
    return text if is_qid(text) else None


def _score(value: object) -> float:
    """A result's score; a service's answer is not trusted to be well formed."""
    try:
        return float(value) if isinstance(value, int | float | str) else 0.0
    except ValueError:
        return 0.0


def _split(keys: list[str], result: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, list[str]] = {}
    for i, key in enumerate(keys):
        answer = result.get(f"q{i}")
        rows = answer.get("result") if isinstance(answer, dict) else None
        ranked = [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []
        ranked.sort(key=lambda r: -_score(r.get("score")))
        out[key] = list(dict.fromkeys(q for q in (_qid(r.get("id")) for r in ranked) if q))
    return out


def reconcile_candidates(
    entities: Sequence[Entity],
    source: AnswerSource,
    rules: TypeRules,
    answers: CandidateAnswers,
    hits: int = 5,
) -> None:
    """Add the service's Wikidata items for every entity's names to `answers`."""
    wanted: dict[str, list[tuple[Entity, str, str]]] = {}
    for entity in entities:
        for name, role in entity_names(entity, rules):
            if role not in ("acronym", "template"):
                wanted.setdefault(reconcile_key(" ".join(name.split())), []).append(
                    (entity, name, role)
                )
    found = source.lookup(
        sorted(wanted), None, _split, RECONCILE_BATCH, f"reconciliation ({source.endpoint})"
    )
    answers.problems += found.problems
    for key, askers in wanted.items():
        entry = found.entries.get(key)
        qids = entry.value if entry and isinstance(entry.value, list) else []
        for entity, name, role in askers:
            answers.saw(entity.iri, [(key in found.failed, entry.fetched if entry else "")])
            for qid in qids[:hits]:
                answers.add(entity.iri, str(qid), NameMatch(normalise_name(name), role, "search"))
