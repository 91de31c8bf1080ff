"""policygraph's own store lock (issue 19, item 4): deleting RocksDB's `LOCK` while a build
writes no longer lets a second writer in, on either write path (one transaction, or the
bulk loader behind its intent log), and the store opens whole afterwards; 20 runs each."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policygraph.errors import StoreBusyError
from policygraph.store import Store
from policygraph.store.lock import writer_active
from tests.support import ROOT, SEEDS

RUNS = 20
# A writer that holds the store while it writes the seeds' graphs, then waits for a line.
WRITER = """
import sys
from policygraph.pipeline import build
from policygraph.store import Store
import policygraph.store.bulk as bulk
store_dir, bulk_min = sys.argv[1], int(sys.argv[2])
bulk.BULK_MIN_TRIPLES = bulk_min
with Store(store_dir) as store:
    print("open", flush=True)
    sys.stdin.readline()
    report = build([sys.argv[3]], store)
    print(len(report.documents), flush=True)
"""


def _state(store_dir: Path) -> tuple[int, int]:
    with Store(store_dir, read_only=True) as store:
        return len(store.graph_names()), store.count()


@pytest.mark.slow
@pytest.mark.parametrize("bulk_min", [10**9, 1], ids=["transaction", "bulk-loader"])
def test_removing_rocksdb_lock_lets_no_second_writer_in(tmp_path: Path, bulk_min: int) -> None:
    store_dir, docs = tmp_path / "store", tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    letter = next(p for p in sorted(docs.iterdir()) if p.name.startswith("004"))
    with Store(store_dir):
        pass
    refused = 0
    for run in range(RUNS):
        with letter.open("a", encoding="utf-8") as handle:
            handle.write(f"\nP.S. {run}\n")  # every run replaces a graph: the path writes
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(store_dir), str(bulk_min), str(docs)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert writer.stdin is not None and writer.stdout is not None
        try:
            assert writer.stdout.readline().strip() == "open"
            assert writer_active(store_dir)
            (store_dir / "LOCK").unlink(missing_ok=True)
            if run % 4 == 0:
                writer.stdin.write("go\n")  # now and then while it writes, not before
                writer.stdin.flush()
            with pytest.raises(StoreBusyError, match="in use by another policygraph process"):
                Store(store_dir)
            refused += 1
            if run % 4:
                writer.stdin.write("go\n")
                writer.stdin.flush()
            assert writer.stdout.readline().strip() == "2"
        finally:
            writer.stdin.close()
            assert writer.wait(120) == 0
    assert refused == RUNS
    assert not writer_active(store_dir)
    graphs, quads = _state(store_dir)  # opens: not corrupted
    assert graphs == 4 and quads > 0  # ontology, topics, the two seeds: no stale graph
    with Store(store_dir) as store:  # and a writer may open it again
        assert len(store.graph_names()) == graphs
