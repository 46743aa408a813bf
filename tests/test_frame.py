"""The frame (app.py) around every page: how often it opens the file, and when it sets it up."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from closer import store
from closer.backup import automatic
from tests.apptest import open_app

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "closer-v1.db"


def _count_connections(monkeypatch, db_path: Path) -> list[str]:
    opened: list[str] = []
    connect = sqlite3.connect

    def counting(database, *args, **kwargs):
        if str(database) == str(db_path):
            opened.append(str(database))
        return connect(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", counting)
    return opened


def test_a_rerun_opens_the_file_once_for_the_frame_and_once_for_the_page(
    db_path, couple, monkeypatch
):
    alex, _ = couple
    at = open_app(alex.id, "views/pages/history.py")
    opened = _count_connections(monkeypatch, db_path)
    at.run()
    assert not at.exception
    # The frame reads partners, settings and the unlock state in one connection and hands
    # them to the page's who_is_here(); History reads its weeks in one more. (It was four:
    # the set-up checks, the frame, the unlock state's own, who_is_here's.)
    assert len(opened) == 2
    assert at.title[0].value == "History"


def test_a_file_replaced_while_the_app_is_open_is_set_up_again(db_path, couple):
    alex, _ = couple
    at = open_app(alex.id)
    # An older Closer's file put in its place (a new inode): the next click upgrades it, with
    # a backup first, instead of a page meeting tables it doesn't know.
    db_path.unlink()
    shutil.copyfile(FIXTURE, db_path)
    at.run()
    assert not at.exception
    with store.open_db(db_path) as db:
        applied = [r["name"] for r in db.query("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied == store.migration_names()
    backups = automatic.list_backups(automatic.default_backups_dir(db_path))
    assert [b.reason for b in backups if b.reason == "before-upgrade"] == ["before-upgrade"]
