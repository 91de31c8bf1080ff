"""Issue 17, "must show": on a Wikidata-shaped fixture with look-alikes of every kind and the
entity search's answers, served by a real SPARQL server on 127.0.0.1, the scorer alone (no
review file) links with precision 1.0 and a recall of linkable entities of at least 0.9;
and a reconciliation service (policygraph's own `serve`) works as a candidate source."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from benchmarks.linking import ACTORS, actors_graph, measure, render, wikidata_endpoint

from policygraph.linking import link_wikidata
from policygraph.store import Store
from policygraph.vocab import graph_iri


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with wikidata_endpoint() as url:
        yield url


def test_precision_is_one_and_recall_of_linkable_entities_at_least_090(
    endpoint: str, tmp_path: Path
) -> None:
    score = measure(endpoint, tmp_path / "cache.json")
    print(render(score))
    assert score.wrong == {}, "precision must be 1.0"
    assert score.precision == 1.0
    assert score.recall >= 0.9 and score.actor_recall >= 0.9
    # the look-alikes that only evidence beyond the name tells apart were told apart
    assert not {"engine", "free-press", "peter-dutton", "william-barr", "canada"} & {
        k.removeprefix("actor/") for k in score.missed
    }
    assert "country/canada" not in score.missed and "country/germany" not in score.missed


def test_the_search_finds_what_no_label_carries(endpoint: str, tmp_path: Path) -> None:
    score = measure(endpoint, tmp_path / "cache.json")
    found = {"actor/cdt", "actor/fundacion-karisma", "actor/adc"}
    assert not found & set(score.missed)


def _store_of(keys: set[str]) -> Store:
    spec = yaml.safe_load(ACTORS.read_text(encoding="utf-8"))
    spec["actors"] = [a for a in spec["actors"] if a["key"] in keys]
    graph, _ = actors_graph(spec)
    store = Store(None)
    store.replace_graphs({graph_iri("doc/linking-bench"): graph})
    return store


def _links(store: Store) -> dict[str, str]:
    rows = store.select(
        "PREFIX owl: <http://www.w3.org/2002/07/owl#> SELECT ?a ?wd WHERE { ?a owl:sameAs ?wd }"
    ).rows
    return {str(a).rsplit("/", 1)[1]: str(wd).rsplit("/", 1)[1] for a, wd in rows}


def test_a_reconciliation_service_is_a_candidate_source(endpoint: str, tmp_path: Path) -> None:
    """policygraph's own `serve`, over the Wikidata-shaped slice, answers /reconcile with
    QIDs; with the search off, those are the only way to "Fundacion Karisma"'s item."""
    reconcile = endpoint.removesuffix("/sparql") + "/reconcile"
    with _store_of({"fundacion-karisma", "cdt"}) as store:
        link_wikidata(store, endpoint=endpoint, cache=None, search=False)
        assert "fundacion-karisma" not in _links(store)
        report = link_wikidata(
            store, endpoint=endpoint, cache=tmp_path / "c.json", search=False, reconcile=[reconcile]
        )
        links = _links(store)
        assert links["fundacion-karisma"] == "Q1000000106"
        assert links["cdt"] == "Q1000000105"
        assert not report.problems
        # answered from the cache the second time, offline
        again = link_wikidata(
            store,
            endpoint=endpoint,
            cache=tmp_path / "c.json",
            search=False,
            reconcile=[reconcile],
            offline=True,
        )
        assert again.requests == 0 and not again.problems
        assert _links(store) == links


def test_a_service_that_is_not_a_reconciliation_service_is_reported(
    endpoint: str, tmp_path: Path
) -> None:
    with _store_of({"fundacion-karisma"}) as store:
        # the SPARQL endpoint refuses a `queries=` form: a problem, not a crash or a link
        report = link_wikidata(
            store, endpoint=endpoint, cache=None, search=False, reconcile=[endpoint]
        )
        assert any("reconciliation" in p and "refused" in p for p in report.problems)
        assert "fundacion-karisma" not in _links(store)


def test_the_cli_takes_a_reconciliation_service(endpoint: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    spec = yaml.safe_load(ACTORS.read_text(encoding="utf-8"))
    spec["actors"] = [a for a in spec["actors"] if a["key"] == "fundacion-karisma"]
    graph, _ = actors_graph(spec)
    with Store(tmp_path / "store") as store:
        store.replace_graphs({graph_iri("doc/linking-bench"): graph})
    (tmp_path / "review.yaml").write_text("")
    reconcile = endpoint.removesuffix("/sparql") + "/reconcile"
    args = ["--store", str(tmp_path / "store"), "--endpoint", endpoint, "--no-search"]
    args += ["--reconcile", reconcile, "--cache", str(tmp_path / "c.json"), "--cache-ttl", "0"]
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "policygraph",
            "link",
            "wikidata",
            *args,
            "--review",
            str(tmp_path / "review.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "linked    Fundacion Karisma → Q1000000106" in proc.stdout
