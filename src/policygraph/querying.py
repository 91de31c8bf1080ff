"""The query library: the `queries/*.rq` files, their plain-words headers, parameters bound as
RDF terms, and results as a table or as the standard SPARQL results formats.

Header of a .rq file (leading `#` lines; see queries/README.md):

    # The question, in plain words, on the first line.
    # More lines of explanation.
    # @param actor_name string -- what the value means
    # @example actor_name=Access Now

Parameter types: `iri` (`<http://…>`, `http://…`, or a prefixed name such as `pg:Support`),
`string` (the text as given, a plain literal), `integer`, `date` (YYYY-MM-DD) and `year`.
A parameter that is not given leaves its variable free, so the query answers for every value.
Values are bound as RDF terms: locally through Oxigraph substitutions, remotely through a
trailing VALUES block serialised by rdflib — never pasted into the query text.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from . import resources
from .errors import QueryError
from .store import SelectResult, Store
from .vocab import PREFIXES

if TYPE_CHECKING:
    from .remote import Endpoint

__all__ = [
    "FORMATS",
    "Param",
    "QueryInfo",
    "bind_params",
    "find_query",
    "format_result",
    "library_dir",
    "load_library",
    "parse_query_file",
    "parse_value",
    "run_library",
    "run_query",
    "values_clause",
    "with_values",
]

FORMATS = ("table", "csv", "tsv", "json")
PARAM_TYPES = ("iri", "string", "integer", "date", "year")

_PARAM_RE = re.compile(r"^@param\s+(?P<name>[A-Za-z_]\w*)\s+(?P<type>\w+)\s*(?:--\s*(?P<doc>.*))?$")
_EXAMPLE_RE = re.compile(r"^@example\s+(?P<name>[A-Za-z_]\w*)=(?P<value>.*)$")
_ERROR_POS_RE = re.compile(r"error at (\d+):(\d+)")
# Characters that may not appear in an IRI written in SPARQL (SPARQL 1.1 grammar, IRIREF).
_BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(//|[^/\s]).*")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    doc: str = ""


@dataclass(frozen=True)
class QueryInfo:
    """One query of the library (or an inline query, named `<inline>`)."""

    name: str
    question: str
    text: str
    path: Path | None = None
    description: str = ""
    params: tuple[Param, ...] = ()
    examples: tuple[tuple[str, str], ...] = ()

    @property
    def where(self) -> str:
        return str(self.path) if self.path is not None else self.name

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


# ---------------------------------------------------------------------- discovery


def library_dir() -> Path:
    """The query library folder (policygraph.resources finds it)."""
    return resources.queries()


def parse_query_file(path: Path) -> QueryInfo:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{path}: cannot read the query: {exc}") from exc
    return _parse_text(text, name=path.stem, path=path)


def _parse_text(text: str, *, name: str, path: Path | None) -> QueryInfo:
    where = str(path) if path else name
    header: list[tuple[int, str]] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        header.append((lineno, stripped.lstrip("#").strip()))
    question = ""
    description: list[str] = []
    params: list[Param] = []
    examples: list[tuple[str, str]] = []
    for lineno, line in header:
        if line.startswith("@param"):
            m = _PARAM_RE.match(line)
            if not m or m["type"] not in PARAM_TYPES:
                raise QueryError(
                    f"{where}:{lineno}: bad @param line {line!r}; write "
                    f"`# @param NAME TYPE -- meaning` with TYPE one of {', '.join(PARAM_TYPES)}"
                )
            params.append(Param(m["name"], m["type"], (m["doc"] or "").strip()))
        elif line.startswith("@example"):
            m = _EXAMPLE_RE.match(line)
            if not m:
                raise QueryError(
                    f"{where}:{lineno}: bad @example line; write `# @example NAME=VALUE`"
                )
            examples.append((m["name"], m["value"].strip()))
        else:
            description.append(line)
    # The question: the header's words up to the first "?" (else its first line).
    prose = " ".join(line for line in description if line)
    mark = prose.find("?")
    question = prose[: mark + 1] if mark >= 0 else (description[0] if description else "")
    description = [prose[len(question) :].strip()]
    names = {p.name for p in params}
    for ex_name, _ in examples:
        if ex_name not in names:
            raise QueryError(f"{where}: @example names {ex_name!r}, which is not a @param")
    if path is not None and not question:
        raise QueryError(
            f"{where}:1: a library query must open with a `#` line stating its question"
        )
    return QueryInfo(
        name=name,
        question=question,
        text=text,
        path=path,
        description="\n".join(description).strip(),
        params=tuple(params),
        examples=tuple(examples),
    )


def load_library(folder: Path | None = None) -> list[QueryInfo]:
    folder = folder or library_dir()
    if not folder.is_dir():
        raise QueryError(f"{folder}: the query library folder does not exist")
    return [parse_query_file(p) for p in sorted(folder.glob("*.rq"))]


def find_query(spec: str, folder: Path | None = None) -> QueryInfo:
    """A library name (`letter-signatories`), a path to a .rq file, or SPARQL text."""
    if spec.endswith(".rq") or ("/" in spec and Path(spec).exists()):
        path = Path(spec)
        if not path.exists():
            raise QueryError(f"{spec}: no such query file")
        return parse_query_file(path)
    if re.fullmatch(r"[\w.-]+", spec):
        path = (folder or library_dir()) / f"{spec}.rq"
        if not path.exists():
            known = ", ".join(q.name for q in load_library(folder))
            raise QueryError(f"no query named {spec!r} in the library; known: {known}")
        return parse_query_file(path)
    return _parse_text(spec, name="<inline>", path=None)


# ---------------------------------------------------------------------- parameters


def _expand_iri(raw: str) -> str:
    value = raw.strip()
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return str(PREFIXES[prefix]) + local
    return value


def parse_value(raw: str, type_: str, *, name: str = "value") -> Node:
    """Turn a command-line value into an RDF term of the parameter's type."""
    if type_ == "iri":
        iri = _expand_iri(raw)
        if not _ABSOLUTE_IRI.match(iri) or _BAD_IRI_CHARS.search(iri):
            raise QueryError(
                f"parameter {name}: {raw!r} is not an IRI (write <http://…> or a known prefix "
                f"such as pg:Support; prefixes: {', '.join(sorted(PREFIXES))})"
            )
        return URIRef(iri)
    if type_ == "string":
        return Literal(raw)
    if type_ == "integer":
        if not re.fullmatch(r"[+-]?\d+", raw.strip()):
            raise QueryError(f"parameter {name}: {raw!r} is not an integer")
        return Literal(raw.strip(), datatype=XSD.integer)
    if type_ == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip()):
            raise QueryError(f"parameter {name}: {raw!r} is not a date (YYYY-MM-DD)")
        return Literal(raw.strip(), datatype=XSD.date)
    if type_ == "year":
        if not re.fullmatch(r"\d{4}", raw.strip()):
            raise QueryError(f"parameter {name}: {raw!r} is not a year (YYYY)")
        return Literal(raw.strip(), datatype=XSD.gYear)
    raise QueryError(f"parameter {name}: unknown type {type_!r}")


def _guess_value(raw: str, name: str) -> Node:
    """For inline queries (no header): <…> or a known prefix is an IRI, anything else text."""
    value = raw.strip()
    if value.startswith("<") and value.endswith(">"):
        return parse_value(value, "iri", name=name)
    prefix = value.split(":", 1)[0]
    if ":" in value and (prefix in PREFIXES or value.startswith(("http://", "https://"))):
        return parse_value(value, "iri", name=name)
    return Literal(raw)


def bind_params(info: QueryInfo, raw: Mapping[str, str]) -> dict[str, Node]:
    """Check the given parameters against the query's header and type them."""
    out: dict[str, Node] = {}
    for name, value in raw.items():
        if info.path is None and not info.params:
            out[name] = _guess_value(value, name)
            continue
        param = info.param(name)
        if param is None:
            known = ", ".join(p.name for p in info.params) or "none"
            raise QueryError(f"{info.where}: no parameter {name!r} (parameters: {known})")
        out[name] = parse_value(value, param.type, name=name)
    return out


def values_clause(bindings: Mapping[str, Node]) -> str:
    """A VALUES block; each term serialised (and escaped) by rdflib."""
    if not bindings:
        return ""
    names = " ".join(f"?{n}" for n in bindings)
    terms = " ".join(_n3(t) for t in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


_FORM_RE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*(\w+)", re.IGNORECASE
)
_IRIREF_RE = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_COMMENT_LINE_RE = re.compile(r"^[ \t]*#.*$", re.MULTILINE)


def _first_brace(text: str) -> int | None:
    """Offset of the first `{` that is not inside a comment, a string or an IRI."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            nl = text.find("\n", i)
            i = n if nl < 0 else nl
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote)
            continue
        elif c == "<" and (m := _IRIREF_RE.match(text, i)):
            i = m.end()
            continue
        elif c == "{":
            return i
        i += 1
    return None


def with_values(query: str, bindings: Mapping[str, Node]) -> str:
    """The query text for a remote endpoint, parameters bound by a VALUES block.

    Comment lines are blanked (SPARQLWrapper's comment stripping misses every other line of a
    comment block and then mistakes the query form). For SELECT and ASK the VALUES block opens
    the WHERE group, where every engine joins it before grouping; Virtuoso 7 mishandles a
    trailing VALUES block in queries that use BIND. Other forms get the trailing block.
    """
    text = _COMMENT_LINE_RE.sub("", query)
    if not bindings:
        return text
    block = values_clause(bindings)
    form = _FORM_RE.match(text)
    if form and form[1].upper() in ("SELECT", "ASK"):
        brace = _first_brace(text)
        if brace is not None:
            return f"{text[: brace + 1]} {block}{text[brace + 1 :]}"
    return f"{text.rstrip()}\n{block}\n"


def _n3(term: Node) -> str:
    if isinstance(term, BNode):
        raise QueryError("a blank node cannot be a query parameter")
    return str(term.n3())


# ---------------------------------------------------------------------- running


def _error_with_place(info: QueryInfo, exc: Exception) -> QueryError:
    message = str(exc).removeprefix("SPARQL syntax error: ")
    first = message.splitlines()[0] if message else type(exc).__name__
    if len(first) > 300:
        first = first[:300] + "…"
    m = _ERROR_POS_RE.search(message)
    place = f"{info.where}:{m[1]}:{m[2]}" if m else info.where
    first = _ERROR_POS_RE.sub("", first).lstrip(": ") or first
    if "Prefix not found" in message:
        first = "a prefix is used that the query does not declare (add a PREFIX line)"
    return QueryError(f"{place}: {first}")


def run_query(
    info: QueryInfo,
    params: Mapping[str, Node] | None = None,
    *,
    store: Store | None = None,
    endpoint: Endpoint | None = None,
) -> SelectResult:
    """Run a SELECT query of the library on the local store or a remote endpoint."""
    bindings = dict(params or {})
    if endpoint is not None:
        from .remote import select as remote_select

        try:
            return remote_select(endpoint, info.text, bindings)
        except QueryError as exc:
            raise QueryError(f"{info.where}: {exc}") from exc
    if store is None:
        raise QueryError("run_query needs a store or an endpoint")
    try:
        return store.select(info.text, bindings)
    except QueryError as exc:
        raise _error_with_place(info, exc) from exc
    except RuntimeError as exc:  # Oxigraph: e.g. a bound variable missing from the projection
        raise _error_with_place(info, exc) from exc


def example_params(info: QueryInfo) -> dict[str, Node]:
    return bind_params(info, dict(info.examples))


def run_library(
    store: Store | None = None,
    *,
    endpoint: Endpoint | None = None,
    folder: Path | None = None,
) -> list[tuple[QueryInfo, SelectResult]]:
    """Every library query with its @example parameters, in file-name order."""
    return [
        (info, run_query(info, example_params(info), store=store, endpoint=endpoint))
        for info in load_library(folder)
    ]


# ---------------------------------------------------------------------- formatting


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
            ((p, str(ns)) for p, ns in PREFIXES.items() if text.startswith(str(ns))),
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


def describe(infos: Sequence[QueryInfo]) -> str:
    """The library listing for `policygraph query --list`."""
    lines: list[str] = []
    for info in infos:
        lines.append(f"{info.name}")
        lines.append(f"    {info.question}")
        for p in info.params:
            example = dict(info.examples).get(p.name)
            extra = f" (example: {example})" if example and example not in p.doc else ""
            lines.append(f"    --param {p.name}=<{p.type}>  {p.doc}{extra}")
    return "\n".join(lines) + "\n"
