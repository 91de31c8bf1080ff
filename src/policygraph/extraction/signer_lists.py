"""The signer list of a letter: where it opens, which lines it runs over, who is on it.

A list opens at a closing ("Sincerely,", "In solidarity,"), a header ("Signatories",
"Supporting organizations:", "Signed by: A, B and C"), a "We, the undersigned" paragraph or a
sentence such as "The following developers agree with this statement:", and runs over signer
lines, signature blocks, section headers ("Organisations:", "Individuals:", any short line
ending in ":") and sign-offs until prose or a stop cue ends it. A line may hold several signers:
a comma-separated run ("A, B, C, and D.") or signers set together ("Orchid (France)Tern
(Spain)"). Each opener cue has an id (data/document_kinds.yaml) that the signers it opens
carry as their `rule`; extract_letter (letters.py) picks the longest list this module finds.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ..models import ActorKind, Document, SignatoryEntry, Span
from .letter_cues import Line, bare_text, cues, first_rule, is_prose, matches
from .lexicon import (
    city_of,
    country_of,
    has_keyword,
    is_role,
    lexicon,
    role_phrase_len,
    section_kind,
)
from .signatories import parse_signatory_lines
from .signer_columns import RULE_COLUMNS, Cell, column_region
from .signer_runs import RULE_COMMA_RUN, names_person, signers_on
from .signer_text import is_slash_signer

__all__ = [
    "Opener",
    "SignerList",
    "collect",
    "openers",
    "signatory_entries",
    "with_continuations",
]


_SECTION_MAX_WORDS = 6


@dataclass(frozen=True)
class Opener:
    index: int  # the opener line
    rule: str  # id of the cue that opened the list
    inline: Line | None = None  # signers on the opener's own line ("Signed by: A, B")
    continues: bool = False  # opens late signers that continue the letter's list
    section: ActorKind | None = None  # the kind of signer it announces (a page's heading)


@dataclass(frozen=True)
class Block:
    lines: tuple[Line, ...]  # one signer: a line, part of a line, or a signature block
    kind: ActorKind | None  # the kind its section announces
    rule: str
    joiner: str = ", "  # between its lines: ", " for a signature block, " " for a wrapped name


@dataclass(frozen=True)
class SignerList:
    opener: int  # index of the opener line
    blocks: tuple[Block, ...]
    end: int  # index after the last line of the list
    template: bool
    rule: str = ""  # the opener's rule id


def _continues(block: list[Line], text: str) -> bool:
    """Whether `text` carries on a signature block rather than naming the next signer."""
    head = bare_text(block[0].text)
    place = country_of(text) or city_of(text) or text in lexicon().regions
    if place and len(block) == 1 and not country_of(head) and not city_of(head):
        return True  # "Orchid Collective" / "Germany": where the signer above is
    if "," in head or not names_person(head):
        return False
    lex = lexicon()
    if (
        len(block) == 2
        and is_role(bare_text(block[1].text))
        and has_keyword(text, lex.strong_keywords | lex.weak_keywords)
    ):
        return True  # "Jo Park" / "Chief Scientist" / "Kestrel Labs": the body under the role
    if names_person(text):
        return False
    if len(block) == 1:
        return is_role(text)
    return len(block) < 4 and "," not in text


# a rule of dashes or equals signs under a header of a plain-text e-mail
_UNDERLINE = re.compile(r"^(?:-{3,}|={3,}|~{3,}|_{3,})$")


def _underlined(lines: list[Line], j: int) -> bool:
    """A short line with a rule right under it (a plain-text header)."""
    text = bare_text(lines[j].text)
    return (
        j + 1 < len(lines)
        and bool(_UNDERLINE.match(lines[j + 1].text))
        and len(text.split()) <= _SECTION_MAX_WORDS
        and "," not in text
    )


def _signature_block(lines: list[Line], j: int) -> bool:
    """Whether the paragraph at `j` is one signer's block ("Jo Park" / "Chief Scientist")."""
    if j + 1 >= len(lines) or lines[j + 1].blank:
        return False
    head = bare_text(lines[j].text)
    return names_person(head) and _continues([lines[j]], bare_text(lines[j + 1].text))


def _carries_on(block: list[Line], text: str) -> bool:
    """A cell under a signer in a column that carries on their block: what `_continues` takes,
    or a title ending in a role word under the name ("Legislative Counsel", which reads like
    a name of two words)."""
    if _continues(block, text):
        return True
    words = text.split()
    return (
        len(block) == 1
        and names_person(bare_text(block[0].text))
        and bool(words)
        and words[-1].casefold().strip(".") in lexicon().role_words
    )


def _is_section(text: str) -> bool:
    """A short header inside a list ("Trade associations and supporters:")."""
    return (
        text.endswith(":")
        and len(text.split()) <= _SECTION_MAX_WORDS
        and not matches(cues().list_stops, text)
    )


_BARE_SECTION_MAX_WORDS = 8


def _bare_section(lines: list[Line], j: int) -> bool:
    """A header written as a title on its own ("Cryptographers and Security Experts", a blank
    line before and after) over a block of two or more signer lines: a section of the list,
    not a signer. A signer set alone (one signer a paragraph) has no block under it."""
    text = bare_text(lines[j].text)
    words = text.split()
    if (
        not words
        or len(words) > _BARE_SECTION_MAX_WORDS
        or "," in text
        or text[-1:] in ".;"
        or names_person(text)
        or not all(w[:1].isupper() for w in words if len(w) > 3)
        or (j > 0 and not lines[j - 1].blank)
    ):
        return False
    k = j + 1
    if k >= len(lines) or not lines[k].blank:
        return False
    while k < len(lines) and lines[k].blank:
        k += 1
    block = 0
    while k < len(lines) and not lines[k].blank:
        block, k = block + 1, k + 1
    return block >= 2


# --- the list ---------------------------------------------------------------------------------


@dataclass
class _Collector:
    rule: str
    blocks: list[tuple[list[Line], ActorKind | None, str]] = dataclasses.field(default_factory=list)
    wrapped: set[int] = dataclasses.field(default_factory=set)  # blocks of one wrapped name
    run: int = 0  # blocks since the last blank line
    runs: list[int] = dataclasses.field(default_factory=list)  # the runs before it
    after_blank: bool = False
    template: bool = False  # a placeholder line ("[Your name]"): a form, not a list
    singles: int = 0  # lines in a row that each held one signer

    def blank(self) -> None:
        if self.run:
            self.runs.append(self.run)
            self.run = 0
        self.after_blank = True

    section: ActorKind | None = None

    def add(self, parts: list[Line], rule: str) -> None:
        self.blocks += [([p], self.section, rule) for p in parts]

    def add_cells(self, cells: list[Cell]) -> None:
        """Column cells as signers; a cell under a signer's name that carries on their
        signature block (a role, a body, a country) joins it."""
        block_of: dict[int, int] = {}
        for i, cell in enumerate(cells):
            above = block_of.get(cell.above) if cell.above is not None else None
            text = " ".join(bare_text(x.text) for x in cell.lines)
            if above is not None and _carries_on(self.blocks[above][0], text):
                self.blocks[above][0].extend(cell.lines)
                self.wrapped.discard(above)
                block_of[i] = above
                continue
            block_of[i] = len(self.blocks)
            if len(cell.lines) > 1:
                self.wrapped.add(len(self.blocks))
            self.blocks.append((list(cell.lines), self.section, RULE_COLUMNS))


def _header_at(lines: list[Line], j: int, got: _Collector) -> tuple[int, ActorKind | None]:
    """How many lines a section header at `j` takes (0 when there is none), and the kind of
    signer it announces."""
    c = cues()
    text = bare_text(lines[j].text)
    if _underlined(lines, j):
        return 2, section_kind(text)  # "Organizations" / "-------------": a plain-text header
    kind = section_kind(text)
    # a bare title opens a section first thing in the list or after a block of several
    # signers; after one-line paragraphs it is one more signer
    bare = (
        kind is None
        and (not got.blocks or bool(got.runs and got.runs[-1] > 1))
        and _bare_section(lines, j)
    )
    if bare:  # "Cryptographers and Security Experts": the kind its last word names
        kind = section_kind(text.split()[-1])
    if kind is not None or bare or matches(c.list_headers, text) or _is_section(text):
        # a header inside the list ("Individuals:", "The undersigned organizations") opens
        # a section, of the kind it names if it names one
        return 1, kind
    return 0, None


def _ends_list(
    lines: list[Line], j: int, got: _Collector, split: tuple[list[Line], str] | None
) -> bool:
    text = bare_text(lines[j].text)
    if (
        split is None
        and not is_slash_signer(text)  # "Name / a long role. And more": one signer
        and (is_prose(text) or len(text) > 250 or text.endswith(":"))
    ):
        return True
    # a blank line ended a run of several signers: the list is over (unless signature blocks
    # follow: a name with their role or body under it)
    return bool(
        got.blocks
        and got.after_blank
        and got.runs
        and got.runs[-1] > 1
        and not _signature_block(lines, j)
    )


def _take(got: _Collector, line: Line, split: tuple[list[Line], str] | None, rule: str) -> None:
    """A line into the list: its signers, or the rest of the signature block above."""
    text = bare_text(line.text)
    if matches(cues().placeholders, text):
        got.template = True
    elif split is not None:
        got.add(split[0], split[1])
        got.run += len(split[0])
        got.singles = 0
    elif (
        got.blocks
        and not got.after_blank
        # under lines of one signer each, only a role carries on the line above
        # ("Humblebee Media" / "iFixit" are two signers)
        and (got.singles < 3 or role_phrase_len(text.split()) > 0)
        and _continues(got.blocks[-1][0], text)
    ):
        got.blocks[-1][0].append(line)
        got.singles = 0
    else:
        got.add([line], rule)
        got.run += 1
        got.singles += 1
    got.after_blank = False


def collect(lines: list[Line], opener: int | Opener) -> SignerList:
    c = cues()
    op = opener if isinstance(opener, Opener) else Opener(opener, "")
    got = _Collector(op.rule)
    got.section = op.section
    if op.inline is not None:
        split = signers_on(op.inline, op.inline.text, min_parts=2)
        got.add(split[0] if split else [op.inline], split[1] if split else op.rule)
    j = op.index + 1
    if j < len(lines) and _UNDERLINE.match(lines[j].text):
        j += 1  # "Signatories" / "-----------": the opener's underline
    end = j
    while j < len(lines):
        if lines[j].blank:
            got.blank()
            j += 1
            continue
        text = bare_text(lines[j].text)
        if matches(c.list_stops, text):
            break
        if matches(c.closings, text):
            j += 1  # a sign-off under an "undersigned" opener ("Sincerely,") signs nothing
            continue
        taken, kind = _header_at(lines, j, got)
        if taken:
            got.section = kind
            got.runs, got.run = [], 0  # a new section may follow a blank line
            j += taken
            continue
        columns = column_region(lines, j)
        if columns is not None:
            got.add_cells(columns[0])
            got.run, got.after_blank = got.run + len(columns[0]), False
            j = end = columns[1]
            continue
        split = signers_on(lines[j], text)
        if split and split[1] == RULE_COMMA_RUN and len(split[0]) <= 3 and got.singles >= 3:
            # under lines of one signer each, commas part one signer's fields ("Phillips
            # Academy, Andover, Holmes Library"), not signers
            split = None
        if _ends_list(lines, j, got, split):
            break
        _take(got, lines[j], split, op.rule)
        j = end = j + 1
    frozen = tuple(
        Block(tuple(b), k, r, " " if i in got.wrapped else ", ")
        for i, (b, k, r) in enumerate(got.blocks)
    )
    return SignerList(op.index, frozen, end, got.template, op.rule)


def with_continuations(lines: list[Line], best: SignerList, found: list[Opener]) -> SignerList:
    """`best` with the late signers listed after it ("We've added a few more signatures ...")."""
    for op in found:
        if op.continues and op.index >= best.end:
            more = collect(lines, op)
            if more.blocks and not more.template:
                best = dataclasses.replace(best, blocks=best.blocks + more.blocks, end=more.end)
    return best


def _bare_span(line: Line) -> tuple[int, int]:
    bare = bare_text(line.text)
    start = line.start + line.text.find(bare) if bare else line.start
    return start, start + len(bare)


def signatory_entries(doc: Document, found: SignerList) -> list[SignatoryEntry]:
    pairs = [
        (_bare_span(b.lines[0])[0], b.joiner.join(bare_text(x.text) for x in b.lines))
        for b in found.blocks
    ]
    sections = [b.kind for b in found.blocks]
    out: list[SignatoryEntry] = []
    for entry, block in zip(
        parse_signatory_lines(pairs, section_kinds=sections), found.blocks, strict=True
    ):
        if len(block.lines) > 1:  # the span covers the block's lines as the text has them
            start, end = _bare_span(block.lines[0])[0], _bare_span(block.lines[-1])[1]
            entry = dataclasses.replace(entry, span=Span(start, end, doc.text[start:end]))
        out.append(dataclasses.replace(entry, rule=block.rule or found.rule))
    return out


def openers(lines: list[Line]) -> list[Opener]:
    c = cues()
    out: list[Opener] = []
    for i, line in enumerate(lines):
        text = bare_text(line.text)
        if not text:
            continue
        short = len(text) <= 80
        rule = first_rule(c.closings, text) or first_rule(c.list_headers, text) if short else None
        if rule is not None and rule.requires is not None:
            before = "\n".join(x.text for x in lines[:i])
            rule = rule if rule.requires.search(before) else None
        if rule is not None:
            out.append(Opener(i, rule.id))
            continue
        inline = first_rule(c.inline_headers, text)
        m = inline.search(text) if inline is not None else None
        if inline is not None and m is not None:
            names = m.group("names").strip()
            at = line.text.find(names)
            out.append(Opener(i, inline.id, Line(line.start + at, names)))
            continue
        following = first_rule(c.following, text)
        if following is not None:
            out.append(Opener(i, following.id, continues=following.continues))
        elif c.undersigned.search(text):
            out.append(Opener(i, "signers.opener.undersigned"))
    return out
