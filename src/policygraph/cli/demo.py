"""`policygraph demo` (`make demo`): the main job on the bundled corpus, in the embedded store.

Builds data/documents, links actors to Wikidata from the bundled review file (no network),
validates the graph, runs every query of the library, writes every network view, and prints
a summary and the paths it wrote.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import resources, viz
from ..linking import link_wikidata
from ..pipeline import build
from ..sparql import querying
from ..sparql.formatting import format_any
from ..store import Store, graphs
from . import add_store_option, command


def run(store_dir: Path, out_dir: Path) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    documents = resources.data("documents")
    print(f"== build data/documents → {store_dir}")
    with Store(store_dir) as store:
        report = build([documents], store)
        for d in report.documents:
            print(
                f"   {d.status:9} {d.kind:13} {Path(d.path).name}: {d.signatories} signatories, "
                f"{d.mentions} mentions, {d.quotes} quotes, {d.stances} stances"
            )
        for f in report.failures:
            print(f"   skipped {f}")

        # No network in the demo: the review file's verified links, plus cached answers if any.
        print("== link to Wikidata (review file, offline)")
        cache = resources.data("wikidata_cache.json")
        linked = link_wikidata(
            store,
            offline=True,
            cache=cache if cache.exists() else None,
            review=resources.data("wikidata_review.yaml"),
        )
        print(
            f"   {len(linked.links)} links ({len(linked.review)} left for review); "
            f"{'complete' if linked.complete else 'candidate search skipped: no cached answers'}"
        )

        print("== validate (SHACL)")
        problems = graphs.validate_store(store)
        for graph, v in problems:
            print(f"   {graph}: {v}")
        print("   conforms" if not problems else f"   {len(problems)} violation(s)")

        print("== queries (queries/*.rq, with their example parameters)")
        for info, result in querying.run_library(store):
            params = ", ".join(f"{k}={v}" for k, v in info.examples)
            print(f"-- {info.name}: {info.question}" + (f" [{params}]" if params else ""))
            print(_indent(format_any(result, max_width=60), 3, limit=12))

        export = out_dir / "graph.trig"
        store.export("trig", export)
        views = viz.write_all_views(store, out_dir, formats=("html", "graphml", "gexf"))

        print("== summary")
        for key, value in graphs.summary(store).items():
            print(f"   {key:11} {value}")
    print("== wrote")
    print(f"   {store_dir}/ (the store)")
    print(f"   {export}")
    for path in views:
        print(f"   {path}")
    return 1 if problems or report.failures else 0


def _indent(text: str, n: int, *, limit: int) -> str:
    lines = text.rstrip("\n").splitlines()
    if len(lines) > limit + 2:  # header and rule, then rows
        hidden = len(lines) - limit - 2
        lines = [*lines[: limit + 2], f"… {hidden} more rows (policygraph query NAME shows all)"]
    return "\n".join(" " * n + line for line in lines)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = command(
        sub,
        "demo",
        "the main job on the bundled corpus: build, link (offline), validate, query, draw",
        "policygraph demo --store store --out out",
        lambda args: run(Path(args.store), Path(args.out)),
    )
    add_store_option(p)
    p.add_argument("--out", metavar="DIR", default="out", help="where the views go (default: out)")
