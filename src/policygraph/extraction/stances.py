"""Stances: which actor stands where on each topic of the scheme, and the sentence that says so.

Two readers, in this order:
1. the general stance grammar (grammar.py, rules in data/rules/stances.<lang>.yaml and the
   topic lexicon data/rules/lexicon.<lang>.yaml): HOLDER + PREDICATE + TARGET, for every topic
   the lexicon names, with negation, conditionals, flips and reported speech; the finding's
   `rule` is the predicate's rule id;
2. the topic cue phrases of ontology/topics.ttl (English only), for the topics and sentences
   the grammar did not read: a cue matched in a sentence on its topic gives the position
   (rule `stance.cue.<topic>.<position>`); a negation just before a cue flips it.
Who holds a stance is decided by stance_holders.py (subject actor, quote speaker, the letter's
"we", the author's "we", a letter's "you", a plural anaphor); a cue may name its holder in a
`holder` group ("attempts by the Five Eyes to ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import replace as dc_replace

from ..models import Position, Span, StanceFinding
from ..topics import Cue, Topic, TopicScheme
from .gazetteer import load_gazetteer
from .grammar import Claim, Grammar, grammar_for
from .quotes import RawQuote
from .sentences import Sentence
from .stance_holders import (
    _FIRST_PERSON,
    _OBJECT_BEFORE,
    _REPORTED,
    LETTER_HOLDER,
    Holder,
    HolderFinder,
    StanceContext,
    _holders_from,
    speech_patterns,
)

__all__ = ["LETTER_HOLDER", "StanceContext", "find_stances"]

_NEGATION = re.compile(
    r"\b(?:not(?!\s+only\b)|never|no longer|n't|cannot|nor)\s+(?:\w+\s+){0,2}$", re.I
)
_CONDITIONAL = re.compile(r"^\W*(?:even\s+)?(?:if|unless|whether)\b[^,;:]*$", re.I)
# "ensure that encryption does not impede ...": a negated verb after the predicate's target
# turns what is asked around in a way the grammar does not read; no stance is taken from it
_LATER_NEGATION = re.compile(
    r"\b(?:(?:does|do|did|is|are|was|were|will|would|should|must|can|could|may)\s+not|"
    r"doesn['’]t|don['’]t|won['’]t|isn['’]t|aren['’]t|cannot|can['’]t|shouldn['’]t)\s+\w+",
    re.I,
)
# "Meta said it would delay its encryption plans": putting off one's own measure is a matter of
# time, not a stance against it; "urged Facebook to delay its plans" still asks for it
_OWN_DELAY = re.compile(r"^(?:delay|postpone|pause|defer)\w*\s+(?:its|their|our|his|her)\b", re.I)
_ASKED = re.compile(r"\b(?:urg|ask|request|call\w* on|press|push|want|demand)\w*\b", re.I)
# a line break after a line that does not run on (no lowercase word or comma at its end)
_LINE_BREAK = re.compile(r"(?<![a-z,;])\n")


class _Finder(HolderFinder):
    def __init__(self, ctx: StanceContext, scheme: TopicScheme) -> None:
        super().__init__(ctx)
        self.scheme = scheme
        self.title = ctx.doc.meta.title or ""
        self.paragraphs: dict[int, str] = {}
        self._scope: dict[tuple[str, int], bool] = {}
        g = grammar_for(ctx.language)
        self.unvoiced = _unvoiced(g, ctx.doc.text) if g else []
        self.reporting: frozenset[str] = frozenset()
        if g is not None:
            self.speaks, self.speech = speech_patterns(g.rules.words("speech_verbs"))
            self.reporting = g.rules.words("reported_that")
            self.first_person = g.first_person
        # where an actor's name stands: a predicate word inside one ("Fight for the Future")
        # is part of the name, not a verb
        publisher = ctx.doc.meta.publisher or ""
        self.names = [(m.span.start, m.span.end) for m in ctx.mentions] + [
            (m.start(), m.end())
            for m in (re.finditer(re.escape(publisher), ctx.doc.text) if publisher else ())
        ]
        for s in ctx.sentences:
            self.paragraphs[s.paragraph] = self.paragraphs.get(s.paragraph, "") + " " + s.text

    def skipped(self, s: Sentence) -> bool:
        return self.ctx.doc.in_boilerplate(s.start, s.end)

    def reported_view(self, lead: str) -> bool:
        """A judgement inside what someone else asserts ("the FBI will be back asserting that
        its ability ... has been thwarted by encryption") is theirs, not the voice's; "we argued
        that" is still the voice's own."""
        words = re.findall(r"[\w'’]+", lead.lower())
        return any(
            w in self.reporting
            and words[i + 1] == "that"
            and not self.first_person & set(words[max(0, i - 3) : i])
            for i, w in enumerate(words[:-1])
        )

    def unvoiced_at(self, pos: int) -> bool:
        """In a teaser or an "about us" paragraph: not the document's own voice."""
        return any(a <= pos < b for a, b in self.unvoiced)

    def in_scope(self, topic: Topic, s: Sentence) -> bool:
        if topic.mentions_topic(s.text):
            return True
        key = (topic.notation, s.paragraph)  # the same answer for every sentence of it
        if key not in self._scope:
            self._scope[key] = topic.mentions_topic(
                self.paragraphs[s.paragraph]
            ) or topic.mentions_topic(self.title)
        return self._scope[key]

    def holders(self, cue: Cue, match: re.Match[str], s: Sentence) -> list[Holder]:
        start = s.start + match.start()
        if cue.names_holder:
            g0, g1 = s.start + match.start("holder"), s.start + match.end("holder")
            named = self.mentions_in(g0, g1) or [
                m for m in self.ctx.mentions if m.span.start < g1 and g0 < m.span.end
            ]
            if not named:
                gaz, word = load_gazetteer(), match.group("holder").strip()
                country = gaz.countries.get(word) or gaz.adjectives.get(word)
                if country:
                    return [Holder(country, "government", "reported", 0.7)]
            return _holders_from(named, "reported", 0.7)
        q = self.quote_at(start)
        c = self.continued(start) if q is None else None
        if c is not None:
            return [Holder(c.speaker, c.speaker_kind, "stated", 0.6)]
        if q is not None:
            out = [Holder(q.speaker, q.speaker_kind, "stated", 0.6 if q.inferred else 0.85)]
            org = q.speaker_mention.affiliation if q.speaker_mention else None
            if org:
                out.append(Holder(org, "organisation", "reported", 0.6))
            return out
        region = self.ctx.letter_region
        if region and region[0] <= start < region[1]:
            you = re.search(r"(?<![Ii]f )\byou\b(?!['’]d)", self.text[s.start : start])
            you_obj = you and _OBJECT_BEFORE.search(self.text[s.start : s.start + you.start()])
            if you and not you_obj:
                # "you authorised ...": the addressee's own act, never the letter's stance
                return _holders_from(self.ctx.addressees, "reported", 0.7)
            named = self.subject_candidates(s, start)
            if named:
                return _holders_from(named, "reported", 0.7)
            if self.ctx.letter and self.ctx.letter.signatories:
                # the letter's own stance (each signatory's through its signature), and its
                # authors' where the letter names them apart from the signers
                authors = [
                    Holder(a, "organisation", "authorship", 0.8) for a in self.ctx.letter.authors
                ]
                return [Holder(LETTER_HOLDER, None, "stated", 0.85), *authors]
        own = _FIRST_PERSON.search(self.text, s.start, start)
        named = self.subject_candidates(s, own.start() if own else start)
        if named:
            return _holders_from(named, "reported", 0.7)
        if own and self.ctx.doc.meta.publisher:
            return self.authors(0.75, s.text)  # "We urge X to ...", "we believe that X ..."
        group = self.anaphor(s, start) or self.anaphor(s, s.end)
        if not group:
            prev = [
                p for p in self.ctx.sentences if p.paragraph == s.paragraph and p.end <= s.start
            ]
            if prev and prev[-1].text.endswith("?"):
                group = self.anaphor(prev[-1], prev[-1].end)
        if group:
            return _holders_from(group, "reported", 0.6)
        if _FIRST_PERSON.search(s.text):
            return self.authors(0.75, s.text)
        if not _REPORTED.search(s.text) and self.ctx.doc.meta.authors:
            return self.authors(0.5, s.text)
        return []

    def grammar(
        self,
    ) -> tuple[list[tuple[StanceFinding, RawQuote | None]], set[tuple[int, str, str]]]:
        """Stances the general grammar reads, and the (sentence, topic, holder) it read."""
        g = grammar_for(self.ctx.language)
        out: list[tuple[StanceFinding, RawQuote | None]] = []
        covered: set[tuple[int, str, str]] = set()
        seen: set[tuple[str, str, str, int]] = set()
        if g is None:
            return out, covered
        known = set(self.scheme.notations)
        self.first_person = g.first_person
        self.imperative = g.imperative
        for s in self.ctx.sentences:
            if not g.candidate(s.text) or self.skipped(s) or s.text.rstrip().endswith("?"):
                continue  # a question asks, it does not state (nor its lines one by one)
            for claim in _read_lines(g, s.text):
                at = s.start + claim.at
                if claim.topic not in known or self.unvoiced_at(at):
                    continue
                if any(a <= at < b for a, b in self.names):
                    continue
                if _LATER_NEGATION.search(re.split(r"[;:.!?]", s.text[claim.at :])[0]):
                    continue
                own = _OWN_DELAY.match(s.text[claim.at :])
                if own and not _ASKED.search(s.text[claim.line : claim.at]):
                    continue
                if claim.voice and self.reported_view(s.text[claim.line : claim.at]):
                    continue
                q = self.quote_at(s.start + claim.at)
                for h in self.claim_holders(claim, s):
                    covered.add((s.start, claim.topic, h.name))
                    spoken = q if q and h.name == q.speaker else None
                    if q and not spoken and h.attribution == "reported":
                        continue  # a third party in a speaker's words: the speaker's account
                    conf = round(min(h.confidence, claim.confidence), 2)
                    _add(
                        out,
                        seen,
                        _Said(h, claim.topic, claim.position, conf, claim.rule),
                        s,
                        spoken,
                    )
        return out, covered

    def run(self) -> list[tuple[StanceFinding, RawQuote | None]]:
        out, covered = self.grammar()
        seen: set[tuple[str, str, str, int]] = {
            (f.holder, f.topic, f.position, id(q)) for f, q in out
        }
        if self.ctx.language != "en":
            return out  # the topic cues below are English phrasings
        for s in self.ctx.sentences:
            if self.skipped(s):
                continue
            for topic in self.scheme.topics:
                if not topic.may_cue(s.text) or not self.in_scope(topic, s):
                    continue
                used: list[tuple[int, int]] = []
                for cue in topic.cues_for(s.text):  # those that may match it
                    for match in cue.pattern.finditer(s.text):
                        a, b = match.span()
                        if not cue.names_holder:
                            # a holder cue names someone else: it does not block the speaker's
                            if any(x < b and a < y for x, y in used):
                                continue
                            used.append((a, b))
                        if self.unvoiced_at(s.start + a):
                            continue
                        if _CONDITIONAL.match(s.text[:a]):
                            continue  # "Even if X were compelled to ...": not asserted
                        position: Position = cue.position  # type: ignore[assignment]
                        negated = _NEGATION.search(s.text[max(0, a - 30) : a])
                        if negated and not re.search(r"\bnot\b|n't", cue.pattern.pattern):
                            position = "oppose" if position == "support" else "support"
                        q = self.quote_at(s.start + a)
                        for h in self.holders(cue, match, s):
                            if (s.start, topic.notation, h.name) in covered:
                                continue  # the grammar read this holder here: it has the say
                            spoken = q if q and h.name == q.speaker else None
                            rule = f"stance.cue.{topic.notation}.{cue.position}"
                            said = _Said(h, topic.notation, position, h.confidence, rule)
                            _add(out, seen, said, s, spoken)
        return out


@dataclass(frozen=True)
class _Said:
    """What one reader found a holder to hold in a sentence, before it becomes a finding."""

    holder: Holder
    topic: str
    position: Position
    confidence: float
    rule: str


def _add(
    out: list[tuple[StanceFinding, RawQuote | None]],
    seen: set[tuple[str, str, str, int]],
    said: _Said,
    s: Sentence,
    spoken: RawQuote | None,
) -> None:
    """The one place a stance finding is made: once per holder, topic, position and quote."""
    h = said.holder
    key = (h.name, said.topic, said.position, id(spoken))
    if key in seen:
        return
    seen.add(key)
    finding = StanceFinding(
        holder=h.name,
        topic=said.topic,
        position=said.position,
        evidence=Span(s.start, s.end, s.text),
        attribution=h.attribution,
        confidence=said.confidence,
        holder_kind=h.kind,
        rule=said.rule,
    )
    out.append((finding, spoken))


def _unvoiced(g: Grammar, text: str) -> list[tuple[int, int]]:
    """Stretches of a document that are not its own voice: teasers for other articles and
    the "about us" paragraph after a press release's end mark (word lists of the grammar)."""
    out: list[tuple[int, int]] = []
    after_mark = False
    for line in re.finditer(r"[^\n]+", text):
        head = line.group(0).strip().lower()
        if head in g.teaser_sections:
            out.append((line.start(), len(text)))
            break
        if head.startswith(tuple(g.teaser_lines)):
            out.append((line.start(), line.end()))
        elif after_mark:
            verb = next((w for w in head.split()[1:8] if w in g.about_verbs), None)
            if verb and head[:1].isalnum():
                out.append((line.start(), line.end()))
        after_mark = head in g.about_after
    return out


def _read_lines(g: Grammar, text: str) -> list[Claim]:
    """A sentence joined from lines that are not prose (a heading, a byline, a teaser over
    the next line) is read line by line: a predicate does not reach across them."""
    out: list[Claim] = []
    offset = 0
    for piece in _LINE_BREAK.split(text):
        # a hard-wrapped line (PDF, plain text) runs on: its break is a space, so that a term
        # wrapped across it ("end-to-end\nencryption") is still one term; same length, so the
        # offsets stay exact
        claims = g.read(piece.replace("\n", " ")) if piece.strip() else []
        out += [dc_replace(c, at=c.at + offset, line=offset) for c in claims]
        offset += len(piece) + 1
    return out


def find_stances(
    ctx: StanceContext, scheme: TopicScheme
) -> list[tuple[StanceFinding, RawQuote | None]]:
    """Stances with, for those a quote's speaker states, the quote they come from."""
    return _Finder(ctx, scheme).run()
