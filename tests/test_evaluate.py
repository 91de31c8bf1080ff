"""`policygraph evaluate`: scores read back from the graph against a gold file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policygraph.cli import main
from policygraph.errors import GoldError
from policygraph.evaluation.evaluate import evaluate, normalise

from .support import SEED_GOLD


def test_seed_gold_scores(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", SEED_GOLD, "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)["sections"]
    for section in ("signatories", "same_actor", "not_actors"):
        assert scores[section]["f1"] == 1.0, scores[section]
    for section in ("mentions", "people", "quotes", "stances"):
        assert scores[section]["f1"] >= 0.95, scores[section]


def test_topic_missing_from_scheme_is_reported_not_dropped(tmp_path: Path) -> None:
    seeds = Path(SEED_GOLD).resolve().parents[3] / "data" / "documents"
    gold = tmp_path / "gold.yaml"
    gold.write_text(
        "format: policygraph-gold/1\n"
        f"corpus: {seeds}\n"
        "documents:\n"
        "  - file: 000_7564b24336da61a9.txt\n"
        "    stances:\n"
        "      - {actor: Access Now, topic: net_neutrality, position: support, evidence: x}\n",
        encoding="utf-8",
    )
    report = evaluate(gold)
    assert "net_neutrality" in report.not_covered
    assert report.section("stances").fn == 1
    assert "not covered" in report.text()


def test_a_gold_file_none_of_whose_documents_builds_is_an_error_not_a_perfect_score(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "empty.md").write_text("---\ntitle: nothing here\n---\n", encoding="utf-8")
    gold = tmp_path / "gold.yaml"
    gold.write_text(
        "format: policygraph-gold/1\ncorpus: docs/\ndocuments:\n"
        "  - file: empty.md\n"
        "    stances:\n"
        "      - {actor: Access Now, topic: backdoors, position: oppose, evidence: x}\n"
        "  - file: absent.md\n",
        encoding="utf-8",
    )
    with pytest.raises(GoldError, match=r"gold\.yaml: none of its 2 documents was built"):
        evaluate(gold)


def test_bad_gold_file_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: something-else\n", encoding="utf-8")
    with pytest.raises(GoldError, match=r"bad\.yaml"):
        evaluate(bad)


def test_names_match_after_folding() -> None:
    assert normalise("Dr  Leslie Cannold") == normalise("leslie cannold")
    assert normalise("Lizzie O’Shea") == normalise("Lizzie O'Shea")


@pytest.mark.slow
def test_drw_gold_meets_targets() -> None:
    """The ten annotated Digital Rights Watch posts: the rules are general, not fitted to
    the seeds, so the real corpus must score too."""
    from .support import require_shared

    report = evaluate(require_shared("corpus", "drw", "gold.yaml"))
    assert not report.missing_documents
    assert report.section("signatories").f1 >= 0.95
    assert report.section("stances").f1 >= 0.85
    assert report.section("not_actors").fp == 0
