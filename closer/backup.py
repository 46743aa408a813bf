"""The couple's data in and out: backup files, export, import, summaries and deleting for good.

Everything here works over whatever tables the database has (found with sqlite-utils), so a
new table or column is backed up, restored, merged and deleted without changes here. Only the
CSV of scores, the Markdown summary and a few merge and validation rules name tables.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal

from sqlite_utils import Database
from sqlite_utils.create_table_parser import parse_checks
from sqlite_utils.db import Column, ForeignKey, quote_identifier

from closer import files, store, survey
from closer.checkin import Answers, Checkin
from closer.reveal import without_private
from closer.weeks import week_label

APP = "closer"
FORMAT = 1
MAX_BACKUP_BYTES = 50 * 1024 * 1024
KEEP_BACKUPS = 12
CSV_COLUMNS = ("week", "partner", "intimacy_type", "score", "more_of_this")

_MIGRATIONS_TABLE = "_sqlite_migrations"
_BACKUP_NAME = re.compile(r"closer-(\d{8}-\d{6})-([a-z0-9]+(?:-[a-z0-9]+)*)\.db")
_REASON = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_INT64 = range(-(2**63), 2**63)

# In a merge, an imported row that matches an existing one on a unique key is normally a
# conflict the existing row wins. A partner matched by name is instead the same person, whose
# imported check-ins join the existing partner's.
_SAME_THING = frozenset({"partners"})
# The saved versions of a check-in that lost to an existing one still join its history.
_HISTORY = ("checkin_revisions", "checkin_id")


class BackupError(ValueError):
    """A backup that cannot be used, with a message written for the person at the screen."""


@dataclass(frozen=True)
class BackupTable:
    """One table of a backup: its column names and its rows, each a tuple in column order."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def records(self) -> list[dict[str, Any]]:
        """The rows as dictionaries keyed by column name."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Backup:
    """A backup read from a file and checked against this version of Closer."""

    schema: tuple[str, ...]
    exported_at: datetime
    tables: Mapping[str, BackupTable]


@dataclass(frozen=True)
class BackupPreview:
    """What a backup holds, to show before restoring it."""

    partner_names: tuple[str, ...]
    checkins: int
    first_week: date | None
    last_week: date | None
    exported_at: datetime


@dataclass(frozen=True)
class BackupFile:
    """One automatic backup: a complete copy of the database at the time in its name."""

    path: Path
    created: datetime
    reason: str
    size: int


# Reading the schema


@dataclass(frozen=True)
class _TableInfo:
    """What backup, restore and merge need to know about one table."""

    name: str
    columns: dict[str, Column]
    id_column: str | None  # an INTEGER PRIMARY KEY: an id that a merge may renumber
    order_by: str
    foreign_keys: tuple[ForeignKey, ...]
    unique_keys: tuple[tuple[tuple[str, str], ...], ...]  # (column, collation) per unique index
    allowed: dict[str, tuple[Any, ...]]  # from CHECK (column IN (...))


def _user_tables(db: Database) -> list[str]:
    """The tables holding the couple's data: not SQLite's, the migrations' or full-text indexes."""
    names = db.table_names()
    virtual = [name for name in names if db[name].virtual_table_using]
    return sorted(
        name
        for name in names
        if name != _MIGRATIONS_TABLE
        and not name.startswith("sqlite_")
        and name not in virtual
        and not any(name.startswith(f"{v}_") for v in virtual)
    )


def _describe(db: Database) -> dict[str, _TableInfo]:
    """Columns, keys and constraints of every user table, read from the database itself."""
    schema = {}
    for name in _user_tables(db):
        table = db[name]
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
        schema[name] = _TableInfo(
            name=name,
            columns=columns,
            id_column=id_column,
            order_by=", ".join(quote_identifier(c.name) for c in pks) if pks else "rowid",
            foreign_keys=foreign_keys,
            unique_keys=tuple(keys),
            allowed=dict(_allowed_values(table.schema)),
        )
    return schema


@cache
def _allowed_values(create_sql: str) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    """The values each CHECK (column IN (...)) allows; parsed once per table definition."""
    try:
        checks = parse_checks(create_sql)
    except ValueError:  # a CHECK the parser cannot read: SQLite still enforces it on insert
        return ()
    return tuple((c.column, tuple(c.options)) for c in checks if c.column and c.options)


def _parents_first(schema: Mapping[str, _TableInfo]) -> list[str]:
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


def _app_migrations() -> list[str]:
    """This version's schema changes in order."""
    return store.migration_names()


# Export


# Passcodes are credentials, not the couple's data: a backup file that travels (a USB stick,
# a cloud folder) must not carry even their hashes, which a short PIN would not survive.
NOT_EXPORTED = {("partners", column) for column in store.CREDENTIAL_COLUMNS}


def export_backup(db: Database, now: datetime | None = None) -> dict[str, Any]:
    """Every row of every table of the couple's data, with the schema version it fits."""
    tables = {}
    for name, info in _describe(db).items():
        columns = [c for c in info.columns if (name, c) not in NOT_EXPORTED]
        select = ", ".join(quote_identifier(c) for c in columns)
        rows = db[name].rows_where(select=select, order_by=info.order_by)
        tables[name] = {"columns": columns, "rows": [list(row.values()) for row in rows]}
    return {
        "app": APP,
        "format": FORMAT,
        "schema": [m.name for m in store.migrations.applied(db)],
        "exported_at": (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds"),
        "tables": tables,
    }


def backup_json(db: Database, now: datetime | None = None) -> str:
    """The backup as JSON text, ready to save to a file."""
    return json.dumps(export_backup(db, now), ensure_ascii=False, allow_nan=False)


# Reading and checking a backup


def read_backup(raw: bytes | str, db: Database) -> Backup:
    """Parse a backup file and check it fits this database, before anything is written."""
    backup = _parse(raw)
    _validate(backup, _describe(db))
    return backup


def _damaged(problem: str) -> BackupError:
    return BackupError(f"The backup is damaged: {problem}.")


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def _parse(raw: bytes | str) -> Backup:
    """The backup's structure, checked without looking at any database."""
    size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
    if size > MAX_BACKUP_BYTES:
        raise BackupError(
            f"This file is too big to be a Closer backup ({math.ceil(size / 2**20)} MB; "
            f"backups are at most {MAX_BACKUP_BYTES // 2**20} MB)."
        )
    try:
        # utf-8-sig: some editors put a byte-order mark in front of a file they save.
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw.removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise BackupError("This file isn't a Closer backup: it isn't UTF-8 text.") from error
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise BackupError(
            f"This file isn't a Closer backup: it isn't valid JSON ({error.msg} at line "
            f"{error.lineno}, column {error.colno})."
        ) from error
    except (ValueError, RecursionError) as error:
        raise BackupError("This file isn't a Closer backup: it isn't valid JSON.") from error
    if not isinstance(data, dict) or data.get("app") != APP:
        raise BackupError("This file isn't a Closer backup.")
    for key in ("format", "schema", "exported_at", "tables"):
        if key not in data:
            raise _damaged(f"it has no '{key}'")
    version = data["format"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _damaged("its 'format' isn't a version number")
    if version > FORMAT:
        raise BackupError(
            "This backup was made by a newer version of Closer. Update Closer, then try again."
        )
    schema = data["schema"]
    if not isinstance(schema, list) or not all(isinstance(s, str) for s in schema):
        raise _damaged("its 'schema' isn't a list of names")
    try:
        exported_at = datetime.fromisoformat(data["exported_at"])
    except (TypeError, ValueError) as error:
        raise _damaged("its 'exported_at' isn't a date and time") from error
    if exported_at.tzinfo is None:
        exported_at = exported_at.replace(tzinfo=UTC)
    if not isinstance(data["tables"], dict):
        raise _damaged("its 'tables' isn't a set of named tables")
    tables = {name: _parse_table(name, body) for name, body in data["tables"].items()}
    return Backup(tuple(schema), exported_at, tables)


def _parse_table(name: str, body: Any) -> BackupTable:
    if not isinstance(body, dict) or "columns" not in body or "rows" not in body:
        raise _damaged(f"table '{name}' needs 'columns' and 'rows'")
    columns = body["columns"]
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        raise _damaged(f"table '{name}' has a 'columns' that isn't a list of names")
    if len(set(columns)) != len(columns):
        raise _damaged(f"table '{name}' names a column twice")
    if not isinstance(body["rows"], list):
        raise _damaged(f"table '{name}' has a 'rows' that isn't a list")
    rows = []
    for number, row in enumerate(body["rows"], 1):
        if not isinstance(row, list):
            raise _damaged(f"table '{name}' row {number} isn't a list of values")
        if len(row) != len(columns):
            raise _damaged(
                f"table '{name}' row {number} has {len(row)} values, expected {len(columns)}"
            )
        rows.append(tuple(row))
    return BackupTable(tuple(columns), tuple(rows))


def _is_week(value: Any) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        return date.fromisoformat(value).weekday() == 0
    except ValueError:
        return False


def _is_answers(value: Any) -> bool:
    try:
        Answers.from_json(value)
    except (ValueError, KeyError, TypeError, AttributeError):
        return False
    return True


# Rules the app relies on beyond SQLite's column types, each with how it reads to a person.
# The scores rule repeats a CHECK constraint, to name the row before anything is written.
_VALUE_RULES: dict[tuple[str, str], tuple[Callable[[Any], bool], str]] = {
    ("scores", "score"): (
        lambda v: isinstance(v, int) and survey.SCORE_MIN <= v <= survey.SCORE_MAX,
        f"a whole number from {survey.SCORE_MIN} to {survey.SCORE_MAX} or empty",
    ),
    ("checkins", "week"): (_is_week, "the date of a Monday, such as 2026-11-16"),
    ("checkin_revisions", "answers"): (_is_answers, "a check-in as Closer saves it"),
}

_TYPES: dict[str, tuple[tuple[type, ...], str]] = {
    "INTEGER": ((int,), "a whole number"),
    "TEXT": ((str,), "text"),
    "REAL": ((int, float), "a number"),
    "NUMERIC": ((int, float), "a number"),
    "BLOB": ((int, float, str), "a single value"),
}


def _affinity(declared: str) -> str:
    """SQLite's type affinity for a declared column type (section 3.1 of its datatype docs)."""
    declared = declared.upper()
    if "INT" in declared:
        return "INTEGER"
    if any(word in declared for word in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in declared or not declared:
        return "BLOB"
    if any(word in declared for word in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def _value_problem(info: _TableInfo, column: Column, value: Any) -> str | None:
    """Why this value cannot go in this column, or None when it can."""
    rule = _VALUE_RULES.get((info.name, column.name))
    if value is None:
        return "filled in" if column.notnull or column.is_pk else None
    types, wanted = _TYPES[_affinity(column.type)]
    allowed = info.allowed.get(column.name)
    if rule:
        wanted = rule[1]
    elif allowed:
        wanted = ", ".join(json.dumps(o) for o in allowed[:-1]) + f" or {json.dumps(allowed[-1])}"
    if isinstance(value, bool) or not isinstance(value, types):
        return wanted
    if isinstance(value, int) and value not in _INT64:
        return wanted
    if isinstance(value, str) and _SURROGATE.search(value):
        return "text without broken characters"
    if (allowed and value not in allowed) or (rule and not rule[0](value)):
        return wanted
    return None


def _validate(backup: Backup, schema: Mapping[str, _TableInfo]) -> None:
    """Check a parsed backup against this version's schema history and this database's tables."""
    known = _app_migrations()
    if any(name not in known for name in backup.schema):
        raise BackupError(
            "This backup was made by a newer version of Closer. Update Closer, then try again."
        )
    if list(backup.schema) != known[: len(backup.schema)]:
        raise _damaged("its list of schema changes doesn't match this version of Closer's")
    for name, table in backup.tables.items():
        info = schema.get(name)
        if info is None:
            raise _damaged(f"it has a table '{name}' that this version of Closer doesn't have")
        for column in table.columns:
            if column not in info.columns:
                raise _damaged(
                    f"table '{name}' has a column '{column}' that this version of Closer "
                    "doesn't have"
                )
        for column in info.columns.values():
            required = column.is_pk or (column.notnull and column.default_value is None)
            if required and column.name not in table.columns and table.rows:
                raise _damaged(f"table '{name}' has no column '{column.name}'")
        columns = [info.columns[c] for c in table.columns]
        for number, row in enumerate(table.rows, 1):
            for column, value in zip(columns, row, strict=True):
                problem = _value_problem(info, column, value)
                if problem:
                    raise _damaged(f"table '{name}' row {number}: {column.name} must be {problem}")
        _check_unique_keys(info, table)
    _check_references(backup, schema)
    partners = backup.tables.get("partners")
    if partners and len(partners.rows) > 2:
        raise BackupError(
            f"This backup has {len(partners.rows)} partners, and Closer is made for two."
        )


def _check_unique_keys(info: _TableInfo, table: BackupTable) -> None:
    pks = [c.name for c in info.columns.values() if c.is_pk]
    if not pks or not table.rows:
        return
    positions = [table.columns.index(c) for c in pks]
    seen: dict[tuple[Any, ...], int] = {}
    for number, row in enumerate(table.rows, 1):
        key = tuple(row[i] for i in positions)
        if key in seen:
            raise _damaged(
                f"table '{info.name}' row {number} repeats row {seen[key]} "
                f"(the same {' and '.join(pks)})"
            )
        seen[key] = number


def _check_references(backup: Backup, schema: Mapping[str, _TableInfo]) -> None:
    """Every foreign key in the backup points at a row that is in the backup too."""
    for name, table in backup.tables.items():
        for fk in schema[name].foreign_keys:
            if not set(fk.columns) <= set(table.columns):
                continue
            parent = backup.tables.get(fk.other_table)
            targets: set[tuple[Any, ...]] = set()
            if parent and set(fk.other_columns) <= set(parent.columns):
                positions = [parent.columns.index(c) for c in fk.other_columns]
                targets = {tuple(row[i] for i in positions) for row in parent.rows}
            positions = [table.columns.index(c) for c in fk.columns]
            for number, row in enumerate(table.rows, 1):
                value = tuple(row[i] for i in positions)
                if None not in value and value not in targets:
                    raise _damaged(
                        f"table '{name}' row {number} refers to a row of '{fk.other_table}' "
                        "that isn't in the backup"
                    )


def preview(backup: Backup) -> BackupPreview:
    """Who and what a backup holds, to show before the couple restores it."""
    partners = backup.tables.get("partners")
    names = tuple(r["name"] for r in partners.records()) if partners else ()
    checkins = backup.tables.get("checkins")
    weeks = sorted(date.fromisoformat(r["week"]) for r in checkins.records()) if checkins else []
    return BackupPreview(
        partner_names=names,
        checkins=len(weeks),
        first_week=weeks[0] if weeks else None,
        last_week=weeks[-1] if weeks else None,
        exported_at=backup.exported_at,
    )


# Restore


def restore_backup(
    db: Database, backup: Backup, mode: Literal["replace", "merge"]
) -> dict[str, int]:
    """Write a backup into the database, all or nothing; returns the rows added per table.

    replace: the database becomes exactly the backup (ids kept, tables it lacks emptied).
    merge: the backup's rows are added to what is there, and nothing there is changed, except
    that a check-in's history may gain versions:
    - partners are matched by name, ignoring case; a match is the same person, whose imported
      check-ins join the existing partner (who keeps their name and id). The result must still
      be at most two partners.
    - a check-in is matched by partner and week. The existing one wins: its answers, scores and
      reflections stay and the imported ones are left out. The imported check-in's saved versions
      join its history unless already there (same saved_at and same answers); the history is then
      renumbered in the order the versions were saved, with the current version kept last, so
      the current revision is still the newest and the next save continues after it.
    - any other row matching an existing row on its primary key or a unique key (a setting with
      the same key, say) is left out, existing wins, along with the imported rows that refer
      to it.
    - ids are renumbered where they would clash; references follow their rows.
    """
    if mode not in ("replace", "merge"):
        raise ValueError(f"mode must be 'replace' or 'merge', not {mode!r}")
    with store.write_transaction(db):
        schema = _describe(db)
        _validate(backup, schema)
        if mode == "replace":
            return _replace(db, backup, schema)
        return _merge(db, backup, schema)


def _refused(table: str, error: sqlite3.IntegrityError) -> BackupError:
    return BackupError(
        f"The backup can't be restored: table '{table}' has data this version of Closer "
        f"refuses ({error}). Nothing was changed."
    )


@contextmanager
def _refused_as_backup_error(table: str) -> Iterator[None]:
    """Turn a constraint the database enforces into a message naming the table."""
    try:
        yield
    except sqlite3.IntegrityError as error:
        raise _refused(table, error) from error


def _replace(db: Database, backup: Backup, schema: Mapping[str, _TableInfo]) -> dict[str, int]:
    order = _parents_first(schema)
    for name in reversed(order):
        db[name].delete_where()
    added = {}
    for name in order:
        table = backup.tables.get(name)
        added[name] = len(table.rows) if table else 0
        if table and table.rows:
            with _refused_as_backup_error(name):
                db[name].insert_all(table.records())
    return added


def _existing_row(db: Database, info: _TableInfo, record: dict[str, Any]) -> Any:
    """The id (or True, for tables without one) of an existing row a record clashes with."""
    for key in info.unique_keys:
        if not all(record.get(column) is not None for column, _ in key):
            continue  # NULLs never clash in SQLite's unique indexes
        where = " AND ".join(
            f"{quote_identifier(column)} = ? COLLATE {quote_identifier(collation)}"
            for column, collation in key
        )
        select = quote_identifier(info.id_column) if info.id_column else "1"
        for row in db[info.name].rows_where(
            where, [record[c] for c, _ in key], select=f"{select} AS found", limit=1
        ):
            return row["found"]
    return None


def _merge(db: Database, backup: Backup, schema: Mapping[str, _TableInfo]) -> dict[str, int]:
    new_ids: dict[str, dict[Any, Any]] = {}  # per table: id in the backup -> id here
    lost: dict[str, set[Any]] = {}  # per table: backup ids of rows an existing row beat
    history: dict[Any, list[dict[str, Any]]] = {}  # existing check-in id -> imported versions
    added = dict.fromkeys(schema, 0)
    for name in _parents_first(schema):
        info = schema[name]
        new_ids[name], lost[name] = {}, set()
        table = backup.tables.get(name)
        if table is None:
            continue
        for record in table.records():
            old_id = record.get(info.id_column) if info.id_column else None
            beaten = _remap(record, info, schema, new_ids, lost)
            if beaten is not None:
                column, winner = beaten
                if (name, column) == _HISTORY:
                    history.setdefault(winner, []).append(record)
                if old_id is not None:
                    lost[name].add(old_id)
                continue
            existing = _existing_row(db, info, record)
            if existing is None:
                if info.id_column:
                    del record[info.id_column]  # SQLite picks a free id
                new_id = _insert_unless_duplicate(db, name, record)
                if new_id is not None:
                    added[name] += 1
                    if old_id is not None:
                        new_ids[name][old_id] = new_id
                    continue
            if old_id is not None:
                if existing is not None:
                    new_ids[name][old_id] = existing
                if existing is None or name not in _SAME_THING:
                    lost[name].add(old_id)
    added[_HISTORY[0]] += _merge_history(db, history)
    partners = [p.name for p in store.list_partners(db)]
    if len(partners) > 2:
        raise BackupError(
            f"Merging would give this Closer {len(partners)} people ({', '.join(partners)}), "
            "and it is made for two. Partners are matched by name: rename one to match, or "
            "restore the backup in place of this data instead. Nothing was changed."
        )
    return added


def _insert_unless_duplicate(db: Database, table: str, record: dict[str, Any]) -> int | None:
    """Insert a row and return its rowid, or None when a unique key says it is already here."""
    try:
        return db[table].insert(record).last_rowid
    except sqlite3.IntegrityError as error:
        # Partial unique indexes (one plan item per week, say) are only checked here.
        if error.sqlite_errorname in ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"):
            return None
        raise _refused(table, error) from error


def _remap(
    record: dict[str, Any],
    info: _TableInfo,
    schema: Mapping[str, _TableInfo],
    new_ids: Mapping[str, Mapping[Any, Any]],
    lost: Mapping[str, set[Any]],
) -> tuple[str, Any] | None:
    """Point a record's references at this database's ids; says which lost parent it follows."""
    for fk in info.foreign_keys:
        parent = schema.get(fk.other_table)
        if fk.is_compound or parent is None or fk.other_column != parent.id_column:
            continue
        value = record.get(fk.column)
        if value is None:
            continue
        mapped = new_ids.get(fk.other_table, {}).get(value, value)
        if value in lost.get(fk.other_table, ()):
            return fk.column, mapped
        record[fk.column] = mapped
    return None


def _version(revision: Mapping[str, Any]) -> tuple[str, str]:
    """What makes two saved versions the same: when they were saved and what they said."""
    answers = json.dumps(json.loads(revision["answers"]), sort_keys=True, ensure_ascii=False)
    return revision["saved_at"], answers


def _merge_history(db: Database, history: Mapping[Any, list[dict[str, Any]]]) -> int:
    """Add imported versions to existing check-ins' histories (rule in restore_backup)."""
    table, column = _HISTORY
    added = 0
    for checkin_id, imported in history.items():
        current = db["checkins"].get(checkin_id)["revision"]
        existing = list(db[table].rows_where(f"{column} = ?", [checkin_id], order_by="revision"))
        seen = {_version(r) for r in existing}
        new = []
        for revision in imported:
            if _version(revision) not in seen:
                seen.add(_version(revision))
                new.append({k: v for k, v in revision.items() if k != "id"} | {column: checkin_id})
        if not new:
            continue
        older = sorted(
            [r for r in existing if r["revision"] != current] + new, key=lambda r: r["saved_at"]
        )
        ordered = older + [r for r in existing if r["revision"] == current]
        for number, revision in enumerate(ordered, 1):
            revision["revision"] = number
        db[table].delete_where(f"{column} = ?", [checkin_id])
        with _refused_as_backup_error(table):
            # Existing versions keep their ids; imported ones get new ones.
            db[table].insert_all([r for r in ordered if "id" in r])
            db[table].insert_all(new)
        db["checkins"].update(checkin_id, {"revision": len(ordered)})
        added += len(new)
    return added


# Exports for people


def _spreadsheet_safe(text: str) -> str:
    # A cell starting with one of these runs as a formula in Excel and friends.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def scores_csv(db: Database) -> str:
    """Every score in long form: by week, then partner in joining order, then survey order."""
    order = {key: i for i, key in enumerate(survey.dimension_keys())}
    frame = store.load_scores(db)
    rows = sorted(
        frame.itertuples(index=False),
        key=lambda r: (r.week, r.partner_id, order.get(r.dimension, len(order)), r.dimension),
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r.week.date().isoformat(),
                _spreadsheet_safe(r.partner),
                r.dimension,
                "" if math.isnan(r.score) else int(r.score),
                "yes" if r.wants_more else "no",
            ]
        )
    return out.getvalue()


_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|~$&])")
_MARKDOWN_LINE_START = re.compile(r"^([#+=-]|\d+(?=[.)]))")


def _visible(text: str) -> str:
    """Text without control characters other than line breaks (tabs become spaces)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(c for c in text if c == "\n" or unicodedata.category(c) != "Cc")


def _markdown_text(line: str) -> str:
    """One line of user text that Markdown shows as typed: no links, images, HTML or markup."""
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", line)
    # Headings, list items and rules start a line; a backslash makes them plain text. Digits
    # keep their place and their following "." or ")" is escaped instead.
    match = _MARKDOWN_LINE_START.match(escaped)
    if match and match.group(1).isdigit():
        return f"{match.group(1)}\\{escaped[match.end() :]}"
    return f"\\{escaped}" if match else escaped


def _markdown_name(text: str) -> str:
    return _markdown_text(" ".join(_visible(text).split()))


def _blockquote(text: str) -> str:
    """User text as a Markdown quote, line breaks kept, unable to escape the quote."""
    # Leading spaces would make a line a code block; reflections are prose, so they go.
    lines = [line.strip() for line in _visible(text).split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    out = []
    for i, line in enumerate(lines):
        if not line:
            out.append(">")
        elif i + 1 < len(lines) and lines[i + 1]:
            out.append(f"> {_markdown_text(line)}\\")  # a hard line break, as typed
        else:
            out.append(f"> {_markdown_text(line)}")
    return "\n".join(out)


def _long_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _score_cell(checkin: Checkin, key: str) -> str:
    if key not in checkin.answers.scores:
        return "–"
    score = checkin.answers.scores[key]
    cell = "skipped" if score is None else str(score)
    return f"{cell}, more of this" if key in checkin.answers.wants_more else cell


def _dimension_name(key: str) -> str:
    try:
        return survey.dimension(key).name
    except KeyError:
        return _markdown_name(key)


def summary_markdown(db: Database, start: date, end: date) -> str:
    """A Markdown summary of the weeks overlapping start..end: scores and shared reflections."""
    if end < start:
        raise ValueError("end must not be before start")
    partners = store.list_partners(db)
    names = {p.id: _markdown_name(p.name) for p in partners}
    # A week belongs to the period when any of its seven days does.
    weeks = sorted(w for w in store.checked_in_weeks(db) if start - timedelta(days=6) <= w <= end)
    lines = [
        f"# Closer summary: {' and '.join(names.values()) or 'no partners yet'}",
        "",
        f"From {_long_date(start)} to {_long_date(end)}: "
        f"{len(weeks)} week{'' if len(weeks) == 1 else 's'} with check-ins.",
        "",
        "Scores go from 1 to 10; “more of this” means its author would like more of it. Only "
        "what each of you chose to share is here: private reflections are left out.",
    ]
    labels = {p.key: p.label for p in survey.reflection_prompts()}
    prompt_order = {key: i for i, key in enumerate(labels)}
    dimension_order = {key: i for i, key in enumerate(survey.dimension_keys())}
    by_week = store.load_weeks(db, weeks)
    for week in weeks:
        lines += ["", f"## Week of {week_label(week)}", ""]
        checkins = sorted(by_week[week], key=lambda c: c.partner_id)
        if len(partners) > 1 and len(checkins) < len(partners):
            # The reveal rule: nobody sees a week's answers until both have checked in.
            who = " and ".join(names.get(c.partner_id, "?") for c in checkins)
            lines.append(f"Only {who} checked in this week, so its answers stay hidden.")
            continue
        shared = [without_private(c) for c in checkins]
        keys = sorted(
            {k for c in shared for k in c.answers.scores},
            key=lambda k: (dimension_order.get(k, len(dimension_order)), k),
        )
        lines.append("| Intimacy type | " + " | ".join(names[c.partner_id] for c in shared) + " |")
        lines.append("| --- " * (len(shared) + 1) + "|")
        for key in keys:
            cells = [_dimension_name(key)] + [_score_cell(c, key) for c in shared]
            lines.append("| " + " | ".join(cells) + " |")
        for checkin in shared:
            name = names[checkin.partner_id]
            lines += ["", f"### {name}’s reflections"]
            reflections = sorted(
                checkin.answers.reflections.items(),
                key=lambda item: (prompt_order.get(item[0], len(prompt_order)), item[0]),
            )
            if not reflections:
                lines += ["", f"{name} shared no reflections this week."]
            for key, reflection in reflections:
                label = labels.get(key) or _markdown_name(key)
                lines += ["", f"**{label}**", "", _blockquote(reflection.text)]
    return "\n".join(lines) + "\n"


# Backup files


def default_backups_dir(db_path: Path) -> Path:
    """Where automatic backups of a database go: a 'backups' folder next to it."""
    return db_path.parent / "backups"


def _copy_database(source: Path, target: Path, *, standalone: bool = False) -> None:
    """Copy a whole database with SQLite's online backup API, safe while others use it."""
    src = sqlite3.connect(source, timeout=store.BUSY_TIMEOUT_SECONDS)
    try:
        dst = sqlite3.connect(target, timeout=store.BUSY_TIMEOUT_SECONDS)
        try:
            src.backup(dst)
            if standalone:
                # One self-contained file: no -wal or -shm beside it once closed.
                dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()


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
        _copy_database(db_path, partial, standalone=True)
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
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise store.StoreError(
                    f"The backup {path} is damaged, so it was not restored. Your data is "
                    "unchanged: choose an older backup."
                )
            applied = [m.name for m in store.migrations.applied(Database(conn))]
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise not_closer from error
    known = _app_migrations()
    if not applied:
        raise not_closer
    if any(name not in known for name in applied):
        raise store.StoreError(
            f"The backup {path} was made by a newer version of Closer. Update Closer to "
            "restore it. Your data is unchanged."
        )
    if applied != known[: len(applied)]:
        raise not_closer


def restore_backup_file(
    backup_path: Path, db_path: Path, backups_dir: Path | None = None
) -> Path | None:
    """Put a backup file's content into the live database; returns the safety backup made first.

    The current database is first backed up (reason "before-restore") into backups_dir, by
    default the folder beside it. Other connections may stay open: they see the restored data.
    """
    _check_backup_file(backup_path)
    safety = None
    if db_path.exists():
        target = backups_dir or default_backups_dir(db_path)
        safety = backup_file(db_path, target, "before-restore")
    try:
        _copy_database(backup_path, db_path)
    except sqlite3.Error as error:
        raise store.StoreError(
            f"Closer could not restore {backup_path} into {db_path}: {error}. "
            + (f"Your data before the restore is in {safety}." if safety else "")
        ) from error
    # An older backup comes back with an older schema: bring it up to this version.
    store.initialise(db_path)
    return safety


# Deleting


@contextmanager
def _erasing(db: Database) -> Iterator[None]:
    """Overwrite deleted content on disk too, so it cannot be read back from the file."""
    previous = db.execute("PRAGMA secure_delete").fetchone()[0]
    db.execute("PRAGMA secure_delete = ON")
    try:
        yield
    finally:
        db.execute(f"PRAGMA secure_delete = {int(previous)}")
    # Until a checkpoint the old pages also live on in the write-ahead log.
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def delete_week(db: Database, week: date, partner_id: int | None = None) -> int:
    """Delete one partner's or both check-ins of a week, with all they hold; returns how many.

    Scores, reflections and saved versions go with their check-in (ON DELETE CASCADE).
    """
    if not db.execute("PRAGMA foreign_keys").fetchone()[0]:
        # Without them the check-in would go and its reflections stay behind, unreachable.
        raise ValueError("foreign keys are off: open the database with store.open_db")
    where, params = "week = ?", [week.isoformat()]
    if partner_id is not None:
        where, params = f"{where} AND partner_id = ?", [*params, partner_id]
    with _erasing(db), store.write_transaction(db):
        count = db["checkins"].count_where(where, params)
        db["checkins"].delete_where(where, params)
    return count


def delete_everything(db: Database) -> None:
    """Delete every row of the couple's data, keeping the tables and the migration records."""
    with _erasing(db), store.write_transaction(db):
        for name in reversed(_parents_first(_describe(db))):
            db[name].delete_where()
