"""YAML (or TOML) front matter: split it off, parse it safely, turn it into DocumentMeta.

Front matter comes from users' files, so it is hostile until proven otherwise: only
`yaml.safe_load`, no anchors/aliases (alias bombs), a size cap, and every surprise becomes a
DocumentError that names the key or line.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from typing import Any

import yaml

from policygraph.errors import DocumentError
from policygraph.loading.authors import AuthorDirectory

__all__ = ["FrontMatter", "parse_front_matter", "split_front_matter"]

# Front matter is a few hundred bytes; anything this large is not a header.
MAX_FRONT_MATTER_CHARS = 64 * 1024
MAX_NESTING = 32

_OPEN = re.compile(r"\A(---|\+\+\+)[ \t]*\n")
_SIMPLE_KEY = re.compile(r"^([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+(.*))?$")
_LIST_ITEM = re.compile(r"^ +- +(.*)$")
_DATE_IN_PATH = re.compile(r"(?<!\d)(\d{4})[/-](\d{2})[/-](\d{2})(?!\d)")


@dataclass(frozen=True)
class FrontMatter:
    data: dict[str, Any]
    body: str
    body_offset: int  # where the body starts in the text the front matter was split from
    lenient: bool = False  # parsed with the line-by-line fallback


def split_front_matter(text: str, path: str) -> tuple[str, str, str, int] | None:
    """(delimiter, header, body, body_offset) when the text opens with front matter."""
    m = _OPEN.match(text)
    if not m:
        return None
    delimiter = m.group(1)
    closers = ("---", "...") if delimiter == "---" else ("+++",)
    pos = m.end()
    while pos <= len(text):
        end = text.find("\n", pos)
        line = text[pos:] if end < 0 else text[pos:end]
        if line.rstrip() in closers:
            header = text[m.end() : pos]
            body_offset = len(text) if end < 0 else end + 1
            return delimiter, header, text[body_offset:], body_offset
        if end < 0:
            break
        pos = end + 1
    raise DocumentError(path, f"front matter opened with '{delimiter}' on line 1 is never closed")


def _flow_depth(header: str) -> int:
    depth = deepest = 0
    for ch in header:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth = max(0, depth - 1)
    return deepest


def _reject_aliases(header: str, path: str) -> None:
    try:
        for token in yaml.scan(header, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
                line = token.start_mark.line + 2  # +1 for 0-based, +1 for the '---' line
                raise DocumentError(
                    path,
                    f"front matter line {line}: YAML anchors and aliases (&, *) are not "
                    "allowed in front matter",
                )
    except yaml.YAMLError:
        return  # the parse below reports it


def _lenient(header: str) -> dict[str, Any] | None:
    """Read `key: value` lines and `  - item` lists, or None if the header is more complex.

    Hand-written front matter often breaks YAML quoting, e.g. `title: 'Facebook's plans'`.
    Such a line still says plainly what the user meant, so we read it literally.
    """
    data: dict[str, Any] = {}
    current_list: str | None = None
    for line in header.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if "\t" in line[: len(line) - len(line.lstrip())]:
            return None
        item = _LIST_ITEM.match(line)
        if item and current_list is not None:
            data[current_list].append(_scalar(item.group(1).rstrip()))
            continue
        m = _SIMPLE_KEY.match(line)
        if not m:
            return None
        key, value = m.group(1), (m.group(2) or "").rstrip()
        if not value:
            data[key] = []
            current_list = key
        else:
            data[key] = _scalar(value)
            current_list = None
    # A key followed by nothing is null in YAML, not an empty list.
    return {k: (None if v == [] else v) for k, v in data.items()}


def _scalar(value: str) -> Any:
    try:
        parsed = yaml.safe_load(value)
    except (yaml.YAMLError, ValueError):  # ValueError: an impossible date (2021-02-30)
        parsed = None
    else:
        if not isinstance(parsed, dict):
            return parsed
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 2}: " if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
    return f"{where}{problem}"


def parse_front_matter(text: str, path: str) -> FrontMatter | None:
    """The front matter of `text`, or None when it has none; DocumentError when it is bad."""
    split = split_front_matter(text, path)
    if split is None:
        return None
    delimiter, header, body, body_offset = split
    if len(header) > MAX_FRONT_MATTER_CHARS:
        raise DocumentError(
            path, f"front matter is larger than {MAX_FRONT_MATTER_CHARS} characters"
        )
    lenient = False
    if delimiter == "+++":
        try:
            data: Any = tomllib.loads(header)
        except tomllib.TOMLDecodeError as exc:
            raise DocumentError(path, f"front matter is not valid TOML: {exc}") from exc
    else:
        # PyYAML's scanner is quadratic in the depth of open brackets and its composer
        # recursive: refuse absurd nesting before it gets there.
        if _flow_depth(header) > MAX_NESTING:
            raise DocumentError(path, f"front matter is nested more than {MAX_NESTING} deep")
        _reject_aliases(header, path)
        try:
            data = yaml.safe_load(header)
        except yaml.constructor.ConstructorError as exc:
            raise DocumentError(
                path, f"front matter uses a YAML tag that is not allowed: {_problem(exc)}"
            ) from exc
        except yaml.YAMLError as exc:
            fallback = _lenient(header)
            if fallback is None:
                raise DocumentError(
                    path, f"front matter is not valid YAML: {_problem(exc)}"
                ) from exc
            data, lenient = fallback, True
        except RecursionError as exc:
            raise DocumentError(path, "front matter is nested too deeply") from exc
        except ValueError as exc:  # PyYAML builds dates itself: 2021-02-30 raises here
            # read line by line instead: the impossible date stays a string, which the date
            # field then drops (with a note), and the rest of the document is read
            fallback = _lenient(header)
            if fallback is None:
                raise DocumentError(path, f"front matter holds an impossible date: {exc}") from exc
            data, lenient = fallback, True
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DocumentError(
            path, f"front matter must be a mapping of keys to values, not a {_kind(data)}"
        )
    return FrontMatter({str(k): v for k, v in data.items()}, body, body_offset, lenient)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return "string" if isinstance(value, str) else type(value).__name__


def string_field(data: dict[str, Any], key: str, path: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, list | dict):
        raise DocumentError(
            path, f"front matter '{key}' must be a string, not a {_kind(value)}: {value!r:.80}"
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def string_list(data: dict[str, Any], keys: tuple[str, ...], path: str) -> tuple[str, ...]:
    out: list[str] = []
    for key in keys:
        value = data.get(key)
        if value is None:
            continue
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, list | dict):
                raise DocumentError(
                    path, f"front matter '{key}' must be a string or a list of strings"
                )
            if item is not None and str(item).strip() and str(item).strip() not in out:
                out.append(str(item).strip())
    return tuple(out)


def _path_dates(*hints: str | None) -> list[dt.date]:
    dates: list[dt.date] = []
    for hint in hints:
        for m in _DATE_IN_PATH.finditer(hint or ""):
            try:
                dates.append(dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
            except ValueError:
                continue
    return dates


def _parse_date(value: Any, key: str, path: str) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime | dt.date):
        return value
    if isinstance(value, int) and 1000 <= value <= 9999:
        return dt.date(value, 1, 1)
    if isinstance(value, str):
        raw = value.strip()
        try:
            return dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            pass
        try:
            return dt.date.fromisoformat(raw[:10])
        except ValueError:
            pass
        # Dates as people write them by hand ("4 October 2019", "Oct 4, 2019"). Slashed
        # day/month orders are ambiguous and stay errors.
        for fmt in _HUMAN_DATES:
            try:
                return dt.datetime.strptime(raw, fmt).date()
            except ValueError:
                continue
    raise DocumentError(path, f"front matter '{key}' is not a date: {value!r:.80}")


_HUMAN_DATES = (
    "%d %B %Y",
    "%B %d, %Y",
    "%B %d %Y",
    "%d %b %Y",
    "%b %d, %Y",
    "%b %d %Y",
    "%Y/%m/%d",
)

DATE_KEYS = (
    "date",
    "datetime",
    "date-time",
    "published",
    "publishdate",
    "publishDate",
    "post_date",
    "pubDate",
    "created",
)
# MkDocs (Material's blog plugin) nests dates: `date: {created: 2023-01-31, updated: ...}`.
_NESTED_DATE_KEYS = ("created", "published", "date")


def _date_value(value: Any) -> Any:
    """The date a field holds: a nested mapping's `created`; a boolean holds none (`published:
    true` says whether, not when)."""
    if isinstance(value, dict):
        return next((value[k] for k in _NESTED_DATE_KEYS if value.get(k) is not None), None)
    if isinstance(value, bool):
        return None
    return value


def front_matter_date(
    data: dict[str, Any], path: str, *hints: str | None, notes: list[str] | None = None
) -> str | None:
    """The first date-like field that holds a date. A field that holds something else is
    skipped (and noted in `notes`), never a reason to refuse the document."""
    for key in DATE_KEYS:
        value = _date_value(data.get(key))
        if value is None:
            continue
        if re.fullmatch(r"\d{4}", str(value).strip()):
            return str(value).strip()  # a year is all some documents say
        try:
            parsed = _parse_date(value, key, path)
        except DocumentError as exc:
            if notes is not None:
                notes.append(exc.problem)
            continue
        if isinstance(parsed, dt.datetime):
            day = parsed.date()
            # Blogs store the time in UTC but mint their permalinks (and file names) on the
            # author's local calendar: a post written at 6 a.m. in Sydney carries the previous
            # day's UTC date. When the permalink or file name gives a date one day off the
            # UTC one, that is the date the site itself published.
            for local in _path_dates(*hints):
                if abs((local - day).days) == 1 and parsed.utcoffset() in (None, dt.timedelta(0)):
                    return local.isoformat()
            return day.isoformat()
        return parsed.isoformat()
    return None


@dataclass(frozen=True)
class Authorship:
    authors: tuple[str, ...]
    publisher: str | None  # stated in the front matter
    organisation: str | None  # the site's own profile in authors/
    lone_author: str | None  # a single author with no profile that names an organisation


def authorship(data: dict[str, Any], path: str, authors_dir: AuthorDirectory | None) -> Authorship:
    """Authors (profile names where the site has them) and the publisher candidates."""
    slugs = string_list(data, ("authors", "author"), path)
    from policygraph.extraction.lexicon import is_person_name, lexicon

    named = tuple(authors_dir.name_of(s) if authors_dir else s for s in slugs)
    # A byline made only of role words ("Staff Writer", "Editor") names no one: not an author.
    roles = lexicon().role_words | lexicon().role_modifiers
    authors = tuple(a for a in named if not all(w.casefold() in roles for w in a.split()))
    lone = None
    # A lone author with no profile is, in exported blogs, often the site's own account
    # (WordPress exports write "author: <Site Name>"): the publisher of last resort. A person
    # ("Jane Doe") is only the author.
    if (
        len(slugs) == 1
        and authors
        and (authors_dir is None or not authors_dir.has_profile(slugs[0]))
        and not is_person_name(authors[0])
    ):
        lone = authors[0]
    return Authorship(
        authors=authors,
        publisher=string_field(data, "publisher", path) or string_field(data, "site_name", path),
        organisation=authors_dir.publisher if authors_dir is not None else None,
        lone_author=lone,
    )


__all__ += [
    "DATE_KEYS",
    "Authorship",
    "authorship",
    "front_matter_date",
    "string_field",
    "string_list",
]
