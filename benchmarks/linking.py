"""The Wikidata linker's precision and recall on a Wikidata-shaped fixture with look-alikes
of every kind (tests/data/wikidata_fixture.ttl + wikidata_bench.ttl), served by a real SPARQL
server on 127.0.0.1 (policygraph's `serve` over an Oxigraph store, the entity search's
answers served as tests/wdqs.py does). The review file is off: the scorer alone decides.

    python -m benchmarks.linking

Precision: of the links made, the share that are the expected item. Recall: of the linkable
entities (those the fixture holds an item for), the share linked to it. Asserted by
tests/test_linking_bench.py (precision 1.0, recall ≥ 0.9).
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef
from tests.wdqs import mwapi

from policygraph.linking import LinkReport, RetryPolicy, link_wikidata
from policygraph.serve import ServeConfig, create_server
from policygraph.store import Store
from policygraph.vocab import (
    DCTERMS,
    FOAF,
    ORG,
    PG,
    RDF,
    SCHEMA,
    SKOS,
    actor_iri,
    bind_prefixes,
    graph_iri,
)

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
FIXTURES = (DATA / "wikidata_fixture.ttl", DATA / "wikidata_bench.ttl")
ACTORS = DATA / "wikidata_bench_actors.yaml"
ID = "https://w3id.org/policygraph/id/"
_TYPES = {
    "organisation": (ORG.FormalOrganization, SCHEMA.NGO),
    "company": (ORG.FormalOrganization, SCHEMA.Corporation),
    "government": (ORG.FormalOrganization, SCHEMA.GovernmentOrganization),
    "person": (FOAF.Person, SCHEMA.Person),
}


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    actor_recall: float  # the actors alone (countries aside)
    links: int
    linkable: int
    wrong: dict[str, tuple[str | None, str]]  # entity → (expected, linked)
    missed: dict[str, str]  # entity → expected item
    report: LinkReport


def _country(name: str) -> URIRef:
    return URIRef(ID + "country/" + name.lower().replace(" ", "-"))


def actors_graph(spec: dict[str, Any]) -> tuple[Graph, dict[str, str | None]]:
    """The actors as the pipeline writes them, and the expected item of every entity."""
    g = bind_prefixes(Graph())
    expected: dict[str, str | None] = {}
    for name, qid in spec["countries"].items():
        g.add((_country(name), RDF.type, SCHEMA.Country))
        g.add((_country(name), SKOS.prefLabel, Literal(name)))
        expected[str(_country(name))] = qid
    for a in spec["actors"]:
        iri = actor_iri(a["key"])
        expected[str(iri)] = a["expect"]
        g.add((iri, RDF.type, PG.Actor))
        for cls in _TYPES[a["kind"]]:
            g.add((iri, RDF.type, cls))
        g.add((iri, SKOS.prefLabel, Literal(a["label"])))
        for alias in a.get("aliases", []):
            g.add((iri, SKOS.altLabel, Literal(alias)))
        if "country" in a:
            g.add((iri, DCTERMS.spatial, _country(a["country"])))
        if "parent" in a:
            g.add((iri, ORG.subOrganizationOf, actor_iri(a["parent"])))
        if "website" in a:
            g.add((iri, SCHEMA.url, Literal(a["website"])))
    return g, expected


@contextmanager
def wikidata_endpoint() -> Iterator[str]:
    """The fixture behind `serve` on 127.0.0.1; yields its SPARQL URL."""
    g = Graph()
    for path in FIXTURES:
        g.parse(path, format="turtle")
    with Store(None) as store:
        store.replace_graphs({URIRef("https://example.invalid/wikidata-fixture/graph"): g})
        server = create_server(store, ServeConfig(port=0, views_dir=None))
        server.application = mwapi(server.application)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.effective_port}/sparql"
        finally:
            server.close()


def measure(endpoint: str, cache: Path | None = None) -> Score:
    spec = yaml.safe_load(ACTORS.read_text(encoding="utf-8"))
    graph, expected = actors_graph(spec)
    with Store(None) as store:
        store.replace_graphs({graph_iri("doc/linking-bench"): graph})
        policy = RetryPolicy(timeout=30.0, retries=1, backoff=0.1, max_wait=1.0)
        report = link_wikidata(store, endpoint=endpoint, cache=cache, policy=policy)
        rows = store.select(
            "PREFIX owl: <http://www.w3.org/2002/07/owl#> SELECT ?a ?wd WHERE { ?a owl:sameAs ?wd }"
        ).rows
    linked = {str(a): str(wd).rsplit("/", 1)[1] for a, wd in rows}
    short = {k: k.removeprefix(ID) for k in expected}
    wrong = {short[k]: (expected.get(k), q) for k, q in linked.items() if expected.get(k) != q}
    linkable = {k: q for k, q in expected.items() if q}
    missed = {short[k]: q for k, q in linkable.items() if linked.get(k) != q}
    right = sum(1 for k, q in linked.items() if expected.get(k) == q)
    actors = [k for k in linkable if k.startswith(ID + "actor/")]
    actor_missed = [k for k in actors if short[k] in missed]
    return Score(
        precision=right / len(linked) if linked else 1.0,
        recall=(len(linkable) - len(missed)) / len(linkable),
        actor_recall=(len(actors) - len(actor_missed)) / len(actors),
        links=len(linked),
        linkable=len(linkable),
        wrong=wrong,
        missed=missed,
        report=report,
    )


def render(score: Score) -> str:
    lines = [
        f"precision {score.precision:.3f} ({score.links} links), "
        f"recall of linkable entities {score.recall:.3f} "
        f"({score.linkable - len(score.missed)} of {score.linkable}; actors alone "
        f"{score.actor_recall:.3f}); "
        f"{score.report.requests} requests",
    ]
    lines += [
        f"  wrong   {k}: expected {e}, linked {q}" for k, (e, q) in sorted(score.wrong.items())
    ]
    reasons = {str(r.subject).removeprefix(ID): r.reason for r in score.report.review}
    lines += [
        f"  missed  {k}: {q} ({reasons.get(k, 'no candidate')})"
        for k, q in sorted(score.missed.items())
    ]
    return "\n".join(lines)


def main() -> None:
    with wikidata_endpoint() as url, tempfile.TemporaryDirectory() as tmp:
        print(render(measure(url, Path(tmp) / "cache.json")))


if __name__ == "__main__":
    main()
