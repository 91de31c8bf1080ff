"""`policygraph evaluate GOLD.yaml`: precision, recall and F1 of the graph against a gold file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..errors import GoldError, ReviewError
from ..evaluation.evaluate import evaluate
from ..store import Store
from . import EXIT_OK, command


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = command(
        sub,
        "evaluate",
        "build a gold file's documents and score the graph: precision, recall, F1 per section",
        "policygraph evaluate tests/data/gold/seeds.yaml",
        _evaluate,
    )
    p.add_argument("gold", metavar="GOLD.yaml", nargs="?", help="a policygraph-gold/1 file")
    p.add_argument(
        "--review",
        action="store_true",
        help="score the store's facts against the reviewers' decisions instead: precision "
        "per rule, recall per kind, inter-coder agreement (`evaluate --review --store store`)",
    )
    p.add_argument(
        "--decisions",
        metavar="FILE",
        default="data/review.yaml",
        help="with --review: the decisions file (default: data/review.yaml)",
    )
    p.add_argument(
        "--corpus",
        metavar="DIR",
        help="folder of the documents (default: the gold file's `corpus:`)",
    )
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.add_argument(
        "--store",
        metavar="DIR",
        help="build into and read this store (default: a fresh temporary store)",
    )


def _evaluate(args: argparse.Namespace) -> int:
    if args.review:
        return _evaluate_review(args)
    if not args.gold:
        raise GoldError("name a gold file, or give --review to score the reviewers' decisions")
    if args.store:
        with Store(args.store) as store:
            report = evaluate(args.gold, corpus=args.corpus, store=store)
    else:
        report = evaluate(args.gold, corpus=args.corpus)
    print(
        json.dumps(report.as_dict(), indent=2, ensure_ascii=False) if args.json else report.text()
    )
    return EXIT_OK


def _evaluate_review(args: argparse.Namespace) -> int:
    from ..review.agreement import review_scores
    from ..review.apply import apply_decisions
    from ..review.file import load_decisions
    from ..store import DEFAULT_STORE

    path = Path(args.decisions)
    decisions = load_decisions(path)
    if not decisions:
        raise ReviewError(f"{path}: no decisions to score the extraction against")
    with Store(args.store or DEFAULT_STORE) as store:
        apply_decisions(store, path)  # the review graph as the file says now
        scores = review_scores(store, decisions)
    print(json.dumps(scores.as_dict(), indent=2) if args.json else scores.text())
    return EXIT_OK
