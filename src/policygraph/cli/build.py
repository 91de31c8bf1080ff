"""Commands that make and inspect the store: build, export, validate, stats."""

from __future__ import annotations

import argparse
import sys

from ..pipeline import PARALLEL_MIN_DOCUMENTS, build
from ..sparql.formatting import for_terminal as shown
from ..store import Store, graphs
from . import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL, add_store_option, command
from .review import add_decisions_option, decisions_path

DEFAULT_DOCUMENTS = "data/documents"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = command(
        sub,
        "build",
        "read documents and write their graphs into the store",
        "policygraph build data/documents --store store",
        _build,
    )
    p.add_argument(
        "paths",
        nargs="*",
        default=[DEFAULT_DOCUMENTS],
        metavar="PATH",
        help=f"files or folders to read (default: {DEFAULT_DOCUMENTS})",
    )
    p.add_argument(
        "--keep-missing",
        action="store_true",
        help="keep the graphs of files gone from the folders read (default: remove them)",
    )
    p.add_argument("--no-progress", action="store_true", help="do not show a progress bar")
    p.add_argument("--quiet", action="store_true", help="no per-document summary")
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="processes for reading and building (default: one per core; builds of "
        f"{PARALLEL_MIN_DOCUMENTS}+ documents only)",
    )
    add_decisions_option(p)
    add_store_option(p)

    p = command(
        sub,
        "export",
        "write the whole store as TriG, N-Quads, Turtle or JSON-LD",
        "policygraph export --format trig --out graph.trig",
        _export,
    )
    p.add_argument("--format", default="trig", choices=["trig", "nquads", "turtle", "jsonld"])
    p.add_argument("--out", metavar="FILE", help="output file (default: standard output)")
    add_store_option(p)

    p = command(
        sub,
        "validate",
        "check every graph in the store against the SHACL shapes",
        "policygraph validate --store store",
        _validate,
    )
    add_store_option(p)

    p = command(sub, "stats", "count the nodes of each class", "policygraph stats", _stats)
    add_store_option(p)


def _build(args: argparse.Namespace) -> int:
    with Store(args.store) as store:
        if store.recovered:  # an earlier build was killed while bulk loading
            print(f"note: {store.recovered}", file=sys.stderr)
        report = build(
            args.paths,
            store,
            progress=not args.no_progress and sys.stderr.isatty(),
            workers=args.workers,
            prune=not args.keep_missing,
            decisions=decisions_path(args),
        )
    if not args.quiet:
        for d in report.documents:
            print(
                f"{d.status:9} {d.kind:14} {shown(d.path)}: {d.signatories} signatories, "
                f"{d.mentions} mentions, {d.quotes} quotes, {d.stances} stances"
            )
    for d in report.documents:
        for note in d.notes:
            print(f"note      {shown(d.path)}: {shown(note)}", file=sys.stderr)
    for path in report.gone:
        print(f"removed   {shown(path)}: its file is gone (--keep-missing keeps its graph)")
    for f in report.failures:
        print(f"skipped   {shown(str(f))}", file=sys.stderr)
    if report.review is not None and report.review.decisions:
        print("\n".join(report.review.lines()))
    # documents built without their stances: no rules for their language
    uncovered = [d for d in report.documents if not d.language_covered]
    for d in uncovered:
        print(f"not covered: language {d.language}: {shown(d.path)}")
    written = sum(1 for d in report.documents if d.status != "unchanged")
    print(
        f"{len(report.documents)} documents ({written} written, "
        f"{len(report.documents) - written} unchanged), {len(report.failures)} skipped, "
        f"{len(uncovered)} in a language not covered → {args.store}"
    )
    return EXIT_PARTIAL if report.failures else EXIT_OK


def _export(args: argparse.Namespace) -> int:
    with Store(args.store, read_only=True) as store:
        if args.out:
            store.export(args.format, args.out)
            print(f"wrote {args.out}", file=sys.stderr)
        else:
            data = store.export(args.format, None)
            sys.stdout.buffer.write(data or b"")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    with Store(args.store, read_only=True) as store:
        problems = graphs.validate_store(store)
    for graph, violation in problems:
        print(f"{graph}: {violation}")
    if problems:
        print(f"{len(problems)} violation(s)", file=sys.stderr)
        return EXIT_ERROR
    print("the graph conforms to the shapes")
    return EXIT_OK


def _stats(args: argparse.Namespace) -> int:
    with Store(args.store, read_only=True) as store:
        rows = graphs.class_counts(store)
    width = max((len(c) for c, _ in rows), default=5)
    for cls, n in rows:
        print(f"{cls:<{width}}  {n:>7}")
    return EXIT_OK
