"""The JSON backup file: writing it, reading it, and checking it fits this version of Closer."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from sqlite_utils import Database

from closer import store
from closer.backup.row_rules import RuleBroken, check_rules
from closer.checkin import stored_answers_problem
from closer.store.tables import TableInfo, describe
from closer.words import cut

APP = "closer"
FORMAT = 1
MAX_BACKUP_BYTES = 50 * 1024 * 1024
EXPORTED_YEARS = (2000, 2200)  # no Closer backup was made before 2000; 2200: as weeks

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "data" / "backup.schema.json"

_SURROGATE = re.compile(r"[\ud800-\udfff]")


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
        rows = store.rows_to_back_up(db, name, columns, order_by=info.order_by)
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


@cache
def file_schema() -> dict[str, Any]:
    """The published JSON Schema of a backup file (data/backup.schema.json)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(file_schema())


@cache
def _column_validators(table: str) -> dict[str, Draft202012Validator]:
    """One validator per column of a table's row definition; empty for a table the schema lacks."""
    row = file_schema()["$defs"].get(f"{table}_row", {"properties": {}})
    return {column: Draft202012Validator(rule) for column, rule in row["properties"].items()}


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
    if isinstance(data.get("tables"), dict):
        partners = data["tables"].get("partners")
        if isinstance(partners, dict) and isinstance(partners.get("columns"), list):
            _refuse_credentials([c for c in partners["columns"] if isinstance(c, str)])
    problem = next(iter(sorted(_validator().iter_errors(data), key=_document_order)), None)
    if problem is not None:
        raise _shape_problem(data, problem)
    if data["format"] > FORMAT:
        raise BackupError(
            "This backup was made by a newer version of Closer. Update Closer, then try again."
        )
    try:
        exported_at = datetime.fromisoformat(data["exported_at"])
    except ValueError as error:
        raise _damaged("its 'exported_at' isn't a date and time") from error
    # Weeks are checked up to ten years after it, and it is shown in local time: a year near
    # either end of what a datetime holds would overflow there.
    if not EXPORTED_YEARS[0] <= exported_at.year <= EXPORTED_YEARS[1]:
        raise _damaged(
            "its 'exported_at' isn't a date and time Closer can use "
            f"(from {EXPORTED_YEARS[0]} to {EXPORTED_YEARS[1]})"
        )
    if exported_at.tzinfo is None:
        exported_at = exported_at.replace(tzinfo=UTC)
    tables = {}
    for name, body in data["tables"].items():
        columns = body["columns"]
        for number, row in enumerate(body["rows"], 1):
            if len(row) != len(columns):
                raise _damaged(
                    f"table '{cut(name)}' row {number} has {len(row)} values, "
                    f"expected {len(columns)}"
                )
        tables[name] = BackupTable(tuple(columns), tuple(tuple(row) for row in body["rows"]))
    if SEALED_MARK_MIGRATION not in data["schema"]:
        tables = _mark_legacy_sealed(tables)
    return Backup(tuple(data["schema"]), exported_at, tables)


# From this schema change on, a sealed note is marked by a column (and a JSON field) of its
# own; a file made earlier says so only by the old text prefix, read here once on the way in.
SEALED_MARK_MIGRATION = "m009_sealed_notes_marked"


def _mark_legacy_sealed(tables: dict[str, BackupTable]) -> dict[str, BackupTable]:
    """A file from before sealed notes were marked, with its sealed notes marked."""
    marked = dict(tables)
    notes = tables.get("reflections")
    if notes is not None and "sealed" not in notes.columns:
        rows = []
        for row in notes.records():
            body, shared = row.get("body"), row.get("shared")
            legacy = isinstance(body, str) and body.startswith(store.LEGACY_SEALED_PREFIX)
            rows.append((*(row[c] for c in notes.columns), int(legacy and shared == 0)))
        marked["reflections"] = BackupTable((*notes.columns, "sealed"), tuple(rows))
    for name in ("checkin_revisions", "checkin_drafts"):
        table = tables.get(name)
        if table is None or "answers" not in table.columns:
            continue
        at = table.columns.index("answers")
        marked[name] = BackupTable(
            table.columns,
            tuple(
                (*row[:at], store.marked_answers(row[at]), *row[at + 1 :])
                if isinstance(row[at], str)
                else row
                for row in table.rows
            ),
        )
    return marked


def _document_order(error: ValidationError) -> tuple[str, ...]:
    # The problem nearest the top of the file is the one to name, whatever order they came in.
    return tuple(f"{p:09d}" if isinstance(p, int) else str(p) for p in error.absolute_path)


def _shape_problem(data: Any, error: ValidationError) -> BackupError:
    """How a file that does not fit the backup schema reads to a person."""
    path = list(error.absolute_path)
    if not path:  # a required key is missing
        missing = next(k for k in error.validator_value if k not in data)
        return _damaged(f"it has no '{missing}'")
    # Names in the file are quoted cut: a refusal is one short sentence, whatever it holds.
    path = [p if isinstance(p, int) else cut(p) for p in path]
    key = path[0]
    if key != "tables":
        wanted = {
            "format": "isn't a version number",
            "schema": "isn't a list of names",
            "exported_at": "isn't a date and time",
        }
        return _damaged(f"its '{key}' {wanted[key]}")
    if len(path) == 1:
        return _damaged("its 'tables' isn't a set of named tables")
    name = path[1]
    if len(path) == 2:
        return _damaged(f"table '{name}' needs 'columns' and 'rows'")
    if path[2] == "columns":
        if error.validator == "enum":
            return _damaged(
                f"table '{name}' has a column '{cut(error.instance)}' that this version of Closer "
                "doesn't have"
            )
        if error.validator == "uniqueItems":
            return _damaged(f"table '{name}' names a column twice")
        return _damaged(f"table '{name}' has a 'columns' that isn't a list of names")
    if error.validator == "maxItems":
        return BackupError(
            f"This backup has {len(error.instance)} partners, and Closer is made for two."
        )
    if len(path) == 3:
        return _damaged(f"table '{name}' has a 'rows' that isn't a list")
    return _damaged(f"table '{name}' row {path[3] + 1} isn't a list of values")


def _refuse_credentials(columns: Iterable[str]) -> None:
    """Refuse a file that carries passcodes, keys or unlock counts (no Closer file ever does)."""
    for column in columns:
        if column in store.CREDENTIAL_COLUMNS:
            raise BackupError(
                f"The backup can't be used: table 'partners' has a column '{column}', and "
                "Closer never takes passcodes, keys or unlock counts from a file. Nothing was "
                "changed."
            )


def _is_monday(value: str) -> bool:
    # Python's calendar, as every reader uses (SQLite's date() takes 30 February).
    return store.readable_week(value) is not None


def _is_moment(value: str) -> bool:
    return store.readable_moment(value) is not None


def _is_answers(value: str) -> bool:
    # Saved versions and drafts are JSON of a check-in's shape; only parts inside are sealed.
    return stored_answers_problem(value) is None


# What the schema cannot say about single values, in the words its descriptions use: by the
# column's name, so a table a later version adds is covered too.
_MOMENTS = {"created_at", "updated_at", "saved_at", "answered_at"}


def _value_rule(column: str) -> Callable[[str], bool] | None:
    if column == "week":
        return _is_monday
    if column in _MOMENTS:
        return _is_moment
    if column == "answers":
        return _is_answers
    return None


def _row_problems(name: str, table: BackupTable) -> None:
    """Check each row against the schema's row definition and the rules it cannot state."""
    row_schema = file_schema()["$defs"].get(f"{name}_row")
    if row_schema is None:
        return
    for column in row_schema["required"]:
        if column not in table.columns and table.rows:
            raise _damaged(f"table '{name}' has no column '{column}'")
    # Column by column, each distinct value once: the same as checking each row as an object
    # against the row definition, several times faster on a decade of check-ins.
    validators = _column_validators(name)
    checks = [(column, validators[column], _value_rule(column)) for column in table.columns]
    verdicts: dict[tuple[str, type, Any], str | None] = {}
    for number, row in enumerate(table.rows, 1):
        for (column, validator, rule), value in zip(checks, row, strict=True):
            if isinstance(value, list | dict):  # never a valid cell, and can't be a dict key
                verdict = _value_problem(column, validator, rule, value)
            else:
                key = (column, type(value), value)
                if key not in verdicts:
                    verdicts[key] = _value_problem(column, validator, rule, value)
                verdict = verdicts[key]
            if verdict:
                raise _damaged(f"table '{cut(name)}' row {number}: {column} must be {verdict}")


def _value_problem(
    column: str, validator: Draft202012Validator, rule: Callable[[str], bool] | None, value: Any
) -> str | None:
    """Why a value cannot go in a column, in the words of the schema's description; or None."""
    if isinstance(value, str) and _SURROGATE.search(value):
        return "text without broken characters"
    if validator.is_valid(value) and (rule is None or not isinstance(value, str) or rule(value)):
        return None
    return "filled in" if value is None else validator.schema["description"]


def validate(backup: Backup, schema: Mapping[str, TableInfo]) -> None:
    """Check a parsed backup against this version's schema history and this database's tables."""
    known = store.migration_names()
    if any(name not in known for name in backup.schema):
        raise BackupError(
            "This backup was made by a newer version of Closer. Update Closer, then try again."
        )
    if list(backup.schema) != known[: len(backup.schema)]:
        raise _damaged("its list of schema changes doesn't match this version of Closer's")
    partners = backup.tables.get("partners")
    if partners:
        _refuse_credentials(partners.columns)
    for name, table in backup.tables.items():
        info = schema.get(name)
        if info is None:
            raise _damaged(f"it has a table '{cut(name)}' that this version of Closer doesn't have")
        for column in table.columns:
            if column not in info.columns:
                raise _damaged(
                    f"table '{name}' has a column '{cut(column)}' that this version of Closer "
                    "doesn't have"
                )
        _row_problems(name, table)
        _check_unique_keys(info, table)
    _check_references(backup, schema)
    if partners and len(partners.rows) > 2:
        raise BackupError(
            f"This backup has {len(partners.rows)} partners, and Closer is made for two."
        )
    records = {name: table.records() for name, table in backup.tables.items()}
    try:
        check_rules(records, backup.exported_at)
    except RuleBroken as error:
        raise BackupError(f"The backup can't be used: {error}. Nothing was changed.") from error


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
