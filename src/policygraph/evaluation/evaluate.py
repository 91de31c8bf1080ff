"""Scoring the graph against a `policygraph-gold/1` file (see tests/data/gold/FORMAT.md).

The documents the gold file names are built into a store (a fresh temporary one unless the
caller gives one) and the GRAPH is read back through SPARQL (queries/evaluate/*.rq), so the
scores measure what users get. Precision, recall and F1 per section, with misses and false
hits listed. Gold topics the topic scheme lacks are reported as not covered, with the stances
they would have needed (counted as misses).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import GoldError
from ..store import Store
from ..topics import load_topics
from .gold import SECTIONS, corpus_dir, load_gold, normalise
from .graph import StoreGraph
from .matching import Scorer, SectionScore

__all__ = ["EvaluationReport", "GoldError", "SectionScore", "evaluate", "normalise"]


@dataclass(frozen=True)
class EvaluationReport:
    gold: str
    corpus: str
    documents: tuple[str, ...]
    sections: tuple[SectionScore, ...]
    not_covered: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    missing_documents: tuple[str, ...] = ()

    def section(self, name: str) -> SectionScore:
        return next(s for s in self.sections if s.name == name)

    def as_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "corpus": self.corpus,
            "documents": list(self.documents),
            "missing_documents": list(self.missing_documents),
            "sections": {s.name: s.as_dict() for s in self.sections},
            "not_covered": {k: list(v) for k, v in self.not_covered.items()},
        }

    def text(self) -> str:
        lines = [
            f"gold: {self.gold}",
            f"corpus: {self.corpus} ({len(self.documents)} documents)",
            "",
            f"{'section':16} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}",
        ]
        for s in self.sections:
            lines.append(
                f"{s.name:16} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} "
                f"{s.tp:5} {s.fp:5} {s.fn:5}"
            )
        for doc in self.missing_documents:
            lines.append(f"\nmissing document (not built): {doc}")
        for topic, needed in self.not_covered.items():
            lines.append(
                f"\ntopic not covered by the topic scheme: {topic} ({len(needed)} stance(s) needed)"
            )
            lines += [f"  - {n}" for n in needed]
        for s in self.sections:
            if s.misses:
                lines.append(f"\n{s.name}: missed")
                lines += [f"  - {m}" for m in s.misses]
            if s.false_hits:
                lines.append(f"\n{s.name}: false hits")
                lines += [f"  + {m}" for m in s.false_hits]
        return "\n".join(lines)


# ---------------------------------------------------------------------------- entry point
def evaluate(
    gold_path: str | os.PathLike[str], *, corpus: str | None = None, store: Store | None = None
) -> EvaluationReport:
    """Build the gold file's documents (into `store`, or a temporary store) and score the graph."""
    from ..pipeline import build

    path = Path(gold_path)
    gold = load_gold(path)
    folder = corpus_dir(path, gold, corpus)
    if not folder.is_dir():
        raise GoldError(f"{path}: corpus folder {folder} does not exist (use --corpus DIR)")
    files = [str(e["file"]) for e in gold["documents"]]
    paths = [folder / f for f in files]
    missing = tuple(f for f, p in zip(files, paths, strict=True) if not p.is_file())
    present = [str(p) for p in paths if p.is_file()]
    if store is None:
        with (
            tempfile.TemporaryDirectory(prefix="policygraph-eval-") as tmp,
            Store(os.path.join(tmp, "store")) as fresh,
        ):
            build(present, fresh)
            return _score(path, folder, gold, files, missing, fresh)
    build(present, store)
    return _score(path, folder, gold, files, missing, store)


def _score(
    path: Path,
    folder: Path,
    gold: dict[str, Any],
    files: list[str],
    missing: tuple[str, ...],
    store: Store,
) -> EvaluationReport:
    graph = StoreGraph(store)
    # Gold topic ids are matched against the skos:notation of the scheme the store holds
    # (the project's topic file when the store has no scheme).
    topics = {str(r["notation"]): str(r["topic"]) for r in graph.select_all("topics.rq")}
    if not topics:
        topics = {t.notation: t.iri for t in load_topics().topics}
    scorer = Scorer(gold, graph, topics)
    docs = graph.documents()
    unbuilt = list(missing)
    for entry in gold["documents"]:
        target = os.path.normpath(str(folder / str(entry["file"])))
        doc = next((d for d, p in docs if _same_path(p, target)), None)
        if doc is None:
            if entry["file"] not in unbuilt:
                unbuilt.append(str(entry["file"]))
            continue
        scorer.doc(entry, doc)
    if files and len(unbuilt) == len(files):
        # every count would be zero and every score 1.000: say so instead of a perfect table
        raise GoldError(
            f"{path}: none of its {len(files)} documents was built from {folder} "
            "(see the build's skipped lines); nothing to score"
        )
    scorer.cross()
    return EvaluationReport(
        gold=str(path),
        corpus=str(folder),
        documents=tuple(files),
        sections=tuple(scorer.t[name].score(name) for name in SECTIONS),
        not_covered={k: tuple(v) for k, v in scorer.not_covered.items()},
        missing_documents=tuple(unbuilt),
    )


def _same_path(stored: str, target: str) -> bool:
    a, b = os.path.normpath(stored), target
    return (
        a == b
        or os.path.abspath(a) == os.path.abspath(b)
        or b.endswith(os.sep + a)
        or a.endswith(os.sep + os.path.relpath(b))
    )
