"""Drafts: what a partner has typed into a check-in so far, kept until it is saved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from closer.checkin import Answers
from closer.store.checkins import readable_revision
from closer.store.db import _now, write_transaction
from closer.store.sealing import _keyring, _open_revision, _sealing_key, _stored_form


@dataclass(frozen=True)
class Draft:
    """An unsaved check-in: the answers so far, and the revision it started from (0: none)."""

    answers: Answers
    base_revision: int
    saved_at: str


def save_draft(
    db: Database, partner_id: int, week: date, answers: Answers, base_revision: int
) -> None:
    """Keep what a partner has typed so far for a week, sealed like their saved notes."""
    with write_transaction(db):
        stored = _stored_form(answers, _sealing_key(db, partner_id), partner_id, week)
        db.table("checkin_drafts").upsert(
            {
                "partner_id": partner_id,
                "week": week.isoformat(),
                "base_revision": base_revision,
                "saved_at": _now(),
                "answers": stored.revision_json,
            },
            pk=("partner_id", "week"),
        )


def load_draft(db: Database, partner_id: int, week: date) -> Draft | None:
    """A partner's unsaved check-in for a week, or None."""
    row = db.execute(
        "SELECT answers, base_revision, saved_at FROM checkin_drafts "
        "WHERE partner_id = ? AND week = ?",
        [partner_id, week.isoformat()],
    ).fetchone()
    if row is None or not readable_revision(row[2], row[0]) or not _is_count(row[1]):
        return None  # a draft Closer can't read is as good as none; Your data lists it
    return Draft(_open_revision(_keyring(db), partner_id, week, row[0]), row[1], row[2])


def _is_count(value: object) -> bool:
    return isinstance(value, int) and value >= 0


def discard_draft(db: Database, partner_id: int, week: date) -> None:
    """Forget a partner's unsaved check-in for a week."""
    db.execute(
        "DELETE FROM checkin_drafts WHERE partner_id = ? AND week = ?",
        [partner_id, week.isoformat()],
    )
