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
from tests.robustness.reliability import make_letters, store_state
from tests.support import ROOT, SEEDS

LETTER = Path(SEEDS) / "004_de020599fd118b6a.txt"
KILLS = 12


def state(store_dir: Path) -> tuple[int, int]:
    """(document graphs, quads) — and the store must open and answer."""
    now = store_state(store_dir)
    assert now is not None, f"{store_dir}: the store does not open or answer"
    return now


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "policygraph", *args]


@pytest.mark.slow
@pytest.mark.parametrize("bulk_min", ["200000", "0"], ids=["transaction", "bulk-load"])
def test_a_killed_build_leaves_the_store_before_or_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bulk_min: str
) -> None:
    # "0": every build goes through the bulk loader and its intent log, as large ones do
    monkeypatch.setenv("POLICYGRAPH_BULK_MIN_TRIPLES", bulk_min)
    corpus = make_letters(tmp_path / "docs", 12)
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
