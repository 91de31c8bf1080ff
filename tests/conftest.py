"""Shared fixtures. The seed graph is built once per session into a temporary store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from policygraph.pipeline import BuildReport, build
from policygraph.store import Store
from tests.support import SEEDS


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """(store folder, build report) of the two seed documents. The folder is closed after
    building, so subprocesses (CLI, serve) can open it too."""
    folder = tmp_path_factory.mktemp("seed-store") / "store"
    with Store(folder) as store:
        report = build([SEEDS], store)
    return folder, report


@pytest.fixture(scope="session")
def seed_store_dir(seed_build: tuple[Path, BuildReport]) -> Path:
    return seed_build[0]


@pytest.fixture()
def seed_store(seed_store_dir: Path) -> Iterator[Store]:
    """The seed graph, opened read-only (several readers may share it)."""
    with Store(seed_store_dir, read_only=True) as store:
        yield store
