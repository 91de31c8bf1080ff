"""RDF written straight as N-Triples text: the build's fast path.

A build writes millions of triples. Making an rdflib term and graph entry for each one cost
more than everything else the build does (`make bench`: 22 s of 33 s building 1,000
documents), so the builder writes each triple as one line of text, which the store and the
validator read in bulk with Oxigraph's parser. IRIs reach this module only minted by vocab
(hashes and slugs), never from document text, and are written unchecked for speed;
literals are written by rdf/terms.py, the one term writer.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from ..rdf import terms

__all__ = ["NS", "DocumentGraph", "Lit", "integer", "lit", "typed"]

XSD = "http://www.w3.org/2001/XMLSchema#"


class Lit(str):
    """An object already written as an N-Triples literal (a plain `str` object is an IRI)."""

    __slots__ = ()


def lit(value: str) -> Lit:
    return Lit(terms.literal(value))


def typed(lexical: str, datatype: str) -> Lit:
    return Lit(terms.literal(lexical, datatype=datatype))


def integer(value: int) -> Lit:
    return Lit(terms.literal(str(value), datatype=f"{XSD}integer"))


class NS:
    """A namespace whose attributes are plain IRI strings (rdflib's build a URIRef, checked
    for validity, on every access)."""

    def __init__(self, base: object) -> None:  # an rdflib Namespace or DefinedNamespace
        self._base = str(base)

    def __getattr__(self, name: str) -> str:
        return self._base + name

    def __getitem__(self, name: str) -> str:
        return self._base + name


@dataclass(frozen=True)
class DocumentGraph:
    """The triples of one document's named graph, as N-Triples lines without the final dot."""

    name: str
    lines: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.lines)

    def ntriples(self) -> str:
        return "".join(f"{line} .\n" for line in self.lines)

    def nquads(self) -> str:
        tail = f" <{self.name}> .\n"
        return "".join(line + tail for line in self.lines)

    def to_rdflib(self) -> Graph:
        """A copy as an rdflib Graph (for tests and small jobs, not for the build's path)."""
        from ..vocab import bind_prefixes

        graph = bind_prefixes(Graph(identifier=self.name))
        if self.lines:
            graph.parse(data=self.ntriples(), format="nt")
        return graph
