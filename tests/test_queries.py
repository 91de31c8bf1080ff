"""The query library on the seed graph: every .rq runs and answers what the documents say."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import yaml
from rdflib import URIRef

from policygraph.cli import main
from policygraph.errors import QueryError
from policygraph.sparql.formatting import format_result
from policygraph.sparql.params import parse_value
from policygraph.sparql.querying import (
    bind_params,
    find_query,
    load_library,
    run_library,
    run_query,
)
from policygraph.store import Store
from policygraph.vocab import PG, SCHEMA
from tests.support import SEED_GOLD

LETTER_TITLE = "Open Letter: Facebook's End-to-End Encryption Plans"
RAMAN_SAYS = "governments should not force companies to break end-to-end encryption"


@pytest.fixture(scope="module")
def gold() -> dict[str, dict]:
    with open(SEED_GOLD, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    return {d["file"]: d for d in data["documents"]}


def run(store: Store, name: str, **params: str) -> list[dict[str, str]]:
    info = find_query(name)
    result = run_query(info, bind_params(info, params), store=store)
    return [{k: ("" if v is None else str(v)) for k, v in row.items()} for row in result.dicts()]


def document_text(store: Store, document: str) -> str:
    rows = store.select(
        "SELECT ?d ?text WHERE { ?d <http://schema.org/text> ?text }", {"d": URIRef(document)}
    )
    return str(rows.rows[0][1])


# ---------------------------------------------------------------------- the library itself


def test_library_has_the_questions_the_issue_asks_for() -> None:
    infos = load_library()
    names = {q.name for q in infos}
    assert len(infos) >= 15
    assert {
        "letter-signatories",
        "actor-letters",
        "actors-by-stance",
        "governments-vs-civil-society",
        "cosigners",
        "replies",
        "quotes-by-actor",
        "stances-over-time",
        "actors-by-country",
        "multi-document-actors",
        "fact-provenance",
        "unlinked-actors",
    } <= names
    for info in infos:
        assert info.question.endswith("?") or "?" in info.question, info.name
        assert info.text.lstrip().startswith("#"), info.name


def test_every_query_runs_on_the_seed_graph_and_projects_its_parameters(seed_store: Store) -> None:
    results = run_library(seed_store)
    assert len(results) == len(load_library())
    for info, result in results:
        for p in info.params:  # Oxigraph substitution needs the variable projected
            assert p.name in result.variables, (info.name, p.name)
        assert result.rows, f"{info.name} answered nothing on the seed graph"


# ---------------------------------------------------------------------- answers


def test_the_58_signatories_in_list_order(seed_store: Store, gold: dict) -> None:
    rows = run(seed_store, "letter-signatories", letter_title=LETTER_TITLE)
    expected = [s["as_written"] for s in gold["004_de020599fd118b6a.txt"]["signatories"]]
    assert len(expected) == 58
    assert [r["as_written"] for r in rows] == expected
    assert [int(r["position"]) for r in rows] == list(range(1, 59))
    assert {r["letter_title"] for r in rows} == {LETTER_TITLE}


def test_letters_access_now_signed(seed_store: Store) -> None:
    rows = run(seed_store, "actor-letters", actor_name="Access Now")
    assert [(r["role"], r["about"], r["date"]) for r in rows] == [
        ("signed", LETTER_TITLE, "2019-10-04")
    ]


def test_governments_wrote_the_letter_the_signatories_answer(seed_store: Store) -> None:
    rows = run(seed_store, "replies")
    answering = {r["letter_title"] for r in rows}
    assert answering == {LETTER_TITLE}
    assert {r["author_name"] for r in rows} == {"United States", "United Kingdom", "Australia"}
    assert {r["replies_to_date"] for r in rows} == {"2019-10-04"}


def test_access_now_cosigners_ranked(seed_store: Store, gold: dict) -> None:
    rows = run(seed_store, "cosigners", actor_name="Access Now")
    names = [r["name"] for r in rows]
    assert len(rows) == 57  # everyone else on the one letter
    assert "Access Now" not in names
    assert {"Electronic Frontier Foundation", "Bolo Bhi", "Human Rights Watch"} <= set(names)
    assert {r["letters"] for r in rows} == {"1"}
    assert names == sorted(names)  # equal rank, then by name


def test_the_three_governments_support_backdoors(seed_store: Store) -> None:
    rows = run(seed_store, "actors-by-stance", topic="backdoors", position="pg:Support")
    assert {r["name"] for r in rows} == {"United States", "United Kingdom", "Australia"}
    assert {r["position"] for r in rows} == {str(PG.Support)}


def test_governments_against_civil_society_on_backdoors(seed_store: Store) -> None:
    rows = run(seed_store, "governments-vs-civil-society", topic="backdoors")
    table = {(r["sector"], r["position"].rsplit("#", 1)[1]): int(r["actors"]) for r in rows}
    assert table[("government", "Support")] == 3
    assert ("government", "Oppose") not in table
    assert table[("civil society", "Oppose")] >= 58  # the signatories
    assert ("civil society", "Support") not in table


def test_raman_jit_singh_chimas_quote_with_its_source(seed_store: Store) -> None:
    rows = run(seed_store, "quotes-by-actor", speaker_name="Raman Jit Singh Chima")
    assert len(rows) == 1
    quote = rows[0]
    assert RAMAN_SAYS in quote["quote"]
    assert "58 civil society organisations" in quote["document_title"]
    text = document_text(seed_store, quote["document"])
    assert text[int(quote["start"]) : int(quote["end"])] == quote["quote"]


def test_provenance_of_a_fact_leads_back_to_the_text_and_the_run(seed_store: Store) -> None:
    rows = run(seed_store, "fact-provenance", actor_name="Raman Jit Singh Chima")
    kinds = {r["kind"] for r in rows}
    assert {"quote", "stance", "mention"} <= kinds
    for r in rows:
        text = document_text(seed_store, r["document"])
        assert text[int(r["start"]) : int(r["end"])] == r["exact"]
        assert r["method"] and r["software_version"]
        assert r["rule"], f"fact {r['fact']} names no rule"
        assert seed_store.ask(
            "ASK { ?run a <https://w3id.org/policygraph/ns#ExtractionRun> ; "
            "<http://www.w3.org/ns/prov#used> ?doc }",
            {"run": URIRef(r["run"]), "doc": URIRef(r["document"])},
        )
    # one fact alone, by its IRI
    quote_fact = next(r["fact"] for r in rows if r["kind"] == "quote")
    one = run(seed_store, "fact-provenance", fact=f"<{quote_fact}>")
    assert [r["kind"] for r in one] == ["quote"]
    assert one[0]["method"] == "quote-pattern"
    assert one[0]["rule"].startswith(("code.", "quote."))


def test_stances_over_time(seed_store: Store) -> None:
    rows = run(seed_store, "stances-over-time", topic="backdoors")
    table = {(r["year"], r["position"].rsplit("#", 1)[1]): int(r["actors"]) for r in rows}
    assert table[("2019", "Oppose")] >= 58  # the letter of 4 October 2019
    # the governments' support comes from the undated news article
    assert table[("undated", "Support")] == 3


def test_actors_found_in_both_documents(seed_store: Store, gold: dict) -> None:
    rows = run(seed_store, "multi-document-actors")
    both = {r["name"] for r in rows if r["documents"] == "2"}
    in_news = set(gold["000_7564b24336da61a9.txt"]["mentions"]["organisations"])
    signed = {s["label"] for s in gold["004_de020599fd118b6a.txt"]["signatories"]}
    assert (in_news & signed) <= both  # Access Now, ACLU, EFF, Bolo Bhi ...
    assert "Electronic Frontier Foundation" in both


def test_actors_by_country_from_the_documents(seed_store: Store) -> None:
    rows = run(seed_store, "actors-by-country", country="Argentina")
    assert [(r["name"], r["source"]) for r in rows] == [
        ("Asociación por los Derechos Civiles", "document")
    ]
    colombia = {r["name"] for r in run(seed_store, "actors-by-country", country="Colombia")}
    assert {"Fundación Karisma", "ISUR"} <= colombia


def test_actors_by_country_from_wikidata_links(linked_store: Store) -> None:
    rows = run(linked_store, "actors-by-country", country="United Kingdom")
    found = {(r["name"], r["source"]) for r in rows}
    assert ("Open Rights Group", "wikidata") in found
    assert ("Open Rights Group", "document") not in found  # the letter gives it no country
    assert ("United Kingdom", "document") in found  # the government, from the documents
    assert run(linked_store, "actors-by-country", country="Vereinigtes Königreich") == []


def test_unlinked_actors(seed_store: Store, linked_store: Store) -> None:
    before = {r["name"] for r in run(seed_store, "unlinked-actors")}
    after = {r["name"] for r in run(linked_store, "unlinked-actors")}
    assert {"Open Rights Group", "Access Now", "United States"} <= before
    assert before - after == {"Open Rights Group"}


# ---------------------------------------------------------------------- parameters


@pytest.mark.parametrize(
    "value",
    ['Access Now" } UNION { ?actor ?p ?actor_name } #', "Access Now'}#", 'x"""\n}#', "}", "#"],
)
def test_hostile_parameter_values_neither_break_nor_change_the_query(
    seed_store: Store, value: str
) -> None:
    assert run(seed_store, "cosigners", actor_name=value) == []


def test_an_iri_parameter_refuses_what_is_not_an_iri() -> None:
    info = find_query("fact-provenance")
    for bad in ["<http://x> } #>", "not an iri", "http://x/ y", 'http://x/"']:
        with pytest.raises(QueryError, match="not an IRI"):
            bind_params(info, {"fact": bad})
    assert parse_value("pg:Support", "iri") == PG.Support
    assert parse_value("<http://schema.org/text>", "iri") == SCHEMA.text


def test_unknown_parameter_names_the_query_and_its_parameters() -> None:
    with pytest.raises(QueryError, match=r"cosigners\.rq: no parameter 'actor'.*actor_name"):
        bind_params(find_query("cosigners"), {"actor": "Access Now"})


def test_typed_parameters() -> None:
    assert parse_value("2019-10-04", "date").datatype.endswith("#date")  # type: ignore[union-attr]
    with pytest.raises(QueryError, match="not a date"):
        parse_value("4 October", "date")
    with pytest.raises(QueryError, match="not an integer"):
        parse_value("12a", "integer")


# ---------------------------------------------------------------------- errors name file and line


def test_a_syntax_error_names_the_file_and_line(tmp_path: Path, seed_store: Store) -> None:
    bad = tmp_path / "broken.rq"
    bad.write_text("# Which things are broken?\nSELECT ?s\nWHERE {\n  ?s nope:name ?o\n}\n")
    with pytest.raises(QueryError, match=r"broken\.rq:4:\d+: "):
        run_query(find_query(str(bad)), store=seed_store)


def test_a_bad_header_line_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "header.rq"
    bad.write_text("# A question?\n# @param who person -- nobody\nSELECT * { ?s ?p ?o }\n")
    with pytest.raises(QueryError, match=r"header\.rq:2: bad @param"):
        find_query(str(bad))


def test_a_parameter_missing_from_the_projection_is_reported(
    tmp_path: Path, seed_store: Store
) -> None:
    bad = tmp_path / "hidden.rq"
    bad.write_text("# Which names?\n# @param name string -- a name\nSELECT ?s { ?s ?p ?name }\n")
    info = find_query(str(bad))
    with pytest.raises(QueryError, match=r"hidden\.rq: .*projection"):
        run_query(info, bind_params(info, {"name": "x"}), store=seed_store)


# ---------------------------------------------------------------------- formats and the command


def test_result_formats(seed_store: Store) -> None:
    info = find_query("actors-by-stance")
    result = run_query(
        info, bind_params(info, {"topic": "backdoors", "position": "pg:Support"}), store=seed_store
    )
    data = json.loads(format_result(result, "json"))
    assert data["head"]["vars"] == list(result.variables)
    first = data["results"]["bindings"][0]
    assert first["position"] == {"type": "uri", "value": str(PG.Support)}
    assert first["documents"]["datatype"].endswith("#integer")
    rows = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert rows[0] == list(result.variables) and len(rows) == 4
    tsv = format_result(result, "tsv").splitlines()
    assert tsv[0].split("\t")[0] == "?topic" and '"backdoors"' in tsv[1]
    table = format_result(result, "table").splitlines()
    assert table[0].split() == list(result.variables)
    assert "pg:Support" in table[2] and table[-1] == "(3 rows)"


def test_query_command(seed_store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "query",
            "cosigners",
            "--param",
            "actor_name=Access Now",
            "--format",
            "csv",
            "--store",
            str(seed_store_dir),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 57 and rows[0]["actor_name"] == "Access Now"

    assert main(["query", "--list"]) == 0
    listing = capsys.readouterr().out
    assert "cosigners\n    Who signed letters together with a given actor?" in listing
    assert "--param actor_name=<actor>" in listing

    code = main(
        [
            "query",
            "SELECT (COUNT(*) AS ?n) WHERE { ?l a <https://w3id.org/policygraph/ns#Letter> }",
            "--store",
            str(seed_store_dir),
        ]
    )
    assert code == 0 and "n\n" in capsys.readouterr().out

    assert main(["query", "cosigners", "--param", "nope=1", "--store", str(seed_store_dir)]) == 1
    assert "no parameter 'nope'" in capsys.readouterr().err


def test_documents_letters_addressees_and_roles(seed_store: Store, gold: dict) -> None:
    docs = {Path(r["path"]).name: r for r in run(seed_store, "documents")}
    letter_doc, news = gold["004_de020599fd118b6a.txt"], gold["000_7564b24336da61a9.txt"]
    assert docs["004_de020599fd118b6a.txt"]["kind"] == letter_doc["kind"]
    assert docs["004_de020599fd118b6a.txt"]["publisher"] == "Digital Rights Watch"
    assert docs["004_de020599fd118b6a.txt"]["date"] == str(letter_doc["date"])
    assert docs["000_7564b24336da61a9.txt"]["kind"] == news["kind"]
    assert docs["000_7564b24336da61a9.txt"]["publisher"] == "MediaNama"
    assert docs["000_7564b24336da61a9.txt"]["date"] == ""  # the page gives no date

    letters = run(seed_store, "letters")
    signed = [r for r in letters if r["about"] == LETTER_TITLE]
    assert [r["signatories"] for r in signed] == ["58"]

    addressed = {r["name"] for r in run(seed_store, "addressees")}
    assert any("Zuckerberg" in name for name in addressed)

    roles = run(seed_store, "people-roles")
    assert ("Raman Jit Singh Chima", "Asia Policy Director", "Access Now") in {
        (r["name"], r["role"], r["organisation_name"]) for r in roles
    }


def test_where_the_eff_stands(seed_store: Store) -> None:
    rows = run(seed_store, "actor-stances", actor_name="Electronic Frontier Foundation")
    stances = {(r["topic"], r["position"].rsplit("#", 1)[1]) for r in rows}
    assert ("backdoors", "Oppose") in stances
    assert ("e2ee", "Support") in stances
    assert not {("backdoors", "Support"), ("e2ee", "Oppose")} & stances
    how = {r["attribution"].rsplit("#", 1)[1] for r in rows if r["topic"] == "backdoors"}
    assert "ViaSigning" in how  # it signed the letter
    assert any("attack on encryption" in r["evidence"] for r in rows)  # and said so itself


def test_topic_overview_and_extraction_methods(seed_store: Store) -> None:
    overview = {
        (r["topic"], r["position"].rsplit("#", 1)[1]): int(r["actors"])
        for r in run(seed_store, "topic-overview")
    }
    assert overview[("backdoors", "Support")] == 3
    assert overview[("e2ee", "Support")] >= 58
    methods = {
        (r["method"], re.split(r"[#/]", r["type"])[-1]): int(r["facts"])
        for r in run(seed_store, "extraction-methods")
    }
    assert methods[("signatory-list", "Signature")] == 58


def test_findings_by_document(seed_store: Store, gold: dict) -> None:
    rows = {
        r["what"]: (int(r["documents"]), int(r["findings"]))
        for r in run(seed_store, "findings-by-document")
    }
    letter = gold["004_de020599fd118b6a.txt"]
    article = gold["000_7564b24336da61a9.txt"]
    assert rows["1 documents"] == (2, 2)
    assert rows["2 letters reproduced"] == (1, 1)
    # both documents refer to the one governments' letter of 2019-10-04 (gold: same_letter);
    # the article also reports the civil-society letter, naming six of its signers ("Signatories
    # include ..."): a reference of its own until letter identity links it to the letter the
    # other seed reproduces
    assert rows["3 letters referred to"] == (2, 2)
    assert rows["4 signatures"] == (1, len(letter["signatories"]))
    assert rows["5 quotes"] == (1, len(article["quotes"]))
    assert rows["6 stances"][0] == 2
