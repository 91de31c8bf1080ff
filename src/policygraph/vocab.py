"""Namespaces and IRI minting: the one module that knows the vocabulary's IRIs.

IRIs are deterministic: the same input gives the same IRI on every run and machine.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

__all__ = [
    "ACTOR_CLASSES",
    "ATTRIBUTIONS",
    "CITO",
    "DCTERMS",
    "EXPORT_PREFIXES",
    "FOAF",
    "ID",
    "OA",
    "ORG",
    "OWL",
    "PG",
    "POSITIONS",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "WD",
    "XSD",
    "actor_iri",
    "bind_prefixes",
    "document_graph_iri",
    "document_iri",
    "graph_iri",
    "mint",
    "mint_str",
    "slug",
    "topic_iri",
]

PG = Namespace("https://w3id.org/policygraph/ns#")
ID = Namespace("https://w3id.org/policygraph/id/")
SCHEMA = Namespace("http://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
CITO = Namespace("http://purl.org/spar/cito/")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
TOPIC = Namespace("https://w3id.org/policygraph/topic/")

# The classes an actor of each kind gets, and the individual of each position and attribution:
# spelt once, for graph building and for the review's corrections alike.
ACTOR_CLASSES: dict[str, tuple[URIRef, ...]] = {
    "organisation": (ORG.FormalOrganization, SCHEMA.NGO),
    "company": (ORG.FormalOrganization, SCHEMA.Corporation),
    "government": (ORG.FormalOrganization, SCHEMA.GovernmentOrganization),
    "person": (FOAF.Person, SCHEMA.Person),
    "country": (SCHEMA.Country,),
}
POSITIONS: dict[str, URIRef] = {"support": PG.Support, "oppose": PG.Oppose}
ATTRIBUTIONS: dict[str, URIRef] = {
    "stated": PG.Stated,
    "signing": PG.ViaSigning,
    "authorship": PG.ViaAuthorship,
    "reported": PG.Reported,
}

PREFIXES: dict[str, Namespace] = {
    "pg": PG,
    "id": ID,
    "schema": SCHEMA,
    "org": ORG,
    "oa": OA,
    "cito": CITO,
    "prov": Namespace(str(PROV)),
    "skos": Namespace(str(SKOS)),
    "foaf": Namespace(str(FOAF)),
    "dcterms": Namespace(str(DCTERMS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "wd": WD,
    "wdt": WDT,
    "topic": TOPIC,
}


# The kinds of node under id/ (actor_iri, document_iri, mint's kinds, the linker's countries,
# roles, memberships and link records).
ID_KINDS = (
    "actor",
    "agent",
    "country",
    "doc",
    "letter",
    "membership",
    "mention",
    "quote",
    "role",
    "rule",
    "run",
    "selector",
    "signature",
    "span",
    "stance",
    "wikidata-link",
)
# Exports (Turtle, TriG, the JSON-LD @context) get one prefix per kind of node too, so that a
# node is written `actor:access-now`, a local name that needs no escape, not
# `id:actor\/access-now`. Queries and tables keep the shorter list above.
EXPORT_PREFIXES: dict[str, Namespace] = {
    **PREFIXES,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    **{kind: Namespace(f"{ID}{kind}/") for kind in ID_KINDS},
    "graph": Namespace(f"{ID}graph/"),
    "docgraph": Namespace(f"{ID}graph/doc/"),
}


def bind_prefixes(graph: Graph) -> Graph:
    # rdflib binds schema: to https://schema.org/ by default; the data uses http://.
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def slug(text: str) -> str:
    """A readable, deterministic IRI segment: ASCII-folded, lower case, hyphenated."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if not out:  # names in scripts that do not fold to ASCII still need an id
        out = "x" + hashlib.sha256(text.encode()).hexdigest()[:12]
    return out[:80]


_RULE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def rule_iri(rule: str) -> str:
    """The IRI of an extraction rule: `id/rule/<rule id>`, the id kept as written (rule ids
    are dotted names such as `stance.oppose.predicate`, checked so they need no escaping)."""
    if not _RULE_ID.fullmatch(rule):
        raise ValueError(f"not a rule id: {rule!r} (letters, digits, '.', '_', '-')")
    return f"{ID}rule/{rule}"


def mint(kind: str, *parts: object) -> URIRef:
    """An IRI for a node that has no natural name: a hash of the parts that identify it."""
    return URIRef(mint_str(kind, *parts))


def mint_str(kind: str, *parts: object) -> str:
    """`mint` as a plain string, for the builder's fast path."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:16]
    return f"{ID}{kind}/{digest}"


def actor_iri(key: str) -> URIRef:
    """Actors are named by their canonical key (see resolution), so documents share them."""
    return ID[f"actor/{key}"]


def document_iri(content_hash: str) -> URIRef:
    return ID[f"doc/{content_hash[:16]}"]


def document_graph_iri(content_hash: str) -> URIRef:
    return ID[f"graph/doc/{content_hash[:16]}"]


def graph_iri(name: str) -> URIRef:
    """Graphs that do not come from one document: ontology, topics, actors, links, views."""
    return ID[f"graph/{name}"]


def topic_iri(notation: str) -> URIRef:
    return TOPIC[slug(notation)]
