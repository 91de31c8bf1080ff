"""Finding candidate items: the entities' names (and case variants, and the names Wikidata
files governments under) in batched VALUES blocks, then one batched query for the details of
every candidate (types, country, parent, website, inception, labels)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from ..errors import RemoteError
from ..rdf.terms import fill_values
from ..resolution import normalise_name
from .endpoint import AnswerSource
from .model import WD_ENTITY, Candidate, Entity, qid_of
from .queries import load_query
from .scoring import NameMatch, TypeRules

__all__ = ["CandidateAnswers", "Details", "fetch_details", "find_candidates", "term_of"]

NAME_BATCH = 120  # literals per candidate query
ITEM_BATCH = 60  # items per details query

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
SCHEMA_DESCRIPTION = "http://schema.org/description"
WDT = "http://www.wikidata.org/prop/direct/"


def term_of(binding: Any) -> Node | None:
    """A SPARQL 1.1 JSON results binding as an rdflib term (None for blank nodes/garbage)."""
    if not isinstance(binding, dict) or not isinstance(binding.get("value"), str):
        return None
    kind, value = binding.get("type"), binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind in ("literal", "typed-literal"):
        if binding.get("xml:lang"):
            return Literal(value, lang=str(binding["xml:lang"]))
        if binding.get("datatype"):
            return Literal(value, datatype=URIRef(str(binding["datatype"])))
        return Literal(value)
    return None


def _rows(result: dict[str, Any]) -> list[dict[str, Node | None]]:
    return [
        {k: term_of(v) for k, v in b.items()}
        for b in result["results"]["bindings"]
        if isinstance(b, dict)
    ]


def _variants(name: str) -> set[str]:
    """Case variants: labels are matched exactly (and indexed) on the endpoint."""
    name = " ".join(name.split())
    out = {name, name.lower(), name.title(), name[:1].upper() + name[1:]}
    if len(name) <= 12:
        out.add(name.upper())
    return {v for v in out if v}


def entity_names(entity: Entity, rules: TypeRules) -> list[tuple[str, str]]:
    """(name, role) pairs to look up; role is label, alias, acronym or template."""
    names = [(entity.label, "label")]
    names += [(a, "acronym" if a in entity.acronyms else "alias") for a in entity.aliases]
    if entity.kind == "government":
        for base in (entity.label, *entity.countries):
            names += [(t.format(name=base), "template") for t in rules.government_templates]
    return names


@dataclass
class CandidateAnswers:
    matches: dict[URIRef, dict[str, list[NameMatch]]] = field(default_factory=dict)
    failed: set[URIRef] = field(default_factory=set)  # entities whose lookup is incomplete
    fetched: dict[URIRef, str] = field(default_factory=dict)  # latest answer time per entity
    problems: list[str] = field(default_factory=list)


def find_candidates(
    entities: Sequence[Entity],
    source: AnswerSource,
    rules: TypeRules,
    languages: Iterable[str],
) -> CandidateAnswers:
    # "mul" holds the default label of names that are the same in every language.
    base_langs = tuple(sorted(set(languages) | {"en", "mul"}))
    # normalised name → [(entity, role)]; literal → the entities that asked for it
    wanted: dict[str, list[tuple[Entity, str]]] = defaultdict(list)
    asked_by: dict[Literal, set[URIRef]] = defaultdict(set)
    for entity in entities:
        langs = sorted(set(base_langs) | set(rules.languages_for(entity.countries)))
        for name, role in entity_names(entity, rules):
            wanted[normalise_name(name)].append((entity, role))
            for variant in _variants(name):
                for lang in langs:
                    asked_by[Literal(variant, lang=lang)].add(entity.iri)
    answers = CandidateAnswers()
    literals = sorted(asked_by, key=lambda lit: (str(lit), lit.language or ""))
    template = load_query("candidates.rq")
    batches = range(0, len(literals), NAME_BATCH)
    errors: dict[str, int] = {}
    for start in batches:
        batch = literals[start : start + NAME_BATCH]
        askers = set().union(*(asked_by[lit] for lit in batch))
        query = fill_values(template, {"name": batch})
        try:
            answer = source.select(query)
        except RemoteError as exc:
            answers.failed |= askers
            errors[str(exc)] = errors.get(str(exc), 0) + 1
            continue
        for iri in askers:
            answers.fetched[iri] = max(answers.fetched.get(iri, ""), answer.fetched)
        for row in _rows(answer.result):
            said, item, how = row.get("name"), row.get("item"), row.get("how")
            qid = qid_of(str(item)) if isinstance(item, URIRef) else None
            if qid is None or said is None:
                continue
            item_role = "label" if str(how) == "label" else "alias"
            norm = normalise_name(str(said))
            for entity, role in wanted.get(norm, ()):
                per_item = answers.matches.setdefault(entity.iri, {}).setdefault(qid, [])
                match = NameMatch(norm, role, item_role)
                if match not in per_item:
                    per_item.append(match)
    # An acronym alone ("ADC", "US") matches hundreds of items and never decides a link:
    # such candidates are not worth a details request.
    for per_entity in answers.matches.values():
        for qid in [
            q for q, ms in per_entity.items() if all(m.entity_role == "acronym" for m in ms)
        ]:
            del per_entity[qid]
    for message, count in errors.items():
        answers.problems.append(
            f"candidate lookup: {count} of {len(batches)} requests failed ({message}); "
            f"{len(answers.failed)} of {len(entities)} actors not checked"
        )
    return answers


@dataclass
class Details:
    items: dict[str, Candidate] = field(default_factory=dict)
    # (property IRI, value, English label of the value) as the endpoint gave them
    statements: dict[str, list[tuple[str, Node, Literal | None]]] = field(default_factory=dict)
    fetched: dict[str, str] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)

    def merge(self, other: Details) -> None:
        self.items.update(other.items)
        self.statements.update(other.statements)
        self.fetched.update(other.fetched)
        self.failed |= other.failed
        self.problems += other.problems


def fetch_details(qids: Iterable[str], source: AnswerSource, languages: Iterable[str]) -> Details:
    langs = [Literal(x) for x in sorted(set(languages) | {"en", "mul"})]
    ordered = sorted(set(qids), key=lambda q: int(q[1:]))
    details = Details()
    template = load_query("details.rq")
    errors: dict[str, int] = {}
    for start in range(0, len(ordered), ITEM_BATCH):
        batch = ordered[start : start + ITEM_BATCH]
        query = fill_values(
            template, {"item": [URIRef(WD_ENTITY + q) for q in batch], "lang": langs}
        )
        try:
            answer = source.select(query)
        except RemoteError as exc:
            details.failed |= set(batch)
            errors[str(exc)] = errors.get(str(exc), 0) + 1
            continue
        for q in batch:
            details.statements.setdefault(q, [])
            details.fetched[q] = answer.fetched
        for row in _rows(answer.result):
            item, prop, value = row.get("item"), row.get("prop"), row.get("value")
            qid = qid_of(str(item)) if isinstance(item, URIRef) else None
            if qid not in details.statements or prop is None or value is None:
                continue
            shown = row.get("valueLabel")
            entry = (str(prop), value, shown if isinstance(shown, Literal) else None)
            if entry not in details.statements[qid]:
                details.statements[qid].append(entry)
    for message in errors:
        details.problems.append(
            f"item details: {message}; {len(details.failed)} items' types, countries and "
            "websites not fetched (no enrichment for them)"
        )
    for qid, statements in details.statements.items():
        details.items[qid] = _candidate(qid, statements)
    return details


def _candidate(qid: str, statements: list[tuple[str, Node, Literal | None]]) -> Candidate:
    by: dict[str, list[str]] = defaultdict(list)
    for prop, value, label in statements:
        if prop in (RDFS_LABEL, SKOS_ALT, SCHEMA_DESCRIPTION):
            by[prop].append(str(value))
        elif prop.startswith(WDT):
            shown = str(label) if label is not None else (qid_of(str(value)) or str(value))
            by[prop[len(WDT) :]].append(shown)
    return Candidate(
        qid=qid,
        labels=tuple(sorted(set(by[RDFS_LABEL]))),
        aliases=tuple(sorted(set(by[SKOS_ALT]))),
        description=min(by[SCHEMA_DESCRIPTION]) if by[SCHEMA_DESCRIPTION] else None,
        classes=tuple(sorted(set(by["P31"]))),
        superclasses=tuple(sorted(set(by["P279"]))),
        countries=tuple(sorted(set(by["P17"]))),
        parents=tuple(sorted(set(by["P749"]))),
        websites=tuple(sorted(set(by["P856"]))),
    )
