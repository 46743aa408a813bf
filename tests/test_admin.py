"""The command-line passcode reset, run as a real process against a real database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from closer import store
from closer.passcode import hash_passcode

ROOT = Path(__file__).resolve().parent.parent


def run_admin(db_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "closer.admin", *args],
        cwd=ROOT,
        env={**os.environ, "CLOSER_DB": str(db_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_reset_passcode_removes_only_that_partners_hash(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.set_passcode_hash(db, alex.id, hash_passcode("1111"))
        store.set_passcode_hash(db, sam.id, hash_passcode("2222"))
        store.record_unlock(db, alex.id, success=False)
    result = run_admin(db_path, "reset-passcode", " alex ")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Alex has no passcode now. They can set a new one in Settings.\n"
    with store.open_db(db_path) as db:
        assert store.load_unlock_state(db, alex.id) == store.UnlockState(None, 0, None)
        assert store.load_unlock_state(db, sam.id).passcode_hash is not None


def test_unknown_name_is_a_clear_error(db_path, couple):
    result = run_admin(db_path, "reset-passcode", "Kim")
    assert result.returncode == 1
    assert "No partner called 'Kim'" in result.stderr and "Alex, Sam" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_command_shows_usage(db_path):
    result = run_admin(db_path)
    assert result.returncode == 2
    assert "reset-passcode" in result.stderr
