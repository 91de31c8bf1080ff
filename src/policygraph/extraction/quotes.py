"""Quoted speech and who said it, by the attribution rules of data/rules/speakers.yaml
(speakers.py): "…," said X / X said: "…" / "…," X, the Y's Z, tells W / according to X / the
following can be attributed to X.

A quote may run over several paragraphs (each opens with a quote mark, only the last
closes); a quote with no attribution that follows a speaker's quotes in the next paragraphs
is given to that speaker (inferred, lower confidence): media releases quote one person over
several paragraphs. "He said" / "she added" is the last person quoted just before. Short
quoted phrases without a speaking verb are scare quotes, not quotes. A speaker must be an
actor the text names (an organisation, or a person with a full name, or written by a surname
the document gives in full): never a lone capitalised word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import ActorKind, Document, Mention, Span
from .gazetteer import load_gazetteer
from .people import load_people_rules
from .speakers import SpeakerRule, SpeakerRules, load_speaker_rules

__all__ = ["RawQuote", "find_quotes"]

_OPEN = '“"'
_CLOSE = '”"'
_PRONOUNS = {"he", "she"}
# "The letter to Facebook said": a name after a preposition is not who speaks
_OBJECT = re.compile(
    r"\b(?:to|for|with|from|by|at|of|on|about|against|into|than)\s+(?:the\s+|an?\s+)?$", re.I
)
_INFERRED = "quote.inferred.continuation"


@dataclass(frozen=True)
class RawQuote:
    start: int  # inner text, without the quote marks
    end: int
    speaker: str
    speaker_kind: ActorKind
    speaker_mention: Mention | None
    inferred: bool
    rule: str = ""


@dataclass(frozen=True)
class _Said:
    speaker: str
    kind: ActorKind
    mention: Mention | None
    rule: str


def _dash_quote(line: str, verb: re.Pattern[str]) -> tuple[int, int] | None:
    """ "– Vi måste agera nu, säger Ada Quist.": (start, end) of the words after the dash, up
    to the comma before the speaking verb (or the line's end)."""
    m = re.match(r"\s*[–—]\s+(?=\w)", line)
    if m is None or any(c in line for c in '“”"'):
        return None
    said = None
    for c in re.finditer(r",\s+", line):
        if verb.match(line, c.end()):
            said = c.start()
    return m.end(), said if said is not None else len(line.rstrip())


def _pairs(text: str, verb: re.Pattern[str]) -> list[tuple[int, int, int, bool]]:
    """(inner start, inner end, line index, continued) of quote-mark pairs. Quotes stay on
    their line; curly quotes nest (“a “b” c”); a quote still open at the end of its
    paragraph runs to the paragraph's end, and the paragraphs after it without a quote mark
    of their own are more of it, up to the one that closes it (`continued`)."""
    out: list[tuple[int, int, int, bool]] = []
    pos = 0
    carried = False  # a quote opened in an earlier paragraph is still open
    for line_no, line in enumerate(text.split("\n")):
        dash = _dash_quote(line, verb)
        if dash is not None and len(line[dash[0] : dash[1]].split()) >= 3:
            out.append((pos + dash[0], pos + dash[1], line_no, False))
            pos += len(line) + 1
            continue
        opened: int | None = None
        depth = 0
        continued = carried and bool(line.strip()) and not any(c in _OPEN for c in line[:1])
        if carried and line.strip() and line.lstrip()[:1] not in _OPEN:
            opened, depth = len(line) - len(line.lstrip()) - 1, 1
        carried = carried and not line.strip()
        for i, ch in enumerate(line):
            if opened is not None and i <= opened:
                continue
            starts = i == 0 or not line[i - 1].isalnum()
            if opened is None and ch in _OPEN and starts:
                opened, depth = i, 1
            elif opened is not None and ch == "“" and starts:
                depth += 1
            elif opened is not None and ch in _CLOSE:
                depth -= 1
                if depth <= 0 or ch == '"':
                    out.append((pos + opened + 1, pos + i, line_no, continued))
                    opened, continued = None, False
        if opened is not None and len(line[opened + 1 :].split()) >= 8:
            out.append((pos + opened + 1, pos + len(line.rstrip()), line_no, continued))
            # only a quote that opens its paragraph goes on in the next ones
            carried = continued or (
                line[max(opened, 0) : opened + 1] == "“" and not line[:opened].strip()
            )
        pos += len(line) + 1
    return out


def _mention_at(mentions: tuple[Mention, ...], start: int, end: int) -> Mention | None:
    best = None
    for m in mentions:
        if (
            m.span.start < end
            and start < m.span.end
            and (best is None or len(m.name) > len(best.name))
        ):
            best = m
    return best


class _Attributor:
    """Applies the rules to one document, knowing its mentions and the full names of the
    people it names (so that "Schneier said" is Bruce Schneier)."""

    def __init__(self, doc: Document, mentions: tuple[Mention, ...], rules: SpeakerRules):
        self.doc = doc
        self.text = doc.text
        self.mentions = mentions
        self.rules = rules
        self.org_heads = load_gazetteer().org_heads  # "… Society", "… Foundation": a body
        self.full: dict[str, str] = {}
        for m in mentions:
            if m.kind == "person" and len(m.name.split()) >= 2:
                self.know(m.name)

    def know(self, person: str) -> None:
        words = person.replace("’", "'").split()
        self.full.setdefault(words[-1], person)
        self.full.setdefault(words[0], person)
        if len(words) >= 3:  # "Singleton Norton"
            self.full.setdefault(" ".join(words[-2:]), person)
        self.full.setdefault(" ".join(words), person)

    def match(self, rule: SpeakerRule, text: str, base: int) -> _Said | None:
        m = rule.pattern.search(text)
        if m is None:
            return None
        speaker = m.group("speaker")
        if speaker.casefold() in _PRONOUNS:
            return _Said(speaker.casefold(), "person", None, rule.id)
        lead = m.groupdict().get("lead") or ""
        role = m.groupdict().get("role")
        if _OBJECT.search(lead):
            return None
        return self.speaker(speaker, base + m.start("speaker"), lead, role, rule)

    def speaker(
        self, written: str, start: int, lead: str, role: str | None, rule: SpeakerRule
    ) -> _Said | None:
        split = self.rules.split(lead, written, role)
        name = re.sub(r"['’]s$", "", split.name.rstrip(".,"))
        start += split.offset
        the = re.match(r"The\s+(?=[A-Z])", name)  # "The Open Lantern Society"
        if the:
            name, start = name[the.end() :], start + the.end()
        mention = _mention_at(self.mentions, start, start + len(name))
        if (
            mention is not None
            and mention.kind != "person"
            and (rule.kind == "organisation" or name in mention.name)
        ):
            return _Said(mention.name, mention.kind, mention, rule.id)
        tokens = name.split()
        if rule.kind == "organisation" or (tokens and tokens[-1] in self.org_heads):
            return _Said(name, "organisation", None, rule.id) if len(name) > 1 else None
        if not tokens or tokens[0] in self.rules.not_names:
            return None
        full = self.full.get(name.replace("’", "'"))
        if full is None:
            if mention is not None and mention.kind == "person" and len(mention.name.split()) > 1:
                full = mention.name
            elif 2 <= len(tokens) <= 4 and load_people_rules().words_of_a_name(name):
                if self.rules.is_role(name):  # "Spotify CEO", "Former Director"
                    return None
                full = name
            else:
                return None  # a lone capitalised word is not a person
        known = next((x for x in self.mentions if x.name == full and x.affiliation), None)
        said = Mention(
            full,
            "person",
            Span(start, start + len(name), self.text[start : start + len(name)]),
            role=split.role or (known.role if known else None),
            affiliation=split.affiliation or (known.affiliation if known else None),
            rule=rule.id,
        )
        self.know(full)
        return _Said(full, "person", said, rule.id)

    def attribute(self, start: int, end: int, line_start: int) -> _Said | None:
        after = self.text[end + 1 : end + 240].split("\n")[0]
        before = self.text[line_start : max(line_start, start - 1)]
        before = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", before)[-1] if before.strip() else ""
        words = len(self.text[start:end].split())
        for rule in self.rules.rules:
            if words < rule.min_words or rule.where in ("subject", "signature"):
                said = None
            elif rule.where == "after":
                said = self.match(rule, after, end + 1)
            else:  # "before" and "heading" read the same text
                said = self.match(rule, before, start - 1 - len(before))
            if said is not None:
                return said
        return None

    def subject(self, para_start: int, start: int, rule: str) -> _Said | None:
        """ "Ada Quist, the minister, said … . Writing later, she added: “…”": the person a
        sentence of the paragraph before the quote says something."""
        found = None
        # quote marks blanked (same length, same offsets): "… calling for a “more balanced
        # debate”." is still a sentence that says who speaks
        para = re.sub(r"[“”\"]", " ", self.text[para_start:start])
        for sentence in re.finditer(r"[^.!?]+[.!?]?", para):
            for r in self.rules.where("before"):
                if r.id.endswith("clause"):
                    said = self.match(r, sentence.group(0), para_start + sentence.start())
                    if said is not None and said.kind == "person" and said.speaker not in _PRONOUNS:
                        found = _Said(said.speaker, said.kind, said.mention, rule)
        return found

    def paragraph_subject(self, line: str, line_start: int, rule: str) -> _Said | None:
        """ "Labor member Ed Husic detailed …": the person a paragraph starts with."""
        for r in self.rules.where("subject"):
            said = self.match(r, line, line_start)
            if said is not None and said.kind == "person" and said.speaker not in _PRONOUNS:
                return _Said(said.speaker, said.kind, said.mention, rule)
        return None

    def signed_posts(self, lines: list[str], line_starts: list[int]) -> list[RawQuote]:
        """Embedded posts: the line above a signature ("— Ada Quist (@adaq) May 2, 2016") is
        its author's words. The signature names the author, so one word is a name here."""
        out: list[RawQuote] = []
        for i, line in enumerate(lines):
            for rule in self.rules.where("signature"):
                m = rule.pattern.match(line)
                prev = next((j for j in range(i - 1, -1, -1) if lines[j].strip()), None)
                if m is None or prev is None or len(lines[prev].split()) < 3:
                    continue
                name = m.group("speaker").strip()
                at = line_starts[i] + m.start("speaker")
                who = Mention(name, "person", Span(at, at + len(name), name), rule=rule.id)
                start = line_starts[prev] + len(lines[prev]) - len(lines[prev].lstrip())
                end = line_starts[prev] + len(lines[prev].rstrip())
                out.append(RawQuote(start, end, name, "person", who, False, rule.id))
                break
        return out

    def heading(self, line: str, line_start: int) -> _Said | None:
        for rule in self.rules.where("heading"):
            said = self.match(rule, line.rstrip(), line_start)
            if said is not None:
                return said
        return None


def find_quotes(
    doc: Document, mentions: tuple[Mention, ...], rules: SpeakerRules | None = None
) -> list[RawQuote]:
    """The document's quotes with their speakers. Two passes: the first learns the full names
    of the people quoted, so that a quote given by surname before the full name still
    finds its speaker."""
    rules = rules or load_speaker_rules()
    att = _Attributor(doc, mentions, rules)
    pairs = _pairs(doc.text, rules.verb)
    _quotes(doc, att, pairs)
    quotes = _quotes(doc, att, pairs)
    lines = doc.text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    posts = [
        p
        for p in att.signed_posts(lines, starts)
        if not doc.in_boilerplate(p.start, p.end)
        and not any(q.start < p.end and p.start < q.end for q in quotes)
    ]
    return sorted([*quotes, *posts], key=lambda q: q.start)


def _quotes(
    doc: Document, att: _Attributor, pairs: list[tuple[int, int, int, bool]]
) -> list[RawQuote]:
    text = doc.text
    lines = text.split("\n")
    line_starts = [0]
    for line in lines:
        line_starts.append(line_starts[-1] + len(line) + 1)
    heads: dict[int, _Said | None] = {
        i: None for i, line in enumerate(lines) if re.match(r"\s*(?:#|\*\*[^*]+\*\*\s*$)", line)
    }
    for i, line in enumerate(lines):
        if line.strip() and not _is_quote_line(line):
            said = att.heading(line, line_starts[i])
            if said is not None:
                heads[i] = said
    quotes: list[RawQuote] = []
    last: RawQuote | None = None
    last_line = -10
    for start, end, line_no, continued in pairs:
        if doc.in_boilerplate(start, end):
            continue
        words = len(text[start:end].split())
        said = att.attribute(start, end, line_starts[line_no])
        inferred = False
        if said is not None and said.speaker in _PRONOUNS:
            said = _pronoun(att, lines, line_starts, line_no, start, said.rule, last, last_line)
        starts_line = continued or _is_quote_line(lines[line_no])
        if said is None and last is not None:
            said = _continuation(lines, line_no, words, starts_line, last, last_line)
            inferred = said is not None and line_no != last_line
        if said is None and words >= 8 and starts_line:
            above = [h for h in heads if h < line_no]
            said = heads[max(above)] if above else None
        if said is None:
            continue
        q = RawQuote(start, end, said.speaker, said.kind, said.mention, inferred, said.rule)
        quotes.append(q)
        last, last_line = q, line_no
    return quotes


def _pronoun(
    att: _Attributor,
    lines: list[str],
    line_starts: list[int],
    line_no: int,
    start: int,
    rule: str,
    last: RawQuote | None,
    last_line: int,
) -> _Said | None:
    """ "he said": the person a sentence before it in its paragraph says something; else the
    person the paragraph before starts with; else the person quoted last (four paragraphs at
    most)."""
    said = att.subject(line_starts[line_no], start, rule)
    prev = next((i for i in range(line_no - 1, -1, -1) if lines[i].strip()), None)
    if said is None and prev is not None and prev != last_line and not _is_quote_line(lines[prev]):
        said = att.paragraph_subject(lines[prev], line_starts[prev], rule)
    return said or _recent(last, _paragraphs(lines, last_line, line_no), rule)


def _continuation(
    lines: list[str], line_no: int, words: int, starts_line: bool, last: RawQuote, last_line: int
) -> _Said | None:
    """A quote without attribution in the speaker's paragraph, or in a quote paragraph right
    after it, is more of the same speaker's words."""
    same_para = line_no == last_line
    whole = starts_line and lines[line_no].rstrip().rstrip("_*").endswith(tuple(_CLOSE))
    if not (words >= 8 or (words >= 3 and (same_para or whole))):
        return None
    next_para = line_no - last_line <= 2 and not any(
        lines[i].strip() and not _is_quote_line(lines[i]) for i in range(last_line + 1, line_no)
    )
    if same_para or (next_para and starts_line):
        return _Said(last.speaker, last.speaker_kind, last.speaker_mention, _INFERRED)
    return None


def _paragraphs(lines: list[str], first: int, last: int) -> int:
    """How many paragraphs on from line `first` line `last` is."""
    return sum(1 for i in range(first + 1, last + 1) if i >= 0 and lines[i].strip())


def _recent(last: RawQuote | None, paragraphs: int, rule: str) -> _Said | None:
    """ "he said": the person quoted last, if within the last four paragraphs."""
    if last is None or last.speaker_kind != "person" or paragraphs > 4:
        return None
    return _Said(last.speaker, last.speaker_kind, last.speaker_mention, rule)


def _is_quote_line(line: str) -> bool:
    s = line.strip().lstrip("_*>")
    return bool(s) and s[0] in _OPEN
