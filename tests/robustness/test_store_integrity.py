"""Interrupted and concurrent builds never corrupt the store (real subprocesses)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policygraph.store import Store
from tests.support import ROOT, SEEDS

LETTER = Path(SEEDS) / "004_de020599fd118b6a.txt"
KILLS = 12


def make_corpus(folder: Path, n: int) -> Path:
    """n distinct letters (the seed letter with one signatory dropped each) plus the article."""
    folder.mkdir(parents=True)
    text = LETTER.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    signers = [i for i, line in enumerate(lines) if i > lines.index("_Sincerely,_\n") + 1]
    for k in range(n):
        drop = signers[k % len(signers)]
        body = "".join(line for i, line in enumerate(lines) if i != drop)
        (folder / f"letter-{k:03d}.md").write_text(
            body.replace("2019-10-04T", f"2019-10-{k % 28 + 1:02d}T"), encoding="utf-8"
        )
    return folder


def state(store_dir: Path) -> tuple[int, int]:
    """(document graphs, quads) — and the store must open and answer."""
    with Store(store_dir, read_only=True) as store:
        docs = store.select(
            "PREFIX pg: <https://w3id.org/policygraph/ns#> "
            "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?d a pg:SourceDocument } }",
            union=False,
        ).rows[0][0]
        return int(docs), store.count()  # type: ignore[arg-type]


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "policygraph", *args]


@pytest.mark.slow
def test_a_killed_build_leaves_the_store_before_or_after(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "docs", 12)
    # What "fully updated" looks like: the seeds, then the corpus, built without a kill.
    reference = tmp_path / "reference"
    start = time.monotonic()
    for source in (SEEDS, str(corpus)):
        subprocess.run(
            cli("build", source, "--store", str(reference), "--quiet"),
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
    duration = time.monotonic() - start
    after = state(reference)

    store_dir = tmp_path / "store"
    subprocess.run(
        cli("build", SEEDS, "--store", str(store_dir), "--quiet"),
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    before = state(store_dir)
    assert before != after

    rng = random.Random(7)
    for _ in range(KILLS):
        proc = subprocess.Popen(
            cli("build", str(corpus), "--store", str(store_dir), "--quiet"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
        )
        time.sleep(rng.uniform(0.05, duration))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        # Nothing of the killed build landed, or all of it did — never a part.
        assert state(store_dir) in (before, after)

    # The next build converges to the same graph.
    subprocess.run(
        cli("build", str(corpus), "--store", str(store_dir), "--quiet"),
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    assert state(store_dir) == after


def test_a_second_writer_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    with Store(store_dir):
        proc = subprocess.run(
            cli("build", str(SEEDS), "--store", str(store_dir)),
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
    assert proc.returncode == 3
    assert "in use by another policygraph process" in proc.stderr
    assert "Traceback" not in proc.stderr
    # …and the store is intact afterwards: a build now succeeds.
    ok = subprocess.run(
        cli("build", str(SEEDS), "--store", str(store_dir), "--quiet"),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert state(store_dir)[0] == 2
