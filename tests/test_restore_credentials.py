"""A restore never writes passcodes, keys or unlock counters: they stay with their partner."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

import pytest

from closer import store
from closer.backup import automatic, file_format, restore
from closer.passcode import hash_passcode, verify_passcode
from tests.factories import MONDAY, answers, set_passcode_hash


def _set_passcode(db_path, partner_id: int, passcode: str, failures: int = 0) -> str:
    with store.open_db(db_path) as db:
        stored = hash_passcode(passcode)
        set_passcode_hash(db, partner_id, stored)
        for _ in range(failures):
            store.record_unlock(db, partner_id, success=False)
    return stored


def _state(db_path, partner_id: int) -> store.UnlockState:
    with store.open_db(db_path) as db:
        return store.load_unlock_state(db, partner_id)


def test_replace_by_the_partner_without_a_passcode_keeps_the_others(db_path, couple):
    alex, sam = couple
    _set_passcode(db_path, alex.id, "alex-secret", failures=2)
    before = _state(db_path, alex.id)
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, MONDAY, answers(unsaid=("alex private", False)))
        raw = file_format.backup_json(db)  # Sam downloads a backup
        restore.restore_backup(
            db, file_format.read_backup(raw, db), "replace", consented={sam.id, alex.id}
        )
    assert _state(db_path, alex.id) == before
    assert verify_passcode("alex-secret", _state(db_path, alex.id).passcode_hash)


def _with_partner_column(raw: str, column: str, value: object) -> str:
    data = json.loads(raw)
    partners = data["tables"]["partners"]
    partners["columns"].append(column)
    for row in partners["rows"]:
        row.append(value)
    return json.dumps(data)


FORGED = [
    ("passcode_hash", hash_passcode("chosen-by-sam")),
    ("failed_unlocks", 99),
    ("last_failed_unlock", "9999-12-31T23:59:59+00:00"),  # "wait" for millennia
    ("last_failed_unlock", "garbage"),
    ("key_by_passcode", "sealed:forged"),
    ("key_by_recovery", "sealed:forged"),
]


@pytest.mark.parametrize("mode", ["replace", "merge"])
@pytest.mark.parametrize(("column", "value"), FORGED, ids=[f"{c}={v!s:.12}" for c, v in FORGED])
def test_a_file_carrying_credentials_is_refused_and_changes_nothing(
    db_path, couple, mode, column, value
):
    alex, sam = couple
    with store.open_db(db_path) as db:
        raw = _with_partner_column(file_format.backup_json(db), column, value)
        with pytest.raises(file_format.BackupError) as caught:
            found = file_format.read_backup(raw, db)
            restore.restore_backup(db, found, mode, consented={alex.id, sam.id})
    assert str(caught.value) == (
        f"The backup can't be used: table 'partners' has a column '{column}', and Closer "
        "never takes passcodes, keys or unlock counts from a file. Nothing was changed."
    )
    assert _state(db_path, alex.id) == store.UnlockState(None, 0, None)


def test_a_hand_built_backup_with_credentials_is_refused_by_restore_too(db_path, couple):
    alex, sam = couple
    forged = file_format.Backup(
        schema=tuple(store.migration_names()),
        exported_at=datetime(2026, 11, 22, 20, 0).astimezone(),
        tables={
            "partners": file_format.BackupTable(
                ("id", "name", "created_at", "passcode_hash"),
                ((1, "Alex", "2026-11-22T20:00:00+00:00", hash_passcode("sams-choice")),),
            )
        },
    )
    with store.open_db(db_path) as db, pytest.raises(file_format.BackupError):
        restore.restore_backup(db, forged, "replace", consented={alex.id, sam.id})
    assert _state(db_path, alex.id).passcode_hash is None


def test_restoring_an_automatic_backup_keeps_todays_credentials(db_path, couple, tmp_path):
    alex, sam = couple
    backups = tmp_path / "backups"
    _set_passcode(db_path, alex.id, "old-passcode")
    copy = automatic.backup_file(db_path, backups, "weekly", now=datetime(2026, 11, 16, 9))
    # In the copy, also a counter that would lock Alex out and one that would crash a page.
    with sqlite3.connect(copy) as conn:
        conn.execute(
            "UPDATE partners SET failed_unlocks = 50, last_failed_unlock = 'garbage' WHERE id = ?",
            [alex.id],
        )
        conn.execute(
            "UPDATE partners SET passcode_hash = ?, last_failed_unlock = ? WHERE id = ?",
            [hash_passcode("planted"), "9999-12-31T23:59:59+00:00", sam.id],
        )
    conn.close()
    current = _set_passcode(db_path, alex.id, "new-passcode", failures=1)
    before_alex, before_sam = _state(db_path, alex.id), _state(db_path, sam.id)

    automatic.restore_backup_file(copy, db_path, backups, consented={alex.id, sam.id})

    assert _state(db_path, alex.id) == before_alex
    assert _state(db_path, alex.id).passcode_hash == current
    assert _state(db_path, sam.id) == before_sam == store.UnlockState(None, 0, None)


def test_a_partner_only_in_the_copy_keeps_the_copys_passcode_but_no_wait(db_path, couple, tmp_path):
    alex, sam = couple
    backups = tmp_path / "backups"
    stored = _set_passcode(db_path, sam.id, "sam-then", failures=7)
    copy = automatic.backup_file(db_path, backups, "weekly", now=datetime(2026, 11, 16, 9))
    with store.open_db(db_path) as db:
        db.execute("DELETE FROM settings")  # nothing of Sam's refers to Sam: only the row goes
        db.execute("DELETE FROM partners WHERE id = ?", [sam.id])

    automatic.restore_backup_file(copy, db_path, backups, consented={alex.id})

    # Nobody here has Sam's id: clearing the copy's passcode would show Sam's private notes
    # of then to anyone, so it stays; the wait is about this computer's tries, not carried.
    assert _state(db_path, sam.id) == store.UnlockState(stored, 0, None)


def test_a_renamed_partner_is_the_same_partner(db_path, couple, tmp_path):
    alex, sam = couple
    backups = tmp_path / "backups"
    _set_passcode(db_path, alex.id, "alex-then")
    copy = automatic.backup_file(db_path, backups, "weekly", now=datetime(2026, 11, 16, 9))
    with store.open_db(db_path) as db:
        store.rename_partner(db, alex.id, "Avery")
        set_passcode_hash(db, alex.id, None)

    automatic.restore_backup_file(copy, db_path, backups, consented={alex.id, sam.id})

    # Avery removed the passcode after the copy: a restore never brings an old one back.
    assert _state(db_path, alex.id) == store.UnlockState(None, 0, None)
