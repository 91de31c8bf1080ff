"""The signer list of a letter: where it opens, which lines it runs over, who is on it.

A list opens at a closing ("Sincerely,"), a header ("Signatories") or a "We, the undersigned"
paragraph, and runs over signer lines and signature blocks, section headers and sign-offs until
prose or a stop cue ends it. Finding those lines is a stage of its own between the cues
(letter_cues.py) and reading each signer (signatories.py); extract_letter (letters.py) picks the
longest list this module finds.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..models import ActorKind, Document, SignatoryEntry, Span
from .letter_cues import Line, bare_text, cues, is_prose, matches
from .lexicon import is_person_name, is_role, section_kind, strip_honorifics, strip_post_nominals
from .signatories import parse_signatory_lines

__all__ = ["SignerList", "collect", "openers", "signatory_entries"]

# --- the signer list -------------------------------------------------------------------------


@dataclass(frozen=True)
class SignerList:
    opener: int  # index of the opener line
    # one signer per block: usually one line, or a signature block ("Jane Doe" /
    # "Executive Director" / "Foo Institute") of a few lines
    blocks: tuple[tuple[tuple[Line, ...], ActorKind | None], ...]
    end: int  # index after the last line of the list
    template: bool


def _names_person(text: str) -> bool:
    """A line that starts with a personal name ("Rt Hon Priti Patel MP", "Jane Doe, lawyer")."""
    named, _ = strip_honorifics(text.split(",")[0].strip())
    return is_person_name(strip_post_nominals(named))


def _continues(block: list[Line], text: str) -> bool:
    """Whether `text` carries on a signature block rather than naming the next signer."""
    head = bare_text(block[0].text)
    if "," in head or not _names_person(head) or _names_person(text):
        return False
    if len(block) == 1:
        return is_role(text)
    return len(block) < 4 and "," not in text


def collect(lines: list[Line], opener: int) -> SignerList:
    c = cues()
    blocks: list[tuple[list[Line], ActorKind | None]] = []
    section: ActorKind | None = None
    run = 0  # blocks since the last blank line
    runs: list[int] = []
    template = False
    after_blank = False
    j = opener + 1
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
        if kind is not None:
            section = kind
            runs = []  # a new section may follow a blank line
            j += 1
            continue
        if is_prose(text) or len(text) > 250 or text.endswith(":"):
            break
        if blocks and after_blank and runs and runs[-1] > 1:
            # a blank line ended a run of several signers: the list is over
            break
        if matches(c.placeholders, text):
            template = True
        elif blocks and not after_blank and _continues(blocks[-1][0], text):
            blocks[-1][0].append(line)
        else:
            blocks.append(([line], section))
            run += 1
        after_blank = False
        j += 1
        end = j
    frozen = tuple((tuple(b), k) for b, k in blocks)
    return SignerList(opener, frozen, end, template)


def _bare_span(line: Line) -> tuple[int, int]:
    bare = bare_text(line.text)
    start = line.start + line.text.find(bare) if bare else line.start
    return start, start + len(bare)


def signatory_entries(doc: Document, found: SignerList) -> list[SignatoryEntry]:
    pairs = [
        (_bare_span(b[0])[0], ", ".join(bare_text(x.text) for x in b)) for b, _ in found.blocks
    ]
    sections = [kind for _, kind in found.blocks]
    out: list[SignatoryEntry] = []
    for entry, (block, _) in zip(
        parse_signatory_lines(pairs, section_kinds=sections), found.blocks, strict=True
    ):
        if len(block) > 1:  # the span covers the block's lines as the text has them
            start, end = _bare_span(block[0])[0], _bare_span(block[-1])[1]
            entry = dataclasses.replace(entry, span=Span(start, end, doc.text[start:end]))
        out.append(entry)
    return out


def openers(lines: list[Line]) -> list[int]:
    c = cues()
    out: list[int] = []
    for i, line in enumerate(lines):
        text = bare_text(line.text)
        if not text:
            continue
        short = len(text) <= 80
        if (short and (matches(c.closings, text) or matches(c.list_headers, text))) or (
            c.undersigned.search(text)
        ):
            out.append(i)
    return out
