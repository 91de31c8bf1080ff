"""The topic scheme (ontology/topics.ttl) as Python values.

A topic is a SKOS concept with a `skos:notation` (the id gold files and findings use), labels,
and three kinds of case-insensitive regular expression: `pg:termPattern` (the sentence or its
paragraph is about the topic), `pg:supportCue` and `pg:opposeCue` (the sentence favours or
resists the measure the topic names). A cue may carry a named group `holder`: the actor named
inside that group holds the stance (e.g. "attempts by (?P<holder>...) to ..."), instead of the
speaker of the sentence. Adding a concept to the file is all it takes to extract its stances.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from . import resources
from .errors import DataError
from .prefilter import LiteralFilter, fold
from .vocab import PG

__all__ = ["Cue", "Topic", "TopicScheme", "load_topics"]


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern[str]
    position: str  # "support" | "oppose"

    @property
    def names_holder(self) -> bool:
        return "holder" in self.pattern.groupindex

    @cached_property
    def words(self) -> LiteralFilter:
        """The words one of which each match of the cue contains."""
        return LiteralFilter([self.pattern])


@dataclass(frozen=True)
class Topic:
    notation: str
    iri: str
    label: str
    alt_labels: tuple[str, ...]
    terms: tuple[re.Pattern[str], ...]
    cues: tuple[Cue, ...]

    def mentions_topic(self, text: str) -> bool:
        return self._any_term.search(text) is not None

    @cached_property
    def _any_term(self) -> re.Pattern[str]:
        # One alternation searches a text once rather than once per term (stance finding
        # asks this for every sentence and topic).
        return re.compile("|".join(f"(?:{t.pattern})" for t in self.terms) or "(?!)", re.I)

    def may_cue(self, text: str) -> bool:
        """False when no cue of the topic can match `text` (a quick test before each cue)."""
        return any(c.pattern.search(text) for c in self.cues_for(text))

    def cues_for(self, text: str) -> tuple[Cue, ...]:
        """The cues of `cues_in_order` that may match `text`: those holding a word each of
        their matches needs (the others cannot match; none is left out that could)."""
        low = fold(text)
        if not self._cue_words.may_match_folded(low):
            return ()  # none of the words any cue needs: no regex is run
        return tuple(c for c in self.cues_in_order if c.words.may_match_folded(low))

    @cached_property
    def _cue_words(self) -> LiteralFilter:
        return LiteralFilter(c.pattern for c in self.cues)

    @cached_property
    def cues_in_order(self) -> tuple[Cue, ...]:
        """Cues that name a holder first, then longer patterns before shorter ones."""
        return tuple(sorted(self.cues, key=lambda c: (not c.names_holder, -len(c.pattern.pattern))))


@dataclass(frozen=True)
class TopicScheme:
    topics: tuple[Topic, ...]

    def get(self, notation: str) -> Topic | None:
        for t in self.topics:
            if t.notation == notation:
                return t
        return None

    @property
    def notations(self) -> tuple[str, ...]:
        return tuple(t.notation for t in self.topics)


def _compile(path: Path, notation: str, source: str) -> re.Pattern[str]:
    try:
        return re.compile(source, re.IGNORECASE)
    except re.error as exc:
        raise DataError(f"{path}: topic {notation!r}: bad pattern {source!r}: {exc}") from exc


def load_topics(path: Path | None = None) -> TopicScheme:
    """Read the scheme (by default ontology/topics.ttl, once per path); every skos:Concept
    with a skos:notation becomes a Topic."""
    return _load(path or resources.ontology("topics.ttl"))


@lru_cache(maxsize=8)
def _load(path: Path) -> TopicScheme:
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except (OSError, SyntaxError, ValueError) as exc:
        raise DataError(f"{path}: cannot read the topic scheme: {exc}") from exc
    topics: list[Topic] = []
    for concept in sorted(set(graph.subjects(RDF.type, SKOS.Concept)), key=str):
        notation = graph.value(concept, SKOS.notation)
        if notation is None:
            continue
        nid = str(notation)

        def strings(pred: URIRef, c: URIRef = concept) -> list[str]:  # type: ignore[assignment]
            return sorted(str(o) for o in graph.objects(c, pred) if isinstance(o, Literal))

        # the English label names the topic in output; other languages are for readers
        ranked = sorted(
            (o.language not in (None, "en"), str(o))
            for o in graph.objects(concept, SKOS.prefLabel)
            if isinstance(o, Literal)
        )
        labels = [text for _, text in ranked]
        cues = [Cue(_compile(path, nid, s), "support") for s in strings(PG.supportCue)]
        cues += [Cue(_compile(path, nid, s), "oppose") for s in strings(PG.opposeCue)]
        topics.append(
            Topic(
                notation=nid,
                iri=str(concept),
                label=labels[0] if labels else nid,
                alt_labels=tuple(strings(SKOS.altLabel)),
                terms=tuple(_compile(path, nid, s) for s in strings(PG.termPattern)),
                cues=tuple(cues),
            )
        )
    return TopicScheme(tuple(topics))
