"""Regenerate the HTML and PDF versions of the seed letter in this folder.

    .venv/bin/python tests/data/samples/make_samples.py

The seed (data/documents/004_de020599fd118b6a.txt, Markdown with YAML front matter) is
rendered as the page a browser would save (site navigation, scripts, cookie banner, footer)
and as a printed letter whose 58 signatories are set in two columns. The other samples in
this folder are written by hand. The PDF needs fpdf2 (a dev dependency) and the DejaVu Sans
Condensed font (Debian: fonts-dejavu-core), which covers every letter of the signatory list.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SEED = HERE.parents[2] / "data" / "documents" / "004_de020599fd118b6a.txt"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf")
SITE = "Digital Rights Watch"
CLOSING = "Sincerely,"


def read_seed() -> tuple[dict[str, object], list[str], list[str]]:
    """(front matter, letter paragraphs up to the closing, signatory lines)."""
    raw = SEED.read_text(encoding="utf-8")
    _, header, body = raw.split("---\n", 2)
    # The seed's title is single-quoted with an unescaped apostrophe inside; read it by hand.
    meta = yaml.safe_load(re.sub(r"^title: .*$", "", header, flags=re.M))
    meta["title"] = re.search(r"^title: '(.*)'$", header, re.M).group(1)  # type: ignore[union-attr]
    paragraphs: list[str] = []
    lines = body.strip().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if not line:
            continue
        text = line.strip("_")
        paragraphs.append(text)
        if text == CLOSING:
            break
    signers = [line.strip() for line in lines[i:] if line.strip()]
    return meta, paragraphs, signers


def _plain(paragraph: str) -> str:
    """The paragraph without its inline HTML, spaced as a reader sees it."""
    text = re.sub(r"<a [^>]*>", " ", paragraph)
    text = text.replace("</a>", " ")
    return " ".join(text.split())


def _html_paragraph(paragraph: str) -> str:
    """The seed's inline link kept as a link, everything else escaped."""
    m = re.search(r'<a href="([^"]+)"[^>]*>(.*?)</a>', paragraph)
    if m is None:
        return html.escape(paragraph, quote=False)
    before, after = paragraph[: m.start()], paragraph[m.end() :]
    return (
        f'{html.escape(before, quote=False)} <a href="{html.escape(m.group(1))}" '
        f'target="_blank" rel="noreferrer noopener">{html.escape(m.group(2), quote=False)}</a> '
        f"{html.escape(after, quote=False)}"
    )


def make_html(meta: dict[str, object], paragraphs: list[str], signers: list[str]) -> str:
    title = str(meta["title"])
    date = str(meta["date"])
    url = "https://digitalrightswatch.org.au" + str(meta["url"])
    body = "\n".join(f"<p><em>{_html_paragraph(p)}</em></p>" for p in paragraphs)
    items = "\n".join(f"  <li>{html.escape(s, quote=False)}</li>" for s in signers)
    return f"""<!DOCTYPE html>
<html lang="en-AU">
<head>
<meta charset="utf-8">
<title>{html.escape(title)} | {SITE}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:type" content="article">
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:site_name" content="{SITE}">
<meta property="og:url" content="{url}">
<meta property="article:published_time" content="{date}">
<meta name="author" content="{html.escape(str(meta["author"]))}">
<link rel="canonical" href="{url}">
<link rel="stylesheet" href="/wp-content/themes/drw/style.css">
<script async src="https://analytics.example.org/tag.js"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function track() {{ dataLayer.push(arguments); }}
  track("page", "Dear subscriber, we value your privacy");
</script>
</head>
<body class="post-template-default single single-post">
<div id="cookie-banner" role="dialog">This site uses cookies to understand how it is used.
  <button>Accept</button> <button>Decline</button></div>
<header class="site-header">
  <a class="logo" href="/">{SITE}</a>
  <nav class="main-menu">
    <ul>
      <li><a href="/">Home</a></li>
      <li><a href="/about/">About us</a></li>
      <li><a href="/category/campaigns/">Campaigns</a></li>
      <li><a href="/category/media-releases/">Media releases</a></li>
      <li><a href="/donate/">Donate</a></li>
    </ul>
  </nav>
</header>
<main id="content">
<article class="post">
<h1 class="entry-title">{html.escape(title, quote=False)}</h1>
<div class="entry-meta">Posted on <time datetime="{date}">4 October 2019</time>
  by <a rel="author" href="/author/drw/">{html.escape(str(meta["author"]))}</a>
  in <a href="/category/media-releases/">Media releases</a>,
  <a href="/category/news/">News</a></div>
<div class="entry-content">
{body}
<ul class="signatories">
{items}
</ul>
</div>
</article>
<aside class="sidebar">
  <h2>Join the fight for digital rights</h2>
  <p>Sign up to our newsletter and hear about our campaigns first.</p>
  <form action="/subscribe"><input type="email" name="email"><button>Subscribe</button></form>
  <h2>Recent posts</h2>
  <ul><li><a href="/2019/09/30/metadata-retention/">Metadata retention, five years on</a></li>
  <li><a href="/2019/09/12/face-id/">Face ID at the border</a></li></ul>
</aside>
</main>
<footer class="site-footer">
  <p>{SITE} acknowledges the Traditional Owners of the land on which we work.</p>
  <p>&copy; 2019 {SITE} Inc. ABN 12 345 678 901. <a href="/privacy/">Privacy policy</a></p>
</footer>
<script src="/wp-content/themes/drw/menu.js"></script>
</body>
</html>
"""


def _wrap(pdf: object, text: str, width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and pdf.get_string_width(f"{lines[-1]} {word}") <= width:  # type: ignore[attr-defined]
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def make_pdf(meta: dict[str, object], paragraphs: list[str], signers: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(__import__("datetime").datetime(2019, 10, 4, 13, 8, 6))
    pdf.set_title(str(meta["title"]))
    pdf.set_author(str(meta["author"]))
    pdf.add_font("DejaVuCond", "", str(FONT))
    pdf.add_font("DejaVuCond", "B", str(FONT_BOLD))
    pdf.set_margins(18, 18, 18)
    pdf.add_page()
    pdf.set_font("DejaVuCond", size=10.5)
    heading = next(p for p in paragraphs if p.upper() == p and "LETTER" in p)
    for paragraph in paragraphs:
        if paragraph == heading:
            pdf.set_font("DejaVuCond", "B", 11)
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVuCond", size=10.5)
        else:
            pdf.multi_cell(0, 5.5, _plain(paragraph), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2.5)
    # Two columns, filled down the left one first, as signatory lists are printed; a name
    # too long for its column wraps under a hanging indent.
    pdf.set_font("DejaVuCond", size=8.5)
    column, indent, row = 84.0, 3.0, 4.6
    half = (len(signers) + 1) // 2
    top = pdf.get_y() + 1
    for x, names in ((18.0, signers[:half]), (18.0 + column + 6, signers[half:])):
        y = top
        for name in names:
            for n, line in enumerate(_wrap(pdf, name, column - indent)):
                pdf.set_xy(x + (indent if n else 0), y)
                pdf.cell(column, row, line)
                y += row
    return bytes(pdf.output())


def main(out: Path = HERE) -> None:
    meta, paragraphs, signers = read_seed()
    assert len(signers) == 58, len(signers)
    (out / "004_letter_page.html").write_text(
        make_html(meta, paragraphs, signers), encoding="utf-8"
    )
    (out / "004_letter_print.pdf").write_bytes(make_pdf(meta, paragraphs, signers))


if __name__ == "__main__":
    main()
