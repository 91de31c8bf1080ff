"""Exports that travel (issue 14): no path of the build machine in any export or view, source
paths that a rebuild from anywhere finds again, a JSON-LD export with an @context, Turtle
with prefixes whose local names need no escapes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Literal
from rdflib.compare import isomorphic

from policygraph import resources
from policygraph.linking import link_wikidata
from policygraph.pipeline import build
from policygraph.store import Store
from policygraph.viz import write_all_views
from policygraph.vocab import PG
from tests.support import ROOT, SEEDS

NEWS, LETTER = "000_7564b24336da61a9.txt", "004_de020599fd118b6a.txt"
REVIEW = "wikidata_review.yaml"
SOURCES = (
    "PREFIX pg: <https://w3id.org/policygraph/ns#> "
    "SELECT ?g ?p WHERE { GRAPH ?g { ?d pg:sourcePath ?p } }"
)


def _sources(store: Store) -> dict[str, str]:
    """pg:sourcePath → the graph that records it."""
    return {str(p): str(g) for g, p in store.select(SOURCES, union=False).rows}


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "machine-specific" / "docs"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the build's absolute working folder, the closed store built from it)."""
    root = tmp_path_factory.mktemp("machine-specific")
    shutil.copytree(SEEDS, root / "docs")
    with Store(root / "store") as store:
        assert build([root / "docs"], store).ok
        # the links and the notes on them that the bundled review file supplies
        assert link_wikidata(store, offline=True, review=resources.data(REVIEW)).links
    return root, root / "store"


def test_source_paths_are_relative_to_the_corpus_folder(built: tuple[Path, Path]) -> None:
    _, folder = built
    with Store(folder, read_only=True) as store:
        assert set(_sources(store)) == {f"docs/{NEWS}", f"docs/{LETTER}"}


def test_no_path_of_the_build_machine_in_any_export_or_view(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    root, folder = built
    written: list[Path] = []
    with Store(folder, read_only=True) as store:
        for fmt in ("trig", "nquads", "turtle", "ntriples", "jsonld"):
            store.export(fmt, tmp_path / f"graph.{fmt}")
            written.append(tmp_path / f"graph.{fmt}")
        written += write_all_views(store, tmp_path, formats=("html", "graphml", "gexf", "csv"))
    suffixes = {".trig", ".nquads", ".turtle", ".ntriples", ".jsonld", ".html", ".graphml"}
    assert {p.suffix for p in written} == suffixes | {".gexf", ".csv"}
    machine = [str(root), "machine-specific", ROOT]
    if os.path.dirname(ROOT) != os.sep:  # the shared material beside the checkout
        machine.append(os.path.dirname(ROOT) + os.sep)
    for path in written:
        text = path.read_text(encoding="utf-8")
        for where in machine:
            assert where not in text, (path.name, where)
    # …while the views still say which document an edge comes from.
    assert f"docs/{LETTER}" in (tmp_path / "signatures.graphml").read_text(encoding="utf-8")


def test_the_same_folder_named_another_way_finds_the_same_documents(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(tmp_path / "store") as store:
        build([corpus], store)  # absolute
        before = _sources(store)
        monkeypatch.chdir(corpus.parent)
        again = build(["docs"], store)  # relative, from elsewhere
        one = build([f"docs/{LETTER}"], store)  # one file of the folder
        assert {d.status for d in again.documents} == {"unchanged"}
        assert [d.status for d in one.documents] == ["unchanged"]
        assert _sources(store) == before


def test_a_changed_file_still_replaces_its_graph(corpus: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "store") as store:
        build([corpus], store)
        before = _sources(store)
        letter = corpus / LETTER
        letter.write_text(letter.read_text(encoding="utf-8") + "\nP.S.\n", encoding="utf-8")
        report = build([corpus], store)
        statuses = {Path(d.path).name: d.status for d in report.documents}
        assert statuses == {LETTER: "replaced", NEWS: "unchanged"}
        after = _sources(store)
        assert after[f"docs/{LETTER}"] != before[f"docs/{LETTER}"]
        assert before[f"docs/{LETTER}"] not in after.values()  # the old graph went


def test_a_renamed_file_is_recorded_under_its_new_name(corpus: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "store") as store:
        build([corpus], store)
        before, quads = _sources(store), store.count()
        (corpus / LETTER).rename(corpus / "letter.txt")
        report = build([corpus], store)
        statuses = {Path(d.path).name: d.status for d in report.documents}
        assert statuses == {"letter.txt": "renamed", NEWS: "unchanged"}
        after = _sources(store)
        assert after == {
            f"docs/{NEWS}": before[f"docs/{NEWS}"],
            "docs/letter.txt": before[f"docs/{LETTER}"],  # the same graph, renamed
        }
        assert store.count() == quads
        assert {d.status for d in build([corpus], store).documents} == {"unchanged"}


def test_a_store_that_recorded_machine_paths_is_brought_up_to_date(
    corpus: Path, tmp_path: Path
) -> None:
    """Stores built before this change hold absolute paths: the next build replaces them."""
    with Store(tmp_path / "store") as store:
        build([corpus], store)
        for source, name in _sources(store).items():
            graph = store.graph(name)  # type: ignore[arg-type]
            graph.remove((None, PG.sourcePath, None))
            doc = next(graph.subjects(PG.contentHash, None))
            graph.add((doc, PG.sourcePath, Literal(str(corpus.parent / source))))
            store.replace_graphs({name: graph})  # type: ignore[dict-item]
        assert str(corpus) in (store.export("nquads", None) or b"").decode()
        report = build([corpus], store)
        assert {d.status for d in report.documents} == {"renamed"}
        assert set(_sources(store)) == {f"docs/{NEWS}", f"docs/{LETTER}"}
        assert str(corpus) not in (store.export("nquads", None) or b"").decode()


def test_jsonld_export_has_a_context_and_expands_to_the_same_graphs(
    built: tuple[Path, Path],
) -> None:
    with Store(built[1], read_only=True) as store:
        jsonld = store.export("jsonld", None) or b""
        nquads = store.export("nquads", None) or b""
    document = json.loads(jsonld)
    context = document["@context"]
    assert context["actor"] == "https://w3id.org/policygraph/id/actor/"
    assert context["pg"] == "https://w3id.org/policygraph/ns#"
    # Compact: outside the context, no IRI of a bound namespace is written in full.
    body = json.dumps(document["@graph"])
    assert '"actor:access-now"' in body
    for ns in context.values():
        assert f'"{ns}' not in body, ns
    # A JSON-LD processor (rdflib's) expands it back to exactly the store's graphs.
    expanded, reference = Dataset(), Dataset()
    expanded.parse(data=jsonld, format="json-ld")
    reference.parse(data=nquads, format="nquads")
    got = {str(g.identifier): g for g in expanded.graphs() if len(g)}
    want = {str(g.identifier): g for g in reference.graphs() if len(g)}
    assert sorted(got) == sorted(want)
    assert all(isomorphic(got[name], want[name]) for name in want)


@pytest.mark.parametrize("fmt", ["turtle", "trig"])
def test_turtle_and_trig_use_prefixes_that_need_no_escapes(
    built: tuple[Path, Path], fmt: str
) -> None:
    with Store(built[1], read_only=True) as store:
        text = (store.export(fmt, None) or b"").decode()
    assert "@prefix actor: <https://w3id.org/policygraph/id/actor/> ." in text
    assert "actor:access-now" in text
    assert "\\/" not in text  # no `id:actor\/access-now`
    # Read back, it is the same data as the line-based export of the same graphs.
    line_based = "nquads" if fmt == "trig" else "ntriples"
    with Store(built[1], read_only=True) as store:
        reference = store.export(line_based, None) or b""
    reread, expected = Dataset(), Dataset()
    reread.parse(data=text, format=fmt)
    expected.parse(data=reference, format=line_based)
    assert len(list(reread.quads())) == len(list(expected.quads())) > 1000
