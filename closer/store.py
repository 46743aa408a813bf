"""Storage: the one module that speaks SQL, through sqlite-utils, on the couple's own file."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

import pandas as pd
from sqlite_utils import Database, Migrations

from closer.analysis import SCORE_DTYPES
from closer.checkin import Answers, Checkin, CsiAnswers, Reflection, clean_answers
from closer.settings import Settings

DEFAULT_DB_PATH = Path(__file__).resolve().parent.parent / "data" / "closer.db"
MIGRATION_SET = "closer"
BUSY_TIMEOUT_SECONDS = 5

log = logging.getLogger(__name__)
migrations = Migrations(MIGRATION_SET)
_migration_names: list[str] = []


def _migration(fn):
    """Register a schema migration and remember its name, to recognise newer databases."""
    _migration_names.append(fn.__name__)
    return migrations()(fn)


@_migration
def m001_initial(db: Database) -> None:
    """The first schema: partners, settings, check-ins, long-form scores, reflections, revisions."""
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        "CREATE TABLE partners (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "created_at TEXT NOT NULL)"
    )
    db.execute("CREATE UNIQUE INDEX partners_name ON partners (name COLLATE NOCASE)")
    db.execute(
        "CREATE TABLE checkins ("
        " id INTEGER PRIMARY KEY,"
        " partner_id INTEGER NOT NULL REFERENCES partners(id),"
        " week TEXT NOT NULL,"
        " revision INTEGER NOT NULL,"
        " created_at TEXT NOT NULL,"
        " updated_at TEXT NOT NULL,"
        " UNIQUE (partner_id, week))"
    )
    db.execute("CREATE INDEX checkins_week ON checkins (week)")
    db.execute(
        "CREATE TABLE scores ("
        " checkin_id INTEGER NOT NULL REFERENCES checkins(id) ON DELETE CASCADE,"
        " dimension TEXT NOT NULL,"
        " score INTEGER CHECK (score IS NULL OR score BETWEEN 1 AND 10),"
        " wants_more INTEGER NOT NULL CHECK (wants_more IN (0, 1)),"
        " PRIMARY KEY (checkin_id, dimension))"
    )
    db.execute(
        "CREATE TABLE reflections ("
        " checkin_id INTEGER NOT NULL REFERENCES checkins(id) ON DELETE CASCADE,"
        " prompt TEXT NOT NULL,"
        " body TEXT NOT NULL,"
        " shared INTEGER NOT NULL CHECK (shared IN (0, 1)),"
        " PRIMARY KEY (checkin_id, prompt))"
    )
    # Every saved version, the current one included, so an edit never loses what was there.
    db.execute(
        "CREATE TABLE checkin_revisions ("
        " id INTEGER PRIMARY KEY,"
        " checkin_id INTEGER NOT NULL REFERENCES checkins(id) ON DELETE CASCADE,"
        " revision INTEGER NOT NULL,"
        " saved_at TEXT NOT NULL,"
        " answers TEXT NOT NULL,"
        " UNIQUE (checkin_id, revision))"
    )


@_migration
def m002_plans_followups_csi_passcodes(db: Database) -> None:
    """Weekly plans and their follow-up, CSI-4 answers, and optional passcodes."""
    db.execute("ALTER TABLE partners ADD COLUMN passcode_hash TEXT")
    db.execute("ALTER TABLE partners ADD COLUMN failed_unlocks INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE partners ADD COLUMN last_failed_unlock TEXT")
    db.execute(
        "CREATE TABLE plan_items ("
        " id INTEGER PRIMARY KEY,"
        " week TEXT NOT NULL,"
        " kind TEXT NOT NULL CHECK (kind IN ('question', 'exercise', 'commitment')),"
        " item_id TEXT,"
        " dimension TEXT,"
        " partner_id INTEGER REFERENCES partners(id),"
        " body TEXT,"
        " created_at TEXT NOT NULL)"
    )
    db.execute(
        "CREATE UNIQUE INDEX plan_items_chosen ON plan_items (week, kind, item_id) "
        "WHERE item_id IS NOT NULL"
    )
    db.execute(
        "CREATE UNIQUE INDEX plan_items_commitment ON plan_items (week, partner_id) "
        "WHERE kind = 'commitment'"
    )
    db.execute(
        "CREATE TABLE followups ("
        " plan_item_id INTEGER NOT NULL REFERENCES plan_items(id) ON DELETE CASCADE,"
        " partner_id INTEGER NOT NULL REFERENCES partners(id),"
        " done INTEGER NOT NULL CHECK (done IN (0, 1)),"
        " rating INTEGER CHECK (rating IS NULL OR rating IN (-1, 0, 1)),"
        " answered_at TEXT NOT NULL,"
        " PRIMARY KEY (plan_item_id, partner_id))"
    )
    db.execute(
        "CREATE TABLE csi_answers ("
        " checkin_id INTEGER PRIMARY KEY REFERENCES checkins(id) ON DELETE CASCADE,"
        " item1 INTEGER CHECK (item1 BETWEEN 0 AND 6),"
        " item2 INTEGER CHECK (item2 BETWEEN 0 AND 5),"
        " item3 INTEGER CHECK (item3 BETWEEN 0 AND 5),"
        " item4 INTEGER CHECK (item4 BETWEEN 0 AND 5),"
        " shared INTEGER NOT NULL CHECK (shared IN (0, 1)))"
    )


@_migration
def m003_private_notes_keys(db: Database) -> None:
    """Wrapped data keys per partner, and a sealed slot for private CSI-4 answers."""
    # A partner's data key, wrapped by a key derived from their passcode and, separately, by
    # their recovery code (closer.vault). Neither is ever exported or restored from a file.
    db.execute("ALTER TABLE partners ADD COLUMN key_by_passcode TEXT")
    db.execute("ALTER TABLE partners ADD COLUMN key_by_recovery TEXT")
    # Private CSI-4 answers of a partner with a key: the four items NULL, the values sealed.
    db.execute("ALTER TABLE csi_answers ADD COLUMN sealed TEXT")


@_migration
def m004_note_replies_and_talk_marks(db: Database) -> None:
    """A partner's reply to a shared note, and notes marked to talk about on Our talk."""
    # A note is named by its week, its author and its prompt: reflections are revised as a
    # whole check-in, so a reply stays with the note even when its author edits the week.
    db.execute(
        "CREATE TABLE note_replies ("
        " id INTEGER PRIMARY KEY,"
        " week TEXT NOT NULL,"
        " note_author_id INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,"
        " prompt TEXT NOT NULL,"
        " author_id INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,"
        " body TEXT NOT NULL,"
        " created_at TEXT NOT NULL,"
        " UNIQUE (week, note_author_id, prompt, author_id))"
    )
    db.execute(
        "CREATE TABLE talk_marks ("
        " id INTEGER PRIMARY KEY,"
        " week TEXT NOT NULL,"
        " note_author_id INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,"
        " prompt TEXT NOT NULL,"
        " marked_by INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,"
        " created_at TEXT NOT NULL,"
        " UNIQUE (week, note_author_id, prompt))"
    )


# Columns of `partners` that are credentials, not the couple's data: never exported, never
# written from a backup file, kept with their partner through every restore.
CREDENTIAL_COLUMNS = (
    "passcode_hash",
    "failed_unlocks",
    "last_failed_unlock",
    "key_by_passcode",
    "key_by_recovery",
)


class StoreError(Exception):
    """A problem with the database file, with a message written for the person at the screen."""


@dataclass(frozen=True)
class Partner:
    """One of the (at most two) people using this Closer."""

    id: int
    name: str


@dataclass(frozen=True)
class SavedCheckin:
    """What a save did: the revision now current and the partner's total weeks checked in."""

    revision: int
    weeks_checked_in: int


def migration_names() -> list[str]:
    """The schema migrations this version of Closer knows, oldest first."""
    return list(_migration_names)


def database_path() -> Path:
    """Where the couple's database lives: $CLOSER_DB, or data/closer.db."""
    return Path(os.environ.get("CLOSER_DB") or DEFAULT_DB_PATH)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _refuse(path: Path, message: str) -> StoreError:
    """A StoreError for the person at the screen, also logged for whoever reads the logs."""
    log.warning("cannot use database %s: %s", path, message)
    return StoreError(message)


def _explain(path: Path, error: sqlite3.Error) -> StoreError:
    log.warning("database error with %s: %s", path, error)
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return StoreError(
            f"The database {path} is busy: another program has held it for more than "
            f"{BUSY_TIMEOUT_SECONDS} seconds. Close other copies of Closer or any tool that "
            "has the file open, then try again. Nothing was changed."
        )
    if "not a database" in text or "malformed" in text or "disk image" in text:
        return StoreError(
            f"The file {path} is not a readable Closer database (it may be damaged or be "
            "another kind of file). Closer has not touched it. Restore a backup, or point "
            "CLOSER_DB at another file."
        )
    if "readonly" in text or "read-only" in text:
        return StoreError(
            f"Closer cannot write to {path}: the file or its folder is read-only. "
            "Check the permissions of the file and of its folder (SQLite writes a journal "
            "beside it), then reload this page."
        )
    if "unable to open" in text:
        return StoreError(
            f"Closer cannot open {path}. Check that its folder exists and that you are allowed "
            "to read and write there, or point CLOSER_DB at another file."
        )
    return StoreError(f"The database {path} gave an error: {error}. Nothing was changed.")


@contextmanager
def open_db(path: Path) -> Iterator[Database]:
    """A short-lived connection with foreign keys on; database errors become StoreError."""
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error as error:
        raise _explain(path, error) from error
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        yield Database(conn)
    except sqlite3.Error as error:
        raise _explain(path, error) from error
    finally:
        conn.close()


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """Take the write lock up front (BEGIN IMMEDIATE) so concurrent writers wait, not fail."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.conn.commit()
    except BaseException:
        # Also when COMMIT itself fails (say, the disk is full): never leave it half-open.
        db.conn.rollback()
        raise


def _check_is_closer_database(path: Path, db: Database) -> None:
    if not db.table_names():
        return  # a new, empty file: ours to set up
    # Another app's file has no Closer migrations on record (applied() is [] without the table).
    applied = {m.name for m in migrations.applied(db)}
    if not applied:
        raise _refuse(
            path,
            f"The file {path} is an SQLite database, but not one of Closer's. Closer has not "
            "touched it. Point CLOSER_DB at another file, or move this one aside.",
        )
    if applied - set(_migration_names):
        raise _refuse(
            path,
            f"The database {path} was written by a newer version of Closer. Update Closer to "
            "open it; this version has not touched it.",
        )


def initialise(path: Path, before_upgrade: Callable[[Path], None] | None = None) -> None:
    """Create or upgrade the database at path, refusing any file that is not Closer's.

    ``before_upgrade(path)`` runs before migrations are applied to a database that already
    holds data (the app takes a backup there), never for a brand-new file.
    """
    if path.exists() and path.is_dir():
        raise _refuse(path, f"{path} is a folder, not a database file. Point CLOSER_DB at a file.")
    if not path.parent.exists():
        raise _refuse(
            path,
            f"The folder {path.parent} does not exist. Create it, or point CLOSER_DB elsewhere.",
        )
    with open_db(path) as db:
        _check_is_closer_database(path, db)
        pending = migrations.pending(db)
        if pending and before_upgrade and migrations.applied(db):
            before_upgrade(path)
        if pending:
            # The write lock makes a second session starting at the same moment wait, then
            # find nothing left to do, instead of racing to create the same tables.
            with write_transaction(db):
                migrations.apply(db)
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.enable_wal()


# Settings


def load_settings(db: Database) -> Settings:
    """The couple's settings, with defaults for anything not yet chosen."""
    raw = {row["key"]: json.loads(row["value"]) for row in db["settings"].rows}
    defaults = Settings()
    active = tuple(raw.get("active_dimensions", defaults.active_dimensions))
    return Settings(
        active_dimensions=active,
        checkin_weekday=int(raw.get("checkin_weekday", defaults.checkin_weekday)),
        checkin_time=time.fromisoformat(raw.get("checkin_time", defaults.checkin_time.isoformat())),
        csi_enabled=bool(raw.get("csi_enabled", defaults.csi_enabled)),
    )


def save_settings(db: Database, settings: Settings) -> None:
    """Store the couple's settings."""
    with write_transaction(db):
        _write_settings(db, settings)


# Partners


def list_partners(db: Database) -> list[Partner]:
    """Partners in the order they joined."""
    return [Partner(r["id"], r["name"]) for r in db["partners"].rows_where(order_by="id")]


def save_partner_names(db: Database, names: dict[int, str], new_partner: str | None = None) -> None:
    """Rename partners and optionally add the second one, all or nothing (names validated)."""
    with write_transaction(db):
        for partner_id, name in names.items():
            db.execute("UPDATE partners SET name = ? WHERE id = ?", [name, partner_id])
        if new_partner:
            if db.execute("SELECT count(*) FROM partners").fetchone()[0] >= 2:
                raise StoreError("Closer is made for two: both partners are already set up.")
            db.execute(
                "INSERT INTO partners (name, created_at) VALUES (?, ?)", [new_partner, _now()]
            )


def setup_couple(db: Database, names: list[str], settings: Settings) -> list[Partner]:
    """First run: add the partners and the settings in one transaction."""
    with write_transaction(db):
        if db.execute("SELECT count(*) FROM partners").fetchone()[0]:
            raise StoreError("Closer is already set up. Change names on the Settings page.")
        now = _now()
        for name in names:
            db.execute("INSERT INTO partners (name, created_at) VALUES (?, ?)", [name, now])
        _write_settings(db, settings)
    return list_partners(db)


def _write_settings(db: Database, settings: Settings) -> None:
    """Write settings inside a transaction the caller already holds."""
    values = {
        "active_dimensions": list(settings.active_dimensions),
        "checkin_weekday": settings.checkin_weekday,
        "checkin_time": settings.checkin_time.strftime("%H:%M"),
        "csi_enabled": settings.csi_enabled,
    }
    for key, value in values.items():
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, json.dumps(value)],
        )


# Check-ins


def save_checkin(
    db: Database,
    partner_id: int,
    week: date,
    answers: Answers,
    saved_at: str | None = None,
    followups: dict[int, tuple[bool, int | None]] | None = None,
) -> SavedCheckin:
    """Save a partner's check-in for a week (new, or a new revision), with any follow-ups.

    ``followups`` maps a plan item id to (done, rating), the partner's answers about last
    week's plan: stored in the same transaction, so a check-in is never saved half-way.
    """
    answers = clean_answers(answers)
    saved_at = saved_at or _now()
    with write_transaction(db):
        row = db.execute(
            "SELECT id, revision FROM checkins WHERE partner_id = ? AND week = ?",
            [partner_id, week.isoformat()],
        ).fetchone()
        if row is None:
            cursor = db.execute(
                "INSERT INTO checkins (partner_id, week, revision, created_at, updated_at) "
                "VALUES (?, ?, 1, ?, ?)",
                [partner_id, week.isoformat(), saved_at, saved_at],
            )
            checkin_id, revision = cursor.lastrowid, 1
        else:
            checkin_id, revision = row[0], row[1] + 1
            db.execute(
                "UPDATE checkins SET revision = ?, updated_at = ? WHERE id = ?",
                [revision, saved_at, checkin_id],
            )
            db.execute("DELETE FROM scores WHERE checkin_id = ?", [checkin_id])
            db.execute("DELETE FROM reflections WHERE checkin_id = ?", [checkin_id])
        db["scores"].insert_all(
            {
                "checkin_id": checkin_id,
                "dimension": key,
                "score": score,
                "wants_more": int(key in answers.wants_more),
            }
            for key, score in answers.scores.items()
        )
        db["reflections"].insert_all(
            {"checkin_id": checkin_id, "prompt": key, "body": r.text, "shared": int(r.shared)}
            for key, r in answers.reflections.items()
        )
        db.execute("DELETE FROM csi_answers WHERE checkin_id = ?", [checkin_id])
        if answers.csi is not None:
            db.execute(
                "INSERT INTO csi_answers (checkin_id, item1, item2, item3, item4, shared) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [checkin_id, *answers.csi.values, int(answers.csi.shared)],
            )
        db.execute(
            "INSERT INTO checkin_revisions (checkin_id, revision, saved_at, answers) "
            "VALUES (?, ?, ?, ?)",
            [checkin_id, revision, saved_at, answers.to_json()],
        )
        _write_followups(db, partner_id, followups or {}, saved_at)
        weeks = db.execute(
            "SELECT count(*) FROM checkins WHERE partner_id = ?", [partner_id]
        ).fetchone()[0]
    return SavedCheckin(revision=revision, weeks_checked_in=weeks)


def _load_checkins(db: Database, where: str, params: list) -> list[Checkin]:
    rows = list(
        db.execute(
            "SELECT id, partner_id, week, revision, updated_at FROM checkins "
            f"WHERE {where} ORDER BY week DESC, partner_id",
            params,
        ).fetchall()
    )
    if not rows:
        return []
    ids = [r[0] for r in rows]
    marks = ",".join("?" * len(ids))
    scores: dict[int, dict[str, int | None]] = {i: {} for i in ids}
    wants: dict[int, set[str]] = {i: set() for i in ids}
    for checkin_id, key, score, wants_more in db.execute(
        "SELECT checkin_id, dimension, score, wants_more FROM scores "
        f"WHERE checkin_id IN ({marks})",
        ids,
    ):
        scores[checkin_id][key] = score
        if wants_more:
            wants[checkin_id].add(key)
    reflections: dict[int, dict[str, Reflection]] = {i: {} for i in ids}
    for checkin_id, key, body, shared in db.execute(
        f"SELECT checkin_id, prompt, body, shared FROM reflections WHERE checkin_id IN ({marks})",
        ids,
    ):
        reflections[checkin_id][key] = Reflection(body, bool(shared))
    csi: dict[int, CsiAnswers] = {}
    for checkin_id, *values, shared in db.execute(
        "SELECT checkin_id, item1, item2, item3, item4, shared FROM csi_answers "
        f"WHERE checkin_id IN ({marks})",
        ids,
    ):
        csi[checkin_id] = CsiAnswers(tuple(values), bool(shared))
    return [
        Checkin(
            id=cid,
            partner_id=pid,
            week=date.fromisoformat(week),
            revision=revision,
            updated_at=updated_at,
            answers=Answers(scores[cid], frozenset(wants[cid]), reflections[cid], csi.get(cid)),
        )
        for cid, pid, week, revision, updated_at in rows
    ]


def load_checkin(db: Database, partner_id: int, week: date) -> Checkin | None:
    """One partner's current check-in for a week, or None."""
    found = _load_checkins(db, "partner_id = ? AND week = ?", [partner_id, week.isoformat()])
    return found[0] if found else None


def latest_checkin(db: Database, partner_id: int) -> Checkin | None:
    """A partner's most recent check-in, to start the next one from familiar values."""
    found = _load_checkins(
        db,
        "id = (SELECT id FROM checkins WHERE partner_id = ? ORDER BY week DESC LIMIT 1)",
        [partner_id],
    )
    return found[0] if found else None


def load_week(db: Database, week: date) -> list[Checkin]:
    """Every partner's current check-in for a week (raw: apply closer.reveal before showing)."""
    return _load_checkins(db, "week = ?", [week.isoformat()])


def load_weeks(db: Database, weeks: list[date]) -> dict[date, list[Checkin]]:
    """Current check-ins for several weeks at once, keyed by week."""
    if not weeks:
        return {}
    marks = ",".join("?" * len(weeks))
    found = _load_checkins(db, f"week IN ({marks})", [w.isoformat() for w in weeks])
    by_week: dict[date, list[Checkin]] = {w: [] for w in weeks}
    for checkin in found:
        by_week[checkin.week].append(checkin)
    return by_week


def checked_in_weeks(db: Database, partner_id: int | None = None) -> list[date]:
    """Weeks in which anyone (or this partner) checked in, newest first."""
    where, params = ("WHERE partner_id = ?", [partner_id]) if partner_id is not None else ("", [])
    return [
        date.fromisoformat(r[0])
        for r in db.execute(
            f"SELECT DISTINCT week FROM checkins {where} ORDER BY week DESC", params
        )
    ]


def count_weeks_checked_in(db: Database, partner_id: int) -> int:
    """How many weeks this partner has checked in."""
    return db.execute(
        "SELECT count(*) FROM checkins WHERE partner_id = ?", [partner_id]
    ).fetchone()[0]


def load_revisions(db: Database, partner_id: int, week: date) -> list[tuple[int, str, Answers]]:
    """Every saved version of a partner's check-in for a week, oldest first."""
    return [
        (revision, saved_at, Answers.from_json(raw))
        for revision, saved_at, raw in db.execute(
            "SELECT r.revision, r.saved_at, r.answers FROM checkin_revisions r "
            "JOIN checkins c ON c.id = r.checkin_id "
            "WHERE c.partner_id = ? AND c.week = ? ORDER BY r.revision",
            [partner_id, week.isoformat()],
        )
    ]


SCORE_COLUMNS = list(SCORE_DTYPES)


def load_scores(db: Database, since: date | None = None) -> pd.DataFrame:
    """All scores in long form: week, partner_id, partner, dimension, score (NaN if skipped)."""
    where, params = ("WHERE c.week >= ?", [since.isoformat()]) if since else ("", [])
    rows = db.execute(
        "SELECT c.week, c.partner_id, p.name, s.dimension, s.score, s.wants_more "
        "FROM scores s JOIN checkins c ON c.id = s.checkin_id "
        f"JOIN partners p ON p.id = c.partner_id {where} ORDER BY c.week, c.partner_id",
        params,
    ).fetchall()
    return pd.DataFrame(rows, columns=SCORE_COLUMNS).astype(SCORE_DTYPES)


def first_checkin_week(db: Database) -> date | None:
    """The couple's first check-in week, from which the monthly measure is counted."""
    row = db.execute("SELECT min(week) FROM checkins").fetchone()
    return date.fromisoformat(row[0]) if row[0] else None


@dataclass(frozen=True)
class CsiRecord:
    """One partner's CSI-4 answers in one week."""

    partner_id: int
    week: date
    values: tuple[int | None, ...]
    shared: bool


def load_csi(db: Database) -> list[CsiRecord]:
    """Every CSI-4 answer, oldest week first."""
    return [
        CsiRecord(partner_id, date.fromisoformat(week), tuple(values), bool(shared))
        for partner_id, week, *values, shared in db.execute(
            "SELECT c.partner_id, c.week, a.item1, a.item2, a.item3, a.item4, a.shared "
            "FROM csi_answers a JOIN checkins c ON c.id = a.checkin_id "
            "ORDER BY c.week, c.partner_id"
        )
    ]


# Weekly plans and follow-through


@dataclass(frozen=True)
class PlanItem:
    """One thing in a week's plan: a question, an exercise, or a partner's commitment."""

    id: int
    week: date
    kind: str
    item_id: str | None
    dimension: str | None
    partner_id: int | None
    body: str | None


def add_plan_item(
    db: Database, week: date, kind: str, item_id: str, dimension: str | None, partner_id: int
) -> bool:
    """Add a question or exercise to a week's plan; False if it was already there."""
    with write_transaction(db):
        cursor = db.execute(
            "INSERT OR IGNORE INTO plan_items (week, kind, item_id, dimension, partner_id, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [week.isoformat(), kind, item_id, dimension, partner_id, _now()],
        )
    return cursor.rowcount == 1


def remove_plan_item(db: Database, plan_item_id: int) -> None:
    """Take an item off a week's plan (its follow-ups go with it)."""
    with write_transaction(db):
        db.execute("DELETE FROM plan_items WHERE id = ?", [plan_item_id])


def save_commitment(db: Database, week: date, partner_id: int, body: str) -> None:
    """A partner's "what I'll do for you this week", replacing their earlier one for the week."""
    with write_transaction(db):
        db.execute(
            "INSERT INTO plan_items (week, kind, partner_id, body, created_at) "
            "VALUES (?, 'commitment', ?, ?, ?) "
            "ON CONFLICT (week, partner_id) WHERE kind = 'commitment' "
            "DO UPDATE SET body = excluded.body",
            [week.isoformat(), partner_id, body, _now()],
        )


def _plan_items(db: Database, where: str, params: list) -> list[PlanItem]:
    return [
        PlanItem(id_, date.fromisoformat(week), kind, item_id, dimension, partner_id, body)
        for id_, week, kind, item_id, dimension, partner_id, body in db.execute(
            "SELECT id, week, kind, item_id, dimension, partner_id, body FROM plan_items "
            f"WHERE {where} ORDER BY week, id",
            params,
        )
    ]


def load_plan(db: Database, week: date) -> list[PlanItem]:
    """Everything in one week's plan, in the order it was added."""
    return _plan_items(db, "week = ?", [week.isoformat()])


def load_all_plans(db: Database) -> list[PlanItem]:
    """Every plan item ever, oldest first."""
    return _plan_items(db, "1", [])


def previous_plan_week(db: Database, before: date) -> date | None:
    """The latest week before `before` that has a plan, for the follow-up questions."""
    row = db.execute(
        "SELECT max(week) FROM plan_items WHERE week < ?", [before.isoformat()]
    ).fetchone()
    return date.fromisoformat(row[0]) if row[0] else None


@dataclass(frozen=True)
class Followup:
    """A partner's answer about one plan item: done or not, and whether it helped."""

    plan_item_id: int
    partner_id: int
    done: bool
    rating: int | None  # 1 helped, 0 not sure, -1 did not help


def save_followups(
    db: Database, partner_id: int, answers: dict[int, tuple[bool, int | None]]
) -> None:
    """Store a partner's follow-up on last week's plan, replacing earlier answers."""
    with write_transaction(db):
        _write_followups(db, partner_id, answers, _now())


def _write_followups(
    db: Database, partner_id: int, answers: dict[int, tuple[bool, int | None]], now: str
) -> None:
    for plan_item_id, (done, rating) in answers.items():
        db.execute(
            "INSERT INTO followups (plan_item_id, partner_id, done, rating, answered_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (plan_item_id, partner_id) DO UPDATE SET "
            "done = excluded.done, rating = excluded.rating, "
            "answered_at = excluded.answered_at",
            [plan_item_id, partner_id, int(done), rating, now],
        )


def load_followups(db: Database) -> list[Followup]:
    """Every follow-up answer."""
    return [
        Followup(plan_item_id, partner_id, bool(done), rating)
        for plan_item_id, partner_id, done, rating in db.execute(
            "SELECT plan_item_id, partner_id, done, rating FROM followups ORDER BY plan_item_id"
        )
    ]


# Passcodes (only ever a salted hash from closer.passcode)


@dataclass(frozen=True)
class UnlockState:
    """A partner's passcode hash (None: no passcode) and their run of wrong tries."""

    passcode_hash: str | None
    failed_unlocks: int
    last_failed_unlock: str | None


def load_unlock_state(db: Database, partner_id: int) -> UnlockState:
    """What is needed to check a partner's passcode and throttle wrong tries."""
    row = db.execute(
        "SELECT passcode_hash, failed_unlocks, last_failed_unlock FROM partners WHERE id = ?",
        [partner_id],
    ).fetchone()
    return UnlockState(*row) if row else UnlockState(None, 0, None)


def set_passcode_hash(db: Database, partner_id: int, passcode_hash: str | None) -> None:
    """Set or clear a partner's passcode hash, and forget their wrong tries."""
    with write_transaction(db):
        db.execute(
            "UPDATE partners SET passcode_hash = ?, failed_unlocks = 0, last_failed_unlock = NULL "
            "WHERE id = ?",
            [passcode_hash, partner_id],
        )


def record_unlock(db: Database, partner_id: int, success: bool) -> int:
    """Count a wrong try (or clear the count after a right one); returns the run of wrong tries."""
    with write_transaction(db):
        if success:
            db.execute(
                "UPDATE partners SET failed_unlocks = 0, last_failed_unlock = NULL WHERE id = ?",
                [partner_id],
            )
            return 0
        db.execute(
            "UPDATE partners SET failed_unlocks = failed_unlocks + 1, last_failed_unlock = ? "
            "WHERE id = ?",
            [_now(), partner_id],
        )
        return db.execute(
            "SELECT failed_unlocks FROM partners WHERE id = ?", [partner_id]
        ).fetchone()[0]


def find_partner(db: Database, name: str) -> Partner | None:
    """The partner with this name, ignoring case and surrounding spaces."""
    row = db.execute(
        "SELECT id, name FROM partners WHERE name = ? COLLATE NOCASE", [name.strip()]
    ).fetchone()
    return Partner(*row) if row else None


def data_version(db: Database) -> str:
    """A cheap token that changes whenever any check-in is saved, edited, deleted or restored."""
    checkins, latest, revisions = db.execute(
        "SELECT count(*), max(updated_at), (SELECT count(*) FROM checkin_revisions) FROM checkins"
    ).fetchone()
    return f"{checkins}:{latest}:{revisions}"


@dataclass(frozen=True)
class NoteReply:
    """A partner's reply to a shared note, shown to both under the note."""

    week: date
    note_author_id: int
    prompt: str
    author_id: int
    body: str


@dataclass(frozen=True)
class TalkMark:
    """A shared note one of the two marked "let's talk about this" for Our talk."""

    week: date
    note_author_id: int
    prompt: str
    marked_by: int


def save_note_reply(
    db: Database, week: date, note_author_id: int, prompt: str, author_id: int, body: str
) -> None:
    """Keep a reply to a note, replacing the same partner's earlier reply to it."""
    with write_transaction(db):
        db.execute(
            "INSERT INTO note_replies (week, note_author_id, prompt, author_id, body, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (week, note_author_id, prompt, author_id)"
            " DO UPDATE SET body = excluded.body",
            [week.isoformat(), note_author_id, prompt, author_id, body, _now()],
        )


def load_note_replies(db: Database, week: date) -> list[NoteReply]:
    """Every reply to a note of this week, oldest first."""
    return [
        NoteReply(date.fromisoformat(w), note_author_id, prompt, author_id, body)
        for w, note_author_id, prompt, author_id, body in db.execute(
            "SELECT week, note_author_id, prompt, author_id, body FROM note_replies"
            " WHERE week = ? ORDER BY id",
            [week.isoformat()],
        )
    ]


def set_talk_mark(
    db: Database, week: date, note_author_id: int, prompt: str, marked_by: int, marked: bool
) -> None:
    """Mark a note "let's talk about this" (or take the mark off)."""
    with write_transaction(db):
        if marked:
            db.execute(
                "INSERT OR IGNORE INTO talk_marks (week, note_author_id, prompt, marked_by,"
                " created_at) VALUES (?, ?, ?, ?, ?)",
                [week.isoformat(), note_author_id, prompt, marked_by, _now()],
            )
        else:
            db.execute(
                "DELETE FROM talk_marks WHERE week = ? AND note_author_id = ? AND prompt = ?",
                [week.isoformat(), note_author_id, prompt],
            )


def load_talk_marks(db: Database, week: date) -> list[TalkMark]:
    """The notes of this week marked for Our talk, in the order they were marked."""
    return [
        TalkMark(date.fromisoformat(w), note_author_id, prompt, marked_by)
        for w, note_author_id, prompt, marked_by in db.execute(
            "SELECT week, note_author_id, prompt, marked_by FROM talk_marks"
            " WHERE week = ? ORDER BY id",
            [week.isoformat()],
        )
    ]
