"""A small hand-made graph in the shape building.py writes, for the view tests.

Two open letters and a news article: a civil-society letter to Zuckerberg answering a
letter of three governments, a later letter co-signed by two of the same groups, and a
news article in which a government and a minister back exceptional access.
"""

from __future__ import annotations

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import FOAF, OWL, PROV, SKOS, XSD

from policygraph.store import Store
from policygraph.vocab import (
    CITO,
    OA,
    PG,
    SCHEMA,
    actor_iri,
    bind_prefixes,
    document_graph_iri,
    document_iri,
    graph_iri,
    mint,
    topic_iri,
)

KIND_CLASSES = {
    "organisation": (SCHEMA.NGO,),
    "company": (SCHEMA.Corporation,),
    "government": (SCHEMA.GovernmentOrganization,),
    "person": (FOAF.Person, SCHEMA.Person),
}
XSS = "<script>window.pwned=1</script><img src=x onerror=window.pwned=2>"


class DocBuilder:
    def __init__(self, key: str, title: str, date: str, text: str) -> None:
        self.hash = (key * 64)[:64]
        self.g = bind_prefixes(Graph())
        self.doc = document_iri(self.hash)
        self.text = text
        self.date = date
        self.add(self.doc, RDF.type, PG.SourceDocument)
        self.add(self.doc, SCHEMA.name, Literal(title))
        self.add(self.doc, SCHEMA.datePublished, Literal(date, datatype=XSD.date))
        self.add(self.doc, PG.sourcePath, Literal(f"data/documents/{key}.txt"))
        self.add(self.doc, SCHEMA.text, Literal(text))

    def add(self, s: object, p: object, o: object) -> None:
        self.g.add((s, p, o))  # type: ignore[arg-type]

    def span(self, exact: str) -> URIRef:
        start = self.text.index(exact)
        node = mint("span", self.hash, start)
        pos, quote = mint("sel", self.hash, start, "p"), mint("sel", self.hash, start, "q")
        self.add(node, RDF.type, PG.Span)
        self.add(node, OA.hasSource, self.doc)
        self.add(node, OA.hasSelector, pos)
        self.add(node, OA.hasSelector, quote)
        self.add(pos, RDF.type, OA.TextPositionSelector)
        self.add(pos, OA.start, Literal(start))
        self.add(pos, OA.end, Literal(start + len(exact)))
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, Literal(exact))
        return node

    def actor(self, key: str, label: str, kind: str = "organisation") -> URIRef:
        iri = actor_iri(key)
        self.add(iri, RDF.type, PG.Actor)
        for cls in KIND_CLASSES[kind]:
            self.add(iri, RDF.type, cls)
        self.add(iri, SKOS.prefLabel, Literal(label))
        if kind == "person":
            self.add(iri, FOAF.name, Literal(label))
        return iri

    def letter(self, key: str, title: str, date: str, *, reported: bool = False) -> URIRef:
        iri = URIRef(f"https://w3id.org/policygraph/id/letter/{key}")
        self.add(iri, RDF.type, PG.Letter)
        self.add(iri, PG.reportedIn if reported else PG.reproducedIn, self.doc)
        self.add(iri, SCHEMA.name if not reported else SCHEMA.description, Literal(title))
        self.add(iri, SCHEMA.dateCreated, Literal(date, datatype=XSD.date))
        return iri

    def sign(self, letter: URIRef, who: URIRef, position: int, line: str) -> None:
        sig = mint("signature", str(letter), position)
        self.add(sig, RDF.type, PG.Signature)
        self.add(sig, PROV.agent, who)
        self.add(sig, PG.listPosition, Literal(position))
        self.add(sig, PG.asWritten, Literal(line))
        self.add(sig, PG.evidence, self.span(line))
        self.add(sig, PG.extractionMethod, Literal("signatory-list"))
        self.add(letter, PROV.qualifiedAttribution, sig)
        self.add(letter, PG.signatory, who)

    def stance(
        self, holder: URIRef, topic: str, position: str, evidence: str, how: str = "Stated"
    ) -> None:
        node = mint("stance", self.hash, str(holder), topic, position)
        self.add(node, RDF.type, PG.Stance)
        self.add(node, PG.holder, holder)
        self.add(node, PG.topic, topic_iri(topic))
        self.add(node, PG.position, PG.Support if position == "support" else PG.Oppose)
        self.add(node, PG.attribution, PG[how])
        self.add(node, PG.confidence, Literal("0.8", datatype=XSD.decimal))
        self.add(node, PG.date, Literal(self.date, datatype=XSD.date))
        self.add(node, PG.statedIn, self.doc)
        self.add(node, PG.evidence, self.span(evidence))
        self.add(node, PG.extractionMethod, Literal("cue-phrase"))
        self.add(holder, PG.supports if position == "support" else PG.opposes, topic_iri(topic))


def topics_graph() -> Graph:
    g = bind_prefixes(Graph())
    for notation, label in (("backdoors", "encryption backdoors"), ("e2ee", "default E2EE")):
        t = topic_iri(notation)
        g.add((t, RDF.type, SKOS.Concept))
        g.add((t, SKOS.notation, Literal(notation)))
        g.add((t, SKOS.prefLabel, Literal(label, lang="en")))
    return g


def build_store(path: str | None = None, *, evil_name: bool = False) -> Store:
    """A store (in memory unless `path`) holding the three documents, topics, a Wikidata link."""
    store = Store(path)
    graphs: dict[URIRef, Graph] = {graph_iri("topics"): topics_graph()}

    ngo_name = XSS if evil_name else "Digital Rights Watch"
    text1 = (
        "OPEN LETTER: FACEBOOK'S END-TO-END SECURITY PLANS\n"
        "Dear Mr. Zuckerberg,\n"
        "We write in response to the letter of the governments of the United States, the "
        "United Kingdom and Australia.\nWe urge you to resist calls to create backdoors and "
        "to ensure default end-to-end encryption.\n"
        f"Access Now\nElectronic Frontier Foundation\n{ngo_name}\n"
    )
    d1 = DocBuilder("a", "Open Letter: Facebook's End-to-End Encryption Plans", "2019-10-04", text1)
    l1 = d1.letter("a1", "Open Letter: Facebook's End-to-End Encryption Plans", "2019-10-04")
    access = d1.actor("access-now", "Access Now")
    eff = d1.actor("eff", "Electronic Frontier Foundation")
    d1.add(eff, SKOS.altLabel, Literal("EFF"))
    drw = d1.actor("digital-rights-watch", ngo_name)
    zuck = d1.actor("mark-zuckerberg", "Mark Zuckerberg", "person")
    facebook = d1.actor("facebook", "Facebook", "company")
    d1.add(l1, SCHEMA.toRecipient, zuck)
    d1.add(l1, SCHEMA.recipient, facebook)
    mention = mint("mention", d1.hash, 1)
    d1.add(mention, RDF.type, PG.Mention)
    d1.add(mention, PG.actor, zuck)
    d1.add(mention, PG.evidence, d1.span("Dear Mr. Zuckerberg"))
    d1.add(mention, PG.extractionMethod, Literal("salutation"))
    for i, (who, line) in enumerate(
        ((access, "Access Now"), (eff, "Electronic Frontier Foundation"), (drw, ngo_name)), 1
    ):
        d1.sign(l1, who, i, line)
        d1.stance(who, "backdoors", "oppose", "resist calls to create backdoors", "ViaSigning")
        d1.stance(who, "e2ee", "support", "ensure default end-to-end encryption", "ViaSigning")
    own = mint("stance", d1.hash, "letter")
    d1.add(own, RDF.type, PG.Stance)
    d1.add(own, PG.holder, l1)
    d1.add(own, PG.topic, topic_iri("backdoors"))
    d1.add(own, PG.position, PG.Oppose)
    l0 = d1.letter(
        "a0", "the letter of the governments of the United States", "2019-10-04", reported=True
    )
    d1.add(l0, PG.evidence, d1.span("the letter of the governments of the United States"))
    d1.add(l0, PG.extractionMethod, Literal("letter-reference"))
    govs = [
        d1.actor("government-of-the-united-states", "United States", "government"),
        d1.actor("government-of-the-united-kingdom", "United Kingdom", "government"),
        d1.actor("government-of-australia", "Australia", "government"),
    ]
    for gov in govs:
        d1.add(l0, SCHEMA.author, gov)
    d1.add(l0, SCHEMA.toRecipient, zuck)
    d1.add(l1, CITO.repliesTo, l0)
    graphs[document_graph_iri(d1.hash)] = d1.g

    text2 = (
        "The UK government backs exceptional access to encrypted messages, and Priti Patel "
        "said companies must not blind themselves to abuse."
    )
    d2 = DocBuilder("b", "Governments press Facebook", "2019-10-05", text2)
    uk = d2.actor("government-of-the-united-kingdom", "United Kingdom", "government")
    patel = d2.actor("priti-patel", "Priti Patel", "person")
    d2.stance(uk, "backdoors", "support", "backs exceptional access to encrypted messages")
    d2.stance(patel, "backdoors", "support", "companies must not blind themselves to abuse")
    d2.stance(patel, "e2ee", "oppose", "companies must not blind themselves to abuse")
    graphs[document_graph_iri(d2.hash)] = d2.g

    text3 = "Second letter.\nAccess Now\nElectronic Frontier Foundation\nOpen Rights Group\n"
    d3 = DocBuilder("c", "A second letter on encryption", "2020-03-01", text3)
    l2 = d3.letter("c1", "A second letter on encryption", "2020-03-01")
    for i, (key, label) in enumerate(
        (
            ("access-now", "Access Now"),
            ("eff", "Electronic Frontier Foundation"),
            ("open-rights-group", "Open Rights Group"),
        ),
        1,
    ):
        d3.sign(l2, d3.actor(key, label), i, label)
    graphs[document_graph_iri(d3.hash)] = d3.g

    links = Graph()
    links.add((eff, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q624023")))
    graphs[graph_iri("wikidata-links")] = links
    store.replace_graphs(graphs)
    return store


# What the views of build_store() must contain.
EXPECTED = {
    # 3 letters + 3 signers of l1 + ORG + Zuckerberg + Facebook + 3 governments;
    # signed ×6, addressed to ×3, authored ×3, responds to ×1
    "signatures": (12, 6 + 3 + 3 + 1),
    # AN–EFF, AN–DRW, EFF–DRW, AN–ORG, EFF–ORG; the three governments who wrote a letter
    "coalitions": (4 + 3, 3 + 2 + 3),
    "stances": (5 + 2, 3 * 2 + 1 + 2),
    "discourse-congruence": (5, 3 + 1),  # 3 signers pairwise; UK–Patel on backdoors
    "discourse-conflict": (5, 3 + 3),  # UK and Patel each against the three signers
    "discourse-difference": (5, 4 + 6),
}


def drw_like_store(*, actors: int = 640, big: int = 500, letters: int = 40, seed: int = 5) -> Store:
    """A store the size of the DRW corpus's co-signing network: one letter of `big`
    signatories and `letters` smaller ones (3 to 40 signers) among `actors` organisations,
    each letter dated."""
    import random

    rng = random.Random(seed)
    store = Store(None)
    graphs: dict[URIRef, Graph] = {graph_iri("topics"): topics_graph()}
    names = [f"Organisation {i:03d}" for i in range(actors)]
    sizes = [big] + [rng.randint(3, 40) for _ in range(letters)]
    for n, size in enumerate(sizes):
        year = 2015 + n % 8
        date = f"{year}-{1 + n % 12:02d}-{1 + n % 27:02d}"
        members = rng.sample(range(actors), size)
        text = f"Letter {n}\n" + "\n".join(names[i] for i in members) + "\n"
        doc = DocBuilder(f"{n:04x}", f"Letter {n}", date, text)
        letter = doc.letter(f"gen{n}", f"Letter {n}", date)
        for position, i in enumerate(members, 1):
            doc.sign(letter, doc.actor(f"org-{i:03d}", names[i]), position, names[i])
        graphs[document_graph_iri(doc.hash)] = doc.g
    store.replace_graphs(graphs)
    return store
