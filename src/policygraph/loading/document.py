"""Building the Document value every loader returns."""

from __future__ import annotations

import dataclasses
import hashlib
import re

from policygraph.errors import DocumentError
from policygraph.models import Document, DocumentFormat, DocumentMeta, Span

__all__ = ["MAX_TEXT_BYTES", "content_hash", "make_document"]

# The document's text is one literal in its graph, one line of N-Quads: Oxigraph's parser
# refuses a line over 16 MiB ("Reached the buffer maximal size"), which aborted the whole
# build. A text whose escaped literal would not fit is refused here, naming the file.
MAX_TEXT_BYTES = 16 * 2**20 - 64 * 1024
_ESCAPED = ("\n", "\r", '"', "\\")


# A lone surrogate (a YAML "\ud800", a JSON escape) is no character: UTF-8 cannot carry it, and
# one in a title aborted the whole build at writing. It becomes U+FFFD, with a note; the
# replacement keeps the text's length, so offsets are unchanged.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(meta: DocumentMeta) -> tuple[DocumentMeta, bool]:
    changes: dict[str, object] = {}
    for f in dataclasses.fields(meta):
        value = getattr(meta, f.name)
        if isinstance(value, str) and _SURROGATE.search(value):
            changes[f.name] = _SURROGATE.sub("\ufffd", value)
        elif isinstance(value, tuple) and any(_SURROGATE.search(v) for v in value):
            changes[f.name] = tuple(_SURROGATE.sub("\ufffd", v) for v in value)
    return (dataclasses.replace(meta, **changes), True) if changes else (meta, False)  # type: ignore[arg-type]


def _literal_bytes(text: str) -> int:
    """About the size of the text written as an N-Triples literal (escapes counted)."""
    return len(text.encode("utf-8", "surrogatepass")) + sum(text.count(c) for c in _ESCAPED)


def content_hash(text: str) -> str:
    """SHA-256 of the normalised text: the same text has the same hash whatever its name."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_document(
    path: str,
    text: str,
    fmt: DocumentFormat,
    meta: DocumentMeta,
    *,
    boilerplate: tuple[Span, ...] = (),
    links: tuple[tuple[Span, str], ...] = (),
    notes: tuple[str, ...] = (),
) -> Document:
    if not text.strip():
        raise DocumentError(path, "empty document (no text once markup is removed)")
    meta, fixed = _without_surrogates(meta)
    if _SURROGATE.search(text):
        text, fixed = _SURROGATE.sub("\ufffd", text), True
    if fixed:
        notes = (*notes, "a lone surrogate (no character) replaced by U+FFFD")
    size = _literal_bytes(text)
    if size > MAX_TEXT_BYTES:
        raise DocumentError(
            path,
            f"text is too long: {size / 2**20:.1f} MB once read, the limit is "
            f"{MAX_TEXT_BYTES / 2**20:.1f} MB (the store's parser takes no longer literal)",
        )
    return Document(
        path=path,
        text=text,
        format=fmt,
        meta=meta,
        content_hash=content_hash(text),
        boilerplate=boilerplate,
        links=links,
        notes=notes,
    )
