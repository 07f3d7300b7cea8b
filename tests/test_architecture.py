"""The shape of the code.

Layers that import only downwards, no import cycles, no feature reaching into another's views,
and modules and views kept small enough to read.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "cpp_app"
MAX_MODULE_LINES = 400
MAX_VIEW_LINES = 30

#: Feature packages by layer, lowest first. A package may import its own layer and the layers
#: below it, never one above: the update composes plans and the community features, so
#: plans and surveys know nothing of updates. Shared top-level modules sit with the foundation.
LAYERS = (
    frozenset({"(shared)", "audit", "auth", "stations", "importing"}),
    frozenset({"plans", "surveys", "meetings", "outreach", "training", "engagement"}),
    frozenset({"updates", "reminders", "reports", "public", "api", "demo", "main"}),
)
#: Modules that assemble the application from every feature (the factory, the command group,
#: the template globals); they stand above every layer.
WIRING = frozenset({"cpp_app.app", "cpp_app.cli", "cpp_app.templating"})


@cache
def modules() -> dict[str, Path]:
    """Every module of the application by dotted name."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


@cache
def module_imports() -> dict[str, frozenset[str]]:
    """The application modules each module imports at its top level."""
    known = modules()
    graph = {}
    for name, path in known.items():
        targets = set()
        for node in ast.parse(path.read_text()).body:
            for imported in _imported_names(node):
                while imported not in known and "." in imported:
                    imported = imported.rsplit(".", 1)[0]
                if imported in known and imported != name:
                    targets.add(imported)
        graph[name] = frozenset(targets)
    return graph


def _imported_names(node: ast.stmt) -> list[str]:
    """The dotted names an import statement brings in (modules, or module.attribute)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and not node.level:
        return [f"{node.module}.{alias.name}" for alias in node.names]
    return []


def feature_of(module: str) -> str:
    """The feature package a module belongs to, or '(shared)' for top-level modules."""
    parts = module.split(".")
    if len(parts) > 2 or (PACKAGE / parts[-1]).is_dir() and len(parts) == 2:
        return parts[1]
    return "(shared)"


def layer_of(feature: str) -> int:
    """The layer a feature package sits in."""
    return next(number for number, layer in enumerate(LAYERS) if feature in layer)


def test_every_feature_package_has_a_layer():
    features = {feature_of(name) for name in modules() if name not in WIRING}
    assert features, "no modules found"
    assert features <= set().union(*LAYERS), features - set().union(*LAYERS)


def test_features_import_only_their_own_layer_and_below():
    upward = [
        f"{name} -> {target}"
        for name, targets in module_imports().items() if name not in WIRING
        for target in targets
        if layer_of(feature_of(target)) > layer_of(feature_of(name))
    ]
    assert not upward, upward


def test_no_feature_imports_another_features_views():
    crossing = [
        f"{name} -> {target}"
        for name, targets in module_imports().items() if name not in WIRING
        for target in targets
        if target.endswith("views") and feature_of(target) != feature_of(name)
    ]
    assert not crossing, crossing


def find_cycles(graph: dict[str, frozenset[str]]) -> list[list[str]]:
    """Each import cycle met in a depth-first walk of the graph, as the modules around it."""
    cycles: list[list[str]] = []
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = "open"
        for target in sorted(graph.get(name, ())):
            if state.get(target) == "open":
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    return cycles


def test_no_import_cycles():
    graph = module_imports()
    assert len(graph) > 50
    assert not find_cycles(graph), find_cycles(graph)


def test_a_cycle_is_found_when_there_is_one():
    graph = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}),
             "d": frozenset({"a"})}
    assert find_cycles(graph) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": frozenset({"b"}), "b": frozenset()}) == []


@pytest.mark.parametrize("name", sorted(modules()))
def test_modules_stay_short(name):
    lines = len(modules()[name].read_text().splitlines())
    assert lines <= MAX_MODULE_LINES, f"{name} has {lines} lines"


def view_functions() -> list[tuple[str, ast.FunctionDef]]:
    """Every function decorated as a route, with the module it is in."""
    found = []
    for name, path in modules().items():
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(decorator, ast.Call)
                    and getattr(decorator.func, "attr", "") == "route"
                    for decorator in node.decorator_list):
                found.append((name, node))
    return found


def test_views_stay_thin():
    views = view_functions()
    assert len(views) > 100
    long_views = [f"{name}.{node.name}: {node.end_lineno - node.lineno + 1} lines"
                  for name, node in views if node.end_lineno - node.lineno + 1 > MAX_VIEW_LINES]
    assert not long_views, long_views
