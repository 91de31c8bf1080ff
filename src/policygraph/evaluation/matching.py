"""Matching a gold entry against the graph, section by section: signatories, mentions and
people, not-actors, quotes, stances, and across documents same and distinct actors. (Not
linking/scoring.py, which scores Wikidata candidates.)"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef
from rdflib.term import Node

from ..vocab import PG
from .gold import SECTIONS, all_strings, fold_text, gold_names, gold_stances, normalise
from .graph import StoreGraph

__all__ = ["Scorer", "SectionScore"]


@dataclass(frozen=True)
class SectionScore:
    name: str
    tp: int
    fp: int
    fn: int
    misses: tuple[str, ...] = ()
    false_hits: tuple[str, ...] = ()

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "misses": list(self.misses),
            "false_hits": list(self.false_hits),
        }


# ---------------------------------------------------------------------------- scoring
@dataclass
class _Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    false_hits: list[str] = field(default_factory=list)

    def score(self, name: str) -> SectionScore:
        return SectionScore(
            name, self.tp, self.fp, self.fn, tuple(self.misses), tuple(self.false_hits)
        )


def _match_quote(gold: str, found: str) -> bool:
    g, f = fold_text(gold), fold_text(found)
    if not g or not f:
        return False
    # A quote found whole where the gold cut it (or the reverse) still matches, if the shorter
    # is a real sentence rather than a phrase.
    return g == f or (min(len(g), len(f)) >= 40 and (g in f or f in g))


class Scorer:
    def __init__(self, gold: dict[str, Any], graph: StoreGraph, topic_iris: dict[str, str]) -> None:
        self.gold = gold
        self.g = graph
        self.topic_iris = topic_iris
        self.t = {name: _Tally() for name in SECTIONS}
        self.not_covered: dict[str, list[str]] = {}

    def doc(self, entry: dict[str, Any], doc: URIRef) -> None:
        """Score one gold entry against the graph of its document."""
        actors = {r["actor"] for r in self.g.rows("document-actors.rq", doc)}
        self._signatories(entry, doc)
        self._mentions(entry, actors)
        self._not_actors(entry, actors)
        self._quotes(entry, doc)
        self._stances(entry, doc)

    def _signatories(self, entry: dict[str, Any], doc: URIRef) -> None:
        """Matched by the line as written, or the label on the node."""
        f, t = entry["file"], self.t["signatories"]
        left = list(self.g.rows("signatures.rq", doc))
        for s in entry.get("signatories") or []:
            hit = next(
                (
                    r
                    for r in left
                    if normalise(str(r["asWritten"])) == normalise(s.get("as_written", ""))
                    or self.g.is_named(r["actor"], s.get("label", ""))
                ),
                None,
            )
            if hit is not None:
                left.remove(hit)
                t.tp += 1
            else:
                t.fn += 1
                t.misses.append(f"{f}: {s.get('as_written') or s.get('label')}")
        t.fp += len(left)
        t.false_hits += [f"{f}: {r['asWritten']}" for r in left]

    def _mentions(self, entry: dict[str, Any], actors: set[Node | None]) -> None:
        f = entry["file"]
        gold = {k: v for k, v in entry.items() if k not in ("not_actors", "file")}
        known = {normalise(x) for x in all_strings(gold)}
        mentions = entry.get("mentions") or {}
        wanted: list[tuple[str, bool, str]] = []
        for section in ("organisations", "governments", "people"):
            wanted += [(n, o, section) for n, o in gold_names(mentions.get(section))]
        self._found(f, "mentions", wanted, actors, known, people_only=False)
        people = [w for w in wanted if w[2] == "people"]
        self._found(f, "people", people, actors, known, people_only=True)

    def _not_actors(self, entry: dict[str, Any], actors: set[Node | None]) -> None:
        t = self.t["not_actors"]
        for name in entry.get("not_actors") or []:
            bad = [a for a in actors if a is not None and self.g.is_named(a, name)]
            if bad:
                t.fp += 1
                t.false_hits.append(f"{entry['file']}: {name}")
            else:
                t.tp += 1

    def _quotes(self, entry: dict[str, Any], doc: URIRef) -> None:
        f, t = entry["file"], self.t["quotes"]
        gold = entry.get("quotes") or []
        found = self.g.rows("quotes.rq", doc)

        def same(q: dict[str, Any], row: dict[str, Node | None]) -> bool:
            return _match_quote(q.get("text", ""), str(row["text"])) and self.g.is_named(
                row["speaker"], q.get("speaker", "")
            )

        used: set[int] = set()
        for q in gold:
            hit = next((i for i, r in enumerate(found) if i not in used and same(q, r)), None)
            if hit is not None:
                used.add(hit)
                t.tp += 1
            elif not q.get("optional"):
                t.fn += 1
                t.misses.append(f"{f}: {q.get('speaker')}: {q.get('text', '')[:70]}")
        for i, row in enumerate(found):
            if i in used or any(same(q, row) for q in gold):
                continue
            t.fp += 1
            t.false_hits.append(f"{f}: {self.g.label(row['speaker'])}: {str(row['text'])[:70]}")

    def _found(
        self,
        f: str,
        section: str,
        wanted: list[tuple[str, bool, str]],
        actors: set[Node | None],
        known: set[str],
        *,
        people_only: bool,
    ) -> None:
        t = self.t[section]
        pool = {a for a in actors if a is not None and (not people_only or a in self.g.persons)}
        matched: set[Node] = set()
        for name, optional, _ in wanted:
            hits = {a for a in pool if self.g.is_named(a, name)}
            matched |= hits
            if hits:
                t.tp += 0 if optional else 1
            elif not optional:
                t.fn += 1
                t.misses.append(f"{f}: {name}")
        for a in sorted(pool - matched, key=str):
            if any(normalise(n) in known for n in self.g.names.get(a, ())):
                continue  # an actor the gold names elsewhere in this document (signer, speaker)
            t.fp += 1
            t.false_hits.append(f"{f}: {self.g.label(a)}")

    def _stances(self, entry: dict[str, Any], doc: URIRef) -> None:
        f = entry["file"]
        t = self.t["stances"]
        rows = self.g.rows("stances.rq", doc)
        found = {
            (r["holder"], str(r["topic"]), str(r["position"])): str(r["evidence"] or "")
            for r in rows
        }
        position_iri = {"support": str(PG.Support), "oppose": str(PG.Oppose)}
        matched: set[tuple[Node | None, str, str]] = set()
        seen: set[tuple[str, str, str]] = set()
        for name, topic, position, optional, evidence in gold_stances(entry):
            key = (normalise(name), topic, position)
            if key in seen:
                continue
            seen.add(key)
            if topic not in self.topic_iris:
                self.not_covered.setdefault(topic, []).append(
                    f"{f}: {name} {position}: {evidence[:80]}"
                )
                if not optional:
                    t.fn += 1
                    t.misses.append(f"{f}: {name} {position} {topic} (topic not covered)")
                continue
            hits = {
                k
                for k in found
                if k[1] == self.topic_iris[topic]
                and k[2] == position_iri[position]
                and self.g.is_named(k[0], name)
            }  # type: ignore[arg-type]
            matched |= hits
            if hits:
                t.tp += 0 if optional else 1
            elif not optional:
                t.fn += 1
                t.misses.append(f"{f}: {name} {position} {topic}: {evidence[:80]}")
        topic_names = {v: k for k, v in self.topic_iris.items()}
        for k in sorted(set(found) - matched, key=str):
            t.fp += 1
            t.false_hits.append(
                f"{f}: {self.g.label(k[0])} {k[2].rsplit('#', 1)[-1].lower()} "  # type: ignore[arg-type]
                f"{topic_names.get(k[1], k[1])}: {found[k][:80]}"
            )

    def cross(self) -> None:
        cross = self.gold.get("cross_document") or {}
        t = self.t["same_actor"]
        for group in cross.get("same_actor") or []:
            sets = [self.g.actors_named(n) for n in group]
            common = set.intersection(*sets) if sets else set()
            label = " = ".join(group)
            if common and all(len(s) == 1 for s in sets):
                t.tp += 1
            else:
                t.fn += 1
                missing = [n for n, s in zip(group, sets, strict=True) if not s]
                why = f"not in the graph: {', '.join(missing)}" if missing else "not merged"
                t.misses.append(f"{label} ({why})")
        t = self.t["distinct_actors"]
        for group in cross.get("distinct_actors") or []:
            sets = [self.g.actors_named(n) for n in group]
            for i in range(len(group)):
                for j in range(i + 1, len(group)):
                    pair = f"{group[i]} / {group[j]}"
                    if not sets[i] or not sets[j]:
                        t.fn += 1
                        t.misses.append(f"{pair} (not in the graph)")
                    elif sets[i] & sets[j]:
                        t.fp += 1
                        t.false_hits.append(f"{pair} (merged)")
                        self.t["same_actor"].fp += 1
                        self.t["same_actor"].false_hits.append(f"{pair} (merged)")
                    else:
                        t.tp += 1
