"""Every finding extraction makes over folders, as JSON: the check that a speed-up found the same.

    python -m benchmarks.findings_dump FOLDER... --out FILE
    python -m benchmarks.findings_dump FOLDER... --compare FILE

Each loadable document's `Findings` (less the document itself) is written as plain JSON under
its path: kind, language, letter with its signatories, letter references, mentions, quotes and
stances with their spans and rule ids. `--compare` extracts again and lists every document
whose findings differ from FILE's (exit 1 if any does): a change meant only to make extraction
cheaper must leave this list empty. The reference is made by the code before the change, not
written by hand.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from policygraph.errors import DocumentError
from policygraph.extraction import extract
from policygraph.loading import iter_documents


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def dump(folders: list[Path]) -> dict[str, Any]:
    """{folder/path: findings as JSON values} for every document the loader reads."""
    out: dict[str, Any] = {}
    for folder in folders:
        for doc in iter_documents(folder, root=folder):
            if isinstance(doc, DocumentError):
                continue  # the loader's refusal is not extraction's
            found = _plain(extract(doc))
            del found["document"]
            out[f"{folder}/{doc.path}"] = found
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("folders", type=Path, nargs="+")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--out", type=Path)
    g.add_argument("--compare", type=Path)
    args = p.parse_args(argv)
    now = dump(args.folders)
    if args.out:
        args.out.write_text(json.dumps(now, indent=1, sort_keys=True), encoding="utf-8")
        print(f"{len(now)} documents written to {args.out}")
        return 0
    before = json.loads(args.compare.read_text(encoding="utf-8"))
    now = json.loads(json.dumps(now))  # tuples as lists, as they were read back
    differ = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
    for k in differ:
        print(f"differs: {k}", file=sys.stderr)
    print(f"{len(now)} documents, {len(differ)} with different findings")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
