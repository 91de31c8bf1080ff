"""Documents' identity by content and path (issue 19, item 7): renamed, edited, deleted,
emptied and duplicated documents leave exactly the graphs the README says, and bytes that
are not UTF-8 are read with a note, never silently as cp1252."""

from __future__ import annotations

import shutil
from pathlib import Path

from policygraph.loading import load_document
from policygraph.pipeline import BuildReport, build
from policygraph.store import Store
from policygraph.vocab import PG
from tests.support import SEEDS

LETTER = "004_de020599fd118b6a.txt"  # 58 signatories
PREFIXES = f"PREFIX pg: <{PG}>\n"


def _documents(store: Store) -> dict[str, list[str]]:
    """Each document graph with the source paths it records."""
    out: dict[str, list[str]] = {}
    for path, graph in store.values_in_graphs(PG.sourcePath):
        out.setdefault(str(graph), []).append(path)
    return {g: sorted(p) for g, p in out.items()}


def _signatures(store: Store) -> int:
    rows = store.select(PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?s a pg:Signature }")
    return int(rows.rows[0][0])  # type: ignore[arg-type]


def _build(store: Store, *folders: Path) -> BuildReport:
    return build(list(folders), store)


def _folder(root: Path, name: str) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    shutil.copy(Path(SEEDS) / LETTER, folder / LETTER)
    return folder


def test_renamed_then_edited_replaces_its_graph(tmp_path: Path) -> None:
    docs = _folder(tmp_path, "docs")
    with Store(tmp_path / "store") as store:
        _build(store, docs)
        assert _signatures(store) == 58
        text = (docs / LETTER).read_text(encoding="utf-8")
        (docs / LETTER).unlink()
        (docs / "renamed.txt").write_text(text + "\nP.S. An edit.\n", encoding="utf-8")
        report = _build(store, docs)
        assert list(_documents(store).values()) == [["docs/renamed.txt"]]
        assert _signatures(store) == 58  # not 116
        assert report.gone == (f"docs/{LETTER}",)


def test_a_deleted_or_emptied_document_leaves_no_graph(tmp_path: Path) -> None:
    docs = _folder(tmp_path, "docs")
    (docs / "other.txt").write_text("Dear Minister,\n\nWe oppose backdoors.\n\nAccess Now\n")
    with Store(tmp_path / "store") as store:
        _build(store, docs)
        assert len(_documents(store)) == 2
        (docs / "other.txt").unlink()
        _build(store, docs)
        assert list(_documents(store).values()) == [[f"docs/{LETTER}"]]
        (docs / LETTER).write_text("")
        report = _build(store, docs)
        assert _documents(store) == {}
        assert [f.problem for f in report.failures] == ["empty document (nothing but whitespace)"]


def test_a_file_that_fails_to_read_keeps_its_graph(tmp_path: Path) -> None:
    docs = _folder(tmp_path, "docs")
    with Store(tmp_path / "store") as store:
        _build(store, docs)
        (docs / LETTER).write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 64)
        report = _build(store, docs)
        assert report.failures and "binary" in report.failures[0].problem
        assert list(_documents(store).values()) == [[f"docs/{LETTER}"]]


def test_keep_missing_keeps_the_graph_of_a_file_gone(tmp_path: Path) -> None:
    docs = _folder(tmp_path, "docs")
    with Store(tmp_path / "store") as store:
        _build(store, docs)
        (docs / LETTER).unlink()
        (docs / "new.txt").write_text("Dear Minister,\n\nWe oppose backdoors.\n\nAccess Now\n")
        build([docs], store, prune=False)
        assert sorted(p for ps in _documents(store).values() for p in ps) == [
            f"docs/{LETTER}",
            "docs/new.txt",
        ]


def test_the_same_text_in_two_folders_survives_an_edit_of_one(tmp_path: Path) -> None:
    one, two = _folder(tmp_path, "one"), _folder(tmp_path, "two")
    with Store(tmp_path / "store") as store:
        _build(store, one, two)
        assert list(_documents(store).values()) == [[f"one/{LETTER}", f"two/{LETTER}"]]
        with open(one / LETTER, "a", encoding="utf-8") as handle:
            handle.write("\nP.S. Only in the first folder.\n")
        _build(store, one)  # the second folder is not rebuilt
        assert sorted(_documents(store).values()) == [[f"one/{LETTER}"], [f"two/{LETTER}"]]
        assert _signatures(store) == 2 * 58
        _build(store, two)  # and building the second alone changes nothing
        assert sorted(_documents(store).values()) == [[f"one/{LETTER}"], [f"two/{LETTER}"]]


def test_a_stray_byte_in_utf8_is_replaced_with_a_note_not_read_as_cp1252(
    tmp_path: Path,
) -> None:
    path = tmp_path / "stray.txt"
    path.write_bytes(
        "Dear Minister,\n\nLa Société civile \xff écrit.\n".encode().replace(b"\xc3\xbf", b"\xff")
    )
    doc = load_document(path)
    assert "Société" in doc.text and "\ufffd" in doc.text
    assert doc.notes == ("not valid UTF-8 at 1 byte(s): read as UTF-8, each replaced by U+FFFD",)
    cp1252 = tmp_path / "cp1252.txt"
    cp1252.write_bytes("Dear Minister,\n\nLa Société civile écrit.\n".encode("cp1252"))
    doc = load_document(cp1252)
    assert "Société" in doc.text
    assert doc.notes == ("not UTF-8: read as cp1252",)
