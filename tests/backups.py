"""Shared helpers for the backup, restore, export and erase tests: real files, literal data."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from closer import store
from closer.backup import file_format
from closer.checkin import Answers

NOW = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)
T = "2026-11-22T20:00:00+00:00"

# Each example makes two databases; in memory, where the system offers a RAM disk, the fsync
# of every commit costs nothing and the property test runs in seconds instead of a minute.
FAST_TMP = "/dev/shm" if Path("/dev/shm").is_dir() else None


def row_counts(db_path: Path) -> dict[str, int]:
    """Rows per table, migrations included."""
    with store.open_db(db_path) as db:
        return {name: db[name].count for name in db.table_names()}


def exported_tables(db_path: Path) -> dict:
    """The tables as a backup would hold them."""
    with store.open_db(db_path) as db:
        return file_format.export_backup(db)["tables"]


def fresh_db(path: Path) -> Path:
    """An initialised, empty Closer database at path."""
    store.initialise(path)
    return path


def save(db_path: Path, partner_id: int, week: date, saved: Answers, at: str) -> None:
    """Save a check-in at a given moment."""
    with store.open_db(db_path) as db:
        store.save_checkin(db, partner_id, week, saved, saved_at=at)


def file_bytes(db_path: Path) -> bytes:
    """Every byte of the database and its -wal / -shm files."""
    return b"".join(
        p.read_bytes() for p in db_path.parent.iterdir() if p.name.startswith(db_path.name)
    )


# The saved version of the valid example's one check-in, as store.save_checkin writes it.
REVISION = (
    '{"reflections": {}, "scores": {"physical": 7, "social": null}, "wants_more": ["social"]}'
)


def valid_backup() -> dict:
    """A small, valid backup written out by hand."""
    return {
        "app": "closer",
        "format": 1,
        "schema": ["m001_initial"],
        "exported_at": T,
        "tables": {
            "partners": {"columns": ["id", "name", "created_at"], "rows": [[1, "Alex", T]]},
            "checkins": {
                "columns": ["id", "partner_id", "week", "revision", "created_at", "updated_at"],
                "rows": [[1, 1, "2026-11-16", 1, T, T]],
            },
            "scores": {
                "columns": ["checkin_id", "dimension", "score", "wants_more"],
                "rows": [[1, "physical", 7, 0], [1, "social", None, 1]],
            },
            "checkin_revisions": {
                "columns": ["id", "checkin_id", "revision", "saved_at", "answers"],
                "rows": [[1, 1, 1, T, REVISION]],
            },
        },
    }
