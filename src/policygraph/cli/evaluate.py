"""`policygraph evaluate GOLD.yaml`: precision, recall and F1 of the graph against a gold file."""

from __future__ import annotations

import argparse
import json

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
    p.add_argument("gold", metavar="GOLD.yaml", help="a policygraph-gold/1 file")
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
    if args.store:
        with Store(args.store) as store:
            report = evaluate(args.gold, corpus=args.corpus, store=store)
    else:
        report = evaluate(args.gold, corpus=args.corpus)
    print(
        json.dumps(report.as_dict(), indent=2, ensure_ascii=False) if args.json else report.text()
    )
    return EXIT_OK
