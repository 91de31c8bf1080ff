"""policygraph: documents about a policy fight → an RDF knowledge graph of who stands where.

The public API, one function per pipeline stage and consumer:

    from policygraph import Store, build, run_query, find_query
    with Store("store") as store:
        report = build(["data/documents"], store)
        rows = run_query("actors-by-stance", {"topic": "backdoors"}, store=store)
    rows.records()  # plain Python values; rows.to_dataframe() with pandas

Names are imported lazily, so `import policygraph` (and the CLI) start fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .errors import (
        DocumentError,
        LinkError,
        PolicygraphError,
        QueryError,
        RemoteError,
        StoreBusyError,
        StoreError,
        UnknownNameError,
        ValidationError,
    )
    from .evaluation.evaluate import evaluate
    from .extraction import extract
    from .linking import link_wikidata
    from .loading import iter_documents, load_document
    from .models import Document, DocumentMeta, Findings
    from .pipeline import BuildReport, build
    from .rdf.validation import validate
    from .sparql.querying import find_query, load_library, run_library, run_query
    from .sparql.remote import push
    from .sparql.results import AskResult, GraphResult
    from .store import SelectResult, Store
    from .viz import write_all_views, write_view

_WHERE = {
    "DocumentError": "errors",
    "LinkError": "errors",
    "PolicygraphError": "errors",
    "QueryError": "errors",
    "RemoteError": "errors",
    "StoreBusyError": "errors",
    "StoreError": "errors",
    "UnknownNameError": "errors",
    "ValidationError": "errors",
    "evaluate": "evaluation.evaluate",
    "extract": "extraction",
    "link_wikidata": "linking",
    "iter_documents": "loading",
    "load_document": "loading",
    "Document": "models",
    "DocumentMeta": "models",
    "Findings": "models",
    "BuildReport": "pipeline",
    "build": "pipeline",
    "find_query": "sparql.querying",
    "load_library": "sparql.querying",
    "run_library": "sparql.querying",
    "run_query": "sparql.querying",
    "push": "sparql.remote",
    "AskResult": "sparql.results",
    "GraphResult": "sparql.results",
    "SelectResult": "store",
    "Store": "store",
    "validate": "rdf.validation",
    "write_all_views": "viz",
    "write_view": "viz",
}

__all__ = [
    "AskResult",
    "BuildReport",
    "Document",
    "DocumentError",
    "DocumentMeta",
    "Findings",
    "GraphResult",
    "LinkError",
    "PolicygraphError",
    "QueryError",
    "RemoteError",
    "SelectResult",
    "Store",
    "StoreBusyError",
    "StoreError",
    "UnknownNameError",
    "ValidationError",
    "__version__",
    "build",
    "evaluate",
    "extract",
    "find_query",
    "iter_documents",
    "link_wikidata",
    "load_document",
    "load_library",
    "push",
    "run_library",
    "run_query",
    "validate",
    "write_all_views",
    "write_view",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'policygraph' has no attribute {name!r}")
    return getattr(import_module(f".{module}", __name__), name)
