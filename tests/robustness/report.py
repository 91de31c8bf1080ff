"""Measure the reliability figures and write README.md's Reliability section.

    python -m tests.robustness.report            # print the section
    python -m tests.robustness.report --readme   # also replace it in README.md

Builds the seed store in a temporary folder, runs the load experiment against
`policygraph serve` and the kill experiment against `policygraph build` (see
tests/robustness/reliability.py), and renders the figures with what else was tried.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from policygraph.pipeline import build
from policygraph.store import Store
from tests.robustness.attacks import KINDS, SLOW_CONNECTIONS, AttackFigures, under_attack
from tests.robustness.reliability import (
    KillFigures,
    LoadFigures,
    expected_answers,
    kill_builds,
    load,
    served,
)
from tests.support import ROOT, SEEDS

START = "<!-- reliability:start -->"
END = "<!-- reliability:end -->"

TRIED = """\
What the suite in `tests/robustness/` (run by `make test`) tries, end to end:

- **Bad documents** (`test_bad_corpus_cli.py`, `test_bad_documents.py`): one folder with an
  empty file, a binary file, broken or hostile YAML front matter (never closed, tabs, an
  alias bomb, a `!!python` tag), fields of the wrong kind (a date of "yesterday", an
  impossible date, a title that is a list: left out with a note, the document read), a 50 MB
  file, a corrupt and a password-protected PDF and a symbolic link loop, beside
  the seeds, Latin-1, cp1252 and UTF-16 (BOM) files, an HTML page full of scripts and iframes,
  a letter with 10,000 signatories and one document under two names. `policygraph build`
  prints one line per bad file naming it and the problem, loads everything else (the odd
  encodings decoded, the copy kept as one document with two sources, the 10,000 signatories
  in order), exits with status 2, and a second build converges.
- **Killed and concurrent builds** (`test_store_integrity.py`, `test_concurrent_builds.py`):
  builds SIGKILLed at random moments leave the store as it was or fully updated, and the
  next build converges; of two builds started together on one store, each finishes or is
  refused with "in use by another policygraph process" (exit 3).
- **Hostile text** (`test_hostile_text.py`, `test_serve.py`, `test_queries.py`): organisation
  names, quotes, titles and signatory lines carrying `<script>`, `onerror=`, `<svg onload>`
  and `javascript:` URLs are built through the pipeline, then every HTML view and the served
  query page are opened in headless Chromium: no payload runs, the text shows as written.
  Query parameters are bound as RDF terms and cannot change a query, locally or through the
  endpoint (`test_serve_hostile.py`); `serve` refuses updates however disguised (comments,
  `\\u` escapes, the `update` field), refuses federated `SERVICE` queries so it never fetches
  a URL for a caller, listens on 127.0.0.1 unless told otherwise, limits query time and
  request size, and serves no file outside its assets and views.
- **Network faults** (`test_remote_faults.py`, `tests/test_linking.py`): remote endpoints
  that time out, refuse connections, answer 429 with Retry-After, 5xx, malformed, empty or
  non-SPARQL JSON, or hang up: `remote.select`/`push` raise one clear `RemoteError` naming the
  endpoint, and the CLI prints one line (no traceback); the Wikidata linker retries,
  honours Retry-After, and never links on a failed answer; a truncated cache file is
  reported and not overwritten.
- **Properties** (`test_properties.py`, hypothesis): generated letters and junk through
  `pipeline.build` never crash; every span read back from the store with SPARQL reproduces
  its quoted text at its offsets; rebuilding changes no quad and a fresh store gets an
  isomorphic graph. The loaders and the signatory-line parser have their own property tests.
- **Documents that stall or abort a build** (`test_pathological_build.py`,
  `test_linear_regexes.py`, `test_budgets.py`): `'<!---->' * 30` before an HTML page (the
  prolog regex was exponential: hours), a 100 KB all-caps paragraph, `Dear Mr. ` and a name
  repeated thousands of times (quadratic runs of capitalised words: 20 KB took 26 s), a PDF
  of 500 pages sharing one 2 MB content stream (8 GB in pdfminer), a PDF of 256 MB of
  compressed zeros, a 17 MB text (over the store parser's 16 MiB line), a lone surrogate in
  a YAML title and a file name with the byte `\\xff`, beside the seeds: the build finishes,
  names each document it skips and why, and writes the seeds exactly as a build of the seeds
  alone. The rewritten regexes hold no nested or overlapping unbounded repeats (a structural
  check that names the old forms), and their worst cases extract inside a generous budget.
  Every document is read and extracted under a budget (120 s and 2 GiB of growth by default;
  `POLICYGRAPH_DOC_SECONDS`, `POLICYGRAPH_DOC_MEMORY_MIB`): past it, it is skipped with the
  reason and the build goes on. PDFs are read up to 2,000 pages and 64 MB of decompressed
  page content; a text is read up to 15.9 MB once decoded.
- **Documents' identity** (`test_document_identity.py`): renamed then edited, a letter keeps
  one graph (58 signatures, not 116); a file deleted or emptied from a folder the build reads
  loses its graph (`--keep-missing` keeps it); the same letter in two folders, one edited,
  keeps both; a file that fails to read keeps its old graph; a stray byte in a UTF-8 file is
  read as UTF-8 with U+FFFD and a note, cp1252 only when the rest is not UTF-8, with a note.
- **The store's lock** (`test_store_lock.py`): a writer holds policygraph's own lock (a
  flock on the store folder); deleting RocksDB's `LOCK` during a build lets no second writer
  in: 20 runs on each write path (one transaction, the bulk loader), 0 corruptions.
- **Store faults** (`test_store_faults.py`): an empty `CURRENT`, a deleted `.sst`, a
  malformed intent log of the bulk loader and a full disk under the build's spill files
  (ENOSPC) are each one line naming the store, what is wrong and what to do (exit 1, no
  traceback, no document written); a malformed intent log is refused, not guessed at (only a
  torn last line, a kill mid-write, is recovered). Every writer records the store's format
  (`policygraph-format`); a reader refuses a store of an older or newer format in one line
  instead of answering 0 rows, and a build upgrades a store from before the file in place.
- **Attacks on `serve`** (`test_serve_attacks.py`, figures below): each query runs in a
  worker process that is killed and replaced past the time limit or 1 GiB; answers over
  64 MB are refused (413); one client's queries run on all workers but one and at most 8 at
  a time (429 beyond); a request must arrive whole within 10 s; at most 32 connections per
  client address and 200 in all. A query the engine fails on while running (an unsupported
  function) is a plain-text 500 and one log line, not a traceback (`test_serve_query_failure.py`).
- **Output** (`test_output_safety.py`, `test_confusables.py`, `test_remote_caps.py`): control
  characters in file names and messages are escaped before they reach a terminal (a file
  name forged an "added … 999 signatories" line); `query --format csv` quotes formula cells
  as viz's CSV does; names that render as another actor's (a Cyrillic А in "Access Now", a
  right-to-left override) are flagged in the build report and drawn with a "⚠" in the
  network views (the reason in the node's panel) and on profile pages (a title and a line
  saying what it reads as, escaped); a remote endpoint's answer is
  capped (512 MB) and must arrive within twice the timeout.
"""


def _attack_rows(figures: list[AttackFigures]) -> str:
    what = {
        "endless": "2 endless queries at a time (Cartesian products)",
        "huge": "2 huge CONSTRUCTs at a time",
        "slow": f"{SLOW_CONNECTIONS} connections sending 1 byte, then nothing",
    }
    rows = []
    for f in figures:
        got = ", ".join(f"{n}× {s}" for s, n in sorted(f.attacker_statuses.items())) or (
            f"{SLOW_CONNECTIONS - f.slow_left_open} of {SLOW_CONNECTIONS} closed"
        )
        ok = f.good_statuses.get(200, 0)
        rows.append(
            f"| {what[f.kind]} | {got} | {ok} of {sum(f.good_statuses.values())} | "
            f"{f.good_p95_s * 1000:.0f} ms | {f.good_max_s * 1000:.0f} ms | "
            f"{'yes' if f.server_alive else 'NO'} |"
        )
    return "\n".join(rows)


def render(
    lf: LoadFigures, kf: KillFigures, when: str, attacks: list[AttackFigures] | None = None
) -> str:
    write_path = (
        "through the bulk loader and its intent log, as builds of over 200,000 triples do\n"
        "(`POLICYGRAPH_BULK_MIN_TRIPLES=0`)"
        if os.environ.get("POLICYGRAPH_BULK_MIN_TRIPLES") == "0"
        else "in one transaction, as builds under 200,000 triples do"
    )
    mb = 1024
    return f"""{START}
## Reliability

A knowledge graph curated for months must survive one bad file, a killed process or a
crafted document. {TRIED}
### Figures

Measured by `python -m tests.robustness.report` ({when}; {platform.machine()}, \
{os.cpu_count()} cores, Python {platform.python_version()}); the tests run the same code on
a smaller scale.

**Load on `policygraph serve`** (127.0.0.1, the seed store; each request is a query of the
library with its example parameters, through `remote.select`; each answer compared with the
embedded store's):

| clients | requests | errors | wrong answers | p50 | p95 | p99 | max | server RSS before → after |
|---:|---:|---:|---:|---:|---:|---:|---:|---|
| {lf.clients} | {lf.requests} | {lf.errors} | {lf.mismatches} | {lf.p50_ms:.0f} ms | \
{lf.p95_ms:.0f} ms | {lf.p99_ms:.0f} ms | {lf.max_ms:.0f} ms | \
{lf.rss_before_kb / mb:.0f} MB → {lf.rss_after_kb / mb:.0f} MB |

({lf.requests / lf.seconds:.0f} requests per second over {lf.seconds:.1f} s.)

**Killed builds**: `policygraph build` of {kf.documents} letters over the seed store,
SIGKILLed at a random moment (half of the kills aimed at the end of the build, where the
graphs are written), then the store reopened and compared with the states before and after
the build; a store found fully updated is put back before the next kill. The builds go
{write_path}:

| kills | store as before | store fully updated | corruptions | next build converges |
|---:|---:|---:|---:|---|
| {kf.kills} | {kf.before_states} | {kf.after_states} | {kf.corruptions} | \
{"yes" if kf.converged else "NO"} |
{_attacks_section(attacks or [])}{END}
"""


def _attacks_section(attacks: list[AttackFigures]) -> str:
    if not attacks:
        return ""
    return f"""
**Attacks on `policygraph serve`** (its defaults: 30 s query limit, 2 query workers; the
attacker on 127.0.0.2, a well-behaved client on 127.0.0.1 asking a small query one at a
time, {sum(attacks[0].good_statuses.values())} times per attack):

| attack | the attacker got | well-behaved answered | its p95 | its max | server alive |
|---|---|---:|---:|---:|---|
{_attack_rows(attacks)}
"""


def _code_digest() -> str:
    """A digest of the code and data a build reads: figures taken while they change (a shared
    checkout being edited) compare builds of two different programs."""
    digest = hashlib.sha256()
    for folder in ("src/policygraph", "data", "ontology", "queries"):
        for path in sorted((Path(ROOT) / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path).encode() + path.read_bytes())
    return digest.hexdigest()


def measure(
    *, clients: int, requests_per_client: int, documents: int, kills: int
) -> tuple[LoadFigures, KillFigures, list[AttackFigures]]:
    code = _code_digest()
    with tempfile.TemporaryDirectory(prefix="pg-reliability-") as tmp:
        store_dir = Path(tmp) / "seed-store"
        with Store(store_dir) as store:
            build([SEEDS], store)
        answers = expected_answers(store_dir)
        with served(store_dir) as (pid, base):
            lf = load(base, pid, answers, clients=clients, requests_per_client=requests_per_client)
        with served(store_dir) as (pid, base):
            attacks = [under_attack(base, pid, kind, requests=100) for kind in KINDS]
        kf = kill_builds(Path(tmp) / "kills", documents=documents, kills=kills)
    if _code_digest() != code:
        raise SystemExit("the code or data changed while measuring; run the report again")
    return lf, kf, attacks


def write_readme(section: str, readme: Path) -> None:
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        text = head + section.rstrip("\n") + tail
    else:
        text = (text.rstrip("\n") + "\n\n" if text else "") + section
    readme.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--readme", action="store_true", help="replace the section in README.md")
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--requests", type=int, default=100, help="requests per client")
    p.add_argument("--documents", type=int, default=12, help="letters in the killed builds")
    p.add_argument("--kills", type=int, default=20)
    args = p.parse_args(argv)
    lf, kf, attacks = measure(
        clients=args.clients,
        requests_per_client=args.requests,
        documents=args.documents,
        kills=args.kills,
    )
    section = render(lf, kf, datetime.now(UTC).strftime("%Y-%m-%d"), attacks)
    print(section)
    if args.readme:
        write_readme(section, Path(ROOT) / "README.md")
    return 0 if not (lf.errors or lf.mismatches or kf.corruptions or not kf.converged) else 1


if __name__ == "__main__":
    raise SystemExit(main())
