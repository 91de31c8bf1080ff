"""Corpus-level settings: who publishes the documents of a folder.

A user who drops a `site.yaml` (keys `publisher:` and optionally `site:`) into a corpus
folder, or above it, states the publisher of every document under it. A Hugo site's own
configuration (hugo.toml / config.toml / hugo.yaml / config.yaml with a `baseURL`) says the
same through its `title`. Front matter still wins for a document that names its publisher.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import yaml

from policygraph.errors import DocumentError

__all__ = ["SITE_FILE", "SiteSettings", "find_site_settings"]

SITE_FILE = "site.yaml"
_HUGO_FILES = ("hugo.toml", "config.toml", "hugo.yaml", "config.yaml")
_MAX_LEVELS = 3
_MAX_BYTES = 256 * 1024


@dataclass(frozen=True)
class SiteSettings:
    publisher: str | None = None
    site: str | None = None


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _read(path: str) -> dict[str, Any] | None:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(_MAX_BYTES + 1)
        if len(raw) > _MAX_BYTES:
            return None
        text = raw.decode("utf-8")
        data = tomllib.loads(text) if path.endswith(".toml") else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError):
        return None
    return data if isinstance(data, dict) else None


_CACHE: dict[tuple[str, float], SiteSettings | None] = {}


def _settings_in(folder: str) -> SiteSettings | None:
    own = os.path.join(folder, SITE_FILE)
    if os.path.isfile(own):
        key = (own, os.path.getmtime(own))
        if key not in _CACHE:
            data = _read(own)
            if data is None:
                raise DocumentError(own, "site settings are not a YAML mapping")
            _CACHE[key] = SiteSettings(_text(data.get("publisher")), _text(data.get("site")))
        return _CACHE[key]
    for name in _HUGO_FILES:
        path = os.path.join(folder, name)
        if not os.path.isfile(path):
            continue
        key = (path, os.path.getmtime(path))
        if key not in _CACHE:
            data = _read(path)
            base = _text(data.get("baseURL") or data.get("baseurl")) if data else None
            if data is None or base is None:
                _CACHE[key] = None  # not a Hugo configuration
            else:
                host = urlparse(base).hostname
                _CACHE[key] = SiteSettings(_text(data.get("title")), host)
        if _CACHE[key] is not None:
            return _CACHE[key]
    return None


def find_site_settings(document_path: str) -> SiteSettings | None:
    """Settings from the document's folder or the nearest of three folders above it."""
    here = os.path.dirname(os.path.abspath(document_path))
    for _ in range(_MAX_LEVELS + 1):
        settings = _settings_in(here)
        if settings is not None:
            return settings
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    return None
