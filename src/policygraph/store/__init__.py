"""The embedded Oxigraph store: the store itself (core.py), its write path (bulk.py), the
build's N-Triples lines (ntriples.py), whole-store operations (graphs.py), the server's
read-only view (view.py) and the store's own SPARQL (rq/).

`Store`, `SelectResult` and `DEFAULT_STORE` are re-exported here: what most callers need.
"""

from __future__ import annotations

from .core import DEFAULT_STORE, SelectResult, Store

__all__ = ["DEFAULT_STORE", "SelectResult", "Store"]
