"""Automatic backups: whole copies of the database, listed, pruned and put back."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

import pytest

from closer import store
from closer.backup import automatic, erase
from tests.backups import (
    T,
    row_counts,
    save,
)
from tests.factories import MONDAY, answers


def test_backup_file_is_one_standalone_copy_named_by_time_and_reason(db_path, couple):
    backups = db_path.parent / "backups"
    now = datetime(2026, 11, 22, 20, 0, 5)
    first = automatic.backup_file(db_path, backups, "weekly", now=now)
    second = automatic.backup_file(db_path, backups, "weekly", now=now)
    assert (first.name, second.name) == (
        "closer-20261122-200005-weekly.db",
        "closer-20261122-200005-weekly-2.db",
    )
    assert sorted(p.name for p in backups.iterdir()) == sorted([first.name, second.name])
    with store.open_db(first) as db:
        assert [p.name for p in store.list_partners(db)] == ["Alex", "Sam"]
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    with pytest.raises(ValueError):
        automatic.backup_file(db_path, backups, "../escape")


def test_prune_keeps_the_twelve_newest_and_ignores_other_files(db_path, tmp_path):
    backups = tmp_path / "backups"
    start = datetime(2026, 1, 5, 9, 0)
    made = [
        automatic.backup_file(db_path, backups, "weekly", now=start + timedelta(weeks=i))
        for i in range(14)
    ]
    (backups / "notes.txt").write_text("keep me")
    removed = automatic.prune_backups(backups)
    listed = automatic.list_backups(backups)
    assert removed == [made[1], made[0]]
    assert [b.path for b in listed] == made[:1:-1]  # newest first
    assert listed[0].created == datetime(2026, 4, 6, 9, 0)
    assert listed[0].reason == "weekly"
    assert (backups / "notes.txt").exists()


@pytest.mark.parametrize(
    ("made", "today", "due"),
    [
        (None, date(2026, 11, 22), True),
        (datetime(2026, 11, 16, 0, 0, 0), date(2026, 11, 22), False),  # Monday, same week
        (datetime(2026, 11, 15, 23, 59, 59), date(2026, 11, 16), True),  # Sunday before
        (datetime(2026, 11, 22, 23, 59, 59), date(2026, 11, 22), False),
        (datetime(2026, 12, 28, 12, 0, 0), date(2027, 1, 3), False),  # ISO week 53 of 2026
        (datetime(2025, 11, 17, 12, 0, 0), date(2026, 11, 17), True),  # same week a year ago
    ],
)
def test_weekly_backup_is_due_when_none_was_made_this_iso_week(db_path, made, today, due):
    backups = db_path.parent / "backups"
    if made:
        automatic.backup_file(db_path, backups, "weekly", now=made)
    assert automatic.weekly_backup_due(backups, today) is due


def test_restore_backup_file_brings_back_deleted_data_while_others_are_connected(
    db_path, couple, tmp_path
):
    alex, _ = couple
    save(db_path, alex.id, MONDAY, answers({"physical": 7}), T)
    backups = tmp_path / "backups"
    saved = automatic.backup_file(db_path, backups, "manual", now=datetime(2026, 11, 20, 8, 0))
    with store.open_db(db_path) as db:
        erase.delete_week(db, MONDAY)
    other = sqlite3.connect(db_path)
    try:
        assert other.execute("SELECT count(*) FROM checkins").fetchone() == (0,)
        safety = automatic.restore_backup_file(saved, db_path, backups, consented=())
        assert other.execute("SELECT count(*) FROM checkins").fetchone() == (1,)
    finally:
        other.close()
    with store.open_db(db_path) as db:
        assert store.load_checkin(db, alex.id, MONDAY).answers == answers({"physical": 7})
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert safety is not None and safety.name.endswith("-before-restore.db")
    assert row_counts(safety)["checkins"] == 0  # the state just before the restore


def test_restore_backup_file_refuses_a_file_that_is_not_a_closer_database(
    db_path, couple, tmp_path
):
    stranger = tmp_path / "holiday.db"
    with sqlite3.connect(stranger) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    conn.close()
    text = tmp_path / "notes.db"
    text.write_text("not a database at all")
    counts = row_counts(db_path)
    for path in (stranger, text):
        with pytest.raises(store.StoreError, match="is not a Closer backup"):
            automatic.restore_backup_file(path, db_path, tmp_path / "backups", consented=())
    assert row_counts(db_path) == counts
    assert not (tmp_path / "backups").exists()  # refused before any safety copy
