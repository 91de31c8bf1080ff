"""Building the Document value every loader returns."""

from __future__ import annotations

import hashlib

from policygraph.errors import DocumentError
from policygraph.models import Document, DocumentFormat, DocumentMeta, Span

__all__ = ["content_hash", "make_document"]


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
