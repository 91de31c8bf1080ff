"""The queries of queries/ as benchmark cases, each runnable on the Oxigraph store and on an
rdflib Dataset with the same parameters.

Parameters: a query's @example values name real actors ("Access Now") that the synthetic
corpus does not contain, and a lookup that finds nothing is not a fair measurement. So a
parameter is filled from the synthetic data by its type: a string with the label of the actor
that signed most letters, a year or date in the corpus' range, an IRI with that actor's IRI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

HERE = Path(__file__).resolve().parent


@dataclass
class Case:
    name: str
    text: str
    params: dict[str, Node] = field(default_factory=dict)
    source: str = "none"  # where the parameter values came from

    def run_store(self, store: Any) -> int:
        return len(store.select(self.text, self.params).rows)

    def run_rdflib(self, ds: Any) -> int:
        return len(list(ds.query(self.text, initBindings=self.params)))

    def describe(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.params.items()} | {"_source": self.source}


def _top_actor(store: Any) -> tuple[URIRef | None, str | None]:
    query = (HERE / "queries" / "top_signer.rq").read_text(encoding="utf-8")
    rows = store.select(query).rows
    if not rows:
        return None, None
    actor, label = rows[0][0], rows[0][1]
    return (actor if isinstance(actor, URIRef) else None), (str(label) if label else None)


def _synthetic(ptype: str, actor: URIRef | None, label: str | None) -> Node | None:
    if ptype == "string":
        return Literal(label) if label else None
    if ptype == "iri":
        return actor
    if ptype == "year":
        return Literal("2019", datatype=XSD.gYear)
    if ptype == "date":
        return Literal("2015-01-01", datatype=XSD.date)
    if ptype == "integer":
        return Literal(2, datatype=XSD.integer)
    return None


def query_cases(store: Any, folder: Path | None = None) -> list[Case]:
    """One case per library query, with parameters that find something in `store`."""
    try:
        from policygraph import querying
    except ImportError:  # the query library module has not landed: read the files directly
        folder = folder or HERE.parent / "queries"
        return [Case(p.stem, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.rq"))]
    actor, label = _top_actor(store)
    cases = []
    for info in querying.load_library(folder):
        params = {p.name: _synthetic(p.type, actor, label) for p in info.params}
        bound = {k: v for k, v in params.items() if v is not None}
        cases.append(Case(info.name, info.text, bound, "synthetic" if bound else "none"))
    return cases
