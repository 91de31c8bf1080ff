"""What the endpoint said, kept per name and per item in a JSON file, so that a second run, a
colleague's machine or a machine without network builds the same graph, and a corpus change
asks only about the names it adds.

Entries are keyed by endpoint, then by what was asked: `label\\t<lang>\\t<name>` (items whose
label or alias is the name), `search\\t<lang>\\t<name>` (the entity search's hits, in order),
`item\\t<QID>` (its statements), `names\\t<QID>\\t<lang>` (its labels, aliases and
description in one language), `reconcile\\t<name>` (a reconciliation service's items). Each
entry records when it was fetched; an entry older than the cache's time to live is asked
again when online, and still answers offline (the run reproduces rather than fails). A
corrupt or truncated file is reported and treated as empty; it is kept beside the new file
(`<name>.corrupt`) rather than silently overwritten. A file of the older per-query format
(/1) cannot be split per name: it is reported and set aside the same way.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

__all__ = ["CACHE_FORMAT", "DEFAULT_TTL", "AnswerCache", "CachedEntry", "now_iso"]

CACHE_FORMAT = "policygraph-wikidata-cache/2"
DEFAULT_TTL = timedelta(days=30)  # Wikidata changes; a month-old answer is asked again


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class CachedEntry:
    value: Any  # JSON: what the endpoint said about one name or one item
    fetched: str  # ISO timestamp of when the endpoint said it


class AnswerCache:
    """A JSON file of per-name and per-item answers (in memory only when `path` is None)."""

    def __init__(self, path: Path | None, ttl: timedelta | None = DEFAULT_TTL) -> None:
        self.path = path
        self.ttl = ttl  # None: entries never expire
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
            found = data.get("format") if isinstance(data, dict) else None
            self._reject(
                f"{path}: not a {CACHE_FORMAT} file"
                + (f" (it is {found}, kept per query)" if isinstance(found, str) else "")
                + "; treating the cache as empty"
            )
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
                and "value" in entry
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

    def get(self, endpoint: str, key: str) -> CachedEntry | None:
        entry = self._entries.get(endpoint, {}).get(key)
        if entry is None:
            return None
        return CachedEntry(entry["value"], entry["fetched"])

    def fresh(self, entry: CachedEntry, now: datetime | None = None) -> bool:
        """Whether `entry` is younger than the time to live."""
        if self.ttl is None:
            return True
        try:
            fetched = datetime.fromisoformat(entry.fetched)
        except ValueError:
            return False
        if fetched.tzinfo is None:
            fetched = fetched.replace(tzinfo=UTC)
        return (now or datetime.now(UTC)) - fetched < self.ttl

    def put(self, endpoint: str, key: str, entry: CachedEntry) -> None:
        self._entries.setdefault(endpoint, {})[key] = {
            "fetched": entry.fetched,
            "value": entry.value,
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
