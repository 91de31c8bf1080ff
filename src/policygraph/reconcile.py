"""The W3C Reconciliation Service API (version 0.2) over the graph: `serve` answers it at
/reconcile, so a spreadsheet's column of names can be reconciled against the graph's actors
from OpenRefine (or any client of the protocol).

- `GET /reconcile`: the service manifest;
- `GET /reconcile?queries=…`, `POST /reconcile` with a `queries=` form, or a JSON body (the
  same batch object, or `{"queries": …}`): candidates for each query, best first;
- `GET /reconcile/preview?id=…`: a small HTML card of one entity.

Entities are the graph's actors and countries (names: skos:prefLabel, skos:altLabel,
foaf:name; types: their rdf:type classes; their owl:sameAs Wikidata items) and, when the graph
is a Wikidata-shaped slice, its items (rdfs:label, skos:altLabel, wdt:P31). An actor's id is
its IRI after `https://w3id.org/policygraph/id/` ("actor/electronic-frontier-foundation"); a
Wikidata item's id is its QID. Names are compared with the project's one normaliser
(names.py): the same key scores 100 (a label) or 95 (an alias), shared words less; a match is
a unique score of 100. A property `wikidata` with a QID value picks the actor linked to it.
"""

from __future__ import annotations

import html
import json
import urllib.parse
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef

from . import __version__
from .errors import HttpError
from .names import actor_key, lookup_key
from .store import Store
from .store.rq import load as load_rq

__all__ = ["ID_SPACE", "Entity", "answer", "entities", "manifest", "reconcile"]

ID_SPACE = "https://w3id.org/policygraph/id/"
WD_ENTITY = "http://www.wikidata.org/entity/"
PREFIX = "/reconcile"
DEFAULT_LIMIT = 5
MIN_SCORE = 40.0  # fewer shared words than this is noise, not a candidate
Answer = tuple[str, list[tuple[str, str]], bytes]


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    aliases: tuple[str, ...]
    types: tuple[tuple[str, str], ...]  # (type id, name)
    wikidata: tuple[str, ...]  # QIDs
    description: str | None = None


def _id(iri: str) -> str | None:
    if iri.startswith(WD_ENTITY):
        return iri[len(WD_ENTITY) :]
    if iri.startswith(ID_SPACE):
        return iri[len(ID_SPACE) :]
    return None


def _type_name(iri: str, label: object) -> str:
    if isinstance(label, Literal):
        return str(label)
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def entities(store: Store) -> list[Entity]:
    facts: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for row in store.select(load_rq("reconcile_entities"), union=True).dicts():
        entity, what, value = row["entity"], str(row["what"]), row["value"]
        if isinstance(entity, URIRef) and value is not None:
            facts[str(entity)][what].append((value, row.get("valueLabel")))
    out: list[Entity] = []
    for iri, f in sorted(facts.items()):
        ident = _id(iri)
        labels = sorted({str(v) for v, _ in f["label"]})
        if ident is None or not labels:
            continue
        types = {str(v): _type_name(str(v), lab) for v, lab in f["type"] if isinstance(v, URIRef)}
        qids = sorted({q for v, _ in f["wikidata"] if (q := _id(str(v))) and q.startswith("Q")})
        descriptions = sorted(str(v) for v, _ in f["description"])
        out.append(
            Entity(
                id=ident,
                name=labels[0],
                aliases=tuple(sorted({str(v) for v, _ in f["alias"]} | set(labels[1:]))),
                types=tuple(sorted(types.items())),
                wikidata=tuple(qids),
                description=descriptions[0] if descriptions else None,
            )
        )
    return out


def _score(query: str, entity: Entity) -> float:
    key = actor_key(query)
    if key and key == actor_key(entity.name):
        return 100.0
    if key and any(key == actor_key(a) for a in entity.aliases):
        return 95.0
    words = set(lookup_key(query).split())
    best = 0.0
    for name in (entity.name, *entity.aliases):
        theirs = set(lookup_key(name).split())
        if words and theirs:
            best = max(best, 90.0 * len(words & theirs) / len(words | theirs))
    return round(best, 1)


def _wanted_types(query: Mapping[str, Any]) -> set[str]:
    given = query.get("type")
    if isinstance(given, str):
        return {given}
    if isinstance(given, list):
        return {str(t) for t in given}
    return set()


def _wikidata_property(query: Mapping[str, Any]) -> set[str]:
    out: set[str] = set()
    for prop in query.get("properties") or []:
        if isinstance(prop, dict) and prop.get("pid") == "wikidata":
            values = prop.get("v")
            for v in values if isinstance(values, list) else [values]:
                text = str(v.get("id", "") if isinstance(v, dict) else v).strip()
                out.add(text.removeprefix(WD_ENTITY))
    return out


def _result(entity: Entity, score: float, match: bool) -> dict[str, Any]:
    about = ", ".join(name for _, name in entity.types if name not in ("Actor",))
    if entity.wikidata:
        about = f"{about}; Wikidata {' '.join(entity.wikidata)}".lstrip("; ")
    return {
        "id": entity.id,
        "name": entity.name,
        "type": [{"id": t, "name": n} for t, n in entity.types],
        "score": score,
        "match": match,
        "description": entity.description or about,
    }


def reconcile(query: Mapping[str, Any], known: Iterable[Entity]) -> list[dict[str, Any]]:
    """The candidates for one reconciliation query, best first."""
    text = query.get("query")
    if not isinstance(text, str) or not text.strip():
        raise HttpError("400 Bad Request", "each query needs a `query` string")
    types, qids = _wanted_types(query), _wikidata_property(query)
    try:
        limit = max(1, int(query.get("limit") or DEFAULT_LIMIT))
    except (TypeError, ValueError) as exc:
        raise HttpError("400 Bad Request", "`limit` must be a number") from exc
    scored = []
    for entity in known:
        if types and not types & {t for t, _ in entity.types}:
            continue
        score = 100.0 if qids & set(entity.wikidata) else _score(text, entity)
        if score >= MIN_SCORE:
            scored.append((score, entity))
    scored.sort(key=lambda se: (-se[0], se[1].name, se[1].id))
    top = scored[:limit]
    perfect = [e for s, e in scored if s == 100.0]
    return [_result(e, s, s == 100.0 and len(perfect) == 1) for s, e in top]


def manifest(base: str, known: list[Entity]) -> dict[str, Any]:
    wikidata_only = bool(known) and all(e.id.startswith("Q") for e in known)
    space = WD_ENTITY if wikidata_only else ID_SPACE
    view = "https://www.wikidata.org/wiki/{{id}}" if wikidata_only else ID_SPACE + "{{id}}"
    return {
        "versions": ["0.2"],
        "name": "policygraph actors",
        "identifierSpace": space,
        "schemaSpace": "http://www.w3.org/2004/02/skos/core#",
        "serviceVersion": __version__,
        "documentation": "https://w3id.org/policygraph",
        "view": {"url": view},
        "preview": {"url": f"{base}{PREFIX}/preview?id={{{{id}}}}", "width": 400, "height": 140},
        "defaultTypes": [{"id": "https://w3id.org/policygraph/ns#Actor", "name": "Actor"}],
    }


def _batch(raw: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise HttpError("400 Bad Request", f"`queries` is not JSON: {exc}") from exc
    if isinstance(data, dict) and isinstance(data.get("queries"), dict):
        data = data["queries"]
    if not isinstance(data, dict) or not all(isinstance(q, dict) for q in data.values()):
        raise HttpError("400 Bad Request", "`queries` must be an object of query objects")
    return data


def _json(value: object) -> Answer:
    body = json.dumps(value, ensure_ascii=False).encode()
    return "200 OK", [("Content-Type", "application/json; charset=utf-8")], body


def _preview(entity: Entity) -> Answer:
    e = html.escape
    types = ", ".join(e(n) for _, n in entity.types)
    links = " ".join(
        f'<a href="https://www.wikidata.org/wiki/{e(q)}" target="_blank">{e(q)}</a>'
        for q in entity.wikidata
    )
    body = (
        '<!doctype html><html><head><meta charset="utf-8"><title>'
        f"{e(entity.name)}</title></head><body><h1>{e(entity.name)}</h1>"
        f"<p>{e(entity.description or '')}</p><p>{types}</p>"
        f"<p>{e(', '.join(entity.aliases))}</p><p>{links}</p></body></html>"
    )
    return "200 OK", [("Content-Type", "text/html; charset=utf-8")], body.encode()


def answer(store: Store, environ: Mapping[str, Any], path: str, body: bytes) -> Answer:
    """Answer one WSGI request under /reconcile (`body`: what a POST sent)."""
    ctype = str(environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
    params = form_params(str(environ.get("QUERY_STRING", "")), body, ctype)
    known = entities(store)
    if path == f"{PREFIX}/preview":
        wanted = (params.get("id") or [""])[0]
        entity = next((x for x in known if x.id == wanted), None)
        if entity is None:
            raise HttpError("404 Not Found", "no entity with that id")
        return _preview(entity)
    if path != PREFIX:
        raise HttpError("404 Not Found", "nothing there")
    if ctype == "application/json":
        batch = _batch(body.decode("utf-8", "replace"))
    elif params.get("queries"):
        batch = _batch(params["queries"][0])
    else:
        return _json(manifest(_base(environ), known))
    return _json({key: {"result": reconcile(q, known)} for key, q in batch.items()})


def _base(environ: Mapping[str, Any]) -> str:
    """The URL the service was reached at, for the manifest's preview template."""
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"
    return f"{environ.get('wsgi.url_scheme', 'http')}://{host}{environ.get('SCRIPT_NAME', '')}"


def form_params(query_string: str, body: bytes, ctype: str) -> dict[str, list[str]]:
    params = urllib.parse.parse_qs(query_string, keep_blank_values=True)
    if ctype == "application/x-www-form-urlencoded":
        for key, values in urllib.parse.parse_qs(body.decode("utf-8", "replace")).items():
            params.setdefault(key, []).extend(values)
    return params
