"""Query parameters as RDF terms: typed from text (the command line) or from plain Python
values (a notebook), and written for remote endpoints as a VALUES block (rdf/terms.py).

Types (the `@param` line of a .rq file): `iri` (`<http://…>`, `http://…`, or a prefixed name
such as `pg:Support`), `string` (the text as given), `integer`, `boolean`, `date`
(YYYY-MM-DD or a `datetime.date`), `year` (YYYY or an int), `actor` (an actor's name, matched
forgivingly and bound to the name the graph labels it with; see lookups.py) and `topic` (a
topic's id or label, bound to its id).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from ..errors import QueryError
from ..rdf.terms import BAD_IRI, values_block
from ..vocab import EXPORT_PREFIXES, PREFIXES

__all__ = [
    "INLINE_PREFIXES",
    "PARAM_TYPES",
    "TABLE_PREFIXES",
    "guess_value",
    "parse_value",
    "python_param",
    "query_form",
    "with_values",
]

PARAM_TYPES = ("iri", "string", "integer", "boolean", "date", "year", "actor", "topic")
# The prefixes SPARQL text and IRI parameters may use without declaring them: those tables
# print (pg:, id:, skos:, …) and those exports print (actor:, letter:, topic:, …).
INLINE_PREFIXES: dict[str, str] = {k: str(v) for k, v in EXPORT_PREFIXES.items()}
# The prefixes tables are printed with (the shorter list).
TABLE_PREFIXES: dict[str, str] = {
    **{k: str(v) for k, v in PREFIXES.items()},
    "rdf": str(RDF),
    "rdfs": str(RDFS),
}

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(//|[^/\s]).*")


def _expand_iri(raw: str) -> str:
    value = raw.strip()
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    prefix, sep, local = value.partition(":")
    if sep and prefix in INLINE_PREFIXES and not local.startswith("//"):
        return INLINE_PREFIXES[prefix] + local
    return value


def parse_value(raw: str, type_: str, *, name: str = "value") -> Node:
    """Turn a command-line value into an RDF term of the parameter's type."""
    if type_ == "iri":
        iri = _expand_iri(raw)
        if not _ABSOLUTE_IRI.match(iri) or BAD_IRI.search(iri):
            raise QueryError(
                f"parameter {name}: {raw!r} is not an IRI (write <http://…> or a known prefix "
                f"such as pg:Support; prefixes: {', '.join(sorted(INLINE_PREFIXES))})"
            )
        return URIRef(iri)
    if type_ in ("string", "actor", "topic"):
        return Literal(raw)
    if type_ == "boolean":
        if raw.strip().lower() not in ("true", "false"):
            raise QueryError(f"parameter {name}: {raw!r} is not a boolean (true or false)")
        return Literal(raw.strip().lower() == "true")
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


def guess_value(raw: str, name: str) -> Node:
    """For inline queries (no header): <…> or a known prefix is an IRI, anything else text."""
    value = raw.strip()
    if value.startswith("<") and value.endswith(">"):
        return parse_value(value, "iri", name=name)
    prefix = value.split(":", 1)[0]
    if ":" in value and (prefix in INLINE_PREFIXES or value.startswith(("http://", "https://"))):
        return parse_value(value, "iri", name=name)
    return Literal(raw)


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


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE (upper case; '' when the text does not say)."""
    form = _FORM_RE.match(_COMMENT_LINE_RE.sub("", query))
    return form[1].upper() if form else ""


def with_values(query: str, bindings: Mapping[str, Node]) -> str:
    """The query text for a remote endpoint, parameters bound by a VALUES block.

    Comment lines are blanked (a `{` or a query-form word inside a comment must not decide
    where the block goes or which form the query is). For SELECT and ASK the VALUES block opens
    the WHERE group, where every engine joins it before grouping; Virtuoso 7 mishandles a
    trailing VALUES block in queries that use BIND. Other forms get the trailing block.
    """
    text = _COMMENT_LINE_RE.sub("", query)
    if not bindings:
        return text
    block = values_block(list(bindings), [list(bindings.values())])
    form = _FORM_RE.match(text)
    if form and form[1].upper() in ("SELECT", "ASK"):
        brace = _first_brace(text)
        if brace is not None:
            return f"{text[: brace + 1]} {block}{text[brace + 1 :]}"
    return f"{text.rstrip()}\n{block}\n"


def python_param(value: object, type_: str | None, *, name: str) -> Node:
    """A plain Python value (str, int, bool, float, date) as the RDF term of the parameter's
    type (`None`: an inline query's parameter, typed by the value)."""
    if isinstance(value, (URIRef, Literal)):
        return value
    if isinstance(value, str):
        return guess_value(value, name) if type_ is None else parse_value(value, type_, name=name)
    if isinstance(value, bool):  # before int: a bool is an int
        if type_ in (None, "boolean"):
            return Literal(value)
    elif isinstance(value, int):
        if type_ in (None, "integer"):
            return Literal(value, datatype=XSD.integer)
        if type_ == "year":
            return Literal(f"{value:04d}", datatype=XSD.gYear)
    elif isinstance(value, float) and type_ is None:
        return Literal(value, datatype=XSD.double)
    elif isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        if type_ in (None, "date"):
            return Literal(value.isoformat(), datatype=XSD.date)
        if type_ == "year":
            return Literal(f"{value.year:04d}", datatype=XSD.gYear)
    raise QueryError(
        f"parameter {name}: cannot use {value!r} ({type(value).__name__}) as "
        f"{'a value' if type_ is None else 'a ' + type_}"
    )
