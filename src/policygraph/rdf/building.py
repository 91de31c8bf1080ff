"""Findings → RDF: the triples of one document's named graph, with provenance.

Every fact node (signature, mention, quote, stance, membership) points to the span of text
it was read from (pg:evidence), the extraction run (prov:wasGeneratedBy) and the method
(pg:extractionMethod). IRIs are deterministic, so rebuilding gives the same graph. The graph
is written as N-Triples text (see store/ntriples.py for why), nodes as plain IRI strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache

from .. import __version__
from .. import vocab as v
from ..models import ActorKind, Findings, LetterRef, Mention, SignatoryEntry, Span, StanceFinding
from ..resolution import ActorTable, ResolvedActor
from ..store.ntriples import NS, DocumentGraph, Lit, integer, lit, typed
from ..vocab import (
    ACTOR_CLASSES,
    ATTRIBUTIONS,
    POSITIONS,
    document_graph_iri,
    mint_str,
    rule_iri,
    slug,
)

__all__ = ["AGENT", "build_document_graph", "country_iri", "date_literal", "letter_ref_iri"]

CITO, DCTERMS, FOAF, ID, OA = NS(v.CITO), NS(v.DCTERMS), NS(v.FOAF), NS(v.ID), NS(v.OA)
ORG, PG, PROV, RDF, SCHEMA = NS(v.ORG), NS(v.PG), NS(v.PROV), NS(v.RDF), NS(v.SCHEMA)
SKOS, XSD = NS(v.SKOS), NS(v.XSD)
TYPE = RDF.type

AGENT = ID["agent/policygraph"]

_DOC_CLASSES: dict[str, str] = {
    "open_letter": SCHEMA.BlogPosting,
    "news_article": SCHEMA.NewsArticle,
    "press_release": PG.PressRelease,
    "government_statement": PG.GovernmentStatement,
    "blog_post": SCHEMA.BlogPosting,
}


def _confidence(value: float) -> Lit:
    return typed(str(Decimal(str(round(value, 3)))), XSD.decimal)


@lru_cache(maxsize=4096)
def date_literal(value: str) -> Lit:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return typed(value, XSD.date)
    if re.fullmatch(r"\d{4}", value):
        return typed(value, XSD.gYear)
    if re.fullmatch(r"--\d{2}-\d{2}", value):  # "on October 4", no year known anywhere
        return typed(value, XSD.gMonthDay)
    return lit(value)


def country_iri(name: str) -> str:
    return ID[f"country/{slug(name)}"]


@lru_cache(maxsize=4096)
def _topic(notation: str) -> str:
    return str(v.topic_iri(notation))


def letter_ref_iri(ref: LetterRef, actors: ActorTable) -> str:
    """A letter known only from references: named by its authors and date, so two documents
    that mention the same governments' letter of the same day meet on one node. A link to a
    document of the build that reproduces the letter is that letter."""
    announced = actors.letter_at(ref.link)
    if announced:
        return ID[f"letter/{announced}"]
    authors = actors.author_keys(ref)
    date = actors.letter_date(ref)
    if authors and date:
        return mint_str("letter", *authors, date)
    return mint_str("letter", ref.description, ref.link or "")


class _Builder:
    def __init__(self, findings: Findings, actors: ActorTable, source_paths: Iterable[str]):
        self.f = findings
        self.doc = findings.document
        self.actors = actors
        # dict, not set: insertion order keeps the output deterministic
        self.lines: dict[str, None] = {}
        self.doc_iri = str(v.document_iri(self.doc.content_hash))
        self.run = mint_str("run", __version__, self.doc.content_hash)
        self.paths = sorted(set(source_paths) or {self.doc.path})
        self.letter_iri: str | None = None
        self.signatures: list[tuple[str, str]] = []  # (signature, actor)

    def add(self, s: str, p: str, o: str | None) -> None:
        """One triple; `o` is an IRI unless it is a `Lit`."""
        if o is not None:
            self.lines[f"<{s}> <{p}> {o}" if type(o) is Lit else f"<{s}> <{p}> <{o}>"] = None

    # ------------------------------------------------------------------ provenance
    def span(self, span: Span) -> str:
        node = mint_str("span", self.doc.content_hash, span.start, span.end)
        pos = mint_str("selector", self.doc.content_hash, span.start, span.end, "position")
        quote = mint_str("selector", self.doc.content_hash, span.start, span.end, "quote")
        self.add(node, TYPE, PG.Span)
        self.add(node, OA.hasSource, self.doc_iri)
        self.add(node, OA.hasSelector, pos)
        self.add(node, OA.hasSelector, quote)
        self.add(pos, TYPE, OA.TextPositionSelector)
        self.add(pos, OA.start, integer(span.start))
        self.add(pos, OA.end, integer(span.end))
        self.add(quote, TYPE, OA.TextQuoteSelector)
        self.add(quote, OA.exact, lit(span.text))
        return node

    def fact(self, node: str, span: Span | None, method: str, rule: str = "") -> None:
        """Provenance of one fact: its span, the run, the method and the rule. A finding made
        by code rather than by a data rule is credited to `code.<method>`, so every fact
        names a rule."""
        if span is not None:
            self.add(node, PG.evidence, self.span(span))
        self.add(node, PROV.wasGeneratedBy, self.run)
        self.add(node, PG.extractionMethod, lit(method))
        rule = rule or f"code.{method}"
        rule_node = rule_iri(rule)
        self.add(node, PG.rule, rule_node)
        self.add(rule_node, TYPE, PG.ExtractionRule)
        self.add(rule_node, SKOS.notation, lit(rule))

    # ------------------------------------------------------------------ nodes
    def actor(self, name: str, kind: ActorKind, *, as_written: str | None = None) -> str:
        resolved: ResolvedActor = self.actors.actor(name, kind)
        iri = ID[f"actor/{resolved.key}"]
        self.add(iri, TYPE, PG.Actor)
        for cls in ACTOR_CLASSES[resolved.kind]:
            self.add(iri, TYPE, cls)
        self.add(iri, SKOS.prefLabel, lit(resolved.label))
        for label in self.actors.labels_of(resolved.key):
            self.add(iri, SKOS.altLabel, lit(label))
        if resolved.kind == "person":
            self.add(iri, FOAF.name, lit(resolved.label))
        for alias in {name, as_written or name}:
            if alias and alias != resolved.label:
                self.add(iri, SKOS.altLabel, lit(alias))
        if resolved.reason != "same name" and name != resolved.label:
            self.add(iri, PG.mergeReason, lit(f"{name!r}: {resolved.reason}"))
        if resolved.place:  # "Tern Labs - Portugal": the place the name carried
            self.add(iri, DCTERMS.spatial, self.country(resolved.place))
        return iri

    def country(self, name: str) -> str:
        iri = country_iri(name)
        self.add(iri, TYPE, SCHEMA.Country)
        self.add(iri, SKOS.prefLabel, lit(name))
        return iri

    def membership(
        self,
        person: str,
        role: str | None,
        org_name: str | None,
        span: Span,
        org_kind: ActorKind = "organisation",
        rule: str = "",
    ) -> None:
        org = self.actor(org_name, org_kind) if org_name else None
        node = mint_str(
            "membership", self.doc.content_hash, str(person), role or "", org_name or ""
        )
        self.add(node, TYPE, ORG.Membership)
        self.add(node, ORG.member, person)
        self.add(node, ORG.organization, org)
        if role:
            role_iri = ID[f"role/{slug(role)}"]
            self.add(role_iri, TYPE, ORG.Role)
            self.add(role_iri, SKOS.prefLabel, lit(role))
            self.add(node, ORG.role, role_iri)
        if self.doc.meta.date:
            self.add(node, PG.date, date_literal(self.doc.meta.date))
        self.fact(node, span, "role-pattern", rule)

    # ------------------------------------------------------------------ document
    def document(self) -> None:
        d, meta = self.doc_iri, self.doc.meta
        self.add(d, TYPE, PG.SourceDocument)
        self.add(d, TYPE, _DOC_CLASSES[self.f.kind])
        self.add(d, PG.documentKind, lit(self.f.kind))
        self.add(d, PG.contentHash, lit(self.doc.content_hash))
        self.add(d, PG["format"], lit(self.doc.format))
        for path in self.paths:
            self.add(d, PG.sourcePath, lit(path))
        self.add(d, SCHEMA.text, lit(self.doc.text))
        if meta.title:
            self.add(d, SCHEMA.name, lit(meta.title))
        if meta.date:
            self.add(d, SCHEMA.datePublished, date_literal(meta.date))
        if meta.url:
            self.add(d, SCHEMA.url, lit(meta.url))
        for cat in meta.categories:
            self.add(d, SCHEMA.articleSection, lit(cat))
        if meta.publisher:
            self.add(d, SCHEMA.publisher, self.actor(meta.publisher, "organisation"))
        for author in meta.authors:
            if author != meta.publisher:
                self.add(d, SCHEMA.author, self.actor(author, "person"))
        self.add(self.run, TYPE, PG.ExtractionRun)
        self.add(self.run, PROV.used, d)
        self.add(self.run, PROV.wasAssociatedWith, AGENT)
        self.add(AGENT, TYPE, PROV.SoftwareAgent)
        self.add(AGENT, PG.softwareVersion, lit(__version__))

    def letter(self) -> None:
        letter = self.f.letter
        if letter is None:
            return
        iri = ID[f"letter/{self.doc.short_hash}"]
        self.letter_iri = iri
        self.add(iri, TYPE, PG.Letter)
        self.add(iri, PG.reproducedIn, self.doc_iri)
        if letter.title:
            self.add(iri, SCHEMA.name, lit(letter.title))
        if letter.heading:
            self.add(iri, PG.heading, lit(letter.heading))
        if letter.date:
            self.add(iri, SCHEMA.dateCreated, date_literal(letter.date))
        if letter.signatory_count is not None:
            self.add(iri, PG.signatoryCount, integer(letter.signatory_count))
        for author in letter.authors:
            self.add(iri, SCHEMA.author, self.actor(author, "organisation"))
        for addressee in letter.addressed_to:
            self.addressee(iri, addressee, "salutation")
        for entry in letter.signatories:
            self.signature(iri, entry)
        self.fact(iri, letter.span, "letter-structure", letter.rule)

    def addressee(self, letter: str, m: Mention, method: str) -> None:
        who = self.actor(m.name, m.kind)
        self.add(letter, SCHEMA.toRecipient if m.kind == "person" else SCHEMA.recipient, who)
        self.mention(m, method, actor=who)

    def signature(self, letter: str, e: SignatoryEntry) -> None:
        who = self.actor(e.label, e.kind, as_written=e.as_written)
        if e.acronym:
            self.add(who, SKOS.altLabel, lit(e.acronym))
        if e.country:
            self.add(who, DCTERMS.spatial, self.country(e.country))
        if e.region:
            self.add(who, PG.region, lit(e.region))
        if e.parent:
            self.add(who, ORG.subOrganizationOf, self.actor(e.parent, "organisation"))
        if e.kind == "person" and (e.role or e.affiliation):
            self.membership(who, e.role, e.affiliation, e.span, rule=e.rule)
            if e.affiliation:  # the signer's body is named in the document too
                self.add(self.doc_iri, SCHEMA.mentions, self.actor(e.affiliation, "organisation"))
        if e.signed_by:  # a minister signing for their government: a person of the document
            person = self.actor(e.signed_by, "person")
            self.add(self.doc_iri, SCHEMA.mentions, person)
            self.membership(person, e.role, e.label, e.span, org_kind=e.kind, rule=e.rule)
        sig = mint_str("signature", str(letter), e.position)
        self.add(sig, TYPE, PG.Signature)
        self.add(sig, PROV.agent, who)
        self.add(sig, PG.listPosition, integer(e.position))
        self.add(sig, PG.asWritten, lit(e.as_written))
        if e.legal_suffix:
            self.add(sig, PG.legalSuffix, lit(e.legal_suffix))
        self.fact(sig, e.span, "signatory-list", e.rule)
        self.add(letter, PROV.qualifiedAttribution, sig)
        self.add(letter, PG.signatory, who)
        self.signatures.append((sig, who))

    def letter_ref(self, ref: LetterRef) -> str:
        iri = letter_ref_iri(ref, self.actors)
        self.add(iri, TYPE, PG.Letter)
        self.add(iri, PG.reportedIn, self.doc_iri)
        self.add(iri, SCHEMA.description, lit(ref.description))
        date = self.actors.letter_date(ref)
        if date:
            self.add(iri, SCHEMA.dateCreated, date_literal(date))
        if ref.link:
            self.add(iri, SCHEMA.url, lit(ref.link))
        for author in ref.authors:
            self.add(iri, SCHEMA.author, self.actor(author, "government"))
        for name in ref.addressed_to:
            self.add(iri, SCHEMA.toRecipient, self.actor(name, "person"))
        self.fact(iri, ref.span, "letter-reference", ref.rule)
        if self.letter_iri is not None:
            self.add(self.letter_iri, CITO.repliesTo, iri)
        return iri

    def mention(self, m: Mention, method: str, actor: str | None = None) -> str:
        who = actor or self.actor(m.name, m.kind, as_written=m.span.text)
        if m.acronym:
            self.add(who, SKOS.altLabel, lit(m.acronym))
        if m.country:
            self.add(who, DCTERMS.spatial, self.country(m.country))
        node = mint_str("mention", self.doc.content_hash, m.span.start, m.span.end)
        self.add(node, TYPE, PG.Mention)
        self.add(node, PG.actor, who)
        self.add(node, PG.asWritten, lit(m.span.text))
        self.fact(node, m.span, method, m.rule)
        self.add(self.doc_iri, SCHEMA.mentions, who)
        if m.kind == "person" and (m.role or m.affiliation):
            self.membership(who, m.role, m.affiliation, m.span, rule=m.rule)
        return who

    def stance(self, s: StanceFinding, *, method: str = "cue-phrase") -> list[str]:
        if s.letters_own:
            if self.letter_iri is None:
                return []
            holder: str = self.letter_iri
        else:
            holder = self.actor(s.holder, s.holder_kind or "organisation")
        key = (s.topic, s.position, s.evidence.start, s.evidence.end)
        node = mint_str("stance", self.doc.content_hash, str(holder), *key)
        self.stance_node(node, holder, s, ATTRIBUTIONS[s.attribution], method)
        if holder != self.letter_iri:
            return [node]
        # Each signatory holds the letter's stance by signing it; kept as its own node so a
        # withdrawn signature can be audited and removed.
        made = [node]
        for sig, who in self.signatures:
            derived = mint_str("stance", str(node), str(who))
            self.stance_node(derived, who, s, PG.ViaSigning, "derived-from-signature")
            self.add(derived, PROV.wasDerivedFrom, node)
            self.add(derived, PG.viaSignature, sig)
            made.append(derived)
        return made

    def stance_node(
        self, node: str, holder: str, s: StanceFinding, attribution: str, method: str
    ) -> None:
        topic = _topic(s.topic)
        self.add(node, TYPE, PG.Stance)
        self.add(node, PG.holder, holder)
        self.add(node, PG.topic, topic)
        self.add(node, PG.position, POSITIONS[s.position])
        self.add(node, PG.attribution, attribution)
        self.add(node, PG.confidence, _confidence(s.confidence))
        if self.doc.meta.date:
            self.add(node, PG.date, date_literal(self.doc.meta.date))
        self.add(node, PG.statedIn, self.doc_iri)
        self.fact(node, s.evidence, method, s.rule)
        if holder != self.letter_iri:  # the shortcut is for actors, not for letters
            self.shortcut(holder, s.position, topic)

    def shortcut(self, holder: str, position: str, topic: str) -> None:
        self.add(holder, PG.supports if position == "support" else PG.opposes, topic)

    def quote(self, q_index: int) -> None:
        q = self.f.quotes[q_index]
        speaker = self.actor(q.speaker, q.speaker_kind)
        node = mint_str("quote", self.doc.content_hash, q.span.start, q.span.end)
        self.add(node, TYPE, SCHEMA.Quotation)
        self.add(node, SCHEMA.creator, speaker)
        self.add(node, SCHEMA.text, lit(q.text))
        self.add(node, SCHEMA.isPartOf, self.doc_iri)
        self.fact(node, q.span, "quote-pattern", q.rule)
        for s in q.stances:
            self.stance(s, method="quote-cue-phrase")

    def build(self) -> DocumentGraph:
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
        name = str(document_graph_iri(self.doc.content_hash))
        return DocumentGraph(name, tuple(self.lines))


def build_document_graph(
    findings: Findings, actors: ActorTable, source_paths: Iterable[str] = ()
) -> DocumentGraph:
    """The named graph of one document; its actors as resolution froze them for the build
    (`resolution.learn_actors`)."""
    return _Builder(findings, actors, source_paths).build()
