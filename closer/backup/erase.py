"""Deleting for good: one week's check-ins, or everything, overwritten in the file too."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlite_utils import Database

from closer import store
from closer.backup.consent import require_consent
from closer.store.tables import LOCAL_TABLES, describe, parents_first


def delete_week(db: Database, week: date, partner_id: int | None = None) -> int:
    """Delete one partner's or both check-ins of a week, with all they hold; returns how many.

    Scores, reflections and saved versions go with their check-in (ON DELETE CASCADE).
    """
    with store.secure_erase(db):
        return store.delete_checkins(db, week, partner_id)


def delete_everything(db: Database, *, consented: Collection[int]) -> None:
    """Delete every row of the couple's data, keeping the tables and the migration records.

    Every partner with a passcode must be among `consented` (else ConsentNeeded).
    """
    require_consent(db, [p.id for p in store.list_partners(db)], consented)
    with store.secure_erase(db), store.write_transaction(db):
        store.empty_tables(db, [*LOCAL_TABLES, *reversed(parents_first(describe(db)))])
