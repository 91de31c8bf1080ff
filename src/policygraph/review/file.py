"""The decisions file: read whole, written whole, never half-written, never lost.

Every change is a read-modify-write under an exclusive lock (fcntl.flock on a `.lock` file
beside it), so two reviewers writing at once both keep their decisions; the new text goes to a
temporary file in the same folder, is fsynced and moved over the old one (os.replace), so a
writer killed at any point leaves the old file or the new one, whole.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import yaml

from ..errors import ReviewError
from .model import FORMAT, Decision, decision_from_dict, decision_to_dict

__all__ = ["DEFAULT_DECISIONS", "add_decisions", "load_decisions", "remove_decisions"]

# Relative to the working folder, like the default store: the project's own review file.
DEFAULT_DECISIONS = Path("data") / "review.yaml"


def load_decisions(path: Path) -> tuple[Decision, ...]:
    """The decisions in `path` in file order; a missing file holds none."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ()
    except (OSError, UnicodeDecodeError) as exc:
        raise ReviewError(f"{path}: cannot read the decisions file: {exc}") from exc
    return _parse(text, path)


def _parse(text: str, path: Path) -> tuple[Decision, ...]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ReviewError(f"{path}: not YAML: {exc}") from exc
    if data is None:
        return ()
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ReviewError(f"{path}: not a decisions file (expected `format: {FORMAT}`)")
    entries = data.get("decisions")
    entries = [] if entries is None else entries
    if not isinstance(entries, list):
        raise ReviewError(f"{path}: `decisions` must be a list")
    return tuple(decision_from_dict(e, f"{path}: decisions[{i}]") for i, e in enumerate(entries))


_HEADER = """\
# Human review decisions on extracted facts (see `policygraph review --help` and
# src/policygraph/review/model.py for the fields). Written by `policygraph review` and the
# review page of `policygraph serve --review`; re-applied on every build.
"""


def dump_decisions(decisions: Iterable[Decision]) -> str:
    body = {"format": FORMAT, "decisions": [decision_to_dict(d) for d in decisions]}
    return _HEADER + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=100)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(path.name + ".lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)  # the rename itself survives a power cut
    finally:
        os.close(folder)


def add_decisions(path: Path, new: Iterable[Decision]) -> tuple[Decision, ...]:
    """Add decisions to the file; one with the id of an earlier one replaces it (a reviewer
    changing their mind). Returns the file's decisions after the change."""
    new = list(new)
    with _locked(path):
        current = {d.id: d for d in load_decisions(path)}
        for d in new:
            current.pop(d.id, None)  # the newer decision goes to the end: file order is time
            current[d.id] = d
        _write(path, dump_decisions(current.values()))
        return tuple(current.values())


def remove_decisions(path: Path, ids: Iterable[str]) -> int:
    """Withdraw decisions by id; returns how many went."""
    wanted = set(ids)
    with _locked(path):
        current = load_decisions(path)
        kept = [d for d in current if d.id not in wanted]
        _write(path, dump_decisions(kept))
        return len(current) - len(kept)
