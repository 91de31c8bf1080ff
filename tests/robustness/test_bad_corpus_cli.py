"""Every bad document of the issue in one folder with the seeds, built by the real CLI.

A user runs `policygraph build` on a folder they did not clean: each bad file gets one
line on stderr naming it and its problem, the good and the odd-but-readable documents all
reach the store, the exit status says something was skipped, and a second build converges.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Literal

from policygraph.loading import iter_documents
from policygraph.models import Document
from policygraph.store import Store
from tests.robustness.corpus import (
    DUPLICATE,
    HOSTILE_MARKERS,
    LOADED,
    SEED_LETTER,
    SIGNATORIES,
    SKIPPED,
    make_bad_corpus,
)
from tests.support import SEEDS

PG = "PREFIX pg: <https://w3id.org/policygraph/ns#> PREFIX schema: <http://schema.org/> "
PROV = "PREFIX prov: <http://www.w3.org/ns/prov#> "


def build(corpus: Path, store: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policygraph", "build", str(corpus), "--store", str(store)],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=600,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, str]:
    root = tmp_path_factory.mktemp("bad-corpus")
    corpus = make_bad_corpus(root / "docs")
    proc = build(corpus, root / "store", root)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2, proc.stderr
    return root, corpus, root / "store", proc.stderr


def sources(store_dir: Path) -> dict[str, set[str]]:
    """Source file name → the named graphs it was built into."""
    with Store(store_dir, read_only=True) as store:
        rows = store.select(
            PG + "SELECT ?g ?p WHERE { GRAPH ?g { ?d pg:sourcePath ?p } }", union=False
        ).rows
    out: dict[str, set[str]] = {}
    for g, p in rows:
        out.setdefault(os.path.basename(str(p)), set()).add(str(g))
    return out


def test_each_bad_file_gets_one_line_naming_it_and_its_problem(
    built: tuple[Path, Path, Path, str],
) -> None:
    _, corpus, _, stderr = built
    lines = [x for x in stderr.splitlines() if x.strip()]
    for name, problem in SKIPPED.items():
        path = str(corpus / name)
        mine = [x for x in lines if f"{path}:" in x]
        assert len(mine) == 1, f"{name}: {mine}"
        assert problem in mine[0], mine[0]
    # nothing else is reported: the good and the odd files are not skipped
    assert len(lines) == len(SKIPPED), lines


def test_the_rest_of_the_corpus_reaches_the_store(built: tuple[Path, Path, Path, str]) -> None:
    _, _, store_dir, _ = built
    found = sources(store_dir)
    # the seed documents (not the folder's own notes, which are no documents)
    seeds = {os.path.basename(d.path) for d in iter_documents([SEEDS]) if isinstance(d, Document)}
    assert len(seeds) >= 2
    expected = {*seeds, *LOADED, DUPLICATE}
    assert set(found) == expected
    assert not set(found) & set(SKIPPED)


def test_odd_encodings_and_pages_are_decoded_not_skipped(
    built: tuple[Path, Path, Path, str],
) -> None:
    _, _, store_dir, _ = built
    with Store(store_dir, read_only=True) as store:
        rows = store.select(
            PG + "SELECT ?p ?text WHERE { ?d pg:sourcePath ?p ; schema:text ?text }"
        ).rows
    texts = {os.path.basename(str(p)): str(t) for p, t in rows}
    for name, snippet in LOADED.items():
        assert snippet in texts[name], name
        assert "\ufffd" not in texts[name] and "\x00" not in texts[name]
    # scripts, iframes and their URLs never become document text
    for marker in HOSTILE_MARKERS:
        assert marker not in texts["scripts.html"]


def test_the_same_document_under_two_names_is_one_document_with_two_sources(
    built: tuple[Path, Path, Path, str],
) -> None:
    _, _, store_dir, _ = built
    found = sources(store_dir)
    assert found[DUPLICATE] == found[SEED_LETTER]
    assert len(found[SEED_LETTER]) == 1
    with Store(store_dir, read_only=True) as store:
        rows = store.select(
            PG + "SELECT ?d ?p WHERE { ?d a pg:SourceDocument ; pg:sourcePath ?p }"
        ).rows
    docs: dict[str, set[str]] = {}
    for d, p in rows:
        docs.setdefault(str(d), set()).add(os.path.basename(str(p)))
    assert {SEED_LETTER, DUPLICATE} in docs.values()


def test_a_letter_with_ten_thousand_signatories_keeps_them_all_in_order(
    built: tuple[Path, Path, Path, str],
) -> None:
    _, _, store_dir, _ = built
    with Store(store_dir, read_only=True) as store:
        rows = store.select(
            PG + PROV + "SELECT ?p ?pos ?as WHERE { ?d pg:sourcePath ?p . ?l pg:reproducedIn ?d ; "
            "prov:qualifiedAttribution ?s . ?s pg:listPosition ?pos ; pg:asWritten ?as }",
            {"p": Literal(f"{built[1].name}/signatories.md")},
        ).rows
    ordered = [str(a) for _, _, a in sorted(rows, key=lambda r: int(str(r[1])))]
    assert len(ordered) == SIGNATORIES
    assert (
        ordered[0] == "Organisation 00000" and ordered[-1] == f"Organisation {SIGNATORIES - 1:05d}"
    )


def test_a_python_tag_in_front_matter_runs_nothing(built: tuple[Path, Path, Path, str]) -> None:
    root, corpus, _, _ = built
    assert not (root / "pwned").exists() and not (corpus / "pwned").exists()


def test_a_second_build_converges_and_still_reports_the_bad_files(
    built: tuple[Path, Path, Path, str],
) -> None:
    root, corpus, store_dir, first = built
    before = sources(store_dir)
    with Store(store_dir, read_only=True) as store:
        quads = store.count()
    again = build(corpus, store_dir, root)
    assert again.returncode == 2 and "Traceback" not in again.stderr
    assert sorted(again.stderr.splitlines()) == sorted(first.splitlines())
    assert "0 written" in again.stdout
    assert sources(store_dir) == before
    with Store(store_dir, read_only=True) as store:
        assert store.count() == quads
