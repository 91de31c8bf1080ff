"""Names → one node per real-world actor, with the reason for each merge."""

from __future__ import annotations

import hashlib

from policygraph.models import Document, DocumentMeta, Findings, Mention, Span
from policygraph.resolution import Resolver


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
