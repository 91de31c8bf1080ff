"""Markdown (with inline HTML, as Hugo and WordPress exports write it) → plain text + links.

Links are tracked through the rewriting with private-use sentinels around the anchor text:
"\\ue000<n>\\ue002anchor\\ue001", n indexing the URL list. No other rewrite touches those
characters, so once all markup is gone the sentinels give the anchor spans in the final text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable

from policygraph.models import Span

__all__ = ["ZERO_WIDTH", "alt_name", "strip_markdown"]

_OPEN, _CLOSE, _MID = "\ue000", "\ue001", "\ue002"
_SENTINELS = dict.fromkeys(map(ord, _OPEN + _CLOSE + _MID), None)
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

_SHORTCODE_OPEN = re.compile(r"\{\{[<%]")
_SHORTCODE_CLOSE = re.compile(r"[%>]\}\}")
_COMMENT_OPEN = re.compile(r"<!--")
_COMMENT_CLOSE = re.compile(r"-->")
_DROPPED_OPEN = re.compile(r"<(script|style|iframe|noscript|template)\b[^<>]*>", re.I)
_REF_DEF = re.compile(r"(?m)^[ \t]{0,3}\[([^\[\]\n]+)\]:[ \t]*<?(\S+?)>?(?:[ \t]+[\"'(].*)?[ \t]*$")
# A URL may hold one level of balanced parentheses (Wikipedia titles, text fragments).
_URL = r"(?:[^()\[\]\s<>]|\([^()\s<>]*\))*"
_LINK_TITLE = r"""(?:[ \t]+(?:"[^"\n]{0,2000}"|'[^'\n]{0,2000}'|\([^()\n]{0,2000}\)))?"""
_IMAGE = re.compile(rf"!\[([^\[\]]*)\]\([ \t]*<?{_URL}>?{_LINK_TITLE}[ \t]*\)")
_IMG = rf"!\[[^\[\]]*\]\([ \t]*<?{_URL}>?{_LINK_TITLE}[ \t]*\)"
# an image, or an image that links somewhere ("[![Orchid](orchid.png)](https://orchid.example)")
_IMG_TOKEN = rf"(?:\[[ \t]*{_IMG}[ \t]*\]\([ \t]*<?{_URL}>?[ \t]*\)|{_IMG})"
# a line of two images or more and nothing else: a row of logos, one signer each
_IMAGE_ROW = re.compile(rf"(?m)^[ \t]*{_IMG_TOKEN}(?:[ \t]+{_IMG_TOKEN})+[ \t]*$")
# a run of two HTML images or more (each perhaps in a link): a row of logos
_IMG_TAG = r"(?:<a\b[^<>]*>\s*)?<img\b[^<>]*>\s*(?:</a\s*>)?"
_IMG_TAG_ROW = re.compile(rf"(?:{_IMG_TAG}\s*){{2,}}", re.I)
_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
# "Orchid logo", "Logo of Orchid", "Orchid's logo": the name the alt text gives
_LOGO_WORDS = re.compile(r"^(?:the\s+)?logo\s+(?:of\s+)?|['’]s\s+logo$|\s+logo$", re.I)
_INLINE_LINK = re.compile(rf"\[([^\[\]]*)\]\([ \t]*<?({_URL})>?{_LINK_TITLE}[ \t]*\)")
_REF_LINK = re.compile(r"\[([^\[\]]*)\]\[([^\[\]]*)\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]+)>", re.I)
_EMAIL_AUTOLINK = re.compile(r"<([^<>\s@:/]+@[^<>\s@:/]+\.[A-Za-z]{2,})>")
# Markdown backslash escapes: the character is literal text, not markup.
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_ESCAPED_BASE = 0xF0000  # supplementary private use: one placeholder per ASCII punctuation
_PLACEHOLDERS = dict.fromkeys(range(_ESCAPED_BASE, _ESCAPED_BASE + 0x80), None)
_RESTORE_ESCAPED = {_ESCAPED_BASE + i: chr(i) for i in range(0x80)}
_TABLE_RULE = re.compile(
    r"(?m)^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$\n?"
)
_TABLE_ROW = re.compile(r"(?m)^[ \t]*\|(.*)\|[ \t]*$")
_ANCHOR_OPEN = re.compile(r"<a\b([^<>]*)>", re.I)
_ANCHOR_CLOSE = re.compile(r"</a\s*>", re.I)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_LINE_BREAK_TAGS = re.compile(
    r"<br\s*/?>|</(?:p|div|li|tr|h[1-6]|ul|ol|table|blockquote|figure|figcaption|section)\s*>",
    re.I,
)
_CELL_END = re.compile(r"</t[dh]\s*>", re.I)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")
_HEADING = re.compile(r"(?m)^[ \t]*#{1,6}[ \t]+")
_BULLET = re.compile(r"(?m)^[ \t]*(?:[*+-]|\d+\.)[ \t]+(?=\S)")
_BLOCKQUOTE = re.compile(r"(?m)^[ \t]*>[ \t]?")
_HRULE = re.compile(r"(?m)^[ \t]*(?:[-*_][ \t]*){3,}$")
_EMPHASIS = re.compile(r"(?<!\w)[_*]|[_*](?!\w)")
_MARKER = re.compile(f"{_OPEN}(\\d+){_MID}|{_CLOSE}")
_MARKER_SPLIT = re.compile(f"({_OPEN}\\d+{_MID}|{_CLOSE})")


def _paired(
    text: str,
    opener: re.Pattern[str],
    closer: Callable[[re.Match[str]], re.Pattern[str]],
    replace: Callable[[re.Match[str], str], str],
) -> str:
    """Replace opener…closer pairs (shortest match) in linear time.

    A lazy `<a>.*?</a>` regex rescans to the end of the text for every unclosed opener,
    which is quadratic on hostile input; here a closer that is missing once is never
    looked for again.
    """
    out: list[str] = []
    pos = 0
    unclosed: set[str] = set()
    while (m := opener.search(text, pos)) is not None:
        end_pattern = closer(m)
        if end_pattern.pattern in unclosed:
            out.append(text[pos : m.end()])
            pos = m.end()
            continue
        e = end_pattern.search(text, m.end())
        if e is None:
            unclosed.add(end_pattern.pattern)
            out.append(text[pos : m.end()])
            pos = m.end()
            continue
        out.append(text[pos : m.start()])
        out.append(replace(m, text[m.end() : e.start()]))
        pos = e.end()
    out.append(text[pos:])
    return "".join(out)


def _link(urls: list[str], anchor: str, url: str) -> str:
    urls.append(html.unescape(url.strip()))
    return f"{_OPEN}{len(urls) - 1}{_MID}{anchor}{_CLOSE}"


def _unescape(text: str) -> str:
    """Decode entities between the sentinels, never producing a sentinel from `&#57344;`."""
    parts = _MARKER_SPLIT.split(text)
    # re.split with one group alternates text, marker, text, ...
    return "".join(
        part if i % 2 else html.unescape(part).translate(_SENTINELS) for i, part in enumerate(parts)
    )


def _collect_links(text: str, urls: list[str]) -> tuple[str, tuple[tuple[Span, str], ...]]:
    out: list[str] = []
    stack: list[tuple[int, int]] = []  # (url index, start offset in output)
    found: list[tuple[int, int, int]] = []
    length = 0
    pos = 0
    for m in _MARKER.finditer(text):
        chunk = text[pos : m.start()]
        out.append(chunk)
        length += len(chunk)
        if m.group(1) is not None:
            stack.append((int(m.group(1)), length))
        elif stack:
            index, start = stack.pop()
            found.append((start, length, index))
        pos = m.end()
    out.append(text[pos:])
    plain = "".join(out)
    links = []
    for start, end, index in sorted(found):
        anchor = plain[start:end]
        # Trim the whitespace the anchor may carry at its edges, so the span is the words.
        lead = len(anchor) - len(anchor.lstrip())
        trail = len(anchor) - len(anchor.rstrip())
        start, end = start + lead, end - trail
        if end > start and urls[index]:
            links.append((Span(start, end, plain[start:end]), urls[index]))
    return plain, tuple(links)


def alt_name(alt: str) -> str:
    """The name an image's alt text gives ("Orchid Collective logo" -> "Orchid Collective")."""
    return _LOGO_WORDS.sub("", " ".join(alt.split())).strip()


def _image_rows(text: str) -> str:
    """A row of logos ("![Orchid](o.png) ![Tern Labs](t.png)", or HTML images with alt
    texts) as one image a line; the HTML ones as their alt text, the only name they have."""
    text = _IMAGE_ROW.sub(lambda m: "\n".join(re.findall(_IMG_TOKEN, m.group(0))), text)

    def _alts(m: re.Match[str]) -> str:
        alts = [alt_name(a or b) for a, b in _ALT.findall(m.group(0))]
        return "\n" + "\n".join(a for a in alts if a) + "\n"

    return _IMG_TAG_ROW.sub(_alts, text)


def _tidy_lines(text: str) -> str:
    # the indentation stays: a plain-text letter in a code block sets its signers in columns
    lines = [line.rstrip(" \t\u00a0") for line in text.split("\n")]
    lines = [line if line.strip(" \t\u00a0") else "" for line in lines]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n")


def strip_markdown(body: str) -> tuple[str, tuple[tuple[Span, str], ...]]:
    """Plain text of a Markdown body and its links ((anchor span, url), in text order)."""
    urls: list[str] = []
    text = body.translate(_SENTINELS).translate(_PLACEHOLDERS)
    text = _ESCAPE.sub(lambda m: chr(_ESCAPED_BASE + ord(m.group(1))), text)
    text = _drop_hidden(text)
    text = _markdown_links(text, urls)
    text = _TABLE_RULE.sub("", text)
    text = _TABLE_ROW.sub(lambda m: "\t".join(c.strip() for c in m.group(1).split("|")), text)
    text = _html_links(text, urls)
    return _collect_links(_plain(text), urls)


def _drop_hidden(text: str) -> str:
    """Shortcodes, comments and elements whose content is not text (scripts, styles) off."""
    text = _paired(text, _SHORTCODE_OPEN, lambda m: _SHORTCODE_CLOSE, lambda m, inner: "")
    text = _paired(text, _COMMENT_OPEN, lambda m: _COMMENT_CLOSE, lambda m, inner: "")
    return _paired(
        text,
        _DROPPED_OPEN,
        lambda m: re.compile(rf"</{m.group(1).lower()}\s*>", re.I),
        lambda m, inner: "",
    )


def _markdown_links(text: str, urls: list[str]) -> str:
    """Markdown's links (inline, reference, shortcut, autolinks) and images replaced by their
    text; each link's URL appended to `urls`, its anchor marked for _collect_links."""
    refs: dict[str, str] = {}

    def _ref_def(m: re.Match[str]) -> str:
        refs.setdefault(m.group(1).strip().lower(), m.group(2))
        return ""

    text = _REF_DEF.sub(_ref_def, text)
    text = _image_rows(text)
    text = _IMAGE.sub(lambda m: alt_name(m.group(1)), text)
    text = _INLINE_LINK.sub(lambda m: _link(urls, m.group(1), m.group(2)), text)

    def _ref_link(m: re.Match[str]) -> str:
        key = (m.group(2) or m.group(1)).strip().lower()
        return _link(urls, m.group(1), refs[key]) if key in refs else m.group(1)

    text = _REF_LINK.sub(_ref_link, text)
    if refs:
        # Shortcut reference links: "[Access Now]" with "[access now]: https://..." below.
        text = re.sub(
            r"\[([^\[\]\n]+)\](?![(\[:])",
            lambda m: (
                _link(urls, m.group(1), refs[m.group(1).strip().lower()])
                if m.group(1).strip().lower() in refs
                else m.group(0)
            ),
            text,
        )
    text = _AUTOLINK.sub(lambda m: _link(urls, m.group(1), m.group(1)), text)
    return _EMAIL_AUTOLINK.sub(lambda m: _link(urls, m.group(1), f"mailto:{m.group(1)}"), text)


def _html_links(text: str, urls: list[str]) -> str:
    """HTML anchors inside the Markdown, like its own links."""

    def _anchor(m: re.Match[str], inner: str) -> str:
        href = _HREF.search(m.group(1))
        if not href:
            return inner
        return _link(urls, inner, next(g for g in href.groups() if g is not None))

    return _paired(text, _ANCHOR_OPEN, lambda m: _ANCHOR_CLOSE, _anchor)


def _plain(text: str) -> str:
    """The remaining markup off: tags, rules, headings, quotes, bullets, emphasis, escapes."""
    text = _LINE_BREAK_TAGS.sub("\n", text)
    text = _CELL_END.sub(" ", text)
    text = _TAG.sub("", text)
    text = _HRULE.sub("", text)
    text = _HEADING.sub("", text)
    text = _BLOCKQUOTE.sub("", text)
    text = _BULLET.sub("", text)
    text = text.replace("**", "").replace("__", "")
    text = _EMPHASIS.sub("", text)
    text = _unescape(text)
    text = text.translate(ZERO_WIDTH).replace("\u00a0", " ")
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_RESTORE_ESCAPED)
    return _tidy_lines(text)
