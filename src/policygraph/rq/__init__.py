"""SPARQL the library itself runs, kept as .rq files (data, not Python strings)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["load"]


@cache
def load(name: str) -> str:
    return (Path(__file__).parent / f"{name}.rq").read_text(encoding="utf-8")
