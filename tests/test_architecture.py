"""The shape of the code, checked: files that hold one idea, and imports that point down the
floors (the floors themselves are an import-linter contract in pyproject.toml, which
`make lint` checks)."""

import ast
from pathlib import Path

PORTAL = Path(__file__).resolve().parent.parent / "portal"
LONGEST_MODULE = 400


def test_no_module_is_over_400_lines():
    long = {
        str(path.relative_to(PORTAL.parent)): length
        for path in PORTAL.rglob("*.py")
        if (length := len(path.read_text().splitlines())) > LONGEST_MODULE
    }
    assert long == {}


def _local_portal_imports(path):
    """Imports of portal modules inside a function or a conditional block, by line (not the
    names only type checkers read)."""
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.If)):
            continue
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and (inner.level or (inner.module or "").startswith("portal")):
                found.append(inner.lineno)
            elif isinstance(inner, ast.Import) and any(alias.name.startswith("portal") for alias in inner.names):
                found.append(inner.lineno)
    return sorted(set(found))


def test_an_import_inside_a_function_says_why():
    """Registrations point inward, so a lower floor never needs to import a higher one late.
    What is left (the CLI reading the demo only when asked) says why on the line itself or the
    one above."""
    unexplained = []
    for path in PORTAL.rglob("*.py"):
        lines = path.read_text().splitlines()
        for lineno in _local_portal_imports(path):
            here, above = lines[lineno - 1], lines[lineno - 2]
            if "#" not in here and not above.strip().startswith("#"):
                unexplained.append(f"{path.relative_to(PORTAL.parent)}:{lineno}")
    assert unexplained == []


def test_the_rule_finds_an_import_inside_a_function(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from portal import demo\n\n    return demo\n")
    assert _local_portal_imports(module) == [2]
