"""SPARQL the library itself runs, kept as .rq files (data, not Python strings)."""

from __future__ import annotations

from functools import cache

from ... import resources

__all__ = ["load"]


@cache
def load(name: str) -> str:
    return resources.package_text("store", "rq", f"{name}.rq")
