"""The Wikidata Query Service's MWAPI search, as the tests' SPARQL server answers it.

WDQS runs `SERVICE wikibase:mwapi { … mwapi:search ?name … }` by calling Wikidata's search;
no local SPARQL server has that service. The fixture records the search's answers as data
(`fx:hit-1 fx:query "name" ; fx:language "en" ; fx:item wd:Q… ; fx:rank 1`), and this WSGI wrapper
rewrites the service call of each incoming query into a pattern over those records, then
hands the query to the real server (policygraph's `serve` over an Oxigraph store).
"""

from __future__ import annotations

import io
import re
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any

FX = "https://example.invalid/wikidata-fixture/"
_SERVICE = re.compile(r"SERVICE\s+wikibase:mwapi\s*\{(?P<body>.*?)\n\s*\}", re.DOTALL)


def rewrite(query: str) -> str:
    def pattern(m: re.Match[str]) -> str:
        body = m.group("body")
        var = {
            what: re.search(rf"{what}\s+(\?\w+)", body)
            for what in ("mwapi:search", "mwapi:language")
        }
        item = re.search(r"(\?\w+)\s+wikibase:apiOutputItem", body)
        rank = re.search(r"(\?\w+)\s+wikibase:apiOrdinal", body)
        assert all(var.values()) and item and rank, f"unexpected MWAPI call: {body}"
        name, lang = var["mwapi:search"].group(1), var["mwapi:language"].group(1)  # type: ignore[union-attr]
        return (
            f"?hit <{FX}query> ?_q ; <{FX}language> ?_l ; <{FX}item> {item.group(1)} ; "
            f"<{FX}rank> {rank.group(1)} . FILTER(?_q = STR({name}) && ?_l = STR({lang}))"
        )

    return _SERVICE.sub(pattern, query)


def mwapi(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """`app` with the MWAPI service calls of POSTed `query=` forms rewritten."""

    def wrapped(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "POST" and "form" in environ.get("CONTENT_TYPE", ""):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            form = urllib.parse.parse_qs(environ["wsgi.input"].read(length).decode())
            if "query" in form:
                form["query"] = [rewrite(form["query"][0])]
            body = urllib.parse.urlencode(form, doseq=True).encode()
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return app(environ, start_response)

    return wrapped
