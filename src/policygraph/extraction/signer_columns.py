"""Signer lists set in columns of plain text (1990s e-mail letters).

A plain-text letter may set its signers side by side, padded with spaces:

    American Civil Liberties Union         IBM
    Business Software Alliance             Information Technology Association of
                                           America

Each cell is a signer; a cell whose name wraps goes on in the same column on the next line
("... Association of" / "America"). This module reads such a region into cells (exact offsets
kept) and joins the wrapped ones, so the list reader takes one signer per cell.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .letter_cues import Line, bare_text, cues, is_prose, matches
from .lexicon import city_of, country_of, has_keyword, is_legal_suffix, is_role, lexicon
from .signer_runs import names_person

__all__ = ["RULE_COLUMNS", "Cell", "column_region"]

RULE_COLUMNS = "signers.layout.columns"

# four spaces or more between two pieces of text: a gutter between columns (tabs are a
# table row, read elsewhere)
_GUTTER = re.compile(r"(?<=\S) {4,}(?=\S)")
_GUTTER_MIN = 4
_NARROW_GAP = re.compile(r"(?<=\S) {2,}(?=\S)")
_CELL_MAX_WORDS = 9
# words that end a cell whose name goes on in the line below ("Association of" / "America")
_OPEN_ENDS = frozenset({"of", "and", "for", "the", "&", "on", "in", "de", "du", "und", "to"})


@dataclass(frozen=True)
class Cell:
    lines: tuple[Line, ...]  # one line, or the lines of a wrapped name
    above: int | None = None  # the cell right above it in its column (an index of the list)


def _cells(line: Line, gutter: int | None) -> list[tuple[int, Line]] | None:
    """The (column, cell) pieces of one line; None when a piece is not a signer's name."""
    text = line.text.rstrip()
    # a narrower gap counts where it ends at the gutter (a long name in the first column)
    gaps = [
        g
        for g in _NARROW_GAP.finditer(text)
        if len(g.group(0)) >= _GUTTER_MIN or line.indent + g.end() == gutter
    ]
    bounds = [0, *(g.end() for g in gaps)]
    stops = [*(g.start() for g in gaps), len(text)]
    out: list[tuple[int, Line]] = []
    for k, (a, b) in enumerate(zip(bounds, stops, strict=True)):
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        if not piece:
            continue
        at = a + lead
        # a line with one cell: the column its indentation puts it in
        column = k if gaps else int(gutter is not None and line.indent + at >= gutter - 2)
        if len(piece.split()) > _CELL_MAX_WORDS or is_prose(piece):
            return None
        out.append((column, Line(line.start + at, piece)))
    return out


def _gutter(lines: list[Line]) -> int | None:
    """Where the second column starts: the most common start of a cell after a gutter."""
    starts = Counter(x.indent + m.end() for x in lines for m in _GUTTER.finditer(x.text.rstrip()))
    return starts.most_common(1)[0][0] if starts else None


def _wraps(above: str, below: str) -> bool:
    """Whether `below` carries on the name of `above` in the same column."""
    lex = lexicon()
    last = above.split()[-1].casefold() if above.split() else ""
    if last in _OPEN_ENDS or below[:1].islower():
        return True
    named = has_keyword(above, lex.strong_keywords) or is_legal_suffix(above.split(",")[-1])
    return (
        not named
        and not is_role(above)  # "Legislative Counsel" / "Orchid Network": a role, then a body
        and not names_person(above)
        and "," not in above
        and len(below.split()) <= 3
        and has_keyword(below, lex.strong_keywords)
    )


def _region_end(lines: list[Line], j: int) -> int:
    """The line after the region from `j`: two blank lines, a stop cue or prose end it."""
    c = cues()
    k = j
    while k < len(lines):
        if lines[k].blank:
            if k + 1 < len(lines) and lines[k + 1].blank:
                break
            k += 1
            continue
        text = bare_text(lines[k].text)
        if matches(c.list_stops, text) or matches(c.closings, text):
            break
        if not _NARROW_GAP.search(text) and is_prose(text):  # (a row's cells are read alone)
            break
        k += 1
    return k


def _is_table(region: list[Line], gutter: int | None) -> bool:
    """Rows of one signer each, set out as a table ("Jo Park      Professor, Orchid",
    "Orchid Collective      Germany"): the second cell says who or where the first is."""
    rows = [p for x in region if not x.blank for p in [_cells(x, gutter)] if p and len(p) == 2]
    described = 0
    for (_, first), (_, second) in rows:
        other = second.text
        if (
            country_of(other)
            or city_of(other)
            or is_role(other.split(",")[0])
            or (names_person(first.text) and not names_person(other))
        ):
            described += 1
    return bool(rows) and described * 2 > len(rows)


def column_region(lines: list[Line], j: int) -> tuple[list[Cell], int] | None:
    """The signer cells of a column layout starting at line `j`, and the line after it; None
    when the lines from `j` are not set in columns."""
    if not _GUTTER.search(lines[j].text.rstrip()):
        return None
    end = _region_end(lines, j)
    region = lines[j:end]
    gutter = _gutter(region)
    if _is_table(region, gutter):
        return None
    # column -> the cell being read there: its lines, and the cell right above it
    open_cells: dict[int, tuple[list[Line], list[Line] | None]] = {}
    done: list[tuple[list[Line], list[Line] | None]] = []
    for row, line in enumerate(region):
        pieces = [] if line.blank else _cells(line, gutter)
        if pieces is None:  # prose or a long line: the columns are over
            if row == 0:
                return None
            end = j + row
            break
        seen = {col for col, _ in pieces}
        for col in list(open_cells):
            if col not in seen:  # an empty cell ends the name above it
                done.append(open_cells.pop(col))
        for col, cell in pieces:
            prev = open_cells.get(col)
            if prev is not None and _wraps(" ".join(x.text for x in prev[0]), cell.text):
                prev[0].append(cell)
                continue
            if prev is not None:
                done.append(prev)
            open_cells[col] = ([cell], prev[0] if prev is not None else None)
    done += open_cells.values()
    done.sort(key=lambda d: d[0][0].start)
    index = {id(d[0]): i for i, d in enumerate(done)}
    cells = [Cell(tuple(d[0]), index[id(d[1])] if d[1] is not None else None) for d in done]
    if len(cells) < 2 or not all(c.lines[0].text[:1].isupper() for c in cells):
        return None
    return cells, end
