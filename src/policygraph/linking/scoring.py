"""Scoring Wikidata candidates for one entity, and deciding whether to link.

A candidate earns points for how its names match (label, alias, acronym), for a class that
fits the entity's kind (data/wikidata_types.yaml), for the same country, parent organisation
or website; it is vetoed when it is a class rather than a thing, when its class does not fit
(a government is not a country), or when its country differs. Homonyms cost points: when
another plausible item carries the same name, or the name is a common noun (a class item
shares it), the scorer leaves the decision to a human unless other evidence settles it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .. import resources
from ..errors import LinkError
from ..resolution import normalise_name
from .model import Candidate, Entity, ScoredCandidate

__all__ = [
    "THRESHOLD",
    "Decision",
    "TypeRules",
    "decide",
    "score_candidates",
]

THRESHOLD = 0.75
MARGIN = 0.15  # two candidates above the threshold closer than this: ambiguous

# Points for each kind of evidence; sums of these are compared with THRESHOLD.
W_LABEL = 0.55  # the entity's name is the item's label
W_ALIAS = 0.45  # one side's name is the other's alias
W_ACRONYM_ONLY = 0.25  # only the acronym matches
W_SEARCH = 0.2  # only Wikidata's search found it: no name meets (needs website and more)
W_ACRONYM_AGREES = 0.1
W_TYPE = 0.3
W_MIXED_TYPE = -0.15  # one class fits, another does not
W_COUNTRY = 0.1
W_COUNTRY_DIFFERS = -0.4
W_PARENT = 0.1
W_WEBSITE = 0.25
W_HOMONYM = -0.3  # another plausible item has the same name
W_GENERIC = -0.3  # a class item has the same name: the name is a common noun
W_HOMONYM_OTHER_TYPE = -0.05  # an item of another type has the same name


@dataclass(frozen=True)
class TypeRules:
    compatible: Mapping[str, tuple[str, ...]]
    incompatible: Mapping[str, tuple[str, ...]]
    government_templates: tuple[str, ...] = ()
    country_languages: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> TypeRules:
        source = path or resources.data("wikidata_types.yaml")
        try:
            data = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
            kinds = data["kinds"]
            compatible = {
                k: tuple(normalise_name(str(x)) for x in v.get("compatible", []))
                for k, v in kinds.items()
            }
            incompatible = {
                k: tuple(normalise_name(str(x)) for x in v.get("incompatible", []))
                for k, v in kinds.items()
            }
            templates = tuple(str(t) for t in data.get("government_name_templates", []))
            languages = {
                normalise_name(str(k)): tuple(str(x) for x in v)
                for k, v in (data.get("country_languages") or {}).items()
            }
        except (OSError, yaml.YAMLError, KeyError, AttributeError, TypeError) as exc:
            raise LinkError(f"{source}: cannot read the Wikidata type rules: {exc}") from exc
        return cls(compatible, incompatible, templates, languages)

    def fit(self, kind: str, class_labels: Iterable[str]) -> tuple[str, str | None]:
        """("compatible" | "mixed" | "incompatible" | "unknown", the class label that decided).

        "mixed": the item has a class that fits and one that does not (an organisation that
        is also a website); it is not ruled out, but the misfit costs points.
        """
        labels = sorted(normalise_name(c) for c in class_labels)
        bad = [x for x in labels if any(_ends_with(x, b) for b in self.incompatible.get(kind, ()))]
        good = [x for x in labels if any(_ends_with(x, g) for g in self.compatible.get(kind, ()))]
        good = [x for x in good if x not in bad]
        if good and bad:
            return "mixed", f"{good[0]}/{bad[0]}"
        if bad:
            return "incompatible", bad[0]
        if good:
            return "compatible", good[0]
        return "unknown", None

    def languages_for(self, countries: Iterable[str]) -> tuple[str, ...]:
        out: list[str] = []
        for c in countries:
            out.extend(self.country_languages.get(normalise_name(c), ()))
        return tuple(out)


def _ends_with(label: str, head: str) -> bool:
    return label == head or label.endswith(" " + head)


def _domain(url: str) -> str:
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    return host.removeprefix("www.")


@dataclass(frozen=True)
class NameMatch:
    """How one of the entity's names met one of the candidate's: role on each side."""

    name: str  # normalised
    entity_role: str  # "label", "alias", "acronym", "template"
    item_role: str  # "label", "alias" or "search" (the entity search found it)


def score_candidates(
    entity: Entity,
    candidates: Mapping[str, Candidate],
    matches: Mapping[str, Iterable[NameMatch]],
    rules: TypeRules,
) -> list[ScoredCandidate]:
    """Score every candidate of one entity; best first."""
    base: dict[str, tuple[float, list[str], bool, set[str]]] = {}
    for qid, cand in candidates.items():
        score, features, vetoed = _evidence(entity, cand, list(matches.get(qid, ())), rules)
        # a search hit whose names meet none of the entity's is no homonym of anything
        names = {
            m.name
            for m in matches.get(qid, ())
            if m.entity_role != "acronym" and m.item_role != "search"
        }
        base[qid] = (score, features, vetoed, names)
    out: list[ScoredCandidate] = []
    for qid, (score, features, vetoed, names) in base.items():
        feats = list(features)
        if not vetoed:
            rivals = [(q, b) for q, b in base.items() if q != qid and b[3] & names]
            plausible = [q for q, b in rivals if not b[2]]
            classes = [q for q in (q for q, _ in rivals) if candidates[q].superclasses]
            if plausible:
                score += W_HOMONYM
                feats.append(f"homonym:{','.join(sorted(plausible))}")
            elif classes:
                score += W_GENERIC
                feats.append(f"common-noun:{','.join(sorted(classes))}")
            elif rivals:
                score += W_HOMONYM_OTHER_TYPE
                feats.append("homonym-of-other-type")
        out.append(
            ScoredCandidate(
                candidates[qid],
                round(max(score, 0.0), 3),
                tuple(feats),
                vetoed,
                tuple(sorted(names)),
            )
        )
    out.sort(key=lambda s: (s.vetoed, -s.score, int(s.candidate.qid[1:])))
    return out


@dataclass
class _Evidence:
    """The score and features of one candidate as the checks below add to them, in order (a
    float sum depends on its order, and the features are reported in it)."""

    score: float = 0.0
    features: list[str] = field(default_factory=list)
    vetoed: bool = False

    def add(self, weight: float, feature: str) -> None:
        self.score += weight
        self.features.append(feature)


def _evidence(
    entity: Entity, cand: Candidate, matches: list[NameMatch], rules: TypeRules
) -> tuple[float, list[str], bool]:
    ev = _Evidence()
    _name_evidence(ev, entity, cand, matches)
    _type_evidence(ev, entity, cand, rules)
    _context_evidence(ev, entity, cand)
    return ev.score, ev.features, ev.vetoed


def _name_evidence(
    ev: _Evidence, entity: Entity, cand: Candidate, matches: list[NameMatch]
) -> None:
    """How the names met: the best pairing of roles counts, and an acronym both give."""
    roles = {(m.entity_role, m.item_role) for m in matches}
    if ("label", "label") in roles or ("template", "label") in roles:
        ev.add(W_LABEL, "label" if ("label", "label") in roles else "government-name")
    elif roles & {("label", "alias"), ("alias", "label"), ("template", "alias")}:
        ev.add(W_ALIAS, "alias")
    elif any(r[0] == "alias" and r[1] != "search" for r in roles):
        ev.add(W_ALIAS - 0.1, "alias-alias")
    elif any(r[0] == "acronym" for r in roles):
        ev.add(W_ACRONYM_ONLY, "acronym-only")
    elif any(r[1] == "search" for r in roles):
        ev.add(W_SEARCH, "search")
    item_names = {normalise_name(n) for n in (*cand.labels, *cand.aliases)}
    if (
        entity.acronyms
        and any(normalise_name(a) in item_names for a in entity.acronyms)
        and "acronym-only" not in ev.features
    ):
        ev.add(W_ACRONYM_AGREES, "acronym")


def _type_evidence(ev: _Evidence, entity: Entity, cand: Candidate, rules: TypeRules) -> None:
    """Whether the item's classes fit the entity's kind (data/wikidata_types.yaml)."""
    if cand.superclasses and entity.kind != "topic":  # a topic may well be a class
        ev.vetoed = True
        ev.features.append("is-a-class")
    fit, decided_by = rules.fit(entity.kind, cand.classes)
    if fit == "incompatible":
        ev.vetoed = True
        ev.features.append(f"type-incompatible:{decided_by}")
    elif fit == "compatible":
        ev.add(W_TYPE, f"type:{decided_by}")
    elif fit == "mixed":
        ev.add(W_TYPE + W_MIXED_TYPE, f"type-mixed:{decided_by}")
    else:
        ev.features.append("type-unknown")


def _context_evidence(ev: _Evidence, entity: Entity, cand: Candidate) -> None:
    """What the documents say around the name: its country, its parent body, its website."""
    if entity.countries and cand.countries and entity.kind != "country":
        ours = {normalise_name(c) for c in entity.countries}
        theirs = {normalise_name(c) for c in cand.countries}
        if ours & theirs:
            ev.add(W_COUNTRY, f"country:{sorted(ours & theirs)[0]}")
        else:
            ev.add(W_COUNTRY_DIFFERS, "country-differs")
            ev.vetoed = True
    if entity.parents and cand.parents:
        shared = {normalise_name(p) for p in entity.parents} & {
            normalise_name(p) for p in cand.parents
        }
        if shared:
            ev.add(W_PARENT, f"parent:{sorted(shared)[0]}")
    if entity.websites and cand.websites:
        shared = {_domain(w) for w in entity.websites} & {_domain(w) for w in cand.websites}
        shared.discard("")
        if shared:
            ev.add(W_WEBSITE, f"website:{sorted(shared)[0]}")


@dataclass(frozen=True)
class Decision:
    chosen: ScoredCandidate | None
    reason: str  # why nothing was chosen, or "above threshold"


def decide(scored: list[ScoredCandidate], threshold: float = THRESHOLD) -> Decision:
    viable = [s for s in scored if not s.vetoed]
    if not viable:
        return Decision(None, "every candidate was ruled out" if scored else "no candidates")
    best = viable[0]
    if best.score < threshold:
        return Decision(None, f"best score {best.score:.2f} is below {threshold:.2f}")
    if len(viable) > 1 and viable[1].score >= threshold and best.score - viable[1].score < MARGIN:
        return Decision(None, f"{best.candidate.qid} and {viable[1].candidate.qid} score alike")
    return Decision(best, "above threshold")


def acronym_like(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z0-9&.\-]{1,9}", text.strip()))
