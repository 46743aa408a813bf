"""The couple's tables as the database itself describes them: columns, keys, references.

Backup, restore, merge and erasing all work over whatever tables the database has, so a new
table or column is handled without changes there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlite_utils import Database
from sqlite_utils.db import Column, ForeignKey, quote_identifier

_MIGRATIONS_TABLE = "_sqlite_migrations"
# Tables that belong to this computer, not to the couple's data: notification addresses hold
# tokens (like passcodes, never in a backup file) and the notice log is about what this
# computer sent. Backups, restores and merges leave them out; erase.py deletes them itself.
LOCAL_TABLES = frozenset({"notify_addresses", "notice_log"})


@dataclass(frozen=True)
class TableInfo:
    """What backup, restore and merge need to know about one table."""

    name: str
    columns: dict[str, Column]
    id_column: str | None  # an INTEGER PRIMARY KEY: an id that a merge may renumber
    order_by: str
    foreign_keys: tuple[ForeignKey, ...]
    unique_keys: tuple[tuple[tuple[str, str], ...], ...]  # (column, collation) per unique index


def user_tables(db: Database) -> list[str]:
    """The tables holding the couple's data: not SQLite's, the migrations' or full-text indexes."""
    names = db.table_names()
    virtual = [name for name in names if db.table(name).virtual_table_using]
    return sorted(
        name
        for name in names
        if name != _MIGRATIONS_TABLE
        and name not in LOCAL_TABLES
        and not name.startswith("sqlite_")
        and name not in virtual
        and not any(name.startswith(f"{v}_") for v in virtual)
    )


def describe(db: Database) -> dict[str, TableInfo]:
    """Columns, keys and constraints of every user table, read from the database itself."""
    schema = {}
    for name in user_tables(db):
        table = db.table(name)
        columns = {c.name: c for c in table.columns}
        pks = sorted((c for c in columns.values() if c.is_pk), key=lambda c: c.is_pk)
        foreign_keys = tuple(table.foreign_keys)
        # An INTEGER PRIMARY KEY is an id SQLite hands out, unless it is a reference itself
        # (a check-in's CSI-4 answers are keyed by the check-in's id).
        id_column = (
            pks[0].name
            if len(pks) == 1
            and pks[0].type.upper() == "INTEGER"
            and not any(pks[0].name in fk.columns for fk in foreign_keys)
            else None
        )
        unique = {i.name for i in table.indexes if i.unique and not i.partial}
        keys = []
        for index in table.xindexes:
            key = [c for c in index.columns if c.key]
            # An index on an expression cannot be looked up generically; the insert's own
            # UNIQUE check still guards it.
            if index.name in unique and all(c.cid >= 0 for c in key):
                keys.append(tuple((c.name, c.coll) for c in key))
        schema[name] = TableInfo(
            name=name,
            columns=columns,
            id_column=id_column,
            order_by=", ".join(quote_identifier(c.name) for c in pks) if pks else "rowid",
            foreign_keys=foreign_keys,
            unique_keys=tuple(keys),
        )
    return schema


def parents_first(schema: Mapping[str, TableInfo]) -> list[str]:
    """Table names ordered so every table comes after the tables its foreign keys point to."""
    ordered: list[str] = []
    remaining = sorted(schema)
    while remaining:
        ready = [
            name
            for name in remaining
            if all(
                fk.other_table in ordered or fk.other_table == name or fk.other_table not in schema
                for fk in schema[name].foreign_keys
            )
        ]
        # A cycle cannot be ordered: take the rest as they are and let SQLite's checks decide.
        ready = ready or remaining
        ordered += ready
        remaining = [name for name in remaining if name not in ready]
    return ordered
