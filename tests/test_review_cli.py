"""`policygraph review`: the same decisions from the command line, in bulk, and from a coder's
CSV; each written to the decisions file and shown by the store's queries at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policygraph.cli import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL, main
from policygraph.review.file import load_decisions
from policygraph.review.model import Kind, Status
from policygraph.sparql.querying import run_query
from policygraph.sparql.results import SelectResult
from policygraph.store import Store
from tests.support import ROOT

SOURCE = Path(ROOT) / "tests" / "data" / "review" / "statement.md"
DOC = "corpus/statement.md"


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus").mkdir()
    shutil.copy(SOURCE, tmp_path / "corpus" / "statement.md")
    assert main(["build", "corpus", "--store", "store", "--quiet"]) == EXIT_OK
    return tmp_path


def _review(*args: str) -> int:
    return main(["review", *args, "--store", "store", "--reviewer", "alice"])


def _holders() -> set[str]:
    with Store("store", read_only=True) as store:
        result = run_query("actors-by-stance", store=store)
    assert isinstance(result, SelectResult)
    return {str(r["name"]) for r in result.dicts()}


def test_the_four_actions_from_the_command_line(built: Path) -> None:
    assert _review("reject", DOC, "--kind", "actor", "--text", "Ministry of Silly Walks") != 0
    assert _review("reject", DOC, "--kind", "actor", "--text",
                   "Ministry of Silly Walks Newsletter") == EXIT_OK  # fmt: skip
    assert "Ministry of Silly Walks Newsletter" not in _holders()  # applied at once
    assert _review("correct", DOC, "--kind", "stance", "--text",
                   "Access Now also opposes encryption backdoors.",
                   "--set", "position=support") == EXIT_OK  # fmt: skip
    assert _review("merge", "Electronic Frontier Foundation", "EFF Inc") == EXIT_OK
    assert _review("add", DOC, "--kind", "stance", "--text",
                   "EFF Inc said the bill would weaken end-to-end encryption.",
                   "--set", "holder=EFF", "--set", "topic=e2ee",
                   "--set", "position=support") == EXIT_OK  # fmt: skip
    decisions = load_decisions(built / "data" / "review.yaml")
    assert [(d.kind, d.status) for d in decisions] == [
        (Kind.ACTOR, Status.REJECTED),
        (Kind.STANCE, Status.CORRECTED),
        (Kind.MERGE, Status.CORRECTED),
        (Kind.STANCE, Status.ADDED),
    ]
    assert {d.reviewer for d in decisions} == {"alice"}
    # the added stance's holder named the merged duplicate: it lands on the kept actor
    assert "EFF" not in _holders()
    with Store("store", read_only=True) as store:
        result = run_query(
            "actor-stances", {"actor_name": "Electronic Frontier Foundation"}, store=store
        )
    assert isinstance(result, SelectResult)
    assert ("e2ee", "Support") in {
        (str(r["topic"]), str(r["position"]).rsplit("#")[-1]) for r in result.dicts()
    }


def test_accept_every_actor_of_a_document_at_once(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _review("accept", DOC, "--kind", "actor", "--all") == EXIT_OK
    decisions = load_decisions(built / "data" / "review.yaml")
    named = sorted(d.key.text for d in decisions if d.key)
    assert named == sorted(
        ["Electronic Frontier Foundation", "Electronic Frontier Foundation", "Access Now",
         "EFF Inc", "Ministry of Silly Walks Newsletter", "Open Rights Group"]
    )  # fmt: skip
    assert all(d.status is Status.ACCEPTED for d in decisions)
    # a second run finds nothing left undecided
    assert _review("accept", DOC, "--kind", "actor", "--all") == EXIT_ERROR
    assert "no undecided actor" in capsys.readouterr().err


def test_import_a_coders_csv(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (built / "coding.csv").write_text(
        "document,kind,status,text,topic,holder,position,reviewer\n"
        f"{DOC},stance,corrected,Access Now also opposes encryption backdoors.,,,support,bo\n"
        f"{DOC},actor,rejected,Ministry of Silly Walks Newsletter,,,,\n"
        f"{DOC},stance,sideways,Open Rights Group rejects client-side scanning.,,,,\n"
        f"{DOC},stance,rejected,This sentence is not there,,,,\n",
        encoding="utf-8",
    )
    assert _review("import", "coding.csv") == EXIT_PARTIAL
    err = capsys.readouterr().err
    assert "coding.csv: row 4: 'sideways' is not a valid Status" in err
    assert "coding.csv: row 5:" in err and "does not hold 'This sentence" in err
    decisions = load_decisions(built / "data" / "review.yaml")
    assert [(d.reviewer, d.status) for d in decisions] == [
        ("bo", Status.CORRECTED),
        ("alice", Status.REJECTED),
    ]
    assert "Ministry of Silly Walks Newsletter" not in _holders()


def test_list_and_help(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _review("reject", DOC, "--kind", "actor", "--text", "Ministry of Silly Walks Newsletter")
    capsys.readouterr()
    assert main(["review", "list", "--status", "rejected"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "alice" in out and "'Ministry of Silly Walks Newsletter'" in out
    assert main(["review", "list", "--status", "accepted"]) == EXIT_OK
    assert capsys.readouterr().out == ""
    with pytest.raises(SystemExit):
        main(["review", "merge", "--help"])
    assert (
        capsys.readouterr().out.rstrip().splitlines()[-1].startswith("  policygraph review merge")
    )


def test_a_build_reports_decisions_it_could_not_apply(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _review("reject", DOC, "--kind", "actor", "--text", "Ministry of Silly Walks Newsletter")
    doc = built / DOC
    doc.write_text(doc.read_text(encoding="utf-8").replace("Silly Walks", "Funny Walks"))
    capsys.readouterr()
    assert main(["build", "corpus", "--store", "store", "--quiet"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "review: 0 of 1 decisions applied" in out
    assert "review not applied:" in out and "no longer holds 'Ministry of Silly Walks" in out
