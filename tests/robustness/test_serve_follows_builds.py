"""A running `serve` answers from the newest build (issue 19, item 7): its query workers
follow the store folder (storeview.py), so a document built while it serves is found by the
next queries, with no restart."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

from tests.robustness.reliability import cli, served
from tests.support import ROOT, SEEDS

GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?d a ?type } }"


def _graphs(base: str) -> int:
    body = urllib.parse.urlencode({"query": GRAPHS}).encode()
    request = urllib.request.Request(
        f"{base}/sparql", data=body, headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        data = json.load(response)
    return int(data["results"]["bindings"][0]["n"]["value"])


def _build(corpus: Path, store: Path) -> None:
    subprocess.run(
        cli("build", str(corpus), "--store", str(store), "--quiet"),
        check=True,
        capture_output=True,
        cwd=ROOT,
    )


def test_a_build_while_serving_is_seen_by_the_next_queries(tmp_path: Path) -> None:
    corpus, store = tmp_path / "docs", tmp_path / "store"
    corpus.mkdir()
    seeds = sorted(p for p in Path(SEEDS).iterdir() if p.suffix == ".txt")
    shutil.copy(seeds[0], corpus / seeds[0].name)
    _build(corpus, store)
    with served(store) as (_, base):
        before = _graphs(base)
        shutil.copy(seeds[1], corpus / seeds[1].name)
        _build(corpus, store)
        after = before
        for _ in range(60):  # bounded: the workers look again before each query
            after = _graphs(base)
            if after > before:
                break
            time.sleep(0.5)
        assert after > before
        assert [_graphs(base) for _ in range(4)] == [after] * 4  # every worker sees it
