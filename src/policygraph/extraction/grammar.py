"""The stance grammar: PREDICATE + TARGET in one sentence, with negation, conditionals and flips.

`Grammar(lang).read(sentence)` returns `Claim`s: a topic, a position, the rule that read it and
where the predicate starts (the holder is sought before it by stances.py). Predicates and their
polarity come from data/rules/stances.<lang>.yaml, targets from the topic lexicon
data/rules/lexicon.<lang>.yaml. A sentence is tokenised only when the lexicon's plain scan
strings occur in it: most sentences of a document are on no topic and cost a few substring
tests (prefilter.py) before the scan regex.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..errors import DataError
from ..prefilter import LiteralFilter
from .grammar_parts import Claim, Pred, Term, imperative, label_gap, passive_act, pos
from .rules import RuleSet, load_ruleset, scan_pattern

__all__ = ["Claim", "Grammar", "grammar_for"]

# How far a predicate reaches for its target, and how close a harm must stand to its term.
_REACH = 30
_MAX_TOKENS = 150
_HARM_GAP = 3


class Grammar:
    def __init__(self, stances: RuleSet, lexicon: RuleSet) -> None:
        self.rules = stances
        self.lexicon = lexicon
        self.nlp = stances.nlp
        scan = [str(s) for r in lexicon.all_rules() for s in r.attrs.get("scan") or []]
        self.scan = scan_pattern(scan)
        self.scan_words = LiteralFilter(re.compile(re.escape(w), re.I) for w in scan)
        self.negation = stances.words("negation")
        self.conditional = stances.words("conditional")
        self.breaks = stances.words("clause_breaks")
        self.first_person = stances.words("first_person")
        self.exceptive = stances.words("exceptive")
        self.nominal_before = stances.words("nominal_before")
        self.subject_gap = stances.words("subject_gap")
        self.generic_before = stances.words("generic_before")
        self.that_stops = stances.words("that_stops")
        self.judgement_gap = stances.words("judgement_gap")
        # the be-verbs a predicative judgement needs ("X is highly invasive")
        self.copula = stances.words("copula") or frozenset({"is", "are", "was", "were", "be", "'s"})
        self.noun_before = stances.words("noun_before")
        self.modal = stances.words("modal")
        self.imperative = stances.words("imperative")
        self.teaser_lines = stances.words("teaser_lines")
        self.teaser_sections = stances.words("teaser_sections")
        self.about_after = stances.words("about_after")
        self.about_verbs = stances.words("about_verbs")
        # per sentence being read: its tokens' lower-case forms, predicates in title case
        self._lowers: list[str] = []
        self._titled: list[int] = []

    def candidate(self, text: str) -> bool:
        # a scan string wrapped across a hard line break ("routine\nmonitoring") still counts
        text = text.replace("\n", " ")
        return self.scan_words.may_match(text) and self.scan.search(text) is not None

    def _terms(self, toks: Any, harms: list[tuple[int, int]], found: list[Any]) -> list[Term]:
        out: list[Term] = []
        taken: set[int] = set()
        for rule, s, e in found:
            if taken & set(range(s, e)):
                continue  # the longest term wins ("end-to-end encryption" over "encryption")
            taken |= set(range(s, e))
            a = rule.attrs
            if a.get("topic") == "_none":
                continue  # a figure of speech that only looks like a term
            sign = int(a.get("sign", 1))
            topic = str(a["topic"])
            # a harm right before the term: "weakening of encryption" names the access measure
            hit = [
                hs
                for hs, he in harms
                if he <= s and s - he <= _HARM_GAP and self._plain(toks, he, s)
            ]
            if hit:
                harmed = a.get("harmed")
                topic, sign = (str(harmed), 1) if harmed else (topic, -sign)
            pej, conf = bool(a.get("pejorative")), float(a.get("confidence", 0.8))
            out.append(Term(topic, sign, s, e, rule.id, pej, conf, max(hit) if hit else -1))
        return sorted(out, key=lambda t: t.start)

    def _plain(self, toks: Any, a: int, b: int) -> bool:
        """No punctuation, clause break or negation between a and b."""
        return not any(
            (t.is_punct and t.text not in "'’\"“”") or t.lower_ in self.breaks for t in toks[a:b]
        )

    def _preds(self, toks: Any) -> list[Pred]:
        out: list[Pred] = []
        end = -1
        self._titled = []
        for rule, s, e in self.rules.matches("predicates", toks, self._lowers):
            if s < end:
                continue
            if s and toks[s].is_title and not toks[s - 1].is_punct:
                self._titled.append(s)
                continue  # a word of a name or a headline ("Legal Support", "Wants to")
            if s and toks[s - 1].text in ("-", "–") and not toks[s - 1].whitespace_:
                continue  # a compound ("Government-supported")
            attrs = dict(rule.attrs)
            if (
                e - s == 1
                and s
                and not attrs.get("noun")
                and not attrs.get("label")
                and toks[s - 1].lower_ in self.noun_before
            ):
                if attrs.get("polarity") != "oppose":
                    continue  # "police forces", "the proposed law": not a verb
                # "support the repeal of X": a noun that still turns what follows over,
                # though nobody's act of its own
                attrs["nominal"] = True
            out.append(Pred(rule.id, s, e, attrs))
            end = e
        return out

    def _clause_start(self, toks: Any, i: int, commas: bool = False) -> int:
        # on the lower-case forms: indexing the Doc makes a Token object each time
        words = self._lowers
        for j in range(i - 1, -1, -1):
            w = words[j]
            if w in self.breaks or w in (";", ":") or (commas and w == ","):
                return j + 1
        return 0

    def _negated(self, toks: Any, p: Pred) -> bool:
        lo = max(self._clause_start(toks, p.start, commas=True), p.start - 3)
        window = self._lowers[lo : p.start]
        return any(w in self.negation for w in window) and "only" not in window

    def read(self, text: str) -> list[Claim]:
        if text.rstrip().endswith("?"):
            return []  # a question asks, it does not state
        toks = self.nlp.make_doc(text)
        if len(toks) > _MAX_TOKENS:
            return []  # a list or a page's furniture run together, not a sentence to parse
        self._lowers = [t.lower_ for t in toks]
        found = self.lexicon.matches("terms", toks, self._lowers)
        if not found:
            return []  # the cheap scan's word was not a term here ("stored", "scanned")
        preds = self._preds(toks)
        harms = [(s, e) for _, s, e in self.rules.matches("harms", toks, self._lowers)]
        harms += [(p.start, p.end) for p in preds if p.attrs.get("harm")]
        terms = self._terms(toks, harms, found)
        if not terms:
            return []
        # a word of a term is not a predicate ("end" of "end-to-end encryption")
        preds = [p for p in preds if not any(t.start < p.end and p.start < t.end for t in terms)]
        out: list[Claim] = self._judgements(toks, terms)
        judged = {c.topic for c in out}
        done = -1  # tokens before this are read
        for p in preds:
            if p.start < done or p.attrs.get("nominal"):
                continue
            if any(
                t.lower_ in self.conditional
                for t in toks[self._clause_start(toks, p.start, True) : p.start]
            ):
                continue  # "if X were to ...": not asserted
            done = self._head(toks, p, terms, preds, out)
        # a judgement of the term itself ("the dangerous and invasive facial surveillance") is
        # the voice's stance; a predicate's on the same topic would only guess around it
        # (the rule ids of every language: stance.judgement.*, stance.de.judgement.*)
        first = [c for c in out if ".judgement." in c.rule]
        return first + [c for c in out if c.topic not in judged or (c.voice and c in first)]

    def _head(
        self, toks: Any, p: Pred, terms: list[Term], preds: list[Pred], out: list[Claim]
    ) -> int:
        """Read predicate `p` as the head of its clause; returns the token reading goes on from."""
        start = self._clause_start(toks, p.start)
        before = [t for t in terms if start <= t.start and t.end <= p.start]
        if not before and start and toks[start - 1].lower_ in ("which", "that"):
            # "backdoors, which would weaken encryption": the relative clause's antecedent
            before = [t for t in terms if start - 10 <= t.end < start]
        reach = _REACH + (10 if p.attrs.get("voice") else 0)
        after = [t for t in terms if t.start >= p.end and t.start - p.end <= reach]
        conf = float(p.attrs.get("confidence", 0.75))
        neg = -1 if self._negated(toks, p) else 1
        at = toks[p.start].idx
        evaluates = -1 if p.attrs.get("harm") else (1 if p.attrs.get("protects") else 0)
        if evaluates and before and self._subject(toks, before[-1], p):
            return self._judged_subject(toks, p, before, after, (evaluates, neg), out)
        passive = bool(p.attrs.get("passive") and before and self._passive(toks, before[-1], p))
        target = after[0] if after and self._reaches(toks, p, after[0]) else None
        if passive and (target is None or not after):
            # "client-side scanning should not be mandated"
            sign = p.sign * neg * before[-1].sign
            out.append(Claim(before[-1].topic, pos(sign), p.rule, conf, at, True))
            return p.end
        if target is None or self._not_an_act(toks, p):
            return p.end
        target = self._exception(toks, target, after)
        if p.attrs.get("label"):
            denied = any(t.lower_ in self.negation for t in toks[p.end : target.start])
            if neg < 0 or denied or not target.pejorative:
                return p.end  # "this is not a backdoor" defends a measure, states no stance
            if not label_gap(toks, p.end, target.start):
                return p.end
        elif p.attrs.get("harm"):
            return p.end  # who harms is rarely said plainly; the harm is in the target
        chain = self._chain(toks, p, target, preds)
        if chain is None:
            return target.end
        # "Banning facial recognition ...": where the head is the harm that turned the target
        # over, it is counted once
        sign = (1 if p.start <= target.harm_at < p.end else p.sign) * neg * chain
        conf = min(conf, target.confidence)
        # an imperative ("Ban facial recognition.", "Protect encryption") is the voice's own
        voice = bool(p.attrs.get("voice")) or imperative(toks, p)
        out.append(Claim(target.topic, pos(sign * target.sign), p.rule, conf, at, voice))
        last = target
        for t in after[1:]:  # "we oppose backdoors and client-side scanning"
            gap = {x.lower_ for x in toks[last.end : t.start]}
            if gap <= {"and", "or", ",", "the", "any", "all", "as", "well", "nor", "of"}:
                c = min(conf, t.confidence)
                out.append(Claim(t.topic, pos(sign * t.sign), p.rule, c, at, voice))
                last = t
        return last.end

    def _judged_subject(
        self,
        toks: Any,
        p: Pred,
        before: list[Term],
        after: list[Term],
        signs: tuple[int, int],
        out: list[Claim],
    ) -> int:
        """ "scanning obligations would break end-to-end encryption": the voice judges the
        subject term; "backdoors in encryption put us in danger": the head of the subject, not
        its modifier. `signs`: the predicate's (-1 a harm, +1 a protection) and its negation's."""
        evaluates, neg = signs
        conf = float(p.attrs.get("confidence", 0.75))
        at = toks[p.start].idx
        subj = before[-1]
        of = ("in", "into", "of", "for", "on", "to")
        if (
            len(before) > 1
            and before[-2].end == subj.start - 1
            and toks[subj.start - 1].lower_ in of
        ):
            subj = before[-2]
        c = min(conf, subj.confidence)
        out.append(Claim(subj.topic, pos(evaluates * neg * subj.sign), p.rule, c, at, True))
        obj = after[0] if after and p.start <= after[0].harm_at < p.end else None
        if obj is not None and obj.topic != subj.topic and neg > 0:
            # "... would break end-to-end encryption": the harm it does is judged too
            c = min(conf, obj.confidence)
            out.append(Claim(obj.topic, pos(-neg * obj.sign), p.rule, c, at, True))
        return after[0].end if after else p.end

    def _not_an_act(self, toks: Any, p: Pred) -> bool:
        """A predicate word that states no one's act here."""
        if passive_act(toks, p):
            return True  # "WhatsApp was blocked": the subject suffers it, does not do it
        if p.attrs.get("noun") and p.start and toks[p.start - 1].lower_ in self.generic_before:
            return True  # "any attempt to break encryption": a generic act
        # "associated with introducing backdoors": a noun phrase
        return bool(
            p.start
            and toks[p.start].lower_.endswith("ing")
            and toks[p.start - 1].lower_ in self.nominal_before
        )

    def _chain(self, toks: Any, p: Pred, target: Term, preds: list[Pred]) -> int | None:
        """The sign the words between the head and its target give (+1 or -1): negations,
        inner predicates ("urge you to ABANDON"), "against", "from" after protect; None where
        the target is not the head's object (a conditional, a headline, a finding)."""
        if any(p.end <= i < target.start for i in self._titled):
            return None  # "our call to Ban Mass Surveillance": a headline, unread
        # "to reject X and to protect Y": a coordinated verb starts the chain anew
        begin = p.end
        for i in range(p.end, target.start - 1):
            if toks[i].lower_ in ("and", "or") and toks[i + 1].lower_ == "to":
                begin = i
        inner_preds = [q for q in preds if begin <= q.start and q.end <= target.start]
        sign = 1
        for q in inner_preds:
            if q.attrs.get("label") or q.attrs.get("harm") or q.start <= target.harm_at < q.end:
                continue  # a direct harm is in the target already
            sign *= q.sign
        shields = bool(p.attrs.get("protects")) or any(q.attrs.get("protects") for q in inner_preds)
        inner = {i for q in inner_preds for i in range(q.start, q.end)}
        for i, t in enumerate(toks[begin : target.start], start=begin):
            if i in inner:
                continue  # a predicate's own words ("campaign against") count once, as it
            # "protect citizens from mass surveillance", "a campaign against backdoors"
            word = t.lower_
            if word in self.negation or word == "against" or (shields and word == "from"):
                sign = -sign
            if word in self.conditional:
                return None
            stop = word == "that" and i > p.end and toks[i - 1].lower_ in self.that_stops
            if stop and not p.attrs.get("voice"):
                return None  # "welcomed the ruling that X breached ...": not the object
        return sign * self._after(toks, target, preds)

    def _judgements(self, toks: Any, terms: list[Term]) -> list[Claim]:
        """ "the dangers of facial recognition": the voice judges the measure it names."""
        out = []
        for rule, s, e in self.rules.matches("judgements", toks, self._lowers):
            if rule.attrs.get("after_subject"):
                out += self._predicative(toks, terms, rule, s)
                continue
            for t in terms:
                first = t.harm_at if t.harm_at >= 0 else t.start
                if e <= first and first - e <= 2 and self._plain(toks, e, first):
                    sign = -1 if rule.attrs.get("polarity") == "oppose" else 1
                    conf = min(float(rule.attrs.get("confidence", 0.6)), t.confidence)
                    out.append(Claim(t.topic, pos(sign * t.sign), rule.id, conf, toks[s].idx, True))
                    break
        return out

    def _predicative(self, toks: Any, terms: list[Term], rule: Any, s: int) -> list[Claim]:
        """ "the current data retention regime is highly invasive": judged after a be-verb."""
        for t in reversed([t for t in terms if t.end <= s]):
            gap = [x.lower_ for x in toks[t.end : s]]
            be = self.copula & set(gap)
            if 0 < len(gap) <= 5 and all(w in self.judgement_gap for w in gap) and be:
                sign = -1 if rule.attrs.get("polarity") == "oppose" else 1
                if self.negation & set(gap):
                    sign = -sign
                conf = min(float(rule.attrs.get("confidence", 0.6)), t.confidence)
                return [Claim(t.topic, pos(sign * t.sign), rule.id, conf, toks[s].idx, True)]
            break
        return []

    def _after(self, toks: Any, target: Term, preds: list[Pred]) -> int:
        """ "calls for the scheme to be scrapped": a passive right after the target."""
        for q in preds:
            if target.end < q.start <= target.end + 4 and any(
                x.lower_ == "be" for x in toks[target.end : q.start]
            ):
                return q.sign
        return 1

    def _exception(self, toks: Any, target: Term, after: list[Term]) -> Term:
        """ "not implement X without Y": the condition Y is what the holder stands on."""
        for t in after:
            if (
                t.start > target.end
                and self._plain_upto(toks, target.end, t.start)
                and any(x.lower_ in self.exceptive for x in toks[target.end : t.start])
            ):
                return t
        return target

    def _plain_upto(self, toks: Any, a: int, b: int) -> bool:
        return b - a <= 12 and not any(
            x.lower_ in self.breaks or x.text in (";", ":", ".") for x in toks[a:b]
        )

    def _reaches(self, toks: Any, p: Pred, t: Term) -> bool:
        return not any(
            x.lower_ in self.breaks or x.text in (";", ":") for x in toks[p.end : t.start]
        )

    def _passive(self, toks: Any, t: Term, p: Pred) -> bool:
        """ "X should not be mandated": a modal, then be, then the participle."""
        window = [x.lower_ for x in toks[max(t.end, p.start - 4) : p.start]]
        return "be" in window and any(w in self.modal for w in window)

    def _subject(self, toks: Any, t: Term, p: Pred) -> bool:
        """The term is the subject of the judging verb: only auxiliaries and adverbs between."""
        gap = [x for x in toks[t.end : p.start] if x.lower_ not in ("us", "all", "everyone")]
        return len(gap) <= 4 and all(x.lower_ in self.subject_gap for x in gap)


@lru_cache(maxsize=16)
def grammar_for(lang: str) -> Grammar | None:
    """The grammar of a language, or None where data/rules has no rules for it."""
    stances, lexicon = load_ruleset("stances", lang), load_ruleset("lexicon", lang)
    if stances is None or lexicon is None:
        return None
    for r in lexicon.all_rules():
        if "topic" not in r.attrs:
            raise DataError(f"{lexicon.path}: term {r.id} names no `topic`")
    return Grammar(stances, lexicon)
