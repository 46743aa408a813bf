"""Files that are not a healthy Closer database get a clear message and are never touched."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from closer import store
from closer.settings import Settings
from tests.factories import MONDAY, answers


def test_initialise_creates_schema_with_wal_and_is_repeatable(tmp_path):
    path = tmp_path / "closer.db"
    store.initialise(path)
    store.initialise(path)  # a second run finds nothing to do
    with store.open_db(path) as db:
        assert {"partners", "checkins", "scores", "reflections", "checkin_revisions"} <= set(
            db.table_names()
        )
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_empty_file_is_initialised(tmp_path):
    path = tmp_path / "closer.db"
    path.touch()
    store.initialise(path)
    with store.open_db(path) as db:
        assert "partners" in db.table_names()


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "closer.db"
    content = b"these are my shopping notes, not a database\n" * 100
    path.write_bytes(content)
    with pytest.raises(store.StoreError, match="not a readable Closer database"):
        store.initialise(path)
    assert path.read_bytes() == content


def test_another_apps_sqlite_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "closer.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(store.StoreError, match="not one of Closer's") as error:
        store.initialise(path)
    assert str(path) in str(error.value)
    assert path.read_bytes() == before


def test_a_database_from_a_newer_closer_is_refused(tmp_path):
    path = tmp_path / "closer.db"
    store.initialise(path)
    with store.open_db(path) as db:
        db["_sqlite_migrations"].insert(
            {"migration_set": "closer", "name": "m999_future", "applied_at": "2030"}
        )
    with pytest.raises(store.StoreError, match="newer version of Closer"):
        store.initialise(path)


def test_a_missing_folder_is_explained(tmp_path):
    with pytest.raises(store.StoreError, match="does not exist"):
        store.initialise(tmp_path / "nowhere" / "closer.db")
    assert not (tmp_path / "nowhere").exists()


def test_a_database_locked_too_long_is_explained(tmp_path, monkeypatch):
    path = tmp_path / "closer.db"
    store.initialise(path)
    monkeypatch.setattr(store.db, "BUSY_TIMEOUT_SECONDS", 0.2)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(store.StoreError, match="is busy"):
            with store.open_db(path) as db:
                store.rename_partner(db, 1, "Alex")
    finally:
        holder.rollback()
        holder.close()
    with store.open_db(path) as db:
        assert store.list_partners(db) == []


def test_concurrent_writers_all_succeed(tmp_path):
    path = tmp_path / "closer.db"
    store.initialise(path)
    with store.open_db(path) as db:
        partners = store.setup_couple(db, ["A", "B"], Settings())
    failures: list[BaseException] = []

    def write(partner_id: int) -> None:
        for score in range(1, 11):
            try:
                with store.open_db(path) as db:
                    store.save_checkin(db, partner_id, MONDAY, answers({"physical": score}))
            except BaseException as error:  # collected, then asserted below
                failures.append(error)

    threads = [threading.Thread(target=write, args=(p.id,)) for p in partners for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    with store.open_db(path) as db:
        # 2 threads x 10 saves per partner: revisions 1..20 for each.
        assert [len(store.load_revisions(db, p.id, MONDAY)) for p in partners] == [20, 20]
