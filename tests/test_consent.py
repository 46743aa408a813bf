"""Changing everyone's data needs the consent of each partner with a passcode."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from closer import store
from closer.backup import automatic, erase, file_format, restore
from closer.backup.consent import ConsentNeeded
from closer.passcode import hash_passcode
from closer.settings import Settings
from tests.backups import exported_tables, row_counts
from tests.factories import MONDAY, answers, set_passcode_hash


@pytest.fixture
def guarded(db_path, couple):
    """Alex has a passcode; both have a check-in."""
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, MONDAY, answers(unsaid=("alex private", False)))
        store.save_checkin(db, sam.id, MONDAY, answers({"social": 6}))
        set_passcode_hash(db, alex.id, hash_passcode("alex-1234"))
    return alex, sam


def _refused(db_path, action) -> None:
    before = exported_tables(db_path)
    with pytest.raises(ConsentNeeded) as caught:
        action()
    assert str(caught.value) == (
        "This changes Alex's data, so it needs Alex's passcode. Nothing was changed."
    )
    assert exported_tables(db_path) == before


def test_replace_needs_alex(db_path, guarded):
    alex, sam = guarded
    with store.open_db(db_path) as db:
        found = file_format.read_backup(file_format.backup_json(db), db)
        _refused(db_path, lambda: restore.restore_backup(db, found, "replace", consented={sam.id}))
        restore.restore_backup(db, found, "replace", consented={sam.id, alex.id})


def test_delete_everything_needs_alex(db_path, guarded):
    alex, sam = guarded
    with store.open_db(db_path) as db:
        _refused(db_path, lambda: erase.delete_everything(db, consented={sam.id}))
        erase.delete_everything(db, consented={alex.id, sam.id})
    assert row_counts(db_path)["partners"] == 0


def test_going_back_to_a_copy_needs_alex(db_path, guarded, tmp_path):
    alex, sam = guarded
    copy = automatic.backup_file(db_path, tmp_path, "weekly", now=datetime(2026, 11, 16, 9))
    _refused(db_path, lambda: automatic.restore_backup_file(copy, db_path, consented={sam.id}))
    assert list(tmp_path.glob("closer-*-before-restore.db")) == []  # refused before anything


def _other_computer(tmp_path, who: int, weeks_ago: int) -> str:
    path = tmp_path / "other.db"
    store.initialise(path)
    with store.open_db(path) as db:
        partners = store.setup_couple(db, ["ALEX", "Sam"], Settings())
        # Scored differently from anything here, so a version of a week here is a new one.
        week = MONDAY - timedelta(weeks=weeks_ago)
        store.save_checkin(db, partners[who].id, week, answers({"emotional": 5}))
        return file_format.backup_json(db)


def test_a_merge_that_adds_a_check_in_to_alex_needs_alex(db_path, guarded, tmp_path):
    alex, sam = guarded
    raw = _other_computer(tmp_path, 0, 3)
    with store.open_db(db_path) as db:
        found = file_format.read_backup(raw, db)
        assert restore.merge_reaches(db, found) == {alex.id}
        _refused(db_path, lambda: restore.restore_backup(db, found, "merge", consented={sam.id}))


def test_a_merge_that_adds_to_alexs_history_needs_alex(db_path, guarded, tmp_path):
    alex, sam = guarded
    raw = _other_computer(tmp_path, 0, 0)  # Alex's week that is already here: a new version
    with store.open_db(db_path) as db:
        found = file_format.read_backup(raw, db)
        assert restore.merge_reaches(db, found) == {alex.id}
        _refused(db_path, lambda: restore.restore_backup(db, found, "merge", consented={sam.id}))


def test_a_merge_of_sams_weeks_only_goes_ahead_without_alex(db_path, guarded, tmp_path):
    alex, sam = guarded
    raw = _other_computer(tmp_path, 1, 2)
    with store.open_db(db_path) as db:
        found = file_format.read_backup(raw, db)
        assert restore.merge_reaches(db, found) == {sam.id}
        added = restore.restore_backup(db, found, "merge", consented={sam.id})
    assert added.checkins == 1
