"""A seeded random sample of stances from a built store, for a human verdict.

    python -m benchmarks.drw_stance_sample --store STORE [--n 50] [--seed 13] [--out FILE]

Counts the documents with at least one stance, draws `n` stances at random (seeded, so the
same store gives the same sample), and writes them as YAML: holder, topic, position, rule,
evidence sentence, document. A reader then sets `verdict: correct | wrong` and `why` on each
entry; `--score FILE` prints the precision of a file so judged.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

import yaml

from policygraph.store import Store

QUERY = """
PREFIX pg: <https://w3id.org/policygraph/ns#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?stance ?holder ?name ?topic ?position ?rule ?evidence ?path WHERE {
  ?stance a pg:Stance ; pg:statedIn ?doc ; pg:holder ?holder ; pg:topic ?concept ;
          pg:position ?position .
  FILTER NOT EXISTS { ?stance pg:viaSignature ?sig }  # a signer's copy of a letter's stance
  ?concept skos:notation ?topic .
  ?doc pg:sourcePath ?path .
  OPTIONAL { ?holder skos:prefLabel ?name }
  OPTIONAL { ?stance pg:rule ?rule }
  OPTIONAL { ?stance pg:evidence/oa:hasSelector/oa:exact ?evidence }
}
"""


def stances(store: Store) -> list[dict[str, Any]]:
    res = store.select(QUERY)
    seen: dict[str, dict[str, Any]] = {}
    for row in res.rows:
        r = dict(zip(res.variables, row, strict=True))
        key = str(r["stance"])
        if key in seen:
            continue
        seen[key] = {
            "holder": str(r["name"] or r["holder"]),
            "topic": str(r["topic"]),
            "position": str(r["position"]).rsplit("#", 1)[-1].lower(),
            "rule": str(r["rule"] or "").rsplit("/", 1)[-1],
            "evidence": " ".join(str(r["evidence"] or "").split()),
            "document": Path(str(r["path"])).name,
        }
    return sorted(seen.values(), key=lambda s: (s["document"], s["holder"], s["topic"]))


def score(path: Path) -> str:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    judged = [s for s in data["sample"] if s.get("verdict") in ("correct", "wrong")]
    right = sum(1 for s in judged if s["verdict"] == "correct")
    return (
        f"{right}/{len(judged)} correct: precision {right / len(judged):.2f}"
        if judged
        else "none judged"
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--store")
    p.add_argument("--n", type=int, default=50)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--out", type=Path)
    p.add_argument("--score", type=Path, help="print the precision of a judged sample file")
    args = p.parse_args(argv)
    if args.score:
        print(score(args.score))
        return 0
    if not args.store:
        p.error("--store is required")
    with Store(args.store, read_only=True) as store:
        found = stances(store)
        docs = store.select(
            "PREFIX pg: <https://w3id.org/policygraph/ns#> "
            "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a pg:SourceDocument }"
        ).rows[0][0]
    with_stance = len({s["document"] for s in found})
    sample = random.Random(args.seed).sample(found, min(args.n, len(found)))
    out = {
        "documents": int(str(docs)),
        "documents_with_a_stance": with_stance,
        "stances": len(found),
        "seed": args.seed,
        "sample": [{**s, "verdict": None, "why": None} for s in sample],
    }
    text = yaml.safe_dump(out, sort_keys=False, allow_unicode=True, width=100)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    print(f"{with_stance} of {docs} documents with a stance; {len(found)} stances", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
