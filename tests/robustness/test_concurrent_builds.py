"""Two `policygraph build` processes started together on one store: each either finishes or
is refused with a clear message (exit 3), at least one finishes, and the store ends as one
build alone leaves it. (tests/robustness/test_store_integrity.py holds the store from
inside the test process; here both writers are real CLI processes.)"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.robustness.reliability import cli, store_state
from tests.support import ROOT, SEEDS


def test_two_builds_at_once_serialise_or_one_refuses(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    subprocess.run(
        cli("build", SEEDS, "--store", str(reference), "--quiet"),
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    store = tmp_path / "store"
    procs = [
        subprocess.Popen(
            cli("build", SEEDS, "--store", str(store), "--quiet"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for _ in range(2)
    ]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        results.append((p.returncode, out, err))
    codes = sorted(code for code, _, _ in results)
    assert codes in ([0, 0], [0, 3]), results
    for code, _, err in results:
        assert "Traceback" not in err
        if code == 3:
            assert "in use by another policygraph process" in err
            assert len(err.strip().splitlines()) == 1
    assert store_state(store) == store_state(reference)
