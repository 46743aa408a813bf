"""Notification addresses and the notice log: kept on this computer, never in a backup file."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlite_utils import Database

from closer.store.db import StoreError, _now, write_transaction

MAX_ADDRESS_LENGTH = 2000
MAX_ADDRESSES = 5  # per partner: a phone, a watch, an e-mail... more is a mistake


@dataclass(frozen=True)
class Address:
    """One notification address of a partner (an Apprise URL, which may hold a token)."""

    id: int
    partner_id: int
    url: str


@dataclass(frozen=True)
class LoggedNotice:
    """A notice as the log holds it: what, for whom, when claimed, and how it went."""

    key: str
    event: str
    week: str
    partner_id: int
    claimed_at: str
    outcome: str | None  # None while it is being sent; 'sent', or what went wrong


SENT = "sent"


def load_addresses(db: Database, partner_id: int) -> list[Address]:
    """A partner's notification addresses, oldest first (show them to that partner only)."""
    return [
        Address(row[0], row[1], row[2])
        for row in db.execute(
            "SELECT id, partner_id, url FROM notify_addresses WHERE partner_id = ? ORDER BY id",
            [partner_id],
        )
        if isinstance(row[2], str)
    ]


def addresses_by_partner(db: Database) -> dict[int, list[str]]:
    """Every partner's addresses, for sending; partners without any are left out."""
    found: dict[int, list[str]] = {}
    for partner_id, url in db.execute(
        "SELECT partner_id, url FROM notify_addresses ORDER BY id"
    ).fetchall():
        if isinstance(url, str) and url:
            found.setdefault(partner_id, []).append(url)
    return found


def add_address(db: Database, partner_id: int, url: str) -> None:
    """Add a notification address for a partner (checked by closer.notify before it gets here)."""
    url = url.strip()
    if not url or len(url) > MAX_ADDRESS_LENGTH:
        raise StoreError(f"An address must be 1 to {MAX_ADDRESS_LENGTH} characters long.")
    with write_transaction(db):
        count = db.execute(
            "SELECT COUNT(*) FROM notify_addresses WHERE partner_id = ?", [partner_id]
        ).fetchone()[0]
        if count >= MAX_ADDRESSES:
            raise StoreError(f"You can have up to {MAX_ADDRESSES} addresses: remove one first.")
        try:
            db.execute(
                "INSERT INTO notify_addresses (partner_id, url, created_at) VALUES (?, ?, ?)",
                [partner_id, url, _now()],
            )
        except sqlite3.IntegrityError as error:
            raise StoreError("You have added this address already.") from error


def remove_address(db: Database, partner_id: int, address_id: int) -> None:
    """Remove one of a partner's own addresses (another partner's id matches nothing)."""
    with write_transaction(db):
        db.execute(
            "DELETE FROM notify_addresses WHERE id = ? AND partner_id = ?",
            [address_id, partner_id],
        )


def claim_notice(db: Database, key: str, event: str, week: date, partner_id: int) -> bool:
    """Write a notice into the log before it is sent; False when it was claimed already."""
    with write_transaction(db):
        cursor = db.conn.execute(
            "INSERT OR IGNORE INTO notice_log (key, event, week, partner_id, claimed_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [key, event, week.isoformat(), partner_id, _now()],
        )
        return cursor.rowcount == 1


def record_outcome(db: Database, key: str, outcome: str) -> None:
    """How sending a claimed notice went: SENT, or what went wrong in words."""
    with write_transaction(db):
        db.execute("UPDATE notice_log SET outcome = ? WHERE key = ?", [outcome, key])


def load_notice_log(db: Database, partner_id: int | None = None) -> list[LoggedNotice]:
    """The notice log, oldest first, for one partner or for both."""
    where, params = ("WHERE partner_id = ?", [partner_id]) if partner_id is not None else ("", [])
    return [
        LoggedNotice(*row)
        for row in db.execute(
            "SELECT key, event, week, partner_id, claimed_at, outcome FROM notice_log "
            f"{where} ORDER BY claimed_at, rowid",
            params,
        )
    ]


def last_notice(db: Database, partner_id: int) -> LoggedNotice | None:
    """The most recent notice to a partner that has an outcome (None: none yet)."""
    row = db.execute(
        "SELECT key, event, week, partner_id, claimed_at, outcome FROM notice_log "
        "WHERE partner_id = ? AND outcome IS NOT NULL ORDER BY claimed_at DESC, rowid DESC "
        "LIMIT 1",
        [partner_id],
    ).fetchone()
    return LoggedNotice(*row) if row else None


LocalNotifications = tuple[dict[int, str], list[tuple], list[tuple]]


def load_local_notifications(db: Database) -> LocalNotifications:
    """Names, addresses and log rows, to keep them through a restore (they are not in backups)."""
    names = {row[0]: row[1] for row in db.execute("SELECT id, name FROM partners")}
    addresses = db.execute(
        "SELECT partner_id, url, created_at FROM notify_addresses ORDER BY id"
    ).fetchall()
    log = db.execute(
        "SELECT key, event, week, partner_id, claimed_at, outcome FROM notice_log ORDER BY rowid"
    ).fetchall()
    return names, addresses, log


def keep_local_notifications(db: Database, saved: LocalNotifications) -> None:
    """Put saved addresses and log rows back on the partners with the same id."""
    names, addresses, log = saved
    # Identity is the id, never the name: a rename since the backup changes nothing (a
    # restore that would swap the two people is refused before this, see consent).
    here = {row[0] for row in db.execute("SELECT id FROM partners")}
    same = set(names) & here
    db.execute("DELETE FROM notify_addresses")
    db.execute("DELETE FROM notice_log")
    for partner_id, url, created_at in addresses:
        if partner_id in same:
            db.execute(
                "INSERT INTO notify_addresses (partner_id, url, created_at) VALUES (?, ?, ?)",
                [partner_id, url, created_at],
            )
    for row in log:
        if row[3] in same:
            db.execute(
                "INSERT INTO notice_log (key, event, week, partner_id, claimed_at, outcome) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                list(row),
            )


def forget_addresses_in_copy(path: Path) -> None:
    """Delete every notification address from a copy of the database (an automatic backup)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA secure_delete = ON")
        with conn:
            conn.execute("DELETE FROM notify_addresses")
        conn.execute("VACUUM")
    except sqlite3.OperationalError as error:
        if "no such table" not in str(error):
            raise
    finally:
        conn.close()
