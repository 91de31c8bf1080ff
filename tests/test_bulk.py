"""Large builds: bulk loads behind an intent log, worker processes, and what a crash leaves."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from policygraph import pipeline
from policygraph.errors import StoreBusyError, StoreError
from policygraph.pipeline import build
from policygraph.store import Store, bulk
from tests.support import ROOT, SEEDS

SAMPLES = str(Path(ROOT) / "tests" / "data" / "samples")

G1, G2 = "https://example.org/g/1", "https://example.org/g/2"


def quads(store: Store) -> set[str]:
    """Every quad, the merged default graph included, as N-Quads lines."""
    data = ox.serialize(
        store.oxigraph.quads_for_pattern(None, None, None, None), format=ox.RdfFormat.N_QUADS
    )
    return set((data or b"").decode().splitlines())


def spill(folder: Path, graphs: dict[str, list[str]]) -> list[bulk.SpillFile]:
    """Spill files as the pipeline writes them, for graphs of literal-valued triples."""
    lines = {
        g: [f'<https://example.org/s> <https://example.org/p> "{v}"' for v in vs]
        for g, vs in graphs.items()
    }
    nq, nt = folder / "0.nq", folder / "0.nt"
    nq.write_text("".join(f"{t} <{g}> .\n" for g, ts in lines.items() for t in ts))
    nt.write_text("".join(f"{t} .\n" for ts in lines.values() for t in ts))
    return [bulk.SpillFile(nq, nt, tuple((g, len(ts)) for g, ts in lines.items()))]


@pytest.mark.parametrize("bulk_min", [10**9, 0], ids=["transaction", "bulk"])
def test_both_write_paths_give_the_same_store(tmp_path: Path, bulk_min: int) -> None:
    with Store(tmp_path / "s") as store:
        store.add_graphs(spill(tmp_path, {G1: ["a", "shared"], G2: ["shared"]}), bulk_min=bulk_min)
        assert store.count() == 3
        names = {str(g) for g in store.graph_names()}
        assert names == {G1, G2}
        merged = {str(r[0]) for r in store.select("SELECT ?o WHERE { ?s ?p ?o }").rows}
        assert merged == {"a", "shared"}
        assert not (tmp_path / "s" / bulk.INTENT_FILE).exists()
        # dropping one graph keeps the triple the other still holds
        store.add_graphs([], remove=[URIRef(G1)], bulk_min=bulk_min)
        merged = {str(r[0]) for r in store.select("SELECT ?o WHERE { ?s ?p ?o }").rows}
        assert merged == {"shared"}


def test_adding_a_graph_that_exists_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "s") as store:
        store.add_graphs(spill(tmp_path, {G1: ["a"]}))
        before = quads(store)
        with pytest.raises(StoreError, match="already in the store"):
            store.add_graphs(spill(tmp_path, {G2: ["b"], G1: ["c"]}), bulk_min=0)
        assert quads(store) == before


def crash(
    tmp_path: Path, *, complete: bool, merged: bool, later_load: bool = False
) -> tuple[set[str], set[str]]:
    """A bulk build that died: the intent log written, the named graph loaded in full or in
    part, its merge copy loaded or not, and (`later_load`) a second load planned but never
    begun. Returns (store before, store after a clean build)."""
    folder = tmp_path / "s"
    with Store(folder) as store:
        store.add_graphs(spill(tmp_path, {G1: ["old", "shared"]}))
        before = quads(store)
    reference = tmp_path / "ref"
    with Store(reference) as ref:
        ref.add_graphs(spill(tmp_path, {G1: ["old", "shared"]}))
        new = spill(tmp_path, {G2: ["new", "shared", "more"]})
        ref.add_graphs(new, remove=[URIRef(G1)], bulk_min=0)
        after = quads(ref)
    raw = ox.Store(str(folder))
    log = folder / bulk.INTENT_FILE
    planned = {G2: 3, "https://example.org/g/3": 1} if later_load else {G2: 3}
    entries = [{"remove": [G1], "graphs": planned}, {"batch": 0, "names": [G2]}]
    values = ["new", "shared", "more"] if complete else ["new"]
    s, p = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p")
    graphs: list[ox.NamedNode | ox.DefaultGraph] = [ox.NamedNode(G2)]
    if merged:
        graphs.append(ox.DefaultGraph())
        entries.append({"merged": 0})
    for graph in graphs:
        for v in values:
            raw.add(ox.Quad(s, p, ox.Literal(v), graph))
    log.write_text("".join(json.dumps(e) + "\n" for e in entries) + '{"batch": 1, "gra')
    raw.flush()
    del raw
    return before, after


@pytest.mark.parametrize(
    ("complete", "merged", "later_load"),
    [
        (False, False, False),  # the graph half loaded
        (False, True, False),  # ...its merge copy too
        (True, True, True),  # the first load whole, merge copy and all; the second never began
    ],
)
def test_a_crash_before_every_graph_is_whole_is_undone(
    tmp_path: Path, complete: bool, merged: bool, later_load: bool
) -> None:
    before, _ = crash(tmp_path, complete=complete, merged=merged, later_load=later_load)
    with Store(tmp_path / "s") as store:
        assert store.recovered and "undid" in store.recovered
        assert quads(store) == before
    assert not (tmp_path / "s" / bulk.INTENT_FILE).exists()


@pytest.mark.parametrize("merged", [False, True])
def test_a_crash_after_every_graph_is_whole_is_finished(tmp_path: Path, merged: bool) -> None:
    _, after = crash(tmp_path, complete=True, merged=merged)
    with Store(tmp_path / "s") as store:
        assert store.recovered and "finished" in store.recovered
        assert quads(store) == after


def test_a_reader_never_sees_a_half_loaded_build(tmp_path: Path) -> None:
    before, _ = crash(tmp_path, complete=False, merged=True)
    # no writer holds the store: opening it to read repairs it first
    with Store(tmp_path / "s", read_only=True) as store:
        assert quads(store) == before
    # a writer holds it (a build is loading): readers are told to wait
    again, _ = crash(tmp_path / "again", complete=False, merged=True)
    with Store(tmp_path / "again" / "s") as writer:
        (tmp_path / "again" / "s" / bulk.INTENT_FILE).write_text('{"remove": []}\n')
        with pytest.raises(StoreBusyError, match="a build is loading documents"):
            Store(tmp_path / "again" / "s", read_only=True)
        assert quads(writer) == again  # the writer, repaired on opening, is left as it was


def test_worker_processes_build_the_same_graph_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_DOCUMENTS", 0)
    monkeypatch.setattr(pipeline, "CHUNK", 2)  # several tasks per worker
    reports = {}
    stores = {}
    for workers in (1, 2):
        with Store(tmp_path / f"w{workers}") as store:
            reports[workers] = build([SEEDS, SAMPLES], store, workers=workers)
            stores[workers] = quads(store)
    assert reports[2].workers == 2 and reports[1].workers == 1
    assert reports[2].ok and reports[1].ok
    assert [d.path for d in reports[2].documents] == [d.path for d in reports[1].documents]
    assert stores[1] == stores[2]
    assert len(reports[2].documents) >= 7


def test_a_large_build_through_the_bulk_path_equals_one_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stores = {}
    for limit in (10**9, 0):
        monkeypatch.setattr(bulk, "BULK_MIN_TRIPLES", limit)
        monkeypatch.setattr(bulk, "BULK_LOAD_TRIPLES", 500)  # several loads
        with Store(tmp_path / f"s{limit}") as store:
            build([SEEDS, SAMPLES], store)
            stores[limit] = quads(store)
    assert stores[0] == stores[10**9]


def _die(code: int) -> int:
    import os

    os._exit(code)


def test_a_worker_that_dies_is_reported_in_plain_words() -> None:
    from policygraph.errors import WorkerError
    from policygraph.workers import ordered_map

    with pytest.raises(WorkerError, match="a worker process exited with code 3"):
        list(ordered_map(_die, [3, 3], workers=2))
