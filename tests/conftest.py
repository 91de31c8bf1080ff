"""Shared fixtures. The seed graph is built once per session into a temporary store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from policygraph.pipeline import BuildReport, build
from policygraph.store import Store
from policygraph.vocab import graph_iri
from tests.browser import Chromium
from tests.support import SEEDS, require_system


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """(store folder, build report) of the two seed documents. The folder is closed after
    building, so subprocesses (CLI, serve) can open it too."""
    folder = tmp_path_factory.mktemp("seed-store") / "store"
    with Store(folder) as store:
        report = build([SEEDS], store)
    return folder, report


@pytest.fixture(scope="session")
def seed_store_dir(seed_build: tuple[Path, BuildReport]) -> Path:
    return seed_build[0]


@pytest.fixture()
def seed_store(seed_store_dir: Path) -> Iterator[Store]:
    """The seed graph, opened read-only (several readers may share it)."""
    with Store(seed_store_dir, read_only=True) as store:
        yield store


# ---------------------------------------------------------------- SPARQL helper's fixture


@pytest.fixture()
def linked_store(seed_store: Store) -> Store:
    """The seed graph plus the two graphs the linking helper writes (a link, its country)."""
    store = Store(None)
    store.load_quads(seed_store.export("nquads", None) or b"", "nquads")
    links, enrichment = Graph(), Graph()
    org = URIRef("https://w3id.org/policygraph/id/actor/open-rights-group")
    item = URIRef("http://www.wikidata.org/entity/Q7096323")
    uk = URIRef("http://www.wikidata.org/entity/Q145")
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    links.add((org, URIRef("http://www.w3.org/2002/07/owl#sameAs"), item))
    enrichment.add((item, URIRef("http://www.wikidata.org/prop/direct/P17"), uk))
    enrichment.add((uk, label, Literal("United Kingdom", lang="en")))
    enrichment.add((uk, label, Literal("Vereinigtes Königreich", lang="de")))
    store.replace_graphs(
        {graph_iri("wikidata-links"): links, graph_iri("wikidata-enrichment"): enrichment}
    )
    return store


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    """One headless Chromium per test module, network cut (tests/browser.py)."""
    browser = Chromium(require_system("chromium"))
    try:
        yield browser
    finally:
        browser.close()
