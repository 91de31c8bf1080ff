"""Load documents (Markdown, scraped text, HTML, PDF) into normalised `Document` values.

    doc = load_document("data/documents/004_de020599fd118b6a.txt")
    for item in iter_documents(["corpus/"]):   # Document or DocumentError, never raises
        ...

Nothing downstream reads files: this package decodes, detects the format from content,
strips markup, separates site furniture and reads the metadata.
"""

from __future__ import annotations

import os
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
from policygraph.loading.markdown import ZERO_WIDTH, strip_markdown
from policygraph.loading.pdf import load_pdf
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
    fm: FrontMatter | None, path: str, real_path: str, found_publisher: str | None = None
) -> DocumentMeta:
    """Metadata from front matter; `found_publisher` is what the content itself suggests.

    Publisher, most explicit first: the front matter's `publisher:`, the corpus's site.yaml
    (or Hugo config), the site's own profile in authors/, what the content says (a scraped
    page's footer), a lone author without a profile.
    """
    site = find_site_settings(real_path)
    if fm is None:
        return DocumentMeta(
            publisher=(site.publisher if site else None) or found_publisher,
            site=site.site if site else None,
        )
    data = fm.data
    who = authorship(data, path, find_author_directory(real_path))
    url = string_field(data, "url", path)
    return DocumentMeta(
        title=string_field(data, "title", path),
        date=front_matter_date(data, path, url, os.path.basename(real_path)),
        authors=who.authors,
        publisher=who.publisher
        or (site.publisher if site else None)
        or who.organisation
        or found_publisher
        or who.lone_author,
        url=url,
        categories=string_list(data, ("categories", "category"), path),
        site=string_field(data, "site", path) or (site.site if site else None),
    )


def _load_markdown(path: str, fm: FrontMatter | None, text: str, real_path: str) -> Document:
    meta = _front_meta(fm, path, real_path)
    body = fm.body if fm else text
    plain, links = strip_markdown(body)
    if meta.title is None and plain and body.lstrip().startswith("#"):
        meta = replace(meta, title=plain.split("\n", 1)[0].strip() or None)
    return make_document(path, plain, "markdown", meta, links=links)


def _load_text(path: str, fm: FrontMatter | None, text: str, real_path: str) -> Document:
    body = (fm.body if fm else text).translate(ZERO_WIDTH).strip("\n")
    body = "\n".join(line.rstrip() for line in body.split("\n"))
    analysis = analyse_text(body)
    meta = _front_meta(fm, path, real_path, analysis.publisher)
    meta = replace(meta, title=meta.title or analysis.title)
    return make_document(path, body, "text", meta, boilerplate=analysis.boilerplate)


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
    text = normalise_text(decode_bytes(data, shown))
    if not text.strip():
        raise DocumentError(shown, "empty document (nothing but whitespace)")
    fm = parse_front_matter(text, shown)
    body = fm.body if fm else text
    fmt = detect_format(real_path, text[:4096], front_matter=fm is not None, body=body)
    if fmt == "html":
        # trafilatura takes a tenth of a second to import: only when a page needs it.
        from policygraph.loading.html import load_html

        return _with_site(load_html(text, shown), real_path)
    if fmt == "markdown":
        return _load_markdown(shown, fm, text, real_path)
    return _load_text(shown, fm, text, real_path)


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
