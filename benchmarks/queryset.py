"""The queries of queries/ as benchmark cases, each runnable on the Oxigraph store and on an
rdflib Dataset with the same parameters.

Parameters: a query's @example values that name real actors ("Access Now") or letters find
nothing in the synthetic corpus, and a lookup that finds nothing is not a fair measurement.
So parameters naming an actor, a speaker, an organisation or a letter are filled from the
store (the actor that signed most letters, the person quoted most, the organisation with most
people, the letter with most signatories); the other examples (topic, position, country)
hold in the synthetic corpus too and are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

HERE = Path(__file__).resolve().parent

# Parameter name → the store lookup that fills it (benchmarks/queries/<lookup>.rq).
SYNTHETIC = {
    "actor_name": "top_signer",
    "organisation_name": "top_employer",
    "speaker_name": "top_speaker",
    "letter_title": "top_letter",
    "letter": "top_letter",
}


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

    def to_json(self) -> dict[str, Any]:
        """The parameters as plain data, so a process can run this case without looking its
        parameters up again (the lookups take seconds on 10,000 documents)."""
        params = {
            k: {"iri": str(v)} if isinstance(v, URIRef) else {"literal": str(v)}
            for k, v in self.params.items()
        }
        return {"name": self.name, "params": params, "source": self.source}

    @classmethod
    def from_json(cls, data: dict[str, Any], text: str) -> Case:
        params: dict[str, Node] = {
            k: URIRef(v["iri"]) if "iri" in v else Literal(v["literal"])
            for k, v in data["params"].items()
        }
        return cls(data["name"], text, params, data["source"])


def _lookup(store: Any, name: str) -> tuple[Node | None, Node | None]:
    """(IRI, label) of the first row of benchmarks/queries/<name>.rq."""
    rows = store.select((HERE / "queries" / f"{name}.rq").read_text(encoding="utf-8")).rows
    return (rows[0][0], rows[0][1]) if rows else (None, None)


def query_cases(store: Any, folder: Path | None = None) -> list[Case]:
    """One case per library query, with parameters that find something in `store`."""
    try:
        from policygraph.sparql import querying
    except ImportError:  # the query library module has not landed: read the files directly
        folder = folder or HERE.parent / "queries"
        return [Case(p.stem, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.rq"))]
    found = {name: _lookup(store, name) for name in sorted(set(SYNTHETIC.values()))}
    cases = []
    for info in querying.load_library(folder):
        params: dict[str, Node] = dict(querying.example_params(info)) if info.examples else {}
        source = "example" if params else "none"
        for p in info.params:
            if p.name not in SYNTHETIC:
                continue
            params.pop(p.name, None)
            iri, label = found[SYNTHETIC[p.name]]
            value = iri if p.type == "iri" else (Literal(str(label)) if label else None)
            if value is not None:
                params[p.name] = value
                source = "synthetic"
        cases.append(Case(info.name, info.text, params, source))
    return cases
