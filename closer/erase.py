"""Deleting for good: one week's check-ins, or everything, overwritten in the file too."""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from closer import store
from closer.tables import describe, parents_first


def delete_week(db: Database, week: date, partner_id: int | None = None) -> int:
    """Delete one partner's or both check-ins of a week, with all they hold; returns how many.

    Scores, reflections and saved versions go with their check-in (ON DELETE CASCADE).
    """
    with store.secure_erase(db):
        return store.delete_checkins(db, week, partner_id)


def delete_everything(db: Database) -> None:
    """Delete every row of the couple's data, keeping the tables and the migration records."""
    with store.secure_erase(db), store.write_transaction(db):
        for name in reversed(parents_first(describe(db))):
            store.delete_rows(db, name)
