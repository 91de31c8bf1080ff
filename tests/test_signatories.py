"""Signatory lines: what a reader gets out of each line of a list, measured against the gold."""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from policygraph.extraction.letters import extract_letter
from policygraph.extraction.signatories import parse_signatory_line, parse_signatory_lines
from policygraph.loading import load_document
from policygraph.models import SignatoryEntry
from tests.support import SEED_GOLD, SEEDS, require_shared

LETTER_SEED = os.path.join(SEEDS, "004_de020599fd118b6a.txt")

# What the seed gold knows about a signer from outside its own line (the news article, or
# Wikidata): the extractor reads one line and cannot know it. Each is checked to be absent,
# so that the list shrinks when the pipeline learns it elsewhere.
OUT_OF_SCOPE = {
    ("ACM US Technology Policy Committee", "parent"): "ACM = Association for Computing Machinery",
    ("American Civil Liberties Union", "acronym"): "ACLU is not written on the line",
    ("Electronic Frontier Foundation", "acronym"): "EFF comes from the news article",
    ("Bolo Bhi", "country"): "'Pakistani organisation Bolo Bhi' is in the news article",
}
FIELDS = ("as_written", "label", "acronym", "country", "region", "parent", "kind")


def parse(line: str, **kw: Any) -> SignatoryEntry:
    return parse_signatory_line(line, start=0, position=1, **kw)


def _gold_docs(path: str) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return list(yaml.safe_load(fh)["documents"])


# --- the seed letter, field by field ---------------------------------------------------------


def test_seed_signatories_match_gold_field_by_field() -> None:
    gold = next(d for d in _gold_docs(SEED_GOLD) if d["file"] == "004_de020599fd118b6a.txt")
    doc = load_document(LETTER_SEED)
    letter = extract_letter(doc)
    assert letter is not None
    got = letter.signatories
    assert len(got) == len(gold["signatories"]) == 58
    wrong: list[str] = []
    for i, (entry, want) in enumerate(zip(got, gold["signatories"], strict=True), start=1):
        assert entry.position == i
        assert doc.text[entry.span.start : entry.span.end] == entry.span.text
        for field in FIELDS:
            expected = want.get(field, "organisation" if field == "kind" else None)
            actual = getattr(entry, field)
            if (want["label"], field) in OUT_OF_SCOPE:
                assert actual != expected, f"{want['label']}: {field} found; update OUT_OF_SCOPE"
                continue
            if actual != expected:
                wrong.append(f"{i} {want['as_written']!r}: {field} {actual!r} != {expected!r}")
    assert not wrong, "\n".join(wrong)


# --- the DRW gold: precision and recall on (label, kind) -------------------------------------


def _key(label: str, kind: str) -> tuple[str, str]:
    return (" ".join(label.casefold().split()), kind)


def test_drw_gold_signatories_f1() -> None:
    gold_path = require_shared("corpus", "drw", "gold.yaml")
    base = os.path.dirname(gold_path)
    tp = fp = fn = 0
    role_hits = role_total = 0
    misses: list[str] = []
    for gd in _gold_docs(gold_path):
        doc = load_document(os.path.join(base, gd["file"]))
        letter = extract_letter(doc)
        got = letter.signatories if letter else ()
        want = gd.get("signatories") or []
        got_keys = Counter(_key(e.label, e.kind) for e in got)
        want_keys = Counter(_key(w["label"], w.get("kind", "organisation")) for w in want)
        tp += sum((got_keys & want_keys).values())
        fp += sum((got_keys - want_keys).values())
        fn += sum((want_keys - got_keys).values())
        misses += [f"{gd['file']}: extra {k}" for k in got_keys - want_keys]
        misses += [f"{gd['file']}: missed {k}" for k in want_keys - got_keys]
        by_written = {e.as_written: e for e in got}
        for w in want:
            entry = by_written.get(w["as_written"])
            if entry is None:
                misses.append(f"{gd['file']}: as_written not reproduced {w['as_written']!r}")
                continue
            for field in ("role", "affiliation"):
                role_total += 1
                role_hits += getattr(entry, field) == w.get(field)
        # the list keeps the document's order
        order = [w["as_written"] for w in want]
        assert [e.as_written for e in got if e.as_written in order] == order
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall)
    print(f"signatories label+kind: P={precision:.3f} R={recall:.3f} F1={f1:.3f}")
    print(f"role/affiliation exact: {role_hits}/{role_total}")
    print("\n".join(misses))
    assert f1 >= 0.95, "\n".join(misses)
    # roles and affiliations are read less reliably than names; keep them from regressing
    assert role_hits >= 0.8 * role_total


def test_drw_posts_without_signatories_get_none() -> None:
    gold_path = require_shared("corpus", "drw", "gold.yaml")
    base = os.path.dirname(gold_path)
    checked = 0
    for gd in _gold_docs(gold_path):
        if gd["kind"] in ("blog_post", "press_release") and not gd.get("signatories"):
            letter = extract_letter(load_document(os.path.join(base, gd["file"])))
            assert letter is None or not letter.signatories, gd["file"]
            checked += 1
    assert checked == 7


# --- tricky lines ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Association for Progressive Communications (APC)",
            {"label": "Association for Progressive Communications", "acronym": "APC"},
        ),
        (
            "Asociación por los Derechos Civiles (ADC), Argentina",
            {
                "label": "Asociación por los Derechos Civiles",
                "acronym": "ADC",
                "country": "Argentina",
            },
        ),
        (
            "Centro de Ensino e Pesquisa em Inovação (CEPI), FGV Direito SP, Brasil",
            {
                "label": "Centro de Ensino e Pesquisa em Inovação",
                "acronym": "CEPI",
                "parent": "FGV Direito SP",
                "country": "Brazil",
            },
        ),
        (
            "Center for Studies on Freedom of Expression (CELE), Universidad de Palermo",
            {
                "label": "Center for Studies on Freedom of Expression",
                "acronym": "CELE",
                "parent": "Universidad de Palermo",
            },
        ),
        (
            "Derechos Digitales, América Latina",
            {"label": "Derechos Digitales", "region": "América Latina", "country": None},
        ),
        (
            "Restore The Fourth, Inc.",
            {"label": "Restore The Fourth", "legal_suffix": "Inc.", "kind": "organisation"},
        ),
        (
            "Iuridicum Remedium, z.s.",
            {"label": "Iuridicum Remedium", "legal_suffix": "z.s.", "kind": "organisation"},
        ),
        ("epicenter.works – for digital rights", {"label": "epicenter.works"}),
        (
            "R3D: Red en Defensa de los Derechos Digitales",
            {"label": "Red en Defensa de los Derechos Digitales", "acronym": "R3D"},
        ),
        (
            "S.T.O.P. – The Surveillance Technology Oversight Project",
            {"label": "Surveillance Technology Oversight Project", "acronym": "S.T.O.P."},
        ),
        (
            "New America's Open Technology Institute",
            {"label": "Open Technology Institute", "parent": "New America"},
        ),
        (
            "Internet Society – Bulgaria",
            {
                "label": "Internet Society – Bulgaria",
                "parent": "Internet Society",
                "country": "Bulgaria",
            },
        ),
        (
            "Internet Society UK England Chapter",
            {"label": "Internet Society UK England Chapter", "parent": "Internet Society"},
        ),
        (
            "ISUR, Universidad del Rosario, Colombia",
            {"label": "ISUR", "parent": "Universidad del Rosario", "country": "Colombia"},
        ),
        (
            "Jane Doe, University X (affiliation for identification only)",
            {
                "label": "Jane Doe",
                "kind": "person",
                "affiliation": "University X",
                "as_written": "Jane Doe, University X",
            },
        ),
        (
            "Dr Matthew Rimmer, Professor of Intellectual Property and Innovation Law, "
            "QUT Faculty of Law",
            {
                "label": "Matthew Rimmer",
                "kind": "person",
                "role": "Professor of Intellectual Property and Innovation Law",
                "affiliation": "QUT Faculty of Law",
            },
        ),
        (
            "Senator Sarah Hanson-Young, Australian Greens",
            {
                "label": "Sarah Hanson-Young",
                "kind": "person",
                "role": "Senator",
                "affiliation": "Australian Greens",
            },
        ),
        ("Julian Burnside AO QC", {"label": "Julian Burnside", "kind": "person", "role": None}),
        ("Father Peter Maher OAM", {"label": "Peter Maher", "kind": "person", "role": "Father"}),
        (
            "Emeritus Professor Joseph A. Camilleri OAM",
            {"label": "Joseph A. Camilleri", "kind": "person", "role": "Emeritus Professor"},
        ),
        (
            "Archie Law, CEO ActionAid Australia",
            {
                "label": "Archie Law",
                "kind": "person",
                "role": "CEO",
                "affiliation": "ActionAid Australia",
            },
        ),
        (
            "Greg Barns , Barrister, Former National President Australian Lawyers Alliance",
            {"label": "Greg Barns", "kind": "person"},
        ),
        (
            "Tim Hollo, Executive Director, the Green Institute",
            {
                "label": "Tim Hollo",
                "kind": "person",
                "role": "Executive Director",
                "affiliation": "Green Institute",
            },
        ),
        (
            "Rob Pyne MP, Independent Member for Cairns",
            {"label": "Rob Pyne", "kind": "person", "role": "Independent Member for Cairns"},
        ),
        ("Acme Widgets Pty Ltd", {"label": "Acme Widgets", "kind": "company"}),
        ("Government of Australia", {"kind": "government", "country": "Australia"}),
        (
            "Electronic Frontier Foundation, US",
            {"label": "Electronic Frontier Foundation", "country": "United States"},
        ),
        (
            "The Hon Peter Dutton MP, Minister for Home Affairs, Australia",
            {"label": "Australia", "kind": "government", "role": "Minister for Home Affairs"},
        ),
        (
            "Rt Hon Priti Patel MP, United Kingdom Home Secretary",
            {"label": "United Kingdom", "kind": "government", "country": "United Kingdom"},
        ),
        (
            "Kintto Lucas, Former Deputy Foreign Minister of Ecuador, Ecuador",
            {"label": "Kintto Lucas", "kind": "person", "country": "Ecuador"},
        ),
        ("Facebook", {"label": "Facebook", "kind": "company"}),
        (
            "Adam Bandt, MP, Australia",
            {"label": "Adam Bandt", "kind": "person", "country": "Australia", "parent": None},
        ),
    ],
)
def test_tricky_lines(line: str, expected: dict[str, Any]) -> None:
    entry = parse(line)
    for field, value in expected.items():
        assert getattr(entry, field) == value, (field, entry)
    assert entry.span.text == line


def test_bare_names_take_the_kind_of_their_list() -> None:
    orgs = ["Bolo Bhi", "Electronic Frontier Foundation", "Human Rights Watch", "Access Now"]
    people = ["Jenna Price", "Dr Suelette Dreyfus", "Tim Norton, Digital Rights Watch"]
    kinds = {e.label: e.kind for e in parse_signatory_lines([(0, x) for x in orgs])}
    assert kinds["Bolo Bhi"] == "organisation"
    kinds = {e.label: e.kind for e in parse_signatory_lines([(0, x) for x in people])}
    assert kinds["Jenna Price"] == "person"


def test_section_headers_decide_undecided_lines() -> None:
    lines = [(0, "Code Pink, US"), (20, "Code Pink, US")]
    entries = parse_signatory_lines(lines, section_kinds=["organisation", "person"])
    assert [e.kind for e in entries] == ["organisation", "person"]
    # a decisive line keeps its own kind whatever the section says
    (entry,) = parse_signatory_lines([(0, "SHARE Foundation")], section_kinds=["person"])
    assert entry.kind == "organisation"


def test_offsets_index_into_the_document() -> None:
    text = "Signed by:\nAmy Gray, Digital Rights Watch\n"
    start = text.index("Amy")
    line = text[start : text.index("\n", start)]
    entry = parse_signatory_line(line, start=start, position=3)
    assert (entry.span.start, entry.span.end, entry.position) == (start, start + len(line), 3)
    assert text[entry.span.start : entry.span.end] == entry.span.text == line


PIECES = [
    *"aZé (),:–-.'’&\u200b1",
    "Dr ",
    "Professor ",
    "Inc.",
    " AO",
    "Jane",
    "Doe",
    "(ACR)",
    ", Brasil",
    "Foundation",
    "'s ",
    " – ",
    "R3D: ",
    ", z.s.",
    "\t",
]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.lists(st.sampled_from(PIECES), max_size=14).map("".join), st.text(max_size=40)),
    st.integers(min_value=0, max_value=10_000),
)
def test_never_crashes_and_span_reproduces_line(line: str, start: int) -> None:
    entry = parse_signatory_line(line, start=start, position=1)
    assert entry.span.text == line
    assert entry.span.end - entry.span.start == len(line)
    assert entry.span.start == start
    assert entry.kind in ("organisation", "company", "government", "person", "country")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Ada Lind, Huntington Beach, CA",
            {
                "label": "Ada Lind",
                "kind": "person",
                "region": "Huntington Beach, CA",
                "country": "United States",
                "affiliation": None,
            },
        ),
        (
            "Jo Park, Tern Labs, Austin, TX",
            {
                "label": "Jo Park",
                "affiliation": "Tern Labs",
                "region": "Austin, TX",
                "country": "United States",
            },
        ),
        (
            "Kestrel Network, Halifax, NS",
            {
                "label": "Kestrel Network",
                "kind": "organisation",
                "region": "Halifax, NS",
                "country": "Canada",
                "parent": None,
            },
        ),
        # a post-nominal after a name is no state ("QC": Queen's Counsel)
        ("Mara Quill QC, Orchid Chambers", {"label": "Mara Quill", "region": None}),
        # a role before the code is no city
        ("Ivo Park, Director, SC", {"label": "Ivo Park", "region": None}),
    ],
)
def test_city_and_state_code_are_the_signers_region(line: str, expected: dict[str, Any]) -> None:
    entry = parse(line)
    assert {k: getattr(entry, k) for k in expected} == expected


@pytest.mark.parametrize("field", ["Independent", "Personal", "N/A", "Self"])
def test_a_form_field_saying_no_institution_is_no_affiliation(field: str) -> None:
    entry = parse(f"Ada Lind, Access Services Librarian, {field}")
    assert (entry.label, entry.kind, entry.affiliation) == ("Ada Lind", "person", None)
