"""The linker's SPARQL, kept in queries/*.rq. Values go into it only through
`rdf.terms.fill_values` (a remote endpoint has no parameter binding)."""

from __future__ import annotations

from functools import cache

from .. import resources

__all__ = ["load_query"]


@cache
def load_query(name: str) -> str:
    return resources.package_text("linking", "queries", name)
