"""Connections, transactions, SQLite errors in plain words, and whole-file copies."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from time import sleep

from sqlite_utils import Database

from closer import files, vault
from closer.store.readable import _register_checks, _valid_week
from closer.store.schema import _migration_names, migrations

DEFAULT_DB_PATH = Path(__file__).resolve().parent.parent / "data" / "closer.db"


BUSY_TIMEOUT_SECONDS = 5


# One logger for the whole store, so whoever reads the logs filters on one name.
log = logging.getLogger("closer.store")


# SQL: a row whose week Closer can read (closer.store.readable), for any table with a week.
VALID_WEEK = _valid_week()


class StoreError(Exception):
    """A problem with the database file, with a message written for the person at the screen."""


def database_path() -> Path:
    """Where the couple's database lives: $CLOSER_DB, or data/closer.db."""
    return Path(os.environ.get("CLOSER_DB") or DEFAULT_DB_PATH)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _refuse(path: Path, message: str) -> StoreError:
    """A StoreError for the person at the screen, also logged for whoever reads the logs."""
    log.warning("cannot use database %s: %s", path, message)
    return StoreError(message)


def _explain(path: Path, error: sqlite3.Error) -> StoreError:
    log.warning("database error with %s: %s", path, error)
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return StoreError(
            f"The database {path} is busy: another program has held it for more than "
            f"{BUSY_TIMEOUT_SECONDS} seconds. Close other copies of Closer or any tool that "
            "has the file open, then try again. Nothing was changed."
        )
    if "not a database" in text or "malformed" in text or "disk image" in text:
        return StoreError(
            f"The file {path} is not a readable Closer database (it may be damaged or be "
            "another kind of file). Closer has not touched it. Restore a backup, or point "
            "CLOSER_DB at another file."
        )
    if "readonly" in text or "read-only" in text:
        return StoreError(
            f"Closer cannot write to {path}: the file or its folder is read-only. "
            "Check the permissions of the file and of its folder (SQLite writes a journal "
            "beside it), then reload this page."
        )
    if "unable to open" in text:
        return StoreError(
            f"Closer cannot open {path}. Check that its folder exists and that you are allowed "
            "to read and write there, or point CLOSER_DB at another file."
        )
    return StoreError(f"The database {path} gave an error: {error}. Nothing was changed.")


class CloserDatabase(Database):
    """A connection to the couple's file, carrying the data keys of whoever is unlocked."""

    keyring: vault.Keyring = {}


@contextmanager
def open_db(path: Path, keyring: vault.Keyring | None = None) -> Iterator[CloserDatabase]:
    """A short-lived connection with foreign keys on; database errors become StoreError.

    ``keyring`` maps partner ids to their data keys (only ever the unlocked person's own):
    with it, that partner's sealed private notes read as text and new ones are sealed.
    """
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error as error:
        raise _explain(path, error) from error
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        # Deleted or replaced content is overwritten on disk, whatever this SQLite build's
        # default (Debian's is on, macOS's and many wheels' off).
        conn.execute("PRAGMA secure_delete = ON")
        _register_checks(conn)
        db = CloserDatabase(conn)
        db.keyring = dict(keyring or {})
        yield db
    except sqlite3.Error as error:
        raise _explain(path, error) from error
    finally:
        conn.close()


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """Take the write lock up front (BEGIN IMMEDIATE) so concurrent writers wait, not fail."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.conn.commit()
    except BaseException:
        # Also when COMMIT itself fails (say, the disk is full): never leave it half-open.
        db.conn.rollback()
        raise


def _check_is_closer_database(path: Path, db: Database) -> None:
    if not db.table_names():
        return  # a new, empty file: ours to set up
    # Another app's file has no Closer migrations on record (applied() is [] without the table).
    applied = {m.name for m in migrations.applied(db)}
    if not applied:
        raise _refuse(
            path,
            f"The file {path} is an SQLite database, but not one of Closer's. Closer has not "
            "touched it. Point CLOSER_DB at another file, or move this one aside.",
        )
    if applied - set(_migration_names):
        raise _refuse(
            path,
            f"The database {path} was written by a newer version of Closer. Update Closer to "
            "open it; this version has not touched it.",
        )


def initialise(path: Path, before_upgrade: Callable[[Path], None] | None = None) -> None:
    """Create or upgrade the database at path, refusing any file that is not Closer's.

    ``before_upgrade(path)`` runs before migrations are applied to a database that already
    holds data (the app takes a backup there), never for a brand-new file.
    """
    if path.exists() and path.is_dir():
        raise _refuse(path, f"{path} is a folder, not a database file. Point CLOSER_DB at a file.")
    if not path.parent.exists():
        raise _refuse(
            path,
            f"The folder {path.parent} does not exist. Create it, or point CLOSER_DB elsewhere.",
        )
    # Created private before SQLite sees it; SQLite gives the -wal and -shm it creates the
    # database file's own mode, whatever the umask.
    if not path.exists():
        try:
            files.create_private_file(path)
        except OSError as error:
            raise _explain(path, sqlite3.OperationalError(f"unable to open: {error}")) from error
    with open_db(path) as db:
        _check_is_closer_database(path, db)
        pending = migrations.pending(db)
        if pending and before_upgrade and migrations.applied(db):
            before_upgrade(path)
        if pending:
            # The write lock makes a second session starting at the same moment wait, then
            # find nothing left to do, instead of racing to create the same tables.
            with write_transaction(db):
                migrations.apply(db)
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.enable_wal()
        # While this connection is open the -wal and -shm exist: an older database (or one
        # copied in by hand) with looser modes is tightened here, at every start.
        files.make_private_database(path)


def scrub_free_space(db: Database) -> None:
    """Empty the write-ahead log into the file, so replaced text lives on in neither."""
    # Another session's read can hold the log open for a moment: try for up to 5 seconds.
    for _ in range(50):
        busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if not busy:
            return
        sleep(0.1)
    log.warning("write-ahead log still in use after 5 s; it is emptied at the next checkpoint")


def data_version(db: Database) -> str:
    """A cheap token that changes whenever any check-in is saved, edited, deleted or restored."""
    # Counts and the latest save alone can stay the same when one check-in is deleted and
    # another saved within the same second (ids are handed out again): two sums over the
    # weeks and the scores themselves tell those apart, still in one quick query.
    found = db.execute(
        "SELECT count(*), max(id), max(updated_at), "
        "total(id * cast(replace(week, '-', '') AS INTEGER)), "
        "(SELECT count(*) FROM checkin_revisions), (SELECT max(rowid) FROM checkin_revisions), "
        "(SELECT total((checkin_id * 31 + unicode(dimension)) * (coalesce(score, 0) + 1)"
        " * (wants_more + 1)) FROM scores) "
        "FROM checkins"
    ).fetchone()
    return ":".join(str(value) for value in found)


@contextmanager
def secure_erase(db: Database) -> Iterator[None]:
    """Overwrite deleted content on disk too, so it cannot be read back from the file."""
    previous = db.execute("PRAGMA secure_delete").fetchone()[0]
    db.execute("PRAGMA secure_delete = ON")
    try:
        yield
    finally:
        db.execute(f"PRAGMA secure_delete = {int(previous)}")
    # Until a checkpoint the old pages also live on in the write-ahead log.
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def copy_database(source: Path, target: Path, *, standalone: bool = False) -> None:
    """Copy a whole database with SQLite's online backup API, safe while others use it."""
    src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        dst = sqlite3.connect(target, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            src.backup(dst)
            if standalone:
                # One self-contained file: no -wal or -shm beside it once closed.
                dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def inspect_database_file(path: Path) -> tuple[bool, list[str]] | None:
    """Read-only: whether a file passes SQLite's quick check and the migrations it has applied.

    None when the file is not an SQLite database at all.
    """
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return False, []
            return True, [m.name for m in migrations.applied(Database(conn))]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None
