"""The simulator is a double of Slack, not of SalesMeet: it imports nothing of ours, and
the tools that use it (console, bench) take nothing from the tests."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported(package: str) -> dict[str, set[str]]:
    """Top-level modules each file of `package` imports (absolute imports only)."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_the_simulator_imports_only_the_standard_library_and_itself():
    allowed = set(sys.stdlib_module_names) | {"simulator"}
    strays = {path: names - allowed for path, names in imported("simulator").items()}
    assert {path: names for path, names in strays.items() if names} == {}


def test_the_tools_take_nothing_from_the_tests():
    for package in ("bench", "console"):
        users = [path for path, names in imported(package).items() if "tests" in names]
        assert users == [], f"{package} imports tests: {users}"
