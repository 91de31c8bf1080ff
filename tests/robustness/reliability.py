"""The two measured reliability experiments, shared by the tests and the README report.

- `load(...)`: concurrent clients run the query library against a real `policygraph serve`
  on 127.0.0.1 and compare every answer with the embedded store's; the server's resident
  memory is read before and after.
- `kill_builds(...)`: `policygraph build` is SIGKILLed at random moments; after each kill
  the store must open and hold exactly the state before the build or after it, and a last
  build must converge.

Both return plain figures; nothing here asserts about time.
"""

from __future__ import annotations

import os
import random
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rdflib.term import Node

from policygraph.sparql.querying import QueryInfo, example_params, load_library, run_query
from policygraph.sparql.remote import Endpoint
from policygraph.store import SelectResult, Store
from tests.support import ROOT, SEEDS, stop_process_group

Answer = tuple[QueryInfo, dict[str, Node], SelectResult]


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "policygraph", *args]


# ---------------------------------------------------------------------- load


@dataclass(frozen=True)
class LoadFigures:
    clients: int
    requests: int
    errors: int
    mismatches: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    rss_before_kb: int
    rss_after_kb: int
    first_error: str = ""

    @property
    def rss_growth_kb(self) -> int:
        return self.rss_after_kb - self.rss_before_kb


def rss_kb(pid: int) -> int:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


@contextmanager
def served(store_dir: Path, *extra: str) -> Iterator[tuple[int, str]]:
    """(pid, base URL) of `policygraph serve` on 127.0.0.1 and a free port."""
    proc = subprocess.Popen(
        cli("serve", "--store", str(store_dir), "--port", "0", *extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        line = proc.stdout.readline() if ready else ""
        match = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
        if not match:
            raise RuntimeError(f"serve did not announce its address: {line!r}")
        yield proc.pid, match[1]
    finally:
        stop_process_group(proc)


def expected_answers(store_dir: Path) -> list[Answer]:
    """Every library query with its example parameters, answered by the embedded store."""
    with Store(store_dir, read_only=True) as store:
        out: list[Answer] = []
        for info in load_library():
            params = example_params(info)
            out.append((info, params, run_query(info, params, store=store)))
        return out


def load(
    base: str, pid: int, answers: list[Answer], *, clients: int, requests_per_client: int
) -> LoadFigures:
    """`clients` threads, each sending `requests_per_client` library queries (cycling
    through the library from a different starting point) through remote.select."""
    endpoint = Endpoint(f"{base}/sparql", timeout=60.0)
    for info, params, _ in answers:  # warm-up: caches and pools filled before measuring
        run_query(info, params, endpoint=endpoint)
    before = rss_kb(pid)
    latencies: list[float] = []
    errors: list[str] = []
    mismatches: list[str] = []
    lock = threading.Lock()

    def client(k: int) -> None:
        for i in range(requests_per_client):
            info, params, expected = answers[(k * 7 + i) % len(answers)]
            t = time.perf_counter()
            try:
                got = run_query(info, params, endpoint=endpoint)
            except Exception as exc:  # every failure is counted, not raised
                with lock:
                    errors.append(f"{info.name}: {exc}")
                continue
            elapsed = time.perf_counter() - t
            with lock:
                latencies.append(elapsed)
                if got.variables != expected.variables or got.rows != expected.rows:
                    mismatches.append(info.name)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    after = rss_kb(pid)
    ms = sorted(x * 1000 for x in latencies) or [0.0]
    q = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
    return LoadFigures(
        clients=clients,
        requests=clients * requests_per_client,
        errors=len(errors),
        mismatches=len(mismatches),
        seconds=seconds,
        p50_ms=q[49],
        p95_ms=q[94],
        p99_ms=q[98],
        max_ms=ms[-1],
        rss_before_kb=before,
        rss_after_kb=after,
        first_error=(errors or mismatches or [""])[0],
    )


# ---------------------------------------------------------------------- kill


@dataclass(frozen=True)
class KillFigures:
    documents: int  # letters the killed build writes over the seed store
    kills: int
    before_states: int  # kills after which the store held the state before the build
    after_states: int  # ... or the fully updated state
    corruptions: int  # neither (or the store would not open)
    converged: bool


def make_letters(folder: Path, n: int) -> Path:
    """n distinct letters: the seed letter with one signatory dropped each, dated apart."""
    letter = Path(SEEDS) / "004_de020599fd118b6a.txt"
    folder.mkdir(parents=True)
    lines = letter.read_text(encoding="utf-8").splitlines(keepends=True)
    signers = [i for i, line in enumerate(lines) if i > lines.index("_Sincerely,_\n") + 1]
    for k in range(n):
        drop = signers[k % len(signers)]
        body = "".join(line for i, line in enumerate(lines) if i != drop)
        (folder / f"letter-{k:03d}.md").write_text(
            body.replace("2019-10-04T", f"2019-10-{k % 28 + 1:02d}T"), encoding="utf-8"
        )
    return folder


def store_state(store_dir: Path) -> tuple[int, int] | None:
    """(document graphs, quads), or None when the store does not open or answer."""
    try:
        with Store(store_dir, read_only=True) as store:
            docs = store.select(
                "PREFIX pg: <https://w3id.org/policygraph/ns#> SELECT (COUNT(DISTINCT ?g) AS ?n)"
                " WHERE { GRAPH ?g { ?d a pg:SourceDocument } }",
                union=False,
            ).rows[0][0]
            return int(str(docs)), store.count()
    except Exception:  # a store that cannot be read is exactly what is being counted
        return None


def _build(source: Path | str, store_dir: Path) -> None:
    subprocess.run(
        cli("build", str(source), "--store", str(store_dir), "--quiet"),
        check=True,
        capture_output=True,
        cwd=ROOT,
    )


def kill_builds(workdir: Path, *, documents: int, kills: int, seed: int = 7) -> KillFigures:
    """SIGKILL `build` of `documents` letters over the seed store `kills` times: every other
    kill at a moment drawn over the length of an uninterrupted build, the others over its
    last part, where the graphs are written (the rest is reading and extracting). A kill
    that came too late (the store is fully updated) is counted, then the store is put back
    to its state before the build so that every kill interrupts a build."""
    corpus = make_letters(workdir / "docs", documents)
    reference = workdir / "reference"
    _build(SEEDS, reference)
    start = time.monotonic()
    _build(corpus, reference)
    duration = time.monotonic() - start
    after = store_state(reference)

    store_dir = workdir / "store"
    pristine = workdir / "pristine"
    _build(SEEDS, pristine)
    before = store_state(pristine)
    shutil.copytree(pristine, store_dir)
    rng = random.Random(seed)
    counts = {"before": 0, "after": 0, "corrupt": 0}
    for i in range(kills):
        proc = subprocess.Popen(
            cli("build", str(corpus), "--store", str(store_dir), "--quiet"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
        )
        low = 0.05 if i % 2 == 0 else 0.7 * duration
        time.sleep(rng.uniform(low, 1.05 * duration))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        now = store_state(store_dir)
        key = "before" if now == before else "after" if now == after else "corrupt"
        counts[key] += 1
        if key == "after":
            shutil.rmtree(store_dir)
            shutil.copytree(pristine, store_dir)
    _build(corpus, store_dir)
    return KillFigures(
        documents=documents,
        kills=kills,
        before_states=counts["before"],
        after_states=counts["after"],
        corruptions=counts["corrupt"],
        converged=store_state(store_dir) == after,
    )
