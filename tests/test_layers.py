"""Layer rules from the design: data flows surveys → nlp, and the nlp engine is framework-free."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# package (or module prefix) → top-level packages it must never import
FORBIDDEN = {
    "surveys": {"nlp", "forum"},
    "forum": {"nlp", "surveys"},
    "portal": {"nlp", "surveys", "forum"},
}
ENGINE_FORBIDDEN = {"flask", "flask_sqlalchemy", "flask_login", "portal", "surveys", "forum",
                    "werkzeug"}
# portal.database imports every package's models so Alembic sees the whole schema; the
# factory wires each package in. Those two are the composition root, not a layer breach.
COMPOSITION_ROOT = {"portal/__init__.py", "portal/database.py"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_packages_do_not_import_against_the_flow(package: str) -> None:
    breaches = []
    for path in _python_files(package):
        relative = path.relative_to(ROOT).as_posix()
        if relative in COMPOSITION_ROOT:
            continue
        bad = _imports(path) & FORBIDDEN[package]
        if bad:
            breaches.append(f"{relative} imports {sorted(bad)}")
    assert breaches == []


def test_nlp_engine_imports_no_web_framework() -> None:
    breaches = []
    for path in _python_files("nlp"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith("nlp/web/"):
            continue
        bad = _imports(path) & ENGINE_FORBIDDEN
        if bad:
            breaches.append(f"{relative} imports {sorted(bad)}")
    assert breaches == []
