"""Every exception policygraph raises, in one tree. Each class says what the caller should do;
the CLI prints any `PolicygraphError` as one clean line.

    PolicygraphError
    ├── DocumentError          a document cannot be read (skipped; the rest are loaded)
    ├── DataError              rule (data/rules/*.yaml), word-list, topic or gazetteer data
    │                          is malformed
    │   └── ShapesError        the SHACL shapes use something the validator cannot check
    ├── GoldError              a gold file for evaluation is malformed
    ├── ResourceError          a data, ontology or query file is missing or unreadable
    ├── StoreError             the store cannot be opened or written
    │   ├── StoreBusyError     another process holds the store
    │   ├── StoreDamagedError  the store's files are damaged (CURRENT, a .sst, the intent
    │   │                      log): rebuild it into a fresh folder
    │   └── StoreVersionError  another policygraph version wrote the store: rebuild it
    ├── ValidationError        the graph breaks the SHACL shapes; nothing was written
    ├── QueryError             a SPARQL query is malformed or failed
    │   ├── UnknownNameError   a parameter names an actor or topic the store does not hold
    │   ├── TermError          a value cannot be written as an RDF term (a bad IRI, a bad tag)
    │   └── RefusedError       a remote endpoint refused the query (also a RemoteError)
    ├── RemoteError            a remote SPARQL endpoint failed or is unreachable
    │   ├── RefusedError       (see above)
    │   ├── TransientError     a failure worth another attempt (429, 5xx, timeout, garbage)
    │   └── NotCached          offline, and the cache has no answer
    ├── LinkError              linking to Wikidata could not be done; nothing was changed
    ├── ReviewError            a review decision or decisions file is malformed; the file
    │                          is left as it was
    ├── ViewError              a network view was asked for with an unknown name or filter
    └── WorkerError            a worker process died mid-build; nothing was written

    Exception (outside the tree: the SPARQL server answers these as HTTP statuses; they
    never reach a user as an error line)
    ├── HttpError              serve.py: answer with this status, message and headers
    └── NotAcceptable          sparql/protocol.py: nothing the client accepts can carry the answer

    LookupError (outside the tree: a bug, not bad input)
    └── UnresolvedName         the graph builder named a name resolution did not list
                               (resolution.actor_names and rdf/building.py disagree)
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "DataError",
    "DocumentError",
    "GoldError",
    "HttpError",
    "LinkError",
    "NotAcceptable",
    "NotCached",
    "PolicygraphError",
    "QueryError",
    "RefusedError",
    "RemoteError",
    "ResourceError",
    "ReviewError",
    "ShapesError",
    "StoreBusyError",
    "StoreDamagedError",
    "StoreError",
    "StoreVersionError",
    "TermError",
    "TransientError",
    "UnknownNameError",
    "UnresolvedName",
    "ValidationError",
    "ViewError",
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


class DataError(PolicygraphError):
    """Rule or word-list data (speakers, people, gazetteer, topics) is malformed. Fix the
    file the message names."""


class ShapesError(DataError):
    """The shapes graph uses a SHACL feature the validator does not implement."""


class GoldError(PolicygraphError):
    """A gold file is malformed. Fix the file the message names."""


class ResourceError(PolicygraphError):
    """A data, ontology or query file is missing or unreadable. Reinstall policygraph, or fix
    the folder $POLICYGRAPH_RESOURCES names (the message names the file)."""


class StoreError(PolicygraphError):
    """The store cannot be opened or written. Check the --store directory."""


class StoreBusyError(StoreError):
    """Another process holds the store. Wait for it to finish, then try again."""


class StoreDamagedError(StoreError):
    """The store's files are damaged (an empty `CURRENT`, a missing `.sst`, an unreadable
    intent log): nothing can be trusted in it. Rebuild it into a fresh folder."""


class StoreVersionError(StoreError):
    """The store was written by another policygraph version, whose graphs this one would
    misread (answering 0 rows). Rebuild it, or use the version that wrote it."""


class ValidationError(PolicygraphError):
    """The graph breaks the SHACL shapes. Fix the input or the extraction; nothing was written."""


class QueryError(PolicygraphError):
    """A SPARQL query is malformed or failed. Fix the query (the message names file and line)."""


class UnknownNameError(QueryError):
    """A parameter names an actor or topic the store does not hold. Use a name it suggests."""


class TermError(QueryError):
    """A value cannot be written as an RDF term (an IRI with a space or `>`, a bad language
    tag). Nothing was sent or written."""


class RemoteError(PolicygraphError):
    """A remote SPARQL endpoint failed or is unreachable. Retry later or check the URL."""


class RefusedError(QueryError, RemoteError):
    """The endpoint refused the query or update (HTTP 4xx). Fix the query; retrying won't help."""


class TransientError(RemoteError):
    """A failure worth another attempt: HTTP 429 or 5xx, a timeout, a cut connection, an
    answer that cannot be read. `wait` is what the server asked for (Retry-After), if anything."""

    def __init__(self, url: str, problem: str, wait: float | None = None) -> None:
        super().__init__(f"{url}: {problem}")
        self.url = url
        self.problem = problem
        self.wait = wait


class NotCached(RemoteError):
    """Offline and the cache has no answer for this query."""


class LinkError(PolicygraphError):
    """Linking to Wikidata could not be done (no cache, no network). Nothing was changed."""


class ReviewError(PolicygraphError):
    """A review decision, decisions file or coder's CSV is malformed, or names a fact the
    store does not hold. Fix what the message names; the decisions file is left as it was."""


class ViewError(PolicygraphError):
    """A network view was asked for with an unknown name, topic or date. Use one it lists."""


class WorkerError(PolicygraphError):
    """A worker process died mid-build (often: out of memory). Nothing was written; retry
    with fewer workers (`--workers 1`)."""


class HttpError(Exception):
    """The server's answer to a bad request: `status` ("404 Not Found"), a message, headers."""

    def __init__(
        self, status: str, message: str, headers: list[tuple[str, str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or []


class NotAcceptable(Exception):
    """Nothing the client accepts can carry this kind of answer (`offered`: media types)."""

    def __init__(self, kind: str, offered: Sequence[str]) -> None:
        super().__init__(f"offered: {', '.join(offered)}")
        self.kind = kind


class UnresolvedName(LookupError):
    """The graph builder asked the frozen actor table for a name it does not hold: a bug (the
    names resolution lists and the names building writes have drifted apart)."""
