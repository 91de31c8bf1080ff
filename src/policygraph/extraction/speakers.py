"""Speaker attribution rules (data/rules/speakers.yaml) and the split of what they capture into
a name, a role and an affiliation ("Kestrel Network director Maya Lind", "Dana Holt, the
regulator's executive director of innovation").

The rules are data: each has an id (the quote's `rule`), a place to read (`after` the closing
quote mark, the sentence `before` the opening one, or a `heading` line above the quotes) and
a pattern; they are tried in file order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from .. import resources
from ..errors import DataError
from .people import load_people_rules

__all__ = [
    "SpeakerRule",
    "SpeakerRules",
    "Split",
    "load_speaker_rules",
]

Where = Literal["after", "before", "heading", "subject", "signature"]
WHERES = ("after", "before", "heading", "subject", "signature")
_SUFFIXES = {"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"}
_ARTICLE = re.compile(r"^(?:then|now|by|and|but|while|the|a|an)\s+", re.IGNORECASE)
_OWNER = re.compile(r"^(?:the\s+)?(?P<owner>.+?)['’]s?\s+(?P<rest>.+)$")
_NAME_OF_ORG = re.compile(
    r"^(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3})\s+(?:of|from|at)\s+(?:the\s+)?"
    r"(?P<org>[A-Z].*)$"
)
_OF_ORG = re.compile(r"\s+(?P<prep>at|of|for|with|from|,)\s+(?:the\s+)?(?=[A-Z])")


@dataclass(frozen=True)
class SpeakerRule:
    id: str
    where: Where
    pattern: re.Pattern[str]
    kind: str | None  # "organisation" when the speaker is the body a spokesperson speaks for
    examples: tuple[dict[str, Any], ...]
    min_words: int = 1  # the fewest words of a quote the rule gives a speaker


@dataclass(frozen=True)
class Split:
    name: str
    offset: int  # where the name starts inside the captured speaker text
    role: str | None
    affiliation: str | None


@dataclass(frozen=True)
class SpeakerRules:
    rules: tuple[SpeakerRule, ...]
    not_names: frozenset[str]
    role_prefixes: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()
    verb: re.Pattern[str] = re.compile(r"said")  # the speaking verbs (the VERB macro)

    def where(self, where: Where) -> tuple[SpeakerRule, ...]:
        return tuple(r for r in self.rules if r.where == where)

    def is_role(self, words: str) -> bool:
        """Whether the words hold a role word (one list: data/rules/people.yaml)."""
        people = load_people_rules()
        return any(people.is_role_word(w) for w in re.split(r"[\s/]+", words) if w)

    def split(self, lead: str, speaker: str, role: str | None) -> Split:
        """The name, role and affiliation in a captured `lead` + `speaker` + `role`."""
        speaker = speaker.rstrip(".,") if not re.search(r"\b[A-Z]\.$", speaker) else speaker
        of_org = _NAME_OF_ORG.match(speaker)  # "Ira Vance of the Open Lantern Society"
        if of_org and not self.is_role(of_org.group("name")):
            speaker, role = of_org.group("name"), role or None
            found_role, _ = self._role_of(_ARTICLE.sub("", lead.strip()), None)
            name, offset = self._untitled(speaker)
            return Split(name, offset, found_role, of_org.group("org"))
        tokens = speaker.split()
        offset, name = 0, speaker
        owner = re.match(r"(.+?)['’]s\s+(?=[A-Z])", speaker)  # "Tern Labs's Jo Park"
        affiliation = owner.group(1) if owner else None
        if owner:
            offset, name = owner.end(), speaker[owner.end() :]
            tokens = name.split()
        keep = 3 if len(tokens) >= 3 and (tokens[-1] in _SUFFIXES or tokens[-2][-1:] == ".") else 2
        title = " ".join(tokens[:-keep])
        if len(tokens) > keep and self.is_role(title):  # "Head of Messaging Jo Park"
            offset += name.index(tokens[-keep], len(title))
            name = " ".join(tokens[-keep:])
            lead = f"{lead} {title}"
        lead = _ARTICLE.sub("", lead.strip()).strip()
        found_role, aff = self._role_of(lead, role)
        bare, cut = self._untitled(name)
        return Split(bare, offset + cut, found_role, affiliation or aff)

    def _role_and_body(self, text: str) -> tuple[str, str | None]:
        """ "Executive Director of Media Alliance" → (Executive Director, Media Alliance): the
        first "of/at/for" after a role word; else the last "at" ("Organizer on Justice & Tech
        at MediaJustice"); else all of it is the role ("Manager on Justice Color of Change")."""
        cuts = list(_OF_ORG.finditer(text))
        for c in cuts:
            words = text[: c.start()].split()
            if words and self.is_role(words[-1]):
                return text[: c.start()], text[c.end() :].strip(" ,")
        at = [c for c in cuts if c.group("prep") == "at"]
        if at:
            return text[: at[-1].start()], text[at[-1].end() :].strip(" ,")
        return text, None

    def _untitled(self, name: str) -> tuple[str, int]:
        """ "Ms Citizen" → ("Citizen", 3): the name without the titles before it."""
        cut = 0
        words = name.split()
        while len(words) > 1 and words[0] in self.titles:
            cut = name.index(words[1], cut + len(words[0]))
            words = words[1:]
        return name[cut:], cut

    def _role_of(self, lead: str, appos: str | None) -> tuple[str | None, str | None]:
        """ "the regulator's executive director of innovation" → (executive director of
        innovation, None); "a spokesperson for Tern Labs" → (spokesperson, Tern Labs);
        "Kestrel Network director" → (director, Kestrel Network)."""
        text = _ARTICLE.sub("", (appos or "").strip()).strip().rstrip(".")
        bare_org = re.match(r"^(?:of|from|at|with)\s+(?:the\s+)?(?P<org>[A-Z].*)$", text)
        if bare_org:  # "from Tern Labs"
            return (lead if self.is_role(lead) else None), bare_org.group("org")
        if text and not self.is_role(text):
            caps = all(
                w[:1].isupper() or w in ("of", "for", "the", "and", "&") for w in text.split()
            )
            return (lead or None, text if caps else None)
        role, org = text or None, None
        if text:
            owner = _OWNER.match(text)
            if owner and "'" in text.replace("’", "'") and not self.is_role(owner.group("owner")):
                role = owner.group("rest")
                org = owner.group("owner") if owner.group("owner")[:1].isupper() else None
            else:
                role, org = self._role_and_body(text)
        if role is None and lead:
            # capitalised words before a lower-case role word: the body ("Congress spokesperson")
            m = re.match(r"^(?P<org>(?:[A-Z][\w'’&.-]*\s+)+)(?P<role>[a-z].*)$", lead)
            if m and self.is_role(m.group("role")):
                org = m.group("org").strip()
                if any(w in self.role_prefixes for w in org.split()):
                    return lead, None  # "Opposition leader": all of it is the role
                return m.group("role"), org
            return (lead if self.is_role(lead) else None), None
        return role, org


def _expand(pattern: str, macros: dict[str, str]) -> str:
    for _ in range(3):  # macros may use macros
        pattern = re.sub(r"\{([A-Z]+)\}", lambda m: macros.get(m.group(1), m.group(0)), pattern)
    return pattern


def load_speaker_rules(path: Path | None = None) -> SpeakerRules:
    """The rules of `path`, or of data/rules/speakers.yaml wherever the resources module finds data/
    (cached per path, so an override is seen)."""
    return _load_speaker_rules(path or resources.data("rules/speakers.yaml"))


@lru_cache(maxsize=4)
def _load_speaker_rules(path: Path) -> SpeakerRules:
    data = resources.load_yaml(path, "the speaker rules", DataError) or {}
    macros = {str(k): str(v).strip() for k, v in (data.get("macros") or {}).items()}
    rules: list[SpeakerRule] = []
    for i, item in enumerate(data.get("rules") or []):
        rid = item.get("id") if isinstance(item, dict) else None
        where = item.get("where") if isinstance(item, dict) else None
        if not rid or where not in WHERES or "pattern" not in item:
            raise DataError(
                f"{path}: rule {i + 1} needs an id, a pattern and a where (one of {WHERES})"
            )
        try:
            compiled = re.compile(_expand(str(item["pattern"]), macros))
        except re.error as exc:
            raise DataError(f"{path}: rule {rid}: bad pattern: {exc}") from exc
        examples = tuple(item.get("examples") or ())
        least = int(item.get("min_words") or (1 if where == "after" else 6))
        rules.append(SpeakerRule(str(rid), where, compiled, item.get("kind"), examples, least))
    return SpeakerRules(
        rules=tuple(rules),
        not_names=frozenset(str(w) for w in data.get("not_names") or ()),
        role_prefixes=frozenset(str(w) for w in data.get("role_prefixes") or ()),
        titles=frozenset(str(w) for w in data.get("titles") or ()),
        verb=re.compile(macros.get("VERB", "said")),
    )
