"""policygraph.resources: the one place that finds data/, ontology/ and queries/, and the
POLICYGRAPH_RESOURCES override, honoured by every command that reads them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from policygraph import resources
from policygraph.errors import ResourceError
from policygraph.store import Store
from tests.support import ROOT, SEEDS


def _cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policygraph", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **env},
        check=False,
    )


def test_a_checkout_reads_its_own_top_level_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(resources.ENV, raising=False)
    for name in resources.FOLDERS:
        assert resources.folder(name) == Path(ROOT) / name
    assert resources.data("gazetteer.yaml").is_file()
    assert resources.queries("evaluate").is_dir()
    assert "SELECT" in resources.package_text("store", "rq", "stats.rq")


def test_the_override_replaces_the_folders_it_holds_and_only_those(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "queries").mkdir()
    monkeypatch.setenv(resources.ENV, str(tmp_path))
    assert resources.folder("queries") == tmp_path / "queries"
    assert resources.folder("ontology") == Path(ROOT) / "ontology"


@pytest.mark.parametrize("make", ["missing", "empty"])
def test_a_bad_override_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: str
) -> None:
    target = tmp_path / "nowhere" if make == "missing" else tmp_path
    monkeypatch.setenv(resources.ENV, str(target))
    with pytest.raises(ResourceError, match=f"{resources.ENV}={target}: "):
        resources.folder("data")


def test_every_command_honours_the_override(tmp_path: Path) -> None:
    """Run from a folder outside the checkout: a query library of one query, and curated
    aliases that rename an actor, come from the override; the rest from the package."""
    override = tmp_path / "mine"
    (override / "queries").mkdir(parents=True)
    (override / "queries" / "only-mine.rq").write_text(
        "# Which documents are there?\n"
        "SELECT ?d WHERE { ?d a <https://w3id.org/policygraph/ns#SourceDocument> }\n",
        encoding="utf-8",
    )
    shutil.copytree(Path(ROOT) / "data", override / "data")
    aliases = override / "data" / "aliases.yaml"
    curated = yaml.safe_load(aliases.read_text(encoding="utf-8"))
    curated["actors"].append(
        {
            "label": "Access Now International",
            "kind": "organisation",
            "aliases": ["Access Now"],
            "reason": "a test of the override",
        }
    )
    aliases.write_text(yaml.safe_dump(curated, allow_unicode=True), encoding="utf-8")
    env = {resources.ENV: str(override)}
    work = tmp_path / "elsewhere"
    work.mkdir()

    listed = _cli("query", "--list", env=env, cwd=work)
    assert listed.returncode == 0, listed.stderr
    assert "only-mine" in listed.stdout and "cosigners" not in listed.stdout

    built = _cli("build", SEEDS, "--store", "store", env=env, cwd=work)
    assert built.returncode == 0, built.stderr
    with Store(work / "store", read_only=True) as store:
        rows = store.select(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            "PREFIX actor: <https://w3id.org/policygraph/id/actor/> "
            "SELECT ?label WHERE { actor:access-now-international skos:prefLabel ?label }"
        ).rows
    assert [str(r[0]) for r in rows] == ["Access Now International"]

    bad = _cli("query", "--list", env={resources.ENV: str(work / "nope")}, cwd=work)
    assert bad.returncode == 1
    assert f"{resources.ENV}={work / 'nope'}: no such folder" in bad.stderr
    assert "Traceback" not in bad.stderr
