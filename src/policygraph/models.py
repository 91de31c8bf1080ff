"""Typed values passed between the pipeline stages (load → extract → resolve → build).

Every finding carries a `Span` into `Document.text`: offsets are 0-based code points, end
exclusive, and `document.text[span.start:span.end] == span.text` always holds. Every finding
also names the `rule` that produced it (an id from data/rules/*.yaml, or a code rule such as
`code.signatory-list`); the builder writes it as the fact's `pg:rule`, so that any fact in the
graph answers "which rule made this?" next to its span and document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "LETTER_HOLDER",
    "ActorKind",
    "Document",
    "DocumentFormat",
    "DocumentKind",
    "DocumentMeta",
    "Findings",
    "LetterFinding",
    "LetterRef",
    "Mention",
    "Position",
    "QuoteFinding",
    "SignatoryEntry",
    "Span",
    "StanceFinding",
]

ActorKind = Literal["organisation", "company", "government", "person", "country"]
DocumentKind = Literal[
    "open_letter", "news_article", "press_release", "government_statement", "blog_post"
]
Position = Literal["support", "oppose"]
DocumentFormat = Literal["markdown", "text", "html", "pdf", "rst"]  # what it was read from
# How a stance was attributed to its holder.
Attribution = Literal["stated", "signing", "authorship", "reported"]


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class DocumentMeta:
    title: str | None = None
    date: str | None = None  # ISO date (YYYY-MM-DD) or year, or None
    authors: tuple[str, ...] = ()  # who wrote the post/article (people or organisations)
    publisher: str | None = None  # the site or organisation that published it
    url: str | None = None
    categories: tuple[str, ...] = ()
    site: str | None = None


@dataclass(frozen=True)
class Document:
    """A normalised document: plain text (markup stripped) plus metadata.

    `content_hash` is the SHA-256 of `text`: the same text gives the same hash, whatever
    the file was called, so it names the document's graph.
    """

    path: str
    text: str
    format: DocumentFormat
    meta: DocumentMeta
    content_hash: str
    # Regions of `text` that are site furniture (navigation, teasers, footers): extraction
    # must not take actors from them.
    boilerplate: tuple[Span, ...] = ()
    # Links found in the source: (anchor span in text, target URL).
    links: tuple[tuple[Span, str], ...] = ()
    # What the loader could not read and left out ("front matter 'date' is not a date: ..."),
    # for the build summary: the document is still read.
    notes: tuple[str, ...] = ()

    @property
    def short_hash(self) -> str:
        return self.content_hash[:16]

    def in_boilerplate(self, start: int, end: int) -> bool:
        return any(b.start <= start and end <= b.end for b in self.boilerplate)


@dataclass(frozen=True)
class SignatoryEntry:
    """One line of a signatory list, split into the name and what else the line carries."""

    position: int  # 1-based order in the list
    as_written: str
    label: str
    span: Span
    kind: ActorKind = "organisation"
    acronym: str | None = None
    country: str | None = None
    region: str | None = None
    parent: str | None = None
    legal_suffix: str | None = None
    role: str | None = None
    affiliation: str | None = None
    signed_by: str | None = None  # the person who signs for a government ("Alex Morgan MP")
    rule: str = ""  # id of the rule that produced it (see module docstring)


@dataclass(frozen=True)
class Mention:
    """An actor named in running text."""

    name: str  # the clean name as the text gives it
    kind: ActorKind
    span: Span
    role: str | None = None
    affiliation: str | None = None
    acronym: str | None = None
    country: str | None = None
    rule: str = ""  # id of the rule that produced it (see module docstring)


@dataclass(frozen=True)
class LetterRef:
    """A letter the document refers to without reproducing it (e.g. the one it answers)."""

    description: str
    span: Span
    authors: tuple[str, ...] = ()
    addressed_to: tuple[str, ...] = ()
    date: str | None = None
    link: str | None = None
    rule: str = ""  # id of the rule that produced it (see module docstring)
    # signers the document names for the letter it reports ("signers include A, B and C")
    signatories: tuple[SignatoryEntry, ...] = ()


@dataclass(frozen=True)
class LetterFinding:
    """A letter the document reproduces (title, heading, salutation, signatories)."""

    title: str | None
    heading: str | None
    date: str | None
    addressed_to: tuple[Mention, ...]
    signatories: tuple[SignatoryEntry, ...]
    responds_to: tuple[LetterRef, ...] = ()
    signatory_count: int | None = None
    authors: tuple[str, ...] = ()
    span: Span | None = None
    rule: str = ""  # id of the rule that produced it (see module docstring)


LETTER_HOLDER = "@letter"
"""The holder of a letter's own stance (each signatory's is derived through its signature)."""


@dataclass(frozen=True)
class StanceFinding:
    """Who stands where on a topic, with the sentence that says so.

    `holder` is an actor name, or LETTER_HOLDER for the letter's own stance
    (each signatory's stance is then derived through its signature).
    """

    holder: str
    topic: str  # the topic's skos:notation
    position: Position
    evidence: Span
    attribution: Attribution
    confidence: float = 0.8
    holder_kind: ActorKind | None = None
    rule: str = ""  # id of the rule that produced it (see module docstring)

    @property
    def letters_own(self) -> bool:
        """The letter's own stance (held by LETTER_HOLDER), not an actor's."""
        return self.holder == LETTER_HOLDER


@dataclass(frozen=True)
class QuoteFinding:
    text: str
    span: Span
    speaker: str
    speaker_kind: ActorKind = "person"
    stances: tuple[StanceFinding, ...] = ()
    rule: str = ""  # id of the rule that produced it (see module docstring)


@dataclass(frozen=True)
class Findings:
    """Everything extracted from one document."""

    document: Document
    kind: DocumentKind
    letter: LetterFinding | None = None
    letter_refs: tuple[LetterRef, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[QuoteFinding, ...] = ()
    stances: tuple[StanceFinding, ...] = ()
    notes: tuple[str, ...] = field(default=())
    language: str | None = None  # the guessed ISO 639-1 code of the document's language
    language_covered: bool = True  # False: the stance rules do not cover it (stances not read)
