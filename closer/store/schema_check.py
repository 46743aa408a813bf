"""Whether a file's schema is exactly what Closer's own migrations make, read without running it."""

from __future__ import annotations

import sqlite3
from functools import cache
from pathlib import Path

from sqlite_utils import Database

from closer.store.schema import migration_names, migrations

# One entry of sqlite_master: what the schema of a file is made of.
_SchemaEntry = tuple[str, str, str, str | None]


def _schema_of(conn: sqlite3.Connection) -> set[_SchemaEntry]:
    return set(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))


@cache
def expected_schema(applied: tuple[str, ...]) -> frozenset[_SchemaEntry]:
    """The sqlite_master a fresh database has after exactly these of Closer's migrations."""
    known = migration_names()
    conn = sqlite3.connect(":memory:")
    try:
        stop = known[len(applied)] if len(applied) < len(known) else None
        migrations.apply(Database(conn), stop_before=stop)
        return frozenset(_schema_of(conn))
    finally:
        conn.close()


_ARTICLE = {"index": "an index", "table": "a table", "trigger": "a trigger", "view": "a view"}


def schema_problem(path: Path) -> str | None:
    """What in a file's schema Closer's own migrations never make, in words; None if nothing.

    The file's sqlite_master (type, name, table and SQL of every entry) must equal what a fresh
    database gets from the same migrations: a trigger, view, extra table or index, or a table
    defined differently could change what Closer stores (a trigger that marks every private
    note shared) once the file is in use.
    """
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        # Nothing in the file runs while it is being read: no trigger, view or function of it.
        conn.execute("PRAGMA trusted_schema = OFF")
        found = _schema_of(conn)
        applied = tuple(m.name for m in migrations.applied(Database(conn)))
    finally:
        conn.close()
    if list(applied) != migration_names()[: len(applied)]:
        return "a history of schema changes that isn't Closer's"
    expected = expected_schema(applied)
    names = {(kind, name) for kind, name, _, _ in expected}
    for kind, name, _, _ in sorted(found - expected, key=_odd_first):
        article = _ARTICLE.get(kind, f"an entry of kind '{kind}'")
        if (kind, name) in names:
            return f"{article} '{name}' that isn't as Closer makes it"
        return f"{article} '{name}'"
    missing = sorted(expected - found)
    if missing:
        kind, name, _, _ = missing[0]
        return f"no {kind} '{name}', which Closer always makes"
    return None


def _odd_first(entry: _SchemaEntry) -> tuple[int, str]:
    # Whatever can act on its own (a trigger) is named first, then what was added or changed.
    order = ("trigger", "view", "table", "index")
    return (order.index(entry[0]) if entry[0] in order else len(order), entry[1])
