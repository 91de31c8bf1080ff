"""A site's author profiles (Hugo's `authors/<slug>.md`) and the publisher they imply.

Blog posts name authors by slug (`authors: [sam]`); the profile's `name:` is the person.
One profile is usually the site's own account (`drw` → "Digital Rights Watch"): that is the
publisher of every post, whoever wrote it.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import yaml

__all__ = ["AuthorDirectory", "find_author_directory"]

AUTHORS_FOLDER = "authors"
# How far above a document to look for the site's authors/ folder (blog/post.md → site/).
_MAX_LEVELS = 3
_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


@dataclass(frozen=True)
class AuthorDirectory:
    folder: str
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    publisher: str | None = None

    def has_profile(self, slug: str) -> bool:
        return slug in self.profiles

    def name_of(self, slug: str) -> str:
        name = self.profiles.get(slug, {}).get("name")
        return str(name).strip() if isinstance(name, str) and name.strip() else slug


def _host(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    host = urlparse(value if "//" in value else f"//{value}").hostname
    return host.removeprefix("www.") if host else None


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w'-]*", name)).lower()


def _site_publisher(profiles: dict[str, dict[str, Any]]) -> str | None:
    """The name of the one profile that is the organisation itself, if exactly one is.

    Rule (data, not a hard-coded name): a profile is the organisation's own account when it
    carries no personal `role` and either its username is the initials of its name
    ("drw" = Digital Rights Watch) or its `web` site is the domain the staff's email addresses
    use (digitalrightswatch.org.au). Person profiles without a role ("david" = David Paris)
    match neither test.
    """
    email_domains = Counter(
        str(p["email"]).rsplit("@", 1)[1].lower()
        for p in profiles.values()
        if isinstance(p.get("email"), str) and "@" in p["email"]
    )
    staff_domain = email_domains.most_common(1)[0][0] if email_domains else None
    candidates = []
    for slug, profile in profiles.items():
        name = profile.get("name")
        if not isinstance(name, str) or not name.strip() or profile.get("role"):
            continue
        username = str(profile.get("username") or slug).lower()
        initials = len(username) >= 2 and _initials(name) == username
        own_site = staff_domain is not None and _host(profile.get("web")) == staff_domain
        if initials or own_site:
            candidates.append(name.strip())
    return candidates[0] if len(candidates) == 1 else None


def _read_profile(path: str) -> dict[str, Any] | None:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read(64 * 1024)
        m = _FRONT.match(text)
        data = yaml.safe_load(m.group(1)) if m else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        # A broken profile must not stop the posts loading; their slug is used instead.
        return None
    return data if isinstance(data, dict) else None


_CACHE: dict[tuple[str, float], AuthorDirectory] = {}


def _load(folder: str) -> AuthorDirectory:
    key = (folder, os.path.getmtime(folder))
    if key not in _CACHE:
        profiles: dict[str, dict[str, Any]] = {}
        for entry in sorted(os.listdir(folder)):
            if entry.startswith(".") or not entry.endswith((".md", ".markdown")):
                continue
            profile = _read_profile(os.path.join(folder, entry))
            if profile is not None:
                profiles[os.path.splitext(entry)[0]] = profile
        _CACHE[key] = AuthorDirectory(folder, profiles, _site_publisher(profiles))
    return _CACHE[key]


def find_author_directory(document_path: str) -> AuthorDirectory | None:
    """The authors/ folder beside the document's folder or up to three levels above it."""
    here = os.path.dirname(os.path.abspath(document_path))
    for _ in range(_MAX_LEVELS + 1):
        candidate = os.path.join(here, AUTHORS_FOLDER)
        if os.path.isdir(candidate):
            try:
                return _load(candidate)
            except OSError:
                return None
        if os.path.dirname(here) == here:
            break
        here = os.path.dirname(here)
    return None
