"""Passcodes, wrapped keys and unlock counts: kept with their partner, never exported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from closer.passcode import KEY_VERIFIED, read_count, read_moment, wait_before_next_try
from closer.store.db import _now, scrub_free_space, write_transaction
from closer.store.resealing import _convert_private_notes, _forgetter, _opener, _sealer

# Columns of `partners` that are credentials, not the couple's data: never exported, never
# written from a backup file, kept with their partner through every restore.
CREDENTIAL_COLUMNS = (
    "passcode_hash",
    "failed_unlocks",
    "last_failed_unlock",
    "key_by_passcode",
    "key_by_recovery",
)


@dataclass(frozen=True)
class UnlockState:
    """A partner's passcode hash (None: no passcode) and their run of wrong tries."""

    passcode_hash: str | None
    failed_unlocks: int
    last_failed_unlock: str | None


def load_unlock_state(db: Database, partner_id: int) -> UnlockState:
    """What is needed to check a partner's passcode and throttle wrong tries."""
    # A wrapped key with no hash beside it (an edited file) still means "has a passcode":
    # otherwise their view would open to anyone, and only the key can say who they are.
    row = db.execute(
        "SELECT coalesce(passcode_hash, CASE WHEN key_by_passcode IS NOT NULL THEN ? END),"
        " failed_unlocks, last_failed_unlock FROM partners WHERE id = ?",
        [KEY_VERIFIED, partner_id],
    ).fetchone()
    return UnlockState(*row) if row else UnlockState(None, 0, None)


def record_unlock(db: Database, partner_id: int, success: bool) -> int:
    """Count a wrong try (or clear the count after a right one); returns the run of wrong tries."""
    with write_transaction(db):
        if success:
            db.execute(
                "UPDATE partners SET failed_unlocks = 0, last_failed_unlock = NULL WHERE id = ?",
                [partner_id],
            )
            return 0
        db.execute(
            "UPDATE partners SET failed_unlocks = failed_unlocks + 1, last_failed_unlock = ? "
            "WHERE id = ?",
            [_now(), partner_id],
        )
        return db.execute(
            "SELECT failed_unlocks FROM partners WHERE id = ?", [partner_id]
        ).fetchone()[0]


@dataclass(frozen=True)
class NewPasscode:
    """What setting a passcode stores: its hash and the data key wrapped two ways."""

    passcode_hash: str
    key_by_passcode: str
    key_by_recovery: str


def set_passcode(db: Database, partner_id: int, new: NewPasscode, key: bytes) -> None:
    """Give a partner a passcode and seal every private note they wrote, in one transaction."""
    with write_transaction(db):
        db.execute(
            "UPDATE partners SET passcode_hash = ?, key_by_passcode = ?, key_by_recovery = ?, "
            "failed_unlocks = 0, last_failed_unlock = NULL WHERE id = ?",
            [new.passcode_hash, new.key_by_passcode, new.key_by_recovery, partner_id],
        )
        _convert_private_notes(db, partner_id, _sealer(key))
    scrub_free_space(db)


def change_passcode(
    db: Database, partner_id: int, passcode_hash: str, key_by_passcode: str
) -> None:
    """A new passcode for the same data key: re-wrapped, nothing re-encrypted."""
    with write_transaction(db):
        db.execute(
            "UPDATE partners SET passcode_hash = ?, key_by_passcode = ?, failed_unlocks = 0, "
            "last_failed_unlock = NULL WHERE id = ?",
            [passcode_hash, key_by_passcode, partner_id],
        )


def remove_passcode(db: Database, partner_id: int, key: bytes | None) -> None:
    """Take a partner's passcode away, opening their sealed notes back into plain text."""
    with write_transaction(db):
        if key is not None:
            _convert_private_notes(db, partner_id, _opener(key))
        db.execute(
            "UPDATE partners SET passcode_hash = NULL, key_by_passcode = NULL, "
            "key_by_recovery = NULL, failed_unlocks = 0, last_failed_unlock = NULL WHERE id = ?",
            [partner_id],
        )


def forget_passcode(db: Database, partner_id: int) -> None:
    """Remove a forgotten passcode without its key: sealed notes can't be read, so they go."""
    with write_transaction(db):
        _convert_private_notes(db, partner_id, _forgetter)
        db.execute(
            "UPDATE partners SET passcode_hash = NULL, key_by_passcode = NULL, "
            "key_by_recovery = NULL, failed_unlocks = 0, last_failed_unlock = NULL WHERE id = ?",
            [partner_id],
        )
    scrub_free_space(db)


@dataclass(frozen=True)
class WrappedKeys:
    """A partner's data key as stored: wrapped by their passcode and by their recovery code."""

    by_passcode: str | None
    by_recovery: str | None


def load_wrapped_keys(db: Database, partner_id: int) -> WrappedKeys:
    """The wrapped forms of a partner's data key (both None without a passcode key)."""
    row = db.execute(
        "SELECT key_by_passcode, key_by_recovery FROM partners WHERE id = ?", [partner_id]
    ).fetchone()
    return WrappedKeys(*row) if row else WrappedKeys(None, None)


@dataclass(frozen=True)
class Reservation:
    """A passcode try asked for: let through (counted as wrong until proven right), or a wait."""

    passcode_hash: str | None
    failed_unlocks: int  # the run of wrong tries, this one included when it was let through
    wait: timedelta  # zero when the try was let through


def _unlock_wait(
    db: Database, partner_id: int, now: datetime
) -> tuple[UnlockState, int, timedelta]:
    state = load_unlock_state(db, partner_id)
    failed = read_count(state.failed_unlocks)
    last = read_moment(state.last_failed_unlock, now)
    if last is not None and last == now and state.last_failed_unlock != now.isoformat():
        # Stored in the future (a clock put back, an edited file): it counts as now, and now
        # is written down, so the wait runs out instead of starting again on every visit.
        db.execute(
            "UPDATE partners SET last_failed_unlock = ? WHERE id = ?", [now.isoformat(), partner_id]
        )
    return state, failed, wait_before_next_try(failed, last, now)


def unlock_wait(db: Database, partner_id: int, now: datetime) -> timedelta:
    """How long a partner must wait before their next passcode try (zero: they may try now)."""
    return _unlock_wait(db, partner_id, now)[2]


def reserve_unlock_attempt(db: Database, partner_id: int, now: datetime) -> Reservation:
    """Check the wait and count a try as wrong in one write transaction, before any checking.

    Many browser tabs pressing Unlock at once queue on the write lock: the first takes the
    try and starts the next wait, so the others are told to wait instead of being checked.
    A right passcode then clears the count with ``record_unlock(db, partner_id, True)``.
    """
    with write_transaction(db):
        state, failed, wait = _unlock_wait(db, partner_id, now)
        if wait:
            return Reservation(state.passcode_hash, failed, wait)
        db.execute(
            "UPDATE partners SET failed_unlocks = ?, last_failed_unlock = ? WHERE id = ?",
            [failed + 1, now.isoformat(), partner_id],
        )
    return Reservation(state.passcode_hash, failed + 1, timedelta(0))


def load_credentials(db: Database) -> dict[int, dict[str, object]]:
    """Each partner's credential columns, keyed by their id."""
    columns = ", ".join(CREDENTIAL_COLUMNS)
    return {
        row[0]: dict(zip(CREDENTIAL_COLUMNS, row[1:], strict=True))
        for row in db.execute(f"SELECT id, {columns} FROM partners")
    }


def keep_credentials(db: Database, saved: dict[int, dict[str, object]]) -> None:
    """Put saved credentials back on the partners with the same id, whatever their name now.

    Credentials belong to the partner id on this computer: a restore never moves a passcode
    or key to another id, and a rename (here or in the restored data) changes nothing. A
    partner id nobody here has keeps what the restored data gave them, but never a wait: an
    unlock count is about this computer's recent tries, not about the data.
    """
    for (partner_id,) in db.execute("SELECT id FROM partners").fetchall():
        values = saved.get(partner_id) or {"failed_unlocks": 0, "last_failed_unlock": None}
        assignments = ", ".join(f"{column} = ?" for column in values)
        db.execute(
            f"UPDATE partners SET {assignments} WHERE id = ?", [*values.values(), partner_id]
        )
