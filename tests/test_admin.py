"""The command-line passcode reset, run as a real process against a real database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from closer import store, vault
from closer.passcode import KEY_VERIFIED, hash_passcode
from tests.factories import MONDAY, answers, give_passcode, set_passcode_hash

ROOT = Path(__file__).resolve().parent.parent


def run_admin(db_path: Path, *args: str, typed: str = "") -> subprocess.CompletedProcess:
    """Run python -m closer.admin as a real process on db_path, with `typed` as its input."""
    return subprocess.run(
        [sys.executable, "-m", "closer.admin", *args],
        cwd=ROOT,
        env={**os.environ, "CLOSER_DB": str(db_path)},
        input=typed,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_reset_passcode_removes_only_that_partners_hash(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        set_passcode_hash(db, alex.id, hash_passcode("1111"))
        set_passcode_hash(db, sam.id, hash_passcode("2222"))
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


@pytest.fixture
def sealed_alex(db_path, couple):
    """Alex with passcode 111111 and one sealed private note; returns (alex, key, recovery code)."""
    alex, _ = couple
    key, code = give_passcode(db_path, alex.id, "111111")
    with store.open_db(db_path, {alex.id: key}) as db:
        store.save_checkin(db, alex.id, MONDAY, answers(unsaid=("only mine", False)))
    return alex, key, code


def test_the_recovery_code_rewraps_the_same_key_under_a_new_passcode(db_path, sealed_alex):
    alex, key, code = sealed_alex
    typed = f"{code.lower().replace('-', ' ')}\nnew-tulip\nnew-tulip\n"
    result = run_admin(db_path, "reset-passcode", "Alex", typed=typed)
    assert result.returncode == 0, result.stderr
    assert "Alex has a new passcode" in result.stdout
    with store.open_db(db_path) as db:
        wrapped = store.load_wrapped_keys(db, alex.id)
        state = store.load_unlock_state(db, alex.id)
    assert vault.unwrap_key(wrapped.by_passcode, "new-tulip", "passcode") == key
    assert state.passcode_hash == KEY_VERIFIED  # the key unwrap is the one verifier
    with pytest.raises(vault.VaultError):
        vault.unwrap_key(wrapped.by_passcode, "111111", "passcode")
    with store.open_db(db_path, {alex.id: key}) as db:
        note = store.load_checkin(db, alex.id, MONDAY).answers.reflections["unsaid"].text
    assert note == "only mine"


def test_a_wrong_recovery_code_changes_nothing(db_path, sealed_alex):
    alex, key, _ = sealed_alex
    with store.open_db(db_path) as db:
        before = store.load_wrapped_keys(db, alex.id)
    result = run_admin(db_path, "reset-passcode", "Alex", typed="AAAA-BBBB-CCCC-DDDD-EEEE\n")
    assert result.returncode == 1
    assert "doesn't match. Nothing was changed" in result.stderr
    with store.open_db(db_path) as db:
        assert store.load_wrapped_keys(db, alex.id) == before


def test_without_the_code_it_says_what_is_lost_and_waits_for_the_name(db_path, sealed_alex):
    alex, key, _ = sealed_alex
    refused = run_admin(db_path, "reset-passcode", "Alex", typed="\nno\n")
    assert refused.returncode == 0
    assert "1 private note, 0 sets of private answers" in refused.stdout
    assert refused.stdout.strip().endswith("Nothing was changed.")
    with store.open_db(db_path) as db:
        assert store.count_sealed_notes(db, alex.id).notes == 1

    confirmed = run_admin(db_path, "reset-passcode", "Alex", typed="\nalex\n")
    assert confirmed.returncode == 0, confirmed.stderr
    assert confirmed.stdout.strip().endswith(
        "Alex has no passcode now. They can set a new one in Settings."
    )
    with store.open_db(db_path) as db:
        assert store.load_unlock_state(db, alex.id).passcode_hash is None
        checkin = store.load_checkin(db, alex.id, MONDAY)
    assert checkin.answers.reflections == {}
    assert checkin.answers.scores == {"emotional": 7}
