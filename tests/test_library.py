"""policygraph as a library in a script or a notebook, and `query` for every query form: plain
Python parameter values, results as plain values and typed DataFrames, forgiving actor and
topic lookups (with the errors that name close matches), a build from a script without a
`__main__` guard, and CONSTRUCT/ASK/DESCRIBE through the CLI."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from benchmarks.generator import generate
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS

from policygraph.cli import main
from policygraph.errors import QueryError, UnknownNameError, WorkerError
from policygraph.sparql.querying import run_query
from policygraph.sparql.results import AskResult, GraphResult
from policygraph.store import SelectResult, Store
from policygraph.topics import load_topics
from policygraph.vocab import ID, PG
from policygraph.workers import ordered_map
from tests.support import ROOT

ACCESS_NOW = ID["actor/access-now"]


def select(store: Store, query: str, params: dict[str, object] | None = None) -> SelectResult:
    result = run_query(query, params, store=store)
    assert isinstance(result, SelectResult)
    return result


# ---------------------------------------------------------------------- plain values


def test_plain_python_parameters(seed_store: Store) -> None:
    by_id = select(seed_store, "actors-by-stance", {"topic": "backdoors"})
    assert by_id.rows and {r["topic"] for r in by_id.records()} == {"backdoors"}
    # a label of the topic, any case, is the same topic
    assert select(seed_store, "actors-by-stance", {"topic": "Backdoor"}).rows == by_id.rows
    # inline queries: the value's Python type gives the literal's datatype
    (row,) = select(seed_store, "SELECT ?x ?n WHERE { BIND(?x + 1 AS ?n) }", {"x": 41}).records()
    assert row == {"x": 41, "n": 42}
    (row,) = select(
        seed_store,
        "SELECT ?d ?y WHERE { BIND(YEAR(?d) AS ?y) }",
        {"d": datetime.date(2019, 10, 4)},
    ).records()
    assert row == {"d": datetime.date(2019, 10, 4), "y": 2019}
    assert run_query("ASK { FILTER(?b) }", {"b": True}, store=seed_store) == AskResult(True)
    assert run_query("ASK { FILTER(?b) }", {"b": False}, store=seed_store) == AskResult(False)
    with pytest.raises(QueryError, match="parameter position: cannot use 3"):
        run_query("actors-by-stance", {"position": 3}, store=seed_store)


def test_records_are_plain_python_values(seed_store: Store) -> None:
    records = select(seed_store, "documents").records()
    letter = next(r for r in records if r["kind"] == "open_letter")
    assert isinstance(letter["date"], datetime.date)
    assert isinstance(letter["document"], str) and letter["document"].startswith("https://")
    counts = select(seed_store, "actors-by-stance", {"topic": "e2ee"}).records()
    assert all(type(r["documents"]) is int for r in counts)


def test_to_dataframe_has_typed_columns(seed_store: Store) -> None:
    frame = select(seed_store, "actors-by-stance", {"topic": "backdoors"}).to_dataframe()
    assert str(frame["documents"].dtype) == "Int64"
    assert str(frame["name"].dtype) == "string"
    assert frame["documents"].sum() >= len(frame)
    dated = select(seed_store, "documents").to_dataframe()
    assert str(dated["date"].dtype).startswith("datetime64")
    assert dated["date"].dt.year.min() >= 2000


def test_to_dataframe_without_pandas_says_what_to_install(seed_store_dir: Path) -> None:
    script = f"""
import sys
sys.modules["pandas"] = None  # as if it were not installed
from policygraph import Store, run_query
with Store({str(seed_store_dir)!r}, read_only=True) as store:
    result = run_query("documents", store=store)
try:
    result.to_dataframe()
except ImportError as exc:
    print(exc)
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert "pip install 'policygraph[pandas]'" in out


def test_run_query_without_a_store_opens_the_default_one(seed_store_dir: Path) -> None:
    """As in a notebook: `run_query(q, {...})` with POLICYGRAPH_STORE (or ./store)."""
    script = (
        "from policygraph import run_query; "
        "print(len(run_query('actors-by-stance', {'topic': 'backdoors'}).rows))"
    )
    env = {**os.environ, "POLICYGRAPH_STORE": str(seed_store_dir)}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    ).stdout
    assert int(out) > 0


# ---------------------------------------------------------------------- lookups


@pytest.mark.parametrize(
    ("asked", "stored"),
    [
        ("Access Now", "Access Now"),
        ("access now", "Access Now"),
        ("ACCESS-NOW", "Access Now"),
        ("EFF", "Electronic Frontier Foundation"),  # a stored skos:altLabel
        ("eff", "Electronic Frontier Foundation"),
        ("ACLU", "American Civil Liberties Union"),  # the acronym of the label
        ("cdt", "Center for Democracy & Technology"),  # minor words left out (data/)
        ("the Electronic Frontier Foundation", "Electronic Frontier Foundation"),
        ("Asociacion por los Derechos Civiles", "Asociación por los Derechos Civiles"),
        ("ADC", "Asociación por los Derechos Civiles"),
    ],
)
def test_actor_names_are_looked_up_forgivingly(seed_store: Store, asked: str, stored: str) -> None:
    rows = select(seed_store, "cosigners", {"actor_name": asked}).records()
    assert rows and {r["actor_name"] for r in rows} == {stored}


def test_an_unknown_actor_is_an_error_naming_close_names(seed_store: Store) -> None:
    with pytest.raises(
        UnknownNameError, match=r"no actor named 'Acess Now' \(did you mean Access Now"
    ):
        run_query("cosigners", {"actor_name": "Acess Now"}, store=seed_store)
    with pytest.raises(UnknownNameError, match=r"no actor named 'Nobody At All'$"):
        run_query("cosigners", {"actor_name": "Nobody At All"}, store=seed_store)
    # hostile text is only ever a name that is not found: never part of the query
    with pytest.raises(UnknownNameError, match="no actor named"):
        run_query("cosigners", {"actor_name": 'x" } UNION { ?a ?b ?c } #'}, store=seed_store)


def test_an_unknown_topic_is_an_error_in_query_and_viz(
    seed_store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(seed_store_dir)
    assert main(["query", "actors-by-stance", "--param", "topic=tax", "--store", store]) == 1
    # known: the topic scheme's ids (ontology/topics.ttl), nothing else that has a notation
    known = ", ".join(sorted(load_topics().notations))
    assert f"unknown topic 'tax' (known: {known})" in capsys.readouterr().err
    assert main(["viz", "stances", "--topic", "tax", "--store", store, "--out", "/dev/null"]) == 1
    assert f"unknown topic 'tax' (known: {known})" in capsys.readouterr().err
    assert main(["query", "cosigners", "--param", "actor_name=Acces Now", "--store", store]) == 1
    assert "did you mean Access Now" in capsys.readouterr().err


def test_list_shows_examples_the_store_holds(
    seed_store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["query", "--list", "--store", str(seed_store_dir)]) == 0
    listing = capsys.readouterr().out
    assert "--param actor_name=<actor>" in listing
    assert "(in the store: Access Now)" in listing and "(in the store: backdoors)" in listing
    # the letter's IRI example is in the seed store; in an empty store nothing is
    empty = tmp_path / "empty"
    Store(empty).close()
    assert main(["query", "--list", "--store", str(empty)]) == 0
    listing = capsys.readouterr().out
    assert "(in the store:" not in listing and "(none in the store)" in listing
    assert main(["query", "--list", "--store", str(tmp_path / "missing")]) == 0
    assert "(in the store:" not in capsys.readouterr().out


# ---------------------------------------------------------------------- every query form


def test_cli_construct_prints_turtle(
    seed_store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    query = (
        "CONSTRUCT { ?a skos:prefLabel ?name } "  # the project's prefixes need no PREFIX
        "WHERE { ?letter pg:signatory ?a . ?a skos:prefLabel ?name }"
    )
    assert main(["query", query, "--store", str(seed_store_dir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("@prefix")
    g = Graph().parse(data=out, format="turtle")
    assert len(g) == 58 and (ACCESS_NOW, SKOS.prefLabel, Literal("Access Now")) in g


def test_cli_ask_and_describe(seed_store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(seed_store_dir)
    assert main(["query", f"ASK {{ ?l pg:signatory <{ACCESS_NOW}> }}", "--store", store]) == 0
    assert capsys.readouterr().out == "true\n"
    assert main(["query", "ASK { ?l pg:signatory pg:Nobody }", "--store", store]) == 0
    assert capsys.readouterr().out == "false\n"
    describe = f"DESCRIBE <{ACCESS_NOW}>"
    for fmt, rdflib_format in [("ntriples", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml")]:
        assert main(["query", describe, "--format", fmt, "--store", store]) == 0
        g = Graph().parse(data=capsys.readouterr().out, format=rdflib_format)
        assert (ACCESS_NOW, RDF.type, PG.Actor) in g
    assert (
        main(
            ["query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--format", "turtle", "--store", store]
        )
        == 1
    )
    assert "SELECT results print as table, csv, tsv, json" in capsys.readouterr().err


def test_inline_prefixes_yield_to_the_query_s_own(seed_store: Store) -> None:
    own = "PREFIX pg: <http://example.org/other#> ASK { ?l pg:signatory ?a }"
    assert run_query(own, store=seed_store) == AskResult(False)
    assert run_query("ASK { ?l pg:signatory ?a }", store=seed_store) == AskResult(True)
    graph = run_query(f"DESCRIBE <{ACCESS_NOW}>", store=seed_store)
    assert isinstance(graph, GraphResult) and (ACCESS_NOW, RDF.type, PG.Actor) in graph.graph()


# ---------------------------------------------------------------------- builds from scripts


UNGUARDED = """\
from policygraph import Store, build

with Store({store!r}) as store:
    report = build([{corpus!r}], store, workers=2)
print("built", len(report.documents), "with", report.workers, "workers")
"""


@pytest.fixture(scope="module")
def corpus_200(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(200, tmp_path_factory.mktemp("corpus") / "c200") / "documents"


@pytest.mark.slow
@pytest.mark.parametrize("how", ["script file", "no file (like a notebook)"])
def test_a_build_from_a_script_without_a_main_guard(
    corpus_200: Path, tmp_path: Path, how: str
) -> None:
    code = UNGUARDED.format(store=str(tmp_path / "store"), corpus=str(corpus_200))
    if how == "script file":
        script = tmp_path / "build_it.py"
        script.write_text(code)
        argv = [sys.executable, str(script)]
    else:
        argv = [sys.executable, "-c", code]
    done = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "built 200 with 2 workers"


def test_a_dead_worker_is_reported_for_what_it_died_of() -> None:
    with pytest.raises(WorkerError, match="killed"):
        list(ordered_map(signal.raise_signal, [signal.SIGKILL], workers=2))
    with pytest.raises(WorkerError, match="exited with code 3"):
        list(ordered_map(os._exit, [3], workers=2))
