"""A restore interrupted while it stages its copy leaves nothing behind for good."""

from __future__ import annotations

from closer.backup import automatic
from tests.apptest import open_app

# What a kill while staging can leave: the copy and its rollback journal (it is made in
# rollback-journal mode), or, after store.initialise, its -wal and -shm.
LEFTOVERS = ("closer.db.restoring", "closer.db.restoring-journal", "closer.db.restoring-wal")


def _leave_staging(db_path) -> None:
    for name in LEFTOVERS:
        (db_path.parent / name).write_bytes(b"half a copy of everything")


def _left(db_path) -> list[str]:
    return sorted(p.name for p in db_path.parent.glob("closer.db.restoring*"))


def test_the_next_start_removes_what_a_killed_restore_left(db_path, couple):
    _leave_staging(db_path)
    assert _left(db_path) == sorted(LEFTOVERS)
    open_app(couple[0].id)
    assert _left(db_path) == []


def test_the_next_restore_removes_them_too(db_path, couple, tmp_path):
    backups = tmp_path / "backups"
    saved = automatic.backup_file(db_path, backups, "weekly")
    _leave_staging(db_path)
    automatic.restore_backup_file(saved, db_path, backups, consented=())
    assert _left(db_path) == []


def test_only_staging_files_are_removed(db_path, couple):
    _leave_staging(db_path)
    keep = db_path.parent / "closer.db.restored-by-hand"
    keep.write_bytes(b"mine")
    assert automatic.remove_restore_leftovers(db_path) == sorted(LEFTOVERS)
    assert keep.exists() and db_path.exists()
