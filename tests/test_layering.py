"""The core never reaches up: no module of ``closer/`` imports Streamlit, directly or not."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(p.stem for p in (ROOT / "closer").glob("*.py") if p.stem != "__init__")


def imported_names(path: Path) -> set[str]:
    """The top-level package of every import statement in a source file."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_every_core_module_is_checked():
    # So a glob that finds nothing, or the wrong folder, cannot pass (30 modules today).
    assert len(MODULES) >= 29 and {"store", "analysis", "charts", "plan_items"} <= set(MODULES)


def test_no_core_module_imports_streamlit():
    importing = [m for m in MODULES if "streamlit" in imported_names(ROOT / "closer" / f"{m}.py")]
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
