"""The linker's SPARQL, kept in queries/*.rq, and the one safe way to put values into it.

A remote endpoint has no parameter binding, so values travel in a VALUES block: each value is
serialised as an RDF term with N-Triples escaping after checking it cannot break out of the
term (IRIs without forbidden characters, well-formed language tags). Text from documents is
never pasted into the query any other way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache

from rdflib import Literal, URIRef

from .. import resources
from ..errors import QueryError

__all__ = ["fill_values", "load_query", "term_text"]

_LANG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


@cache
def load_query(name: str) -> str:
    return resources.package_text("linking", "queries", name)


def term_text(term: URIRef | Literal) -> str:
    """An RDF term as SPARQL text that cannot be anything but that one term."""
    if isinstance(term, URIRef):
        if _BAD_IRI.search(str(term)):
            raise QueryError(f"refusing to put the IRI {str(term)!r} into a query")
        return f"<{term}>"
    text = "".join(
        _ESCAPES.get(ch, ch) if ch >= " " or ch in _ESCAPES else f"\\u{ord(ch):04X}"
        for ch in str(term)
    )
    if term.language:
        if not _LANG.match(term.language):
            raise QueryError(f"refusing the language tag {term.language!r}")
        return f'"{text}"@{term.language}'
    if term.datatype:
        return f'"{text}"^^{term_text(URIRef(term.datatype))}'
    return f'"{text}"'


def fill_values(query: str, values: Mapping[str, Iterable[URIRef | Literal]]) -> str:
    """Fill each empty `VALUES ?var { }` block of `query` with the given terms."""
    for var, terms in values.items():
        marker = re.compile(r"VALUES\s+\?" + re.escape(var) + r"\s*\{\s*\}")
        found = marker.findall(query)
        if len(found) != 1:
            raise QueryError(f"the query has {len(found)} empty VALUES blocks for ?{var}, not 1")
        body = " ".join(term_text(t) for t in terms)
        filled = f"VALUES ?{var} {{ {body} }}"
        start, end = marker.search(query).span()  # type: ignore[union-attr]
        query = query[:start] + filled + query[end:]
    return query
