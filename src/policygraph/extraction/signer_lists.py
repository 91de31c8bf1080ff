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
import itertools
import re
from dataclasses import dataclass

from ..models import ActorKind, Document, SignatoryEntry, Span
from .letter_cues import Line, bare_text, cues, first_rule, is_prose, matches
from .lexicon import (
    city_of,
    country_of,
    is_legal_suffix,
    is_person_name,
    is_role,
    lexicon,
    section_kind,
    strip_honorifics,
    strip_post_nominals,
)
from .signatories import parse_signatory_lines

__all__ = [
    "Opener",
    "SignerList",
    "collect",
    "name_parts",
    "openers",
    "signatory_entries",
    "with_continuations",
]

RULE_COMMA_RUN = "signers.line.comma-run"
RULE_RUN_TOGETHER = "signers.line.run-together"
RULE_SECTION = "signers.header.section"

_SECTION_MAX_WORDS = 6
_RUN_MIN_PARTS = 3
_RUN_PART_MAX_WORDS = 9
# "Orchid (France)Tern (Spain)": a closing parenthesis run into the next name
_RUN_TOGETHER = re.compile(r"\)(?=[A-Z][a-z])")


@dataclass(frozen=True)
class Opener:
    index: int  # the opener line
    rule: str  # id of the cue that opened the list
    inline: Line | None = None  # signers on the opener's own line ("Signed by: A, B")
    continues: bool = False  # opens late signers that continue the letter's list


@dataclass(frozen=True)
class Block:
    lines: tuple[Line, ...]  # one signer: a line, part of a line, or a signature block
    kind: ActorKind | None  # the kind its section announces
    rule: str


@dataclass(frozen=True)
class SignerList:
    opener: int  # index of the opener line
    blocks: tuple[Block, ...]
    end: int  # index after the last line of the list
    template: bool
    rule: str = ""  # the opener's rule id


def _names_person(text: str) -> bool:
    """A line that starts with a personal name ("Rt Hon Priti Patel MP", "Jane Doe, lawyer")."""
    named, _ = strip_honorifics(text.split(",")[0].split("(")[0].strip())
    return is_person_name(strip_post_nominals(named))


def _continues(block: list[Line], text: str) -> bool:
    """Whether `text` carries on a signature block rather than naming the next signer."""
    head = bare_text(block[0].text)
    place = country_of(text) or city_of(text) or text in lexicon().regions
    if place and len(block) == 1 and not country_of(head) and not city_of(head):
        return True  # "Orchid Collective" / "Germany": where the signer above is
    if "," in head or not _names_person(head) or _names_person(text):
        return False
    if len(block) == 1:
        return is_role(text)
    return len(block) < 4 and "," not in text


# --- lines that hold several signers ----------------------------------------------------------


def _parts(line: Line, text: str) -> list[Line]:
    """`text` (a part of `line`) split at commas outside parentheses and at a final "and"."""
    out: list[Line] = []
    base = line.start + line.text.find(text)
    depth, start = 0, 0
    for i, ch in enumerate(text + ","):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if (ch in ",;" and depth <= 0) or i == len(text):
            piece = text[start:i]
            lead = len(piece) - len(piece.lstrip())
            piece = piece.strip()
            m = re.match(r"^(?:and|&)\s+", piece)
            if m:
                lead, piece = lead + m.end(), piece[m.end() :]
            if out or piece:
                piece = (
                    piece.rstrip(".") if i == len(text) and not piece.endswith("Inc.") else piece
                )
                out.append(Line(base + start + lead, piece))
            start = i + 1
    # "A and B" in the last part of a run of several: two signers
    if len(out) >= 2:
        last = out[-1]
        m = re.search(r"\s+(?:and|&)\s+(?=[A-Z])", last.text)
        if m and not re.search(r"\s(?:and|&)\s", out[-2].text):
            left, right = last.text[: m.start()], last.text[m.end() :]
            out[-1:] = [Line(last.start, left), Line(last.start + m.end(), right)]
    return [p for p in out if p.text]


def _joins_previous(part: str) -> bool:
    """A part that annotates the signer before it rather than naming one: a legal form
    ("Inc."), a country or city, a unit ("Office of Communication Inc.")."""
    lex = lexicon()
    words = part.split()
    return bool(
        is_legal_suffix(part)
        or country_of(part)
        or part in lex.regions
        or city_of(part)
        or (len(words) >= 3 and words[0] in lex.unit_heads and words[1] == "of")
    )


def _name_run(line: Line, text: str, min_parts: int = _RUN_MIN_PARTS) -> list[Line] | None:
    """The signers of a comma-separated line ("A, B, C, and D."), or None for a line that is
    one signer ("Jo Park, Executive Director, Open Lantern Society") or prose."""
    if text.count(",") + text.count(";") + len(re.findall(r"\s(?:and|&)\s", text)) < (
        min_parts - 1
    ):
        return None
    parts = _parts(line, text)
    merged: list[Line] = []
    for p in parts:
        if merged and _joins_previous(p.text):
            prev = merged[-1]
            merged[-1] = Line(prev.start, text_between(line, prev.start, p.start + len(p.text)))
        else:
            merged.append(p)
    if len(merged) < min_parts:
        return None
    if _names_person(merged[0].text) and not all(_names_person(p.text) for p in merged):
        return None  # "Jo Park, Media Studies, Example University": one person, where they work
    prose_words = cues().prose_words
    for p in merged:
        words = p.text.split()
        if (
            not words
            or len(words) > _RUN_PART_MAX_WORDS
            or not (words[0][:1].isupper() or words[0] == "the")
        ):
            return None
        if sum(w.casefold() in prose_words for w in words) > max(1, len(words) // 2):
            return None
        if p.text[:1].isupper() and is_role(p.text):
            return None  # a signer's role: the line is one signer with their position
    return merged


# "leading immigration groups like RAICES": the description before the name
_DESCRIBED = re.compile(
    r"^(?:(?:and\s+)?(?:[\w-]+\s+){0,4}?(?:groups|organi[sz]ations|companies|ngos)\s+"
    r"(?:like|such\s+as|including)\s+)"
)


def name_parts(line: Line) -> list[Line]:
    """The names of a run written in a sentence ("groups like A and the B, C, and D"): parts
    split at commas and at an "and" before "the", descriptions before a name dropped, parts
    that are not names (roles, lower-case words) left out."""
    out: list[Line] = []
    for p in _parts(line, line.text):
        d = _DESCRIBED.match(p.text)
        if d:
            p = Line(p.start + d.end(), p.text[d.end() :])
        pieces = [p]
        m = re.search(r"\s+and\s+(?=the\s+[A-Z])", p.text)
        if m:
            pieces = [
                Line(p.start, p.text[: m.start()]),
                Line(p.start + m.end(), p.text[m.end() :]),
            ]
        for q in pieces:
            words = q.text.split()
            if (
                words
                and len(words) <= _RUN_PART_MAX_WORDS
                and (words[0][:1].isupper() or words[0][:1].isdigit() or words[0] == "the")
                and len(words) > (words[0] == "the")
                and not is_role(re.sub(r"^the\s+", "", q.text))
            ):
                out.append(q)
    merged: list[Line] = []
    for q in out:
        if merged and _joins_previous(q.text):
            prev = merged[-1]
            merged[-1] = Line(
                prev.start, line.text[prev.start - line.start : q.start - line.start + len(q.text)]
            )
        else:
            merged.append(q)
    return merged


def text_between(line: Line, start: int, end: int) -> str:
    return line.text[start - line.start : end - line.start]


def _run_together(line: Line, text: str) -> list[Line] | None:
    """ "Orchid (France)Tern (Spain)" → "Orchid (France)", "Tern (Spain)"."""
    cuts = [m.end() for m in _RUN_TOGETHER.finditer(text)]
    if not cuts:
        return None
    base = line.start + line.text.find(text)
    bounds = [0, *cuts, len(text)]
    out: list[Line] = []
    for a, b in itertools.pairwise(bounds):
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        out.append(Line(base + a + lead, piece.strip()))
    return out


def _signers_on(
    line: Line, text: str, min_parts: int = _RUN_MIN_PARTS
) -> tuple[list[Line], str] | None:
    """Several signers on one line, and the id of the rule that split them."""
    run = _name_run(line, text, min_parts)
    if run:
        return run, RULE_COMMA_RUN
    together = _run_together(line, text)
    if together:
        return together, RULE_RUN_TOGETHER
    return None


def _is_section(text: str) -> bool:
    """A short header inside a list ("Trade associations and supporters:")."""
    return (
        text.endswith(":")
        and len(text.split()) <= _SECTION_MAX_WORDS
        and not matches(cues().list_stops, text)
    )


# --- the list ---------------------------------------------------------------------------------


@dataclass
class _Collector:
    rule: str
    blocks: list[tuple[list[Line], ActorKind | None, str]] = dataclasses.field(default_factory=list)
    section: ActorKind | None = None

    def add(self, parts: list[Line], rule: str) -> None:
        self.blocks += [([p], self.section, rule) for p in parts]


def collect(lines: list[Line], opener: int | Opener) -> SignerList:
    c = cues()
    op = opener if isinstance(opener, Opener) else Opener(opener, "")
    got = _Collector(op.rule)
    if op.inline is not None:
        text = op.inline.text
        split = _signers_on(op.inline, text, min_parts=2)
        got.add(split[0] if split else [op.inline], split[1] if split else op.rule)
    run = 0  # blocks since the last blank line
    runs: list[int] = []
    template = False
    after_blank = False
    j = op.index + 1
    end = j
    while j < len(lines):
        line = lines[j]
        if line.blank:
            if run:
                runs.append(run)
                run = 0
            after_blank = True
            j += 1
            continue
        text = bare_text(line.text)
        if matches(c.list_stops, text):
            break
        if matches(c.closings, text):
            # A sign-off under an "undersigned" opener ("Sincerely,") signs nothing itself.
            j += 1
            continue
        kind = section_kind(text)
        if kind is not None or matches(c.list_headers, text) or _is_section(text):
            # a header inside the list ("Individuals:", "The undersigned organizations") opens
            # a section, of the kind it names if it names one
            got.section = kind
            runs, run = [], 0  # a new section may follow a blank line
            j += 1
            continue
        split = _signers_on(line, text)
        if split is None and (is_prose(text) or len(text) > 250 or text.endswith(":")):
            break
        if got.blocks and after_blank and runs and runs[-1] > 1:
            # a blank line ended a run of several signers: the list is over
            break
        if matches(c.placeholders, text):
            template = True
        elif split is not None:
            got.add(split[0], split[1])
            run += len(split[0])
        elif got.blocks and not after_blank and _continues(got.blocks[-1][0], text):
            got.blocks[-1][0].append(line)
        else:
            got.add([line], op.rule)
            run += 1
        after_blank = False
        j += 1
        end = j
    frozen = tuple(Block(tuple(b), k, r) for b, k, r in got.blocks)
    return SignerList(op.index, frozen, end, template, op.rule)


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
        (_bare_span(b.lines[0])[0], ", ".join(bare_text(x.text) for x in b.lines))
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
