"""policygraph: documents about a policy fight → an RDF knowledge graph of who stands where."""

from __future__ import annotations

__version__ = "0.1.0"
