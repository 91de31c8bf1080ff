"""`policygraph link wikidata`: link the store's actors to Wikidata items."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path

from .. import resources
from ..linking import (
    DEFAULT_ENDPOINT,
    DEFAULT_TTL,
    USER_AGENT_ENV,
    link_wikidata,
    pending_yaml,
)
from ..store import Store
from . import EXIT_OK, EXIT_PARTIAL, add_store_option, command

DEFAULT_CACHE = "data/wikidata_cache.json"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = command(
        sub,
        "link",
        "link actors to Wikidata items (review file first, then scored candidates)",
        "policygraph link wikidata --offline --review data/wikidata_review.yaml",
        _link,
    )
    p.add_argument(
        "target",
        nargs="?",
        default="wikidata",
        choices=["wikidata"],
        help="the knowledge base to link to (default: wikidata)",
    )
    p.add_argument(
        "--endpoint",
        metavar="URL",
        default=None,
        help=f"SPARQL endpoint: a mirror or QLever (default: {DEFAULT_ENDPOINT})",
    )
    p.add_argument(
        "--cache",
        metavar="FILE",
        default=DEFAULT_CACHE,
        help=f"JSON file of the endpoint's answers, reused on every run (default: {DEFAULT_CACHE})",
    )
    p.add_argument(
        "--offline",
        action="store_true",
        help="answer only from the cache; report what could not be looked up",
    )
    p.add_argument(
        "--review",
        metavar="FILE",
        default=None,
        help="human decisions that override the scorer (default: the wikidata_review.yaml of "
        "policygraph's data folder, see $POLICYGRAPH_RESOURCES)",
    )
    p.add_argument(
        "--pending",
        metavar="FILE",
        default=None,
        help="write the undecided actors and their candidates to FILE (YAML) for review",
    )
    _add_lookup_options(p)
    p.add_argument("--quiet", action="store_true", help="print only the summary")
    add_store_option(p)


def _add_lookup_options(p: argparse.ArgumentParser) -> None:
    """How candidates are looked up: languages, who is asking, cache age, search, services."""
    p.add_argument(
        "--language",
        metavar="TAG",
        action="append",
        default=[],
        help="also search labels in this language (repeatable; English, the documents' "
        "declared languages and those of the actors' countries are always searched)",
    )
    p.add_argument(
        "--user-agent",
        metavar="TEXT",
        default=None,
        help=f"who is asking, with a contact, as Wikimedia's policy asks: 'name (mailto:you@"
        f"example.org)' or just the address (default: ${USER_AGENT_ENV}, else a User-Agent "
        "naming policygraph without a contact)",
    )
    p.add_argument(
        "--cache-ttl",
        metavar="DAYS",
        type=float,
        default=DEFAULT_TTL.days,
        help="ask again about names and items cached longer ago than this; 0: never expire "
        f"(default: {DEFAULT_TTL.days}; --offline uses every cached answer)",
    )
    p.add_argument(
        "--no-search",
        action="store_true",
        help="exact labels and aliases only: no entity search (for an endpoint other than the "
        "Wikidata Query Service, which alone has the MWAPI search service)",
    )
    p.add_argument(
        "--reconcile",
        metavar="URL",
        action="append",
        default=[],
        help="also take candidates from this W3C reconciliation service (its Wikidata ids; "
        "repeatable), e.g. Wikidata's own or another policygraph's `serve`",
    )


def _link(args: argparse.Namespace) -> int:
    bundled = resources.data("wikidata_review.yaml")
    review = Path(args.review) if args.review else (bundled if bundled.exists() else None)
    with Store(args.store) as store:
        report = link_wikidata(
            store,
            endpoint=args.endpoint,
            cache=Path(args.cache) if args.cache else None,
            offline=args.offline,
            review=review,
            languages=args.language,
            user_agent=args.user_agent,
            ttl=timedelta(days=args.cache_ttl) if args.cache_ttl > 0 else None,
            search=not args.no_search,
            reconcile=tuple(args.reconcile),
        )
    if not args.quiet:
        for r in report.links:
            print(
                f"linked    {r.label} → {r.qid}  ({r.decided_by}, {r.score:.2f}: "
                f"{', '.join(r.features)})"
            )
        for t in report.topic_links:
            print(f"topic     {t.label} → {t.qid}  ({t.relation})")
        for item in report.review:
            shown = ", ".join(
                f"{s.candidate.qid} {s.candidate.title!r} {s.score:.2f}"
                for s in item.candidates[:4]
            )
            print(f"review    {item.label} ({item.reason}): {shown}")
        for note in report.notes:
            print(f"note      {note}")
    for problem in report.problems:
        print(f"policygraph: {problem}", file=sys.stderr)
    if args.pending:
        Path(args.pending).write_text(pending_yaml(report.review), encoding="utf-8")
    print(
        f"{len(report.links)} links, {len(report.review)} for review, "
        f"{len(report.unmatched)} without candidates; {report.requests} requests, "
        f"{report.cache_hits} cached answers → {args.store}"
    )
    return EXIT_PARTIAL if report.problems else EXIT_OK
