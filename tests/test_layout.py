"""The package's layout shows the pipeline (ARCHITECTURE.md): subpackages in layers, each
importing only its own layer or lower ones, and no import cycle anywhere.

Every import counts: at the top of a module, inside a function (lazy) and under
``TYPE_CHECKING``, because a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "relimpact"

# Lowest first. A module may import its own subpackage and any lower layer; the
# subpackages that share a layer may not import each other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("common",),
    ("survey",),
    ("read",),
    ("net",),
    ("scoring",),
    ("report", "forms"),
    ("console",),
    ("(top)",),  # cli.py, demo.py, __init__.py, __main__.py
)
RANK = {pkg: i for i, layer in enumerate(LAYERS) for pkg in layer}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _subpackage(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 2 or (
        len(parts) == 2 and f"relimpact.{parts[1]}" in MODULES and (PACKAGE / parts[1]).is_dir()
    ):
        return parts[1]
    return "(top)"


def _resolve(name: str) -> str | None:
    """The relimpact module an imported name lives in (a module, or its package)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str, path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from relimpact.x import y`` imports module relimpact.x.y when y is one
            names = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names
            ]
        for name in names:
            if name == "relimpact" or name.startswith("relimpact."):
                target = _resolve(name)
                if target and target != module:
                    found.add(target)
    return found


GRAPH = {m: _imports(m, p) for m, p in MODULES.items()}


def test_every_module_imports():
    for module in MODULES:
        if module != "relimpact.__main__":  # importing it runs the CLI
            importlib.import_module(module)


def test_the_stages_are_subpackages_with_a_docstring_saying_what_they_take_and_give():
    for pkg in ("common", "survey", "read", "net", "scoring", "report", "forms", "console"):
        doc = importlib.import_module(f"relimpact.{pkg}").__doc__ or ""
        assert len(doc.split()) >= 12, f"relimpact/{pkg}/__init__.py needs a docstring"
    assert not [
        p for p in PACKAGE.glob("*.py") if p.stem not in {"__init__", "__main__", "cli", "demo"}
    ], "a new module belongs in the subpackage of its stage"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_go_down_the_layers(module):
    own = _subpackage(module)
    assert own in RANK, f"{module}: subpackage {own!r} is not in LAYERS (tests/test_layout.py)"
    for target in sorted(GRAPH[module]):
        other = _subpackage(target)
        if other == own:
            continue
        assert RANK[other] < RANK[own], (
            f"{module} imports {target}: {own!r} may import only lower layers "
            f"({', '.join(p for p in RANK if RANK[p] < RANK[own])}); move the shared "
            "code down a layer"
        )


def test_no_import_cycle_between_subpackages():
    edges = {(_subpackage(m), _subpackage(t)) for m, ts in GRAPH.items() for t in ts}
    packages = {p for e in edges for p in e}
    cycle = _find_cycle({p: {b for a, b in edges if a == p and b != p} for p in packages})
    assert cycle is None, "import cycle between subpackages: " + " -> ".join(cycle or [])


def test_no_import_cycle_between_modules():
    cycle = _find_cycle(GRAPH)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle():
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": set()}) is None


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle in a directed graph as a path that returns to its start, or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None
