"""Automatic backups: whole copies of the database file, listed, pruned and put back."""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from closer import files, store, vault
from closer.backup.consent import SWAPPED, guarded_ids, require_consent, swaps_people

KEEP_BACKUPS = 12

log = logging.getLogger("closer.backup.automatic")

_BACKUP_NAME = re.compile(r"closer-(\d{8}-\d{6})-([a-z0-9]+(?:-[a-z0-9]+)*)\.db")
_REASON = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class BackupFile:
    """One automatic backup: a complete copy of the database at the time in its name."""

    path: Path
    created: datetime
    reason: str
    size: int


def _staging_path(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.name}.restoring")


def remove_restore_leftovers(db_path: Path) -> list[str]:
    """Delete the staging copy (and its journal, -wal, -shm) of a restore that was cut short.

    A restore removes its own when it ends; a kill mid-way leaves them, holding a whole copy
    of the data. Call when no restore can be running: at start, or as a restore begins.
    Returns the names of the files removed.
    """
    staging = _staging_path(db_path)
    removed = []
    for leftover in sorted(staging.parent.glob(f"{staging.name}*")):
        try:
            leftover.unlink(missing_ok=True)
        except OSError as error:  # never a reason to stop Closer: the next start tries again
            log.warning("could not remove %s: %s", leftover, error)
            continue
        removed.append(leftover.name)
    return removed


def default_backups_dir(db_path: Path) -> Path:
    """Where automatic backups of a database go: a 'backups' folder next to it."""
    return db_path.parent / "backups"


def backup_file(db_path: Path, backups_dir: Path, reason: str, now: datetime | None = None) -> Path:
    """Copy the live database to backups_dir/closer-YYYYmmdd-HHMMSS-<reason>.db."""
    if not _REASON.fullmatch(reason):
        raise ValueError(f"reason must be lowercase words joined by '-', not {reason!r}")
    if not db_path.is_file():
        raise store.StoreError(f"There is no database at {db_path} to back up.")
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = backups_dir / f"closer-{stamp}-{reason}.db"
    copy = 2
    while target.exists():
        target = backups_dir / f"closer-{stamp}-{reason}-{copy}.db"
        copy += 1
    # Written under another name and renamed when complete, so a crash never leaves a
    # half-written file among the backups.
    partial = target.with_name(f"{target.name}.partial")
    try:
        files.create_private_folder(backups_dir)
        files.create_private_file(partial)
        store.copy_database(db_path, partial, standalone=True)
        # Notification addresses hold tokens: like a backup file, a copy never carries them.
        store.forget_addresses_in_copy(partial)
        partial.replace(target)
    except (OSError, sqlite3.Error) as error:
        partial.unlink(missing_ok=True)
        raise store.StoreError(
            f"Closer could not back up {db_path} to {backups_dir}: {error}. Check that the folder "
            "exists and that you may write there. Your data is unchanged."
        ) from error
    return target


def list_backups(backups_dir: Path) -> list[BackupFile]:
    """The automatic backups in a folder, newest first."""
    if not backups_dir.is_dir():
        return []
    found = []
    for path in backups_dir.iterdir():
        match = _BACKUP_NAME.fullmatch(path.name)
        if match and path.is_file():
            created = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
            found.append(BackupFile(path, created, match.group(2), path.stat().st_size))
    return sorted(found, key=lambda b: (b.created, b.path.name), reverse=True)


def prune_backups(backups_dir: Path, keep: int = KEEP_BACKUPS) -> list[Path]:
    """Delete all but the newest `keep` backups; returns the files deleted."""
    old = [b.path for b in list_backups(backups_dir)[keep:]]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def weekly_backup_due(backups_dir: Path, today: date) -> bool:
    """True when no backup was made in today's ISO week (Monday to Sunday)."""
    week = today.isocalendar()[:2]
    return not any(b.created.isocalendar()[:2] == week for b in list_backups(backups_dir))


def _check_backup_file(path: Path) -> None:
    """Refuse a file that is not an undamaged Closer database this version can open."""
    if not path.is_file():
        raise store.StoreError(f"There is no backup at {path}.")
    not_closer = store.StoreError(
        f"{path} is not a Closer backup, so it was not restored. Your data is unchanged."
    )
    state = store.inspect_database_file(path)
    if state is None:
        raise not_closer
    intact, applied = state
    if not intact:
        raise store.StoreError(
            f"The backup {path} is damaged, so it was not restored. Your data is "
            "unchanged: choose an older backup."
        )
    known = store.migration_names()
    if not applied:
        raise not_closer
    if any(name not in known for name in applied):
        raise store.StoreError(
            f"The backup {path} was made by a newer version of Closer. Update Closer to "
            "restore it. Your data is unchanged."
        )
    if applied != known[: len(applied)]:
        raise not_closer
    _refuse_unknown_schema(path, path)


def _refuse_unknown_schema(path: Path, shown: Path) -> None:
    """Refuse a file whose schema is not exactly Closer's (see schema_problem)."""
    try:
        problem = store.schema_problem(path)
    except sqlite3.Error as error:
        raise store.StoreError(
            f"{shown} is not a Closer backup, so it was not restored. Your data is unchanged."
        ) from error
    if problem:
        raise store.StoreError(
            f"{shown} holds {problem}, which Closer never makes, so it was not restored. "
            "Your data is unchanged."
        )


def restore_backup_file(
    backup_path: Path,
    db_path: Path,
    backups_dir: Path | None = None,
    *,
    consented: Collection[int],
    keyring: vault.Keyring | None = None,
) -> Path | None:
    """Put a backup file's content into the live database; returns the safety backup made first.

    Everyone's data is replaced, so every partner with a passcode must be among `consented`
    (else ConsentNeeded, nothing changed). The copy's passcodes, keys and unlock counts do not
    come back: today's stay with the partner of the same id and name. The current database is
    first backed up (reason "before-restore") into backups_dir, by default the folder beside
    it. Other connections may stay open: they see the restored data. Plain private notes of
    partners with a key are sealed on the side too (their keys in ``keyring``).
    """
    _check_backup_file(backup_path)
    credentials: dict = {}
    here: list[store.Partner] = []

    local: store.LocalNotifications = ({}, [], [])
    if db_path.exists():
        with store.open_db(db_path) as db:
            here = store.list_partners(db)
            require_consent(db, [p.id for p in here], consented)
            credentials = store.load_credentials(db)
            local = store.load_local_notifications(db)
    # The copy is brought up to date and given today's credentials on the side, then copied in
    # whole: the live file never holds the copy's passcodes, even for a moment.
    staging = _staging_path(db_path)
    safety = None
    try:
        remove_restore_leftovers(db_path)  # from a restore cut short, if any
        store.copy_database(backup_path, staging, standalone=True)
        # Checked again on the copy itself, before anything in it can run: the file in the
        # folder may have changed since it was first looked at.
        _refuse_unknown_schema(staging, backup_path)
        with store.open_db(staging) as db:
            if swaps_people(here, store.list_partners(db), guarded_ids(credentials)):
                raise store.StoreError(SWAPPED)
        store.initialise(staging)
        with store.open_db(staging, keyring) as db, store.write_transaction(db):
            store.keep_credentials(db, credentials)
            store.keep_local_notifications(db, local)
            store.seal_restored_notes(db)
        if db_path.exists():
            target = backups_dir or default_backups_dir(db_path)
            safety = backup_file(db_path, target, "before-restore")
        store.copy_database(staging, db_path)
    except sqlite3.Error as error:
        raise store.StoreError(
            f"Closer could not restore {backup_path} into {db_path}: {error}. "
            + (f"Your data before the restore is in {safety}." if safety else "")
        ) from error
    finally:
        remove_restore_leftovers(db_path)
    # The staging copy was in rollback-journal mode; the live file keeps write-ahead logging.
    store.initialise(db_path)
    return safety
