"""Issue 17: the linker's cache is per name and per item, with a time to live, so a corpus
change asks only about what it adds and `--offline` reproduces a run after any change that
adds no name; every request carries the configured User-Agent. Requests are counted on the
local endpoint (policygraph's `serve` over the Wikidata-shaped fixture)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from policygraph import __version__
from policygraph.linking import USER_AGENT, USER_AGENT_ENV, link_wikidata, user_agent
from policygraph.store import Store
from policygraph.vocab import PG, RDF, SCHEMA, SKOS, actor_iri, bind_prefixes, graph_iri
from tests import test_linking
from tests.test_linking import (
    DOC_GRAPH,
    EXPECTED,
    Endpoint,
    actors_graph,
    links_of,
    run,
)

# the fixtures of test_linking.py: the Wikidata-shaped endpoint and the store of actors
fixture_store = test_linking.fixture_store
store = test_linking.store
wikidata = test_linking.wikidata

NEW_DOC = graph_iri("doc/new-actor")


def one_actor(key: str, label: str) -> Graph:
    g = bind_prefixes(Graph())
    iri = actor_iri(key)
    g.add((iri, RDF.type, PG.Actor))
    g.add((iri, RDF.type, SCHEMA.NGO))
    g.add((iri, SKOS.prefLabel, Literal(label)))
    return g


def test_a_corpus_change_asks_only_about_the_new_name(
    store: Store, wikidata: Endpoint, tmp_path: Path
) -> None:
    first = run(store, wikidata, tmp_path)
    assert first.requests > 0
    wikidata.requests.clear()
    store.replace_graphs({NEW_DOC: one_actor("digital-rights-ireland", "Digital Rights Ireland")})
    second = run(store, wikidata, tmp_path)
    assert not second.problems
    assert second.cache_hits > 0 and 1 <= second.requests <= 3  # labels, search: one each
    sent = [r["query"] for r in wikidata.requests]
    assert sent and all("Digital Rights Ireland" in q for q in sent)
    assert not any("Human Rights Watch" in q or "Q624023" in q for q in sent)
    assert {k: v for k, v in links_of(store).items() if k in EXPECTED} == EXPECTED


def test_offline_reproduces_the_run_after_a_change_that_adds_no_name(
    store: Store, wikidata: Endpoint, tmp_path: Path
) -> None:
    run(store, wikidata, tmp_path)
    # the documents change: two actors fewer (one of them the only Spanish-speaking one, so
    # the languages asked about change too), the rest as before; no new name
    shrunk = actors_graph()
    gone = ("engine", "asociacion-por-los-derechos-civiles")
    for key in gone:
        shrunk.remove((actor_iri(key), None, None))
    with Store(None) as other:
        other.replace_graphs({DOC_GRAPH: shrunk})
        report = link_wikidata(
            other, endpoint=wikidata.url, cache=tmp_path / "cache.json", offline=True
        )
        assert report.requests == 0 and not report.problems
        assert links_of(other) == {
            k: v for k, v in EXPECTED.items() if k.removeprefix("actor/") not in gone
        }


def _age(cache: Path, fetched: str) -> None:
    data = json.loads(cache.read_text())
    for answers in data["entries"].values():
        for entry in answers.values():
            entry["fetched"] = fetched
    cache.write_text(json.dumps(data))


def test_expired_entries_are_asked_again_online_and_still_answer_offline(
    store: Store, wikidata: Endpoint, tmp_path: Path
) -> None:
    first = run(store, wikidata, tmp_path)
    cache = tmp_path / "cache.json"
    assert run(store, wikidata, tmp_path).requests == 0  # fresh: all from the cache
    _age(cache, "2000-01-01T00:00:00+00:00")
    assert run(store, wikidata, tmp_path, ttl=None).requests == 0  # never expire
    offline = link_wikidata(store, endpoint=wikidata.url, cache=cache, offline=True)
    assert offline.requests == 0 and not offline.problems
    again = run(store, wikidata, tmp_path, ttl=timedelta(days=30))
    assert again.requests == first.requests and not again.problems
    assert links_of(store) == EXPECTED
    fetched = {
        e["fetched"] for a in json.loads(cache.read_text())["entries"].values() for e in a.values()
    }
    assert "2000-01-01T00:00:00+00:00" not in fetched


def test_an_old_per_query_cache_is_set_aside(
    store: Store, wikidata: Endpoint, tmp_path: Path
) -> None:
    cache = tmp_path / "cache.json"
    old = json.dumps({"format": "policygraph-wikidata-cache/1", "entries": {}})
    cache.write_text(old)
    report = run(store, wikidata, tmp_path)
    assert any("policygraph-wikidata-cache/1" in p for p in report.problems)
    assert links_of(store) == EXPECTED
    assert (tmp_path / "cache.json.corrupt").read_text() == old


# ---------------------------------------------------------------- the User-Agent
def test_every_request_carries_the_configured_user_agent(
    store: Store, wikidata: Endpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    agent = "policygraph-tests/1.0 (mailto:linker@example.org)"
    report = run(store, wikidata, tmp_path, user_agent=agent)
    assert report.requests == len(wikidata.requests) > 0
    assert {r["agent"] for r in wikidata.requests} == {agent}
    wikidata.requests.clear()
    monkeypatch.setenv(USER_AGENT_ENV, "linker@example.org")
    run(store, wikidata, tmp_path, cache=None)
    assert {r["agent"] for r in wikidata.requests} == {
        f"policygraph/{__version__} (linker@example.org)"
    }


def test_the_default_user_agent_names_the_project_and_how_to_give_a_contact() -> None:
    assert user_agent(None, {}) == USER_AGENT
    assert USER_AGENT.startswith(f"policygraph/{__version__} ")
    assert USER_AGENT_ENV in USER_AGENT and "--user-agent" in USER_AGENT


def test_the_cli_sends_its_user_agent_option(wikidata: Endpoint, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    with Store(store_dir) as s:
        s.replace_graphs({DOC_GRAPH: actors_graph()})
    agent = "cli-test (mailto:cli@example.org)"
    (tmp_path / "none.yaml").write_text("")  # no review decisions: the scorer alone
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "policygraph",
            "link",
            "wikidata",
            "--store",
            str(store_dir),
            "--endpoint",
            wikidata.url,
            "--cache",
            str(tmp_path / "c.json"),
            "--quiet",
            "--user-agent",
            agent,
            "--review",
            str(tmp_path / "none.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode in (0, 1, 2), proc.stderr
    assert wikidata.requests
    assert {r["agent"] for r in wikidata.requests} == {f"policygraph/{__version__} ({agent})"}
