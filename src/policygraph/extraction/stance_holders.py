"""Who holds a stance read in a sentence: the subject actor, the speaker of a quote, the letter
("we" of a letter; each signatory holds it by signing), the document's author ("we" of a post),
a letter's addressee ("you"), or the group a plural anaphor points back to.

Shared by the topic cues and the general grammar (stances.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..models import LETTER_HOLDER, ActorKind, Attribution, Document, LetterFinding, Mention
from .grammar import Claim
from .quotes import RawQuote
from .sentences import Sentence

__all__ = ["LETTER_HOLDER", "Holder", "HolderFinder", "StanceContext"]

_OBJECT_BEFORE = re.compile(
    r"(?:urg\w*|ask\w*|\bimplor\w*|\bencourag\w*|\bcall\w* on|\bconvinc\w*|\bpersuad\w*|"
    r"\bpressur\w*|\bforc\w*|\bto|\bfor|\bby|\bwith|\babout|\beluded|\bhad|"
    r"\b(?:people|citizens|residents|community|parts?)\s+of)\s+(?:the\s+)?"
    r"(?:(?:Senator|Minister|Attorney[- ]General|Prime Minister|President|Dr|Mr|Ms|Mrs|"
    r"Professor)\.?\s+)?"
    # "an open letter to Facebook CEO Mark Zuckerberg, asking": a role after the company
    r"(?:(?:[A-Z][\w.&-]*\s+){1,3}(?:CEO|chief executive|founder|co-founder|president|"
    r"chairman|chair|director|head|boss)\s+)?$"
)
# "At a meeting between A and B, the government asked ...": a sentence's opening phrase of
# time or place names no subject
_OPENING_PHRASE = re.compile(
    r"^\W*(?:[^,]{0,30},\s*)?(?:[Aa]t|[Ii]n|[Dd]uring|[Aa]fter|[Bb]efore|[Ff]ollowing|[Aa]head of)"
    r"\b[^,]*$"
)
# "the owner of Messenger and Instagram", "the director of the FBI": a noun's complement
_COMPLEMENT = re.compile(
    r"\b[a-z]+\s+of\s+(?:the\s+)?(?:[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*\s*(?:,|and|or|&)\s+)*$"
)
# the subject of what a speaker says, when it is not the speaker ("said THE BILL would ...")
_EMBEDDED_SUBJECT = re.compile(r"^\s*(?:the|a|an|this|these|those|such|any|its|their)\s", re.I)
_SELF_SUBJECT = re.compile(r"^\s*the\s+(?:company|group|organi[sz]ation|firm|agency|ministry)\b")
# "The Senate proposal", "the FBI request": the name modifies the noun that is the subject
_MODIFIED_NOUN = re.compile(
    r"^\s+(?:proposal|proposals|bill|bills|case|law|laws|legislation|draft|report|version|"
    r"policy|approach|deal)\b"
)
_SPEAKS = re.compile(
    r"^,?\s+(?:has\s+|have\s+)?(?:says|said|argues|argued|believes|warns|warned|calls|called|"
    r"insists|insisted|claims|claimed|stated|states)\b"
)
_DEMANDED = re.compile(r"^(?:['’]s)?\s+(?:should|must|needs? to|has to|ought to)\b")
_ANAPHOR = re.compile(
    r"\b(?:(?:the|these|those)\s+(?:\w+\s+){0,3}(?P<noun>organi[sz]ations|groups|countries|"
    r"governments|signatories|members)|(?P<they>they|them|their))\b",
    re.I,
)
_FIRST_PERSON = re.compile(r"\b(?:[Ww]e|[Oo]ur|us)\b")
_SINGULAR_FIRST = re.compile(r"\b(?:I|my|me)\b")
_OPEN_QUOTE = re.compile(r"^[^”\"]*[“\"‘][^”\"’]*$")
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:[Ii]n|[Aa]t|[Ff]rom|[Oo]n|between|against|like|as|including|[Uu]nlike|among|than|"
    r"via|across|within|into|toward|towards|over|under|beyond|per)\s+(?:the\s+)?$"
)
_SPEECH = re.compile(
    r"\b(?:says|said|say|stated|states|argued|argues|warned|warns|told|tells|believes|believe|"
    r"added|wrote|writes|insisted|insists|claimed|claims|maintained|maintains|noted|notes|"
    r"announced|declared|explained|tweeted|urged)\b"
)
# "a letter to the Members of the European Parliament": inside the object of "to"
_TO_OBJECT = re.compile(r"\bto\s+(?:the\s+)?(?:[A-Z][\w.-]*\s+)+of\s+(?:the\s+)?$")
_PEOPLE = re.compile(
    r"\s+(?:\w+\s+){0,3}(?:experts|citizens|people|advocates|researchers|academics|community|"
    r"lawyers|voters|residents|groups|organisations|organizations|critics|activists|industry)\b"
)
_PARTICIPLE = re.compile(r"^, \w+ing\b")
_CLAUSE = re.compile(r"[:;,–—]|\b(?:that|who|which|whom|because|but|after|when|while|whilst)\b")
_OUR_NOUN = re.compile(r"\b[Oo]ur\s+(?:[a-z]+\s+)?$")
_UNDERSIGNED = re.compile(r"\b(?:the undersigned|signatories|signers)\b", re.I)
_REPORTED = re.compile(r"\b(?:it was reported|reportedly|according to)\b", re.I)
# a letter the document reports as the subject of what it asks ("The letter calls on ...",
# "N groups released an open letter calling on ...", "Open letter signed by ... opposes")
_REPORTED_LETTER = re.compile(r"\b(?:open |joint )?letters?\b(?! to the editor)", re.I)


@dataclass(frozen=True)
class Holder:
    name: str
    kind: ActorKind | None
    attribution: Attribution
    confidence: float


@dataclass
class StanceContext:
    doc: Document
    letter: LetterFinding | None
    mentions: tuple[Mention, ...]
    quotes: list[RawQuote]
    sentences: list[Sentence]
    letter_region: tuple[int, int] | None
    signer_group: list[Mention]
    addressees: list[Mention]
    language: str = "en"
    # the signers a press release lists for the letter it reports
    reported_signers: list[Mention] = field(default_factory=list)


def _groups(mentions: Sequence[Mention], text: str) -> list[list[Mention]]:
    """Mentions joined by commas / "and" / "the" form one group ("the US, the UK and Australia")."""
    groups: list[list[Mention]] = []
    for m in mentions:
        if groups:
            gap = text[groups[-1][-1].span.end : m.span.start]
            if re.fullmatch(r"(?:['’]s)?\s*(?:,|and|&|,\s*and)?\s*(?:the\s+)?", gap):
                groups[-1].append(m)
                continue
        groups.append([m])
    return groups


def _holders_from(ms: Sequence[Mention], attribution: Attribution, conf: float) -> list[Holder]:
    seen: dict[str, Holder] = {}
    for m in ms:
        seen.setdefault(m.name, Holder(m.name, m.kind, attribution, conf))
    return list(seen.values())


class HolderFinder:
    def __init__(self, ctx: StanceContext) -> None:
        self.ctx = ctx
        self.text = ctx.doc.text
        # the words that make a sentence's subject its speaker ("we", "the undersigned"): the
        # grammar of the document's language sets them
        self.first_person: frozenset[str] = frozenset()
        # the verbs of a call to action ("Sign the petition against ..."): the author's voice
        self.imperative: frozenset[str] = frozenset()

    def authors(self, conf: float, sentence: str) -> list[Holder]:
        """The document's own voice: "we" is the publishing organisation, "I" the writer."""
        meta = self.ctx.doc.meta
        if _SINGULAR_FIRST.search(sentence) or not meta.publisher:
            return [
                Holder(a, "organisation" if a == meta.publisher else "person", "authorship", conf)
                for a in meta.authors
            ]
        return [Holder(meta.publisher, "organisation", "authorship", conf)]

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.ctx.mentions if start <= m.span.start and m.span.end <= end]

    def quote_at(self, pos: int) -> RawQuote | None:
        for q in self.ctx.quotes:
            if q.start <= pos < q.end:
                return q
        return None

    def anaphor(self, s: Sentence, upto: int) -> list[Mention]:
        hits = list(_ANAPHOR.finditer(self.text, s.start, upto))
        if not hits or "following" in hits[-1].group(0).lower():
            return []  # none, or "the following organisations": the list comes after
        noun = (hits[-1].group("noun") or "").lower()
        if noun.startswith(("signator", "organi")) and self.ctx.signer_group:
            return self.ctx.signer_group
        want = "government" if noun in ("countries", "governments") else None
        earlier = [m for m in self.ctx.mentions if m.span.end <= s.start]
        for group in reversed(_groups(earlier, self.text)):
            if len(group) >= 2 and (want is None or all(m.kind == want for m in group)):
                return group
        return []

    def subject_candidates(self, s: Sentence, upto: int) -> list[Mention]:
        out = []
        for m in self.mentions_in(s.start, upto):
            before = self.text[max(s.start, m.span.start - 30) : m.span.start]
            after = self.text[m.span.end : m.span.end + 20]
            owner = m.kind == "government" and re.match(r"['’]s\s+", after)
            if (_OBJECT_BEFORE.search(before) and not owner) or _DEMANDED.match(after):
                continue  # whom a request is made of, not who makes it ("urge Facebook to")
            if _MODIFIED_NOUN.match(after) or _COMPLEMENT.search(before):
                continue  # "the Senate proposal", "the owner of Instagram"
            if _OPENING_PHRASE.match(self.text[s.start : m.span.start]):
                continue  # "At a meeting between A and B, the government asked ..."
            if re.match(r"['’]s\s+", after) and m.kind != "government":
                continue  # a possessive modifier ("Facebook's messaging services")
            out.append(m)
        groups = [
            g
            for g in _groups(out, self.text)
            if not _DEMANDED.match(self.text[g[-1].span.end : g[-1].span.end + 20])
        ]
        # "X says the Y's handling ...": the one who speaks holds what follows
        for g in groups:
            if _SPEAKS.match(self.text[g[-1].span.end : g[-1].span.end + 30]):
                return g
        return groups[-1] if groups else []

    def voice(self, s: Sentence, at: int) -> list[Holder]:
        """Who speaks a sentence: a quote's speaker, the letter, or the document's author."""
        q = self.quote_at(at)
        if q is not None:
            return [Holder(q.speaker, q.speaker_kind, "stated", 0.6 if q.inferred else 0.8)]
        if _OPEN_QUOTE.search(self.text[s.start : at]):
            return []  # words in quotation marks nobody is found to have said: not the author's
        region = self.ctx.letter_region
        if region and region[0] <= at < region[1] and self.ctx.letter:
            authors = [
                Holder(a, "organisation", "authorship", 0.8) for a in self.ctx.letter.authors
            ]
            return [Holder(LETTER_HOLDER, None, "stated", 0.8), *authors]
        if _FIRST_PERSON.search(s.text) or (
            not _REPORTED.search(s.text) and self.ctx.doc.meta.authors
        ):
            return self.authors(0.6, s.text)
        return []

    def main_subject(self, s: Sentence, at: int) -> list[Mention]:
        """The first group of actors the sentence names, not after a preposition or a request."""
        ok = []
        for m in self.mentions_in(s.start, at):
            before = self.text[max(s.start, m.span.start - 30) : m.span.start]
            if not (_OBJECT_BEFORE.search(before) or _PREPOSITION_BEFORE.search(before)):
                ok.append(m)
        groups = _groups(ok, self.text)
        return groups[0] if groups else []

    def is_subject(self, first: Mention, m: Mention, at: int) -> bool:
        """A mention close before the predicate ("Apple firmly opposes"), or one that speaks
        ("X said in a statement that it would oppose"); not one in a list or a phrase of place
        ("such as WhatsApp, Facebook and Twitter", "In the US, the NSA ...")."""
        before = self.text[max(0, first.span.start - 40) : first.span.start]
        if _PREPOSITION_BEFORE.search(before) or _TO_OBJECT.search(before):
            return False
        gap = self.text[m.span.end : at]
        if re.match(r"['’]s\b", gap) and (m.kind != "government" or _PEOPLE.match(gap[2:])):
            # "Facebook's messaging services", "Australia's foremost privacy experts": the
            # possessive's noun is the subject
            return False
        words = len(gap.split())
        if re.search(r"[;:]", gap):
            return False  # another clause ("WhatsApp could not read it; implementing X ...")
        speech = _SPEECH.search(gap)
        if speech and "," not in gap[speech.end() :]:
            said = re.split(r"\bthat\b", gap[speech.end() :])[-1]
            if _EMBEDDED_SUBJECT.search(said) and not _SELF_SUBJECT.search(said):
                # "X said the government's request would force a backdoor": what is said has
                # its own subject, whose act it is, not the speaker's
                return False
            return words <= 25  # reported speech: "X said in a statement that it opposes"
        if _PARTICIPLE.match(self.text[at - 2 : at + 30]):
            return words <= 25  # a participle clause: "X wrote to Y on Monday, asking him to"
        return words <= 6 and "," not in gap.replace("’s", "").strip(", ")[:-1]

    def claim_holders(self, claim: Claim, s: Sentence) -> list[Holder]:
        """Who holds what the grammar read: the sentence's voice for a judgement or a passive
        ("X should not be mandated"); otherwise the subject actor named before the predicate,
        "we" (the letter, or the author), "you" of a letter (its addressee), a plural anaphor."""
        at = s.start + claim.at
        if claim.voice:
            return self.voice(s, at)
        if claim.line:  # the line of a sentence joined from several: its holder is on it
            s = Sentence(s.start + claim.line, s.end, s.text[claim.line :], s.paragraph)
        named = self.subject_candidates(s, at)
        if _PARTICIPLE.match(self.text[at - 2 : at + 30]):
            named = self.main_subject(s, at)
        if named and self.is_subject(named[0], named[-1], at):
            return _holders_from(named, "reported", 0.7)
        lead = self.text[s.start : at]
        if self.quote_at(at) is None and _OPEN_QUOTE.search(lead):
            return []  # words in quotation marks nobody is found to have said
        # "we" as the subject: in the predicate's clause and close before it ("we firmly oppose",
        # "We, the undersigned, urge"), not "we believe that platforms do not ..."
        near = _CLAUSE.split(lead)[-1][-60:]
        if _OUR_NOUN.search(lead):
            return self.voice(s, at)  # "sign our petition to ban ...": the author's own
        if self.first_person & set(re.findall(r"\w+", near.lower())):
            return (
                self.voice(s, at)
                if self.quote_at(at) or self.ctx.letter_region
                else (
                    self.authors(0.75, s.text)
                    if self.ctx.doc.meta.publisher or self.ctx.doc.meta.authors
                    else []
                )
            )
        first = re.match(r"\W*([A-Z][a-z]+)\b", lead)
        calls = bool(first and first.group(1).lower() in self.imperative)
        own_text = not self.ctx.letter_region and self.quote_at(at) is None
        if calls and own_text and self.ctx.doc.meta.publisher:
            return self.authors(0.6, s.text)  # "Sign the petition against backdoors"
        region = self.ctx.letter_region
        you = re.search(r"\byou\b", near)
        # "you" as the subject in a letter is its addressee; "we call on you to" is the object
        in_letter = bool(region and region[0] <= at < region[1])
        if in_letter and you and not _OBJECT_BEFORE.search(near[: you.start()]):
            return _holders_from(self.ctx.addressees, "reported", 0.7)
        group = self.anaphor(s, at) if _ANAPHOR.search(near) else []
        if group:
            return _holders_from(group, "reported", 0.6)
        if not region and self.ctx.reported_signers and _REPORTED_LETTER.search(lead[-160:]):
            # the letter a press release reports asks it: its signers hold it
            return _holders_from(self.ctx.reported_signers, "reported", 0.6)
        return []
