"""Deleting for good: a week, or everything, overwritten in the file too."""

from __future__ import annotations

from datetime import timedelta

from closer import store
from closer.backup import erase
from closer.settings import Settings
from tests.backups import (
    T,
    file_bytes,
    row_counts,
    save,
)
from tests.factories import MONDAY, answers


def test_delete_week_removes_only_that_partners_week_with_everything_it_holds(db_path, couple):
    alex, sam = couple
    last_week = MONDAY - timedelta(weeks=1)
    for partner in (alex, sam):
        for week in (MONDAY, last_week):
            save(db_path, partner.id, week, answers({"physical": 5}, working=("x", True)), T)
    save(db_path, alex.id, MONDAY, answers({"physical": 6}, working=("y", True)), T)
    before = row_counts(db_path)
    with store.open_db(db_path) as db:
        assert erase.delete_week(db, MONDAY, alex.id) == 1
        left = {(c.partner_id, c.week) for w in (MONDAY, last_week) for c in store.load_week(db, w)}
        assert left == {(sam.id, MONDAY), (alex.id, last_week), (sam.id, last_week)}
    assert row_counts(db_path) == before | {
        "checkins": 3,
        "scores": 3,
        "reflections": 3,
        "checkin_revisions": 3,  # Alex's two versions of this week went with it
    }
    with store.open_db(db_path) as db:
        assert erase.delete_week(db, MONDAY) == 1  # Sam's, the one left
        assert store.load_week(db, MONDAY) == []
        assert len(store.load_week(db, last_week)) == 2


def test_delete_everything_empties_every_table_and_keeps_the_schema(db_path, couple):
    alex, _ = couple
    marker = "unmistakable-secret-7f3a"
    save(db_path, alex.id, MONDAY, answers(unsaid=(marker, False)), T)
    assert marker.encode() in file_bytes(db_path)
    migrations = row_counts(db_path)["_sqlite_migrations"]
    with store.open_db(db_path) as db:
        erase.delete_everything(db, consented=())
    counts = row_counts(db_path)
    assert counts.pop("_sqlite_migrations") == migrations
    assert set(counts.values()) == {0}
    assert marker.encode() not in file_bytes(db_path)  # overwritten, not just unlinked
    store.initialise(db_path)
    with store.open_db(db_path) as db:
        assert store.setup_couple(db, ["Alex", "Sam"], Settings())
