"""What a query answers, for programs and notebooks: SELECT rows (store.SelectResult), an ASK
boolean, or a graph (CONSTRUCT, DESCRIBE); and RDF terms as plain Python values.

`SelectResult.records()` gives rows of plain values (IRIs as str, literals as int, float,
Decimal, bool, date, datetime or str) and `SelectResult.to_dataframe()` a pandas DataFrame
whose columns are typed from the literals' datatypes (pandas is the optional extra
`policygraph[pandas]`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ..store import SelectResult
from ..vocab import EXPORT_PREFIXES

__all__ = ["AskResult", "GraphResult", "QueryResult", "python_value", "to_dataframe"]

Triple = tuple[Node, Node, Node]

_INTEGERS = {
    str(XSD[t])
    for t in [
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
        "gYear",
    ]
}
_FLOATS = {str(XSD.decimal), str(XSD.double), str(XSD.float)}
_DATES = {str(XSD.date), str(XSD.dateTime), str(XSD.dateTimeStamp)}
_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}


@dataclass(frozen=True)
class AskResult:
    value: bool

    def __bool__(self) -> bool:
        return self.value


@dataclass(frozen=True)
class GraphResult:
    """The triples a CONSTRUCT or DESCRIBE made."""

    triples: tuple[Triple, ...]

    def __len__(self) -> int:
        return len(self.triples)

    def __iter__(self) -> Iterator[Triple]:
        return iter(self.triples)

    def graph(self) -> Graph:
        g = Graph()
        for t in self.triples:
            g.add(t)
        return g

    def serialize(self, fmt: str = "turtle") -> str:
        """The triples in an RDF format, written by Oxigraph (Turtle with the project's
        prefixes)."""
        from ..store.core import to_ox
        from .protocol import write_rdf

        triples = [ox.Triple(*(to_ox(term) for term in t)) for t in self.triples]
        prefixes = {k: str(v) for k, v in EXPORT_PREFIXES.items()}
        return write_rdf(triples, _RDF_FORMATS[fmt], prefixes).decode("utf-8")


QueryResult = SelectResult | AskResult | GraphResult


def from_oxigraph(result: Any) -> QueryResult:
    """A pyoxigraph query result (solutions, boolean or triples) as rdflib-term values."""
    from ..store.core import from_ox

    if isinstance(result, ox.QuerySolutions):
        variables = tuple(v.value for v in result.variables)
        rows = tuple(tuple(from_ox(sol[v]) for v in variables) for sol in result)
        return SelectResult(variables, rows)
    if isinstance(result, ox.QueryTriples):
        return GraphResult(
            tuple((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in result)  # type: ignore[misc]
        )
    return AskResult(bool(result))


def python_value(term: Node | None) -> Any:
    """An RDF term as a plain Python value: IRIs as str, blank nodes as '_:id', literals as
    the Python value of their datatype (an unknown datatype: the text)."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        if term.datatype is not None and str(term.datatype) == str(XSD.gYear):
            return int(str(term)) if str(term).lstrip("-").isdigit() else str(term)
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)


def _column_kind(terms: Sequence[Node | None]) -> str:
    datatypes = {
        str(t.datatype) if isinstance(t, Literal) and t.datatype is not None else "text"
        for t in terms
        if t is not None
    }
    if not datatypes:
        return "text"
    for kind, family in (("int", _INTEGERS), ("float", _FLOATS), ("date", _DATES)):
        if datatypes <= family:
            return kind
    if datatypes == {str(XSD.boolean)}:
        return "bool"
    return "text"


_DTYPES = {"int": "Int64", "float": "Float64", "bool": "boolean", "text": "string"}


def to_dataframe(result: SelectResult) -> Any:
    """The rows as a pandas DataFrame, one typed column per variable: nullable Int64,
    Float64 and boolean, datetime64 for dates, string for IRIs and text."""
    try:
        import pandas as pd  # type: ignore[import-untyped, import-not-found]
    except ImportError as exc:
        raise ImportError(
            "SelectResult.to_dataframe() needs pandas: pip install 'policygraph[pandas]'"
        ) from exc
    columns: dict[str, Any] = {}
    for i, var in enumerate(result.variables):
        terms = [row[i] for row in result.rows]
        kind = _column_kind(terms)
        values = [python_value(t) for t in terms]
        if kind == "date":
            try:
                columns[var] = pd.to_datetime(pd.Series(values, dtype=object))
            except (TypeError, ValueError):  # dates with and without a time zone mixed
                columns[var] = pd.Series(values, dtype=object)
        elif kind == "float":
            columns[var] = pd.Series([None if v is None else float(v) for v in values])
            columns[var] = columns[var].astype("Float64")
        else:
            columns[var] = pd.Series(values, dtype=object).astype(_DTYPES[kind])
    return pd.DataFrame(columns, columns=list(result.variables))
