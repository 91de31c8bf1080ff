"""reStructuredText (.rst) → plain text, links and the metadata its docinfo fields state.

A small reader for what documents written in reST use: section titles (underlined, possibly
overlined), a docinfo field list (`:Date:`, `:Author:`, `:Title:`), bullet and enumerated
lists, inline markup (``literal``, **strong**, *emphasis*, :role:`text`), hyperlinks
(`text <url>`_) and directives. Directives that carry no prose (images, code, raw HTML,
comments) are dropped with their indented body; admonitions keep their text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policygraph.models import Span

__all__ = ["RstText", "strip_rst"]

_ADORNMENT = re.compile(r"^([=\-`:'\"~^_*+#<>.])\1{2,}\s*$")
_FIELD = re.compile(r"^:(?P<key>[A-Za-z][\w -]*):\s*(?P<value>.*)$")
_DIRECTIVE = re.compile(r"^\.\.\s+(?:(?P<name>[\w-]+)::(?P<arg>.*)|_[^:]+:.*|\[[^\]]+\].*|.*)$")
_KEEP_DIRECTIVES = frozenset(
    {"note", "warning", "admonition", "attention", "important", "tip", "hint", "epigraph",
     "pull-quote", "highlights", "topic", "sidebar", "rubric", "caution", "danger", "error"}
)  # fmt: skip
_BULLET = re.compile(r"^(?:[-*+•]|#\.|\d+[.)]|\(\d+\))\s+(?=\S)")
_INLINE = re.compile(
    r"`(?P<ltext>[^`<]+?)\s*<(?P<url>[^<>`]+)>`__?"  # `text <url>`_
    r"|``(?P<literal>[^`]+)``"
    r"|:[\w:+-]+:`(?P<role>[^`]+)`"
    r"|`(?P<ref>[^`]+)`__?"
    r"|\*\*(?P<strong>[^*]+)\*\*"
    r"|(?<![\w*])\*(?P<em>[^*\s][^*]*)\*(?![\w*])"
)


_GROUPS = ("ltext", "literal", "role", "ref", "strong", "em")


@dataclass(frozen=True)
class RstText:
    text: str
    links: tuple[tuple[Span, str], ...]
    fields: dict[str, str]  # docinfo fields, keys lower-cased
    title: str | None


def _inline(line: str) -> tuple[str, list[tuple[int, int, str]]]:
    out: list[str] = []
    links: list[tuple[int, int, str]] = []
    pos = length = 0
    for m in _INLINE.finditer(line):
        out.append(line[pos : m.start()])
        length += m.start() - pos
        word = next(
            g
            for g in (m.group(k) for k in ("ltext", "literal", "role", "ref", "strong", "em"))
            if g
        )
        if m.group("url"):
            links.append((length, length + len(word), m.group("url").strip()))
        out.append(word)
        length += len(word)
        pos = m.end()
    out.append(line[pos:])
    return "".join(out), links


def _blocks(lines: list[str]) -> tuple[list[str], dict[str, str], str | None]:
    """Lines of prose (markup still inline), the docinfo fields, the document title."""
    kept: list[str] = []
    fields: dict[str, str] = {}
    title: str | None = None
    skip_indent: int | None = None  # inside a dropped directive's body
    prose_seen = False
    for i, raw in enumerate(lines):
        line = raw.rstrip()
        indent = len(line) - len(line.lstrip())
        if skip_indent is not None:
            if not line.strip() or indent > skip_indent:
                continue
            skip_indent = None
        stripped = line.strip()
        if _ADORNMENT.match(stripped):
            # an underline (or overline): the line above (or below) is a section title
            if title is None and kept and kept[-1].strip() and not prose_seen:
                title = kept[-1].strip()
            continue
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        field = _FIELD.match(stripped)
        if field and not prose_seen and not _ADORNMENT.match(nxt):
            fields.setdefault(field.group("key").strip().casefold(), field.group("value").strip())
            continue
        directive = _DIRECTIVE.match(stripped) if stripped.startswith("..") else None
        if directive:
            name = (directive.group("name") or "").casefold()
            if name in _KEEP_DIRECTIVES:
                if (directive.group("arg") or "").strip():
                    kept.append(directive.group("arg").strip())
                continue
            skip_indent = indent
            continue
        if stripped and not _ADORNMENT.match(nxt):
            prose_seen = True
        kept.append(_BULLET.sub("", stripped))
    return kept, fields, title


def strip_rst(source: str) -> RstText:
    kept, fields, title = _blocks(source.split("\n"))
    text_lines: list[str] = []
    links: list[tuple[Span, str]] = []
    offset = 0
    for line in kept:
        plain, found = _inline(line)
        plain = re.sub(r"::$", ":", plain)
        if not plain and text_lines and not text_lines[-1]:
            continue  # one blank line between blocks
        for a, b, url in found:
            links.append((Span(offset + a, offset + b, plain[a:b]), url))
        text_lines.append(plain)
        offset += len(plain) + 1
    text = "\n".join(text_lines)
    stripped = text.strip("\n")
    lead = len(text) - len(text.lstrip("\n"))
    if lead:
        links = [(Span(s.start - lead, s.end - lead, s.text), u) for s, u in links]
    return RstText(stripped, tuple(links), fields, fields.get("title") or title)
