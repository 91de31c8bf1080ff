"""The `policygraph` command: thin wrappers that parse options, call one library function, and
turn the library's errors into one clean line and an exit code.

Each command group lives in its own module and registers itself through `register(sub)`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module

from .. import __version__
from ..errors import PolicygraphError, StoreBusyError

__all__ = ["main"]

# Modules under policygraph.cli that define `register(subparsers)`.
COMMAND_MODULES = ("build", "query", "evaluate", "link", "viz", "demo", "review")

EXIT_OK = 0
EXIT_ERROR = 1  # the command could not do its job
EXIT_PARTIAL = 2  # it did its job but skipped something (e.g. unreadable documents)
EXIT_BUSY = 3  # the store is held by another process


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="policygraph",
        description="Turn documents about a policy fight into a knowledge graph of who stands "
        "where.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example:\n  policygraph build data/documents --store store\n"
        "  policygraph stats --store store",
    )
    parser.add_argument("--version", action="version", version=f"policygraph {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        import_module(f"{__name__}.{name}").register(sub)
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except StoreBusyError as exc:
        print(f"policygraph: {_shown(exc)}", file=sys.stderr)
        return EXIT_BUSY
    except PolicygraphError as exc:
        print(f"policygraph: {_shown(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("policygraph: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`policygraph stats | head`): not an error of ours. Point
        # stdout at nothing so the interpreter's final flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def add_store_option(p: argparse.ArgumentParser) -> None:
    from ..store import DEFAULT_STORE

    p.add_argument(
        "--store",
        metavar="DIR",
        default=str(DEFAULT_STORE),
        help=f"the store folder (default: {DEFAULT_STORE})",
    )


def command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help: str,
    example: str,
    handler: Callable[[argparse.Namespace], int],
) -> argparse.ArgumentParser:
    """Add a sub-command whose --help ends with a real example."""
    p = sub.add_parser(
        name,
        help=help,
        description=help,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(handler=handler)
    return p


if __name__ == "__main__":
    raise SystemExit(main())


def _shown(exc: Exception) -> str:
    """The error line with its control characters escaped (a file name may carry any)."""
    from ..sparql.formatting import for_terminal

    return for_terminal(str(exc))
