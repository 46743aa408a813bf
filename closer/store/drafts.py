"""Drafts: what a partner has typed into a check-in so far, kept until it is saved."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from sqlite_utils import Database

from closer.checkin import Answers
from closer.plan_items import FollowupAnswer, followups_from_data, followups_to_data
from closer.store.checkins import readable_revision
from closer.store.db import _now, write_transaction
from closer.store.sealing import _keyring, _open_revision, _sealing_key, _stored_form


@dataclass(frozen=True)
class Draft:
    """An unsaved check-in: the answers so far, and the revision it started from (0: none).

    ``followups`` are the answers about last week's plan so far, by plan item id.
    """

    answers: Answers
    base_revision: int
    saved_at: str
    followups: dict[int, FollowupAnswer] = field(default_factory=dict)


def save_draft(
    db: Database,
    partner_id: int,
    week: date,
    answers: Answers,
    base_revision: int,
    followups: dict[int, FollowupAnswer] | None = None,
) -> None:
    """Keep what a partner has typed so far for a week, sealed like their saved notes.

    The answers about last week's plan go in the same JSON: they are not private (the
    reveal shows them), so nothing in them is sealed.
    """
    with write_transaction(db):
        stored = _stored_form(answers, _sealing_key(db, partner_id), partner_id, week)
        kept = stored.revision_json
        if followups:
            data = json.loads(kept) | {"followups": followups_to_data(followups)}
            kept = json.dumps(data, ensure_ascii=False, sort_keys=True)
        db.table("checkin_drafts").upsert(
            {
                "partner_id": partner_id,
                "week": week.isoformat(),
                "base_revision": base_revision,
                "saved_at": _now(),
                "answers": kept,
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
    answers = _open_revision(_keyring(db), partner_id, week, row[0])
    # Checked already (readable_revision): a draft with answers Closer can't read is none.
    followups = followups_from_data(json.loads(row[0]).get("followups", {}))
    return Draft(answers, row[1], row[2], followups)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and value >= 0


def discard_draft(db: Database, partner_id: int, week: date) -> None:
    """Forget a partner's unsaved check-in for a week."""
    db.execute(
        "DELETE FROM checkin_drafts WHERE partner_id = ? AND week = ?",
        [partner_id, week.isoformat()],
    )
