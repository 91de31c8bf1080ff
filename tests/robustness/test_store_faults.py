"""Every store fault is one line through the CLI, naming the store, what is wrong and what to
do; never a traceback, never 0 rows answered silently (issue 19, item 8)."""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policygraph.cli import main
from policygraph.store import Store, bulk
from policygraph.store import format as storefmt
from tests.support import ROOT, SEEDS


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policygraph", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=300,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("faults") / "store"
    done = cli("build", SEEDS, "--store", str(store), "--quiet")
    assert done.returncode == 0, done.stderr
    return store


@pytest.fixture
def store(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(built, copy, ignore=shutil.ignore_patterns("LOCK"))
    return copy


def one_line(done: subprocess.CompletedProcess[str], store: Path, *words: str) -> str:
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    line = lines[0]
    assert str(store) in line
    for word in words:
        assert word in line
    return line


def query_and_build(store: Path, *words: str) -> None:
    one_line(cli("query", "letters", "--store", str(store)), store, *words)
    one_line(cli("build", SEEDS, "--store", str(store), "--quiet"), store, *words)


def test_the_copied_store_answers(store: Path) -> None:
    # the faults below are the only thing wrong with each copy
    done = cli("query", "letters", "--store", str(store))
    assert done.returncode == 0, done.stderr
    assert "Open Letter" in done.stdout


def test_an_empty_current_file(store: Path) -> None:
    (store / "CURRENT").write_text("")
    query_and_build(store, "damaged", "CURRENT", "rebuild")


def test_a_deleted_sst_file(store: Path) -> None:
    sst = sorted(store.glob("*.sst"))
    assert sst
    sst[-1].unlink()
    query_and_build(store, "damaged", sst[-1].name, "rebuild")


@pytest.mark.parametrize(
    "log",
    [
        '{"remove": 5, "graphs": [1]}\n',  # the wrong shapes
        '{"batch": 0}\n',  # a field missing
        "not json\n{}\n",  # a line that is not JSON, then more
        "[1, 2]\n",  # not an entry at all
        b"\xff\xfe{}\n",  # not UTF-8
    ],
    ids=["shapes", "missing", "not-json", "list", "bytes"],
)
def test_a_malformed_intent_file(store: Path, log: str | bytes) -> None:
    path = store / bulk.INTENT_FILE
    if isinstance(log, bytes):
        path.write_bytes(log)
    else:
        path.write_text(log)
    query_and_build(store, bulk.INTENT_FILE, "cannot be read", "rebuild")
    assert path.exists()  # left for whoever looks into it: nothing was guessed


def test_a_torn_last_line_is_still_a_crash_to_recover(store: Path) -> None:
    # a kill while the plan was being written: nothing was loaded yet, nothing to undo
    (store / bulk.INTENT_FILE).write_text('{"remove": [], "gra')
    done = cli("query", "letters", "--store", str(store))
    assert done.returncode == 0, done.stderr
    assert "Open Letter" in done.stdout
    assert not (store / bulk.INTENT_FILE).exists()


def test_a_store_without_a_format_file_is_an_older_version(store: Path) -> None:
    (store / storefmt.FORMAT_FILE).unlink()
    one_line(cli("query", "letters", "--store", str(store)), store, "older policygraph", "build")
    # a build upgrades it in place, as builds did before the file (test_store: the merge)
    done = cli("build", SEEDS, "--store", str(store), "--quiet")
    assert done.returncode == 0, done.stderr
    assert (store / storefmt.FORMAT_FILE).read_text() == f"policygraph-store {storefmt.FORMAT}\n"
    done = cli("query", "letters", "--store", str(store))
    assert done.returncode == 0, done.stderr
    assert "Open Letter" in done.stdout


def test_a_store_of_a_newer_format(store: Path) -> None:
    (store / storefmt.FORMAT_FILE).write_text(f"policygraph-store {storefmt.FORMAT + 1}\n")
    query_and_build(store, "newer policygraph", f"format {storefmt.FORMAT + 1}")


def test_a_garbled_format_file(store: Path) -> None:
    (store / storefmt.FORMAT_FILE).write_text("\x00\x01")
    query_and_build(store, storefmt.FORMAT_FILE, "rebuild")


def test_every_writer_records_the_format(tmp_path: Path) -> None:
    with Store(tmp_path / "s"):
        pass
    text = (tmp_path / "s" / storefmt.FORMAT_FILE).read_text()
    assert text == f"policygraph-store {storefmt.FORMAT}\n"
    with Store(tmp_path / "s", read_only=True) as reader:
        assert reader.count() == 0


def test_a_full_disk_under_the_spill_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # No small tmpfs here: the disk fills where the build writes its spill files.
    real_open = Path.open

    def full(self: Path, *args: object, **kwargs: object) -> object:
        if self.suffix == ".nq" and self.parent.name.startswith("policygraph-build-"):
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", full)
    store = tmp_path / "store"
    code = main(["build", SEEDS, "--store", str(store), "--quiet", "--workers", "1"])
    err = capsys.readouterr().err
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert str(store) in lines[0]
    assert "No space left on device" in lines[0]
    assert "TMPDIR" in lines[0]
    monkeypatch.undo()
    with Store(store, read_only=True) as reader:
        assert not [g for g in reader.graph_names() if "/graph/doc/" in g]
