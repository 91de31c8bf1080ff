"""Commands that read the graph with SPARQL: query, push, serve."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import sys
from pathlib import Path

from ..errors import QueryError, ReviewError, StoreError
from ..sparql.formatting import FORMATS, GRAPH_FORMATS
from ..store import Store
from . import EXIT_OK, add_store_option, command


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    _register_query(sub)
    _register_push(sub)
    _register_serve(sub)


def _register_query(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = command(
        sub,
        "query",
        "run a query of the library (queries/*.rq), a .rq file, or SPARQL text",
        "policygraph query cosigners --param 'actor_name=Access Now' --format csv",
        _query,
    )
    p.add_argument(
        "query",
        nargs="?",
        metavar="NAME|FILE.rq|SPARQL",
        help="a library query's name, a .rq file, or the query text",
    )
    p.add_argument("--list", action="store_true", help="list the library's queries and questions")
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="bind a parameter (as an RDF term, typed by the query's @param line); repeatable",
    )
    p.add_argument(
        "--format",
        default=None,
        choices=[*FORMATS, *GRAPH_FORMATS],
        help="SELECT: table for people (default), or csv, tsv, json (SPARQL results formats); "
        "ASK prints true or false; CONSTRUCT and DESCRIBE: turtle (default), ntriples, "
        "rdfxml, jsonld, nquads, trig",
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--endpoint",
        metavar="URL",
        help="query a remote SPARQL endpoint instead of the store "
        "(credentials: POLICYGRAPH_ENDPOINT_USER / _PASSWORD)",
    )
    add_store_option(where)  # type: ignore[arg-type]


def _register_push(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = command(
        sub,
        "push",
        "load the store's named graphs into a remote SPARQL store (Virtuoso, GraphDB, Fuseki…)",
        "POLICYGRAPH_ENDPOINT_USER=dba POLICYGRAPH_ENDPOINT_PASSWORD=dba "
        "policygraph push --endpoint http://127.0.0.1:8890/sparql-auth",
        _push,
    )
    p.add_argument(
        "--endpoint",
        required=True,
        metavar="URL",
        help="the SPARQL endpoint that accepts updates (Virtuoso: /sparql-auth); "
        "credentials come from POLICYGRAPH_ENDPOINT_USER / _PASSWORD",
    )
    p.add_argument(
        "--graph-store",
        metavar="URL",
        help="send each graph whole with the Graph Store HTTP Protocol "
        "(Virtuoso: /sparql-graph-crud-auth) instead of SPARQL Update",
    )
    add_store_option(p)


def _register_serve(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = command(
        sub,
        "serve",
        "serve the store as a read-only SPARQL endpoint with a query page",
        "policygraph serve --port 8000 --store store",
        _serve,
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    p.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="longest a query may run (default 30); it is stopped then",
    )
    p.add_argument(
        "--request-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="longest a request's headers and body may take to arrive (default 10)",
    )
    p.add_argument(
        "--views",
        default="out",
        metavar="DIR",
        help="folder of HTML network views to link (default: out)",
    )
    p.add_argument(
        "--cors",
        action="store_true",
        help="let pages on any origin query the endpoint (Access-Control-Allow-Origin: *)",
    )
    p.add_argument(
        "--review",
        action="store_true",
        help="also serve the review page at /review/, which writes decisions (127.0.0.1 only)",
    )
    p.add_argument(
        "--decisions",
        metavar="FILE",
        default="data/review.yaml",
        help="with --review: the decisions file to write (default: data/review.yaml)",
    )
    p.add_argument("--reviewer", help="with --review: the default reviewer's name")
    add_store_option(p)


def _params(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise QueryError(f"--param {pair!r}: write NAME=VALUE")
        out[name.strip()] = value
    return out


def _query(args: argparse.Namespace) -> int:
    from ..lookups import stored_examples
    from ..sparql.formatting import describe, format_any
    from ..sparql.querying import find_query, load_library, run_query

    if args.list:
        infos = load_library()
        if args.endpoint:
            sys.stdout.write(describe(infos))
            return EXIT_OK
        try:
            store = Store(args.store, read_only=True)
        except StoreError:  # no store yet: the listing without examples
            sys.stdout.write(describe(infos, examples={}))
            return EXIT_OK
        with store:
            sys.stdout.write(describe(infos, examples=stored_examples(infos, store)))
        return EXIT_OK
    if not args.query:
        raise QueryError("name a query (see `policygraph query --list`) or give SPARQL text")
    info = find_query(args.query)
    params = _params(args.param)
    if args.endpoint:
        from ..sparql.remote import Endpoint

        result = run_query(info, params, endpoint=Endpoint.from_env(args.endpoint))
    else:
        with Store(args.store, read_only=True) as store:
            result = run_query(info, params, store=store)
    sys.stdout.write(format_any(result, args.format))
    return EXIT_OK


def _push(args: argparse.Namespace) -> int:
    from ..sparql.remote import Endpoint, push

    endpoint = Endpoint.from_env(args.endpoint)
    with Store(args.store, read_only=True) as store:
        report = push(store, endpoint, graph_store=args.graph_store)
    print(f"pushed {report.graphs} graphs, {report.triples} triples ({report.method})")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from ..review.app import ReviewMount
    from ..serve import ServeConfig, serve

    if args.review and args.host not in ("127.0.0.1", "localhost", "::1"):
        raise ReviewError("--review serves on 127.0.0.1 only: it writes decisions")
    config = ServeConfig(
        host=args.host,
        port=args.port,
        query_timeout=args.timeout,
        request_timeout=args.request_timeout,
        views_dir=Path(args.views),
        cors=args.cors,
        review=ReviewMount(Path(args.decisions), args.reviewer or getpass.getuser())
        if args.review
        else None,
    )
    with contextlib.suppress(KeyboardInterrupt):
        serve(Path(args.store), config, announce=lambda line: print(line, flush=True))
    return EXIT_OK
