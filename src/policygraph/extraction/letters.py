"""Letters a document reproduces: salutation, heading, signatory list, the letter it answers.

A document reproduces a letter when its text has the letter's own furniture: a salutation
("Dear Mr. Zuckerberg,") with a closing, a list of signers after a closing, a "Signed by:" /
"Signatories" header or a "We, the undersigned" paragraph, or an introduction such as
"Digital Rights Watch has signed on to the following open letter:" followed by its text.
A document that only describes a letter gets no LetterFinding (prose extraction reports it
as a LetterRef). The cue phrases are data/document_kinds.yaml.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urlparse

from ..errors import PolicygraphError
from ..models import (
    ActorKind,
    Document,
    DocumentKind,
    LetterFinding,
    LetterRef,
    Mention,
    SignatoryEntry,
    Span,
)
from .signatories import (
    find_countries,
    is_person_name,
    is_role,
    lexicon,
    load_yaml,
    parse_signatory_line,
    parse_signatory_lines,
    section_kind,
    strip_honorifics,
    strip_post_nominals,
)

__all__ = ["classify", "extract_letter", "find_countries"]

_I = re.IGNORECASE | re.MULTILINE


@dataclass(frozen=True)
class _FileDate:
    pattern: re.Pattern[str]
    order: str


@dataclass(frozen=True)
class Cues:
    """data/document_kinds.yaml, compiled."""

    salutation: re.Pattern[str]
    closings: tuple[re.Pattern[str], ...]
    list_headers: tuple[re.Pattern[str], ...]
    undersigned: re.Pattern[str]
    signed_following: re.Pattern[str]
    intro: re.Pattern[str]
    heading: re.Pattern[str]
    addressed_in_text: tuple[re.Pattern[str], ...]
    government_addressees: frozenset[str]
    list_stops: tuple[re.Pattern[str], ...]
    prose_words: frozenset[str]
    placeholders: tuple[re.Pattern[str], ...]
    count: re.Pattern[str]
    respond_cues: tuple[str, ...]
    announced: re.Pattern[str]
    file_dates: tuple[_FileDate, ...]
    kinds: dict[str, dict[str, tuple[re.Pattern[str], ...]]]


def _compile_all(values: Any, flags: int = _I) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(str(v), flags) for v in values or [])


@lru_cache(maxsize=1)
def cues() -> Cues:
    data = load_yaml("document_kinds.yaml")
    try:
        letter = data["letter"]
        responds = data["responds_to"]
        kinds: dict[str, dict[str, tuple[re.Pattern[str], ...]]] = {}
        for kind, fields in (data.get("kinds") or {}).items():
            kinds[str(kind)] = {
                str(k): (
                    tuple(re.compile(rf"^(?:{v})$", re.IGNORECASE) for v in vals)
                    if k == "formats"
                    else _compile_all(vals)
                )
                for k, vals in (fields or {}).items()
            }
        return Cues(
            salutation=re.compile(letter["salutation"], _I),
            closings=_compile_all(letter["closings"]),
            list_headers=_compile_all(letter["list_headers"]),
            undersigned=re.compile(letter["undersigned"], _I),
            signed_following=re.compile(letter["signed_following"], re.MULTILINE),
            intro=re.compile(letter["intro"], _I),
            heading=re.compile(letter["heading"], _I),
            addressed_in_text=_compile_all(letter["addressed_in_text"], 0),
            government_addressees=frozenset(
                str(w).casefold() for w in letter["government_addressees"]
            ),
            list_stops=_compile_all(letter["list_stops"]),
            prose_words=frozenset(str(w).casefold() for w in letter["prose_words"]),
            placeholders=_compile_all(letter["placeholders"]),
            count=re.compile(letter["count"], _I),
            respond_cues=tuple(str(c).casefold() for c in responds["cues"]),
            announced=re.compile(data["announces"]["link"], _I),
            file_dates=tuple(
                _FileDate(re.compile(str(d["pattern"])), str(d["order"]))
                for d in responds["file_dates"]
            ),
            kinds=kinds,
        )
    except (KeyError, TypeError, re.error) as exc:
        raise PolicygraphError(f"data/document_kinds.yaml: bad or missing entry: {exc}") from exc


# --- lines -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    start: int  # offset of `text` (the line without surrounding blanks) in Document.text
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def blank(self) -> bool:
        return not self.text


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        out.append(_Line(pos + lead if stripped else pos, stripped))
        pos += len(raw) + 1
    return out


def _bare(text: str) -> str:
    """A line without emphasis markers that may survive markup stripping."""
    return text.strip().strip("*_").strip()


def _matches(patterns: Sequence[re.Pattern[str]], text: str) -> bool:
    return any(p.search(text) for p in patterns)


def _is_prose(text: str) -> bool:
    """A sentence of running text rather than a signer line."""
    words = text.split()
    if len(words) > 30:
        return True
    for m in re.finditer(r"[a-z]{2}[.!?][\"”’]?\s+[A-Z]", text):
        # a full stop after a few words, not after an abbreviated title ("Profa. Dra.")
        if len(text[: m.start()].split()) >= 3 and len(words) >= 8:
            return True
    function = sum(1 for w in words if w.casefold().strip(",.;:") in cues().prose_words)
    if len(words) >= 8 and text.count(",") <= 1 and text.rstrip()[-1:] in ".!?:":
        return True
    lower = sum(1 for w in words if w[:1].islower())
    return len(words) >= 10 and function >= len(words) * 0.3 and lower >= len(words) * 0.5


# --- the signer list -------------------------------------------------------------------------


@dataclass(frozen=True)
class _List:
    opener: int  # index of the opener line
    # one signer per block: usually one line, or a signature block ("Jane Doe" /
    # "Executive Director" / "Foo Institute") of a few lines
    blocks: tuple[tuple[tuple[_Line, ...], ActorKind | None], ...]
    end: int  # index after the last line of the list
    template: bool


def _names_person(text: str) -> bool:
    """A line that starts with a personal name ("Rt Hon Priti Patel MP", "Jane Doe, lawyer")."""
    named, _ = strip_honorifics(text.split(",")[0].strip())
    return is_person_name(strip_post_nominals(named))


def _continues(block: list[_Line], text: str) -> bool:
    """Whether `text` carries on a signature block rather than naming the next signer."""
    head = _bare(block[0].text)
    if "," in head or not _names_person(head) or _names_person(text):
        return False
    if len(block) == 1:
        return is_role(text)
    return len(block) < 4 and "," not in text


def _collect(lines: list[_Line], opener: int) -> _List:
    c = cues()
    blocks: list[tuple[list[_Line], ActorKind | None]] = []
    section: ActorKind | None = None
    run = 0  # blocks since the last blank line
    runs: list[int] = []
    template = False
    after_blank = False
    j = opener + 1
    end = j
    while j < len(lines):
        line = lines[j]
        if line.blank:
            if run:
                runs.append(run)
                run = 0
            after_blank = True
            j += 1
            continue
        text = _bare(line.text)
        if _matches(c.list_stops, text):
            break
        if _matches(c.closings, text):
            # A sign-off under an "undersigned" opener ("Sincerely,") signs nothing itself.
            j += 1
            continue
        kind = section_kind(text)
        if kind is not None:
            section = kind
            runs = []  # a new section may follow a blank line
            j += 1
            continue
        if _is_prose(text) or len(text) > 250 or text.endswith(":"):
            break
        if blocks and after_blank and runs and runs[-1] > 1:
            # a blank line ended a run of several signers: the list is over
            break
        if _matches(c.placeholders, text):
            template = True
        elif blocks and not after_blank and _continues(blocks[-1][0], text):
            blocks[-1][0].append(line)
        else:
            blocks.append(([line], section))
            run += 1
        after_blank = False
        j += 1
        end = j
    frozen = tuple((tuple(b), k) for b, k in blocks)
    return _List(opener, frozen, end, template)


def _bare_span(line: _Line) -> tuple[int, int]:
    bare = _bare(line.text)
    start = line.start + line.text.find(bare) if bare else line.start
    return start, start + len(bare)


def _signatories(doc: Document, found: _List) -> list[SignatoryEntry]:
    pairs = [(_bare_span(b[0])[0], ", ".join(_bare(x.text) for x in b)) for b, _ in found.blocks]
    sections = [kind for _, kind in found.blocks]
    out: list[SignatoryEntry] = []
    for entry, (block, _) in zip(
        parse_signatory_lines(pairs, section_kinds=sections), found.blocks, strict=True
    ):
        if len(block) > 1:  # the span covers the block's lines as the text has them
            start, end = _bare_span(block[0])[0], _bare_span(block[-1])[1]
            entry = dataclasses.replace(entry, span=Span(start, end, doc.text[start:end]))
        out.append(entry)
    return out


def _openers(lines: list[_Line]) -> list[int]:
    c = cues()
    out: list[int] = []
    for i, line in enumerate(lines):
        text = _bare(line.text)
        if not text:
            continue
        short = len(text) <= 80
        if (short and (_matches(c.closings, text) or _matches(c.list_headers, text))) or (
            c.undersigned.search(text)
        ):
            out.append(i)
    return out


# --- addressees ------------------------------------------------------------------------------


def _addressee_kind(name: str) -> ActorKind:
    lex = lexicon()
    words = {w.casefold().strip(".,") for w in name.split()}
    first = name.split()[0] if name.split() else ""
    if any(h.text == first or h.text == first.rstrip(".") for h in lex.honorifics):
        return "person"
    if any(role in name.casefold() for role in lex.government_roles):
        return "person"
    if words & cues().government_addressees:
        return "government"
    if name in lex.companies:
        return "company"
    if name in lex.countries:
        return "government"
    if is_person_name(name) or len(name.split()) == 1:
        return "person"
    return "organisation"


def _addressees(text: str, start: int) -> tuple[Mention, ...]:
    """Mentions for "Mr. Zuckerberg and Ms. Sandberg" at offset `start` of the document."""
    out: list[Mention] = []
    for m in re.finditer(r"[^,&]+?(?=\s*(?:,|&|\band\b|$))", text):
        name = m.group(0).strip()
        name = re.sub(r"^(?:and|&)\s+", "", name).strip()
        if not name or name.casefold() in {"and", "all"}:
            continue
        offset = text.index(name, m.start())
        out.append(
            Mention(
                name=name,
                kind=_addressee_kind(name),
                span=Span(start + offset, start + offset + len(name), name),
            )
        )
    return tuple(out)


# --- answered letters ------------------------------------------------------------------------


def _file_date(url: str) -> str | None:
    name = unquote(urlparse(url).path.rsplit("/", 1)[-1])
    for fd in cues().file_dates:
        m = fd.pattern.search(name)
        if not m:
            continue
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        if y < 100:
            y += 2000
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _responds_to(
    doc: Document, region: tuple[int, int], addressees: tuple[Mention, ...]
) -> tuple[LetterRef, ...]:
    c = cues()
    out: list[LetterRef] = []
    for span, url in doc.links:
        if not (region[0] <= span.start and span.end <= region[1]):
            continue
        name = unquote(urlparse(url).path.rsplit("/", 1)[-1])
        haystack = f"{span.text} {name}".casefold()
        if not any(cue in haystack for cue in c.respond_cues):
            continue
        authors = find_countries(span.text) or find_countries(re.sub(r"[-_]", " ", name))
        out.append(
            LetterRef(
                description=span.text,
                span=span,
                authors=authors,
                addressed_to=tuple(m.name for m in addressees),
                date=_file_date(url),
                link=url,
            )
        )
    return tuple(out)


def announced_letters(doc: Document, letter: LetterFinding | None) -> tuple[LetterRef, ...]:
    """Letters a document links to without reproducing one ("published an [open letter to
    the Members of the European Parliament](...)"): a press release and its letter."""
    if letter is not None:
        return ()
    c = cues()
    out: list[LetterRef] = []
    seen: set[str] = set()
    for span, url in doc.links:
        if doc.in_boilerplate(span.start, span.end) or not c.announced.search(span.text):
            continue
        if url in seen:  # the same letter linked again further down
            continue
        seen.add(url)
        out.append(LetterRef(description=span.text, span=span, date=doc.meta.date, link=url))
    return tuple(out)


# --- the letter ------------------------------------------------------------------------------


def _heading(lines: list[_Line], around: int, page_title: str | None = None) -> str | None:
    c = cues()
    found: list[str] = []
    for line in lines[max(0, around - 3) : around + 4]:
        text = _bare(line.text)
        if not text or len(text.split()) > 20 or text[-1:] in ".,":
            continue
        letters = [ch for ch in text if ch.isalpha()]
        shouting = (
            len(text.split()) >= 3
            and letters
            and sum(ch.isupper() for ch in letters) >= (0.8 * len(letters))
        )
        if c.heading.match(text) or shouting:
            found.append(text)
    # A web page or PDF puts its own title above the letter; the letter's heading is the other
    # candidate, when there is one.
    own = [t for t in found if page_title is None or t.casefold() != page_title.casefold()]
    candidates = own or found
    return candidates[0] if candidates else None


def _signed_following(doc: Document, lines: list[_Line]) -> tuple[int, SignatoryEntry] | None:
    """("X has signed on to the following open letter:") -> the line index and X as a signer."""
    c = cues()
    for i, line in enumerate(lines):
        m = c.signed_following.match(_bare(line.text))
        if not m or doc.in_boilerplate(line.start, line.end):
            continue
        signer = m.group("signer").strip()
        offset = line.text.index(signer)
        entry = parse_signatory_line(signer, start=line.start + offset, position=1)
        body = [x for x in lines[i + 1 :] if not x.blank and _is_prose(x.text)]
        if len(body) >= 2:
            return i, entry
    return None


def _claimed_count(doc: Document) -> int | None:
    c = cues()
    for source in (doc.meta.title or "", doc.text):
        m = c.count.search(source)
        if m:
            return int(m.group("n"))
    return None


def extract_letter(doc: Document) -> LetterFinding | None:
    """The letter `doc` reproduces, with its signers in order, or None when it reproduces none."""
    c = cues()
    lines = _lines(doc.text)

    def usable(i: int) -> bool:
        return not doc.in_boilerplate(lines[i].start, lines[i].end)

    salutation = next(
        (
            i
            for i, line in enumerate(lines)
            if line.text
            and usable(i)
            and c.salutation.match(_bare(line.text))
            and _bare(line.text).casefold().startswith("dear")
        ),
        None,
    )
    best: _List | None = None
    for i in _openers(lines):
        if not usable(i):
            continue
        found = _collect(lines, i)
        if found.template:
            continue
        if found.blocks and (best is None or len(found.blocks) > len(best.blocks)):
            best = found
    following = _signed_following(doc, lines)

    is_closing = best is not None and _matches(c.closings, _bare(lines[best.opener].text))
    reproduced = (
        best is not None and (len(best.blocks) >= 2 or salutation is not None or not is_closing)
    ) or following is not None
    if not reproduced:
        return None

    signatories = _signatories(doc, best) if best is not None else []
    if following is not None:
        signer = following[1]
        if not any(s.label.casefold() == signer.label.casefold() for s in signatories):
            signatories = [signer] + [
                dataclasses.replace(s, position=s.position + 1) for s in signatories
            ]

    # where the letter starts: salutation, the introduction of the letter, or the text's start
    if salutation is not None:
        start_line = salutation
    elif following is not None:
        start_line = following[0] + 1
    else:
        limit = best.opener if best is not None else len(lines)
        intros = [i for i in range(limit) if c.intro.search(lines[i].text)]
        start_line = intros[-1] + 1 if intros else 0
    while start_line < len(lines) - 1 and lines[start_line].blank:
        start_line += 1
    end_line = best.end - 1 if best is not None else len(lines) - 1
    while end_line > start_line and lines[end_line].blank:
        end_line -= 1
    region = (lines[start_line].start, lines[end_line].end)

    addressed: tuple[Mention, ...] = ()
    if salutation is not None:
        line = lines[salutation]
        m = c.salutation.match(_bare(line.text))
        if m:
            to = m.group("to")
            addressed = _addressees(to, line.start + line.text.index(to))
    for pattern in () if addressed else c.addressed_in_text:
        m2 = next(
            (m for m in pattern.finditer(doc.text) if not doc.in_boilerplate(m.start(), m.end())),
            None,
        )
        if m2:
            addressed = _addressees(m2.group("to"), m2.start("to"))
            break

    heading = _heading(lines, start_line, doc.meta.title)
    span = Span(region[0], region[1], doc.text[region[0] : region[1]])
    return LetterFinding(
        title=doc.meta.title,
        heading=heading,
        date=doc.meta.date,
        addressed_to=addressed,
        signatories=tuple(signatories),
        responds_to=_responds_to(doc, region, addressed),
        signatory_count=_claimed_count(doc),
        span=span,
    )


# --- document kinds --------------------------------------------------------------------------


def _head_lines(doc: Document, n: int = 6) -> list[str]:
    out: list[str] = []
    for line in _lines(doc.text):
        if line.text and not doc.in_boilerplate(line.start, line.end):
            out.append(_bare(line.text))
        if len(out) >= n:
            break
    return out


def classify(doc: Document, letter: LetterFinding | None) -> DocumentKind:
    """What kind of document this is: a reproduced letter makes it an open letter; otherwise
    the cues of data/document_kinds.yaml decide (categories, title, site, format, furniture)."""
    if letter is not None:
        # A statement signed by several governments (or their ministers) is theirs, not an
        # open letter of civil society.
        govs = sum(1 for e in letter.signatories if e.kind == "government")
        if govs >= 2 and 2 * govs > len(letter.signatories):
            return "government_statement"
        return "open_letter"
    kinds = cues().kinds
    meta = doc.meta
    site = (meta.site or urlparse(meta.url or "").netloc or "").casefold()
    title = meta.title or ""

    gov = kinds.get("government_statement", {})
    if (site and _matches(gov.get("sites", ()), site)) or _matches(gov.get("title", ()), title):
        return "government_statement"

    press = kinds.get("press_release", {})
    if any(_matches(press.get("categories", ()), cat) for cat in meta.categories):
        return "press_release"
    if _matches(press.get("title", ()), title) or any(
        _matches(press.get("text", ()), line) for line in _head_lines(doc)
    ):
        return "press_release"

    news = kinds.get("news_article", {})
    if _matches(news.get("formats", ()), doc.format):
        lines = [_bare(x.text) for x in _lines(doc.text) if x.text]
        outlet = " ".join(filter(None, (meta.site, meta.publisher)))
        if (
            doc.boilerplate
            or (outlet and _matches(news.get("sites", ()), outlet))
            or any(_matches(news.get("text", ()), x) for x in lines)
        ):
            return "news_article"
    return "blog_post"
