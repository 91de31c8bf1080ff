"""Scoring a graph against a policygraph-gold/1 entry: matching names, quotes and stances
read back from the store (queries/evaluate/*.rq) with the gold file's, per section."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef
from rdflib.term import Node

from .. import resources
from ..names import fold
from ..store import Store
from ..vocab import PG

__all__ = ["SECTIONS", "Scorer", "SectionScore", "StoreGraph", "normalise"]

SECTIONS = (
    "signatories",
    "mentions",
    "people",
    "quotes",
    "stances",
    "same_actor",
    "distinct_actors",
    "not_actors",
)
_TITLES = re.compile(
    r"^(?:(?:mr|mrs|ms|miss|dr|prof|professor|sir|dame|senator|father|emeritus|attorney[- ]general"
    r"|prime minister|minister)\.?\s+)+"
)
_POSTNOMINALS = re.compile(r"(?:\s+(?:ao|ac|am|oam|qc|sc|mp|ocso|phd))+$")


def normalise(name: str) -> str:
    """The gold format's comparison (names.fold: NFKC, case and whitespace folding, quotes and
    dashes unified), then a leading "the", titles and post-nominals off."""
    text = re.sub(r"^the\s+", "", fold(name))
    return _POSTNOMINALS.sub("", _TITLES.sub("", text)).strip()


def _fold_text(text: str) -> str:
    return re.sub(r"[^\w]+", " ", normalise(text)).strip()


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


def _names(value: Any) -> Iterator[tuple[str, bool]]:
    """(name, optional) pairs from a gold list of strings or {name: ...} entries."""
    if value is None:
        return
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict):
            name = item.get("name") or item.get("label") or item.get("actor")
            if isinstance(name, str):
                yield name, bool(item.get("optional"))
        elif isinstance(item, str):
            yield item, False


def _all_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _all_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _all_strings(v)


# ---------------------------------------------------------------------------- graph access
class StoreGraph:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.names: dict[Node | None, set[str]] = {}
        self.persons: set[Node] = set()
        self.by_name: dict[str, set[Node]] = {}
        for row in self._select("actor-names.rq"):
            actor, name = row["actor"], str(row["name"])
            self.names.setdefault(actor, set()).add(name)  # type: ignore[arg-type]
            self.by_name.setdefault(normalise(name), set()).add(actor)  # type: ignore[arg-type]
            if str(row["person"]).lower() == "true":
                self.persons.add(actor)  # type: ignore[arg-type]

    def _select(self, query: str, doc: URIRef | None = None) -> list[dict[str, Node | None]]:
        text = resources.queries("evaluate").joinpath(query).read_text(encoding="utf-8")
        return self.store.select(text, {"doc": doc} if doc is not None else None).dicts()

    def select_all(self, query: str) -> list[dict[str, Node | None]]:
        return self._select(query)

    def documents(self) -> list[tuple[URIRef, str]]:
        return [(row["doc"], str(row["path"])) for row in self._select("documents.rq")]  # type: ignore[misc]

    def rows(self, query: str, doc: URIRef) -> list[dict[str, Node | None]]:
        return self._select(query, doc)

    def actors_named(self, name: str) -> set[Node]:
        """The actors with this name; "Name (ACR)" is the actor that has both names."""
        found = self.by_name.get(normalise(name), set())
        m = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", name.strip())
        if not found and m:
            found = self.by_name.get(normalise(m.group(1)), set()) & self.by_name.get(
                normalise(m.group(2)), set()
            )
        return found

    def label(self, actor: Node | None) -> str:
        return sorted(self.names.get(actor, {str(actor)}), key=len)[-1] if actor else "?"

    def is_named(self, actor: Node | None, name: str) -> bool:
        n = normalise(name)
        return any(normalise(x) == n for x in self.names.get(actor, ()))


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
    g, f = _fold_text(gold), _fold_text(found)
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
        f = entry["file"]
        actors = {r["actor"] for r in self.g.rows("document-actors.rq", doc)}
        signers = self.g.rows("signatures.rq", doc)
        # ---- signatories: matched by the line as written, or the label on the node
        t = self.t["signatories"]
        left = list(signers)
        for s in entry.get("signatories") or []:
            hit = next(
                (
                    r
                    for r in left
                    if normalise(str(r["asWritten"])) == normalise(s.get("as_written", ""))
                    or self.g.is_named(
                        r["actor"],
                        s.get("label", ""),  # type: ignore[arg-type]
                    )
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
        # ---- mentions, people, not_actors
        known = {
            normalise(x)
            for x in _all_strings(
                {k: v for k, v in entry.items() if k not in ("not_actors", "file")}
            )
        }
        mentions = entry.get("mentions") or {}
        wanted: list[tuple[str, bool, str]] = []
        for section in ("organisations", "governments", "people"):
            wanted += [(n, o, section) for n, o in _names(mentions.get(section))]
        self._found(f, "mentions", wanted, actors, known, people_only=False)
        self._found(
            f, "people", [w for w in wanted if w[2] == "people"], actors, known, people_only=True
        )
        t = self.t["not_actors"]
        for name in entry.get("not_actors") or []:
            bad = [a for a in actors if a is not None and self.g.is_named(a, name)]
            if bad:
                t.fp += 1
                t.false_hits.append(f"{f}: {name}")
            else:
                t.tp += 1
        # ---- quotes
        t = self.t["quotes"]
        found_quotes = self.g.rows("quotes.rq", doc)
        used: set[int] = set()
        for q in entry.get("quotes") or []:
            qhit = next(
                (
                    i
                    for i, r in enumerate(found_quotes)
                    if i not in used
                    and _match_quote(q.get("text", ""), str(r["text"]))
                    and self.g.is_named(r["speaker"], q.get("speaker", ""))
                ),
                None,
            )  # type: ignore[arg-type]
            if qhit is not None:
                used.add(qhit)
                t.tp += 1
            elif not q.get("optional"):
                t.fn += 1
                t.misses.append(f"{f}: {q.get('speaker')}: {q.get('text', '')[:70]}")
        for i, row in enumerate(found_quotes):
            if i in used:
                continue
            if any(
                _match_quote(q.get("text", ""), str(row["text"]))
                and self.g.is_named(row["speaker"], q.get("speaker", ""))  # type: ignore[arg-type]
                for q in entry.get("quotes") or []
            ):
                continue
            t.fp += 1
            t.false_hits.append(f"{f}: {self.g.label(row['speaker'])}: {str(row['text'])[:70]}")  # type: ignore[arg-type]
        self._stances(entry, doc)

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

    def _gold_stances(self, entry: dict[str, Any]) -> Iterator[tuple[str, str, str, bool, str]]:
        signers = [s.get("label") or s.get("as_written") for s in entry.get("signatories") or []]
        for s in entry.get("stances") or []:
            actor = s.get("actor")
            names = (
                signers if actor == "signatories" else actor if isinstance(actor, list) else [actor]
            )
            for n in names:
                yield (
                    str(n),
                    s["topic"],
                    s["position"],
                    bool(s.get("optional")),
                    str(s.get("evidence", "")),
                )
        for q in entry.get("quotes") or []:
            for s in q.get("stances") or []:
                yield (
                    str(q.get("speaker")),
                    s["topic"],
                    s["position"],
                    bool(q.get("optional") or s.get("optional")),
                    q.get("text", ""),
                )

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
        for name, topic, position, optional, evidence in self._gold_stances(entry):
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
