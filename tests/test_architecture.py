"""The shape of the code: no import cycles, nothing but the app imports Textual, no module or
function too long to hold in one's head, and no ``type: ignore`` in the app.

Imports are read with the standard library's ``ast``, including those inside functions: a cycle
hidden in a function-local import is still a cycle, and so is one under ``if TYPE_CHECKING:``
(screens see the app through a Protocol, ``tui/context.py``, not through the app's class).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "simulator"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(path: Path) -> Iterator[str]:
    """Every module ``path`` imports, anywhere in it, resolved to the deepest module of ours
    (``from simulator.analysis import take`` is ``simulator.analysis.take``)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [[alias.name] for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            candidates = [
                [f"{base}.{alias.name}", base] for alias in node.names
            ]  # a module, or a name in one
        else:
            continue
        for names in candidates:
            found = next((ours(n) for n in names if ours(n)), "")
            if found and found != name:
                yield found


def ours(dotted: str) -> str:
    """The deepest module of ours that ``dotted`` names or lies in, or ""."""
    while dotted and dotted not in MODULES:
        dotted = dotted.rpartition(".")[0]
    return dotted


def import_graph() -> dict[str, set[str]]:
    return {name: set(imported(path)) for name, path in MODULES.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), and modules importing themselves."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
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

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_only_the_app_imports_textual() -> None:
    """The domain, analysis, audio, voice and command line know nothing of the user interface
    (the command line starts the app through ``simulator.tui.launch`` only)."""
    outside = {}
    for name, path in MODULES.items():
        if name.startswith("simulator.tui"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        textual = [
            n.module or ""
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and (n.module or "").split(".")[0] in {"textual", "rich"}
        ] + [
            a.name
            for n in ast.walk(tree)
            if isinstance(n, ast.Import)
            for a in n.names
            if a.name == "textual"
        ]
        if textual:
            outside[name] = textual
    assert outside == {}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_and_functions_stay_short(name: str) -> None:
    source = MODULES[name].read_text(encoding="utf-8")
    assert source.count("\n") <= MAX_MODULE_LINES, f"{name} has {source.count(chr(10))} lines"
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"  # type: ignore[operator]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES  # type: ignore[operator]
    ]
    assert long == []


def test_the_app_needs_no_type_ignore() -> None:
    """Screens reach the app's services through one typed accessor, not ``type: ignore``."""
    ignored = [
        f"{path.relative_to(PACKAGE.parent)}:{n}"
        for path in (PACKAGE / "tui").rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "type: ignore" in line
    ]
    assert ignored == []
