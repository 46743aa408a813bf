"""Going back to an automatic backup copies in only a file that holds exactly Closer's schema:
a planted trigger, view, table or index, or a changed table, is refused before anything."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from closer import store
from closer.backup import automatic, restore
from tests.backups import exported_tables
from tests.factories import MONDAY, answers, give_passcode

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "closer-v1.db"
SECRET = "trigger-lighthouse-42aa"
PLANTED = {
    "trigger": (
        "CREATE TRIGGER share_all AFTER INSERT ON reflections "
        "BEGIN UPDATE reflections SET shared = 1 WHERE rowid = new.rowid; END",
        "a trigger 'share_all'",
    ),
    "view": ("CREATE VIEW everything AS SELECT * FROM reflections", "a view 'everything'"),
    "table": ("CREATE TABLE stash (body TEXT)", "a table 'stash'"),
    "index": ("CREATE INDEX by_body ON reflections (body)", "an index 'by_body'"),
    "column": (
        "ALTER TABLE reflections ADD COLUMN shared_copy INTEGER DEFAULT 1",
        "a table 'reflections' that isn't as Closer makes it",
    ),
    "trigger on migrations": (
        "CREATE TRIGGER on_upgrade AFTER INSERT ON _sqlite_migrations "
        "BEGIN UPDATE reflections SET shared = 1; END",
        "a trigger 'on_upgrade'",
    ),
}


def _copy(db_path: Path, folder: Path) -> Path:
    return automatic.backup_file(db_path, folder, "weekly", now=datetime(2026, 11, 16, 9))


def _plant(copy: Path, sql: str) -> None:
    conn = sqlite3.connect(copy)
    with conn:
        conn.execute(sql)
    conn.close()


@pytest.mark.parametrize("kind", PLANTED)
def test_a_backup_holding_more_than_closers_schema_is_refused(db_path, couple, tmp_path, kind):
    alex, sam = couple
    folder = tmp_path / "backups"
    copy = _copy(db_path, folder)
    sql, named = PLANTED[kind]
    _plant(copy, sql)
    before = exported_tables(db_path)

    with pytest.raises(store.StoreError) as caught:
        automatic.restore_backup_file(copy, db_path, folder, consented={alex.id, sam.id})

    assert str(caught.value) == (
        f"{copy} holds {named}, which Closer never makes, so it was not restored. Your data is "
        "unchanged."
    )
    assert exported_tables(db_path) == before
    assert [b.reason for b in automatic.list_backups(folder)] == ["weekly"]  # no safety copy
    assert not list(db_path.parent.glob("closer.db.restoring*"))


def test_a_planted_trigger_never_makes_a_later_private_note_shared(db_path, couple, tmp_path):
    alex, sam = couple
    key, _ = give_passcode(db_path, alex.id)
    folder = tmp_path / "backups"
    copy = _copy(db_path, folder)
    _plant(copy, PLANTED["trigger"][0])
    with pytest.raises(store.StoreError):
        automatic.restore_backup_file(
            copy, db_path, folder, consented={alex.id, sam.id}, keyring={alex.id: key}
        )
    with store.open_db(db_path, {alex.id: key}) as db:
        store.save_checkin(db, alex.id, MONDAY, answers(unsaid=(SECRET, False)))
        shared = db.execute("SELECT shared FROM reflections").fetchall()
        assert not db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    assert shared == [(0,)]
    assert SECRET.encode() not in db_path.read_bytes()


def test_every_backup_closer_makes_passes_the_check_and_restores(db_path, couple, tmp_path):
    alex, sam = couple
    key, _ = give_passcode(db_path, alex.id)
    with store.open_db(db_path, {alex.id: key}) as db:
        store.save_checkin(db, alex.id, MONDAY, answers(unsaid=(SECRET, False)))
    folder = tmp_path / "backups"
    weekly = _copy(db_path, folder)
    # A copy sealed or opened after the fact, as Settings does when a passcode changes.
    assert store.apply_passcode_to_copy(weekly, alex, key, seal=True)
    made = [weekly]
    automatic.restore_backup_file(
        weekly, db_path, folder, consented={alex.id, sam.id}, keyring={alex.id: key}
    )
    made += [b.path for b in automatic.list_backups(folder) if b.reason == "before-restore"]
    # A copy of an old schema, made before an upgrade: checked against that older schema.
    old = tmp_path / "old" / "closer.db"
    old.parent.mkdir()
    shutil.copy(FIXTURE, old)
    store.initialise(
        old, lambda path: made.append(automatic.backup_file(path, folder, "before-upgrade"))
    )
    assert len(made) == 3

    for copy in made:
        assert store.schema_problem(copy) is None, copy
    for copy in made:
        automatic.restore_backup_file(
            copy, db_path, folder, consented={alex.id, sam.id}, keyring={alex.id: key}
        )


def test_a_restored_file_has_exactly_closers_schema(db_path, couple, tmp_path):
    folder = tmp_path / "backups"
    copy = _copy(db_path, folder)
    alex, sam = couple
    automatic.restore_backup_file(copy, db_path, folder, consented={alex.id, sam.id})
    assert store.schema_problem(db_path) is None


def test_a_json_restore_leaves_the_schema_as_it_was(db_path, couple):
    from closer.backup import file_format

    alex, sam = couple
    with store.open_db(db_path) as db:
        found = file_format.read_backup(file_format.backup_json(db), db)
        restore.restore_backup(db, found, "replace", consented={alex.id, sam.id})
    assert store.schema_problem(db_path) is None
