"""The rule modules stay pure: no Django, djmoney, celery, models or clock."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RULE_FILES = [
    *sorted((ROOT / "payroll" / "rules").rglob("*.py")),
    ROOT / "ratings" / "rules.py",
]
FORBIDDEN = (
    "django",
    "djmoney",
    "celery",
    "payroll.models",
    "ratings.models",
    "core.models",
)


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_rule_module_imports_nothing_impure(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        for name in names:
            assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"
        if isinstance(node, ast.Attribute) and node.attr in ("today", "now"):
            pytest.fail(f"{path.name} reads the clock")
