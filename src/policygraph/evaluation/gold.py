"""Reading a policygraph-gold/1 file (tests/data/gold/FORMAT.md): the file checked, its
entries' names, stances and strings, and the gold format's name comparison."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from .. import resources
from ..errors import GoldError
from ..names import fold

__all__ = [
    "SECTIONS",
    "all_strings",
    "corpus_dir",
    "fold_text",
    "gold_names",
    "gold_stances",
    "load_gold",
    "normalise",
]

SECTIONS = (
    "signatories",
    "mentions",
    "people",
    "quotes",
    "stances",
    "same_actor",
    "distinct_actors",
    "not_actors",
)
_TITLES = re.compile(
    r"^(?:(?:mr|mrs|ms|miss|dr|prof|professor|sir|dame|senator|father|emeritus|attorney[- ]general"
    r"|prime minister|minister)\.?\s+)+"
)
_POSTNOMINALS = re.compile(r"(?:\s+(?:ao|ac|am|oam|qc|sc|mp|ocso|phd))+$")


def normalise(name: str) -> str:
    """The gold format's comparison (names.fold: NFKC, case and whitespace folding, quotes and
    dashes unified), then a leading "the", titles and post-nominals off."""
    text = re.sub(r"^the\s+", "", fold(name))
    return _POSTNOMINALS.sub("", _TITLES.sub("", text)).strip()


def fold_text(text: str) -> str:
    return re.sub(r"[^\w]+", " ", normalise(text)).strip()


def gold_names(value: Any) -> Iterator[tuple[str, bool]]:
    """(name, optional) pairs from a gold list of strings or {name: ...} entries."""
    if value is None:
        return
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict):
            name = item.get("name") or item.get("label") or item.get("actor")
            if isinstance(name, str):
                yield name, bool(item.get("optional"))
        elif isinstance(item, str):
            yield item, False


def all_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from all_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from all_strings(v)


def gold_stances(entry: dict[str, Any]) -> Iterator[tuple[str, str, str, bool, str]]:
    """(actor name, topic, position, optional, evidence) of each stance of a gold entry, a
    letter's stance once per signatory, a quote's with its speaker."""
    signers = [s.get("label") or s.get("as_written") for s in entry.get("signatories") or []]
    for s in entry.get("stances") or []:
        actor = s.get("actor")
        names = signers if actor == "signatories" else actor if isinstance(actor, list) else [actor]
        for n in names:
            yield (
                str(n),
                s["topic"],
                s["position"],
                bool(s.get("optional")),
                str(s.get("evidence", "")),
            )
    for q in entry.get("quotes") or []:
        for s in q.get("stances") or []:
            yield (
                str(q.get("speaker")),
                s["topic"],
                s["position"],
                bool(q.get("optional") or s.get("optional")),
                q.get("text", ""),
            )


def load_gold(path: str | os.PathLike[str]) -> dict[str, Any]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read the gold file: {exc}") from exc
    except yaml.YAMLError as exc:
        raise GoldError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != "policygraph-gold/1":
        raise GoldError(f"{path}: not a gold file (expected `format: policygraph-gold/1`)")
    docs = data.get("documents")
    if not isinstance(docs, list) or not all(isinstance(d, dict) and "file" in d for d in docs):
        raise GoldError(f"{path}: `documents` must be a list of entries with a `file`")
    for doc in docs:
        stances = list(doc.get("stances") or [])
        stances += [s for q in doc.get("quotes") or [] for s in q.get("stances") or []]
        for s in stances:
            if (
                not isinstance(s, dict)
                or s.get("position") not in ("support", "oppose")
                or (not s.get("topic"))
            ):
                raise GoldError(
                    f"{path}: {doc['file']}: a stance needs `topic` and `position` "
                    f"(support or oppose): {s!r}"
                )
    return data


def corpus_dir(gold_path: Path, gold: dict[str, Any], corpus: str | None) -> Path:
    if corpus:
        return Path(corpus)
    declared = (gold_path.parent / str(gold.get("corpus") or ".")).resolve()
    files = [str(e["file"]) for e in gold["documents"]]
    # A gold file copied beside the tests keeps its `corpus:`; the seeds it names are then
    # the project's data/documents.
    project = resources.data("documents")
    candidates = (declared, gold_path.parent.resolve(), Path("data/documents").resolve(), project)
    for folder in candidates:
        if folder.is_dir() and all((folder / f).is_file() for f in files):
            return folder
    return declared
