"""Decisions re-applied on every build: a corrected polarity, a rejected junk actor, an added
stance and a merge of two duplicates hold after a rebuild and after the document's text
changed under them; a decision whose span is gone is reported and kept; the library's
queries and views show what the reviewer decided."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policygraph.pipeline import build
from policygraph.review.apply import REVIEW_GRAPH
from policygraph.review.file import add_decisions, load_decisions
from policygraph.review.locate import find_document, key_for_text
from policygraph.review.model import Decision, FactKey, Kind, Status, now
from policygraph.sparql.querying import run_query
from policygraph.sparql.results import SelectResult
from policygraph.store import Store
from policygraph.store import graphs as graphops
from policygraph.vocab import PG, PROV
from tests.support import ROOT

SOURCE = Path(ROOT) / "tests" / "data" / "review" / "statement.md"
CORRECTED = "Access Now also opposes encryption backdoors."
JUNK = "Ministry of Silly Walks Newsletter"
MISSED = "EFF Inc said the bill would weaken end-to-end encryption."


def _key(store: Store, fragment: str, source: Path) -> FactKey:
    return key_for_text(store, find_document(store, f"corpus/{source.name}"), fragment)


def _four(store: Store, source: Path) -> list[Decision]:
    t = now()
    return [
        Decision(Kind.STANCE, Status.CORRECTED, "alice", t, _key(store, CORRECTED, source),
                 changes=(("position", "support"),)),
        Decision(Kind.ACTOR, Status.REJECTED, "alice", t, _key(store, JUNK, source)),
        Decision(Kind.STANCE, Status.ADDED, "alice", t, _key(store, MISSED, source),
                 changes=(("holder", "Electronic Frontier Foundation"), ("topic", "e2ee"),
                          ("position", "support"))),
        Decision(Kind.MERGE, Status.CORRECTED, "alice", t,
                 actors=("Electronic Frontier Foundation", "EFF")),
    ]  # fmt: skip


def _rows(result: object) -> list[dict[str, str]]:
    assert isinstance(result, SelectResult)
    return [{k: str(v) for k, v in row.items()} for row in result.dicts()]


def _stances(store: Store, actor: str) -> set[tuple[str, str]]:
    rows = _rows(run_query("actor-stances", {"actor_name": actor}, store=store))
    return {(r["topic"], r["position"].rsplit("#", 1)[-1]) for r in rows}


def _holders(store: Store) -> set[str]:
    return {r["name"] for r in _rows(run_query("actors-by-stance", store=store))}


def _assert_the_four_hold(store: Store) -> None:
    assert ("backdoors", "Support") in _stances(store, "Access Now")
    assert ("backdoors", "Oppose") not in _stances(store, "Access Now")
    assert JUNK not in _holders(store)
    eff = _stances(store, "Electronic Frontier Foundation")
    assert {("e2ee", "Support"), ("backdoors", "Oppose")} <= eff
    # the duplicate is gone from the default queries; its mention now names the kept actor
    assert "EFF" not in _holders(store)
    (row,) = store.select(
        "PREFIX pg: <https://w3id.org/policygraph/ns#> PREFIX skos: "
        "<http://www.w3.org/2004/02/skos/core#> SELECT ?label WHERE { ?m pg:asWritten "
        "'EFF Inc' ; pg:actor ?a . ?a skos:prefLabel ?label "
        "FILTER NOT EXISTS { ?a pg:reviewStatus pg:rejected } }"
    ).rows
    assert str(row[0]) == "Electronic Frontier Foundation"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SOURCE, folder / "statement.md")
    return folder


def test_the_four_decisions_hold_over_rebuilds_and_a_changed_text(
    corpus: Path, tmp_path: Path
) -> None:
    decisions = tmp_path / "review.yaml"
    source = corpus / "statement.md"
    with Store(tmp_path / "store") as store:
        build([corpus], store, decisions=decisions)  # no file yet: no review graph
        assert not store.has_graph(REVIEW_GRAPH)
        assert ("backdoors", "Oppose") in _stances(store, "Access Now")
        assert JUNK in _holders(store)
        add_decisions(decisions, _four(store, source))
        report = build([corpus], store, decisions=decisions)
        assert report.review is not None
        assert (report.review.applied, report.review.unapplied) == (4, ())
        _assert_the_four_hold(store)
        assert graphops.validate_store(store) == []

        # The document is edited: every span moves; the decisions find their text again.
        source.write_text(
            source.read_text(encoding="utf-8").replace(
                "# Groups respond", "An editor's note added later.\n\n# Groups respond"
            ),
            encoding="utf-8",
        )
        report = build([corpus], store, decisions=decisions)
        assert report.review is not None
        assert report.review.applied == 4
        assert len(report.review.moved) == 3  # the merge names actors, not a span
        _assert_the_four_hold(store)


def test_rejected_facts_stay_in_the_store_with_their_status(corpus: Path, tmp_path: Path) -> None:
    decisions = tmp_path / "review.yaml"
    with Store(tmp_path / "store") as store:
        build([corpus], store)
        add_decisions(decisions, _four(store, corpus / "statement.md"))
        build([corpus], store, decisions=decisions)
        rejected = store.select(
            "PREFIX pg: <https://w3id.org/policygraph/ns#> PREFIX skos: "
            "<http://www.w3.org/2004/02/skos/core#> SELECT ?label WHERE { "
            "?a pg:reviewStatus pg:rejected ; a pg:Actor ; skos:prefLabel ?label }"
        ).rows
        assert {str(r[0]) for r in rejected} == {JUNK, "EFF"}
        # the added stance: rule review.added, attributed to its reviewer, with PROV
        (row,) = store.select(
            "PREFIX pg: <https://w3id.org/policygraph/ns#> PREFIX prov: "
            "<http://www.w3.org/ns/prov#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>"
            " SELECT ?who ?when WHERE { ?s pg:reviewStatus pg:added ; a pg:Stance ; "
            "pg:rule/skos:notation 'review.added' ; prov:wasAttributedTo ?who ; "
            "pg:reviewDecision ?d . ?d prov:generatedAtTime ?when ; "
            "prov:wasAttributedTo ?who }"
        ).rows
        assert str(row[0]).endswith("/reviewer/alice")
        # the decisions are in their own named graph
        decided = set(store.graph(REVIEW_GRAPH).subjects(PROV.wasAttributedTo, None))
        assert len([d for d in decided if "/decision/" in str(d)]) == 4


def test_a_decision_whose_span_is_gone_is_reported_and_kept(corpus: Path, tmp_path: Path) -> None:
    decisions = tmp_path / "review.yaml"
    source = corpus / "statement.md"
    with Store(tmp_path / "store") as store:
        build([corpus], store)
        add_decisions(decisions, _four(store, source))
        source.write_text(
            source.read_text(encoding="utf-8").replace(CORRECTED, "Access Now said nothing."),
            encoding="utf-8",
        )
        report = build([corpus], store, decisions=decisions)
        assert report.review is not None
        assert report.review.applied == 3
        (why,) = report.review.unapplied
        assert "no longer holds 'Access Now also opposes" in why
        assert len(load_decisions(decisions)) == 4  # never dropped
        unapplied = list(store.graph(REVIEW_GRAPH).objects(None, PG.unapplied))
        assert len(unapplied) == 1


def test_a_decision_for_a_fact_no_rule_reads_any_more_is_reported(
    corpus: Path, tmp_path: Path
) -> None:
    decisions = tmp_path / "review.yaml"
    with Store(tmp_path / "store") as store:
        build([corpus], store)
        key = _key(store, "Groups respond", corpus / "statement.md")
        add_decisions(decisions, [Decision(Kind.QUOTE, Status.ACCEPTED, "bo", now(), key)])
        report = build([corpus], store, decisions=decisions)
        assert report.review is not None
        (why,) = report.review.unapplied
        assert "no quote is read from 'Groups respond'" in why
        # withdrawn decisions leave nothing behind
        decisions.write_text("format: policygraph-review/1\ndecisions: []\n", encoding="utf-8")
        build([corpus], store, decisions=decisions)
        assert not store.has_graph(REVIEW_GRAPH)
        assert not store.ask("ASK { ?x <https://w3id.org/policygraph/ns#reviewStatus> ?s }")


def test_the_stances_view_shows_the_decisions(corpus: Path, tmp_path: Path) -> None:
    from policygraph.viz.views import view_graph

    decisions = tmp_path / "review.yaml"
    with Store(tmp_path / "store") as store:
        build([corpus], store)
        add_decisions(decisions, _four(store, corpus / "statement.md"))
        build([corpus], store, decisions=decisions)
        g = view_graph(store, "stances")
        labels = {str(data.get("label")): node for node, data in g.nodes(data=True)}
        assert JUNK not in labels
        assert "EFF" not in labels
        access = labels["Access Now"]
        assert {k for _, _, k in g.out_edges(access, keys=True)} == {"support"}
        eff = labels["Electronic Frontier Foundation"]
        assert "support" in {k for _, _, k in g.out_edges(eff, keys=True)}


def test_a_split_moves_one_written_name_off_an_actor(corpus: Path, tmp_path: Path) -> None:
    decisions = tmp_path / "review.yaml"
    with Store(tmp_path / "store") as store:
        build([corpus], store)
        # "EFF Inc" was read as the actor EFF: the reviewer says it is an actor of its own
        split = Decision(Kind.SPLIT, Status.CORRECTED, "alice", now(), actors=("EFF",),
                         changes=(("name", "EFF Inc"),))  # fmt: skip
        add_decisions(decisions, [split])
        report = build([corpus], store, decisions=decisions)
        assert report.review is not None and report.review.applied == 1
        rows = store.select(
            "PREFIX pg: <https://w3id.org/policygraph/ns#> PREFIX skos: "
            "<http://www.w3.org/2004/02/skos/core#> SELECT ?label WHERE { ?m a pg:Mention ; "
            "pg:asWritten 'EFF Inc' ; pg:actor ?a . ?a skos:prefLabel ?label "
            "FILTER NOT EXISTS { ?m pg:reviewStatus pg:rejected } }"
        ).rows
        assert [str(r[0]) for r in rows] == ["EFF Inc"]
        bad = Decision(Kind.SPLIT, Status.CORRECTED, "alice", now(), actors=("EFF",),
                       changes=(("name", "Never Written"),))  # fmt: skip
        add_decisions(decisions, [bad])
        report = build([corpus], store, decisions=decisions)
        assert report.review is not None
        assert report.review.applied == 1  # the first split still holds
        (why,) = report.review.unapplied
        assert "has no mention or signature written 'Never Written'" in why
