"""The dependency rule of DESIGN.md: imports point inwards."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "domain": {
        "telegram",
        "sqlalchemy",
        "apscheduler",
        "aiosqlite",
        "alembic",
        "handlers",
        "storage",
        "bot",
        "sandbox",
        "aiohttp",
        "pydantic",
        "pydantic_settings",
    },
    "handlers": {"sqlalchemy", "aiosqlite", "alembic", "storage", "bot", "sandbox"},
    "storage": {"handlers", "bot", "sandbox"},
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_what_it_may(layer: str) -> None:
    files = sorted((ROOT / layer).rglob("*.py"))
    assert files, f"{layer}/ has no Python files"
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & FORBIDDEN[layer])
        for path in files
        if imported_roots(path) & FORBIDDEN[layer]
    }
    assert offenders == {}


def test_the_checker_notices_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlalchemy.orm\nfrom telegram import Bot\n")
    assert imported_roots(bad) >= {"sqlalchemy", "telegram"}
