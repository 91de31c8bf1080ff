"""What policygraph prints or writes for other programs cannot be turned against them
(issue 19, item 8): control characters in file names reach no terminal raw, and CSV cells
that a spreadsheet would run as formulas are neutralised, in `query --format csv` as in
viz's CSV."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

from rdflib import Literal

from policygraph.sparql.formatting import for_terminal, format_result
from policygraph.store import SelectResult
from tests.robustness.reliability import cli
from tests.support import ROOT, SEEDS


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted() -> None:
    hostile = ['=HYPERLINK("http://evil.example")', "+1+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3"]
    result = SelectResult(("name",), tuple((Literal(v),) for v in [*hostile, "-3", "Access Now"]))
    cells = [row[0] for row in csv.reader(io.StringIO(format_result(result, "csv")))][1:]
    assert cells[:4] == ["'" + v for v in hostile]
    assert cells[4:] == ["-3", "Access Now"]  # a number and a name as they are


def test_control_characters_are_escaped_for_the_terminal() -> None:
    assert for_terminal("a\x1b[31mred\nadded\u202eevil") == "a\\x1b[31mred\\nadded\\u202eevil"
    assert for_terminal("Société, Access Now") == "Société, Access Now"


def test_a_file_name_cannot_forge_a_report_line(tmp_path: Path) -> None:
    corpus = tmp_path / "docs"
    shutil.copytree(SEEDS, corpus)
    forged = "x\nadded     open_letter    forged.txt: 999 signatories\x1b[2K.txt"
    (corpus / forged).write_text("Dear Minister,\n\nWe oppose backdoors.\n\nAccess Now\n")
    proc = subprocess.run(
        cli("build", str(corpus), "--store", str(tmp_path / "store")),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout + proc.stderr
    assert "\x1b" not in out
    assert not any(line.startswith("added     open_letter    forged") for line in out.splitlines())
    assert "x\\nadded" in out and "\\x1b[2K" in out  # the name shown, escaped
