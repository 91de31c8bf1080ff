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

from ..names import split_place_suffix
from ..rdf.terms import fill_values
from ..resolution import normalise_name
from .endpoint import AnswerSource
from .model import WD_ENTITY, Candidate, Entity, qid_of
from .queries import load_query
from .scoring import NameMatch, TypeRules, acronym_like

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
    """(name, role) pairs to look up; role is label, alias, acronym or template.

    "Electronic Frontier Foundation (EFF)" is also looked up as "Electronic Frontier
    Foundation", and "EFF" as its acronym."""
    names = [(entity.label, "label")]
    names += [(a, "acronym" if a in entity.acronyms else "alias") for a in entity.aliases]
    for name, _ in list(names):
        parts = split_place_suffix(name) if name.endswith(")") else None
        if parts is not None:
            names.append((parts[0], "alias"))
            if acronym_like(parts[1]):
                names.append((parts[1], "acronym"))
    if entity.kind == "government":
        for base in (entity.label, *entity.countries):
            names += [(t.format(name=base), "template") for t in rules.government_templates]
    return list(dict.fromkeys(names))


def entity_languages(entity: Entity, rules: TypeRules, base: Iterable[str]) -> list[str]:
    # "mul" holds the default label of names that are the same in every language.
    return sorted(set(base) | {"en", "mul"} | set(rules.languages_for(entity.countries)))


@dataclass
class CandidateAnswers:
    matches: dict[URIRef, dict[str, list[NameMatch]]] = field(default_factory=dict)
    failed: set[URIRef] = field(default_factory=set)  # entities whose lookup is incomplete
    fetched: dict[URIRef, str] = field(default_factory=dict)  # latest answer time per entity
    problems: list[str] = field(default_factory=list)

    def add(self, entity: URIRef, qid: str, match: NameMatch) -> None:
        per_item = self.matches.setdefault(entity, {}).setdefault(qid, [])
        if match not in per_item:
            per_item.append(match)

    def saw(self, entity: URIRef, entries: Iterable[tuple[bool, str]]) -> None:
        """Record the answers an entity's lookup used: (failed, fetched) per key."""
        for failed, fetched in entries:
            if failed:
                self.failed.add(entity)
            elif fetched > self.fetched.get(entity, ""):
                self.fetched[entity] = fetched


def label_key(lit: Literal) -> str:
    return f"label\t{lit.language or ''}\t{lit}"


def _split_labels(keys: list[str], result: dict[str, Any]) -> dict[str, Any]:
    """{key: [[qid, how], …]} for a batch of label lookups."""
    out: dict[str, list[list[str]]] = {k: [] for k in keys}
    for row in _rows(result):
        said, item, how = row.get("name"), row.get("item"), row.get("how")
        qid = qid_of(str(item)) if isinstance(item, URIRef) else None
        if qid is None or not isinstance(said, Literal):
            continue
        pair = [qid, "label" if str(how) == "label" else "alias"]
        key = label_key(said)
        if key in out and pair not in out[key]:
            out[key].append(pair)
    return {k: sorted(v) for k, v in out.items()}


def find_candidates(
    entities: Sequence[Entity],
    source: AnswerSource,
    rules: TypeRules,
    languages: Iterable[str],
) -> CandidateAnswers:
    """Items whose label or alias is one of the entities' names (case variants included)."""
    base = tuple(languages)
    asked: dict[URIRef, list[tuple[Literal, str, str]]] = {}  # entity → (literal, norm, role)
    literals: dict[str, Literal] = {}
    for entity in entities:
        mine = asked.setdefault(entity.iri, [])
        for name, role in entity_names(entity, rules):
            for variant in _variants(name):
                for lang in entity_languages(entity, rules, base):
                    lit = Literal(variant, lang=lang)
                    literals[label_key(lit)] = lit
                    mine.append((lit, normalise_name(name), role))
    template = load_query("candidates.rq")
    found = source.lookup(
        sorted(literals),
        lambda keys: fill_values(template, {"name": [literals[k] for k in keys]}),
        _split_labels,
        NAME_BATCH,
        "candidate lookup",
    )
    answers = CandidateAnswers(problems=list(found.problems))
    for entity in entities:
        used = []
        for lit, norm, role in asked[entity.iri]:
            key = label_key(lit)
            entry = found.entries.get(key)
            used.append((key in found.failed, entry.fetched if entry else ""))
            for qid, how in entry.value if entry and isinstance(entry.value, list) else ():
                answers.add(entity.iri, str(qid), NameMatch(norm, role, str(how)))
        answers.saw(entity.iri, used)
    # An acronym alone ("ADC", "US") matches hundreds of items and never decides a link:
    # such candidates are not worth a details request.
    for per_entity in answers.matches.values():
        for qid in [
            q for q, ms in per_entity.items() if all(m.entity_role == "acronym" for m in ms)
        ]:
            del per_entity[qid]
    if answers.failed:
        checked = f"{len(answers.failed)} of {len(entities)} actors not checked"
        if answers.problems:
            answers.problems[-1] += f"; {checked}"
        else:  # offline: the source says once what the cache lacked
            answers.problems.append(f"candidate lookup: {checked} (offline)")
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


_NAME_PROPS = (RDFS_LABEL, SKOS_ALT, SCHEMA_DESCRIPTION)


def _item_keys(qid: str, langs: Sequence[str]) -> list[str]:
    """An item's statements are one entry, its names in each language one more: a run in
    other languages (an actor more or fewer) reuses every entry it shares with the last."""
    return [f"item\t{qid}", *(f"names\t{qid}\t{lang}" for lang in langs)]


def _key_of(qid: str, prop: str, value: Node) -> str:
    if prop in _NAME_PROPS:
        return f"names\t{qid}\t{value.language if isinstance(value, Literal) else ''}"
    return f"item\t{qid}"


def _split_details(keys: list[str], result: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, list[Any]] = {k: [] for k in keys}
    for b in result["results"]["bindings"]:
        item = term_of(b.get("item")) if isinstance(b, dict) else None
        qid = qid_of(str(item)) if isinstance(item, URIRef) else None
        prop, value = term_of(b.get("prop")), term_of(b.get("value"))
        if qid is None or prop is None or value is None:
            continue
        key = _key_of(qid, str(prop), value)
        entry = [b["prop"], b["value"], b.get("valueLabel")]
        if key in out and entry not in out[key]:
            out[key].append(entry)
    return out


def fetch_details(qids: Iterable[str], source: AnswerSource, languages: Iterable[str]) -> Details:
    langs = sorted(set(languages) | {"en", "mul"})
    ordered = sorted(set(qids), key=lambda q: int(q[1:]))
    owner = {k: q for q in ordered for k in _item_keys(q, langs)}
    template = load_query("details.rq")

    def ask(keys: list[str]) -> str:
        items = sorted({owner[k] for k in keys}, key=lambda q: int(q[1:]))
        wanted = sorted({k.rsplit("\t", 1)[1] for k in keys if k.startswith("names")} or {"en"})
        return fill_values(
            template,
            {"item": [URIRef(WD_ENTITY + q) for q in items], "lang": [Literal(x) for x in wanted]},
        )

    batch = ITEM_BATCH * (1 + len(langs))  # whole items: their keys are adjacent
    found = source.lookup(list(owner), ask, _split_details, batch, "item details")
    details = Details(failed={owner[k] for k in found.failed})
    for key, entry in found.entries.items():
        qid = owner[key]
        statements = details.statements.setdefault(qid, [])
        details.fetched[qid] = max(details.fetched.get(qid, ""), entry.fetched)
        for prop_b, value_b, label_b in entry.value if isinstance(entry.value, list) else ():
            prop, value, shown = term_of(prop_b), term_of(value_b), term_of(label_b)
            if prop is None or value is None:
                continue
            item = (str(prop), value, shown if isinstance(shown, Literal) else None)
            if item not in statements:
                statements.append(item)
    if found.failed:
        details.problems += found.problems
        details.problems.append(
            f"item details: {len(details.failed)} items' types, countries and websites not "
            f"fetched (no enrichment for them{'; offline' if source.offline else ''})"
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
