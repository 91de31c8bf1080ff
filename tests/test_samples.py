"""Issue 7: the seed letter read from a saved web page and from a printed PDF gives the graph
the Markdown version gives; the project's own samples (a joint ministerial statement, a press
release and the letter it announces, an experts' letter, pasted text) are typed and scored
against tests/data/gold/samples.yaml."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from policygraph.evaluation.evaluate import evaluate
from policygraph.pipeline import build
from policygraph.store import Store
from tests.support import ROOT, SEEDS, require_file

SAMPLES = Path(ROOT) / "tests" / "data" / "samples"
SAMPLES_GOLD = Path(ROOT) / "tests" / "data" / "gold" / "samples.yaml"
MARKDOWN = Path(SEEDS) / "004_de020599fd118b6a.txt"
HTML = SAMPLES / "004_letter_page.html"
PDF = SAMPLES / "004_letter_print.pdf"

PREFIXES = """
PREFIX pg: <https://w3id.org/policygraph/ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
LETTER = (
    PREFIXES
    + """
SELECT ?title ?heading ?to ?kind WHERE {
  ?letter a pg:Letter ; pg:reproducedIn ?doc ; schema:name ?title ; pg:heading ?heading ;
          schema:toRecipient/skos:prefLabel ?to .
  ?doc pg:documentKind ?kind .
}"""
)
SIGNATORIES = (
    PREFIXES
    + """
SELECT ?pos ?written ?label ?kind
       (GROUP_CONCAT(DISTINCT ?alt; separator="|") AS ?alts)
       (SAMPLE(?countryLabel) AS ?country) (SAMPLE(?parentLabel) AS ?parent)
WHERE {
  ?letter pg:reproducedIn ?doc ; prov:qualifiedAttribution ?sig .
  ?sig pg:listPosition ?pos ; pg:asWritten ?written ; prov:agent ?a .
  ?a skos:prefLabel ?label .
  OPTIONAL { ?a a ?kind . FILTER(?kind IN (schema:GovernmentOrganization, schema:Corporation,
                                           schema:Person, schema:NGO)) }
  OPTIONAL { ?a skos:altLabel ?alt }
  OPTIONAL { ?a dcterms:spatial/skos:prefLabel ?countryLabel }
  OPTIONAL { ?a org:subOrganizationOf/skos:prefLabel ?parentLabel }
}
GROUP BY ?pos ?written ?label ?kind
ORDER BY ?pos
"""
)
STANCES = (
    PREFIXES
    + """
SELECT DISTINCT ?holder ?topic ?position WHERE {
  ?s a pg:Stance ; pg:holder/skos:prefLabel ?holder ; pg:topic/skos:notation ?topic ;
     pg:position ?position .
}"""
)


def _read(store: Store) -> dict[str, Any]:
    return {
        "letter": [
            tuple(str(r[k]) for k in ("title", "heading", "to", "kind"))
            for r in store.select(LETTER, union=True).dicts()
        ],
        "signatories": [
            (
                *(str(r[k] or "") for k in ("pos", "written", "label")),
                "|".join(sorted(str(r["alts"] or "").split("|"))),
                *(str(r[k] or "") for k in ("country", "parent")),
            )
            for r in store.select(SIGNATORIES, union=True).dicts()
        ],
        "stances": {
            (str(r["holder"]), str(r["topic"]), str(r["position"]).rsplit("#", 1)[-1])
            for r in store.select(STANCES, union=True).dicts()
        },
    }


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Each version of the seed letter built alone into its own store, read back by SPARQL."""
    out = {}
    for name, path in (("markdown", MARKDOWN), ("html", HTML), ("pdf", PDF)):
        with Store(tmp_path_factory.mktemp(name) / "store") as store:
            report = build([path], store)
            assert report.ok, report.failures
            out[name] = _read(store)
    return out


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_same_letter_as_the_markdown(versions: dict[str, dict[str, Any]], fmt: str) -> None:
    assert versions["markdown"]["letter"] == [
        (
            "Open Letter: Facebook's End-to-End Encryption Plans",
            "OPEN LETTER: FACEBOOK'S END-TO-END SECURITY PLANS",
            "Mr. Zuckerberg",
            "open_letter",
        )
    ]
    assert versions[fmt]["letter"] == versions["markdown"]["letter"]


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_same_58_signatories_in_the_same_order(
    versions: dict[str, dict[str, Any]], fmt: str
) -> None:
    want = versions["markdown"]["signatories"]
    assert len(want) == 58
    written, label, alts, country, parent = want[7][1:]  # one line split four ways
    assert written == "Asociación por los Derechos Civiles (ADC), Argentina"
    assert (label, country, parent) == ("Asociación por los Derechos Civiles", "Argentina", "")
    assert "ADC" in alts.split("|")
    assert want[35][2:] == ("Internet Society – Bulgaria", "", "Bulgaria", "Internet Society")
    # the name the PDF wraps under a hanging indent is one signatory, not two
    assert want[52][2] == "Samuelson-Glushko Canadian Internet Policy & Public Interest Clinic"
    assert versions[fmt]["signatories"] == want


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_same_stances(versions: dict[str, dict[str, Any]], fmt: str) -> None:
    want = versions["markdown"]["stances"]
    assert ("Vrijschrift", "backdoors", "Oppose") in want
    assert ("Vrijschrift", "e2ee", "Support") in want
    assert ("Australia", "e2ee", "Oppose") in want
    assert not any(holder == "Facebook" for holder, _, _ in want)
    assert versions[fmt]["stances"] == want


def test_html_page_links_the_letter_it_answers() -> None:
    """The page's by-line link must not land on the signatory of the same name and push the
    letter's own link out of reach."""
    from policygraph.loading import load_document

    doc = load_document(HTML)
    assert [url for _, url in doc.links] == [
        "https://cdt.org/files/2019/10/US-UK-Australia-letter-to-Zuckerberg-10-4-19.pdf"
    ]
    assert doc.text.startswith("Dear Mr. Zuckerberg,")  # the headline is metadata


def _pdf_reading(path: Path) -> tuple[int, list[str], str, str]:
    """What a reader gets from a PDF: its pages' text (pdfplumber, the loader's reader), the
    number of pages, its title and author. fpdf2 versions write different bytes for the same
    page, so the bytes are not compared."""
    import pdfplumber
    from pypdf import PdfReader

    with pdfplumber.open(path) as pdf:
        pages = [page.extract_text() for page in pdf.pages]
    meta = PdfReader(path).metadata
    assert meta is not None, path
    return len(pages), pages, str(meta.title), str(meta.author)


def test_committed_html_and_pdf_are_what_the_script_makes(tmp_path: Path) -> None:
    for font in ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"):
        require_file(f"/usr/share/fonts/truetype/dejavu/{font}", "fonts-dejavu-extra")
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    # The HTML is the script's own text: byte for byte.
    assert (tmp_path / HTML.name).read_bytes() == HTML.read_bytes()
    made, committed = _pdf_reading(tmp_path / PDF.name), _pdf_reading(PDF)
    assert made == committed
    assert committed[0] == 1 and "Access Now" in committed[1][0]


@pytest.fixture(scope="module")
def samples_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("samples") / "store"
    with Store(folder) as store:
        report = build([SAMPLES], store)
        assert report.ok, report.failures
    return folder


def test_kinds_of_document(samples_store: Path) -> None:
    query = PREFIXES + "SELECT ?path ?kind WHERE { ?d pg:sourcePath ?path ; pg:documentKind ?kind }"
    with Store(samples_store, read_only=True) as store:
        kinds = {
            Path(str(r["path"])).name: str(r["kind"])
            for r in store.select(query, union=True).dicts()
        }
    assert kinds["joint_statement_lawful_access.md"] == "government_statement"
    assert kinds["press_release_scanning_letter.md"] == "press_release"
    assert kinds["open_letter_scanning_experts.md"] == "open_letter"
    assert kinds["004_letter_print.pdf"] == "open_letter"


def test_ministers_sign_for_their_governments(samples_store: Path) -> None:
    """The government is the signatory; the minister is a person holding that office in it."""
    query = (
        PREFIXES
        + """
SELECT DISTINCT ?pos ?label ?country WHERE {
  ?letter pg:reproducedIn ?doc ;
          prov:qualifiedAttribution [ pg:listPosition ?pos ; prov:agent ?a ] .
  ?doc pg:sourcePath ?path . FILTER(STRENDS(STR(?path), "joint_statement_lawful_access.md"))
  ?a a schema:GovernmentOrganization ; skos:prefLabel ?label ;
     dcterms:spatial/skos:prefLabel ?country .
} ORDER BY ?pos"""
    )
    with Store(samples_store, read_only=True) as store:
        rows = [
            (str(r["label"]), str(r["country"])) for r in store.select(query, union=True).dicts()
        ]
    countries = ["Australia", "Canada", "New Zealand", "United Kingdom", "United States"]
    assert rows == [(c, c) for c in countries]
    ministers = (
        PREFIXES
        + """
SELECT DISTINCT ?name ?role ?government WHERE {
  ?m a org:Membership ; org:member ?p ; org:organization ?g ; org:role/skos:prefLabel ?role .
  ?p a schema:Person ; skos:prefLabel ?name .
  ?g a schema:GovernmentOrganization ; skos:prefLabel ?government .
}"""
    )
    with Store(samples_store, read_only=True) as store:
        held = {
            (str(r["name"]), str(r["role"]), str(r["government"]))
            for r in store.select(ministers, union=True).dicts()
        }
    assert ("Daniel Reyes", "Attorney General", "United States") in held
    assert ("Alex Morgan", "Minister for Home Affairs", "Australia") in held


def test_individuals_with_affiliations_and_a_company(samples_store: Path) -> None:
    query = (
        PREFIXES
        + """
SELECT DISTINCT ?pos ?label ?type ?affiliation WHERE {
  ?letter pg:reproducedIn ?doc ;
          prov:qualifiedAttribution [ pg:listPosition ?pos ; prov:agent ?a ] .
  ?doc pg:sourcePath ?path . FILTER(STRENDS(STR(?path), "open_letter_scanning_experts.md"))
  ?a skos:prefLabel ?label .
  OPTIONAL { ?a a ?type . FILTER(?type IN (schema:Person, schema:Corporation)) }
  OPTIONAL { ?m org:member ?a ; org:organization/skos:prefLabel ?affiliation }
} ORDER BY ?pos"""
    )
    with Store(samples_store, read_only=True) as store:
        rows = [
            (str(r["label"]), str(r["type"] or "").rsplit("/", 1)[-1], str(r["affiliation"] or ""))
            for r in store.select(query, union=True).dicts()
        ]
    assert rows[:4] == [
        ("Jane Doe", "Person", "University of Eastbridge"),  # "(affiliation for ... only)" off
        ("Samuel Okafor", "Person", "Westmoor Institute of Technology"),
        ("Maria Lindqvist", "Person", ""),
        ("Quietline Messaging", "Corporation", ""),
    ]


def test_press_release_is_linked_to_the_letter_it_announces(samples_store: Path) -> None:
    query = (
        PREFIXES
        + """
SELECT DISTINCT ?letterPath ?releasePath WHERE {
  ?letter pg:reproducedIn/pg:sourcePath ?letterPath ; pg:reportedIn/pg:sourcePath ?releasePath .
}"""
    )
    with Store(samples_store, read_only=True) as store:
        rows = {
            (Path(str(r["letterPath"])).name, Path(str(r["releasePath"])).name)
            for r in store.select(query, union=True).dicts()
        }
    assert ("open_letter_scanning_experts.md", "press_release_scanning_letter.md") in rows


def test_samples_gold_scores() -> None:
    report = evaluate(SAMPLES_GOLD)
    assert not report.missing_documents
    scores = {s.name: s for s in report.sections}
    for section in ("signatories", "quotes", "distinct_actors", "not_actors"):
        assert scores[section].f1 == 1.0, scores[section]
    assert scores["stances"].f1 >= 0.98, scores["stances"]
    assert scores["same_actor"].f1 >= 0.9, scores["same_actor"]
    # Below 1.0 for known reasons (see the gold's misses): "Mr. Zuckerberg" alone is not known
    # as Mark Zuckerberg without outside knowledge.
    assert scores["mentions"].f1 >= 0.9, scores["mentions"]
    assert scores["people"].f1 >= 0.8, scores["people"]
