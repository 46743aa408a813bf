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


# What speaking SQL looks like: a statement, a query, a table handle, a raw connection.
SQL_CALLS = {"execute", "executescript", "executemany", "query", "rows_where", "table"}


def sql_calls(path: Path) -> list[str]:
    """Every call in a source file to a method that runs SQL or opens a table or a connection."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.func.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and (
            (node.func.attr in SQL_CALLS and ast.unparse(node.func.value) != "st")
            or (node.func.attr == "connect" and ast.unparse(node.func.value) == "sqlite3")
        )
    ]


def test_only_the_store_speaks_sql():
    outside = [
        p
        for p in [
            *(ROOT / "closer").rglob("*.py"),
            *(ROOT / "views").rglob("*.py"),
            ROOT / "app.py",
        ]
        if "store" not in p.relative_to(ROOT).parts
    ]
    assert len(outside) > 40  # the glob found the pages and the core
    assert [call for p in outside for call in sql_calls(p)] == []


def test_the_sql_check_sees_a_query():
    # So the check above cannot pass by looking for the wrong thing.
    calls = sql_calls(ROOT / "closer" / "store" / "schema_check.py")
    assert any(call.endswith(" execute") for call in calls)
    assert any(call.endswith(" connect") for call in calls)
