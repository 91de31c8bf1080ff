"""The pages `policygraph serve` makes from the store itself: each actor's profile, at the
address the served views link to (`/views/profiles/actor-<hash>.html`, as written beside
them), read from the store as it is now. Read-only; the page is profile.py's (escaped, no
script) under a policy header that allows no script and no request.
"""

from __future__ import annotations

import re

from ..errors import HttpError
from ..store import Store
from .catalogue import Catalogue
from .profile import profile_file, profiles_from, render_profile

__all__ = ["PROFILES", "PROFILE_CSP", "profile_page"]

PROFILES = "/views/profiles/"
PROFILE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
_NAME = re.compile(r"actor-[0-9a-f]{16}\.html")

Answer = tuple[str, list[tuple[str, str]], bytes]


def profile_page(store: Store, name: str) -> Answer:
    """The answer to GET /views/profiles/<name>: the profile of the actor whose page has
    that file name (profile.profile_file), or 404. The name is a hash: nothing from the
    request reaches a query."""
    if not _NAME.fullmatch(name):
        raise HttpError("404 Not Found", "no such profile")
    cat = Catalogue(store)
    found = [
        iri
        for iri, node in cat.nodes.items()
        if node.get("kind") not in ("letter", "topic") and profile_file(iri) == name
    ]
    if not found:
        raise HttpError("404 Not Found", "no such profile")
    html = render_profile(profiles_from(cat, {found[0]})[found[0]])
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Security-Policy", PROFILE_CSP),
    ]
    return "200 OK", headers, html.encode("utf-8")
