"""`make bench`: build synthetic corpora of several sizes, measure every stage against the
goals, write benchmarks/results/<date>.json and the table in README.md.

    python -m benchmarks.run [--sizes 100,1000,10000] [--viz-nodes 1000,5000,20000]
                             [--rdflib-max-triples 1500000] [--no-readme]

Each measured step runs in its own process (benchmarks/steps.py) so that its peak memory is
its own. Query and re-ingest figures are taken on the largest size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import generator
from benchmarks.report import evaluate_goals, render_readme, update_readme
from benchmarks.steps import RESULT_MARK

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
README = ROOT / "README.md"

DEFAULT_SIZES = (100, 1000, 10000)
DEFAULT_VIZ_NODES = (1000, 5000, 20000)
# rdflib parses ~50k triples/s and queries a few million triples in seconds per query:
# above this many triples the comparison would take minutes, so it is skipped (and said so).
DEFAULT_RDFLIB_MAX_TRIPLES = 1_500_000
# A query still running after this many seconds is stopped and reported as "> timeout".
DEFAULT_QUERY_TIMEOUT = 10.0
STEP_START_S = 5.0  # allowance for a step process to start and open the store
PROFILE_SIZE = 1000
# With --batch-size N, corpora larger than N are built in successive builds of N documents.
DEFAULT_BATCH = 0  # 0: each corpus in one build


class StepError(RuntimeError):
    pass


def run_step(name: str, args: dict[str, Any], *, timeout: float = 3600) -> dict[str, Any]:
    """Run one step in a fresh interpreter; its result is the last BENCH-RESULT line."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.steps", name, json.dumps(args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=timeout,
        check=False,
    )
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            result: dict[str, Any] = json.loads(line[len(RESULT_MARK) :])
            return result
    tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
    raise StepError(f"step {name} failed (exit {proc.returncode}):\n{tail}")


def machine() -> dict[str, Any]:
    import pyoxigraph
    import rdflib

    mem = None
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    mem = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "memory_gib": mem,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "platform": platform.platform(),
        "python": platform.python_version(),
        "pyoxigraph": pyoxigraph.__version__,
        "rdflib": rdflib.__version__,
    }


def _log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _attempt(
    results: dict[str, Any],
    key: str,
    name: str,
    args: dict[str, Any],
    *,
    work: Path,
    timeout: float = 3600,
) -> Any:
    """Run a step, or reuse its result from an earlier run in the same --work folder."""
    cached = work / f"{key.replace(' ', '-')}.json"
    if cached.exists():
        results["notes"].append(f"{key}: result reused from an earlier run ({cached})")
        return json.loads(cached.read_text(encoding="utf-8"))
    try:
        out = run_step(name, args, timeout=timeout)
    except (StepError, subprocess.TimeoutExpired) as exc:
        results["errors"].append(f"{key}: {exc}")
        _log(f"{key} failed: {str(exc).splitlines()[0]}")
        return None
    cached.write_text(json.dumps(out), encoding="utf-8")
    return out


def run(
    sizes: Sequence[int],
    *,
    viz_nodes: Sequence[int] = DEFAULT_VIZ_NODES,
    rdflib_max_triples: int = DEFAULT_RDFLIB_MAX_TRIPLES,
    corpus_root: Path = generator.CORPUS_ROOT,
    seed: int = generator.DEFAULT_SEED,
    query_runs: int = 5,
    query_timeout: float = DEFAULT_QUERY_TIMEOUT,
    profile: bool = True,
    work: Path | None = None,
    batch_size: int = DEFAULT_BATCH,
) -> dict[str, Any]:
    """Run every benchmark and return the results (the JSON document)."""
    sizes = sorted(set(sizes))
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(),
        "seed": seed,
        "sizes": list(sizes),
        "corpus": {},
        "build": {},
        "bulk_load": {},
        "reingest": None,
        "queries": None,
        "query_comparison": None,
        "viz": {},
        "profile": None,
        "goals": [],
        "notes": [],
        "errors": [],
    }
    own_work = work is None
    work = Path(tempfile.mkdtemp(prefix="pg-bench-")) if work is None else work
    work.mkdir(parents=True, exist_ok=True)
    try:
        for size in sizes:
            _build_size(results, work, size, corpus_root, seed, batch_size)
        built = [s for s in sizes if str(s) in results["build"]]
        if built:
            largest = built[-1]
            _log(f"queries on {largest} documents")
            results["queries"] = _queries(work, largest, query_runs, query_timeout)
            _comparison(results, work, built, rdflib_max_triples, query_runs, query_timeout)
            _reingest(results, work, largest, corpus_root)
        if profile:
            _profile(results, work, sizes, corpus_root)
        for nodes in viz_nodes:
            _log(f"viz {nodes} nodes")
            v = _attempt(
                results,
                f"viz {nodes}",
                "viz",
                {"nodes": nodes, "out": str(work / f"viz-{nodes}.html"), "seed": seed},
                work=work,
            )
            if v is not None:
                results["viz"][str(nodes)] = v
    finally:
        if own_work:
            shutil.rmtree(work, ignore_errors=True)
    results["goals"] = evaluate_goals(results)
    return results


def _build_size(
    results: dict[str, Any], work: Path, size: int, corpus_root: Path, seed: int, batch: int
) -> None:
    t0 = time.perf_counter()
    corpus = generator.generate(size, generator.corpus_dir(size, corpus_root), seed=seed)
    m = generator.load_manifest(corpus)
    results["corpus"][str(size)] = {
        "documents": m["size"],
        "signatures": m["signatures"],
        "organisations": m["organisations"],
        "generate_s": round(time.perf_counter() - t0, 2),
    }
    _log(f"build {size} documents")
    nquads = work / f"{size}.nq"
    built = _attempt(
        results,
        f"build {size}",
        "build",
        {
            "docs": str(corpus / "documents"),
            "store": str(work / f"store-{size}"),
            "nquads": str(nquads),
            "manifest": str(corpus / "manifest.json"),
            "batch": batch if size > batch else 0,
        },
        work=work,
    )
    if built is None:
        return
    if built.get("batch"):
        results["notes"].append(
            f"{size} documents were built as {-(-size // batch)} successive builds of {batch} "
            "documents into one store (--batch-size); --batch-size 0 builds at once"
        )
    results["build"][str(size)] = built
    _log(f"bulk load {size}: {built['triples']} triples")
    bulk = _attempt(
        results,
        f"bulk_load {size}",
        "bulk_load",
        {"nquads": str(nquads), "store": str(work / f"bulk-{size}")},
        work=work,
    )
    if bulk is not None:
        results["bulk_load"][str(size)] = bulk


def _queries(work: Path, size: int, runs: int, timeout: float) -> dict[str, Any]:
    """Each library query on the store of `size` documents, each in its own process (a query
    past `timeout` seconds is stopped and reported as such)."""
    from policygraph.sparql import querying

    out: dict[str, Any] = {"size": size, "runs": runs, "timeout_s": timeout, "queries": {}}
    store = str(work / f"store-{size}")
    # Parameters are looked up once, not in each query's process: the lookups take seconds on
    # a large store and would count against each query's timeout.
    cases_file = work / f"query-cases-{size}.json"
    if not cases_file.exists():
        found = run_step("query_cases", {"store": store}, timeout=1800)
        cases_file.write_text(json.dumps(found), encoding="utf-8")
    cases = {c["name"]: c for c in json.loads(cases_file.read_text(encoding="utf-8"))["cases"]}
    for info in querying.load_library():
        cached = work / f"query-{size}-{info.name}.json"
        if cached.exists():
            out["queries"][info.name] = json.loads(cached.read_text(encoding="utf-8"))
            continue
        args = {"store": store, "case": cases[info.name], "runs": runs, "budget_s": timeout / 3}
        try:
            # the timeout is the query's; a few seconds more start the process and open the store
            r = run_step("query", args, timeout=timeout + STEP_START_S)
        except subprocess.TimeoutExpired:
            r = {"timeout_s": timeout}
        except StepError as exc:
            r = {"error": str(exc).splitlines()[-1]}
        cached.write_text(json.dumps(r), encoding="utf-8")
        out["queries"][info.name] = r
    return out


def _comparison(
    results: dict[str, Any],
    work: Path,
    sizes: Sequence[int],
    rdflib_max: int,
    runs: int,
    timeout: float,
) -> None:
    """Oxigraph against rdflib in memory, on the largest size rdflib loads in reasonable time."""
    fits = [s for s in sizes if results["build"][str(s)]["triples"] <= rdflib_max]
    skipped = [s for s in sizes if s not in fits]
    if skipped:
        results["notes"].append(
            f"rdflib comparison skipped for {', '.join(map(str, skipped))} documents: above "
            f"--rdflib-max-triples {rdflib_max:,} triples rdflib would take minutes to load "
            "and query; the comparison is made on the largest size below it"
        )
    if not fits:
        return
    size = fits[-1]
    largest = results["queries"]
    ox = largest if largest and largest["size"] == size else _queries(work, size, runs, timeout)
    _log(f"rdflib comparison on {size} documents")
    rdf = _attempt(
        results,
        f"rdflib {size}",
        "rdflib_queries",
        {
            "store": str(work / f"store-{size}"),
            "nquads": str(work / f"{size}.nq"),
            "runs": runs,
            "timeout_s": int(timeout),
        },
        work=work,
        timeout=timeout * 40 + 600,
    )
    if rdf is None:
        return
    rows: dict[str, Any] = {}
    for name, o in ox["queries"].items():
        r = rdf["queries"].get(name, {})
        row: dict[str, Any] = {
            "rows": o.get("rows"),
            "oxigraph_ms": o.get("oxigraph_ms"),
            "oxigraph_timeout_s": o.get("timeout_s"),
            "rdflib_ms": r.get("rdflib_ms"),
            "rdflib_rows": r.get("rows"),
            "rdflib_timeout_s": r.get("rdflib_timeout_s"),
            "rdflib_error": r.get("rdflib_error"),
        }
        if o.get("oxigraph_ms") and r.get("rdflib_ms"):
            row["speedup"] = round(r["rdflib_ms"] / o["oxigraph_ms"], 1)
        elif o.get("oxigraph_ms") and r.get("rdflib_timeout_s"):
            row["speedup_at_least"] = round(r["rdflib_timeout_s"] * 1000 / o["oxigraph_ms"], 1)
        rows[name] = {k: v for k, v in row.items() if v is not None}
    results["query_comparison"] = {
        "size": size,
        "rdflib_load_s": rdf["load_s"],
        "peak_rss_mib": rdf["peak_rss_mib"],
        "queries": rows,
    }


def _reingest(results: dict[str, Any], work: Path, size: int, corpus_root: Path) -> None:
    manifest = generator.load_manifest(generator.corpus_dir(size, corpus_root))
    letter = next(d for d in manifest["documents"] if d["kind"] == "open_letter")
    _log(f"re-ingest one document into the {size}-document store")
    r = _attempt(
        results,
        f"reingest {size}",
        "reingest",
        {
            "store": str(work / f"store-{size}"),
            "file": str(generator.corpus_dir(size, corpus_root) / "documents" / letter["file"]),
        },
        work=work,
    )
    if r is not None:
        r["size"] = size
        results["reingest"] = r


def _profile(results: dict[str, Any], work: Path, sizes: Sequence[int], corpus_root: Path) -> None:
    size = max([s for s in sizes if s <= PROFILE_SIZE] or [min(sizes)])
    _log(f"profile the build of {size} documents (cProfile)")
    p = _attempt(
        results,
        f"profile {size}",
        "build",
        {
            "docs": str(generator.corpus_dir(size, corpus_root) / "documents"),
            "store": str(work / f"profile-{size}"),
            "profile": True,
        },
        work=work,
    )
    shutil.rmtree(work / f"profile-{size}", ignore_errors=True)
    if p is not None:
        results["profile"] = {
            "size": size,
            "seconds_under_profiler": p["seconds"],
            "phases_s": p["phases_s"],
            **p.get("profile_top", {}),
        }


def write_results(results: dict[str, Any], folder: Path = RESULTS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{results['date'][:10]}.json"
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _ints(text: str) -> list[int]:
    return [int(x.replace("_", "")) for x in text.split(",") if x.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--sizes",
        type=_ints,
        default=list(DEFAULT_SIZES),
        help="corpus sizes in documents, comma-separated (default %(default)s)",
    )
    parser.add_argument(
        "--viz-nodes",
        type=_ints,
        default=list(DEFAULT_VIZ_NODES),
        help="network sizes for the viz benchmark ('' to skip)",
    )
    parser.add_argument("--rdflib-max-triples", type=int, default=DEFAULT_RDFLIB_MAX_TRIPLES)
    parser.add_argument("--query-runs", type=int, default=5)
    parser.add_argument(
        "--batch-size",
        type=int,
        default=DEFAULT_BATCH,
        help="build larger corpora as successive builds of this many documents (0: at once)",
    )
    parser.add_argument(
        "--query-timeout",
        type=float,
        default=DEFAULT_QUERY_TIMEOUT,
        help="seconds before a query is stopped (default %(default)s)",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=None,
        help="keep stores and step results in this folder; a step whose result is already "
        "there is not run again (resumes an interrupted run)",
    )
    parser.add_argument("--seed", type=int, default=generator.DEFAULT_SEED)
    parser.add_argument("--corpus-root", type=Path, default=generator.CORPUS_ROOT)
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder for <date>.json")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--no-readme", action="store_true", help="leave README.md alone")
    parser.add_argument(
        "--render",
        type=Path,
        default=None,
        help="measure nothing: rewrite the README section from this results JSON",
    )
    args = parser.parse_args(argv)
    if args.render is not None:
        results = json.loads(args.render.read_text(encoding="utf-8"))
        results["goals"] = evaluate_goals(results)
        args.render.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
        shown = args.render.relative_to(ROOT) if args.render.is_relative_to(ROOT) else args.render
        section = render_readme(results, shown)
        if not args.no_readme:
            update_readme(README, section)
        print(section)
        return 0
    results = run(
        args.sizes,
        viz_nodes=args.viz_nodes,
        rdflib_max_triples=args.rdflib_max_triples,
        corpus_root=args.corpus_root,
        seed=args.seed,
        query_runs=args.query_runs,
        query_timeout=args.query_timeout,
        profile=not args.no_profile,
        work=args.work,
        batch_size=args.batch_size,
    )
    path = write_results(results, args.results)
    section = render_readme(results, path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    if not args.no_readme:
        update_readme(README, section)
    print(section)
    print(f"results: {path}")
    return 1 if results["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
