"""Candidates from Wikidata's entity search: what the search box finds for a name that no
label carries as written ("Electronic Frontier Foundation (EFF)", "Fundacion Karisma").

The search runs inside the Query Service (its MWAPI `EntitySearch` service), so a batch of
names is one SPARQL request through the one client, cached per (language, name). A hit is
only a candidate: how its labels and aliases meet the entity's names is worked out here with
the project's one normaliser once its details are known, and a hit whose names meet none
scores as `search` alone, which never links without other evidence (see scoring.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rdflib import Literal, URIRef

from ..names import actor_key
from ..rdf.terms import fill_values
from ..resolution import normalise_name
from .candidates import CandidateAnswers, entity_languages, entity_names, term_of
from .endpoint import AnswerSource
from .model import Candidate, Entity, qid_of
from .queries import load_query
from .scoring import NameMatch, TypeRules

__all__ = ["SEARCH_BATCH", "SEARCH_HITS", "match_names", "search_candidates"]

SEARCH_BATCH = 40  # names per request: each is one search inside the Query Service
SEARCH_HITS = 5  # the search's best hits per name that become candidates


def search_key(lang: str, name: str) -> str:
    return f"search\t{lang}\t{name}"


def _split(keys: list[str], result: dict[str, Any], lang: str) -> dict[str, Any]:
    ranked: dict[str, list[tuple[float, str]]] = {k: [] for k in keys}
    for b in result["results"]["bindings"]:
        name, item = term_of(b.get("name")), term_of(b.get("item"))
        qid = qid_of(str(item)) if isinstance(item, URIRef) else None
        order = term_of(b.get("ordinal"))
        key = search_key(lang, str(name)) if name is not None else ""
        if qid is None or key not in ranked:
            continue
        try:
            rank = float(str(order)) if order is not None else 1e9
        except ValueError:
            rank = 1e9
        ranked[key].append((rank, qid))
    return {k: list(dict.fromkeys(q for _, q in sorted(v))) for k, v in ranked.items()}


def search_candidates(
    entities: Sequence[Entity],
    source: AnswerSource,
    rules: TypeRules,
    answers: CandidateAnswers,
) -> None:
    """Add the search's hits for every entity's names (acronyms and templates excepted: an
    acronym finds hundreds of items) to `answers`, as `search` matches."""
    by_lang: dict[str, dict[str, list[tuple[Entity, str, str]]]] = {}
    for entity in entities:
        for name, role in entity_names(entity, rules):
            if role in ("acronym", "template"):
                continue
            text = " ".join(name.split())
            for lang in entity_languages(entity, rules, ()):
                if lang == "mul":
                    continue
                by_lang.setdefault(lang, {}).setdefault(text, []).append((entity, name, role))
    for lang, names in sorted(by_lang.items()):
        _search(lang, names, source, answers)


def _search(
    lang: str,
    names: Mapping[str, list[tuple[Entity, str, str]]],
    source: AnswerSource,
    answers: CandidateAnswers,
) -> None:
    template = load_query("search.rq")
    keys = {search_key(lang, n): n for n in names}

    def ask(batch: list[str]) -> str:
        wanted = [Literal(keys[k]) for k in batch]
        return fill_values(template, {"lang": [Literal(lang)], "name": wanted})

    found = source.lookup(
        sorted(keys),
        ask,
        lambda batch, result: _split(batch, result, lang),
        SEARCH_BATCH,
        "entity search",
    )
    answers.problems += found.problems
    for key, text in keys.items():
        entry = found.entries.get(key)
        hits = entry.value if entry and isinstance(entry.value, list) else []
        for entity, name, role in names[text]:
            answers.saw(entity.iri, [(key in found.failed, entry.fetched if entry else "")])
            match = NameMatch(normalise_name(name), role, "search")
            for qid in hits[:SEARCH_HITS]:
                answers.add(entity.iri, str(qid), match)


def match_names(
    entity: Entity, candidate: Candidate, matches: Iterable[NameMatch], rules: TypeRules
) -> list[NameMatch]:
    """The matches of one candidate, with each `search` hit replaced by how the item's labels
    and aliases meet the entity's names under the resolver's key (accents, punctuation and
    spacing aside); a hit that meets none stays `search`."""
    out = [m for m in matches if m.item_role != "search"]
    searched = [m for m in matches if m.item_role == "search"]
    if not searched:
        return out
    theirs: Mapping[str, str] = {
        **{actor_key(a): "alias" for a in candidate.aliases},
        **{actor_key(x): "label" for x in candidate.labels},
    }
    theirs = {k: v for k, v in theirs.items() if k}
    for name, role in entity_names(entity, rules):
        how = theirs.get(actor_key(name))
        if how is not None:
            match = NameMatch(normalise_name(name), role, how)
            if match not in out:
                out.append(match)
    if not out:
        out = searched[:1]
    return out
