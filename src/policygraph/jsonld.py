"""JSON-LD that travels: pyoxigraph's expanded JSON-LD, compacted with an `@context`.

pyoxigraph writes JSON-LD with full IRIs everywhere and no context. This module adds a
`@context` of prefixes (vocab.EXPORT_PREFIXES) and writes every IRI it can as a compact IRI
(`actor:access-now`, `skos:prefLabel`): property keys, `@id`, `@type` and value datatypes. A
JSON-LD processor expands them back to the same quads; literals are never touched, so a
document's text that happens to look like `pg:x` stays text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = ["compact"]

_IRI_KEYS = frozenset({"@id", "@type"})


def compact(expanded: bytes, prefixes: Mapping[str, str]) -> bytes:
    """`expanded` (a JSON-LD array of graph and node objects) as one compacted document."""
    # Longest namespace first, so that id/actor/x becomes actor:x rather than id:actor/x.
    spaces = sorted(prefixes.items(), key=lambda item: len(item[1]), reverse=True)

    def iri(value: str) -> str:
        for prefix, ns in spaces:
            if value.startswith(ns) and len(value) > len(ns):
                local = value[len(ns) :]
                if not local.startswith("//"):  # would read as an absolute IRI
                    return f"{prefix}:{local}"
        return value

    def walk(node: Any, key: str | None = None) -> Any:
        if isinstance(node, list):
            return [walk(item, key) for item in node]
        if isinstance(node, dict):
            out: dict[str, Any] = {}
            for k, v in node.items():
                name = k if k.startswith("@") else iri(k)
                out[name] = walk(v, k)
            return out
        if isinstance(node, str) and key in _IRI_KEYS:
            return iri(node)
        return node

    graphs = json.loads(expanded or b"[]")
    document = {"@context": dict(prefixes), "@graph": walk(graphs)}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
