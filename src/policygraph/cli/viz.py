"""`policygraph viz` (network views as HTML, GraphML, GEXF, CSV) and `policygraph network`."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import ViewError
from ..store import Store
from ..viz import FORMATS, VIEWS, write_matrix_page, write_view
from ..viz.network import MEASURES, format_summary, summary
from ..viz.profile import write_profile
from ..viz.views import canonical_view
from . import EXIT_OK, add_store_option, command


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = command(
        sub,
        "viz",
        "write a network view of the store as an HTML page (or GraphML, GEXF, CSV)",
        "policygraph viz stances --topic backdoors --out out/stances.html",
        _viz,
    )
    p.add_argument(
        "view",
        metavar="VIEW",
        help=f"one of: {', '.join(VIEWS)} (discourse = discourse-difference), or matrix (the"
        " actor × topic stance table, HTML only)",
    )
    _window_options(p)
    p.add_argument("--format", default="html", choices=FORMATS, help="default: html")
    p.add_argument(
        "--out",
        metavar="FILE",
        help="output file (default: out/VIEW.FORMAT); csv writes FILE-nodes.csv and FILE-edges.csv",
    )
    p.add_argument(
        "--size-by",
        default="degree",
        choices=MEASURES,
        help="what node size shows in the page (default: degree)",
    )
    p.add_argument(
        "--no-profiles",
        action="store_true",
        help="do not write the actors' profile pages beside an HTML view (profiles/)",
    )
    add_store_option(p)

    p = command(
        sub,
        "profile",
        "write one actor's page: every letter it signed or wrote, every stance, with sources",
        'policygraph profile "Access Now" --out out/access-now.html',
        _profile,
    )
    p.add_argument("actor", metavar="ACTOR", help="the actor's name, other name or IRI")
    p.add_argument("--out", metavar="FILE", help="output file (default: out/profile.html)")
    add_store_option(p)

    p = command(
        sub,
        "network",
        "print the top actors and the coalitions of the co-signing network",
        "policygraph network --store store --top 15",
        _network,
    )
    _window_options(p)
    p.add_argument("--top", type=int, default=10, metavar="N", help="actors to list (default: 10)")
    add_store_option(p)


def _window_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--topic", metavar="T", help="only this topic (its notation, e.g. backdoors)")
    p.add_argument(
        "--since", metavar="DATE", help="only facts dated on or after DATE (YYYY[-MM[-DD]])"
    )
    p.add_argument(
        "--until",
        metavar="DATE",
        help="only facts dated on or before DATE (with --since or --until, undated facts "
        "are left out; signatures and coalitions go by the letter's date)",
    )


def _viz(args: argparse.Namespace) -> int:
    if args.view == "matrix":
        return _matrix(args)
    view = canonical_view(args.view)
    out = Path(args.out) if args.out else Path("out") / f"{view}.{args.format}"
    with Store(args.store, read_only=True) as store:
        path = write_view(
            store,
            view,
            out,
            topic=args.topic,
            since=args.since,
            until=args.until,
            fmt=args.format,
            size_by=args.size_by,
            profiles=not args.no_profiles,
        )
    if args.format == "csv":
        print(path.with_name(path.name.replace("-edges.csv", "-nodes.csv")))
    print(path)
    return EXIT_OK


def _matrix(args: argparse.Namespace) -> int:
    if args.format != "html":
        raise ViewError("the matrix is a table: --format html only")
    out = Path(args.out) if args.out else Path("out") / "matrix.html"
    with Store(args.store, read_only=True) as store:
        path = write_matrix_page(
            store,
            out,
            topic=args.topic,
            since=args.since,
            until=args.until,
            profiles=not args.no_profiles,
        )
    print(path)
    return EXIT_OK


def _profile(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else Path("out") / "profile.html"
    with Store(args.store, read_only=True) as store:
        print(write_profile(store, args.actor, out))
    return EXIT_OK


def _network(args: argparse.Namespace) -> int:
    with Store(args.store, read_only=True) as store:
        result = summary(store, top=args.top, topic=args.topic, since=args.since, until=args.until)
    print(format_summary(result))
    return EXIT_OK
