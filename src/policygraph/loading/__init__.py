"""Load documents (Markdown, scraped text, HTML, PDF) into normalised `Document` values.

    doc = load_document("data/documents/004_de020599fd118b6a.txt")
    for item in iter_documents(["corpus/"]):   # Document or DocumentError, never raises
        ...

Nothing downstream reads files: this package decodes, detects the format from content,
strips markup, separates site furniture and reads the metadata.
"""

from __future__ import annotations

import html as html_entities
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from policygraph.errors import DocumentError
from policygraph.loading.authors import find_author_directory
from policygraph.loading.decode import DEFAULT_MAX_BYTES, decode_bytes, normalise_text, read_bytes
from policygraph.loading.detect import SUPPORTED_SUFFIXES, detect_format, is_pdf
from policygraph.loading.document import content_hash, make_document
from policygraph.loading.frontmatter import (
    FrontMatter,
    authorship,
    front_matter_date,
    parse_front_matter,
    string_field,
    string_list,
)
from policygraph.loading.headers import is_not_title, read_headers
from policygraph.loading.markdown import ZERO_WIDTH, strip_markdown
from policygraph.loading.pdf import load_pdf
from policygraph.loading.rst import strip_rst
from policygraph.loading.site import find_site_settings
from policygraph.loading.text import analyse_text
from policygraph.loading.walk import walk_paths
from policygraph.models import Document, DocumentMeta

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "content_hash",
    "iter_documents",
    "load_document",
]

PathLike = str | os.PathLike[str]


def _front_meta(
    fm: FrontMatter | None,
    path: str,
    real_path: str,
    notes: list[str],
    found_publisher: str | None = None,
) -> DocumentMeta:
    """Metadata from front matter; `found_publisher` is what the content itself suggests.

    Publisher, most explicit first: the front matter's `publisher:`, the corpus's site.yaml
    (or Hugo config), the site's own profile in authors/, what the content says (a scraped
    page's footer), a lone author that names an organisation (a person or a byline
    such as "Staff Writer" is only the author). A field that
    cannot be read is left out and noted in `notes`; the document is still read.
    """
    site = find_site_settings(real_path)
    if fm is None:
        return DocumentMeta(
            publisher=(site.publisher if site else None) or found_publisher,
            site=site.site if site else None,
        )
    data = fm.data
    who = authorship(data, path, find_author_directory(real_path))
    url = _field(data, ("url", "permalink"), path, notes)
    title = _field(data, ("title", "post_title"), path, notes)
    return DocumentMeta(
        title=html_entities.unescape(title) if title else None,
        date=front_matter_date(data, path, url, os.path.basename(real_path), notes=notes),
        authors=who.authors,
        publisher=who.publisher
        or (site.publisher if site else None)
        or who.organisation
        or found_publisher
        or who.lone_author,
        url=url,
        categories=string_list(data, ("categories", "category"), path),
        site=_field(data, ("site",), path, notes) or (site.site if site else None),
    )


def _field(
    data: dict[str, object], keys: tuple[str, ...], path: str, notes: list[str]
) -> str | None:
    """The first of `keys` that holds a string; one that holds a list or mapping is noted
    and skipped."""
    for key in keys:
        try:
            value = string_field(data, key, path)
        except DocumentError as exc:
            notes.append(exc.problem)
            continue
        if value is not None:
            return value
    return None


def _with_headers(meta: DocumentMeta, body: str, notes: list[str], path: str) -> DocumentMeta:
    """Fill what front matter left empty from the body's own header lines ("+ Date: ...")."""
    found = read_headers(body)
    if not found.values:
        return meta
    date = meta.date
    if date is None and found.get("date"):
        date = front_matter_date({"date": found.get("date")}, path, notes=notes)
    author = found.get("author")
    return replace(
        meta,
        title=meta.title or found.get("title"),
        date=date,
        authors=meta.authors or ((author,) if author else ()),
        publisher=meta.publisher or found.get("publisher"),
    )


def _load_markdown(
    path: str, fm: FrontMatter | None, text: str, real_path: str, notes: list[str]
) -> Document:
    meta = _front_meta(fm, path, real_path, notes)
    body = fm.body if fm else text
    plain, links = strip_markdown(body)
    first = plain.split("\n", 1)[0].strip() if plain else ""
    if meta.title is None and first and body.lstrip().startswith("#") and not is_not_title(first):
        meta = replace(meta, title=first)
    meta = _with_headers(meta, plain, notes, path)
    return make_document(path, plain, "markdown", meta, links=links, notes=tuple(notes))


def _load_text(
    path: str, fm: FrontMatter | None, text: str, real_path: str, notes: list[str]
) -> Document:
    body = (fm.body if fm else text).translate(ZERO_WIDTH).strip("\n")
    body = "\n".join(line.rstrip() for line in body.split("\n"))
    analysis = analyse_text(body, not_title=is_not_title)
    meta = _front_meta(fm, path, real_path, notes, analysis.publisher)
    meta = _with_headers(replace(meta, title=meta.title or analysis.title), body, notes, path)
    return make_document(
        path, body, "text", meta, boilerplate=analysis.boilerplate, notes=tuple(notes)
    )


def _load_rst(path: str, text: str, real_path: str, notes: list[str]) -> Document:
    rst = strip_rst(text)
    fields = rst.fields
    meta = _front_meta(None, path, real_path, notes)
    date = front_matter_date(fields, path, notes=notes) if fields else None
    author = fields.get("author") or fields.get("authors")
    meta = replace(
        meta,
        title=rst.title,
        date=date,
        authors=tuple(a.strip() for a in re.split(r"[;,]", author) if a.strip()) if author else (),
    )
    meta = _with_headers(meta, rst.text, notes, path)
    return make_document(path, rst.text, "rst", meta, links=rst.links, notes=tuple(notes))


def _with_site(doc: Document, real_path: str) -> Document:
    """HTML and PDF carry their own metadata; a corpus's site.yaml still names the publisher."""
    site = find_site_settings(real_path)
    if site is None:
        return doc
    meta = replace(
        doc.meta,
        publisher=site.publisher or doc.meta.publisher,
        site=site.site or doc.meta.site,
    )
    return replace(doc, meta=meta)


def load_document(
    path: PathLike, *, root: PathLike | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Document:
    """Load one file as a Document; DocumentError (naming the file) if it cannot be.

    `root`, when given, makes Document.path relative to it (stable across checkouts).
    """
    real_path = os.fspath(path)
    shown = os.path.relpath(real_path, os.fspath(root)) if root is not None else real_path
    data = read_bytes(real_path, max_bytes=max_bytes, name=shown)
    if is_pdf(data):
        return _with_site(load_pdf(data, shown), real_path)
    if os.path.splitext(real_path)[1].lower() == ".pdf":
        raise DocumentError(shown, "not a PDF: the file has no %PDF header (corrupt download?)")
    decoding: list[str] = []
    text = normalise_text(decode_bytes(data, shown, decoding))
    if not text.strip():
        raise DocumentError(shown, "empty document (nothing but whitespace)")
    doc = _load_text_file(shown, text, real_path)
    return replace(doc, notes=(*decoding, *doc.notes)) if decoding else doc


def _load_text_file(shown: str, text: str, real_path: str) -> Document:
    notes: list[str] = []
    if detect_format(real_path, text[:4096], front_matter=False, body=text) == "rst":
        return _load_rst(shown, text, real_path, notes)
    fm = parse_front_matter(text, shown)
    body = fm.body if fm else text
    fmt = detect_format(real_path, text[:4096], front_matter=fm is not None, body=body)
    if fmt == "html":
        # trafilatura takes a tenth of a second to import: only when a page needs it.
        from policygraph.loading.html import load_html

        return _with_site(load_html(text, shown), real_path)
    if fmt == "markdown":
        return _load_markdown(shown, fm, text, real_path, notes)
    return _load_text(shown, fm, text, real_path, notes)


def iter_documents(
    paths: PathLike | Iterable[PathLike],
    *,
    root: PathLike | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Document | DocumentError]:
    """Every document under `paths` (files, or folders walked in sorted order).

    Yields a DocumentError for each file that cannot be loaded, and goes on with the rest.
    Hidden files and folders, and `authors/` folders (profiles, not documents), are skipped.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    for item in walk_paths([os.fspath(p) for p in paths]):
        if isinstance(item, DocumentError):
            yield item
            continue
        try:
            yield load_document(item, root=root, max_bytes=max_bytes)
        except DocumentError as exc:
            yield exc
