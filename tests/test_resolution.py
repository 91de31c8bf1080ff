"""Names → one node per real-world actor, with the reason for each merge."""

from __future__ import annotations

import hashlib

import pytest

from policygraph.errors import UnresolvedName
from policygraph.models import Document, DocumentMeta, Findings, Mention, Span
from policygraph.resolution import Resolver, learn_actors


def _findings(*mentions: Mention) -> Findings:
    doc = Document("t.txt", "x", "text", DocumentMeta(), hashlib.sha256(b"x").hexdigest())
    return Findings(document=doc, kind="news_article", mentions=mentions)


def _m(name: str, kind: str = "person", acronym: str | None = None) -> Mention:
    return Mention(name, kind, Span(0, 1, "x"), acronym=acronym)  # type: ignore[arg-type]


def test_surname_and_honorific_join_the_only_person_of_that_name() -> None:
    r = Resolver.from_data()
    r.learn([_findings(_m("Mark Zuckerberg")), _findings(_m("Mr. Zuckerberg"))])
    assert r.resolve("Mr. Zuckerberg", "person").key == r.resolve("Mark Zuckerberg", "person").key
    assert "only person" in r.resolve("Mr. Zuckerberg", "person").reason


def test_ambiguous_surname_stays_apart() -> None:
    r = Resolver.from_data()
    r.learn([_findings(_m("Mark Dreyfus"), _m("Suelette Dreyfus"), _m("Dreyfus"))])
    keys = {r.resolve(n, "person").key for n in ("Mark Dreyfus", "Suelette Dreyfus", "Dreyfus")}
    assert len(keys) == 3


def test_acronym_defined_in_text_and_chapters_stay_distinct() -> None:
    r = Resolver.from_data()
    r.learn([_findings(_m("Electronic Frontier Foundation", "organisation", acronym="EFF"))])
    assert r.resolve("EFF").key == r.resolve("Electronic Frontier Foundation").key
    assert r.resolve("Internet Society").key != r.resolve("Internet Society – Bulgaria").key


def test_curated_aliases_say_why() -> None:
    r = Resolver.from_data()
    us = r.resolve("US", "government")
    assert us.key == r.resolve("United States", "government").key
    assert "curated" in us.reason


def test_letter_day_without_year_takes_the_year_another_document_gives() -> None:
    from policygraph.models import LetterRef

    doc = Document("t.txt", "x", "text", DocumentMeta(), hashlib.sha256(b"x").hexdigest())
    govs = ("United States", "United Kingdom", "Australia")
    full = LetterRef("requests", Span(0, 1, "x"), authors=govs, date="2019-10-04")
    partial = LetterRef(
        "letter sent on October 4", Span(0, 1, "x"), authors=govs[::-1], date="--10-04"
    )
    other = LetterRef("x", Span(0, 1, "x"), authors=("Canada",), date="--10-04")
    table = learn_actors(
        [
            Findings(document=doc, kind="open_letter", letter_refs=(full,)),
            Findings(document=doc, kind="news_article", letter_refs=(partial, other)),
        ]
    )
    assert table.letter_date(partial) == "2019-10-04"
    assert table.letter_date(other) == "--10-04"


def test_seed_documents_share_one_governments_letter_and_one_zuckerberg() -> None:
    from rdflib import Literal
    from rdflib.namespace import XSD

    from policygraph.pipeline import build
    from policygraph.store import Store

    from .support import SEEDS

    with Store(None) as store:
        build([SEEDS], store)
        rows = store.select(
            "PREFIX pg: <https://w3id.org/policygraph/ns#> PREFIX schema: <http://schema.org/> "
            "SELECT ?letter (COUNT(DISTINCT ?doc) AS ?docs) WHERE { "
            "?letter pg:reportedIn ?doc ; schema:dateCreated ?date . } GROUP BY ?letter ?date",
        ).dicts()
        dated = store.select(
            "PREFIX schema: <http://schema.org/> SELECT ?letter ?date WHERE { "
            "?letter schema:dateCreated ?date . }",
            {"date": Literal("2019-10-04", datatype=XSD.date)},
        ).dicts()
        people = store.select(
            "PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX skos: "
            "<http://www.w3.org/2004/02/skos/core#> SELECT DISTINCT ?p WHERE { "
            "?p a foaf:Person ; skos:prefLabel|skos:altLabel ?n . "
            "FILTER(CONTAINS(?n, 'Zuckerberg')) }",
        ).dicts()
    assert any(int(str(r["docs"])) == 2 for r in rows), rows
    assert dated
    assert len(people) == 1


def test_building_reads_only_the_table_learning_froze() -> None:
    # Worker processes build documents in any order from the same frozen table: every name
    # a graph names must be in it, and building must not change it.
    from policygraph.extraction import extract
    from policygraph.loading import iter_documents
    from policygraph.rdf.building import build_document_graph
    from tests.support import ROOT, SEEDS

    docs = [
        d for d in iter_documents([SEEDS, f"{ROOT}/tests/data/samples"]) if isinstance(d, Document)
    ]
    findings = [extract(d) for d in docs]
    table = learn_actors(findings)
    known = dict(table.actors)
    forwards = [build_document_graph(f, table).ntriples() for f in findings]
    backwards = [build_document_graph(f, table).ntriples() for f in reversed(findings)]
    assert forwards == backwards[::-1]  # the order of building changes nothing
    assert dict(table.actors) == known


def test_a_name_learning_never_met_is_an_error_not_a_new_actor() -> None:
    table = learn_actors([_findings(_m("Mark Zuckerberg"))])
    assert table.actor("Mark Zuckerberg", "person").label == "Mark Zuckerberg"
    with pytest.raises(UnresolvedName, match="Ada Quist"):
        table.actor("Ada Quist", "person")


# --- keys that generalise: spellings are one actor, places and chapters are not ---------------
def test_one_normaliser_folds_spelling_not_identity() -> None:
    from policygraph.names import actor_key, fold

    assert fold("  Ada\u2019s  LAB. ") == "ada's lab"
    assert actor_key("Fundación Vía Libre") == actor_key("Fundacion Via Libre")
    assert actor_key("the Labor Party's") == actor_key("the Labor Party")
    assert actor_key("Department of Home Affairs'") == actor_key("Department of Home Affairs")
    assert actor_key("U.S.") == actor_key("US")
    assert actor_key("MediaJustice") == actor_key("Media Justice")
    assert actor_key("Orchid Network") != actor_key("Orchid Networks Group")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Fundación Kestrel", "Fundacion Kestrel"),
        ("Northwind Party", "Northwind Party's"),
        ("Department of Lanterns", "Department of Lanterns'"),
        ("Tern Labs", "Tern Labs - Portugal"),
        ("Tern Labs", "Tern Labs (Portugal)"),
        ("Orchid Collective", "Orchid Collective Inc."),
        ("European Commission", "EU Commission"),
    ],
)
def test_spellings_places_and_legal_forms_are_one_actor(first: str, second: str) -> None:
    r = Resolver.from_data()
    a, b = r.resolve(first), r.resolve(second)
    assert a.key == b.key
    assert b.reason.startswith("resolution."), b.reason  # every merge says which rule made it
    assert a.label == first  # the label stays as first written


def test_place_suffix_is_kept_as_the_place() -> None:
    r = Resolver.from_data()
    assert r.resolve("Tern Labs - Portugal").place == "Portugal"
    assert r.resolve("Tern Labs").label == "Tern Labs"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("European Commission", "European Union"),
        ("Internet Society", "Internet Society – Bulgaria"),
        ("Wikimedia", "Wikimedia (Germany)"),
        ("Kestrel Network", "Kestrel Network UK Chapter"),
        ("Council of Orchids", "Council of Orchids-SFBA"),
    ],
)
def test_no_wrong_merges(first: str, second: str) -> None:
    r = Resolver.from_data()
    assert r.resolve(first).key != r.resolve(second).key


def test_a_signer_with_a_parent_is_a_chapter_never_its_parent() -> None:
    from policygraph.models import LetterFinding, SignatoryEntry

    doc = Document("t.txt", "x", "text", DocumentMeta(), hashlib.sha256(b"x").hexdigest())
    chapter = SignatoryEntry(
        1, "Orchid – Spain", "Orchid – Spain", Span(0, 1, "x"), parent="Orchid", country="Spain"
    )
    letter = LetterFinding(None, None, None, (), (chapter,))
    r = Resolver.from_data()
    r.learn([Findings(document=doc, kind="open_letter", letter=letter)])
    assert r.resolve("Orchid – Spain").key != r.resolve("Orchid").key


def test_acronym_in_parentheses_links_with_its_reason() -> None:
    r = Resolver.from_data()
    r.learn([_findings(_m("Open Lantern Society", "organisation", acronym="OLS"))])
    ols = r.resolve("OLS")
    assert ols.key == r.resolve("Open Lantern Society").key
    assert ols.reason.startswith("resolution.acronym")


def test_a_titled_person_is_also_named_without_the_title() -> None:
    table = learn_actors([_findings(_m("President Ada Quist"), _m("Ada Quist"))])
    titled = table.actor("President Ada Quist", "person")
    assert titled.label == "President Ada Quist"  # labels as written
    assert "Ada Quist" in table.labels_of(titled.key)
    assert table.actor("Ada Quist", "person").key == titled.key


def test_built_graph_keeps_the_place_and_says_why_it_merged() -> None:
    from rdflib import Literal
    from rdflib.namespace import DCTERMS, SKOS

    from policygraph.rdf.building import build_document_graph
    from policygraph.vocab import PG

    text = "Tern Labs - Portugal and Tern Labs agree."
    doc = Document("t.txt", text, "text", DocumentMeta(), hashlib.sha256(text.encode()).hexdigest())
    mentions = (
        Mention("Tern Labs - Portugal", "organisation", Span(0, 20, text[:20])),
        Mention("Tern Labs", "organisation", Span(25, 34, text[25:34])),
    )
    f = Findings(document=doc, kind="news_article", mentions=mentions)
    g = build_document_graph(f, learn_actors([f])).to_rdflib()
    (actor,) = set(g.subjects(SKOS.prefLabel, Literal("Tern Labs")))
    assert any("resolution.place-suffix" in str(o) for o in g.objects(actor, PG.mergeReason))
    assert list(g.objects(actor, DCTERMS.spatial))


def test_country_prefix_on_a_known_body_and_spelling_variants() -> None:
    r = Resolver.from_data()
    lantern = r.resolve("Federal Office of Lanterns", "government")
    prefixed = r.resolve("U.S. Federal Office of Lanterns", "government")
    assert prefixed.key == lantern.key
    assert prefixed.reason.startswith("resolution.place-prefix")
    assert r.resolve("US Lantern Policy Committee").key != lantern.key  # unknown: its own name
    assert (
        r.resolve("Centre for Lantern Studies").key == r.resolve("Center for Lantern Studies").key
    )


def test_suffixed_name_first_still_merges_with_the_bare_name() -> None:
    r = Resolver.from_data()
    first = r.resolve("Kestrel Widgets Inc.", "company")
    assert r.resolve("Kestrel Widgets", "company").key == first.key
    assert first.label == "Kestrel Widgets"
    fbi = r.resolve("U.S. Federal Bureau of Investigation", "government")
    assert fbi.key == r.resolve("Federal Bureau of Investigation", "government").key
    assert fbi.place == "United States"
