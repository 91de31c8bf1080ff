"""The package's shape: no import cycle among its modules, no module over 400 lines and no
function over 60 (tools/shape.py, also run by `make lint`)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support import ROOT

PACKAGE = Path(ROOT) / "src" / "policygraph"


def _module_names() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ["policygraph", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports run when the module is imported: not those inside functions or under
    `if TYPE_CHECKING:`."""
    found: list[ast.Import | ast.ImportFrom] = []
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If | ast.Try):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            found += [n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)]
    return found


def import_graph() -> dict[str, set[str]]:
    """module → the policygraph modules importing it runs (its own package ancestors left out:
    they are already being imported when it runs)."""
    modules = _module_names()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        targets: set[str] = set()
        for node in _top_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names}
                continue
            base = package.split(".")
            if node.level > 1:
                base = base[: len(base) - node.level + 1]
            source = ".".join([*base, node.module] if node.module else base)
            if node.level == 0:
                source = node.module or ""
            targets.add(source)
            targets |= {f"{source}.{a.name}" for a in node.names if f"{source}.{a.name}" in modules}
        edges: set[str] = set()
        for target in targets:
            parts = target.split(".")
            for i in range(1, len(parts) + 1):
                step = ".".join(parts[:i])
                ancestor = name == step or name.startswith(step + ".")
                if step in modules and not ancestor:
                    edges.add(step)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle_among_the_packages_modules() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_the_import_graph_sees_relative_and_package_imports() -> None:
    graph = import_graph()
    assert "policygraph.store.core" in graph["policygraph.store"]  # the package re-exports
    assert "policygraph.store.rq" in graph["policygraph.sparql.remote"]  # from ..store import rq
    assert "policygraph.store" not in graph["policygraph.store.core"]  # its own package


def _shape_tool():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location("shape", Path(ROOT) / "tools" / "shape.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shape_tool_finds_long_modules_and_functions(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(60))
    (tmp_path / "long.py").write_text(f"def long():\n{body}\n" + "\n" * 340)
    (tmp_path / "short.py").write_text("def short():\n    return 1\n")
    # At the limits, not over them: a 60-line function in a 400-line module is fine.
    at_limit = "\n".join(f"    x{i} = {i}" for i in range(59))
    (tmp_path / "at_limit.py").write_text(f"def fits():\n{at_limit}\n" + "\n" * 340)
    found = list(_shape_tool().findings(tmp_path))
    assert found == [("long.py", "module: 401 lines"), ("long.py", "long (line 1): 61 lines")]


def test_no_long_module_or_function_in_the_package() -> None:
    # The allowlist is empty, so every finding would fail the lint: there must be none.
    shape = _shape_tool()
    assert shape.ALLOWED == ()
    assert list(shape.findings()) == []
