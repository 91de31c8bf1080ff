"""The measured steps of `make bench`, each run in its own process so that its peak memory
(ru_maxrss) is its own: `python -m benchmarks.steps STEP JSON_ARGS` prints one JSON object.

Steps: build, bulk_load, reingest, query, rdflib_queries, viz.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import resource
import shutil
import signal
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULT_MARK = "BENCH-RESULT "


def peak_rss_mib() -> float:
    # Linux reports ru_maxrss in KiB.
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def profile_top(prof: cProfile.Profile, n: int = 15) -> dict[str, list[dict[str, Any]]]:
    """The functions with the most own time, and policygraph's own functions by cumulative
    time (which stage pays), as plain data for the JSON report."""
    stats = pstats.Stats(prof, stream=io.StringIO())
    rows = []
    for (file, line, func), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = file.split("site-packages/")[-1].split("/src/")[-1]
        rows.append(
            {
                "function": f"{where}:{line}({func})",
                "calls": calls,
                "tottime_s": round(tottime, 3),
                "cumtime_s": round(cumtime, 3),
            }
        )
    own = sorted(rows, key=lambda r: -r["tottime_s"])[:n]
    ours = sorted(
        (r for r in rows if r["function"].startswith("policygraph/")),
        key=lambda r: -r["cumtime_s"],
    )[:n]
    return {"by_own_time": own, "policygraph_by_cumulative_time": ours}


# ---------------------------------------------------------------------------------- build
def step_build(args: dict[str, Any]) -> dict[str, Any]:
    """Build the corpus into a fresh store; export its N-Quads for the other steps."""
    from policygraph.pipeline import build
    from policygraph.store import Store

    docs, store_dir = Path(args["docs"]), Path(args["store"])
    if store_dir.exists():
        shutil.rmtree(store_dir)
    prof = cProfile.Profile() if args.get("profile") else None
    batch = int(args.get("batch") or 0)
    # The pipeline holds a whole build in memory; a batch size builds the corpus as several
    # successive builds into the same store (what a user does to add documents over time).
    chunks: list[list[Path]] = [[docs]]
    if batch:
        files = sorted(p for p in docs.iterdir() if p.is_file())
        chunks = [files[i : i + batch] for i in range(0, len(files), batch)]
    with Store(store_dir) as store:
        reports = []
        t0 = time.perf_counter()
        if prof:
            prof.enable()
        for chunk in chunks:
            # cProfile sees one process: profile the whole pipeline in this one
            reports.append(build(chunk, store, workers=1 if prof else None))
        if prof:
            prof.disable()
        total = time.perf_counter() - t0
        triples = store.count()
        documents = sum(len(r.documents) for r in reports)
        failures = [f for r in reports for f in r.failures]
        phases: dict[str, float] = {}
        work: dict[str, float] = {}
        for r in reports:
            for k, v in r.timings.items():
                phases[k] = phases.get(k, 0.0) + v
            for k, v in r.work.items():
                work[k] = work.get(k, 0.0) + v
        out: dict[str, Any] = {
            "batch": batch or None,
            "documents": documents,
            "failures": len(failures),
            "failure_examples": [str(f) for f in failures[:5]],
            "triples": triples,
            "seconds": round(total, 3),
            "docs_per_s": round(documents / total, 1) if total else None,
            "triples_per_s": round(triples / total) if total else None,
            "phases_s": {k: round(v, 3) for k, v in phases.items()},
            # seconds of work per stage summed over the worker processes
            "work_s": {k: round(v, 3) for k, v in work.items()},
            "workers": max(r.workers for r in reports),
            "worker_peak_rss_mib": round(max(r.worker_peak_mib for r in reports), 1),
            "signatories_extracted": sum(r.count("signatories") for r in reports),
        }
        write = phases.get("write")
        out["write_triples_per_s"] = round(triples / write) if write else None
        if args.get("nquads"):
            t1 = time.perf_counter()
            store.export("nquads", args["nquads"])
            # the merged default graph, which the write also fills: the bulk-load baseline
            # loads both, like the build
            store.export("ntriples", args["nquads"].replace(".nq", ".merged.nt"))
            out["export_s"] = round(time.perf_counter() - t1, 3)
        if args.get("manifest"):
            out["fidelity"] = fidelity(
                store, [d for r in reports for d in r.documents], Path(args["manifest"])
            )
    if prof:
        out["profile_top"] = profile_top(prof)
    return out


def fidelity(store: Any, summaries: list[Any], manifest_path: Path) -> dict[str, Any]:
    """How many letters carry, in the store, exactly the signatories the generator wrote."""
    from benchmarks.generator import load_manifest

    manifest = load_manifest(manifest_path.parent)
    written = {d["file"]: len(d["signatories"]) for d in manifest["documents"] if d["signatories"]}
    query = (HERE / "queries" / "signatures_per_document.rq").read_text(encoding="utf-8")
    stored = {Path(str(r[0])).name: int(str(r[1])) for r in store.select(query).rows}
    kinds: dict[str, dict[str, int]] = {}
    by_file = {Path(d.path).name: d for d in summaries}
    for d in manifest["documents"]:
        s = by_file.get(d["file"])
        got = s.kind if s else "missing"
        kinds.setdefault(d["kind"], {}).setdefault(got, 0)
        kinds[d["kind"]][got] += 1
    exact = sum(1 for f, n in written.items() if stored.get(f) == n)
    return {
        "letters_written": len(written),
        "signatures_written": sum(written.values()),
        "signatures_stored": sum(stored.get(f, 0) for f in written),
        "letters_with_exact_signatory_count": exact,
        "mismatches": [
            {"file": f, "written": n, "stored": stored.get(f, 0)}
            for f, n in sorted(written.items())
            if stored.get(f) != n
        ][:10],
        "kinds_written_vs_classified": kinds,
    }


# ---------------------------------------------------------------------------------- bulk load
def step_bulk_load(args: dict[str, Any]) -> dict[str, Any]:
    """The store's own ceiling: Store.bulk_load of the same N-Quads into an empty store."""
    import pyoxigraph as ox

    store_dir = Path(args["store"])
    if store_dir.exists():
        shutil.rmtree(store_dir)
    store = ox.Store(str(store_dir))
    t0 = time.perf_counter()
    store.bulk_load(path=args["nquads"], format=ox.RdfFormat.N_QUADS)
    named_s = time.perf_counter() - t0
    triples = len(store)
    merged = args["nquads"].replace(".nq", ".merged.nt")
    if Path(merged).exists():  # the merged default graph, as the build writes it
        store.bulk_load(path=merged, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    store.flush()
    seconds = time.perf_counter() - t0
    quads = len(store)
    del store
    shutil.rmtree(store_dir, ignore_errors=True)
    return {
        "triples": triples,
        "quads_with_merged_graph": quads,
        "named_seconds": round(named_s, 3),
        "seconds": round(seconds, 3),
        "triples_per_s": round(triples / named_s) if named_s else None,
    }


# ---------------------------------------------------------------------------------- re-ingest
def step_reingest(args: dict[str, Any]) -> dict[str, Any]:
    """Change one document of the built corpus and build just that file into the big store."""
    from policygraph.pipeline import build
    from policygraph.store import Store

    path = Path(args["file"])
    original = path.read_text(encoding="utf-8")
    changed = original.rstrip("\n") + "\nBenchmark Re-ingest Coalition\n"
    out: dict[str, Any] = {"file": path.name}
    with Store(Path(args["store"])) as store:
        before = store.count()
        graphs_before = len(store.graph_names())
        try:
            path.write_text(changed, encoding="utf-8")
            t0 = time.perf_counter()
            report = build([path], store)
            out["changed_s"] = round(time.perf_counter() - t0, 3)
            out["changed_status"] = [d.status for d in report.documents]
            out["changed_phases_s"] = {k: round(v, 3) for k, v in report.timings.items()}
            out["graphs_before"] = graphs_before
            out["graphs_after"] = len(store.graph_names())
            out["triples_before"] = before
            out["triples_after"] = store.count()
            t0 = time.perf_counter()
            report = build([path], store)
            out["unchanged_s"] = round(time.perf_counter() - t0, 3)
            out["unchanged_status"] = [d.status for d in report.documents]
        finally:
            path.write_text(original, encoding="utf-8")
    return out


# ---------------------------------------------------------------------------------- queries
def _median_ms(run: Callable[[], int], runs: int, budget_s: float) -> dict[str, Any]:
    """Median of up to `runs` runs; stops repeating once `budget_s` is spent."""
    times, rows, spent = [], 0, 0.0
    for _ in range(runs):
        t0 = time.perf_counter()
        rows = run()
        times.append(time.perf_counter() - t0)
        spent += times[-1]
        if spent > budget_s:
            break
    return {"ms": round(statistics.median(times) * 1000, 2), "rows": rows, "runs": len(times)}


def step_query_cases(args: dict[str, Any]) -> dict[str, Any]:
    """Every library query with the parameters the store's data calls for (looked up once)."""
    from benchmarks.queryset import query_cases
    from policygraph.store import Store

    with Store(Path(args["store"]), read_only=True) as store:
        return {"cases": [c.to_json() for c in query_cases(store)]}


def step_query(args: dict[str, Any]) -> dict[str, Any]:
    """One query of queries/ on the Oxigraph store, its parameters given (the orchestrator
    kills it on timeout)."""
    from benchmarks.queryset import Case
    from policygraph.sparql import querying
    from policygraph.store import Store

    text = next(i.text for i in querying.load_library() if i.name == args["case"]["name"])
    case = Case.from_json(args["case"], text)
    with Store(Path(args["store"]), read_only=True) as store:
        m = _median_ms(lambda: case.run_store(store), int(args["runs"]), float(args["budget_s"]))
    return {"oxigraph_ms": m["ms"], "rows": m["rows"], "runs": m["runs"], "params": case.describe()}


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Timeout


def step_rdflib_queries(args: dict[str, Any]) -> dict[str, Any]:
    """Every query on an rdflib in-memory Dataset of the same data, with the same parameters;
    rdflib is pure Python, so an alarm can stop a query that runs past `timeout_s`."""
    from rdflib import Dataset

    from benchmarks.queryset import query_cases
    from policygraph.store import Store

    with Store(Path(args["store"]), read_only=True) as store:
        cases = query_cases(store)
    t0 = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(args["nquads"], format="nquads")
    out: dict[str, Any] = {"load_s": round(time.perf_counter() - t0, 2), "queries": {}}
    timeout = int(args["timeout_s"])
    signal.signal(signal.SIGALRM, _alarm)
    for case in cases:
        signal.alarm(timeout)
        try:
            m = _median_ms(partial(case.run_rdflib, ds), int(args["runs"]), timeout / 4)
            out["queries"][case.name] = {"rdflib_ms": m["ms"], "rows": m["rows"], "runs": m["runs"]}
        except _Timeout:
            out["queries"][case.name] = {"rdflib_timeout_s": timeout}
        except Exception as exc:
            out["queries"][case.name] = {"rdflib_error": f"{type(exc).__name__}: {exc}"}
        finally:
            signal.alarm(0)
    return out


# ---------------------------------------------------------------------------------- viz
def step_viz(args: dict[str, Any]) -> dict[str, Any]:
    from benchmarks.vizbench import measure

    return measure(int(args["nodes"]), Path(args["out"]), seed=int(args.get("seed", 1)))


STEPS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "build": step_build,
    "bulk_load": step_bulk_load,
    "reingest": step_reingest,
    "query": step_query,
    "query_cases": step_query_cases,
    "rdflib_queries": step_rdflib_queries,
    "viz": step_viz,
}


def main(argv: list[str]) -> int:
    name, args = argv[0], json.loads(argv[1])
    result = STEPS[name](args)
    result["peak_rss_mib"] = peak_rss_mib()
    sys.stdout.write("\n" + RESULT_MARK + json.dumps(result) + "\n")
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown of big in-memory graphs: it can take seconds


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
