"""What review tells the extractor (`evaluate --review`: precision per rule, recall from
added facts, Krippendorff's alpha between two reviewers), and DNA's statement table out and
back in to the same decisions."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from rdflib import Literal

from policygraph.cli import EXIT_OK, main
from policygraph.pipeline import build
from policygraph.review.actions import decide, record
from policygraph.review.agreement import agreement, review_scores
from policygraph.review.dna import export_dna, import_dna
from policygraph.review.file import load_decisions
from policygraph.review.model import Decision, Kind, Status
from policygraph.store import Store
from tests.support import ROOT

SOURCE = Path(ROOT) / "tests" / "data" / "review" / "statement.md"
DOC = "corpus/statement.md"
ACCESS = "Access Now also opposes encryption backdoors."
EFF = "The Electronic Frontier Foundation opposes encryption backdoors."
ORG = "Open Rights Group rejects client-side scanning."
MISSED = "EFF Inc said the bill would weaken end-to-end encryption."


@pytest.fixture
def store(tmp_path: Path) -> Store:
    (tmp_path / "corpus").mkdir()
    shutil.copy(SOURCE, tmp_path / "corpus" / "statement.md")
    s = Store(tmp_path / "store")
    build([tmp_path / "corpus"], s)
    return s


def _rule_of(store: Store, text: str) -> str:
    """The rule that made the stance on `text`, read straight from the documents' graph."""
    # (Oxigraph binds only variables the query projects: ?text is selected too.)
    (row,) = store.select(
        "PREFIX pg: <https://w3id.org/policygraph/ns#> PREFIX oa: <http://www.w3.org/ns/oa#> "
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT DISTINCT ?rule ?text "
        "WHERE { ?s a pg:Stance ; pg:evidence ?span ; pg:rule/skos:notation ?rule . "
        "?span oa:hasSelector/oa:exact ?text }",
        {"text": Literal(text)},
    ).rows
    return str(row[0])


def _stance(store: Store, status: Status, text: str, who: str = "alice", **kw: str) -> Decision:
    return decide(store, kind=Kind.STANCE, status=status, reviewer=who, document=DOC, text=text,
                  changes=kw)  # fmt: skip


def test_precision_per_rule_and_recall_from_added_facts(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "review.yaml"
    made = [
        _stance(store, Status.CORRECTED, ACCESS, position="support"),
        _stance(store, Status.ACCEPTED, EFF),
        _stance(store, Status.ACCEPTED, ORG),
        _stance(store, Status.ADDED, MISSED, holder="EFF", topic="e2ee", position="support"),
    ]
    record(store, path, made)
    scores = review_scores(store, load_decisions(path))
    by_rule = {r.rule: (r.reviewed, r.accepted, r.precision) for r in scores.rules}
    access, eff, org = _rule_of(store, ACCESS), _rule_of(store, EFF), _rule_of(store, ORG)
    expected: dict[str, list[int]] = {}
    for rule, ok in ((access, 0), (eff, 1), (org, 1)):
        seen = expected.setdefault(rule, [0, 0])
        seen[0] += 1
        seen[1] += ok
    assert by_rule == {r: (n, a, a / n) for r, (n, a) in expected.items()}
    assert scores.rules[0].precision == min(p for _, _, p in by_rule.values())  # weakest first
    assert scores.added == {"stance": 1}
    assert scores.recall("stance") == 2 / 3
    assert "review.added" not in by_rule


def _actor(store: Store, status: Status, text: str, who: str) -> Decision:
    return decide(store, kind=Kind.ACTOR, status=status, reviewer=who, document=DOC, text=text)


def test_krippendorffs_alpha_between_two_reviewers(store: Store) -> None:
    pytest.importorskip("krippendorff")  # the optional dependency (policygraph[review])
    junk, access, org = "Ministry of Silly Walks Newsletter", "Access Now", "Open Rights Group"
    decisions = [
        _actor(store, Status.REJECTED, junk, "ann"),
        _actor(store, Status.REJECTED, junk, "ben"),
        _actor(store, Status.ACCEPTED, access, "ann"),
        _actor(store, Status.REJECTED, access, "ben"),
        _actor(store, Status.ACCEPTED, org, "ann"),
        _actor(store, Status.ACCEPTED, org, "ben"),
    ]
    alpha, note = agreement(decisions)
    # By hand: 6 pairable values, 3 accepted and 3 rejected; one disagreeing unit.
    # Do = 2/6, De = 2*3*3/(6*5) = 0.6, alpha = 1 - Do/De = 4/9.
    assert note == ""
    assert alpha["actor"] == pytest.approx(4 / 9)
    assert agreement(decisions[::2])[0] == {}  # one reviewer only: no agreement to measure


def test_evaluate_review_prints_precision_per_rule(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "review.yaml"
    record(store, path, [_stance(store, Status.CORRECTED, ACCESS, position="support")])
    rule = _rule_of(store, ACCESS)
    store.close()
    code = main(["evaluate", "--review", "--store", str(tmp_path / "store"), "--decisions",
                 str(path)])  # fmt: skip
    assert code == EXIT_OK
    out = capsys.readouterr().out
    assert "precision per rule" in out
    (line,) = [ln for ln in out.splitlines() if ln.startswith(rule)]
    assert line.split()[-3:] == ["1", "0", "0.00"]


def _statements(table: str) -> list[tuple[str, ...]]:
    rows = list(csv.DictReader(io.StringIO(table)))
    return sorted(
        tuple(r[c] for c in ("actor", "concept", "agreement", "document", "text")) for r in rows
    )


def test_a_dna_export_reimports_to_the_same_decisions(store: Store, tmp_path: Path) -> None:
    first = tmp_path / "review.yaml"
    made = [
        _stance(store, Status.CORRECTED, ACCESS, position="support"),
        _stance(store, Status.ACCEPTED, EFF),
        _stance(store, Status.ADDED, MISSED, holder="Electronic Frontier Foundation",
                topic="e2ee", position="support"),
    ]  # fmt: skip
    record(store, first, made)
    table = export_dna(store)
    assert _statements(table) == sorted([
        ("Access Now", "backdoors", "yes", DOC, ACCESS),
        ("Electronic Frontier Foundation", "backdoors", "no", DOC, EFF),
        ("Electronic Frontier Foundation", "e2ee", "yes", DOC, MISSED),
    ])  # fmt: skip
    (tmp_path / "dna.csv").write_text(table, encoding="utf-8")
    # Into a store without the decisions: the table brings them back.
    record(store, first, [])
    first.write_text("format: policygraph-review/1\ndecisions: []\n", encoding="utf-8")
    record(store, first, [])
    imported, problems = import_dna(store, tmp_path / "dna.csv", "someone")
    assert problems == []

    def same(d: Decision) -> tuple[object, ...]:
        assert d.key is not None
        return (d.kind, d.status, d.reviewer, d.key.start, d.key.end, d.key.text,
                d.change("position"), d.change("topic"))  # fmt: skip

    assert sorted(map(same, imported), key=str) == sorted(map(same, made), key=str)
    second = tmp_path / "again.yaml"
    record(store, second, imported)
    assert _statements(export_dna(store)) == _statements(table)


def test_a_bad_statement_row_is_reported_and_the_rest_imported(
    store: Store, tmp_path: Path
) -> None:
    (tmp_path / "dna.csv").write_text(
        "actor,concept,agreement,date,document,text\n"
        f"Access Now,backdoors,maybe,,{DOC},{ACCESS}\n"
        f"Access Now,nonsense,yes,,{DOC},{ACCESS}\n"
        f"Access Now,Encryption backdoors,yes,,{DOC},{ACCESS}\n",
        encoding="utf-8",
    )
    decisions, problems = import_dna(store, tmp_path / "dna.csv", "kim")
    assert [p.split(": ", 1)[1] for p in problems] == [
        "row 2: agreement 'maybe' is not yes or no",
        "row 3: concept 'nonsense' is no topic of the topic scheme",
    ]
    assert [(d.status, d.change("position")) for d in decisions] == [(Status.CORRECTED, "support")]
