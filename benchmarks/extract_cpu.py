"""CPU seconds of extraction per document over a folder (loading excluded).

    python -m benchmarks.extract_cpu FOLDER [--limit N] [--runs 2]

Loads every document of FOLDER once, extracts one to warm the caches (spaCy pipelines, rule
files, the gazetteer), then times `extract()` over all of them with `time.process_time`,
keeping the best of `--runs` passes: the figure to compare before and after a change to the
extraction rules, on the same folder (e.g. `benchmarks/corpus/100/documents`, made by
`python -m benchmarks.generator 100`).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from policygraph.errors import PolicygraphError
from policygraph.extraction import extract
from policygraph.loading import load_document
from policygraph.models import Document

SUFFIXES = (".md", ".txt", ".html", ".htm", ".pdf", ".markdown")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("folder", type=Path)
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--runs", type=int, default=2)
    args = p.parse_args(argv)
    files = sorted(f for f in args.folder.rglob("*") if f.is_file() and f.suffix in SUFFIXES)
    docs: list[Document] = []
    for f in files[: args.limit]:
        try:
            docs.append(load_document(str(f)))
        except PolicygraphError:
            continue  # a file the loader refuses is not extraction's cost
    if not docs:
        p.error(f"no readable documents in {args.folder}")
    extract(docs[0])
    best = float("inf")
    for _ in range(args.runs):
        t0 = time.process_time()
        for d in docs:
            extract(d)
        best = min(best, time.process_time() - t0)
    print(f"{len(docs)} documents, {best:.2f} s CPU, {1000 * best / len(docs):.1f} ms/document")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
