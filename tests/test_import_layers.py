"""The import graph of bot/, handlers/ and storage/: no cycles, and layers that point one way.

Read from the source (every `import`, including those under `TYPE_CHECKING` and inside
functions), so a cycle cannot hide behind a lazy import. Layers: storage ← kernel (bot/ outside
bot.app) ← handlers ← app (bot.app); nothing imports a layer to its right.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "handlers", "storage")


def _modules() -> dict[str, Path]:
    """Every module of the three packages by dotted name (migrations and `__main__` aside)."""
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts or parts[-1] == "__main__":
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = _modules()


def _owner(name: str) -> str | None:
    """The module that `name` (a module, or a name inside one) lives in."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imported(module: str, path: Path) -> set[str]:
    """The modules of ours that `module` imports (`from pkg import sub` names the submodule)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(_owner(alias.name) or "" for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                targets.add(full if full in MODULES else _owner(base) or "")
    return {t for t in targets if t and t != module and t.split(".")[0] in PACKAGES}


GRAPH = {module: _imported(module, path) for module, path in MODULES.items()}


def _node(module: str) -> str:
    """A module's package for the package graph: `bot.engine`, `handlers.report`, `bot.config`."""
    return ".".join(module.split(".")[:2])


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one node (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def _layer(module: str) -> int:
    """0 storage, 1 the kernel (bot outside bot.app), 2 handlers, 3 the app."""
    if module.startswith("storage"):
        return 0
    if module == "bot.app" or module.startswith("bot.app."):
        return 3
    return 1 if module.startswith("bot") else 2


def _upward(edges: Iterable[tuple[str, str]]) -> list[str]:
    return [f"{a} → {b}" for a, b in edges if _layer(b) > _layer(a)]


def test_the_walk_sees_every_package() -> None:
    assert {"bot.engine.engine", "handlers", "storage.uow", "bot.app.assembly"} <= set(MODULES)
    assert "bot.engine.router" in GRAPH["bot.engine.engine"]


def test_no_module_imports_itself_through_others() -> None:
    assert _cycles(GRAPH) == []


def test_no_package_imports_another_in_a_circle() -> None:
    packages: dict[str, set[str]] = {}
    for module, imported in GRAPH.items():
        node = packages.setdefault(_node(module), set())
        node.update(_node(other) for other in imported if _node(other) != _node(module))
    assert _cycles(packages) == []


def test_layers_point_one_way() -> None:
    """Handlers never reach the app; the kernel never reaches handlers; storage stands alone."""
    edges = [(module, other) for module, imported in GRAPH.items() for other in imported]
    assert _upward(edges) == []
