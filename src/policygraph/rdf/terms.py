"""The one writer of RDF terms as text, for N-Triples and SPARQL alike, the one builder of
VALUES blocks, and of the updates that carry data into a graph (INSERT DATA, DROP GRAPH).

N-Triples and SPARQL share the syntax of a term: `<iri>`, `"text"`, `"text"@lang`,
`"text"^^<datatype>`. Every value that reaches N-Triples or SPARQL text goes through here: an
IRI is refused if it holds a character that could end it (SPARQL's IRIREF, N-Triples' IRI),
a literal is escaped so that it cannot end early, a language tag must be well formed. So a
value can only ever be the one term it is; no other module writes terms from values.

The builder's fast path (store/ntriples.py) writes the IRIs vocab mints (hashes and slugs) without
the check, for speed; everything else, above all anything from a document, a command line
or a shapes file, is checked here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..errors import TermError

__all__ = [
    "BAD_IRI",
    "drop_graph",
    "fill_values",
    "insert_data",
    "iri",
    "literal",
    "prefix_declaration",
    "term",
    "values_block",
]

# Characters that may not appear inside an IRI (SPARQL 1.1 IRIREF; N-Triples the same).
BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
# SPARQL's PN_PREFIX, ASCII only: a letter, then letters, digits, "_", "-" or inner dots.
_PREFIX = re.compile(r"^(?:[A-Za-z](?:[\w.-]*[\w-])?)?$")
_LANG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\]')
# \\ " \n \r must be escaped in both syntaxes; \t and other control characters are escaped
# too, so that a remote endpoint's parser never sees them raw.
_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r"}
_ESCAPES.update({ord("\t"): "\\t"})
_ESCAPES.update({c: f"\\u{c:04X}" for c in range(0x20) if c not in _ESCAPES})


def iri(value: str) -> str:
    """`<value>`, refused if `value` could end the IRI early."""
    if not value or BAD_IRI.search(value):
        raise TermError(f"refusing to write {value!r} as an IRI")
    return f"<{value}>"


def literal(value: str, *, language: str | None = None, datatype: str | None = None) -> str:
    """A literal: the text escaped, with a checked language tag or datatype IRI."""
    text = value.translate(_ESCAPES) if _NEEDS_ESCAPE.search(value) else value
    if language:
        if not _LANG.match(language):
            raise TermError(f"refusing the language tag {language!r}")
        return f'"{text}"@{language}'
    if datatype:
        return f'"{text}"^^{iri(datatype)}'
    return f'"{text}"'


def term(node: Node, *, blank: bool = False) -> str:
    """An rdflib term as text. Blank nodes (`_:id`) only where `blank` allows them: in data
    being copied, never as a query parameter."""
    if isinstance(node, URIRef):
        return iri(str(node))
    if isinstance(node, Literal):
        dt = str(node.datatype) if node.datatype is not None else None
        return literal(str(node), language=node.language, datatype=dt)
    if isinstance(node, BNode):
        if not blank:
            raise TermError("a blank node cannot be a query parameter")
        if not re.fullmatch(r"[A-Za-z0-9_]+", str(node)):
            raise TermError(f"refusing to write {str(node)!r} as a blank node")
        return f"_:{node}"
    raise TermError(f"cannot write {node!r} as an RDF term")


def values_block(names: Sequence[str], rows: Iterable[Sequence[Node]]) -> str:
    """`VALUES (?a ?b) { (t1 t2) … }`: each variable name checked, each term written here."""
    for name in names:
        if not re.fullmatch(r"\w+", name):
            raise TermError(f"refusing the variable name {name!r}")
    body = " ".join("(" + " ".join(term(t) for t in row) + ")" for row in rows)
    return f"VALUES ({' '.join(f'?{n}' for n in names)}) {{ {body} }}"


def fill_values(query: str, values: Mapping[str, Iterable[Node]]) -> str:
    """Fill each empty `VALUES ?var { }` block of `query` with the given terms. The block
    is found by a pattern that names the whole variable, so ?graph never matches ?graphs."""
    for var, terms in values.items():
        marker = re.compile(r"VALUES\s+\?" + re.escape(var) + r"\s*\{\s*\}")
        found = list(marker.finditer(query))
        if len(found) != 1:
            raise TermError(f"the query has {len(found)} empty VALUES blocks for ?{var}, not 1")
        filled = f"VALUES ?{var} {{ {' '.join(term(t) for t in terms)} }}"
        start, end = found[0].span()
        query = query[:start] + filled + query[end:]
    return query


def insert_data(ntriples: str, graph: str | None = None, *, blank_nodes: bool = False) -> str:
    """The update that adds `ntriples` (N-Triples lines, each term written by this module,
    store/ntriples.py or rdflib's serialiser) to `graph`, or to the default graph;
    `blank_nodes`: as an INSERT template, as remote push sends the triples with blank nodes
    (the form it has always used with Virtuoso)."""
    body = ntriples if ntriples.endswith("\n") else ntriples + "\n"
    block = f"GRAPH {iri(graph)} {{\n{body}}}" if graph is not None else body
    if blank_nodes:
        return f"INSERT {{ {block} }} WHERE {{}}"
    return f"INSERT DATA {{ {block} }}"


def drop_graph(graph: str) -> str:
    """The update that drops named graph `graph` (silently when it is absent)."""
    return f"DROP SILENT GRAPH {iri(graph)}"


def prefix_declaration(prefix: str, namespace: str) -> str:
    """`PREFIX prefix: <namespace>`, the prefix name checked as the IRI is."""
    if not _PREFIX.match(prefix):
        raise TermError(f"refusing {prefix!r} as a prefix name")
    return f"PREFIX {prefix}: {iri(namespace)}"
