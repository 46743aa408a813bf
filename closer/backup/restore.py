"""Bringing a JSON backup back: replacing what is here, or merging it in."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from sqlite_utils import Database

from closer import store
from closer.backup.consent import SWAPPED, guarded_ids, require_consent, swaps_people
from closer.backup.file_format import Backup, BackupError, validate
from closer.backup.visible_copy import without_private_answers
from closer.checkin import without_plan_answers
from closer.store.tables import TableInfo, describe, parents_first

# In a merge, an imported row that matches an existing one on a unique key is normally a
# conflict the existing row wins. A partner matched by name is instead the same person, whose
# imported check-ins join the existing partner's.
_SAME_THING = frozenset({"partners"})
# The saved versions of a check-in that lost to an existing one still join its history.
_HISTORY = ("checkin_revisions", "checkin_id")


@dataclass(frozen=True)
class Restored:
    """What a restore added: check-ins and people, and the rows per table (0 where none)."""

    checkins: int
    partners: int
    rows: Mapping[str, int]


def restore_backup(
    db: Database, backup: Backup, mode: Literal["replace", "merge"], *, consented: Collection[int]
) -> Restored:
    """Write a backup into the database, all or nothing; returns what it added.

    consented: the partners who agreed (the one at the screen, and any whose passcode was
    typed). A replace, or a merge that adds any row by or about an existing partner (see
    merge_reaches), raises ConsentNeeded, changing nothing, when it reaches a partner with a
    passcode not among them. Passcodes, keys and unlock counts never come from the backup: they
    stay with the partner of the same id (see store.keep_credentials). The backup is checked
    again here (closer.backup.row_rules: replies and promises follow the rules typed ones do).

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
        schema = describe(db)
        validate(backup, schema)
        before = store.list_partners(db)
        if mode == "replace":
            require_consent(db, [p.id for p in before], consented)
            credentials = store.load_credentials(db)
            if swaps_people(before, _partners_of(backup), guarded_ids(credentials)):
                raise BackupError(SWAPPED)

            local = store.load_local_notifications(db)
            added = _replace(db, backup, schema)
            store.keep_credentials(db, credentials)
            store.keep_local_notifications(db, local)
        else:
            touched: set[int] = set()
            added = _merge(db, backup, schema, {p.id for p in before}, touched)
            require_consent(db, touched, consented)
        # An older backup may hold private notes in plain text for someone who has since set a
        # passcode: they are sealed before the transaction ends (keys in db.keyring).
        store.seal_restored_notes(db)
    store.scrub_free_space(db)
    return Restored(added.get("checkins", 0), added.get("partners", 0), added)


def _partners_of(backup: Backup) -> list[store.Partner]:
    table = backup.tables.get("partners")
    return [store.Partner(r["id"], r["name"]) for r in table.records()] if table else []


class _DryRun(Exception):
    """Raised to roll back a merge that was only run to see whose data it reaches."""


def merge_reaches(db: Database, backup: Backup) -> set[int]:
    """The existing partners a merge would add a row by or about.

    A row is by or about every existing partner it names in a column referring to a partner
    (a reply's author and the author of the note it answers, a talk mark's marker, a promise's
    or draft's owner); a row naming nobody and belonging to no other row (a plan for both, a
    setting) is the couple's, so about both; a row belonging to another row (a score, a saved
    version) follows that row. The merge is run and rolled back, so the answer is exactly what
    restoring would do.
    """
    touched: set[int] = set()
    try:
        with store.write_transaction(db):
            schema = describe(db)
            validate(backup, schema)
            _merge(db, backup, schema, {p.id for p in store.list_partners(db)}, touched)
            raise _DryRun
    except _DryRun:
        pass
    return touched


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


def _replace(db: Database, backup: Backup, schema: Mapping[str, TableInfo]) -> dict[str, int]:
    order = parents_first(schema)
    store.empty_tables(db, reversed(order))
    added = {}
    for name in order:
        table = backup.tables.get(name)
        added[name] = len(table.rows) if table else 0
        if table and table.rows:
            with _refused_as_backup_error(name):
                store.add_restored_rows(db, name, table.records())
    return added


def _existing_row(db: Database, info: TableInfo, record: dict[str, Any]) -> Any:
    """The id (or True, for tables without one) of an existing row a record clashes with."""
    for key in info.unique_keys:
        if not all(record.get(column) is not None for column, _ in key):
            continue  # NULLs never clash in SQLite's unique indexes
        found = store.find_clashing_row(
            db, info.name, key, [record[c] for c, _ in key], info.id_column
        )
        if found is not None:
            return found
    return None


def _merge(
    db: Database,
    backup: Backup,
    schema: Mapping[str, TableInfo],
    existing_partners: set[int],
    touched: set[int],
) -> dict[str, int]:
    """Add the backup's rows (rules in restore_backup); touched gains each existing partner
    whose check-ins, plans or follow-ups gained rows."""
    new_ids: dict[str, dict[Any, Any]] = {}  # per table: id in the backup -> id here
    lost: dict[str, set[Any]] = {}  # per table: backup ids of rows an existing row beat
    history: dict[Any, list[dict[str, Any]]] = {}  # existing check-in id -> imported versions
    added = dict.fromkeys(schema, 0)
    for name in parents_first(schema):
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
            if name == "checkin_drafts" and isinstance(record.get("answers"), str):
                # A draft names plan items by the file's ids, and merged rows get new ones:
                # its plan answers could land on another item, so they are left behind.
                record["answers"] = without_plan_answers(record["answers"])
            existing = _existing_row(db, info, record)
            if existing is None:
                if info.id_column:
                    del record[info.id_column]  # SQLite picks a free id
                with _refused_as_backup_error(name):
                    new_id = store.add_row_unless_present(db, name, record)
                if new_id is not None:
                    added[name] += 1
                    touched |= _reaches(info, record, existing_partners)
                    if old_id is not None:
                        new_ids[name][old_id] = new_id
                    continue
            if old_id is not None:
                if existing is not None:
                    new_ids[name][old_id] = existing
                if existing is None or name not in _SAME_THING:
                    lost[name].add(old_id)
    added[_HISTORY[0]] += _merge_history(db, history, touched)
    partners = [p.name for p in store.list_partners(db)]
    if len(partners) > 2:
        raise BackupError(
            f"Merging would give this Closer {len(partners)} people ({', '.join(partners)}), "
            "and it is made for two. Partners are matched by name: rename one to match, or "
            "restore the backup in place of this data instead. Nothing was changed."
        )
    return added


def _reaches(info: TableInfo, record: Mapping[str, Any], existing: set[int]) -> set[int]:
    """The existing partners a newly added row is by or about (rule in merge_reaches)."""
    if info.name == "partners":
        return set()
    # A compound key has no single column (sqlite-utils gives None): Closer has none.
    columns = [(fk.other_table, fk.column) for fk in info.foreign_keys if fk.column is not None]
    named = {
        record[column]
        for table, column in columns
        if table == "partners" and record.get(column) is not None
    }
    if named:
        return named & existing
    if any(record.get(column) is not None for _, column in columns):
        return set()  # its parent row was added too, and counted there
    return set(existing)


def _remap(
    record: dict[str, Any],
    info: TableInfo,
    schema: Mapping[str, TableInfo],
    new_ids: Mapping[str, Mapping[Any, Any]],
    lost: Mapping[str, set[Any]],
) -> tuple[str, Any] | None:
    """Point a record's references at this database's ids; says which lost parent it follows."""
    for fk in info.foreign_keys:
        parent = schema.get(fk.other_table)
        if fk.is_compound or parent is None or fk.other_column != parent.id_column:
            continue
        assert fk.column is not None  # only a compound key has no single column
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
    raw = revision["answers"]
    try:
        answers = json.dumps(json.loads(raw), sort_keys=True, ensure_ascii=False)
    except ValueError:
        return revision["saved_at"], raw  # unreadable here: compared as it is
    return revision["saved_at"], answers


def _as_partner_saw_it(revision: Mapping[str, Any]) -> tuple[str, str] | None:
    """A saved version as a copy of what the other partner could see holds it (visible_copy)."""
    try:
        seen = without_private_answers(revision["answers"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # unreadable: no copy could have held it
    return _version({"saved_at": revision["saved_at"], "answers": seen})


def _merge_history(
    db: Database, history: Mapping[Any, list[dict[str, Any]]], touched: set[int]
) -> int:
    """Add imported versions to existing check-ins' histories (rule in restore_backup)."""
    table, column = _HISTORY
    added = 0
    for checkin_id, imported in history.items():
        current = store.checkin_revision(db, checkin_id)
        existing = store.revision_rows(db, checkin_id)
        # A version a copy of what you can see holds (the private parts left out) is one
        # already here, not a new one: merging that copy back adds nothing.
        seen = {_version(r) for r in existing} | {
            seen_then for r in existing if (seen_then := _as_partner_saw_it(r))
        }
        new = []
        for revision in imported:
            if _version(revision) not in seen:
                seen.add(_version(revision))
                new.append({k: v for k, v in revision.items() if k != "id"} | {column: checkin_id})
        if not new:
            continue
        touched.add(store.checkin_owner(db, checkin_id))
        older = sorted(
            [r for r in existing if r["revision"] != current] + new, key=lambda r: r["saved_at"]
        )
        ordered = older + [r for r in existing if r["revision"] == current]
        for number, revision in enumerate(ordered, 1):
            revision["revision"] = number
        store.delete_revision_rows(db, checkin_id)
        with _refused_as_backup_error(table):
            # Existing versions keep their ids; imported ones get new ones.
            store.add_restored_rows(db, table, [r for r in ordered if "id" in r])
            store.add_restored_rows(db, table, new)
        store.set_checkin_revision(db, checkin_id, len(ordered))
        added += len(new)
    return added
