"""The decisions file: typed decisions, clear errors, and no decision lost to two writers at
once or to a writer killed mid-write."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from policygraph.errors import ReviewError
from policygraph.review.file import add_decisions, load_decisions, remove_decisions
from policygraph.review.model import Decision, FactKey, Kind, Status, now

HASH = "ab" * 32


def _decision(i: int, reviewer: str = "alice", **kw: object) -> Decision:
    key = FactKey(HASH, i * 10, i * 10 + 4, "text", "docs/a.md")
    return Decision(Kind.STANCE, Status.REJECTED, reviewer, now(), key, **kw)  # type: ignore[arg-type]


def test_decisions_round_trip_through_the_file(tmp_path: Path) -> None:
    path = tmp_path / "review.yaml"
    made = [
        _decision(1),
        Decision(
            Kind.STANCE,
            Status.CORRECTED,
            "bob",
            now(),
            FactKey(HASH, 5, 9, "text"),
            select=(("topic", "backdoors"),),
            changes=(("position", "support"),),
            note="the sentence is ironic",
        ),
        Decision(Kind.MERGE, Status.CORRECTED, "alice", now(), actors=("EFF", "EFF Inc")),
    ]
    add_decisions(path, made)
    assert load_decisions(path) == tuple(made)


def test_a_reviewer_changing_their_mind_replaces_their_decision(tmp_path: Path) -> None:
    path = tmp_path / "review.yaml"
    add_decisions(path, [_decision(1), _decision(1, reviewer="bob")])
    accepted = Decision(Kind.STANCE, Status.ACCEPTED, "alice", now(), _decision(1).key)
    after = add_decisions(path, [accepted])
    assert [(d.reviewer, d.status) for d in after] == [
        ("bob", Status.REJECTED),
        ("alice", Status.ACCEPTED),
    ]
    assert remove_decisions(path, [accepted.id]) == 1
    assert [d.reviewer for d in load_decisions(path)] == ["bob"]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("format: other/1\n", "not a decisions file"),
        ("format: policygraph-review/1\ndecisions: {}\n", "must be a list"),
        (
            "format: policygraph-review/1\ndecisions:\n- {kind: stance, status: maybe}\n",
            "decisions[0]: 'maybe' is not a valid Status",
        ),
        (
            "format: policygraph-review/1\ndecisions:\n- kind: stance\n  status: rejected\n"
            "  reviewer: a\n  time: 2026-01-01T00:00:00\n  document: " + HASH + "\n"
            "  span: {start: 0, end: 3, text: abcd}\n",
            "decisions[0]: the span's text is not 3 characters long",
        ),
        (
            "format: policygraph-review/1\ndecisions:\n- kind: stance\n  status: corrected\n"
            "  reviewer: a\n  time: 2026-01-01T00:00:00\n  document: " + HASH + "\n"
            "  span: {start: 0, end: 3, text: abc}\n  changes: {position: sideways}\n",
            "position 'sideways' is not support or oppose",
        ),
    ],
)
def test_a_malformed_file_is_an_error_naming_it(tmp_path: Path, body: str, says: str) -> None:
    path = tmp_path / "review.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ReviewError) as err:
        load_decisions(path)
    assert str(err.value).startswith(str(path))
    assert says in str(err.value)


def test_a_bad_decision_is_never_written(tmp_path: Path) -> None:
    path = tmp_path / "review.yaml"
    add_decisions(path, [_decision(1)])
    before = path.read_text(encoding="utf-8")
    with pytest.raises(ReviewError, match="cannot change"):
        add_decisions(
            path,
            [
                Decision(
                    Kind.SIGNATORY,
                    Status.CORRECTED,
                    "a",
                    now(),
                    _decision(2).key,
                    changes=(("position", "support"),),
                )
            ],
        )
    assert path.read_text(encoding="utf-8") == before


def _writer(path: str, reviewer: str, n: int) -> None:
    for i in range(n):
        add_decisions(Path(path), [_decision(i, reviewer=reviewer)])


def test_two_reviewers_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "review.yaml"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), who, 40)) for who in ("ann", "ben")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    decisions = load_decisions(path)
    assert len(decisions) == 80
    assert {d.reviewer for d in decisions} == {"ann", "ben"}


_KILLED_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from policygraph.review.file import add_decisions
    from policygraph.review.model import Decision, FactKey, Kind, Status, now
    path = Path(sys.argv[1])
    for i in range(100000):
        key = FactKey("ab" * 32, i, i + 1, "x")
        # a long note makes each write take long enough to be killed in the middle of one
        d = Decision(Kind.STANCE, Status.ACCEPTED, "kim", now(), key, note="n" * 200000)
        add_decisions(path, [d])
        print(d.id, flush=True)
    """
)


def test_a_writer_killed_mid_write_leaves_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "review.yaml"
    add_decisions(path, [_decision(1, reviewer="first")])
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    done = [proc.stdout.readline().strip() for _ in range(3)]  # three writes are in
    os.kill(proc.pid, signal.SIGKILL)  # the fourth (or a later one) is under way
    proc.wait()
    done += [line.strip() for line in proc.stdout if line.strip()]
    ids = {d.id for d in load_decisions(path)}  # parses: the file is whole
    assert _decision(1, reviewer="first").id in ids
    assert set(done) <= ids
    # The killed writer's lock went with it: the next writer is not kept waiting.
    add_decisions(path, [_decision(2, reviewer="after")])
    assert len(load_decisions(path)) == len(ids) + 1
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) <= 1  # at most the killed write's temporary file, never the file
