"""The architecture, enforced: the layer contract (import-linter, configured in pyproject.toml), no import
cycles anywhere in the package, rich only under agentcost/ui/ (docs/architecture.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "agentcost"


def _modules() -> dict[str, Path]:
    mods: dict[str, Path] = {}
    for p in PACKAGE.rglob("*.py"):
        parts = list(p.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = p
    return mods


class _Imports(ast.NodeVisitor):
    """Every import in a module, at any depth (functions too), except those under `if TYPE_CHECKING:`."""

    def __init__(self, package: str) -> None:
        self.package = package
        self.names: list[tuple[str, int]] = []

    def visit_If(self, node: ast.If) -> None:
        if "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        self.names += [(a.name, node.lineno) for a in node.names]

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.package.split(".")[: len(self.package.split(".")) - (node.level - 1)]
            module = ".".join([*base, *([node.module] if node.module else [])])
        else:
            module = node.module or ""
        # `from pkg import sub` imports the submodule; `from pkg import name` imports pkg itself.
        self.names += [(f"{module}.{a.name}", node.lineno) for a in node.names]


def import_graph() -> dict[str, set[str]]:
    mods = _modules()

    def resolve(name: str) -> str | None:
        """The module an imported name belongs to: itself if a module, else its nearest parent."""
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        v = _Imports(package)
        v.visit(ast.parse(path.read_text(encoding="utf-8")))
        targets = {resolve(n) for n, _ in v.names if n.split(".")[0] == "agentcost"}
        # Importing a.b.c runs a/b/__init__.py first: an edge to every package on the way that the
        # importer is not already inside (the shim <-> agents.codex cycle went through one).
        implied = set()
        for t in targets:
            parts = (t or "").split(".")
            for i in range(2, len(parts)):
                pkg = ".".join(parts[:i])
                if pkg in mods and not (name == pkg or name.startswith(pkg + ".")):
                    implied.add(pkg)
        graph[name] = {t for t in targets | implied if t and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]
    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_cycle_finder_finds_a_planted_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles() -> None:
    found = cycles(import_graph())
    assert found == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


def test_rich_is_imported_only_under_ui() -> None:
    offenders = []
    for name, path in _modules().items():
        if name.startswith("agentcost.ui"):
            continue
        v = _Imports(name)
        v.visit(ast.parse(path.read_text(encoding="utf-8")))
        offenders += [f"{path.relative_to(ROOT)}:{line}" for n, line in v.names if n.split(".")[0] == "rich"]
    assert offenders == []


def test_layer_contract() -> None:
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
