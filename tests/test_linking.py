"""Issue 5: linking actors to Wikidata.

The linker talks to REAL SPARQL endpoints on 127.0.0.1: the project's own `serve` over an
Oxigraph store loaded with tests/data/wikidata_fixture.ttl (a Wikidata-shaped graph), and a
tiny HTTP server that misbehaves on purpose (timeouts, 429, 5xx, malformed JSON).
"""

from __future__ import annotations

import csv
import http.server
import io
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib import Graph, Literal, URIRef

from policygraph.errors import LinkError, TermError
from policygraph.linking import (
    ENRICHMENT_GRAPH,
    LINKS_GRAPH,
    USER_AGENT,
    LinkReport,
    RetryPolicy,
    link_wikidata,
)
from policygraph.rdf.terms import fill_values, literal
from policygraph.store import Store
from policygraph.vocab import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PG,
    PROV,
    RDF,
    SCHEMA,
    SKOS,
    WD,
    actor_iri,
    bind_prefixes,
    graph_iri,
)
from tests.support import ROOT, require_shared
from tests.wdqs import mwapi, rewrite

FIXTURE = Path(ROOT) / "tests" / "data" / "wikidata_fixture.ttl"
REVIEW = Path(ROOT) / "data" / "wikidata_review.yaml"
WDT_P17 = URIRef("http://www.wikidata.org/prop/direct/P17")
FAST = RetryPolicy(timeout=5.0, retries=2, backoff=0.05, max_wait=5.0)


# ---------------------------------------------------------------- endpoints on 127.0.0.1
@dataclass
class Endpoint:
    url: str
    requests: list[dict[str, str]] = field(default_factory=list)


class _FixtureHandler(http.server.BaseHTTPRequestHandler):
    """SPARQL 1.1 Protocol (query via GET or POST) over a pyoxigraph store."""

    store: Store
    log: list[dict[str, str]]

    def _answer(self, query: str) -> None:
        self.log.append({"query": query, "agent": self.headers.get("User-Agent", "")})
        try:
            result = self.store.query_raw(query, union=True)
            import pyoxigraph as ox

            body = result.serialize(format=ox.QueryResultsFormat.JSON)
        except Exception as exc:  # a bad query is the client's error: answer 400
            data = str(exc).encode()
            self.send_response(400)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        from urllib.parse import parse_qs, urlsplit

        self._answer(parse_qs(urlsplit(self.path).query)["query"][0])

    def do_POST(self) -> None:
        from urllib.parse import parse_qs

        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode()
        if self.headers.get("Content-Type", "").startswith("application/sparql-query"):
            self._answer(body)
        else:
            self._answer(parse_qs(body)["query"][0])

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def fixture_store() -> Iterator[Store]:
    store = Store(None)
    g = Graph()
    g.parse(FIXTURE, format="turtle")
    store.replace_graphs({URIRef("https://example.invalid/wikidata-fixture/graph"): g})
    yield store
    store.close()


def _serve(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture()
def wikidata(fixture_store: Store) -> Iterator[Endpoint]:
    """The fixture behind a real SPARQL endpoint: the project's `serve` when it is there."""
    log: list[dict[str, str]] = []
    try:
        from policygraph.serve import ServeConfig, create_server
    except ImportError:
        handler = type("H", (_FixtureHandler,), {"store": fixture_store, "log": log})
        gen = _serve(handler)
        yield Endpoint(next(gen), log)
        next(gen, None)
        return
    server = create_server(fixture_store, ServeConfig(port=0, views_dir=None))
    app = mwapi(server.application)

    def logging_app(environ: dict[str, Any], start_response: object) -> object:
        entry = {"agent": str(environ.get("HTTP_USER_AGENT", ""))}
        log.append(entry)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        entry["query"] = urllib.parse.parse_qs(body.decode()).get("query", [""])[0]
        environ["wsgi.input"] = io.BytesIO(body)
        return app(environ, start_response)

    server.application = logging_app
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield Endpoint(f"http://127.0.0.1:{server.effective_port}/sparql", log)
    finally:
        server.close()


# ---------------------------------------------------------------- a small store of actors
ACTORS: list[tuple[str, str, dict[str, object]]] = [
    # key, kind, extras (label, aliases, country, parent, website)
    (
        "electronic-frontier-foundation",
        "organisation",
        {"label": "Electronic Frontier Foundation", "aliases": ["EFF"]},
    ),
    (
        "american-civil-liberties-union",
        "organisation",
        {"label": "American Civil Liberties Union", "aliases": ["ACLU"]},
    ),
    ("human-rights-watch", "organisation", {"label": "Human Rights Watch"}),
    ("internet-society", "organisation", {"label": "Internet Society"}),
    (
        "asociacion-por-los-derechos-civiles",
        "organisation",
        {
            "label": "Asociación por los Derechos Civiles",
            "aliases": ["ADC"],
            "country": "Argentina",
        },
    ),
    (
        "iuridicum-remedium",
        "organisation",
        {"label": "Iuridicum Remedium", "aliases": ["Iuridicum Remedium, z.s."]},
    ),
    (
        "digital-rights-watch",
        "organisation",
        {
            "label": "Digital Rights Watch",
            "country": "Australia",
            "website": "http://www.digitalrightswatch.org.au/about",
        },
    ),
    ("mark-zuckerberg", "person", {"label": "Mark Zuckerberg"}),
    ("united-states", "government", {"label": "United States"}),
    ("united-kingdom", "government", {"label": "United Kingdom"}),
    ("australia", "government", {"label": "Australia"}),
    # ambiguous or unmatched: must stay unlinked
    ("engine", "organisation", {"label": "Engine"}),
    ("free-press", "organisation", {"label": "Free Press"}),
    ("article-19", "organisation", {"label": "ARTICLE 19"}),
    ("facebook", "company", {"label": "Facebook"}),
    ("access-now", "organisation", {"label": "Access Now"}),
    ("bolo-bhi", "organisation", {"label": "Bolo Bhi", "country": "Pakistan"}),
    (
        "acm-us-technology-policy-committee",
        "organisation",
        {
            "label": "ACM US Technology Policy Committee",
            "parent": "Association for Computing Machinery",
        },
    ),
    ("quote-injection", "organisation", {"label": 'Evil" } } ; DROP ALL ; # \\ \n'}),
]
COUNTRIES = {
    "united-states": "United States",
    "united-kingdom": "United Kingdom",
    "australia": "Australia",
}

# What the scorer must link on the fixture: every unambiguous actor (recall), nothing else
# (precision). QIDs from verified.tsv / README, except Q999999996 (synthetic, see fixture).
EXPECTED = {
    "actor/electronic-frontier-foundation": "Q624023",
    "actor/american-civil-liberties-union": "Q21637",
    "actor/human-rights-watch": "Q187052",
    "actor/internet-society": "Q749257",
    "actor/asociacion-por-los-derechos-civiles": "Q106563594",
    "actor/iuridicum-remedium": "Q59403466",
    "actor/digital-rights-watch": "Q999999996",
    "actor/mark-zuckerberg": "Q36215",
    "actor/united-states": "Q48525",
    "actor/united-kingdom": "Q6063",
    "actor/australia": "Q2991162",
    "actor/association-for-computing-machinery": "Q127992",
    "actor/acm-us-technology-policy-committee": "Q1000000001",
    "country/united-states": "Q30",
    "country/united-kingdom": "Q145",
    "country/australia": "Q408",
}
DOC_GRAPH = graph_iri("doc/test-actors")

_TYPES = {
    "organisation": (ORG.FormalOrganization, SCHEMA.NGO),
    "company": (ORG.FormalOrganization, SCHEMA.Corporation),
    "government": (ORG.FormalOrganization, SCHEMA.GovernmentOrganization),
    "person": (FOAF.Person, SCHEMA.Person),
}


def actors_graph() -> Graph:
    """Actors shaped as the pipeline writes them (see building.py)."""
    g = bind_prefixes(Graph())
    id_ = "https://w3id.org/policygraph/id/"

    def country(name: str) -> URIRef:
        iri = URIRef(id_ + "country/" + name.lower().replace(" ", "-"))
        g.add((iri, RDF.type, SCHEMA.Country))
        g.add((iri, SKOS.prefLabel, Literal(name)))
        return iri

    for key, kind, extra in ACTORS:
        iri = actor_iri(key)
        g.add((iri, RDF.type, PG.Actor))
        for cls in _TYPES[kind]:
            g.add((iri, RDF.type, cls))
        g.add((iri, SKOS.prefLabel, Literal(str(extra["label"]))))
        for alias in extra.get("aliases", []):  # type: ignore[attr-defined]
            g.add((iri, SKOS.altLabel, Literal(alias)))
        if "website" in extra:
            g.add((iri, SCHEMA.url, Literal(str(extra["website"]))))
        if "country" in extra:
            g.add((iri, DCTERMS.spatial, country(str(extra["country"]))))
        if key in COUNTRIES:
            g.add((iri, DCTERMS.spatial, country(COUNTRIES[key])))
        if "parent" in extra:
            parent = actor_iri("association-for-computing-machinery")
            g.add((parent, RDF.type, PG.Actor))
            g.add((parent, RDF.type, ORG.FormalOrganization))
            g.add((parent, RDF.type, SCHEMA.NGO))
            g.add((parent, SKOS.prefLabel, Literal(str(extra["parent"]))))
            g.add((iri, ORG.subOrganizationOf, parent))
    return g


@pytest.fixture()
def store() -> Iterator[Store]:
    with Store(None) as s:
        s.replace_graphs({DOC_GRAPH: actors_graph()})
        yield s


def links_of(store: Store) -> dict[str, str]:
    """{actor IRI tail: QID} as a plain SPARQL pattern over the union graph finds them."""
    rows = store.select(
        "PREFIX owl: <http://www.w3.org/2002/07/owl#> SELECT ?a ?wd WHERE { ?a owl:sameAs ?wd }"
    ).rows
    id_ = "https://w3id.org/policygraph/id/"
    return {str(a).removeprefix(id_): str(wd).rsplit("/", 1)[1] for a, wd in rows}


def graph_nt(store: Store, name: URIRef) -> set[str]:
    return set(store.graph(name).serialize(format="nt").splitlines()) - {""}


def run(store: Store, ep: Endpoint | str, tmp: Path, **kw: object) -> LinkReport:
    url = ep.url if isinstance(ep, Endpoint) else ep
    kw.setdefault("cache", tmp / "cache.json")
    return link_wikidata(store, endpoint=url, policy=FAST, sleep=lambda s: None, **kw)  # type: ignore[arg-type]


# ---------------------------------------------------------------- scoring on the fixture
def test_links_every_unambiguous_actor_and_nothing_else(
    store: Store, wikidata: Endpoint, tmp_path: Path
) -> None:
    report = run(store, wikidata, tmp_path)
    links = links_of(store)
    wrong = {k: v for k, v in links.items() if EXPECTED.get(k) != v}
    assert wrong == {}, "precision must be 1.0 on the fixture"
    assert links == EXPECTED, "recall of the unambiguous actors must be 1.0"
    assert not report.problems


def test_look_alikes_are_left_for_review_with_their_candidates(
    store: Store, wikidata: Endpoint, tmp_path: Path
) -> None:
    report = run(store, wikidata, tmp_path)
    review = {item.label: item for item in report.review}
    assert {"Engine", "Free Press", "ARTICLE 19"} <= set(review)
    cands = {label: {s.candidate.qid for s in item.candidates} for label, item in review.items()}
    assert {"Q44167", "Q999999993"} <= cands["Engine"]  # the machine and the organisation
    assert {"Q601669", "Q999999991", "Q999999992"} <= cands["Free Press"]
    newspaper = next(s for s in review["Free Press"].candidates if s.candidate.qid == "Q601669")
    assert newspaper.vetoed and any(f.startswith("type-incompatible") for f in newspaper.features)
    engine = next(s for s in review["Engine"].candidates if s.candidate.qid == "Q44167")
    assert "is-a-class" in engine.features
    # a government is not its country, and the country is not its government
    links = links_of(store)
    assert links["actor/united-kingdom"] == "Q6063" and links["country/united-kingdom"] == "Q145"


def test_candidates_are_batched_not_one_request_per_actor(
    store: Store, wikidata: Endpoint, tmp_path: Path
) -> None:
    report = run(store, wikidata, tmp_path)
    assert report.requests == len(wikidata.requests)
    # labels, the entity search (per language), details: a request per batch, not per actor
    assert 2 <= report.requests <= 8 < len(ACTORS)
    assert all(r["agent"] == USER_AGENT for r in wikidata.requests)


def test_link_graph_records_score_features_and_time(
    store: Store, wikidata: Endpoint, tmp_path: Path
) -> None:
    run(store, wikidata, tmp_path)
    g = store.graph(LINKS_GRAPH)
    eff = actor_iri("electronic-frontier-foundation")
    assert (eff, OWL.sameAs, WD.Q624023) in g
    node = g.value(predicate=PG.subject, object=eff)
    assert node is not None and (node, RDF.type, PG.WikidataLink) in g
    assert g.value(node, PG.target) == WD.Q624023
    assert float(g.value(node, PG.score)) >= 0.75  # type: ignore[arg-type]
    assert {"label", "type:nonprofit organization"} <= {str(f) for f in g.objects(node, PG.feature)}
    assert g.value(node, PROV.generatedAtTime) is not None

    def features(key: str) -> set[str]:
        node = g.value(predicate=PG.subject, object=actor_iri(key))
        return {str(f) for f in g.objects(node, PG.feature)}

    assert {"country:australia", "website:digitalrightswatch.org.au"} <= features(
        "digital-rights-watch"
    )
    assert "parent:association for computing machinery" in features(
        "acm-us-technology-policy-committee"
    )
    assert "government-name" in features("united-kingdom")
    # links live in their own graph only
    for name in store.graph_names() - {LINKS_GRAPH}:
        assert (eff, OWL.sameAs, WD.Q624023) not in store.graph(name)


def test_enrichment_is_kept_apart_from_the_documents(
    store: Store, wikidata: Endpoint, tmp_path: Path
) -> None:
    report = run(store, wikidata, tmp_path)
    g = store.graph(ENRICHMENT_GRAPH)
    assert (WD.Q624023, WDT_P17, WD.Q30) in g
    assert report.enrichment_triples == len(g) > 0
    assert not any(store.graph(DOC_GRAPH).triples((WD.Q624023, None, None)))
    # what Wikidata says and what the document says sit side by side, so a query sees both
    rows = store.select(
        "PREFIX owl: <http://www.w3.org/2002/07/owl#> "
        "PREFIX dcterms: <http://purl.org/dc/terms/> "
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "PREFIX wdt: <http://www.wikidata.org/prop/direct/> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?said ?wikidata WHERE { "
        "?a owl:sameAs ?item ; dcterms:spatial/skos:prefLabel ?said . "
        "?item wdt:P17/rdfs:label ?wikidata }"
    ).rows
    assert (Literal("Australia"), Literal("Australia", lang="en")) in rows


def test_second_run_offline_from_the_cache_builds_the_same_graphs(
    store: Store, wikidata: Endpoint, tmp_path: Path
) -> None:
    run(store, wikidata, tmp_path)
    first = (graph_nt(store, LINKS_GRAPH), graph_nt(store, ENRICHMENT_GRAPH))
    cache = tmp_path / "cache.json"
    colleague = tmp_path / "colleague.json"
    shutil.copy(cache, colleague)
    with Store(None) as other:
        other.replace_graphs({DOC_GRAPH: actors_graph()})
        report = link_wikidata(other, endpoint=wikidata.url, cache=colleague, offline=True)
        assert report.requests == 0 and not report.problems
        assert (graph_nt(other, LINKS_GRAPH), graph_nt(other, ENRICHMENT_GRAPH)) == first


def test_offline_with_an_empty_cache_reports_and_changes_nothing(
    store: Store, wikidata: Endpoint, tmp_path: Path
) -> None:
    run(store, wikidata, tmp_path)
    before = {name: graph_nt(store, name) for name in store.graph_names()}
    report = link_wikidata(store, cache=tmp_path / "empty.json", offline=True)
    assert report.problems and all("offline" in p for p in report.problems)
    assert report.requests == 0
    assert {name: graph_nt(store, name) for name in store.graph_names()} == before
    with Store(None) as fresh:
        fresh.replace_graphs({DOC_GRAPH: actors_graph()})
        report = link_wikidata(fresh, cache=None, offline=True)
        assert report.problems and not report.links
        assert links_of(fresh) == {}


@pytest.mark.parametrize(
    "content",
    ['{"format": "policygraph-wikidata-cache/1", "entries": {"x": ', "\x00\x01garbage", "[]"],
    ids=["truncated", "binary", "wrong-shape"],
)
def test_corrupt_cache_is_reported_and_treated_as_empty(
    store: Store, wikidata: Endpoint, tmp_path: Path, content: str
) -> None:
    cache = tmp_path / "cache.json"
    cache.write_text(content)
    report = link_wikidata(store, cache=cache, offline=True)
    assert any(str(cache) in p for p in report.problems)
    report = run(store, wikidata, tmp_path)  # online: refetches, keeps the bad file aside
    assert links_of(store) == EXPECTED
    assert json.loads(cache.read_text())["format"] == "policygraph-wikidata-cache/2"
    assert (tmp_path / "cache.json.corrupt").read_text() == content


# ---------------------------------------------------------------- the review file
def write_review(path: Path, actors: list[dict[str, object]], **top: object) -> Path:
    body = {"format": "policygraph-wikidata-review/1", "date": "2026-12-01", "actors": actors}
    body.update(top)
    path.write_text(yaml.safe_dump(body, allow_unicode=True))
    return path


def test_review_decisions_override_the_scorer(
    store: Store, wikidata: Endpoint, tmp_path: Path
) -> None:
    review = write_review(
        tmp_path / "review.yaml",
        [
            {"actor": "Engine", "decision": "accept", "qid": "Q999999993", "source": "test"},
            {"actor": "EFF", "decision": "reject"},
            {"actor": "Human Rights Watch", "decision": "reject", "qid": "Q187052"},
            {
                "actor": "Facebook",
                "kind": "company",
                "decision": "link",
                "qid": "Q380",
                "source": "verified.tsv (ror-records 01zbnvs85)",
            },
        ],
        topics=[{"topic": "backdoors", "decision": "link", "qid": "Q999999995", "source": "test"}],
    )
    report = run(store, wikidata, tmp_path, review=review)
    links = links_of(store)
    assert links["actor/engine"] == "Q999999993"
    assert links["actor/facebook"] == "Q380"
    assert "actor/electronic-frontier-foundation" not in links
    assert "actor/human-rights-watch" not in links
    assert "Engine" not in {r.label for r in report.review}
    g = store.graph(LINKS_GRAPH)
    node = g.value(predicate=PG.subject, object=actor_iri("facebook"))
    assert str(g.value(node, PG.decidedBy)) == "review"
    assert "ror-records" in str(g.value(node, DCTERMS.source))
    topic = URIRef("https://w3id.org/policygraph/topic/backdoors")
    assert (topic, SKOS.closeMatch, WD.Q999999995) in g


def test_judgements_say_who_and_when_and_unsure_holds_the_scorer_back(
    store: Store, wikidata: Endpoint, tmp_path: Path
) -> None:
    review = tmp_path / "review.yaml"
    review.write_text(
        yaml.safe_dump(
            {
                "format": "policygraph-wikidata-review/2",
                "date": "2026-12-03",
                "by": "Reviewer A",
                "actors": [
                    {
                        "actor": "Engine",
                        "judgement": "positive",
                        "qid": "Q999999993",
                        "source": "test",
                        "by": "Reviewer B",
                    },
                    {"actor": "EFF", "judgement": "unsure"},
                    {"actor": "ACLU", "judgement": "unsure", "qid": "Q21637"},
                    {"actor": "Human Rights Watch", "judgement": "negative", "qid": "Q187052"},
                    {"actor": "Internet Society", "judgement": "negative"},
                ],
            }
        )
    )
    report = run(store, wikidata, tmp_path, review=review)
    links = links_of(store)
    assert links["actor/engine"] == "Q999999993"
    for key in (
        "electronic-frontier-foundation",
        "american-civil-liberties-union",
        "human-rights-watch",
        "internet-society",
    ):
        assert f"actor/{key}" not in links
    held = {item.label: item.reason for item in report.review}
    assert held["Electronic Frontier Foundation"] == "judged unsure by Reviewer A on 2026-12-03"
    assert held["American Civil Liberties Union"].startswith("judged unsure about Q21637")
    g = store.graph(LINKS_GRAPH)
    node = g.value(predicate=PG.subject, object=actor_iri("engine"))
    assert str(g.value(node, DCTERMS.creator)) == "Reviewer B"
    assert "review:positive" in {str(f) for f in g.objects(node, PG.feature)}
    assert str(g.value(node, PROV.generatedAtTime)).startswith("2026-12-03")


def test_the_bundled_review_file_is_of_the_current_format() -> None:
    from policygraph.linking.review import REVIEW_FORMAT, Judgement, load_review

    data = yaml.safe_load(REVIEW.read_text(encoding="utf-8"))
    assert data["format"] == REVIEW_FORMAT and "decision:" not in REVIEW.read_text()
    decisions = load_review(REVIEW)
    assert decisions.actors and all(d.by for d in decisions.actors)
    assert {d.judgement for d in decisions.actors} == {Judgement.POSITIVE}


def test_topics_get_candidates_for_review_but_no_automatic_link(
    store: Store, wikidata: Endpoint, tmp_path: Path
) -> None:
    from policygraph.pipeline import static_graphs

    store.replace_graphs(static_graphs())
    report = run(store, wikidata, tmp_path)
    e2ee = next(r for r in report.review if r.kind == "topic" and "end-to-end" in r.label)
    assert e2ee.candidates[0].candidate.qid == "Q999999999"
    assert not any(store.graph(LINKS_GRAPH).triples((None, SKOS.closeMatch, None)))


def test_review_links_survive_rebuilding_the_documents(store: Store, tmp_path: Path) -> None:
    review = write_review(
        tmp_path / "review.yaml",
        [{"actor": "Mark Zuckerberg", "decision": "link", "qid": "Q36215", "source": "test"}],
    )
    link_wikidata(store, cache=None, offline=True, review=review)
    assert links_of(store)["actor/mark-zuckerberg"] == "Q36215"
    store.replace_graphs({DOC_GRAPH: actors_graph()})  # a rebuild replaces document graphs
    assert links_of(store)["actor/mark-zuckerberg"] == "Q36215"


@pytest.mark.slow
def test_links_survive_a_rebuild_of_changed_documents(tmp_path: Path) -> None:
    from policygraph.pipeline import build
    from tests.support import SEEDS

    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(Path(SEEDS) / "004_de020599fd118b6a.txt", docs)
    with Store(tmp_path / "store") as store:
        build([docs], store)
        link_wikidata(store, cache=None, offline=True, review=REVIEW)
        before = graph_nt(store, LINKS_GRAPH)
        letter = docs / "004_de020599fd118b6a.txt"
        letter.write_text(letter.read_text(encoding="utf-8") + "\nUpdated.\n", encoding="utf-8")
        report = build([docs], store)
        assert report.removed  # the letter's old graph was dropped
        assert graph_nt(store, LINKS_GRAPH) == before
        assert links_of(store)["actor/electronic-frontier-foundation"] == "Q624023"


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"actor": "EFF", "decision": "link", "qid": "Q624023"}, "source"),
        ({"actor": "EFF", "decision": "link", "qid": "624023", "source": "x"}, "not a Wikidata"),
        ({"actor": "EFF", "decision": "maybe", "qid": "Q1", "source": "x"}, "decision"),
        ({"decision": "reject"}, "actor"),
    ],
)
def test_bad_review_file_names_the_file_and_the_entry(
    store: Store, tmp_path: Path, entry: dict[str, object], problem: str
) -> None:
    review = write_review(tmp_path / "review.yaml", [entry])
    with pytest.raises(LinkError, match=rf"review\.yaml: actors\[0\].*{problem}"):
        link_wikidata(store, offline=True, review=review)
    assert LINKS_GRAPH not in store.graph_names()


# ---------------------------------------------------------------- network faults
class _Faulty(http.server.BaseHTTPRequestHandler):
    """Answers each request with the next planned misbehaviour, then with `fallback`."""

    plan: list[str]
    hits: list[str]
    good: Callable[[str], bytes]

    def do_POST(self) -> None:
        from urllib.parse import parse_qs

        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        query = parse_qs(body)["query"][0]
        step = self.plan.pop(0) if self.plan else "ok"
        self.hits.append(step)
        if step == "slow":
            time.sleep(1.5)
            step = "ok"
        if step in ("429", "429-date"):
            self.send_response(429)
            # an HTTP date already past: retry at once
            when = "Wed, 21 Oct 2015 07:28:00 GMT" if step == "429-date" else "1"
            self.send_header("Retry-After", when)
            self.end_headers()
            return
        if step in ("500", "502", "503"):
            self.send_response(int(step))
            self.end_headers()
            self.wfile.write(b"overloaded")
            return
        data = (
            b'{"head": {"vars": ["name"]}, "results": {"bindings": ['
            if step == "bad"
            else (self.good(query))
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def faulty(fixture_store: Store) -> Iterator[Callable[[list[str]], tuple[str, list[str]]]]:
    servers: list[Iterator[str]] = []

    def good(query: str) -> bytes:
        import pyoxigraph as ox

        answer = fixture_store.query_raw(rewrite(query))
        return bytes(answer.serialize(format=ox.QueryResultsFormat.JSON))

    def start(plan: list[str]) -> tuple[str, list[str]]:
        hits: list[str] = []
        handler = type(
            "F", (_Faulty,), {"plan": list(plan), "hits": hits, "good": staticmethod(good)}
        )
        gen = _serve(handler)
        servers.append(gen)
        return next(gen), hits

    yield start
    for gen in servers:
        next(gen, None)


def test_http_429_waits_as_told_then_succeeds(store: Store, faulty, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, hits = faulty(["429"])
    waits: list[float] = []
    report = link_wikidata(
        store, endpoint=url, cache=tmp_path / "c.json", policy=FAST, sleep=waits.append
    )
    assert hits[0] == "429" and 1.0 in waits
    assert not report.problems and links_of(store) == EXPECTED


def test_http_429_with_a_date_retries_when_the_date_has_come(  # type: ignore[no-untyped-def]
    store: Store, faulty, tmp_path: Path
) -> None:
    url, hits = faulty(["429-date"])
    waits: list[float] = []
    report = link_wikidata(store, endpoint=url, cache=None, policy=FAST, sleep=waits.append)
    assert hits[0] == "429-date" and waits == [0.0]
    assert not report.problems and links_of(store) == EXPECTED


@pytest.mark.parametrize("plan", [["503", "502"], ["500"], ["bad"]], ids=["5xx", "500", "json"])
def test_transient_faults_are_retried(store: Store, faulty, tmp_path: Path, plan) -> None:  # type: ignore[no-untyped-def]
    url, hits = faulty(plan)
    report = run(store, url, tmp_path)
    assert hits[: len(plan)] == plan
    assert not report.problems and links_of(store) == EXPECTED


@pytest.mark.parametrize(
    ("plan", "message"),
    [(["bad"] * 30, "not valid JSON"), (["503"] * 30, "HTTP 503"), (["slow"] * 30, "no answer")],
    ids=["malformed-json", "5xx", "timeout"],
)
def test_persistent_faults_give_a_clear_message_and_no_wrong_link(  # type: ignore[no-untyped-def]
    store: Store, faulty, tmp_path: Path, plan, message
) -> None:
    url, _ = faulty(plan)
    policy = RetryPolicy(timeout=0.5, retries=1, backoff=0.01, max_wait=1.0)
    report = link_wikidata(store, endpoint=url, cache=tmp_path / "c.json", policy=policy)
    assert report.problems and all(message in p and "gave up" in p for p in report.problems)
    assert links_of(store) == {}
    assert (
        json.loads(
            (tmp_path / "c.json").read_text()
            if (tmp_path / "c.json").exists()
            else '{"entries": {}}'
        )["entries"]
        == {}
    )


def test_connection_refused_is_reported(store: Store, tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nothing listens
    report = run(store, f"http://127.0.0.1:{port}/sparql", tmp_path)
    assert report.problems and "cannot connect" in report.problems[0]
    assert links_of(store) == {}


def test_retry_after_longer_than_allowed_is_not_waited_for(
    store: Store,
    faulty,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    url, _ = faulty(["429"] * 5)
    policy = RetryPolicy(timeout=2, retries=3, backoff=0.01, max_wait=0.5)
    report = link_wikidata(store, endpoint=url, cache=None, policy=policy)
    assert report.problems and "longer than" in report.problems[0]


@pytest.mark.parametrize(
    ("kind", "classes", "fit"),
    [
        ("government", ["country", "sovereign state"], "incompatible"),
        ("country", ["government"], "incompatible"),
        ("organisation", ["daily newspaper"], "incompatible"),
        ("person", ["nonprofit organization"], "incompatible"),
        ("organisation", ["digital rights organization"], "compatible"),
        ("person", ["human"], "compatible"),
        ("organisation", ["nonprofit organization", "website"], "mixed"),
        ("organisation", ["publishing house"], "unknown"),
    ],
)
def test_type_rules_tell_kinds_apart(kind: str, classes: list[str], fit: str) -> None:
    from policygraph.linking.scoring import TypeRules

    assert TypeRules.load().fit(kind, classes)[0] == fit


def test_values_are_serialised_as_terms_not_pasted() -> None:
    query = fill_values("SELECT * { VALUES ?name { } }", {"name": [Literal('a" } x', lang="en")]})
    assert query == 'SELECT * { VALUES ?name { "a\\" } x"@en } }'
    # rdflib refuses such a Literal itself; the term writer refuses it for any other caller.
    with pytest.raises(TermError, match="language tag"):
        literal("x", language="en } DROP")
    with pytest.raises(TermError, match="refusing to write"):
        fill_values("SELECT * { VALUES ?n { } }", {"n": [URIRef("http://x/> } DROP ALL #")]})


# ---------------------------------------------------------------- the bundled review file
def _verified() -> set[str]:
    path = Path(require_shared("wikidata", "verified.tsv"))
    qids = {row["qid"] for row in csv.DictReader(path.open(encoding="utf-8"), delimiter="\t")}
    readme = (path.parent / "README.md").read_text(encoding="utf-8")
    return qids | set(re.findall(r"\| (Q\d+) \|", readme))


def test_bundled_review_file_holds_only_verified_identifiers() -> None:
    verified = _verified()
    text = REVIEW.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    for entry in data["actors"] + (data.get("topics") or []):
        assert entry["qid"] in verified, entry
        assert entry.get("source"), entry
    # the fixture's real-looking QIDs too; synthetic ones are above Q999999990
    bench = FIXTURE.with_name("wikidata_bench.ttl")
    fixture_qids = {
        q for f in (FIXTURE, bench) for q in re.findall(r"wd:(Q\d+)", f.read_text(encoding="utf-8"))
    }
    verified |= {"Q215627", "Q2424752", "Q43229"}  # coarse types named in verified.tsv
    assert {q for q in fixture_qids if int(q[1:]) < 999999990} <= verified


SEED_LINKS = {
    "United States": "Q30",
    "United Kingdom": "Q145",
    "Australia": "Q408",
    "Mark Zuckerberg": "Q36215",
    "Facebook": "Q380",
    "Electronic Frontier Foundation": "Q624023",
    "American Civil Liberties Union": "Q21637",
    "Human Rights Watch": "Q187052",
    "Internet Society": "Q749257",
    "Asociación por los Derechos Civiles": "Q106563594",
    "Iuridicum Remedium": "Q59403466",
}


def test_seed_graph_gets_the_verified_links_without_network(
    seed_store_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "store"
    shutil.copytree(seed_store_dir, folder)
    with Store(folder) as store:
        report = link_wikidata(store, cache=tmp_path / "none.json", offline=True, review=REVIEW)
        rows = store.select(
            "PREFIX owl: <http://www.w3.org/2002/07/owl#> "
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            "SELECT ?label ?wd WHERE { ?x owl:sameAs ?wd ; skos:prefLabel ?label }"
        ).rows
    linked = {(str(label), str(wd).rsplit("/", 1)[1]) for label, wd in rows}
    assert {(k, v) for k, v in SEED_LINKS.items()} <= linked
    assert report.requests == 0


def test_review_file_supplies_parents_the_documents_leave_implicit(
    seed_store_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "store"
    shutil.copytree(seed_store_dir, folder)
    with Store(folder) as store:
        # twice: a second run must keep the parents the first one made, not undo them
        for _ in range(2):
            link_wikidata(store, cache=None, offline=True, review=REVIEW)
        rows = store.select(
            "PREFIX owl: <http://www.w3.org/2002/07/owl#> "
            "PREFIX org: <http://www.w3.org/ns/org#> "
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            "PREFIX pg: <https://w3id.org/policygraph/ns#> "
            "SELECT ?child ?wd WHERE { ?c org:subOrganizationOf ?p ; skos:prefLabel ?child . "
            "?p owl:sameAs ?wd ; a pg:Actor ; skos:prefLabel ?parent }"
        ).rows
    parents = {(str(c), str(wd).rsplit("/", 1)[1]) for c, wd in rows}
    assert ("ACM US Technology Policy Committee", "Q127992") in parents
    assert ("FGV Direito SP", "Q5508996") in parents
    assert ("Center for Studies on Freedom of Expression", "Q7896057") in parents


# Links the scorer may make on the seed actors with the fixture as Wikidata: the verified ones,
# the governments as governments, the countries as countries.
SEED_ALLOWED = {
    *SEED_LINKS.items(),
    ("United States", "Q48525"),
    ("United Kingdom", "Q6063"),
    ("Australia", "Q2991162"),
    ("Digital Rights Watch", "Q999999996"),
    ("ACM US Technology Policy Committee", "Q1000000001"),
}


def test_scorer_makes_no_wrong_link_on_the_seed_actors(
    seed_store_dir: Path, wikidata: Endpoint, tmp_path: Path
) -> None:
    folder = tmp_path / "store"
    shutil.copytree(seed_store_dir, folder)
    with Store(folder) as store:
        report = run(store, wikidata, tmp_path)
    made = {(r.label, r.qid) for r in report.links}
    assert made <= SEED_ALLOWED  # precision 1.0
    assert {
        ("Electronic Frontier Foundation", "Q624023"),
        ("United States", "Q30"),
        ("United States", "Q48525"),
        ("Mark Zuckerberg", "Q36215"),
    } <= made
    assert {"Engine", "Free Press", "ARTICLE 19"} <= {r.label for r in report.review}


def test_cli_links_and_lists_the_cases_for_review(wikidata: Endpoint, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    with Store(folder) as s:
        s.replace_graphs({DOC_GRAPH: actors_graph()})
    pending = tmp_path / "pending.yaml"
    cmd = [
        sys.executable,
        "-m",
        "policygraph",
        "link",
        "--store",
        str(folder),
        "--endpoint",
        wikidata.url,
        "--cache",
        str(tmp_path / "c.json"),
        "--pending",
        str(pending),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Q624023" in done.stdout and "Free Press" in done.stdout
    listed = yaml.safe_load(pending.read_text())["pending"]
    assert "Q601669" in {
        c["qid"] for e in listed if e["actor"] == "Free Press" for c in e["candidates"]
    }
    offline = subprocess.run(
        [*cmd[:6], "--offline", "--cache", str(tmp_path / "empty.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert offline.returncode == 2 and "offline" in offline.stderr
