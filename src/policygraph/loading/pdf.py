"""PDF letters: text in reading order, two-column signatory lists read column by column.

pdfplumber gives words with positions. Words are grouped into rows; where consecutive rows
share an empty vertical gutter (a signatory list set in two columns), the run is read as the
left column, then the right one. Full-width prose rows read as they are.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import statistics
import unicodedata
import zlib
from typing import Any

from policygraph.errors import DocumentError
from policygraph.loading.document import make_document
from policygraph.loading.markdown import ZERO_WIDTH
from policygraph.models import Document, DocumentMeta

__all__ = ["load_pdf", "page_lines"]

_ROW_TOLERANCE = 3.0  # points: words whose tops differ less are on one row
_MIN_GUTTER = 12.0  # points: narrower gaps are spaces between words of prose
_MIN_COLUMN_ROWS = 2  # rows with text on both sides of the gutter before we call it columns
_HANGING_INDENT = 4.0  # points: a column line indented this much continues the line above
_MAX_HANGING_INDENT = 30.0  # points: deeper indents are not a wrapped entry
_PDF_DATE = re.compile(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?")
# What one PDF may hold before its text is read: pdfminer inflates every content stream in
# full and keeps an object per character, so a small file of shared or highly compressed
# streams took gigabytes (500 pages sharing one 2 MB stream: 8 GB; 1.9 MB of compressed
# zeros: minutes). The seed letters have under 20 pages and 200 KB of content.
MAX_PAGES = 2_000
MAX_CONTENT_BYTES = 64 * 2**20  # page content streams, decompressed, summed over the pages

Word = dict[str, Any]


def _rows(words: list[Word]) -> list[list[Word]]:
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (round(w["top"], 1), w["x0"])):
        if rows and abs(rows[-1][0]["top"] - word["top"]) <= _ROW_TOLERANCE:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w["x0"]) for row in rows]


def _gutter(rows: list[list[Word]], width: float) -> float | None:
    """x of a gutter that several rows share, or None for single-column text."""
    starts = []
    for row in rows:
        gaps = [
            (b["x0"] - a["x1"], (a["x1"] + b["x0"]) / 2, b["x0"])
            for a, b in itertools.pairwise(row)
        ]
        if gaps:
            size, centre, start = max(gaps)
            if size >= _MIN_GUTTER and 0.25 * width <= centre <= 0.75 * width:
                starts.append(start)
    if len(starts) < _MIN_COLUMN_ROWS:
        return None
    # The right column starts at one x while the left column's lines end wherever they end,
    # so the gutter is placed just left of that start, not midway across ragged gaps.
    return float(statistics.median(starts)) - _MIN_GUTTER / 2 - 0.5


def _split(row: list[Word], gutter: float) -> tuple[list[Word], list[Word]] | None:
    """(left, right) words of a row the gutter runs through, None if a word crosses it."""
    half = _MIN_GUTTER / 2
    if any(w["x0"] < gutter + half and w["x1"] > gutter - half for w in row):
        return None
    return [w for w in row if w["x1"] <= gutter], [w for w in row if w["x0"] >= gutter]


def _line(words: list[Word]) -> str:
    return " ".join(w["text"] for w in words)


def _column_lines(lines: list[list[Word]]) -> list[str]:
    """A column's entries: a line set under a hanging indent continues the entry above it
    (a signatory name too long for its column)."""
    # The column's margin is where most of its lines start (a label above it may stick out).
    margin = statistics.mode(round(words[0]["x0"]) for words in lines)
    out: list[str] = []
    for words in lines:
        if out and _HANGING_INDENT <= words[0]["x0"] - margin <= _MAX_HANGING_INDENT:
            out[-1] = f"{out[-1]} {_line(words)}"
        else:
            out.append(_line(words))
    return out


def page_lines(words: list[Word], width: float) -> list[str]:
    """The page's lines in reading order."""
    rows = _rows(words)
    gutter = _gutter(rows, width)
    out: list[str] = []
    run: list[tuple[list[Word], list[Word]]] = []

    def flush() -> None:
        both = sum(1 for left, right in run if left and right)
        if both >= _MIN_COLUMN_ROWS:
            out.extend(_column_lines([left for left, _ in run if left]))
            out.extend(_column_lines([right for _, right in run if right]))
        else:
            out.extend(_line(left + right) for left, right in run)
        run.clear()

    for row in rows:
        parts = _split(row, gutter) if gutter is not None else None
        if parts is None:
            flush()
            out.append(_line(row))
        else:
            run.append(parts)
    flush()
    return out


_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$", re.I
)
_FURNITURE_LINES = 2  # lines at the top and the bottom of a page that may be furniture


def _without_furniture(pages: list[list[str]]) -> list[str]:
    """The pages' lines without page furniture: page numbers ("3", "Page 3 of 5", "- 3 -")
    and running heads or feet (the same line at the top or bottom of several pages)."""

    def edges(page: list[str]) -> list[str]:
        return page[:_FURNITURE_LINES] + page[-_FURNITURE_LINES:]

    seen: dict[str, int] = {}
    for page in pages:
        for line in set(edges(page)):
            key = re.sub(r"\d+", "#", line.strip())
            seen[key] = seen.get(key, 0) + 1
    repeated = {k for k, n in seen.items() if n >= 2 and len(pages) >= 2}
    out: list[str] = []
    for page in pages:
        n = len(page)
        for i, line in enumerate(page):
            at_edge = i < _FURNITURE_LINES or i >= n - _FURNITURE_LINES
            key = re.sub(r"\d+", "#", line.strip())
            if at_edge and (_PAGE_NUMBER.match(line.strip()) or key in repeated):
                continue
            out.append(line)
    return out


def _pdf_date(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("latin-1", "replace")
    m = _PDF_DATE.match(str(value or ""))
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)).isoformat()
    except ValueError:
        return None


def _info(pdf: Any, key: str) -> str | None:
    value = (pdf.metadata or {}).get(key)
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _root_cause(exc: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's error in PdfminerException(original)."""
    seen: set[int] = set()
    while id(exc) not in seen:
        seen.add(id(exc))
        inner = exc.__cause__ or next((a for a in exc.args if isinstance(a, BaseException)), None)
        if inner is None:
            break
        exc = inner
    return exc


def _password_problem(exc: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    inner = _root_cause(exc)
    return isinstance(inner, PDFPasswordIncorrect | PDFEncryptionError)


def _inflated_size(stream: Any, limit: int) -> int:
    """The size of a content stream once decoded, counted up to `limit` + 1 without
    decoding more (a stream whose first filter is not Flate counts its raw size)."""
    if getattr(stream, "data", None) is not None:
        return len(stream.data)
    raw = getattr(stream, "rawdata", None) or b""
    filters = stream.get_filters() if hasattr(stream, "get_filters") else []
    name = getattr(filters[0][0], "name", "") if filters else ""
    if name not in ("FlateDecode", "Fl") or getattr(stream, "decipher", None):
        return len(raw)
    try:
        return len(zlib.decompressobj().decompress(raw, limit + 1))
    except zlib.error:
        return len(raw)


def _check_size(pdf: Any, path: str) -> None:
    """DocumentError when the PDF has more pages or page content than a letter could."""
    from pdfminer.pdftypes import resolve1

    if len(pdf.pages) > MAX_PAGES:
        raise DocumentError(
            path, f"PDF has {len(pdf.pages)} pages, over the limit of {MAX_PAGES}: not read"
        )
    total = 0
    for page in pdf.pages:
        for ref in page.page_obj.contents:
            total += _inflated_size(resolve1(ref), MAX_CONTENT_BYTES - total)
            if total > MAX_CONTENT_BYTES:
                raise DocumentError(
                    path,
                    f"PDF page content decompresses to over {MAX_CONTENT_BYTES // 2**20} MB "
                    f"(by page {page.page_number} of {len(pdf.pages)}): not read",
                )


def load_pdf(data: bytes, path: str) -> Document:
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            _check_size(pdf, path)
            pages = []
            for page in pdf.pages:
                words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
                pages.append("\n".join(page_lines(words, float(page.width))))
            title, author = _info(pdf, "Title"), _info(pdf, "Author")
            date = _pdf_date((pdf.metadata or {}).get("CreationDate"))
    except DocumentError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        if _password_problem(exc):
            raise DocumentError(
                path, "password-protected (encrypted) PDF: cannot read its text"
            ) from exc
        inner = _root_cause(exc)
        detail = f"{type(inner).__name__}: {inner}".rstrip(": ")
        raise DocumentError(path, f"corrupt or unreadable PDF ({detail})") from exc
    # Pages join without a blank line: a page break is not a paragraph break, and a signer
    # list set over two pages is one list.
    text = "\n".join(_without_furniture([p.split("\n") for p in pages if p.strip()]))
    text = unicodedata.normalize("NFC", text.translate(ZERO_WIDTH))
    if not text.strip():
        raise DocumentError(path, "PDF has no text layer (a scanned image?); nothing to read")
    meta = DocumentMeta(title=title, date=date, authors=(author,) if author else ())
    return make_document(path, text, "pdf", meta)
