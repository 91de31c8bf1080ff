"""Query results as text: a table for people, and the SPARQL results formats (CSV, TSV,
JSON) for programs; ASK as true/false; graphs (CONSTRUCT, DESCRIBE) in an RDF format."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ..errors import QueryError
from ..store import SelectResult
from .params import TABLE_PREFIXES
from .results import AskResult, GraphResult, QueryResult

if TYPE_CHECKING:
    from .querying import QueryInfo

__all__ = [
    "FORMATS",
    "GRAPH_FORMATS",
    "describe",
    "format_any",
    "format_result",
    "rows_as_text",
    "term_json",
]

FORMATS = ("table", "csv", "tsv", "json")
GRAPH_FORMATS = ("turtle", "ntriples", "rdfxml", "jsonld", "nquads", "trig")


def format_any(result: QueryResult, fmt: str | None = None, *, max_width: int = 80) -> str:
    """Any query's result as text: SELECT in `fmt` (default table); ASK as `true`/`false`
    (or SPARQL JSON); a graph in `fmt` (default Turtle)."""
    if isinstance(result, AskResult):
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.value}) + "\n"
        return ("true" if result.value else "false") + "\n"
    if isinstance(result, GraphResult):
        fmt = fmt or "turtle"
        if fmt not in GRAPH_FORMATS:
            raise QueryError(
                f"a graph (CONSTRUCT, DESCRIBE) prints as {', '.join(GRAPH_FORMATS)}, not {fmt}"
            )
        return result.serialize(fmt)
    if fmt is not None and fmt not in FORMATS:
        raise QueryError(f"SELECT results print as {', '.join(FORMATS)}, not {fmt}")
    return format_result(result, fmt or "table", max_width=max_width)


def format_result(result: SelectResult, fmt: str = "table", *, max_width: int = 80) -> str:
    if fmt == "table":
        return _table(result, max_width)
    if fmt == "json":
        return json.dumps(_results_json(result), ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        return _csv(result)
    if fmt == "tsv":
        return _tsv(result)
    raise QueryError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def _compact(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        best = max(
            ((p, ns) for p, ns in TABLE_PREFIXES.items() if text.startswith(str(ns))),
            key=lambda item: len(item[1]),
            default=None,
        )
        return f"{best[0]}:{text[len(best[1]) :]}" if best else text
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _table(result: SelectResult, max_width: int) -> str:
    def cell(term: Node | None) -> str:
        text = " ".join(_compact(term).split())
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    header = list(result.variables)
    rows = [[cell(t) for t in row] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def term_json(term: Node) -> dict[str, str]:
    """One RDF term in the SPARQL 1.1 Query Results JSON format."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and term.datatype != XSD.string:
            out["datatype"] = str(term.datatype)
        return out
    raise QueryError(f"cannot write {term!r} as a result")


def _results_json(result: SelectResult) -> dict[str, Any]:
    bindings = [
        {v: term_json(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
        for row in result.rows
    ]
    return {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}


def _csv(result: SelectResult) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(
            ["" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t)) for t in row]
        )
    return buf.getvalue()


def _tsv(result: SelectResult) -> str:
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else _tsv_term(t) for t in row))
    return "\n".join(lines) + "\n"


def _tsv_term(term: Node) -> str:
    if isinstance(term, BNode):
        return f"_:{term}"
    text = str(term.n3())
    # TSV cannot carry raw tabs or newlines inside a term: use the Turtle escapes.
    return text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def rows_as_text(result: SelectResult) -> list[tuple[str, ...]]:
    """Rows as plain strings (unbound as ''), for comparing stores that differ in datatypes."""
    return [tuple("" if t is None else str(t) for t in row) for row in result.rows]


def describe(
    infos: Sequence[QueryInfo], examples: Mapping[str, Mapping[str, str]] | None = None
) -> str:
    """The library listing for `policygraph query --list`. With `examples` (query name →
    parameter → a value the store holds), those are shown instead of the @example lines."""
    lines: list[str] = []
    for info in infos:
        lines.append(f"{info.name}")
        lines.append(f"    {info.question}")
        for p in info.params:
            if examples is None:
                example = dict(info.examples).get(p.name)
                extra = f" (example: {example})" if example and example not in p.doc else ""
            else:
                found = examples.get(info.name, {}).get(p.name)
                extra = f" (in the store: {found})" if found else " (none in the store)"
            lines.append(f"    --param {p.name}=<{p.type}>  {p.doc}{extra}")
    return "\n".join(lines) + "\n"
