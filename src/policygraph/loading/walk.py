"""Walk the paths a user named: files as given, folders in sorted (deterministic) order."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator

from policygraph.errors import DocumentError
from policygraph.loading.authors import AUTHORS_FOLDER
from policygraph.loading.detect import SUPPORTED_SUFFIXES, UNSUPPORTED_DOCUMENTS

__all__ = ["source_name", "walk_paths", "walk_sources"]


# A corpus folder's own notes (what the documents are, where they come from) are not
# documents of the debate; a file named explicitly on the command line is still read.
FOLDER_NOTES = frozenset({"readme", "sources", "license", "licence", "changelog", "notes"})


def _skipped(name: str) -> bool:
    return name.startswith(".") or os.path.splitext(name)[0].casefold() in FOLDER_NOTES


def _walk_dir(
    folder: str, ancestors: tuple[str, ...], seen_dirs: set[str], seen_files: set[str]
) -> Iterator[str | DocumentError]:
    real = os.path.realpath(folder)
    if real in ancestors:
        yield DocumentError(
            folder, f"symbolic link loop: this folder leads back to {real}; not followed"
        )
        return
    if real in seen_dirs:
        return  # reached twice through links: its files were loaded the first time
    seen_dirs.add(real)
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        yield DocumentError(folder, f"cannot list folder: {exc.strerror or exc}")
        return
    for name in names:
        if _skipped(name):
            continue
        child = os.path.join(folder, name)
        if os.path.islink(child) and not os.path.exists(child):
            problem = _dangling(child)
            if problem or os.path.splitext(name)[1].lower() in SUPPORTED_SUFFIXES:
                yield DocumentError(
                    child, problem or f"broken symbolic link to {os.readlink(child)}"
                )
            continue
        if os.path.isdir(child):
            if name == AUTHORS_FOLDER:
                continue
            yield from _walk_dir(child, (*ancestors, real), seen_dirs, seen_files)
        elif os.path.splitext(name)[1].lower() in SUPPORTED_SUFFIXES:
            yield from _file(child, seen_files)
        elif os.path.splitext(name)[1].lower() in UNSUPPORTED_DOCUMENTS:
            yield DocumentError(child, UNSUPPORTED_DOCUMENTS[os.path.splitext(name)[1].lower()])


def _dangling(path: str) -> str | None:
    """'symbolic link loop' for a link that resolves to itself, else None."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"symbolic link loop: {path} -> {os.readlink(path)} never reaches a file"
    return None


def _file(path: str, seen_files: set[str]) -> Iterator[str | DocumentError]:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        # Bytes that are not UTF-8 reach Python as lone surrogates, which no graph, report or
        # terminal can carry (one such name aborted the whole build).
        shown = os.fsencode(path).decode("utf-8", "backslashreplace")
        yield DocumentError(shown, "file name is not valid UTF-8: rename the file to read it")
        return
    if os.path.islink(path) and not os.path.exists(path):
        yield DocumentError(path, _dangling(path) or f"broken symbolic link to {os.readlink(path)}")
        return
    real = os.path.realpath(path)
    if real in seen_files:
        return
    seen_files.add(real)
    yield path


def walk_paths(paths: list[str]) -> Iterator[str | DocumentError]:
    """File paths to load, and DocumentErrors for paths that cannot be walked."""
    for item in walk_sources(paths):
        yield item if isinstance(item, DocumentError) else item[0]


def walk_sources(paths: list[str]) -> Iterator[tuple[str, str] | DocumentError]:
    """As walk_paths, each file with its source_name under the path the user named."""
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            for item in _walk_dir(path, (), seen_dirs, seen_files):
                yield item if isinstance(item, DocumentError) else (item, source_name(item, path))
        elif os.path.lexists(path):
            for item in _file(path, seen_files):
                folder = os.path.dirname(path) or "."
                yield item if isinstance(item, DocumentError) else (item, source_name(item, folder))
        else:
            yield DocumentError(path, "file not found")


def source_name(path: str, folder: str) -> str:
    """The name a document's graph records for it (pg:sourcePath): its path below the corpus
    folder, led by that folder's own name, with `/` separators: `documents/004.txt` whether
    the folder `data/documents` or the file `data/documents/004.txt` was named, relatively or
    absolutely. So an export carries no path of the machine that built it, and a rebuild
    from another working directory finds the same names."""
    below = os.path.relpath(path, folder)
    name = os.path.basename(os.path.abspath(folder))
    return "/".join([*([name] if name else []), *below.split(os.sep)])
