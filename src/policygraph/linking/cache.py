"""Every answer an endpoint gives, kept in a JSON file so that a second run, a colleague's
machine or a machine without network builds the same graph.

Entries are keyed by endpoint, then by the normalised query text (comments dropped,
whitespace folded). A corrupt or truncated file is reported and treated as empty; it is kept
beside the new file (`<name>.corrupt`) rather than silently overwritten.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..sparql.client import is_results

__all__ = ["CACHE_FORMAT", "AnswerCache", "CachedAnswer", "normalise_query"]

CACHE_FORMAT = "policygraph-wikidata-cache/1"

_COMMENT = re.compile(r"^\s*#.*$", re.MULTILINE)


def normalise_query(query: str) -> str:
    """The cache key: the query without comment lines, whitespace folded to single spaces."""
    return " ".join(_COMMENT.sub("", query).split())


@dataclass(frozen=True)
class CachedAnswer:
    result: dict[str, Any]  # SPARQL 1.1 JSON results
    fetched: str  # ISO timestamp of when the endpoint gave the answer


class AnswerCache:
    """A JSON file of endpoint answers (or an in-memory one when `path` is None)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.problem: str | None = None
        self._entries: dict[str, dict[str, dict[str, Any]]] = {}
        self._dirty = False
        self._corrupt = False
        if path is not None and path.exists():
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            self._reject(f"{path}: the Wikidata cache cannot be read ({exc}); treating it as empty")
            return
        if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
            self._reject(f"{path}: not a {CACHE_FORMAT} file; treating the cache as empty")
            return
        entries = data.get("entries")
        if not isinstance(entries, dict):
            self._reject(f"{path}: the cache has no 'entries' table; treating it as empty")
            return
        for endpoint, answers in entries.items():
            if not isinstance(answers, dict):
                continue
            good = {
                key: entry
                for key, entry in answers.items()
                if isinstance(entry, dict)
                and is_results(entry.get("result"))
                and isinstance(entry.get("fetched"), str)
            }
            if len(good) != len(answers):
                self.problem = f"{path}: {len(answers) - len(good)} malformed cache entries ignored"
            self._entries[str(endpoint)] = good

    def _reject(self, message: str) -> None:
        self.problem = message
        self._corrupt = True
        self._entries = {}

    def __len__(self) -> int:
        return sum(len(a) for a in self._entries.values())

    def get(self, endpoint: str, query: str) -> CachedAnswer | None:
        entry = self._entries.get(endpoint, {}).get(normalise_query(query))
        if entry is None:
            return None
        return CachedAnswer(entry["result"], entry["fetched"])

    def put(self, endpoint: str, query: str, answer: CachedAnswer) -> None:
        self._entries.setdefault(endpoint, {})[normalise_query(query)] = {
            "fetched": answer.fetched,
            "result": answer.result,
        }
        self._dirty = True

    def save(self) -> None:
        """Write the file atomically (temporary file, then rename); a no-op if nothing changed."""
        if self.path is None or not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self._corrupt and self.path.exists():
            os.replace(self.path, self.path.with_name(self.path.name + ".corrupt"))
            self._corrupt = False
        body = {
            "format": CACHE_FORMAT,
            "entries": {
                ep: dict(sorted(answers.items())) for ep, answers in sorted(self._entries.items())
            },
        }
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(body, out, ensure_ascii=False, indent=1, sort_keys=False)
                out.write("\n")
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._dirty = False
