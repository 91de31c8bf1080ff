"""Issue 14: the built wheel, installed into a fresh virtual environment outside the checkout,
works from a folder that is not the checkout: every command finds its data, ontology and
queries inside the installed package.

Tests never reach the network, so the wheel is built without build isolation (hatchling is a
dev dependency) and installed with `--no-deps --no-index`; its dependencies are the ones this
test runs with, made visible to the fresh venv by a path file (a plain path line: the test
venv's own `.pth` files, and so its editable policygraph, are not processed), and `pip check`
proves that they satisfy what the wheel declares.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import subprocess
import sys
import sysconfig
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import ROOT, SEEDS, stop_process_group

pytestmark = pytest.mark.slow

SIGNATORIES = (
    "PREFIX pg: <https://w3id.org/policygraph/ns#> "
    "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?l pg:signatory ?s }"
)


@dataclass(frozen=True)
class Installed:
    venv: Path
    work: Path  # the working folder of every command: outside the checkout
    env: dict[str, str]

    def run(self, *args: str, ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [str(self.venv / "bin" / "policygraph"), *args],
            capture_output=True,
            text=True,
            cwd=self.work,
            env=self.env,
            check=False,
            timeout=600,
        )
        assert proc.returncode in ok, f"{args}: exit {proc.returncode}\n{proc.stderr}"
        assert "Traceback" not in proc.stderr, proc.stderr
        return proc

    def python(self, code: str) -> str:
        proc = subprocess.run(
            [str(self.venv / "bin" / "python"), "-c", code],
            capture_output=True,
            text=True,
            cwd=self.work,
            env=self.env,
            check=False,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout


def _clean_env() -> dict[str, str]:
    """The environment of a user's shell: nothing that points into the checkout or its venv."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("POLICYGRAPH_", "PYTHON", "VIRTUAL_ENV", "PYTEST"))
    }
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(ROOT)
    )
    return env


def _pip(python: Path, *args: str, cwd: Path) -> None:
    proc = subprocess.run(
        [str(python), "-m", "pip", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=_clean_env(),
        check=False,
        timeout=1200,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("wheel")
    assert not str(root).startswith(ROOT)
    dist = root / "dist"
    _pip(
        Path(sys.executable),
        *("wheel", "--no-deps", "--no-build-isolation", "--no-index", "--quiet"),
        *("-w", str(dist), ROOT),
        cwd=root,
    )
    (wheel,) = dist.glob("policygraph-*.whl")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=_clean_env())
    python = venv / "bin" / "python"
    _pip(python, "install", "--quiet", "--no-deps", "--no-index", str(wheel), cwd=root)
    (site,) = (venv / "lib").glob("python*/site-packages")
    deps = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    (site / "_test_dependencies.pth").write_text("".join(f"{p}\n" for p in sorted(deps)))
    _pip(python, "check", cwd=root)  # the wheel's declared dependencies are all satisfied
    work = root / "work"
    shutil.copytree(SEEDS, work / "corpus")
    return Installed(venv, work, _clean_env())


def test_the_package_reads_its_own_bundled_copy(installed: Installed) -> None:
    out = installed.python(
        "from policygraph import resources\n"
        "for name in resources.FOLDERS: print(resources.folder(name))"
    )
    folders = out.split()
    assert len(folders) == 3
    for folder in folders:
        assert folder.startswith(str(installed.venv)), folder
        assert not folder.startswith(ROOT)
    assert installed.run("--version").stdout.strip() == "policygraph 0.1.0"


def test_build_validate_query_link_viz_export(installed: Installed) -> None:
    built = installed.run("build", "corpus")
    assert "58 signatories" in built.stdout
    assert "2 documents (2 written, 0 unchanged), 0 skipped" in built.stdout

    assert "conforms" in installed.run("validate").stdout

    listed = installed.run("query", "--list").stdout
    for name in ("actors-by-stance", "letter-signatories", "cosigners", "stances-over-time"):
        assert name in listed

    rows = installed.python(
        "from policygraph import Store, find_query, run_query\n"
        "with Store('store', read_only=True) as store:\n"
        "    result = run_query(find_query('documents'), {}, store=store)\n"
        "    print(len(result.rows))\n"
        "    print(store.select(" + repr(SIGNATORIES) + ").rows[0][0])\n"
    ).split()
    assert rows == ["2", "58"]

    # Offline, the bundled review file's decisions still link (exit 2: the candidate
    # search was skipped, as the README says).
    linked = installed.run("link", "wikidata", "--offline", ok=(0, 2))
    assert re.search(r"^19 links, ", linked.stdout, re.M), linked.stdout

    installed.run("viz", "signatures", "--out", "signatures.html")
    page = (installed.work / "signatures.html").read_text(encoding="utf-8")
    assert "Access Now" in page

    installed.run("export", "--format", "turtle", "--out", "graph.ttl")
    turtle = (installed.work / "graph.ttl").read_text(encoding="utf-8")
    assert "actor:access-now" in turtle
    for text in (page, turtle):
        assert str(installed.work) not in text
        assert ROOT not in text


@pytest.fixture()
def server(installed: Installed) -> Iterator[str]:
    if not (installed.work / "store").exists():
        installed.run("build", "corpus")
    proc = subprocess.Popen(
        [str(installed.venv / "bin" / "policygraph"), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=installed.work,
        env=installed.env,
        start_new_session=True,
    )
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], 120)
    line = proc.stdout.readline() if ready else ""
    try:
        match = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
        assert match, f"serve did not announce its address: {line!r}"
        yield match[1]
    finally:
        stop_process_group(proc)


def test_serve_answers_a_sparql_get(server: str) -> None:
    url = f"{server}/sparql?" + urllib.parse.urlencode({"query": SIGNATORIES})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.load(response)
    assert answer["results"]["bindings"][0]["n"]["value"] == "58"
    # The query page's library (empty when the package could not find queries/).
    with urllib.request.urlopen(f"{server}/library.json", timeout=60) as response:
        library = {q["name"] for q in json.load(response)["queries"]}
    assert {"actors-by-stance", "letter-signatories", "cosigners"} <= library
