"""The rule engine: token patterns from data/rules/*.yaml run by spaCy's Matcher.

A rule file (`data/rules/stances.<lang>.yaml`, `data/rules/lexicon.<lang>.yaml`) holds rules,
each with an `id` (dotted, it goes into the provenance of what the rule finds), a `priority`
(lower first), `patterns` (lists of spaCy token patterns: LOWER, LEMMA, IS_*, SHAPE, OP, IN)
and `examples` (texts it must and must not match, run by the tests).

Pipelines are blank (`spacy.blank(lang)`: a tokenizer, no model): they cost no download and
little time. A blank pipeline has no lemmatizer, and spacy-lookups-data (a 98 MB wheel with
every language's tables) is too heavy for a few dozen verbs, so a `LEMMA` in a pattern is
rewritten here into the verb's inflected forms: regular English inflection, plus the
irregular forms and consonant-doubling verbs the rule file lists. Other languages list their
forms in the file (`forms:`). Pipelines and matchers are made once per process.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .. import resources
from ..errors import DataError
from ..yamlload import SAFE_LOADER

__all__ = [
    "Rule",
    "RuleSet",
    "inflect",
    "load_ruleset",
    "pipeline",
    "rules_dir",
]

_VOWELS = set("aeiou")


@dataclass(frozen=True)
class Rule:
    id: str
    priority: int
    patterns: tuple[tuple[dict[str, Any], ...], ...]
    attrs: Mapping[str, Any] = field(default_factory=dict)  # the rule's other keys
    examples_match: tuple[str, ...] = ()
    examples_no_match: tuple[str, ...] = ()


def inflect(lemma: str, irregular: Mapping[str, Sequence[str]], doubling: set[str]) -> list[str]:
    """The forms of an English verb (or noun plural): lemma, -s, -ed, -ing; irregulars as listed.

    Multi-word lemmas are not inflected here: a pattern spells each token.
    """
    w = lemma.lower()
    if w in irregular:
        return sorted({w, *irregular[w]})
    stem = w + w[-1] if w in doubling else w
    if w.endswith(("s", "x", "z", "ch", "sh")):
        third = w + "es"
    elif w.endswith("y") and len(w) > 1 and w[-2] not in _VOWELS:
        third = w[:-1] + "ies"
    else:
        third = w + "s"
    if w.endswith("e"):
        past = w + "d"
        ing = (
            w[:-2] + "ying"
            if w.endswith("ie")
            else (w + "ing" if w.endswith("ee") else w[:-1] + "ing")
        )
    elif w.endswith("y") and len(w) > 1 and w[-2] not in _VOWELS:
        past, ing = w[:-1] + "ied", w + "ing"
    else:
        past, ing = stem + "ed", stem + "ing"
    return sorted({w, third, past, ing})


class _Forms:
    """LEMMA → LOWER IN [forms], per language."""

    def __init__(self, lang: str, data: Mapping[str, Any], source: Path) -> None:
        self.lang = lang
        self.source = source
        irregular = data.get("irregular") or {}
        forms = data.get("forms") or {}
        if not isinstance(irregular, dict) or not isinstance(forms, dict):
            raise DataError(f"{source}: `irregular` and `forms` must be mappings")
        self.irregular = {str(k): [str(v) for v in vs] for k, vs in {**irregular, **forms}.items()}
        self.doubling = {str(w) for w in data.get("doubling") or []}

    def of(self, lemma: str) -> list[str]:
        if self.lang == "en":
            return inflect(lemma, self.irregular, self.doubling)
        if lemma not in self.irregular:
            raise DataError(
                f"{self.source}: LEMMA {lemma!r}: no forms listed for language {self.lang!r} "
                "(add it under `forms:`)"
            )
        return sorted({lemma.lower(), *self.irregular[lemma]})

    def token(self, spec: Mapping[str, Any], rule_id: str) -> dict[str, Any]:
        if not isinstance(spec, dict):
            raise DataError(f"{self.source}: rule {rule_id}: a token must be a mapping")
        if _has_bool(spec):
            # YAML 1.1 reads on/no/yes/off as booleans: a word must be quoted
            raise DataError(
                f"{self.source}: rule {rule_id}: a pattern value is a boolean where a word was "
                'meant: quote words like "on", "no", "yes", "off"'
            )
        out = dict(spec)
        lemma = out.pop("LEMMA", None)
        if lemma is None:
            return out
        if "LOWER" in out:
            raise DataError(f"{self.source}: rule {rule_id}: a token has LEMMA and LOWER")
        if isinstance(lemma, str):
            words = [lemma]
        elif isinstance(lemma, dict) and isinstance(lemma.get("IN"), list):
            words = [str(w) for w in lemma["IN"]]
        else:
            raise DataError(f"{self.source}: rule {rule_id}: LEMMA must be a word or {{IN: [...]}}")
        out["LOWER"] = {"IN": sorted({f for w in words for f in self.of(w)})}
        return out


def _has_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, dict):
        return any(_has_bool(v) for k, v in value.items() if not str(k).startswith("IS_"))
    if isinstance(value, list):
        return any(isinstance(v, bool) for v in value)
    return False


def _single_words(pattern: Sequence[Mapping[str, Any]]) -> list[str] | None:
    """The words of a one-token pattern on LOWER alone, or None for any other pattern."""
    if len(pattern) != 1 or set(pattern[0]) != {"LOWER"}:
        return None
    value = pattern[0]["LOWER"]
    if isinstance(value, str):
        return [value.lower()]
    if isinstance(value, dict) and set(value) == {"IN"}:
        return [str(w).lower() for w in value["IN"]]
    return None


def _examples(raw: Any, key: str) -> tuple[str, ...]:
    if not isinstance(raw, dict):
        return ()
    return tuple(str(x) for x in raw.get(key) or [])


def _rules(items: Any, forms: _Forms, section: str) -> list[Rule]:
    if not isinstance(items, list):
        raise DataError(f"{forms.source}: `{section}` must be a list of rules")
    out = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise DataError(f"{forms.source}: {section}: every rule needs an `id`: {item!r}")
        rid = item["id"]
        pats = item.get("patterns")
        if not isinstance(pats, list) or not pats or not all(isinstance(p, list) for p in pats):
            raise DataError(f"{forms.source}: rule {rid}: `patterns` must be a list of lists")
        patterns = tuple(tuple(forms.token(t, rid) for t in p) for p in pats)
        attrs = {
            k: v for k, v in item.items() if k not in ("id", "priority", "patterns", "examples")
        }
        out.append(
            Rule(
                id=rid,
                priority=int(item.get("priority", 50)),
                patterns=patterns,
                attrs=attrs,
                examples_match=_examples(item.get("examples"), "match"),
                examples_no_match=_examples(item.get("examples"), "no_match"),
            )
        )
    return sorted(out, key=lambda r: (r.priority, r.id))


@dataclass(frozen=True)
class _Pattern:
    """One token pattern of more than one word, compiled."""

    needs: tuple[frozenset[str], ...]  # for each required token, the words it may be
    firsts: frozenset[str] | None  # the words a match starts with (None: not known)
    matcher: Any

    def run(self, tokens: Any, lowers: Sequence[str]) -> set[tuple[int, int]]:
        """(start, end) of its matches; from the first token a match can start at, since a
        pattern reads only forward from its start."""
        at = 0
        if self.firsts is not None:
            at = next((i for i, w in enumerate(lowers) if w in self.firsts), len(lowers))
            if at == len(lowers):
                return set()
        found = self.matcher(tokens[at:] if at else tokens)
        return {(s + at, e + at) for _, s, e in found}


class _Section:
    """A section's rules compiled: one-word patterns as a word → rules table, longer ones as
    (rule, pattern) in rule order, indexed by a word each needs (its rarest-looking: the
    smallest word set)."""

    def __init__(self, single: dict[str, list[Rule]], multi: list[tuple[Rule, _Pattern]]) -> None:
        self.single = single
        self.multi = multi
        self.index: dict[str, list[int]] = {}
        self.always: list[int] = []  # patterns that need no particular word
        for k, (_, pat) in enumerate(multi):
            if not pat.needs:
                self.always.append(k)
                continue
            for w in min(pat.needs, key=len):
                self.index.setdefault(w, []).append(k)

    def candidates(self, present: set[str]) -> list[int]:
        """The patterns, in order, whose every needed word is present."""
        ids = set(self.always)
        for w in present:
            hit = self.index.get(w)
            if hit:
                ids.update(hit)
        return sorted(
            k for k in ids if all(not n.isdisjoint(present) for n in self.multi[k][1].needs)
        )


def _needs(pattern: Sequence[Mapping[str, Any]]) -> tuple[frozenset[str], ...]:
    """The word sets of the tokens a match must have: neither optional nor negated, on LOWER."""
    out = []
    for token in pattern:
        if token.get("OP") not in (None, "+"):
            continue
        words = _single_words([{"LOWER": token["LOWER"]}]) if "LOWER" in token else None
        if words is not None:
            out.append(frozenset(words))
    return tuple(out)


@lru_cache(maxsize=8)
def pipeline(lang: str) -> Any:
    """A blank spaCy pipeline (tokenizer only), one per language and process."""
    import spacy

    return spacy.blank(lang)


class RuleSet:
    """The rules of one file, compiled into one Matcher per section."""

    def __init__(self, path: Path) -> None:
        try:
            with path.open(encoding="utf-8") as fh:
                data = yaml.load(fh, Loader=SAFE_LOADER)
        except (OSError, yaml.YAMLError) as exc:
            raise DataError(f"{path}: cannot read the rule file: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("language"), str):
            raise DataError(f"{path}: a rule file is a mapping with a `language`")
        self.path = path
        self.language: str = data["language"]
        self.data = data
        forms = _Forms(self.language, data, path)
        self.sections: dict[str, list[Rule]] = {
            name: _rules(data[name], forms, name)
            for name in data.get("sections", [])
            if name in data
        }
        self.by_id = {r.id: r for rules in self.sections.values() for r in rules}
        if len(self.by_id) != sum(len(v) for v in self.sections.values()):
            raise DataError(f"{path}: two rules share an id")
        self.nlp = pipeline(self.language)
        self._matchers: dict[str, _Section] = {}

    def matcher(self, section: str) -> _Section:
        """The section's rules compiled: one-word patterns into a word → rules table (a dict
        lookup per token costs far less than a Matcher state per pattern, and most predicates
        are one word); every longer pattern into a Matcher of its own, with the words a match
        cannot do without, so that a sentence runs only the patterns that can match it (a
        Matcher call costs a Python object per token and per word-list test)."""
        if section not in self._matchers:
            single: dict[str, list[Rule]] = {}
            multi: list[tuple[Rule, _Pattern]] = []
            for rule in self.sections.get(section, []):
                for p in rule.patterns:
                    words = _single_words(p)
                    for w in words or ():
                        single.setdefault(w, []).append(rule)
                    if words is None:
                        multi.append((rule, self._compile(rule, p)))
            self._matchers[section] = _Section(single, multi)
        return self._matchers[section]

    def _compile(self, rule: Rule, pattern: Sequence[Mapping[str, Any]]) -> _Pattern:
        from spacy.matcher import Matcher

        m = Matcher(self.nlp.vocab, validate=True)
        try:
            m.add(rule.id, [[dict(t) for t in pattern]])
        except ValueError as exc:
            raise DataError(f"{self.path}: rule {rule.id}: bad pattern: {exc}") from exc
        first = _single_words(pattern[:1]) if "OP" not in pattern[0] else None
        return _Pattern(_needs(pattern), None if first is None else frozenset(first), m)

    def matches(
        self, section: str, tokens: Any, lowers: Sequence[str] | None = None
    ) -> list[tuple[Rule, int, int]]:
        """(rule, start token, end token) of every match, longest first where they overlap
        and otherwise by priority. `lowers`: the tokens' lower-case forms, where the caller
        has them already (one sentence is matched against several sections)."""
        sec = self.matcher(section)
        lowers = lowers if lowers is not None else [t.lower_ for t in tokens]
        present = set(lowers)
        found = []
        # by rule, in rule order (the candidates come in it): its matches, whichever of its
        # patterns made them (one match each, as one Matcher of all of them gives it)
        spans: dict[str, tuple[Rule, set[tuple[int, int]]]] = {}
        for k in sec.candidates(present):
            rule, pat = sec.multi[k]
            spans.setdefault(rule.id, (rule, set()))[1].update(pat.run(tokens, lowers))
        for rule, got in spans.values():
            found += [(rule, s, e) for s, e in sorted(got)]
        single = sec.single
        for i, word in enumerate(lowers):
            for rule in single.get(word, ()):
                found.append((rule, i, i + 1))
        found.sort(key=lambda x: (x[1], -(x[2] - x[1]), x[0].priority))
        return found

    def words(self, key: str) -> frozenset[str]:
        """A plain word list of the file (lower-cased)."""
        return frozenset(str(w).lower() for w in self.data.get(key) or [])

    def all_rules(self) -> Iterable[Rule]:
        for rules in self.sections.values():
            yield from rules


def rules_dir() -> Path:
    """data/rules/, wherever the resources module finds data/."""
    return resources.data("rules")


def load_ruleset(name: str, lang: str, folder: Path | None = None) -> RuleSet | None:
    """`data/rules/<name>.<lang>.yaml`, or None when the language has no such file."""
    return _load_ruleset(name, lang, folder or rules_dir())


@lru_cache(maxsize=32)
def _load_ruleset(name: str, lang: str, folder: Path) -> RuleSet | None:
    path = folder / f"{name}.{lang}.yaml"
    if not path.exists():
        return None
    return RuleSet(path)


def scan_pattern(terms: Iterable[str]) -> re.Pattern[str]:
    """One alternation of terms, to find candidate sentences before tokenising them."""
    alts = sorted({re.escape(t.lower()) for t in terms if t}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alts or ["(?!)"]) + ")", re.I)
