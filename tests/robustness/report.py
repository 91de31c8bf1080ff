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
"""


def render(lf: LoadFigures, kf: KillFigures, when: str) -> str:
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
{END}
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
) -> tuple[LoadFigures, KillFigures]:
    code = _code_digest()
    with tempfile.TemporaryDirectory(prefix="pg-reliability-") as tmp:
        store_dir = Path(tmp) / "seed-store"
        with Store(store_dir) as store:
            build([SEEDS], store)
        answers = expected_answers(store_dir)
        with served(store_dir) as (pid, base):
            lf = load(base, pid, answers, clients=clients, requests_per_client=requests_per_client)
        kf = kill_builds(Path(tmp) / "kills", documents=documents, kills=kills)
    if _code_digest() != code:
        raise SystemExit("the code or data changed while measuring; run the report again")
    return lf, kf


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
    lf, kf = measure(
        clients=args.clients,
        requests_per_client=args.requests,
        documents=args.documents,
        kills=args.kills,
    )
    section = render(lf, kf, datetime.now(UTC).strftime("%Y-%m-%d"))
    print(section)
    if args.readme:
        write_readme(section, Path(ROOT) / "README.md")
    return 0 if not (lf.errors or lf.mismatches or kf.corruptions or not kf.converged) else 1


if __name__ == "__main__":
    raise SystemExit(main())
