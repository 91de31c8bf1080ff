"""`policygraph review …`: a coder's decisions from the command line (see review/)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..review.file import DEFAULT_DECISIONS

__all__ = ["add_decisions_option", "decisions_path", "register"]


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


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pass
