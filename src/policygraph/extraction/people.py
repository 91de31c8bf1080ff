"""What a person looks like (data/rules/people.yaml): role words, words never in a name, and
the rules that find a person by the role written next to the name ("FBI Director Christopher
Wray", "Thomas Drake, a whistleblower …", "the home secretary, Priti Patel,")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import resources
from ..errors import DataError

__all__ = ["PeopleRules", "RolePerson", "load_people_rules"]

_NAME_TOKEN = re.compile(
    r"[A-Z](?=.*[a-z])[\w'’.-]*|[A-Z]\.|II|III|IV|Jr\.?|Sr\.?"
    r"|von|van|der|den|de|da|di|del|la|le|bin|al|ibn"  # particles: "Ursula von der Leyen"
)


@dataclass(frozen=True)
class RolePerson:
    name: str
    start: int
    end: int
    role: str
    rule: str


@dataclass(frozen=True)
class PeopleRule:
    id: str
    pattern: re.Pattern[str]
    examples: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class PeopleRules:
    rules: tuple[PeopleRule, ...]
    role_words: frozenset[str]  # case-folded
    not_in_names: frozenset[str]
    capitalised_roles: str = ""  # a regex alternation: "Director|Chair|Attorney-General|…"
    compound_roles: tuple[str, ...] = ()  # "minister": "justitieminister" is a role

    def is_role_word(self, word: str) -> bool:
        w = word.casefold().strip(",.'’")
        return w in self.role_words or (len(w) > 6 and w.endswith(self.compound_roles))

    def name_shape(self, name: str) -> bool:
        """Two to four capitalised words (each with a lower-case letter, but for initials and
        "II", "IV"), none of them a word never in a name or a role word."""
        tokens = name.split()
        return (
            2 <= len(tokens) <= 5
            and all(_NAME_TOKEN.fullmatch(t) for t in tokens)
            and not any(t.strip(".,'’") in self.not_in_names for t in tokens)
            and not any(self.is_role_word(t) for t in tokens)
        )

    def words_of_a_name(self, name: str) -> bool:
        """Every word could be part of a person's name (shape, and no word never in one), and
        the last is no role word ("Prime Minister")."""
        words = name.split()
        return (
            bool(words)
            and not self.is_role_word(words[-1])
            and all(
                _NAME_TOKEN.fullmatch(t) and t.strip(".,'’") not in self.not_in_names for t in words
            )
        )

    def trim(self, name: str, role: str) -> tuple[str, str, int]:
        """ "Rights Michelle Bachelet" after "UN High Commissioner for Human": the words that
        cannot begin a name go to the role; (name, role, characters cut)."""
        cut = 0
        words = name.split()
        while len(words) > 2 and (words[0] in self.not_in_names or self.is_role_word(words[0])):
            role = f"{role} {words[0]}"
            cut = name.index(words[1], cut + len(words[0]))
            words = words[1:]
        return name[cut:], role, cut

    def role_people(self, text: str) -> Iterator[RolePerson]:
        for rule in self.rules:
            for m in rule.pattern.finditer(text):
                if "names" in m.groupdict():
                    yield from self._listed(m, rule.id)
                    continue
                name = re.sub(r"['’]s$", "", m.group("name"))
                name, role, cut = self.trim(name, m.group("role").strip(" ,"))
                if self.name_shape(name):
                    start = m.start("name") + cut
                    yield RolePerson(name, start, start + len(name), role, rule.id)

    def _listed(self, m: re.Match[str], rule: str) -> Iterator[RolePerson]:
        """ "Senators Booker, Harris and Warren": each surname, with the role made singular."""
        role = m.group("role")[:-1]
        for name in re.finditer(r"[A-Z][\w'’-]+", m.group("names")):
            if name.group(0) not in self.not_in_names:
                start = m.start("names") + name.start()
                yield RolePerson(name.group(0), start, start + len(name.group(0)), role, rule)


def _capitalised(word: str) -> str:
    """ "attorney-general" → "Attorney-General"."""
    return "-".join(p[:1].upper() + p[1:] for p in word.split("-"))


def load_people_rules(path: Path | None = None) -> PeopleRules:
    """The rules of `path`, or of data/rules/people.yaml wherever the resources module finds data/
    (cached per path, so an override is seen)."""
    return _load_people_rules(path or resources.data("rules/people.yaml"))


@lru_cache(maxsize=4)
def _load_people_rules(path: Path) -> PeopleRules:
    data = resources.load_yaml(path, "the people rules", DataError) or {}
    words = [str(w) for w in data.get("role_words") or ()]
    # a role word as written or capitalised ("director", "Director"), longest first
    forms = sorted({f for w in words for f in (w, _capitalised(w))}, key=len, reverse=True)
    macros = {str(k): str(v).strip() for k, v in (data.get("macros") or {}).items()}
    macros["ROLE"] = "|".join(re.escape(f) for f in forms)
    compounds = tuple(str(w) for w in data.get("compound_roles") or ())
    macros["COMPOUND"] = rf"(?:[^\W\d_]+(?:{'|'.join(re.escape(w) for w in compounds)}))"
    rules = []
    for i, item in enumerate(data.get("rules") or []):
        if not isinstance(item, dict) or not item.get("id") or "pattern" not in item:
            raise DataError(f"{path}: rule {i + 1} needs an id and a pattern")
        pattern = re.sub(
            r"\{([A-Z]+)\}", lambda m: macros.get(m.group(1), m.group(0)), str(item["pattern"])
        )
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise DataError(f"{path}: rule {item['id']}: bad pattern: {exc}") from exc
        rules.append(PeopleRule(str(item["id"]), compiled, tuple(item.get("examples") or ())))
    return PeopleRules(
        rules=tuple(rules),
        role_words=frozenset(w.casefold() for w in words),
        not_in_names=frozenset(str(w) for w in data.get("not_in_names") or ()),
        compound_roles=compounds,
        capitalised_roles="|".join(
            re.escape(w) for w in sorted({_capitalised(w) for w in words}, key=len, reverse=True)
        ),
    )
