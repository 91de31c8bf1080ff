"""The SPARQL 1.1 Protocol's content negotiation, result serialisation and service description.

`Accept` decides the answer's format (q-values honoured, the most specific matching range
wins); the `format` / `output` parameter that some clients send (SPARQLWrapper sends both) is
read only when `Accept` is missing, names nothing but `*/*`, or is a browser's page request
(it names text/html: a plain form post), and it is read by result kind:
`format=xml` is SPARQL results XML for SELECT and ASK, RDF/XML for CONSTRUCT and DESCRIBE.
Answers are serialised by Oxigraph, with the project's prefixes in Turtle and TriG.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pyoxigraph as ox

from .. import resources
from ..errors import NotAcceptable

__all__ = [
    "GRAPH_FORMATS",
    "RESULTS_FORMATS",
    "Format",
    "choose",
    "kind_of",
    "serialize",
    "service_description",
]

Kind = Literal["results", "graph"]


@dataclass(frozen=True)
class Format:
    """One answer format: the media type it is sent as and the types that ask for it."""

    name: str
    media_type: str
    asked_as: tuple[str, ...]
    oxigraph: Any  # ox.QueryResultsFormat or ox.RdfFormat
    # The `format` / `output` parameter values that name it (lower case).
    keywords: tuple[str, ...]


# Server preference order: the first is the default answer.
RESULTS_FORMATS: tuple[Format, ...] = (
    Format(
        "json",
        "application/sparql-results+json",
        (
            "application/sparql-results+json",
            "application/json",
            "text/javascript",
            "application/javascript",
        ),
        ox.QueryResultsFormat.JSON,
        ("json", "srj"),
    ),
    Format(
        "xml",
        "application/sparql-results+xml",
        ("application/sparql-results+xml", "application/xml", "text/xml"),
        ox.QueryResultsFormat.XML,
        ("xml", "srx"),
    ),
    Format("csv", "text/csv", ("text/csv",), ox.QueryResultsFormat.CSV, ("csv",)),
    Format(
        "tsv",
        "text/tab-separated-values",
        ("text/tab-separated-values",),
        ox.QueryResultsFormat.TSV,
        ("tsv",),
    ),
)
GRAPH_FORMATS: tuple[Format, ...] = (
    Format(
        "turtle",
        "text/turtle",
        # Turtle is N3 without N3's extensions: an N3 reader reads it.
        (
            "text/turtle",
            "application/turtle",
            "application/x-turtle",
            "text/n3",
            "text/rdf+n3",
            "application/n3",
        ),
        ox.RdfFormat.TURTLE,
        ("turtle", "ttl", "n3"),
    ),
    Format(
        "ntriples",
        "application/n-triples",
        ("application/n-triples", "text/plain"),
        ox.RdfFormat.N_TRIPLES,
        ("ntriples", "n-triples", "nt"),
    ),
    Format(
        "rdfxml",
        "application/rdf+xml",
        ("application/rdf+xml", "application/xml", "text/xml"),
        ox.RdfFormat.RDF_XML,
        ("xml", "rdfxml", "rdf+xml", "rdf"),
    ),
    Format(
        "jsonld",
        "application/ld+json",
        ("application/ld+json", "application/x-json+ld", "application/json"),
        ox.RdfFormat.JSON_LD,
        ("json-ld", "jsonld", "json"),
    ),
    Format(
        "nquads",
        "application/n-quads",
        ("application/n-quads", "text/x-nquads"),
        ox.RdfFormat.N_QUADS,
        ("nquads", "n-quads", "nq"),
    ),
    Format("trig", "application/trig", ("application/trig",), ox.RdfFormat.TRIG, ("trig",)),
)
_BY_KIND: dict[Kind, tuple[Format, ...]] = {"results": RESULTS_FORMATS, "graph": GRAPH_FORMATS}


def kind_of(result: Any) -> Kind:
    return "graph" if isinstance(result, ox.QueryTriples) else "results"


def _ranges(accept: str) -> list[tuple[str, float, int]]:
    """(media range, q, position) of each range in an Accept header."""
    out: list[tuple[str, float, int]] = []
    for position, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for piece in pieces[1:]:
            name, _, value = piece.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(1.0, max(0.0, float(value)))
                except ValueError:
                    q = 0.0
        out.append((media, q, position))
    return out


def _specificity(media_range: str, media: str) -> int:
    """3 for an exact match, 2 for type/*, 1 for */*, 0 for no match."""
    if media_range == media:
        return 3
    if media_range == "*/*":
        return 1
    top, _, sub = media_range.partition("/")
    return 2 if sub == "*" and media.startswith(top + "/") else 0


def _by_accept(accept: str, offered: Sequence[Format]) -> Format | None:
    ranges = _ranges(accept)
    best: tuple[float, int, int, int] | None = None
    chosen: Format | None = None
    for rank, fmt in enumerate(offered):
        for asked in fmt.asked_as:
            # The most specific range that matches decides this type's quality (RFC 9110).
            # A wildcard stands for a format's own type, not its aliases (text/* is CSV, not
            # JSON sent as text/javascript).
            matches = [
                (s, q, pos)
                for r, q, pos in ranges
                if (s := _specificity(r, asked)) == 3 or (s and asked == fmt.media_type)
            ]
            if not matches:
                continue
            spec, q, pos = max(matches, key=lambda m: (m[0], -m[2]))
            if q <= 0:
                continue
            # Higher q first; then an exactly named type over a wildcard; then the client's
            # order; then the server's.
            key = (q, spec, -pos, -rank)
            if best is None or key > best:
                best, chosen = key, fmt
    return chosen


def _names_no_format(accept: str) -> bool:
    """Accept leaves the choice open: missing, only `*/*`, or a browser asking for a page
    (text/html; the query page's download buttons are such plain form posts)."""
    ranges = [media for media, _, _ in _ranges(accept)]
    return all(m == "*/*" for m in ranges) or "text/html" in ranges


def choose(kind: Kind, accept: str, fallback: Sequence[str] = ()) -> Format:
    """The format to answer in: by the `format`/`output` values when Accept leaves the choice
    open; else by Accept; else the default. Raises NotAcceptable."""
    offered = _BY_KIND[kind]
    if _names_no_format(accept):
        for value in (v.strip().lower() for v in fallback):
            for fmt in offered:
                if value in fmt.keywords or value in fmt.asked_as:
                    return fmt
        if all(media == "*/*" for media, _, _ in _ranges(accept)):
            return offered[0]  # missing or */*: the default
    chosen = _by_accept(accept, offered)
    if chosen is None:
        raise NotAcceptable(kind, [f.media_type for f in offered])
    return chosen


def content_type(fmt: Format) -> str:
    # RDF/XML and SPARQL results XML carry their encoding in the XML declaration.
    return fmt.media_type if "xml" in fmt.media_type else f"{fmt.media_type}; charset=utf-8"


def serialize(result: Any, fmt: Format, prefixes: Mapping[str, str]) -> bytes:
    """The answer's bytes. Graph results get the prefixes where the format can carry them."""
    if isinstance(result, ox.QueryTriples):
        return serialize_triples(result, fmt, prefixes)
    return bytes(result.serialize(format=fmt.oxigraph) or b"")


def serialize_triples(triples: Iterable[Any], fmt: Format, prefixes: Mapping[str, str]) -> bytes:
    return write_rdf(triples, fmt.oxigraph, prefixes)


def write_rdf(triples: Iterable[Any], rdf_format: Any, prefixes: Mapping[str, str]) -> bytes:
    """Oxigraph triples in an RDF format; Turtle and TriG declare the prefixes they use."""
    if rdf_format not in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        return bytes(ox.serialize(triples, format=rdf_format) or b"")
    items = list(triples)
    return bytes(
        ox.serialize(items, format=rdf_format, prefixes=used_prefixes(items, prefixes)) or b""
    )


def used_prefixes(triples: Iterable[Any], prefixes: Mapping[str, str]) -> dict[str, str]:
    """The prefixes the triples' IRIs are written with: for each IRI the longest namespace it
    starts with (actor: rather than id: for an actor)."""
    iris = {
        term.value
        for t in triples
        for term in (t.subject, t.predicate, t.object)
        if isinstance(term, ox.NamedNode)
    }
    by_length = sorted(prefixes.items(), key=lambda item: -len(item[1]))
    used: dict[str, str] = {}
    for iri in iris:
        best = next(((p, ns) for p, ns in by_length if iri.startswith(ns)), None)
        if best is not None:
            used[best[0]] = best[1]
    return used


def service_description(endpoint: str) -> list[Any]:
    """The SPARQL 1.1 Service Description of the endpoint at `endpoint`, as Oxigraph triples.
    The template (assets/service.ttl) names the service `<>`, read relative to the endpoint."""
    text = resources.package_bytes("assets", "service.ttl")
    triples = list(ox.parse(text, format=ox.RdfFormat.TURTLE, base_iri=endpoint))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    service = ox.NamedNode(endpoint)
    formats = {f.media_type: f for f in (*RESULTS_FORMATS, *GRAPH_FORMATS)}
    for fmt in formats.values():
        # Each format by its W3C formats IRI where one exists, else by its media type.
        iri = _W3C_FORMATS.get(fmt.name)
        obj = ox.NamedNode(iri) if iri else ox.Literal(fmt.media_type)
        triples.append(ox.Triple(service, ox.NamedNode(sd + "resultFormat"), obj))
    return triples


_W3C = "http://www.w3.org/ns/formats/"
_W3C_FORMATS = {
    "json": _W3C + "SPARQL_Results_JSON",
    "xml": _W3C + "SPARQL_Results_XML",
    "csv": _W3C + "SPARQL_Results_CSV",
    "tsv": _W3C + "SPARQL_Results_TSV",
    "turtle": _W3C + "Turtle",
    "ntriples": _W3C + "N-Triples",
    "rdfxml": _W3C + "RDF_XML",
    "jsonld": _W3C + "JSON-LD",
    "nquads": _W3C + "N-Quads",
    "trig": _W3C + "TriG",
}
