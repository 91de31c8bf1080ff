"""Writing the two graphs the linker owns: the links (owl:sameAs plus a pg:WikidataLink node
saying how each was decided) and the enrichment (what Wikidata says, with wdt: properties,
kept apart from what the documents said so that a conflict stays visible)."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ..vocab import DCTERMS, OWL, PG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD, bind_prefixes, mint
from ..vocab import graph_iri as _graph_iri
from .candidates import Details
from .model import WD_ENTITY, LinkRecord, qid_of

__all__ = [
    "ENRICHMENT_GRAPH",
    "ENRICHMENT_PROPERTIES",
    "LINKS_GRAPH",
    "enrichment_graph",
    "kept_enrichment",
    "kept_links",
    "link_graph",
]

LINKS_GRAPH = _graph_iri("wikidata-links")
ENRICHMENT_GRAPH = _graph_iri("wikidata-enrichment")
WDT = "http://www.wikidata.org/prop/direct/"
# country, instance of, official website, inception, parent organisation
ENRICHMENT_PROPERTIES = tuple(URIRef(WDT + p) for p in ("P17", "P31", "P856", "P571", "P749"))
_RELATION = {"sameAs": OWL.sameAs, "closeMatch": SKOS.closeMatch, "exactMatch": SKOS.exactMatch}


def link_node(subject: URIRef, qid: str) -> URIRef:
    return mint("wikidata-link", str(subject), qid)


def _time(at: str) -> Literal:
    text = at if "T" in at else f"{at}T00:00:00+00:00"
    return Literal(text, datatype=XSD.dateTime)


def link_graph(records: Iterable[LinkRecord], extra: Graph | None = None) -> Graph:
    g = bind_prefixes(Graph(identifier=LINKS_GRAPH))
    for r in records:
        target = URIRef(WD_ENTITY + r.qid)
        g.add((r.subject, _RELATION[r.relation], target))
        node = link_node(r.subject, r.qid)
        g.add((node, RDF.type, PG.WikidataLink))
        g.add((node, PG.subject, r.subject))
        g.add((node, PG.target, target))
        g.add((node, PG.score, Literal(f"{r.score:.3f}", datatype=XSD.decimal)))
        g.add((node, PG.decidedBy, Literal(r.decided_by)))
        for feature in r.features:
            g.add((node, PG.feature, Literal(feature)))
        if r.source:
            g.add((node, DCTERMS.source, Literal(r.source)))
        if r.by:
            g.add((node, DCTERMS.creator, Literal(r.by)))
        if r.at:
            g.add((node, PROV.generatedAtTime, _time(r.at)))
    if extra is not None:
        for triple in extra:
            g.add(triple)
    return g


def kept_links(old: Graph, subjects: set[URIRef]) -> tuple[Graph, list[LinkRecord]]:
    """The scorer's links of an earlier run for `subjects` (those this run could not check)."""
    keep = Graph()
    records: list[LinkRecord] = []
    for node in old.subjects(RDF.type, PG.WikidataLink):
        subject = old.value(node, PG.subject)
        target = old.value(node, PG.target)
        if subject not in subjects or str(old.value(node, PG.decidedBy)) == "review":
            continue
        qid = qid_of(str(target))
        if not isinstance(subject, URIRef) or qid is None:
            continue
        for triple in old.triples((node, None, None)):
            keep.add(triple)
        keep.add((subject, OWL.sameAs, URIRef(str(target))))
        score = old.value(node, PG.score)
        records.append(
            LinkRecord(
                subject,
                str(old.value(subject, SKOS.prefLabel) or subject),
                qid,
                float(str(score)) if score is not None else 0.0,
                tuple(sorted(str(f) for f in old.objects(node, PG.feature))),
                "kept",
            )
        )
    return keep, records


def enrichment_graph(qids: Iterable[str], details: Details, kept: Graph | None = None) -> Graph:
    g = bind_prefixes(Graph(identifier=ENRICHMENT_GRAPH))
    for qid in sorted(set(qids)):
        item = URIRef(WD_ENTITY + qid)
        for prop, value, label in details.statements.get(qid, ()):
            p = URIRef(prop)
            if p in ENRICHMENT_PROPERTIES:
                g.add((item, p, value))
                if label is not None and isinstance(value, URIRef):
                    g.add((value, RDFS.label, label))
            elif p in (RDFS.label, SCHEMA.description) and _english(value):
                g.add((item, p, value))
    if kept is not None:
        for triple in kept:
            g.add(triple)
    return g


def kept_enrichment(old: Graph, qids: Iterable[str]) -> Graph:
    """What an earlier run recorded about `qids` (items this run could not ask about)."""
    keep = Graph()
    for qid in qids:
        item = URIRef(WD_ENTITY + qid)
        for s, p, o in old.triples((item, None, None)):
            keep.add((s, p, o))
            if isinstance(o, URIRef):
                for triple in old.triples((o, RDFS.label, None)):
                    keep.add(triple)
    return keep


def _english(value: Node) -> bool:
    return isinstance(value, Literal) and (value.language or "").lower().startswith("en")
