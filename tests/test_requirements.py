"""The lock files say the same as the requirements they were made from (`make lock`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def _pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text(encoding="utf-8")
    return {re.sub(r"[-_.]+", "-", n).lower(): v for n, v in PIN.findall(text)}


@pytest.mark.parametrize(
    ("asked", "locked"),
    [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")],
)
def test_every_requirement_is_locked_at_the_version_asked_for(asked, locked):
    wanted, pinned = _pins(asked), _pins(locked)
    assert wanted, asked
    # A difference here means requirements*.txt changed without `make lock` after it.
    assert {n: pinned.get(n) for n in wanted} == wanted


def test_the_runtime_lock_agrees_with_the_development_lock():
    runtime, development = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert {n: development.get(n) for n in runtime} == runtime


@pytest.mark.parametrize("locked", ["requirements.lock", "requirements-dev.lock"])
def test_every_locked_package_carries_a_hash(locked):
    text = (ROOT / locked).read_text(encoding="utf-8")
    # Each pin's block runs to the next pin; pip --require-hashes refuses one without a hash.
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n\n", 1)[-1])
    unhashed = [b.split()[0] for b in blocks if PIN.match(b) and "--hash=sha256:" not in b]
    assert unhashed == []
    assert len(_pins(locked)) >= 40
