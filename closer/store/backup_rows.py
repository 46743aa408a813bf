"""What backup, restore and erase do to whole tables, and a check-in's history renumbered.

These work over any table the database has (closer.store.tables describes them), so a table
a later version adds is backed up, restored and erased without changes here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from sqlite_utils import Database
from sqlite_utils.db import quote_identifier


def rows_to_back_up(
    db: Database, table: str, columns: list[str], order_by: str | None = None
) -> Iterator[dict]:
    """Every row of a table as dictionaries, in the given columns and order."""
    select = ", ".join(quote_identifier(c) for c in columns)
    return db[table].rows_where(select=select, order_by=order_by)


def empty_tables(db: Database, tables: Iterable[str]) -> None:
    """Delete every row of these tables, in the order given (a child table before its parent)."""
    for name in tables:
        db.table(name).delete_where()


def add_restored_rows(db: Database, table: str, records: Iterable[dict[str, Any]]) -> None:
    """Write a backup's rows into a table as they are, their ids included."""
    db.table(table).insert_all(records)


def add_row_unless_present(db: Database, table: str, record: dict[str, Any]) -> int | None:
    """Add one merged row and return its rowid, or None when a unique key says it is here.

    Any other constraint the row breaks raises sqlite3.IntegrityError.
    """
    try:
        rowid = db.table(table).insert(record).last_rowid
    except sqlite3.IntegrityError as error:
        # Partial unique indexes (one plan item per week, say) are only checked here.
        if error.sqlite_errorname in ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"):
            return None
        raise
    assert rowid is not None  # sqlite3 sets it after every INSERT
    return rowid


def find_clashing_row(
    db: Database,
    table: str,
    key: tuple[tuple[str, str], ...],
    values: list,
    id_column: str | None,
) -> object | None:
    """The id (True for a table without one) of the row matching a unique key, given as
    (column, collation) pairs; None when no row matches."""
    where = " AND ".join(
        f"{quote_identifier(column)} = ? COLLATE {quote_identifier(collation)}"
        for column, collation in key
    )
    select = quote_identifier(id_column) if id_column else "1"
    for row in db[table].rows_where(where, values, select=f"{select} AS found", limit=1):
        return row["found"] if id_column else True
    return None


def revision_rows(db: Database, checkin_id: int) -> list[dict]:
    """A check-in's saved versions as rows, oldest revision first."""
    return list(
        db["checkin_revisions"].rows_where("checkin_id = ?", [checkin_id], order_by="revision")
    )


def delete_revision_rows(db: Database, checkin_id: int) -> None:
    """Delete a check-in's saved versions (a merge writes them back renumbered)."""
    db.execute("DELETE FROM checkin_revisions WHERE checkin_id = ?", [checkin_id])


def set_checkin_revision(db: Database, checkin_id: int, revision: int) -> None:
    """Point a check-in at its current revision number (after a merge renumbers its history)."""
    db.execute("UPDATE checkins SET revision = ? WHERE id = ?", [revision, checkin_id])


def checkin_revision(db: Database, checkin_id: int) -> int:
    """The current revision number of a check-in."""
    return db.execute("SELECT revision FROM checkins WHERE id = ?", [checkin_id]).fetchone()[0]


def checkin_owner(db: Database, checkin_id: int) -> int:
    """The partner a check-in belongs to."""
    return db.execute("SELECT partner_id FROM checkins WHERE id = ?", [checkin_id]).fetchone()[0]
