"""Restoring a JSON backup: replace and merge, all or nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from closer import store
from closer.backup import erase, file_format, restore
from closer.settings import Settings
from tests.backups import (
    NOW,
    T,
    exported_tables,
    fresh_db,
    row_counts,
    save,
    valid_backup,
)
from tests.factories import MONDAY, answers


def test_an_older_backup_without_a_later_column_restores_with_it_empty(db_path, couple):
    with store.open_db(db_path) as db:
        raw = file_format.backup_json(db)
        db["partners"].add_column("nickname", str)  # as a later migration would
        restore.restore_backup(db, file_format.read_backup(raw, db), "replace", consented=())
        rows = list(db["partners"].rows)
    assert [(r["name"], r["nickname"]) for r in rows] == [("Alex", None), ("Sam", None)]


def _database_refuses() -> str:
    # Valid row by row, but the unique, case-blind partner name stops the insert.
    data = valid_backup()
    data["tables"]["partners"]["rows"] = [[1, "Alex", T], [2, "ALEX", T]]
    return json.dumps(data)


def _merge_to_three() -> str:
    # A third person: Jo matches neither Alex nor Sam.
    data = valid_backup()
    data["tables"]["partners"]["rows"] = [[1, "Jo", T]]
    return json.dumps(data)


@pytest.mark.parametrize("mode", ["replace", "merge"])
def test_a_restore_that_fails_part_way_changes_nothing(db_path, couple, mode):
    alex, _ = couple
    save(db_path, alex.id, MONDAY, answers({"physical": 7}), T)
    before, counts = exported_tables(db_path), row_counts(db_path)
    raw = _database_refuses() if mode == "replace" else _merge_to_three()
    with store.open_db(db_path) as db, pytest.raises(file_format.BackupError) as caught:
        restore.restore_backup(db, file_format.read_backup(raw, db), mode, consented=())
    assert "Nothing was changed." in str(caught.value)
    assert row_counts(db_path) == counts
    assert exported_tables(db_path) == before


def test_restore_checks_a_backup_again_even_if_built_by_hand(db_path, couple):
    bad = file_format.Backup(
        schema=("m001_initial",),
        exported_at=NOW,
        tables={"partners": file_format.BackupTable(("id", "name", "created_at"), ((1, None, T),))},
    )
    counts = row_counts(db_path)
    with (
        store.open_db(db_path) as db,
        pytest.raises(file_format.BackupError, match="must be filled"),
    ):
        restore.restore_backup(db, bad, "replace", consented=())
    assert row_counts(db_path) == counts


def test_merge_keeps_existing_check_ins_and_adds_the_imported_versions_to_their_history(
    db_path, couple, tmp_path
):
    alex, sam = couple
    ours = answers({"physical": 8}, working=("ours", True))
    save(db_path, alex.id, MONDAY, ours, "2026-11-17T20:00:00+00:00")
    save(db_path, sam.id, MONDAY - timedelta(weeks=1), answers({"social": 6}), T)
    untouched_week = MONDAY - timedelta(weeks=1)

    # The other copy: same people (other ids, other case), overlapping and new weeks.
    other = fresh_db(tmp_path / "other.db")
    with store.open_db(other) as db:
        other_sam, other_alex = store.setup_couple(db, ["sam", "ALEX"], Settings(checkin_weekday=2))
    v1 = answers({"physical": 3}, working=("theirs v1", True))
    v2 = answers({"physical": 4}, working=("theirs v2", True))
    samnew = answers({"emotional": 9}, lacking=("sam new", True))
    older = answers({"intellectual": 5})
    save(other, other_alex.id, MONDAY, v1, "2026-11-16T09:00:00+00:00")
    save(other, other_alex.id, MONDAY, v2, "2026-11-18T09:00:00+00:00")
    save(other, other_sam.id, MONDAY, samnew, "2026-11-19T09:00:00+00:00")
    save(other, other_alex.id, MONDAY - timedelta(weeks=2), older, "2026-11-03T09:00:00+00:00")
    with store.open_db(other) as db:
        raw = file_format.backup_json(db)

    with store.open_db(db_path) as db:
        added = restore.restore_backup(db, file_format.read_backup(raw, db), "merge", consented=())
        # No settings (the existing ones win) and no partners (matched by name).
        assert (added.checkins, added.partners) == (2, 0)
        assert {table: n for table, n in added.rows.items() if n} == {
            "checkins": 2,  # Sam's this week, Alex's two weeks ago
            "scores": 2,
            "reflections": 1,
            "checkin_revisions": 4,  # one each for the new check-ins, two for Alex's history
        }
        assert store.list_partners(db) == [alex, sam]
        assert store.load_settings(db).checkin_weekday == Settings().checkin_weekday
        current = store.load_checkin(db, alex.id, MONDAY)
        assert (current.revision, current.answers) == (3, ours)
        assert store.load_revisions(db, alex.id, MONDAY) == [
            (1, "2026-11-16T09:00:00+00:00", v1),
            (2, "2026-11-18T09:00:00+00:00", v2),
            (3, "2026-11-17T20:00:00+00:00", ours),  # the current version stays last
        ]
        assert store.load_checkin(db, sam.id, MONDAY).answers == samnew
        assert store.load_checkin(db, alex.id, MONDAY - timedelta(weeks=2)).answers == older
        assert store.load_checkin(db, sam.id, untouched_week).answers == answers({"social": 6})
        after_first = file_format.export_backup(db)["tables"]

        # Merging the same file again finds everything already there.
        again = restore.restore_backup(db, file_format.read_backup(raw, db), "merge", consented=())
        assert set(again.rows.values()) == {0} and (again.checkins, again.partners) == (0, 0)
        assert file_format.export_backup(db)["tables"] == after_first

        # The next save continues the history instead of clashing with an imported number.
        assert store.save_checkin(db, alex.id, MONDAY, v2).revision == 4


def test_merge_into_an_empty_database_gives_the_backups_data(db_path, couple, tmp_path):
    alex, sam = couple
    save(db_path, alex.id, MONDAY, answers({"physical": 7}, working=("hi", False)), T)
    save(db_path, sam.id, MONDAY, answers({"physical": 5}), T)
    with store.open_db(db_path) as db:
        raw = file_format.backup_json(db)
    empty = fresh_db(tmp_path / "empty.db")
    with store.open_db(empty) as db:
        restore.restore_backup(db, file_format.read_backup(raw, db), "merge", consented=())
    assert exported_tables(empty) == json.loads(raw)["tables"]


def _add_plans_table(db_path: Path) -> None:
    """A table a later migration might add, to show nothing here is tied to today's tables."""
    with store.open_db(db_path) as db:
        db["plans"].create(
            {"id": int, "partner_id": int, "title": str, "week": str},
            pk="id",
            not_null={"partner_id", "title"},
            foreign_keys=[("partner_id", "partners", "id")],
        )
        # A partial unique index: a merge can only learn of a clash by trying the insert.
        db.execute("CREATE UNIQUE INDEX plans_once ON plans (partner_id, week) WHERE week > ''")


def test_a_table_added_later_is_exported_restored_merged_and_deleted(db_path, couple, tmp_path):
    _add_plans_table(db_path)
    other = fresh_db(tmp_path / "other.db")
    _add_plans_table(other)
    with store.open_db(other) as db:
        sam, _ = store.setup_couple(db, ["Sam", "Jo"], Settings())
        db["plans"].insert({"partner_id": sam.id, "title": "Picnic 🧺", "week": "2026-11-16"})
        raw = file_format.backup_json(db)
    assert json.loads(raw)["tables"]["plans"]["rows"] == [[1, 1, "Picnic 🧺", "2026-11-16"]]
    fresh = fresh_db(tmp_path / "fresh.db")
    _add_plans_table(fresh)
    with store.open_db(fresh) as db:
        restore.restore_backup(db, file_format.read_backup(raw, db), "replace", consented=())
    assert exported_tables(fresh) == json.loads(raw)["tables"]
    with store.open_db(db_path) as db:
        db["partners"].delete_where("name = ?", ["Alex"])  # leave room for Jo
        restore.restore_backup(db, file_format.read_backup(raw, db), "merge", consented=())
        assert store.list_partners(db) == [store.Partner(2, "Sam"), store.Partner(3, "Jo")]
        # The plan follows Sam from id 1 in the backup to id 2 here.
        assert [(r["partner_id"], r["title"]) for r in db["plans"].rows] == [(2, "Picnic 🧺")]
        again = restore.restore_backup(db, file_format.read_backup(raw, db), "merge", consented=())
        assert set(again.rows.values()) == {0} and (again.checkins, again.partners) == (0, 0)
        assert db["plans"].count == 1
        erase.delete_everything(db, consented=())
        assert db["plans"].count == 0
