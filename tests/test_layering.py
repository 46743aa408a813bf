"""The core never reaches up: no module of ``closer/`` imports Streamlit, directly or not."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Dotted names below closer/, sub-packages included (closer/store/db.py is "store.db").
MODULES = sorted(
    ".".join(p.relative_to(ROOT / "closer").with_suffix("").parts).removesuffix(".__init__")
    for p in (ROOT / "closer").rglob("*.py")
)


def imported_names(path: Path) -> set[str]:
    """The top-level package of every import statement in a source file."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def module_path(module: str) -> Path:
    """The source file of a dotted module name below closer/."""
    path = ROOT / "closer" / Path(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def test_every_core_module_is_checked():
    # So a glob that finds nothing, or the wrong folder, cannot pass (39 modules today).
    assert len(MODULES) >= 39
    assert {"store", "store.db", "store.sealing", "analysis", "charts"} <= set(MODULES)


def test_no_core_module_imports_streamlit():
    importing = [m for m in MODULES if "streamlit" in imported_names(module_path(m))]
    assert importing == []


def test_importing_every_core_module_loads_no_streamlit():
    # A fresh interpreter, since this test session has loaded Streamlit for the page tests.
    code = (
        "import importlib, sys\n"
        f"for m in {MODULES!r}: importlib.import_module('closer.' + m)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"
