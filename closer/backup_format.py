"""The JSON backup file: writing it, reading it, and checking it fits this version of Closer."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlite_utils import Database
from sqlite_utils.db import Column

from closer import store, survey
from closer.checkin import Answers
from closer.tables import TableInfo, describe

APP = "closer"
FORMAT = 1
MAX_BACKUP_BYTES = 50 * 1024 * 1024

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_INT64 = range(-(2**63), 2**63)


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


# Passcodes are credentials, not the couple's data: a backup file that travels (a USB stick,
# a cloud folder) must not carry even their hashes, which a short PIN would not survive.
NOT_EXPORTED = {("partners", column) for column in store.CREDENTIAL_COLUMNS}


def export_backup(db: Database, now: datetime | None = None) -> dict[str, Any]:
    """Every row of every table of the couple's data, with the schema version it fits."""
    tables = {}
    for name, info in describe(db).items():
        columns = [c for c in info.columns if (name, c) not in NOT_EXPORTED]
        rows = store.table_rows(db, name, columns, order_by=info.order_by)
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
    validate(backup, describe(db))
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


def _value_problem(info: TableInfo, column: Column, value: Any) -> str | None:
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


def validate(backup: Backup, schema: Mapping[str, TableInfo]) -> None:
    """Check a parsed backup against this version's schema history and this database's tables."""
    known = store.migration_names()
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


def _check_unique_keys(info: TableInfo, table: BackupTable) -> None:
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


def _check_references(backup: Backup, schema: Mapping[str, TableInfo]) -> None:
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
