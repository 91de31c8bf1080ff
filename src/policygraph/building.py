"""Findings → RDF: the triples of one document's named graph, with provenance.

Every fact node (signature, mention, quote, stance, membership) points to the span of text
it was read from (pg:evidence), the extraction run (prov:wasGeneratedBy) and the method
(pg:extractionMethod). IRIs are deterministic, so rebuilding gives the same graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from . import __version__
from .models import ActorKind, Findings, LetterRef, Mention, SignatoryEntry, Span, StanceFinding
from .resolution import ResolvedActor, Resolver
from .vocab import (
    CITO,
    DCTERMS,
    FOAF,
    ID,
    OA,
    ORG,
    PG,
    PROV,
    RDF,
    SCHEMA,
    SKOS,
    XSD,
    actor_iri,
    bind_prefixes,
    document_iri,
    mint,
    slug,
    topic_iri,
)

__all__ = ["AGENT", "build_document_graph", "country_iri", "date_literal", "letter_ref_iri"]

AGENT = ID["agent/policygraph"]

_KIND_CLASSES: dict[str, tuple[URIRef, ...]] = {
    "organisation": (ORG.FormalOrganization, SCHEMA.NGO),
    "company": (ORG.FormalOrganization, SCHEMA.Corporation),
    "government": (ORG.FormalOrganization, SCHEMA.GovernmentOrganization),
    "person": (FOAF.Person, SCHEMA.Person),
    "country": (SCHEMA.Country,),
}
_DOC_CLASSES: dict[str, URIRef] = {
    "open_letter": SCHEMA.BlogPosting,
    "news_article": SCHEMA.NewsArticle,
    "press_release": PG.PressRelease,
    "government_statement": PG.GovernmentStatement,
    "blog_post": SCHEMA.BlogPosting,
}
_POSITION = {"support": PG.Support, "oppose": PG.Oppose}
_ATTRIBUTION = {
    "stated": PG.Stated,
    "signing": PG.ViaSigning,
    "authorship": PG.ViaAuthorship,
    "reported": PG.Reported,
}
LETTER_HOLDER = "@letter"


def _confidence(value: float) -> Literal:
    return Literal(Decimal(str(round(value, 3))), datatype=XSD.decimal)


def date_literal(value: str) -> Literal:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=XSD.date)
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=XSD.gYear)
    if re.fullmatch(r"--\d{2}-\d{2}", value):  # "on October 4", no year known anywhere
        return Literal(value, datatype=XSD.gMonthDay)
    return Literal(value)


def country_iri(name: str) -> URIRef:
    return ID[f"country/{slug(name)}"]


def letter_ref_iri(ref: LetterRef, resolver: Resolver) -> URIRef:
    """A letter known only from references: named by its authors and date, so two documents
    that mention the same governments' letter of the same day meet on one node. A link to a
    document of the build that reproduces the letter is that letter."""
    announced = resolver.letter_at(ref.link)
    if announced:
        return ID[f"letter/{announced}"]
    authors = sorted(resolver.resolve(a, "government").key for a in ref.authors)
    date = resolver.letter_date(ref)
    if authors and date:
        return mint("letter", *authors, date)
    return mint("letter", ref.description, ref.link or "")


class _Builder:
    def __init__(self, findings: Findings, resolver: Resolver, source_paths: Iterable[str]):
        self.f = findings
        self.doc = findings.document
        self.resolver = resolver
        self.g = bind_prefixes(Graph())
        self.doc_iri = document_iri(self.doc.content_hash)
        self.run = mint("run", __version__, self.doc.content_hash)
        self.paths = sorted(set(source_paths) or {self.doc.path})
        self.letter_iri: URIRef | None = None
        self.signatures: list[tuple[URIRef, URIRef]] = []  # (signature, actor)

    def add(self, s: Node, p: Node, o: Node | None) -> None:
        if o is not None:
            self.g.add((s, p, o))  # type: ignore[arg-type]

    # ------------------------------------------------------------------ provenance
    def span(self, span: Span) -> URIRef:
        node = mint("span", self.doc.content_hash, span.start, span.end)
        pos = mint("selector", self.doc.content_hash, span.start, span.end, "position")
        quote = mint("selector", self.doc.content_hash, span.start, span.end, "quote")
        self.add(node, RDF.type, PG.Span)
        self.add(node, OA.hasSource, self.doc_iri)
        self.add(node, OA.hasSelector, pos)
        self.add(node, OA.hasSelector, quote)
        self.add(pos, RDF.type, OA.TextPositionSelector)
        self.add(pos, OA.start, Literal(span.start))
        self.add(pos, OA.end, Literal(span.end))
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, Literal(span.text))
        return node

    def fact(self, node: URIRef, span: Span | None, method: str) -> None:
        if span is not None:
            self.add(node, PG.evidence, self.span(span))
        self.add(node, PROV.wasGeneratedBy, self.run)
        self.add(node, PG.extractionMethod, Literal(method))

    # ------------------------------------------------------------------ nodes
    def actor(self, name: str, kind: ActorKind, *, as_written: str | None = None) -> URIRef:
        resolved: ResolvedActor = self.resolver.resolve(name, kind)
        iri = actor_iri(resolved.key)
        self.add(iri, RDF.type, PG.Actor)
        for cls in _KIND_CLASSES[resolved.kind]:
            self.add(iri, RDF.type, cls)
        self.add(iri, SKOS.prefLabel, Literal(resolved.label))
        for label in self.resolver.labels_of(resolved.key):
            self.add(iri, SKOS.altLabel, Literal(label))
        if resolved.kind == "person":
            self.add(iri, FOAF.name, Literal(resolved.label))
        for alias in {name, as_written or name}:
            if alias and alias != resolved.label:
                self.add(iri, SKOS.altLabel, Literal(alias))
        if resolved.reason != "same name" and name != resolved.label:
            self.add(iri, PG.mergeReason, Literal(f"{name!r}: {resolved.reason}"))
        return iri

    def country(self, name: str) -> URIRef:
        iri = country_iri(name)
        self.add(iri, RDF.type, SCHEMA.Country)
        self.add(iri, SKOS.prefLabel, Literal(name))
        return iri

    def membership(
        self,
        person: URIRef,
        role: str | None,
        org_name: str | None,
        span: Span,
        org_kind: ActorKind = "organisation",
    ) -> None:
        org = self.actor(org_name, org_kind) if org_name else None
        node = mint("membership", self.doc.content_hash, str(person), role or "", org_name or "")
        self.add(node, RDF.type, ORG.Membership)
        self.add(node, ORG.member, person)
        self.add(node, ORG.organization, org)
        if role:
            role_iri = ID[f"role/{slug(role)}"]
            self.add(role_iri, RDF.type, ORG.Role)
            self.add(role_iri, SKOS.prefLabel, Literal(role))
            self.add(node, ORG.role, role_iri)
        if self.doc.meta.date:
            self.add(node, PG.date, date_literal(self.doc.meta.date))
        self.fact(node, span, "role-pattern")

    # ------------------------------------------------------------------ document
    def document(self) -> None:
        d, meta = self.doc_iri, self.doc.meta
        self.add(d, RDF.type, PG.SourceDocument)
        self.add(d, RDF.type, _DOC_CLASSES[self.f.kind])
        self.add(d, PG.documentKind, Literal(self.f.kind))
        self.add(d, PG.contentHash, Literal(self.doc.content_hash))
        self.add(d, PG["format"], Literal(self.doc.format))
        for path in self.paths:
            self.add(d, PG.sourcePath, Literal(path))
        self.add(d, SCHEMA.text, Literal(self.doc.text))
        if meta.title:
            self.add(d, SCHEMA.name, Literal(meta.title))
        if meta.date:
            self.add(d, SCHEMA.datePublished, date_literal(meta.date))
        if meta.url:
            self.add(d, SCHEMA.url, Literal(meta.url))
        for cat in meta.categories:
            self.add(d, SCHEMA.articleSection, Literal(cat))
        if meta.publisher:
            self.add(d, SCHEMA.publisher, self.actor(meta.publisher, "organisation"))
        for author in meta.authors:
            if author != meta.publisher:
                self.add(d, SCHEMA.author, self.actor(author, "person"))
        self.add(self.run, RDF.type, PG.ExtractionRun)
        self.add(self.run, PROV.used, d)
        self.add(self.run, PROV.wasAssociatedWith, AGENT)
        self.add(AGENT, RDF.type, PROV.SoftwareAgent)
        self.add(AGENT, PG.softwareVersion, Literal(__version__))

    def letter(self) -> None:
        letter = self.f.letter
        if letter is None:
            return
        iri = ID[f"letter/{self.doc.short_hash}"]
        self.letter_iri = iri
        self.add(iri, RDF.type, PG.Letter)
        self.add(iri, PG.reproducedIn, self.doc_iri)
        if letter.title:
            self.add(iri, SCHEMA.name, Literal(letter.title))
        if letter.heading:
            self.add(iri, PG.heading, Literal(letter.heading))
        if letter.date:
            self.add(iri, SCHEMA.dateCreated, date_literal(letter.date))
        if letter.signatory_count is not None:
            self.add(iri, PG.signatoryCount, Literal(letter.signatory_count))
        for author in letter.authors:
            self.add(iri, SCHEMA.author, self.actor(author, "organisation"))
        for addressee in letter.addressed_to:
            self.addressee(iri, addressee, "salutation")
        for entry in letter.signatories:
            self.signature(iri, entry)
        self.fact(iri, letter.span, "letter-structure")

    def addressee(self, letter: URIRef, m: Mention, method: str) -> None:
        who = self.actor(m.name, m.kind)
        self.add(letter, SCHEMA.toRecipient if m.kind == "person" else SCHEMA.recipient, who)
        self.mention(m, method, actor=who)

    def signature(self, letter: URIRef, e: SignatoryEntry) -> None:
        who = self.actor(e.label, e.kind, as_written=e.as_written)
        if e.acronym:
            self.add(who, SKOS.altLabel, Literal(e.acronym))
        if e.country:
            self.add(who, DCTERMS.spatial, self.country(e.country))
        if e.region:
            self.add(who, PG.region, Literal(e.region))
        if e.parent:
            self.add(who, ORG.subOrganizationOf, self.actor(e.parent, "organisation"))
        if e.kind == "person" and (e.role or e.affiliation):
            self.membership(who, e.role, e.affiliation, e.span)
            if e.affiliation:  # the signer's body is named in the document too
                self.add(self.doc_iri, SCHEMA.mentions, self.actor(e.affiliation, "organisation"))
        if e.signed_by:  # a minister signing for their government: a person of the document
            person = self.actor(e.signed_by, "person")
            self.add(self.doc_iri, SCHEMA.mentions, person)
            self.membership(person, e.role, e.label, e.span, org_kind=e.kind)
        sig = mint("signature", str(letter), e.position)
        self.add(sig, RDF.type, PG.Signature)
        self.add(sig, PROV.agent, who)
        self.add(sig, PG.listPosition, Literal(e.position))
        self.add(sig, PG.asWritten, Literal(e.as_written))
        if e.legal_suffix:
            self.add(sig, PG.legalSuffix, Literal(e.legal_suffix))
        self.fact(sig, e.span, "signatory-list")
        self.add(letter, PROV.qualifiedAttribution, sig)
        self.add(letter, PG.signatory, who)
        self.signatures.append((sig, who))

    def letter_ref(self, ref: LetterRef) -> URIRef:
        iri = letter_ref_iri(ref, self.resolver)
        self.add(iri, RDF.type, PG.Letter)
        self.add(iri, PG.reportedIn, self.doc_iri)
        self.add(iri, SCHEMA.description, Literal(ref.description))
        date = self.resolver.letter_date(ref)
        if date:
            self.add(iri, SCHEMA.dateCreated, date_literal(date))
        if ref.link:
            self.add(iri, SCHEMA.url, Literal(ref.link))
        for author in ref.authors:
            self.add(iri, SCHEMA.author, self.actor(author, "government"))
        for name in ref.addressed_to:
            self.add(iri, SCHEMA.toRecipient, self.actor(name, "person"))
        self.fact(iri, ref.span, "letter-reference")
        if self.letter_iri is not None:
            self.add(self.letter_iri, CITO.repliesTo, iri)
        return iri

    def mention(self, m: Mention, method: str, actor: URIRef | None = None) -> URIRef:
        who = actor or self.actor(m.name, m.kind, as_written=m.span.text)
        if m.acronym:
            self.add(who, SKOS.altLabel, Literal(m.acronym))
        if m.country:
            self.add(who, DCTERMS.spatial, self.country(m.country))
        node = mint("mention", self.doc.content_hash, m.span.start, m.span.end)
        self.add(node, RDF.type, PG.Mention)
        self.add(node, PG.actor, who)
        self.add(node, PG.asWritten, Literal(m.span.text))
        self.fact(node, m.span, method)
        self.add(self.doc_iri, SCHEMA.mentions, who)
        if m.kind == "person" and (m.role or m.affiliation):
            self.membership(who, m.role, m.affiliation, m.span)
        return who

    def stance(self, s: StanceFinding, *, method: str = "cue-phrase") -> list[URIRef]:
        if s.holder == LETTER_HOLDER:
            if self.letter_iri is None:
                return []
            holder: URIRef = self.letter_iri
        else:
            holder = self.actor(s.holder, s.holder_kind or "organisation")
        key = (s.topic, s.position, s.evidence.start, s.evidence.end)
        node = mint("stance", self.doc.content_hash, str(holder), *key)
        self.stance_node(node, holder, s, _ATTRIBUTION[s.attribution], method)
        if holder != self.letter_iri:
            return [node]
        # Each signatory holds the letter's stance by signing it; kept as its own node so a
        # withdrawn signature can be audited and removed.
        made = [node]
        for sig, who in self.signatures:
            derived = mint("stance", str(node), str(who))
            self.stance_node(derived, who, s, PG.ViaSigning, "derived-from-signature")
            self.add(derived, PROV.wasDerivedFrom, node)
            self.add(derived, PG.viaSignature, sig)
            made.append(derived)
        return made

    def stance_node(
        self, node: URIRef, holder: URIRef, s: StanceFinding, attribution: URIRef, method: str
    ) -> None:
        topic = topic_iri(s.topic)
        self.add(node, RDF.type, PG.Stance)
        self.add(node, PG.holder, holder)
        self.add(node, PG.topic, topic)
        self.add(node, PG.position, _POSITION[s.position])
        self.add(node, PG.attribution, attribution)
        self.add(node, PG.confidence, _confidence(s.confidence))
        if self.doc.meta.date:
            self.add(node, PG.date, date_literal(self.doc.meta.date))
        self.add(node, PG.statedIn, self.doc_iri)
        self.fact(node, s.evidence, method)
        if holder != self.letter_iri:  # the shortcut is for actors, not for letters
            self.shortcut(holder, s.position, topic)

    def shortcut(self, holder: URIRef, position: str, topic: URIRef) -> None:
        self.add(holder, PG.supports if position == "support" else PG.opposes, topic)

    def quote(self, q_index: int) -> None:
        q = self.f.quotes[q_index]
        speaker = self.actor(q.speaker, q.speaker_kind)
        node = mint("quote", self.doc.content_hash, q.span.start, q.span.end)
        self.add(node, RDF.type, SCHEMA.Quotation)
        self.add(node, SCHEMA.creator, speaker)
        self.add(node, SCHEMA.text, Literal(q.text))
        self.add(node, SCHEMA.isPartOf, self.doc_iri)
        self.fact(node, q.span, "quote-pattern")
        for s in q.stances:
            self.stance(s, method="quote-cue-phrase")

    def build(self) -> Graph:
        self.document()
        self.letter()
        for ref in self.f.letter_refs:
            self.letter_ref(ref)
        for m in self.f.mentions:
            self.mention(m, "named-entity")
        for i in range(len(self.f.quotes)):
            self.quote(i)
        for s in self.f.stances:
            self.stance(s)
        return self.g


def build_document_graph(
    findings: Findings, resolver: Resolver, source_paths: Iterable[str] = ()
) -> Graph:
    """The named graph of one document."""
    return _Builder(findings, resolver, source_paths).build()
