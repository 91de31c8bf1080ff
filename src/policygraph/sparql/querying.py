"""The query library: the `queries/*.rq` files, their plain-words headers, parameters bound as
RDF terms, and results as a table or as the standard SPARQL results formats.

Header of a .rq file (leading `#` lines; see queries/README.md):

    # The question, in plain words, on the first line.
    # More lines of explanation.
    # @param actor_name string -- what the value means
    # @example actor_name=Access Now

Parameter types: `iri`, `string`, `integer`, `boolean`, `date`, `year`, `actor` and `topic`
(params.py says how each is read; `actor` and `topic` values are looked up, see lookups.py).
A parameter that is not given leaves its variable free, so the query answers for every value.
Values are bound as RDF terms: locally through Oxigraph substitutions, remotely through a
VALUES block written by rdf/terms.py — never pasted into the query text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib.term import Node

from .. import resources
from ..errors import QueryError
from ..lookups import Names
from ..rdf import terms
from ..store import DEFAULT_STORE, Store
from .params import (
    INLINE_PREFIXES,
    PARAM_TYPES,
    python_param,
    query_form,
    with_values,
)
from .remote import Endpoint
from .remote import query as remote_query
from .remote import select as remote_select
from .results import QueryResult, from_oxigraph

__all__ = [
    "Param",
    "QueryInfo",
    "bind_params",
    "example_params",
    "find_query",
    "library_dir",
    "load_library",
    "parse_query_file",
    "run_library",
    "run_query",
]

_PARAM_RE = re.compile(r"^@param\s+(?P<name>[A-Za-z_]\w*)\s+(?P<type>\w+)\s*(?:--\s*(?P<doc>.*))?$")
_EXAMPLE_RE = re.compile(r"^@example\s+(?P<name>[A-Za-z_]\w*)=(?P<value>.*)$")
_ERROR_POS_RE = re.compile(r"error at (\d+):(\d+)")
_DECLARED_RE = re.compile(r"^\s*PREFIX\s+([^\s:]*):", re.IGNORECASE | re.MULTILINE)


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


def bind_params(
    info: QueryInfo, raw: Mapping[str, object], *, names: Names | None = None
) -> dict[str, Node]:
    """Check the given parameters against the query's header and type them. Values may be
    text (as on the command line), plain Python values or rdflib terms (taken as they are).
    With `names`, an `actor` or `topic` parameter given as text is looked up (lookups.py)."""
    out: dict[str, Node] = {}
    for name, value in raw.items():
        if info.path is None and not info.params:
            out[name] = python_param(value, None, name=name)
            continue
        param = info.param(name)
        if param is None:
            known = ", ".join(p.name for p in info.params) or "none"
            raise QueryError(f"{info.where}: no parameter {name!r} (parameters: {known})")
        # Text is looked up; an rdflib term (a Literal is a str too) is taken as it is.
        if (
            names is not None
            and isinstance(value, str)
            and not isinstance(value, Node)
            and param.type in ("actor", "topic")
        ):
            look = names.actor if param.type == "actor" else names.topic
            value = look(value, param=name)
        out[name] = python_param(value, param.type, name=name)
    return out


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
    query: QueryInfo | str,
    params: Mapping[str, object] | None = None,
    *,
    store: Store | None = None,
    endpoint: Endpoint | None = None,
) -> QueryResult:
    """Run a query (a library name, a .rq path, SPARQL text, or a QueryInfo) on a store, a
    remote endpoint, or (given neither) the default store opened read-only.

    `params` may be plain Python values: `run_query("actors-by-stance", {"topic": "e2ee"})`.
    Inline SPARQL may use the project's prefixes (pg:, id:, topic:, skos:, schema:, …)
    without declaring them. SELECT gives a SelectResult, ASK an AskResult, CONSTRUCT and
    DESCRIBE a GraphResult."""
    info = query if isinstance(query, QueryInfo) else find_query(query)
    if endpoint is not None:
        return _run_remote(info, params or {}, endpoint)
    if store is None:
        with Store(DEFAULT_STORE, read_only=True) as opened:
            return _run_local(info, params or {}, opened)
    return _run_local(info, params or {}, store)


def _run_local(info: QueryInfo, params: Mapping[str, object], store: Store) -> QueryResult:
    bindings = bind_params(info, params, names=Names(store.select))
    text = info.text
    if bindings and query_form(text) != "SELECT":
        # Oxigraph substitutes values into SELECT queries only (it looks for the variables in
        # the projection): other forms get the VALUES block remote endpoints get.
        text, bindings = with_values(text, bindings), {}
    try:
        return from_oxigraph(store.query_raw(text, bindings, prefixes=INLINE_PREFIXES))
    except QueryError as exc:
        raise _error_with_place(info, exc) from exc
    except RuntimeError as exc:  # Oxigraph: e.g. a bound variable missing from the projection
        raise _error_with_place(info, exc) from exc


def _run_remote(info: QueryInfo, params: Mapping[str, object], endpoint: Endpoint) -> QueryResult:
    names = Names(lambda text: remote_select(endpoint, text))
    bindings = bind_params(info, params, names=names)
    try:
        return remote_query(endpoint, _declare_prefixes(info.text), bindings)
    except QueryError as exc:
        raise QueryError(f"{info.where}: {exc}") from exc


def _declare_prefixes(text: str) -> str:
    """The query with PREFIX lines for the project's prefixes it does not declare (for a
    remote endpoint, which knows none of them)."""
    declared = {m.lower() for m in _DECLARED_RE.findall(text)}
    lines = [
        terms.prefix_declaration(p, iri) for p, iri in INLINE_PREFIXES.items() if p not in declared
    ]
    return "\n".join([*lines, text])


def example_params(info: QueryInfo) -> dict[str, Node]:
    return bind_params(info, dict(info.examples))


def run_library(
    store: Store | None = None,
    *,
    endpoint: Endpoint | None = None,
    folder: Path | None = None,
) -> list[tuple[QueryInfo, QueryResult]]:
    """Every library query with its @example parameters, in file-name order."""
    return [
        (info, run_query(info, example_params(info), store=store, endpoint=endpoint))
        for info in load_library(folder)
    ]
