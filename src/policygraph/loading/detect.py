"""Which loader a file needs, decided from its content first and its name second.

Files arrive misnamed (the seed blog post is a .txt with YAML front matter), so the bytes
decide: the PDF magic, an HTML document element, front matter. The suffix only breaks ties.
"""

from __future__ import annotations

import os
import re

__all__ = [
    "RST_SUFFIXES",
    "SUPPORTED_SUFFIXES",
    "UNSUPPORTED_DOCUMENTS",
    "detect_format",
    "is_pdf",
    "looks_like_html",
]

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".md", ".markdown", ".txt", ".text", ".html", ".htm", ".xhtml", ".pdf", ".rst", ".rest"}
)
RST_SUFFIXES = frozenset({".rst", ".rest"})
# Documents in formats policygraph cannot read: a folder holding one says why it was not read
# (other files, such as images and style sheets, are not documents and pass unremarked).
UNSUPPORTED_DOCUMENTS: dict[str, str] = {
    ".docx": "Word documents are not read: save it as PDF, HTML or text",
    ".doc": "Word documents are not read: save it as PDF, HTML or text",
    ".odt": "OpenDocument text is not read: save it as PDF, HTML or text",
    ".rtf": "RTF is not read: save it as PDF, HTML or text",
    ".pages": "Pages documents are not read: export it as PDF or text",
    ".epub": "EPUB is not read: convert it to HTML or text",
    ".adoc": "AsciiDoc is not read: convert it to HTML or Markdown",
    ".asciidoc": "AsciiDoc is not read: convert it to HTML or Markdown",
    ".org": "Org-mode files are not read: export them to Markdown or HTML",
    ".tex": "LaTeX sources are not read: give the PDF instead",
    ".eml": "e-mail files are not read: save the message as text or HTML",
}

# What may come before the document element (an XML declaration, comments) is skipped by
# _prolog_end, not by a regex: `(?:<!--.*?-->\s*)*` could match each comment in many ways and
# took exponential time ('<!---->' * 30: hours).
_HTML_ELEMENT = re.compile(r"<(?:!doctype\s+html|html)\b", re.I)
_HTML_BODY = re.compile(r"<(?:head|body)\b[^>]*>", re.I)
# Markup that plain text does not contain: a body with these is Markdown.
_MARKDOWN_SIGNS = re.compile(
    r"<(?:a|p|span|div|strong|em|b|i|br|li|ul|img)\b[^<>]*>"  # inline HTML
    r"|\[[^\[\]\n]+\]\([^()\s]+\)"  # [text](url)
    r"|(?m:^#{1,6} \S)"  # heading
    r"|(?m:^[ \t]*[*+-] \S)"  # bullet
    r"|\*\*\S|(?m:^_\S.*\S_$)"  # bold, an italic line
    r"|\{\{[<%]",  # Hugo shortcode
)


# Markdown shows itself early; looking further only costs time on huge plain texts.
_SNIFF_CHARS = 64 * 1024


def is_pdf(data: bytes) -> bool:
    # The spec allows junk before the header within the first 1024 bytes.
    return b"%PDF-" in data[:1024]


def _prolog_end(head: str) -> int:
    """Where the text after leading white space, an XML declaration and comments starts."""
    pos = len(head) - len(head.lstrip())
    if head.startswith("<?xml", pos):
        pos = head.find(">", pos) + 1 or len(head)
    while True:
        pos += len(head[pos:]) - len(head[pos:].lstrip())
        if not head.startswith("<!--", pos):
            return pos
        end = head.find("-->", pos + 4)
        if end < 0:
            return len(head)
        pos = end + 3


def looks_like_html(head: str) -> bool:
    return bool(_HTML_ELEMENT.match(head, _prolog_end(head)) or _HTML_BODY.search(head[:4096]))


def markdown_body(body: str) -> bool:
    return bool(_MARKDOWN_SIGNS.search(body[:_SNIFF_CHARS]))


def detect_format(path: str, head: str, *, front_matter: bool, body: str) -> str:
    """'html', 'markdown', 'rst' or 'text' for a decoded text file (PDF is decided on bytes)."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix in RST_SUFFIXES and not looks_like_html(head):
        return "rst"
    if looks_like_html(head) and not front_matter:
        return "html"
    if front_matter:
        if suffix in (".md", ".markdown") or markdown_body(body):
            return "markdown"
        return "text"
    if suffix in (".md", ".markdown"):
        return "markdown"
    if suffix in (".html", ".htm", ".xhtml"):
        return "html"
    return "text"
