"""The package's shape: no import circles, SQL only in grader/store, every room documented.

Imports are read from the source (ast), not by importing: every `import grader...` and
`from grader... import ...` counts, at module level or inside a function, except those under
`if TYPE_CHECKING:` (never executed). Importing a submodule runs its parent packages' __init__
first, so those count as imported too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import grader

PACKAGE = Path(grader.__file__).resolve().parent
# Course content and hidden tests are data, run by pytest, not part of the import graph.
SKIP = ("course/hidden", "course/solutions", "_bundled")


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent)
        if any(part in rel.as_posix() for part in SKIP):
            continue
        parts = list(rel.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _with_parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1) if ".".join(parts[:i]) in MODULES]


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return skipped


def imports_of(module: str) -> set[str]:
    """The grader modules `module` imports. A package's own __init__, run implicitly before any of
    its submodules, is no circle; importing one's own package explicitly (`from grader import
    course` inside grader.course.cache) is counted."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_nodes(tree)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    explicit: set[str] = set()
    implicit: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative (the worker script's sibling imports)
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            subs = [f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in MODULES]
            targets = subs + ([target] if len(subs) < len(node.names) else [])
        for target in targets:
            if not target.startswith("grader") or target not in MODULES:
                continue
            explicit.add(target)
            implicit.update(_with_parents(target)[:-1])
    found = explicit | {m for m in implicit if not module.startswith(m + ".")}
    found.discard(module)
    return found


def test_no_import_circles():
    graph = {m: imports_of(m) for m in MODULES}
    cycles, state, stack = [], {}, []

    def visit(m: str) -> None:
        state[m] = "open"
        stack.append(m)
        for dep in sorted(graph[m]):
            if state.get(dep) == "open":
                cycles.append(stack[stack.index(dep):] + [dep])
            elif dep not in state:
                visit(dep)
        stack.pop()
        state[m] = "done"

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert not cycles, "import circles:\n" + "\n".join(" -> ".join(c) for c in cycles)


SQL = re.compile(r"\b(select\s+.+?\s+from|insert\s+(or\s+\w+\s+)?into|update\s+\w+\s+set|delete\s+from|"
                 r"create\s+(table|index)|drop\s+table|pragma\s+\w+)\b", re.I | re.S)


def test_sql_lives_only_in_the_store_package():
    offenders = []
    for module, path in MODULES.items():
        if module == "grader.store" or module.startswith("grader.store."):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
                offenders.append(f"{module}:{node.lineno}: {node.value.strip()[:60]!r}")
            if isinstance(node, ast.Attribute) and node.attr in ("execute", "executemany", "executescript", "query") \
                    and "db" in ast.unparse(node.value):
                offenders.append(f"{module}:{node.lineno}: {ast.unparse(node)}")
    assert not offenders, "SQL outside grader/store:\n" + "\n".join(offenders)


def test_every_package_says_what_it_holds():
    for module, path in MODULES.items():
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc and len(doc) > 20, f"{module} has no docstring saying what it holds"


def test_no_two_classes_share_a_name():
    seen: dict[str, str] = {}
    clashes = []
    for module, path in MODULES.items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                if node.name in seen:
                    clashes.append(f"{node.name}: {seen[node.name]} and {module}")
                seen[node.name] = module
    assert not clashes, "classes sharing a name:\n" + "\n".join(clashes)
