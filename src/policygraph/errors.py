"""The exceptions policygraph raises. Each subclass says what the caller should do."""

from __future__ import annotations

__all__ = [
    "DocumentError",
    "LinkError",
    "PolicygraphError",
    "QueryError",
    "RemoteError",
    "ResourceError",
    "StoreBusyError",
    "StoreError",
    "UnknownNameError",
    "ValidationError",
    "WorkerError",
]


class PolicygraphError(Exception):
    """Base class: anything policygraph reports as a clean one-line error."""


class DocumentError(PolicygraphError):
    """A document cannot be read. Skip it (the message names the file and the problem)."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class StoreError(PolicygraphError):
    """The store cannot be opened or written. Check the --store directory."""


class StoreBusyError(StoreError):
    """Another process holds the store. Wait for it to finish, then try again."""


class ValidationError(PolicygraphError):
    """The graph breaks the SHACL shapes. Fix the input or the extraction; nothing was written."""


class QueryError(PolicygraphError):
    """A SPARQL query is malformed or failed. Fix the query (the message names file and line)."""


class UnknownNameError(QueryError):
    """A parameter names an actor or topic the store does not hold. Use a name it suggests."""


class RemoteError(PolicygraphError):
    """A remote SPARQL endpoint failed or is unreachable. Retry later or check the URL."""


class LinkError(PolicygraphError):
    """Linking to Wikidata could not be done (no cache, no network). Nothing was changed."""


class WorkerError(PolicygraphError):
    """A worker process died mid-build (often: out of memory). Nothing was written; retry
    with fewer workers (`--workers 1`)."""


class ResourceError(PolicygraphError):
    """A data, ontology or query file is missing or unreadable. Reinstall policygraph, or fix
    the folder $POLICYGRAPH_RESOURCES names (the message names the file)."""
