"""What review tells the extractor: precision per rule on the facts reviewers decided on,
recall per kind from the facts they had to add, and inter-coder agreement (Krippendorff's
alpha, nominal, from the `krippendorff` package) per kind where two reviewers coded the
same facts."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..store import Store
from . import locate as loc
from .apply import ADDED_RULE
from .model import SPAN_KINDS, Decision, Status

__all__ = ["ReviewScores", "agreement", "review_scores"]


@dataclass(frozen=True)
class RuleScore:
    rule: str
    kind: str
    accepted: int
    corrected: int
    rejected: int

    @property
    def reviewed(self) -> int:
        return self.accepted + self.corrected + self.rejected

    @property
    def precision(self) -> float:
        return self.accepted / self.reviewed if self.reviewed else math.nan


@dataclass(frozen=True)
class ReviewScores:
    rules: tuple[RuleScore, ...]
    added: dict[str, int]  # kind → facts reviewers added (the extractor missed)
    accepted: dict[str, int]  # kind → extracted facts accepted
    alpha: dict[str, float | None] = field(default_factory=dict)  # kind → alpha (None: n/a)
    alpha_note: str = ""

    def recall(self, kind: str) -> float:
        found, missed = self.accepted.get(kind, 0), self.added.get(kind, 0)
        return found / (found + missed) if found + missed else math.nan

    def as_dict(self) -> dict[str, Any]:
        kinds = sorted(set(self.added) | set(self.accepted))
        return {
            "rules": [
                {
                    "rule": r.rule,
                    "kind": r.kind,
                    "reviewed": r.reviewed,
                    "accepted": r.accepted,
                    "corrected": r.corrected,
                    "rejected": r.rejected,
                    "precision": r.precision,
                }
                for r in self.rules
            ],
            "recall": {k: self.recall(k) for k in kinds},
            "added": dict(self.added),
            "alpha": dict(self.alpha),
        }

    def text(self) -> str:
        lines = [
            "precision per rule, on the facts reviewers decided on (weakest first)",
            f"{'rule':40} {'kind':9} {'reviewed':>8} {'accepted':>8} {'precision':>9}",
        ]
        for r in self.rules:
            lines.append(
                f"{r.rule:40} {r.kind:9} {r.reviewed:8d} {r.accepted:8d} {r.precision:9.2f}"
            )
        lines.append("recall per kind (accepted / accepted + added by reviewers)")
        for kind in sorted(set(self.added) | set(self.accepted)):
            lines.append(
                f"{kind:9} accepted {self.accepted.get(kind, 0)}, added "
                f"{self.added.get(kind, 0)}: recall {self.recall(kind):.2f}"
            )
        if self.alpha or self.alpha_note:
            lines.append("inter-coder agreement (Krippendorff's alpha, nominal) per kind")
            for kind, value in sorted(self.alpha.items()):
                shown = "n/a (one category only)" if value is None else f"{value:.3f}"
                lines.append(f"{kind:9} {shown}")
            if self.alpha_note:
                lines.append(self.alpha_note)
        return "\n".join(lines)


def review_scores(store: Store, decisions: Sequence[Decision]) -> ReviewScores:
    """Scores of the store's review graph (re-applied from `decisions` by the caller)."""
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    accepted: Counter[str] = Counter()
    for _fact, rule, kind, status in loc.select(store, "reviewed_facts"):
        value = str(status).rsplit("#", 1)[-1]
        if str(rule) == ADDED_RULE:
            continue
        counts[(str(rule), str(kind))][value] += 1
        if value == Status.ACCEPTED.value:
            accepted[str(kind)] += 1
    rules = sorted(
        (RuleScore(rule, kind, c["accepted"], c["corrected"], c["rejected"])
         for (rule, kind), c in counts.items()),
        key=lambda r: (r.precision, -r.reviewed, r.rule),
    )  # fmt: skip
    added = Counter(d.kind.value for d in _latest(decisions) if d.status is Status.ADDED)
    alpha, note = agreement(decisions)
    return ReviewScores(tuple(rules), dict(added), dict(accepted), alpha, note)


def _latest(decisions: Sequence[Decision]) -> list[Decision]:
    from .apply import latest

    return latest(decisions)


def _coding(d: Decision) -> str:
    """The category a reviewer gave a fact: the status, and for a correction what it set."""
    if d.status is Status.CORRECTED:
        return "corrected:" + ",".join(f"{k}={v}" for k, v in d.changes)
    return str(d.status.value)


def agreement(decisions: Sequence[Decision]) -> tuple[dict[str, float | None], str]:
    """Krippendorff's alpha per kind over the facts two or more reviewers decided on."""
    reviewers = sorted({d.reviewer for d in decisions})
    if len(reviewers) < 2:
        return {}, ""
    try:
        import krippendorff
        import numpy as np
    except ImportError:
        return {}, "(install policygraph[review] for Krippendorff's alpha)"
    # per kind: target → reviewer → coding (each reviewer's latest)
    units: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for d in sorted(decisions, key=lambda d: d.time):
        if d.kind in SPAN_KINDS and d.status is not Status.ADDED:
            units[d.kind.value][d.target][d.reviewer] = _coding(d)
    out: dict[str, float | None] = {}
    for kind, by_target in sorted(units.items()):
        shared = {t: c for t, c in by_target.items() if len(c) >= 2}
        categories = sorted({v for c in shared.values() for v in c.values()})
        if not shared:
            out[kind] = None
            continue
        index = {c: i for i, c in enumerate(categories)}
        data = np.full((len(reviewers), len(shared)), np.nan)
        for j, codings in enumerate(shared.values()):
            for who, value in codings.items():
                data[reviewers.index(who), j] = index[value]
        try:
            alpha = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
        except ValueError:  # one category only: agreement is not defined
            alpha = math.nan
        out[kind] = None if math.isnan(alpha) else alpha
    return out, ""
