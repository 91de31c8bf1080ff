"""A build over the seeds beside each document that used to stall or abort a whole build
(issue 19, items 5 and 6): it finishes, names each bad document with its problem, and
writes the seeds in full, as a build of the seeds alone does."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from policygraph.pipeline import BuildReport, build
from policygraph.store import Store
from policygraph.workers import Budget
from tests.robustness import bombs
from tests.support import SEEDS

LETTER = "Dear Minister,\n\nWe oppose encryption backdoors.\n\nSincerely,\nAccess Now\n"
# file name → a word the failure must carry
SKIPPED = {
    "shared-stream.pdf": "decompresses to over 64 MB",
    "zeros.pdf": "decompresses to over 64 MB",
    "seventeen-mb.txt": "text is too long",
    "name-\\xff.txt": "not valid UTF-8",
}
# file name → must be read (these stalled or aborted a build before)
READ = {
    "comments.html": "<!---->" * 30 + "<p>Dear Minister, we oppose encryption backdoors.</p>",
    "caps.txt": "ACCESS NOW OPEN RIGHTS GROUP DIGITAL RIGHTS WATCH " * 2_000 + "\n",
    "dear.txt": "Dear Mr. " * 10_000 + "\n" + LETTER,
    "surrogate.md": '---\ntitle: "A \\ud800 title"\n---\n' + LETTER,
}


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    for seed in Path(SEEDS).iterdir():
        shutil.copy(seed, folder / seed.name)
    for name, text in READ.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "shared-stream.pdf").write_bytes(bombs.shared_stream_pdf())
    (folder / "zeros.pdf").write_bytes(bombs.zeros_pdf())
    words = "we oppose encryption backdoors and ask the minister to listen "
    with open(folder / "seventeen-mb.txt", "w", encoding="utf-8") as handle:
        handle.write(LETTER)
        for _ in range(17 * 2**20 // len(words) + 1):
            handle.write(words)
    with open(os.path.join(os.fsencode(folder), b"name-\xff.txt"), "wb") as handle:
        handle.write(LETTER.encode())
    return folder


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildReport, BuildReport]:
    root = tmp_path_factory.mktemp("pathological")
    corpus = _corpus(root / "corpus")
    with Store(root / "seeds") as store:
        alone = build([SEEDS], store)
    with Store(root / "store") as store:
        mixed = build([corpus], store, limit=Budget(seconds=120, memory_mib=2048))
    return alone, mixed


def test_each_bad_document_is_named_with_its_problem(
    reports: tuple[BuildReport, BuildReport],
) -> None:
    _, mixed = reports
    failures = {os.path.basename(f.path): f.problem for f in mixed.failures}
    assert set(failures) == set(SKIPPED)
    for name, word in SKIPPED.items():
        assert word in failures[name], failures[name]


def test_the_seeds_are_written_in_full(reports: tuple[BuildReport, BuildReport]) -> None:
    alone, mixed = reports
    written = {os.path.basename(d.path): d for d in mixed.documents}
    for seed in alone.documents:
        got = written[os.path.basename(seed.path)]
        assert (got.signatories, got.stances, got.triples) == (
            seed.signatories,
            seed.stances,
            seed.triples,
        )


def test_the_documents_that_stalled_or_aborted_builds_are_read(
    reports: tuple[BuildReport, BuildReport],
) -> None:
    _, mixed = reports
    written = {os.path.basename(d.path): d for d in mixed.documents}
    assert set(READ) <= set(written)
    assert any("surrogate" in n for n in written["surrogate.md"].notes)
