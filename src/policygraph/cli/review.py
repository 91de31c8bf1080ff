"""`policygraph review …`: a coder's decisions from the command line (see review/).

Each command adds decisions to the decisions file (under its lock) and re-applies the file
to the store's review graph, so queries show them before the next build.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path

from ..errors import ReviewError
from ..review.file import DEFAULT_DECISIONS, load_decisions
from ..review.model import Decision, Kind, Status
from ..store import Store
from . import EXIT_OK, EXIT_PARTIAL, add_store_option, command

__all__ = ["add_decisions_option", "decisions_path", "register"]

_SPAN_KINDS = ("signatory", "actor", "person", "quote", "stance")


def add_decisions_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--decisions",
        metavar="FILE",
        default=None,
        help=f"the review decisions file (default: {DEFAULT_DECISIONS}, when it exists)",
    )


def decisions_path(args: argparse.Namespace) -> Path | None:
    """The decisions file the command was given, or the default one if it exists."""
    if args.decisions:
        return Path(args.decisions)
    return DEFAULT_DECISIONS if DEFAULT_DECISIONS.is_file() else None


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--reviewer",
        default=os.environ.get("POLICYGRAPH_REVIEWER") or getpass.getuser(),
        help="who decides (default: $POLICYGRAPH_REVIEWER or the login name)",
    )
    p.add_argument(
        "--decisions",
        metavar="FILE",
        default=str(DEFAULT_DECISIONS),
        help=f"the decisions file to write (default: {DEFAULT_DECISIONS})",
    )
    add_store_option(p)


def _span_options(p: argparse.ArgumentParser, *, changes: bool) -> None:
    p.add_argument("document", help="the document: a source path or its content hash (8+ hex)")
    p.add_argument("--kind", required=True, choices=_SPAN_KINDS, help="the kind of fact")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--text", help="the span's text, as the document writes it (once)")
    where.add_argument("--span", metavar="START:END", help="the span's offsets")
    p.add_argument("--topic", help="of the span's stances, the one on this topic")
    p.add_argument("--holder", help="of the span's stances, the one of this holder")
    p.add_argument("--note", help="why (kept with the decision)")
    if changes:
        p.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="FIELD=VALUE",
            help="what the fact is: position=support, holder=NAME, topic=ID, actor=NAME",
        )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    top = command(
        sub,
        "review",
        "record a coder's decisions on extracted facts (accept, reject, correct, add, merge)",
        "policygraph review reject data/documents/x.md --kind actor --text 'Acme Newsletter'",
        _no_action,
    )
    rsub = top.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    for name, status, example in (
        ("accept", Status.ACCEPTED, "--kind signatory --all"),
        ("reject", Status.REJECTED, "--kind actor --text 'Acme Newsletter'"),
    ):
        p = command(
            rsub, name, f"{name} a fact (or, with --all, every fact of a kind in the document)",
            f"policygraph review {name} corpus/letter.md {example}", _decide,
        )  # fmt: skip
        _span_options(p, changes=False)
        p.add_argument("--all", action="store_true", help="every undecided fact of the kind")
        p.set_defaults(status=status)
        _common(p)
    for name, status, example in (
        ("correct", Status.CORRECTED, "--kind stance --text 'We oppose…' --set position=support"),
        ("add", Status.ADDED, "--kind stance --text '…' --set holder=EFF --set topic=e2ee "
         "--set position=support"),
    ):  # fmt: skip
        p = command(
            rsub, name, f"{name} a fact", f"policygraph review {name} x.md {example}", _decide
        )
        _span_options(p, changes=True)
        p.set_defaults(status=status, all=False)
        _common(p)
    _register_more(rsub)


def _register_more(rsub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = command(
        rsub, "merge", "merge duplicate actors into the first one named",
        "policygraph review merge 'Electronic Frontier Foundation' 'EFF Inc'", _merge,
    )  # fmt: skip
    p.add_argument("kept", help="the actor kept")
    p.add_argument("merged", nargs="+", help="actors merged into it")
    _common(p)
    p = command(
        rsub, "split", "split off an actor's mentions and signatures written one way",
        "policygraph review split 'Internet Society' --name 'Internet Society – Bulgaria'", _split,
    )  # fmt: skip
    p.add_argument("actor", help="the actor the resolver (or a merge) made too big")
    p.add_argument("--name", required=True, help="the name as written that is another actor")
    _common(p)
    p = command(
        rsub, "import", "import the decisions of a coder's CSV (see --help for the columns)",
        "policygraph review import coding.csv --reviewer alice", _import,
    )  # fmt: skip
    p.add_argument("csv", metavar="FILE.csv", help="document,kind,status,text,start,end,topic,"
                   "holder,position,actor,reviewer,note")  # fmt: skip
    _common(p)
    p = command(
        rsub, "export-dna", "write the reviewed stances as DNA's statement table (CSV)",
        "policygraph review export-dna --out statements.csv", _export_dna,
    )  # fmt: skip
    p.add_argument("--out", metavar="FILE", help="the CSV file (default: standard output)")
    add_store_option(p)
    p = command(
        rsub, "import-dna", "import a DNA statement table as decisions",
        "policygraph review import-dna statements.csv --reviewer alice", _import_dna,
    )  # fmt: skip
    p.add_argument("csv", metavar="FILE.csv", help="actor,concept,agreement,date,document,text")
    _common(p)
    p = command(
        rsub, "list", "list the decisions in the file",
        "policygraph review list --status rejected", _list,
    )  # fmt: skip
    p.add_argument("--status", choices=[s.value for s in Status if s is not Status.AUTO])
    p.add_argument("--kind", choices=[k.value for k in Kind])
    p.add_argument("--by", metavar="REVIEWER", help="only this reviewer's decisions")
    p.add_argument("--decisions", metavar="FILE", default=str(DEFAULT_DECISIONS))


def _no_action(args: argparse.Namespace) -> int:
    raise ReviewError("name an action: accept, reject, correct, add, merge, split, import, list")


def _pairs(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ReviewError(f"--set {item!r}: write FIELD=VALUE")
        out[name.strip()] = value.strip()
    return out


def _span(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    start, _, end = value.partition(":")
    try:
        return int(start), int(end)
    except ValueError as exc:
        raise ReviewError(f"--span {value!r}: write START:END (offsets in the text)") from exc


def _save(args: argparse.Namespace, store: Store, decisions: list[Decision]) -> None:
    from ..review.actions import record

    outcome = record(store, Path(args.decisions), decisions)
    print(f"{len(decisions)} decision(s) written to {args.decisions}")
    if outcome is not None:
        print("\n".join(outcome.lines()))


def _decide(args: argparse.Namespace) -> int:
    from ..review.actions import bulk, decide

    kind, status = Kind(args.kind), args.status
    with Store(args.store) as store:
        if args.all:
            made = bulk(store, kind=kind, status=status, reviewer=args.reviewer,
                        document=args.document)  # fmt: skip
        else:
            select = {k: v for k in ("topic", "holder") if (v := getattr(args, k))}
            made = [
                decide(
                    store, kind=kind, status=status, reviewer=args.reviewer,
                    document=args.document, text=args.text, span=_span(args.span),
                    select=select if status in (Status.ACCEPTED, Status.REJECTED) else {},
                    changes=_pairs(getattr(args, "set", [])), note=args.note,
                )
            ]  # fmt: skip
        _save(args, store, made)
    return EXIT_OK


def _merge(args: argparse.Namespace) -> int:
    from ..review.actions import merge

    with Store(args.store) as store:
        _save(args, store, [merge(store, args.reviewer, args.kept, args.merged)])
    return EXIT_OK


def _split(args: argparse.Namespace) -> int:
    from ..review.actions import split

    with Store(args.store) as store:
        _save(args, store, [split(store, args.reviewer, args.actor, args.name)])
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from ..review.coder_csv import read_coder_csv

    return _import_rows(args, read_coder_csv)


# reads a table's rows: (store, file, reviewer) → (decisions, one problem line per bad row)
RowReader = Callable[[Store, Path, str], tuple[list[Decision], list[str]]]


def _import_rows(args: argparse.Namespace, reader: RowReader) -> int:
    """Decisions from a table (a coder's CSV, DNA's statements): bad rows named and skipped,
    the rest saved."""
    with Store(args.store) as store:
        decisions, problems = reader(store, Path(args.csv), args.reviewer)
        for problem in problems:
            print(f"skipped   {problem}", file=sys.stderr)
        if decisions:
            _save(args, store, decisions)
    return EXIT_PARTIAL if problems else EXIT_OK


def _export_dna(args: argparse.Namespace) -> int:
    from ..review.dna import export_dna

    with Store(args.store, read_only=True) as store:
        table = export_dna(store)
    if args.out:
        Path(args.out).write_text(table, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(table)
    return EXIT_OK


def _import_dna(args: argparse.Namespace) -> int:
    from ..review.dna import import_dna

    return _import_rows(args, import_dna)


def _list(args: argparse.Namespace) -> int:
    for d in load_decisions(Path(args.decisions)):
        if args.status and d.status.value != args.status:
            continue
        if (args.kind and d.kind.value != args.kind) or (args.by and d.reviewer != args.by):
            continue
        what = repr(d.key.text[:60]) if d.key else " + ".join(d.actors)
        where = (
            f"{d.key.source or d.key.document[:16]} {d.key.start}..{d.key.end} " if d.key else ""
        )
        changes = " ".join(f"{k}={v}" for k, v in d.changes)
        print(f"{d.id} {d.time:%Y-%m-%d %H:%M} {d.reviewer:10} {d.status.value:9} "
              f"{d.kind.value:9} {where}{what} {changes}".rstrip())  # fmt: skip
    return EXIT_OK
