"""Where policygraph reads its data from: the one module that knows.

Three folders hold the project's data, outside the Python code: `data/` (aliases, gazetteer,
lexicons, the Wikidata review file, the seed documents), `ontology/` (vocabulary, shapes,
topics) and `queries/` (the SPARQL library). Each is looked for, in this order:

1. `$POLICYGRAPH_RESOURCES/<folder>`, when that variable names a folder holding it (a folder
   it does not hold comes from 2 or 3, so overriding `data/` alone is one copied folder);
2. inside the installed package (`policygraph/bundled/<folder>`: the wheel carries the three
   top-level folders there, see pyproject.toml);
3. beside `src/` in a source checkout (an editable install reads the repository's folders,
   so an edit to data/aliases.yaml is seen at once).

The package's own files (the served page's assets, the store's and linker's .rq files, the
view template) are read through `package_text` / `package_bytes`.
"""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml

from .errors import PolicygraphError, ResourceError
from .yamlload import SAFE_LOADER

__all__ = [
    "ENV",
    "FOLDERS",
    "Folder",
    "data",
    "folder",
    "load_yaml",
    "ontology",
    "package_bytes",
    "package_text",
    "queries",
]

Folder = Literal["data", "ontology", "queries"]
FOLDERS: tuple[Folder, ...] = ("data", "ontology", "queries")
ENV = "POLICYGRAPH_RESOURCES"
_PACKAGE = "policygraph"
_BUNDLED = "bundled"


def folder(name: Folder) -> Path:
    """The folder `name` is read from (see the module's docstring for the order)."""
    override = os.environ.get(ENV)
    if override:
        root = Path(override)
        if not root.is_dir():
            raise ResourceError(f"{ENV}={override}: no such folder")
        if not any((root / f).is_dir() for f in FOLDERS):
            raise ResourceError(
                f"{ENV}={override}: holds none of {', '.join(f + '/' for f in FOLDERS)}"
            )
        if (root / name).is_dir():
            return root / name
    return _installed(name)


@cache
def _installed(name: Folder) -> Path:
    package = _package_dir()
    bundled, checkout = package / _BUNDLED, package.parents[1]
    if (bundled / name).is_dir():
        return bundled / name
    if (checkout / "pyproject.toml").is_file() and (checkout / name).is_dir():
        return checkout / name  # src/policygraph of a checkout: the repository's own folder
    raise ResourceError(
        f"the {name}/ folder is not in the installed package ({package / _BUNDLED}) nor "
        f"beside it in a source checkout; reinstall policygraph or set {ENV}"
    )


@cache
def _package_dir() -> Path:
    root = resources.files(_PACKAGE)
    if not isinstance(root, Path):  # a zip import: the stores and parsers need real files
        raise ResourceError(f"policygraph must be installed as files, not in a zip ({root})")
    return root


def data(name: str) -> Path:
    """A file (or sub-folder) of data/."""
    return folder("data") / name


def ontology(name: str) -> Path:
    """A file of ontology/."""
    return folder("ontology") / name


def queries(name: str = "") -> Path:
    """The query library folder, or a file or sub-folder of it (`queries("evaluate")`)."""
    return folder("queries") / name if name else folder("queries")


def load_yaml(path: Path, what: str, error: type[PolicygraphError] = ResourceError) -> Any:
    """A YAML file of data/ (or any path), read safely. The one YAML reader of the data files:
    an `error` (a ResourceError unless the caller names its kind, e.g. DataError for rule
    files) names the file and says what it was read for."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise error(f"{path}: cannot read {what}: {exc}") from exc


def package_bytes(*parts: str) -> bytes:
    """A file shipped inside the package (`package_bytes("assets", "style.css")`)."""
    target = resources.files(_PACKAGE).joinpath(*parts)
    try:
        return target.read_bytes()
    except OSError as exc:
        raise ResourceError(f"{target}: missing from the installed package: {exc}") from exc


def package_text(*parts: str) -> str:
    """A text file shipped inside the package (`package_text("store", "rq", "stats.rq")`)."""
    return package_bytes(*parts).decode("utf-8")
