"""The library against a real Virtuoso: push the seed graph, run every query through
--endpoint, and get the rows the embedded store gives."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from policygraph.cli import main
from policygraph.errors import RemoteError
from policygraph.sparql.formatting import rows_as_text
from policygraph.sparql.querying import (
    bind_params,
    example_params,
    find_query,
    run_library,
    run_query,
)
from policygraph.sparql.remote import PASSWORD_ENV, USER_ENV, Endpoint, push, select
from policygraph.store import SelectResult, Store
from policygraph.vocab import graph_iri
from tests.support import require_system
from tests.virtuoso import Virtuoso, running_virtuoso

pytestmark = [pytest.mark.virtuoso, pytest.mark.slow]


@pytest.fixture(scope="module")
def virtuoso() -> Iterator[Virtuoso]:
    binary = require_system("virtuoso-t")
    with running_virtuoso(binary) as server:
        yield server


@pytest.fixture()
def dba(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh Virtuoso database's administrator account, given the only way push takes it."""
    monkeypatch.setenv(USER_ENV, "dba")
    monkeypatch.setenv(PASSWORD_ENV, "dba")


@pytest.fixture(scope="module")
def pushed(virtuoso: Virtuoso, seed_store_dir: Path) -> Virtuoso:
    """The seed graph pushed with SPARQL Update through the command line."""
    old = {k: os.environ.get(k) for k in (USER_ENV, PASSWORD_ENV)}
    os.environ[USER_ENV], os.environ[PASSWORD_ENV] = "dba", "dba"
    try:
        code = main(["push", "--endpoint", virtuoso.sparql_auth, "--store", str(seed_store_dir)])
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert code == 0, virtuoso.log()
    return virtuoso


def normalised(result: SelectResult) -> list[tuple[str, ...]]:
    """Rows as plain strings, sorted: engines may order ties differently and differ in how
    they spell a literal's datatype, not in its value."""
    return sorted(rows_as_text(result))


def remote_graph_counts(endpoint: Endpoint) -> dict[str, int]:
    res = select(
        endpoint,
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        'FILTER (STRSTARTS(STR(?g), "https://w3id.org/policygraph/")) } GROUP BY ?g',
    )
    return {str(g): int(str(n)) for g, n in res.rows}


def local_graph_counts(store: Store) -> dict[str, int]:
    return {str(g): store.count(g) for g in store.graph_names()}


def test_push_copies_every_named_graph(pushed: Virtuoso, seed_store: Store) -> None:
    assert remote_graph_counts(Endpoint(pushed.sparql)) == local_graph_counts(seed_store)


def test_the_library_gives_the_same_rows_remotely(pushed: Virtuoso, seed_store: Store) -> None:
    local = run_library(seed_store)
    remote = run_library(endpoint=Endpoint(pushed.sparql))
    assert [i.name for i, _ in local] == [i.name for i, _ in remote]
    for (info, here), (_, there) in zip(local, remote, strict=True):
        assert here.variables == there.variables, info.name
        assert normalised(here) == normalised(there), info.name
        assert here.rows, info.name


def test_query_command_through_the_endpoint(
    pushed: Virtuoso, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "query",
            "actors-by-stance",
            "--param",
            "topic=backdoors",
            "--param",
            "position=pg:Support",
            "--endpoint",
            pushed.sparql,
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    for government in ("United States", "United Kingdom", "Australia"):
        assert government in out
    assert "(3 rows)" in out


@pytest.mark.parametrize(
    "value",
    ['Access Now" } UNION { ?actor ?p ?actor_name } #', "Access Now'}#", 'x"""\n}#', "x\\"],
)
def test_hostile_values_travel_as_terms(pushed: Virtuoso, value: str) -> None:
    info = find_query("cosigners")
    result = run_query(
        info, bind_params(info, {"actor_name": value}), endpoint=Endpoint(pushed.sparql)
    )
    assert result.rows == ()
    same = run_query(
        info, bind_params(info, {"actor_name": "Access Now"}), endpoint=Endpoint(pushed.sparql)
    )
    assert len(same.rows) == 57


def test_push_through_the_graph_store_protocol_replaces_graphs(
    pushed: Virtuoso, seed_store: Store, dba: None
) -> None:
    report = push(seed_store, Endpoint.from_env(pushed.sparql_auth), graph_store=pushed.graph_store)
    assert report.method == "graph-store"
    assert report.graphs == len(seed_store.graph_names())
    # pushed twice (update, then graph store): replaced, not doubled
    assert remote_graph_counts(Endpoint(pushed.sparql)) == local_graph_counts(seed_store)
    info = find_query("letter-signatories")
    rows = run_query(info, endpoint=Endpoint(pushed.sparql)).rows
    assert len(rows) == 58


def test_wrong_credentials_are_a_clear_error(
    pushed: Virtuoso, seed_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(USER_ENV, "dba")
    monkeypatch.setenv(PASSWORD_ENV, "not-the-password")
    endpoint = Endpoint.from_env(pushed.sparql_auth)
    with pytest.raises(RemoteError) as info:
        push(seed_store, endpoint)
    assert "not-the-password" not in str(info.value)
    assert "not-the-password" not in repr(endpoint)


def test_credentials_in_the_url_are_refused() -> None:
    with pytest.raises(RemoteError, match="POLICYGRAPH_ENDPOINT_USER"):
        Endpoint.from_env("http://dba:dba@127.0.0.1:1/sparql-auth")


def test_wikidata_links_answer_the_same_remotely(
    pushed: Virtuoso, linked_store: Store, dba: None
) -> None:
    """Runs last: it adds the linking graphs to the remote store."""
    links = Store(None)
    links.replace_graphs(
        {
            g: linked_store.graph(g)
            for g in (graph_iri("wikidata-links"), graph_iri("wikidata-enrichment"))
        }
    )
    push(links, Endpoint.from_env(pushed.sparql_auth))
    for info, here in run_library(linked_store):
        there = run_query(info, example_params(info), endpoint=Endpoint(pushed.sparql))
        assert normalised(here) == normalised(there), info.name
    info = find_query("actors-by-country")
    rows = run_query(
        info, bind_params(info, {"country": "United Kingdom"}), endpoint=Endpoint(pushed.sparql)
    )
    assert ("Open Rights Group", "wikidata") in {(str(r[2]), str(r[3])) for r in rows.rows}
