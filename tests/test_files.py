"""Files only their owner can read: the database, its -wal/-shm and backups, whatever the umask."""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest

from closer import files, store
from closer.backup import automatic
from closer.demo import write_demo
from tests.factories import MONDAY, answers


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    """The common default umask (files 0644, folders 0755), put back as it was afterwards."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


@contextmanager
def open_writer(path: Path):
    """A connection that has written, held open so the -wal and -shm files exist."""
    with store.open_db(path) as db:
        with store.write_transaction(db):
            db.execute("INSERT INTO settings (key, value) VALUES ('probe', '1')")
        yield db


def test_a_new_database_and_its_wal_and_shm_are_private(tmp_path, umask_022):
    path = tmp_path / "closer.db"
    store.initialise(path)
    assert mode(path) == 0o600
    with open_writer(path):
        assert mode(Path(f"{path}-wal")) == 0o600
        assert mode(Path(f"{path}-shm")) == 0o600


def test_an_existing_database_with_looser_modes_is_tightened_at_start(tmp_path, umask_022):
    path = tmp_path / "closer.db"
    store.initialise(path)
    with open_writer(path):
        for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            name.chmod(0o644)
        store.initialise(path)
        assert mode(path) == 0o600
        assert mode(Path(f"{path}-wal")) == 0o600
        assert mode(Path(f"{path}-shm")) == 0o600


def test_tightening_takes_bits_away_and_never_adds_any(tmp_path, umask_022):
    path = tmp_path / "notes.txt"
    path.write_text("x")
    path.chmod(0o444)  # someone made it read-only on purpose
    files.make_private(path)
    assert mode(path) == 0o400


def test_automatic_backups_and_their_folder_are_private(db_path, couple, umask_022):
    folder = automatic.default_backups_dir(db_path)
    made = automatic.backup_file(db_path, folder, "weekly", now=datetime(2026, 11, 22, 20, 0))
    assert mode(folder) == 0o700
    assert mode(made) == 0o600


def test_an_existing_backups_folder_with_looser_modes_is_tightened(db_path, couple, umask_022):
    folder = automatic.default_backups_dir(db_path)
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    old = automatic.backup_file(db_path, folder, "weekly", now=datetime(2026, 11, 15, 20, 0))
    old.chmod(0o644)
    folder.chmod(0o755)
    files.tighten_folder(folder)
    assert mode(folder) == 0o700
    assert mode(old) == 0o600


def test_tightening_a_folder_leaves_what_a_link_inside_points_to(tmp_path, umask_022):
    outside = tmp_path / "outside.txt"
    outside.write_text("not Closer's")
    outside.chmod(0o644)
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "link.db").symlink_to(outside)
    files.tighten_folder(folder)
    assert mode(outside) == 0o644


def test_the_app_tightens_the_database_and_backups_when_it_starts(db_path, couple, umask_022):
    from tests.apptest import open_app

    folder = automatic.default_backups_dir(db_path)
    old = automatic.backup_file(db_path, folder, "weekly", now=datetime(2026, 11, 15, 20, 0))
    for loose, wanted in ((db_path, 0o644), (old, 0o644), (folder, 0o755)):
        loose.chmod(wanted)
    try:
        open_app(couple[0].id)
        assert (mode(db_path), mode(folder), mode(old)) == (0o600, 0o700, 0o600)
        assert all(mode(b.path) == 0o600 for b in automatic.list_backups(folder))
    finally:
        os.umask(0o022)  # the app sets its own; the fixture restores the original


def test_sample_data_is_private_too(tmp_path, umask_022):
    path = tmp_path / "closer-sample.db"
    write_demo(path, 3, today=MONDAY)
    assert mode(path) == 0o600


def test_a_restored_backup_file_stays_private(db_path, couple, umask_022):
    folder = automatic.default_backups_dir(db_path)
    with store.open_db(db_path) as db:
        store.save_checkin(db, couple[0].id, MONDAY, answers())
    made = automatic.backup_file(db_path, folder, "weekly", now=datetime(2026, 11, 22, 20, 0))
    automatic.restore_backup_file(made, db_path, consented={p.id for p in couple})
    assert mode(db_path) == 0o600
    assert all(mode(b.path) == 0o600 for b in automatic.list_backups(folder))
