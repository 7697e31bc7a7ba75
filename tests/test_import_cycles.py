"""No import cycles between the modules of the packages (talentgap, talentgap.api, .models, .data, .seeds).

The graph is read from the source with ``ast``: every ``import`` and ``from … import`` of a package module,
at module level or inside a function (a deferred import is still a dependency), except those under
``if TYPE_CHECKING:``, which never run. ``from package import name`` depends on the module ``package.name``
when there is one, else on the package. The package layout comes from ``pyproject.toml``.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def package_dirs(root: Path = ROOT) -> dict[str, Path]:
    """Top-level package names and their folders, from ``[tool.setuptools] package-dir``."""
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    return {name: root / folder for name, folder in config["tool"]["setuptools"]["package-dir"].items()}


def modules(dirs: dict[str, Path]) -> dict[str, tuple[Path, bool]]:
    """Every module's dotted name, with its file and whether it is a package's ``__init__``."""
    out: dict[str, tuple[Path, bool]] = {}
    for package, folder in dirs.items():
        for path in sorted(folder.rglob("*.py")):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            name = ".".join([package, *parts])
            if name in out and out[name][0] != path:  # a sub-folder mapped as its own package wins
                continue
            out[name] = (path, is_package)
    return out


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(node: ast.AST):
    """Import statements under ``node``, at any depth, skipping ``if TYPE_CHECKING:`` bodies."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        elif isinstance(child, ast.If) and _type_checking(child):
            for other in child.orelse:
                yield from _imports(ast.Module(body=[other], type_ignores=[]))
        else:
            yield from _imports(child)


def import_graph(dirs: dict[str, Path]) -> dict[str, set[str]]:
    """Module → the package modules it imports."""
    mods = modules(dirs)
    graph: dict[str, set[str]] = {}
    for name, (path, is_package) in mods.items():
        here = name if is_package else name.rpartition(".")[0]
        edges: set[str] = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                edges.update(a.name for a in node.names if a.name in mods)
                continue
            if node.level:
                base = here.split(".")[:len(here.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                if f"{target}.{alias.name}" in mods:
                    edges.add(f"{target}.{alias.name}")
                elif target in mods:
                    edges.add(target)
        edges.discard(name)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (``[a, b, …, a]``) per strongly connected group of modules that import each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(start: str) -> None:  # Tarjan's algorithm, iteratively
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    out = []
    for group in groups:  # a shortest way back to the first module, within the group
        first = min(group)
        paths = {first: [first]}
        queue = [first]
        while queue:
            node = queue.pop(0)
            for nxt in sorted(graph[node] & group):
                if nxt == first:
                    out.append(paths[node] + [first])
                    queue = []
                    break
                if nxt not in paths:
                    paths[nxt] = paths[node] + [nxt]
                    queue.append(nxt)
    return sorted(out)


def test_no_import_cycles():
    graph = import_graph(package_dirs())
    assert "talentgap.models.engine" in graph and "talentgap.api.http.series" in graph
    assert "talentgap.models.panel" in graph["talentgap.models.engine"]
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(c) for c in found)


def _tree(tmp_path: Path, files: dict[str, str]) -> dict[str, Path]:
    for rel, text in files.items():
        path = tmp_path / "pkg" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return {"pkg": tmp_path / "pkg"}


def test_the_graph_sees_imports_inside_functions_and_names_the_cycle(tmp_path):
    dirs = _tree(tmp_path, {
        "__init__.py": "",
        "sub/__init__.py": "",
        "sub/a.py": "from . import b\n",
        "sub/b.py": "def f():\n    from ..c import thing\n    return thing\n",
        "c.py": "import pkg.sub.a\nthing = 1\n",
        "d.py": "from pkg.sub import a\n",
    })
    graph = import_graph(dirs)
    assert graph["pkg.sub.b"] == {"pkg.c"} and graph["pkg.d"] == {"pkg.sub.a"}
    assert cycles(graph) == [["pkg.c", "pkg.sub.a", "pkg.sub.b", "pkg.c"]]


def test_type_checking_imports_are_not_dependencies(tmp_path):
    dirs = _tree(tmp_path, {
        "__init__.py": "",
        "a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import B\nelse:\n    import json\n",
        "b.py": "from .a import thing\n",
    })
    graph = import_graph(dirs)
    assert graph["pkg.a"] == set() and cycles(graph) == []
    (dirs["pkg"] / "a.py").write_text("import typing\nif typing.TYPE_CHECKING:\n    pass\nelse:\n    from . import b\n")
    assert cycles(import_graph(dirs)) == [["pkg.a", "pkg.b", "pkg.a"]]
