"""The docs keep up with the code: every page, admin command and make target is described."""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

import pytest

from closer import admin

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text()


def page_titles() -> list[str]:
    """The title of every st.Page that app.py lists."""
    tree = ast.parse((ROOT / "app.py").read_text())
    return [
        keyword.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page"
        for keyword in node.keywords
        if keyword.arg == "title"
    ]


def admin_commands() -> list[str]:
    """The subcommands of python -m closer.admin."""
    parser = admin.build_parser()
    (subcommands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return list(subcommands.choices)


def test_app_lists_the_pages_we_expect():
    assert len(page_titles()) >= 9


@pytest.mark.parametrize("title", page_titles())
def test_every_page_is_described_for_the_couple(title):
    assert f"**{title}**" in README, f"README never describes the {title} page"


def test_every_admin_command_is_documented():
    commands = admin_commands()
    assert commands == ["reset-passcode", "check-home-network"]
    for command in commands:
        assert f"closer.admin {command}" in README + CONTRIBUTING, command


def test_every_make_target_is_documented():
    targets = re.findall(r"^([a-z-]+):", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert {"run", "run-home", "test"} <= set(targets)
    for target in targets:
        assert f"make {target}" in README + CONTRIBUTING, f"make {target} is undocumented"


def modules() -> list[str]:
    """Every Python module of closer/ (its sub-packages too) and views/, as a relative path."""
    found = [*(ROOT / "closer").rglob("*.py"), *(ROOT / "views").rglob("*.py")]
    return sorted(str(p.relative_to(ROOT)) for p in found if p.name != "__init__.py")


@pytest.mark.parametrize("module", modules())
def test_every_module_has_its_line_in_contributing(module):
    assert f"`{module}`" in CONTRIBUTING, f"CONTRIBUTING's layout never mentions {module}"
