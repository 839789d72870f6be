"""Dependencies between apps point one way, down the declared layers.

Every non-test module is parsed (imports inside functions count too: a deferred import is still a dependency)
and the app-level import graph is checked: no cycle, and no import of an app in the same or a higher layer.
The project's own modules (the tuple of record types, URLs, settings, the management commands) join everything
and nothing imports them; the rest of `itp_trial` (roles, base views, form widgets, validation helpers) is a
shared base at the bottom that imports no app.

A new app must be placed in LAYERS before it is imported by anything.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

BASE = "itp_trial"  # the shared base modules of the project package
PROJECT = "project"  # the joining modules of the project package
PROJECT_MODULES = ("itp_trial.casebook", "itp_trial.urls", "itp_trial.settings", "itp_trial.help",
                   "itp_trial.checks", "itp_trial.apps", "itp_trial.management", "itp_trial.wsgi", "itp_trial.asgi")

# Bottom first. An app may import apps of lower layers only; apps of one layer are independent of each other.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"audit", BASE}),
    frozenset({"casebook", "accounts", "drafts"}),
    frozenset({"patients"}),
    frozenset({"visits"}),  # the visit plan of a patient; enrolment writes it with the patient
    frozenset({"safety"}),  # adverse events and labs; when sirolimus stopped comes through casebook.course
    frozenset({"dosing", "review"}),  # dose decisions read safety's events (side effects ask for a trough level)
    frozenset({"inbox"}),
    frozenset({"monitoring"}),
    frozenset({"reports"}),
    frozenset({"api"}),
    frozenset({PROJECT}),
)
LAYER_OF = {app: level for level, apps in enumerate(LAYERS) for app in apps}

NOT_APPS = {"tests", "demo", "scripts", "benchmarks", "devservers", "static", "templates"}


def _apps() -> set[str]:
    return {path.parent.name for path in ROOT.glob("*/apps.py") if path.parent.name not in NOT_APPS}


def _is_test_or_migration(relative: Path) -> bool:
    return (any(part in ("tests", "migrations") for part in relative.parts)
            or relative.name.startswith("test_") or relative.name == "conftest.py")


def _module_name(relative: Path) -> str:
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def owner(module: str) -> str:
    """The node of the graph a module belongs to: its app, or the project's base or joining modules."""
    top = module.split(".")[0]
    if top != "itp_trial":
        return top
    return PROJECT if any(module == m or module.startswith(m + ".") for m in PROJECT_MODULES) else BASE


def _imported(tree: ast.AST, module: str) -> set[str]:
    """Absolute names of the modules `tree` imports (relative imports resolved against `module`)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = module.split(".")[: -node.level] if node.level else []
                base = ".".join([*package, node.module] if node.module else package)
            else:
                base = node.module or ""
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return names


def module_imports() -> dict[str, set[str]]:
    """Each non-test module of the apps and the project package -> the graph nodes it imports (not its own)."""
    apps = _apps() | {"itp_trial"}
    found: dict[str, set[str]] = {}
    for path in sorted(ROOT.glob("*/**/*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] not in apps or _is_test_or_migration(relative):
            continue
        module = _module_name(relative)
        imported = {owner(name) for name in _imported(ast.parse(path.read_text(), str(path)), module)
                    if name.split(".")[0] in apps}
        found[module] = imported - {owner(module)}
    return found


def app_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, imported in module_imports().items():
        graph[owner(module)] |= imported
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(set(graph) | {n for targets in graph.values() for n in targets}):
        if node not in index:
            visit(node)
    return components


def _upward(graph: dict[str, set[str]]) -> list[str]:
    return [f"{source} -> {target}" for source, targets in sorted(graph.items()) for target in sorted(targets)
            if LAYER_OF[target] >= LAYER_OF[source]]


def test_every_app_has_a_layer():
    unplaced = sorted((_apps() | {BASE, PROJECT}) - set(LAYER_OF))
    assert not unplaced, f"place these apps in LAYERS (tests/test_layers.py): {unplaced}"


def test_no_app_level_cycle():
    assert _cycles(app_graph()) == []


def test_imports_point_down_the_layers():
    assert _upward(app_graph()) == []


# The checker itself, on small graphs and sources: it must see what it is meant to catch.
@pytest.mark.parametrize(("graph", "cycles"), [
    ({"a": {"b"}, "b": set()}, []),
    ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ({"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"c"}}, [["a", "b"], ["c", "d"]]),
    ({"a": set()}, []),
])
def test_cycles_found(graph, cycles):
    assert sorted(_cycles(graph)) == cycles


@pytest.mark.parametrize(("graph", "upward"), [
    ({"dosing": {"patients", "casebook"}}, []),
    ({"patients": {"visits"}}, ["patients -> visits"]),
    ({"safety": {"dosing"}}, ["safety -> dosing"]),
    ({"review": {"dosing"}}, ["review -> dosing"]),  # one layer: independent
    ({"reports": {"inbox"}, "inbox": {"reports"}}, ["inbox -> reports"]),
    ({"casebook": {PROJECT}}, [f"casebook -> {PROJECT}"]),
])
def test_upward_imports_found(graph, upward):
    assert _upward(graph) == upward


@pytest.mark.parametrize(("source", "module", "found"), [
    ("from dosing.due import x", "patients.finder", {"dosing.due", "dosing.due.x"}),
    ("import safety.models", "patients.views", {"safety.models"}),
    ("def f():\n    from reports import importer\n", "safety.services", {"reports", "reports.importer"}),
    ("from .models import Patient", "patients.views", {"patients.models", "patients.models.Patient"}),
    ("from . import views", "patients.urls", {"patients", "patients.views"}),
])
def test_imports_parsed(source, module, found):
    assert _imported(ast.parse(source), module) == found


@pytest.mark.parametrize(("module", "node"), [
    ("itp_trial.roles", BASE),
    ("itp_trial.casebook", PROJECT),
    ("itp_trial.settings.production", PROJECT),
    ("itp_trial.management.commands.load_demo", PROJECT),
    ("dosing.views", "dosing"),
])
def test_owner(module, node):
    assert owner(module) == node
