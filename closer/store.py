"""Storage: the one module that speaks SQL, through sqlite-utils, on the couple's own file."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from time import sleep

import pandas as pd
from sqlite_utils import Database, Migrations
from sqlite_utils.db import quote_identifier

from closer import files, vault
from closer.checkin import (
    Answers,
    Checkin,
    CsiAnswers,
    Reflection,
    clean_answers,
    validate_partner_name,
)
from closer.passcode import read_count, read_moment, wait_before_next_try
from closer.plan_items import FollowupAnswer, ItemKind, Rating
from closer.settings import SETTING_KEYS, Settings, setting_problem

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
        # The values of closer.plan_items.Rating (a migration is fixed once it has run).
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


@_migration
def m005_checkin_drafts(db: Database) -> None:
    """A partner's unsaved check-in for a week, kept as they type so no word is lost."""
    db.execute(
        "CREATE TABLE checkin_drafts ("
        " partner_id INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,"
        " week TEXT NOT NULL,"
        " base_revision INTEGER NOT NULL,"  # the saved revision the draft started from (0: none)
        " saved_at TEXT NOT NULL,"
        " answers TEXT NOT NULL,"  # as in checkin_revisions: private parts sealed with a key
        " PRIMARY KEY (partner_id, week))"
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


# A week Closer can read: a real date, a Monday, in the years pandas and the pages can hold.
# Rows outside it (only a damaged file or another program writes them) are left out of every
# list of weeks, so one bad row never stops a page; Your data says how many there are.
def _valid_week(column: str = "week") -> str:
    return (
        f"(date({column}) IS {column} AND strftime('%w', {column}) = '1' "
        f"AND {column} BETWEEN '1900-01-01' AND '2200-12-31')"
    )


VALID_WEEK = _valid_week()


class StoreError(Exception):
    """A problem with the database file, with a message written for the person at the screen."""


class StaleCheckin(StoreError):
    """A save from a page that started before another tab saved the same check-in."""

    def __init__(self, revision: int, saved_at: str) -> None:
        super().__init__(
            "This check-in was saved from another tab or device since you opened it. "
            "Nothing was changed."
        )
        self.revision = revision
        self.saved_at = saved_at


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


class CloserDatabase(Database):
    """A connection to the couple's file, carrying the data keys of whoever is unlocked."""

    keyring: vault.Keyring = {}


@contextmanager
def open_db(path: Path, keyring: vault.Keyring | None = None) -> Iterator[Database]:
    """A short-lived connection with foreign keys on; database errors become StoreError.

    ``keyring`` maps partner ids to their data keys (only ever the unlocked person's own):
    with it, that partner's sealed private notes read as text and new ones are sealed.
    """
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error as error:
        raise _explain(path, error) from error
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        # Deleted or replaced content is overwritten on disk, whatever this SQLite build's
        # default (Debian's is on, macOS's and many wheels' off).
        conn.execute("PRAGMA secure_delete = ON")
        db = CloserDatabase(conn)
        db.keyring = dict(keyring or {})
        yield db
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
    # Created private before SQLite sees it; SQLite gives the -wal and -shm it creates the
    # database file's own mode, whatever the umask.
    if not path.exists():
        try:
            files.create_private_file(path)
        except OSError as error:
            raise _explain(path, sqlite3.OperationalError(f"unable to open: {error}")) from error
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
        # While this connection is open the -wal and -shm exist: an older database (or one
        # copied in by hand) with looser modes is tightened here, at every start.
        files.make_private_database(path)


# Settings


def load_settings(db: Database) -> Settings:
    """The couple's settings, with defaults for anything not yet chosen or not usable."""
    return load_settings_checked(db)[0]


def load_settings_checked(db: Database) -> tuple[Settings, list[str]]:
    """The couple's settings, a default for each stored value Closer can't use, and a note
    on each such value for the person at the screen."""
    stored = {row["key"]: row["value"] for row in db["settings"].rows}
    raw, warnings = {}, []
    for key in SETTING_KEYS:
        if key not in stored:
            continue
        problem = setting_problem(key, stored[key])
        if problem:
            # One damaged value must not stop every page: its default stands in, and the
            # person is told so they can choose it again in Settings.
            warnings.append(f"{key} {problem}, but the file holds {stored[key][:40]!r}")
        else:
            raw[key] = json.loads(stored[key])
    defaults = Settings()
    settings = Settings(
        active_dimensions=tuple(raw.get("active_dimensions", defaults.active_dimensions)),
        checkin_weekday=raw.get("checkin_weekday", defaults.checkin_weekday),
        checkin_time=time.fromisoformat(raw.get("checkin_time", defaults.checkin_time.isoformat())),
        csi_enabled=raw.get("csi_enabled", defaults.csi_enabled),
        living_together=raw.get("living_together", defaults.living_together),
    )
    return settings, warnings


def save_settings(db: Database, settings: Settings) -> None:
    """Store the couple's settings."""
    with write_transaction(db):
        _write_settings(db, settings)


# Partners


def list_partners(db: Database) -> list[Partner]:
    """Partners in the order they joined."""
    return [Partner(r["id"], r["name"]) for r in db["partners"].rows_where(order_by="id")]


def rename_partner(
    db: Database, partner_id: int, name: str, new_partner: str | None = None
) -> None:
    """Rename one partner (pages pass only the viewer's own id), optionally adding the second.

    Both names follow the same rules as on the welcome page; all or nothing.
    """
    with write_transaction(db):
        others = [r[0] for r in db.execute("SELECT name FROM partners WHERE id != ?", [partner_id])]
        name, problem = validate_partner_name(name, others)
        if problem:
            raise StoreError(problem)
        db.execute("UPDATE partners SET name = ? WHERE id = ?", [name, partner_id])
        if new_partner is None:
            return
        if len(others) >= 1:
            raise StoreError("Closer is made for two: both partners are already set up.")
        new_partner, problem = validate_partner_name(new_partner, [name])
        if problem:
            raise StoreError(problem)
        db.execute("INSERT INTO partners (name, created_at) VALUES (?, ?)", [new_partner, _now()])


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
        "living_together": settings.living_together,
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
    followups: dict[int, FollowupAnswer] | None = None,
    expected_revision: int | None = None,
) -> SavedCheckin:
    """Save a partner's check-in for a week (new, or a new revision), with any follow-ups.

    ``followups`` maps a plan item id to the partner's answer about it from last
    week's plan: stored in the same transaction, so a check-in is never saved half-way.
    ``expected_revision`` is the revision the person started from (0 for none): if another
    tab saved since, StaleCheckin is raised and nothing is written. The week's draft goes.
    """
    answers = clean_answers(answers)
    saved_at = saved_at or _now()
    with write_transaction(db):
        stored = _stored_form(answers, _sealing_key(db, partner_id), partner_id, week)
        row = db.execute(
            "SELECT id, revision, updated_at FROM checkins WHERE partner_id = ? AND week = ?",
            [partner_id, week.isoformat()],
        ).fetchone()
        if expected_revision is not None and (row[1] if row else 0) != expected_revision:
            # Saved (or deleted) elsewhere since this page was opened: let the person choose.
            raise StaleCheckin(row[1] if row else 0, row[2] if row else "")
        db.execute(
            "DELETE FROM checkin_drafts WHERE partner_id = ? AND week = ?",
            [partner_id, week.isoformat()],
        )
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
            {
                "checkin_id": checkin_id,
                "prompt": key,
                "body": stored.bodies[key],
                "shared": int(r.shared),
            }
            for key, r in answers.reflections.items()
        )
        db.execute("DELETE FROM csi_answers WHERE checkin_id = ?", [checkin_id])
        if answers.csi is not None:
            db.execute(
                "INSERT INTO csi_answers (checkin_id, item1, item2, item3, item4, shared, sealed) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [checkin_id, *stored.csi_values, int(answers.csi.shared), stored.csi_sealed],
            )
        db.execute(
            "INSERT INTO checkin_revisions (checkin_id, revision, saved_at, answers) "
            "VALUES (?, ?, ?, ?)",
            [checkin_id, revision, saved_at, stored.revision_json],
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
    author = {r[0]: (r[1], date.fromisoformat(r[2])) for r in rows}
    keyring = _keyring(db)
    reflections: dict[int, dict[str, Reflection]] = {i: {} for i in ids}
    for checkin_id, key, body, shared in db.execute(
        f"SELECT checkin_id, prompt, body, shared FROM reflections WHERE checkin_id IN ({marks})",
        ids,
    ):
        text = _open_text(keyring, *author[checkin_id], f"reflection:{key}", body)
        reflections[checkin_id][key] = Reflection(text, bool(shared))
    csi: dict[int, CsiAnswers] = {}
    for checkin_id, *values, shared, sealed in db.execute(
        "SELECT checkin_id, item1, item2, item3, item4, shared, sealed FROM csi_answers "
        f"WHERE checkin_id IN ({marks})",
        ids,
    ):
        values = _open_csi(keyring, *author[checkin_id], sealed) if sealed else tuple(values)
        csi[checkin_id] = CsiAnswers(values, bool(shared))
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
    where, params = ("AND partner_id = ?", [partner_id]) if partner_id is not None else ("", [])
    return [
        date.fromisoformat(r[0])
        for r in db.execute(
            f"SELECT DISTINCT week FROM checkins WHERE {VALID_WEEK} {where} ORDER BY week DESC",
            params,
        )
    ]


def load_revisions(db: Database, partner_id: int, week: date) -> list[tuple[int, str, Answers]]:
    """Every saved version of a partner's check-in for a week, oldest first."""
    keyring = _keyring(db)
    return [
        (revision, saved_at, _open_revision(keyring, partner_id, week, raw))
        for revision, saved_at, raw in db.execute(
            "SELECT r.revision, r.saved_at, r.answers FROM checkin_revisions r "
            "JOIN checkins c ON c.id = r.checkin_id "
            "WHERE c.partner_id = ? AND c.week = ? ORDER BY r.revision",
            [partner_id, week.isoformat()],
        )
    ]


# The score table load_scores returns (closer.analysis works on it): one row per check-in
# and dimension answered.
SCORE_DTYPES = {
    "week": "datetime64[ns]",
    "partner_id": "int64",
    "partner": "str",
    "dimension": "str",
    "score": "float64",
    "wants_more": "bool",
}
SCORE_COLUMNS = list(SCORE_DTYPES)


def load_scores(db: Database, since: date | None = None) -> pd.DataFrame:
    """All scores in long form: week, partner_id, partner, dimension, score (NaN if skipped)."""
    where, params = ("AND c.week >= ?", [since.isoformat()]) if since else ("", [])
    rows = db.execute(
        "SELECT c.week, c.partner_id, p.name, s.dimension, s.score, s.wants_more "
        "FROM scores s JOIN checkins c ON c.id = s.checkin_id "
        f"JOIN partners p ON p.id = c.partner_id WHERE {_valid_week('c.week')} "
        f"{where} ORDER BY c.week, c.partner_id",
        params,
    ).fetchall()
    return pd.DataFrame(rows, columns=SCORE_COLUMNS).astype(SCORE_DTYPES)


def first_checkin_week(db: Database) -> date | None:
    """The couple's first check-in week, from which the monthly measure is counted."""
    row = db.execute(f"SELECT min(week) FROM checkins WHERE {VALID_WEEK}").fetchone()
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
    keyring = _keyring(db)
    records = []
    for partner_id, week, *values, shared, sealed in db.execute(
        "SELECT c.partner_id, c.week, a.item1, a.item2, a.item3, a.item4, a.shared, a.sealed "
        "FROM csi_answers a JOIN checkins c ON c.id = a.checkin_id "
        f"WHERE {_valid_week('c.week')} ORDER BY c.week, c.partner_id"
    ):
        day = date.fromisoformat(week)
        if sealed:
            values = _open_csi(keyring, partner_id, day, sealed)
        records.append(CsiRecord(partner_id, day, tuple(values), bool(shared)))
    return records


# Weekly plans and follow-through


@dataclass(frozen=True)
class PlanItem:
    """One thing in a week's plan: a question, an exercise, or a partner's commitment."""

    id: int
    week: date
    kind: ItemKind
    item_id: str | None
    dimension: str | None
    partner_id: int | None
    body: str | None


def add_plan_item(
    db: Database, week: date, kind: ItemKind, item_id: str, dimension: str | None, partner_id: int
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
        PlanItem(
            id_, date.fromisoformat(week), ItemKind(kind), item_id, dimension, partner_id, body
        )
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
    return _plan_items(db, VALID_WEEK, [])


def previous_plan_week(db: Database, before: date) -> date | None:
    """The latest week before `before` that has a plan, for the follow-up questions."""
    row = db.execute(
        f"SELECT max(week) FROM plan_items WHERE week < ? AND {VALID_WEEK}", [before.isoformat()]
    ).fetchone()
    return date.fromisoformat(row[0]) if row[0] else None


@dataclass(frozen=True)
class Followup:
    """A partner's answer about one plan item: done or not, and whether it helped."""

    plan_item_id: int
    partner_id: int
    done: bool
    rating: Rating | None


def save_followups(db: Database, partner_id: int, answers: dict[int, FollowupAnswer]) -> None:
    """Store a partner's follow-up on last week's plan, replacing earlier answers."""
    with write_transaction(db):
        _write_followups(db, partner_id, answers, _now())


def _write_followups(
    db: Database, partner_id: int, answers: dict[int, FollowupAnswer], now: str
) -> None:
    for plan_item_id, answer in answers.items():
        db.execute(
            "INSERT INTO followups (plan_item_id, partner_id, done, rating, answered_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (plan_item_id, partner_id) DO UPDATE SET "
            "done = excluded.done, rating = excluded.rating, "
            "answered_at = excluded.answered_at",
            [plan_item_id, partner_id, int(answer.done), answer.rating, now],
        )


def load_followups(db: Database) -> list[Followup]:
    """Every follow-up answer."""
    return [
        Followup(plan_item_id, partner_id, bool(done), None if rating is None else Rating(rating))
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


# Drafts: what a partner has typed but not yet saved


@dataclass(frozen=True)
class Draft:
    """An unsaved check-in: the answers so far, and the revision it started from (0: none)."""

    answers: Answers
    base_revision: int
    saved_at: str


def save_draft(
    db: Database, partner_id: int, week: date, answers: Answers, base_revision: int
) -> None:
    """Keep what a partner has typed so far for a week, sealed like their saved notes."""
    with write_transaction(db):
        stored = _stored_form(answers, _sealing_key(db, partner_id), partner_id, week)
        db.execute(
            "INSERT INTO checkin_drafts (partner_id, week, base_revision, saved_at, answers) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (partner_id, week) DO UPDATE SET "
            "base_revision = excluded.base_revision, saved_at = excluded.saved_at, "
            "answers = excluded.answers",
            [partner_id, week.isoformat(), base_revision, _now(), stored.revision_json],
        )


def load_draft(db: Database, partner_id: int, week: date) -> Draft | None:
    """A partner's unsaved check-in for a week, or None."""
    row = db.execute(
        "SELECT answers, base_revision, saved_at FROM checkin_drafts "
        "WHERE partner_id = ? AND week = ?",
        [partner_id, week.isoformat()],
    ).fetchone()
    if row is None:
        return None
    return Draft(_open_revision(_keyring(db), partner_id, week, row[0]), row[1], row[2])


def discard_draft(db: Database, partner_id: int, week: date) -> None:
    """Forget a partner's unsaved check-in for a week."""
    db.execute(
        "DELETE FROM checkin_drafts WHERE partner_id = ? AND week = ?",
        [partner_id, week.isoformat()],
    )


# Private notes at rest (sealed with closer.vault; only their author's key opens them)

CSI_FIELD = "csi"


def _keyring(db: Database) -> vault.Keyring:
    return getattr(db, "keyring", None) or {}


def _reflection_field(prompt: str) -> str:
    return f"reflection:{prompt}"


def has_private_key(db: Database, partner_id: int) -> bool:
    """Whether this partner's private notes are sealed in the file (they have a passcode key)."""
    row = db.execute("SELECT key_by_passcode FROM partners WHERE id = ?", [partner_id]).fetchone()
    return bool(row and row[0])


def _sealing_key(db: Database, partner_id: int) -> bytes | None:
    """The key this partner's private notes are sealed with, or None when they have none."""
    if not has_private_key(db, partner_id):
        return None
    key = _keyring(db).get(partner_id)
    if key is None:
        # Writing their notes in plain text would undo the promise; refuse instead.
        raise StoreError(
            "These private notes are locked with a passcode that hasn't been entered in this "
            "browser. Unlock first, then save again. Nothing was changed."
        )
    return key


@dataclass(frozen=True)
class _StoredForm:
    """A check-in as it is written to the file: private parts sealed when there is a key."""

    bodies: dict[str, str]
    csi_values: tuple[int | None, ...]
    csi_sealed: str | None
    revision_json: str


def _stored_form(answers: Answers, key: bytes | None, partner_id: int, week: date) -> _StoredForm:
    data = json.loads(answers.to_json())
    bodies = {}
    for prompt, reflection in answers.reflections.items():
        body = reflection.text
        if key is not None and not reflection.shared:
            place = vault.place_of(partner_id, week, _reflection_field(prompt))
            body = vault.seal(key, reflection.text, place)
            # The same sealed value in the row and its saved version: one secret, one copy.
            data["reflections"][prompt]["text"] = body
        bodies[prompt] = body
    csi_values: tuple[int | None, ...] = (None, None, None, None)
    csi_sealed = None
    if answers.csi is not None:
        csi_values = tuple(answers.csi.values)
        if key is not None and not answers.csi.shared:
            place = vault.place_of(partner_id, week, CSI_FIELD)
            csi_sealed = vault.seal(key, json.dumps(list(csi_values)), place)
            csi_values = (None,) * len(csi_values)
            data["csi"] = {"values": list(csi_values), "shared": False, "sealed": csi_sealed}
    revision_json = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return _StoredForm(bodies, csi_values, csi_sealed, revision_json)


def _open_text(keyring: vault.Keyring, partner_id: int, week: date, field: str, body: str) -> str:
    if not vault.is_sealed(body):
        return body
    opened = vault.open_or_locked(
        keyring, partner_id, body, vault.place_of(partner_id, week, field)
    )
    return vault.LOCKED_TEXT if opened is None else opened


def _open_csi(
    keyring: vault.Keyring, partner_id: int, week: date, sealed: str
) -> tuple[int | None, ...]:
    place = vault.place_of(partner_id, week, CSI_FIELD)
    opened = vault.open_or_locked(keyring, partner_id, sealed, place)
    # Locked answers read as unanswered: no total, nothing charted, nothing inferred.
    return (None, None, None, None) if opened is None else tuple(json.loads(opened))


def _open_revision(keyring: vault.Keyring, partner_id: int, week: date, raw: str) -> Answers:
    data = json.loads(raw)
    for prompt, reflection in data["reflections"].items():
        field = _reflection_field(prompt)
        reflection["text"] = _open_text(keyring, partner_id, week, field, reflection["text"])
    csi = data.get("csi")
    if csi and csi.get("sealed"):
        csi["values"] = list(_open_csi(keyring, partner_id, week, csi.pop("sealed")))
    return Answers.from_json(json.dumps(data))


def _convert_private_notes(
    db: Database, partner_id: int, convert: Callable[[str, str], str | None]
) -> None:
    """Pass every private note of a partner (current and saved versions) through convert.

    ``convert(value, place)`` returns the new stored value, or None to drop the note. Private
    CSI-4 answers pass as the JSON list of their four values. Call inside a transaction.
    """
    memo: dict[tuple[str, str], str | None] = {}

    def once(value: str, place: str) -> str | None:
        # The row and its newest saved version hold the same value, and keep doing so.
        if (place, value) not in memo:
            memo[(place, value)] = convert(value, place)
        return memo[(place, value)]

    checkins = db.execute(
        "SELECT id, week FROM checkins WHERE partner_id = ?", [partner_id]
    ).fetchall()
    for checkin_id, week in checkins:
        day = date.fromisoformat(week)
        csi_place = vault.place_of(partner_id, day, CSI_FIELD)
        for prompt, body in db.execute(
            "SELECT prompt, body FROM reflections WHERE checkin_id = ? AND shared = 0",
            [checkin_id],
        ).fetchall():
            new = once(body, vault.place_of(partner_id, day, _reflection_field(prompt)))
            if new == body:
                continue  # unchanged (already sealed, say): no write
            if new is None:
                db.execute(
                    "DELETE FROM reflections WHERE checkin_id = ? AND prompt = ?",
                    [checkin_id, prompt],
                )
            else:
                db.execute(
                    "UPDATE reflections SET body = ? WHERE checkin_id = ? AND prompt = ?",
                    [new, checkin_id, prompt],
                )
        row = db.execute(
            "SELECT item1, item2, item3, item4, sealed FROM csi_answers "
            "WHERE checkin_id = ? AND shared = 0",
            [checkin_id],
        ).fetchone()
        if row is not None:
            before = row[4] or json.dumps(list(row[:4]))
            new = once(before, csi_place)
            if new == before:
                pass  # unchanged: no write
            elif new is None:
                db.execute("DELETE FROM csi_answers WHERE checkin_id = ?", [checkin_id])
            else:
                values, sealed = _csi_columns(new)
                db.execute(
                    "UPDATE csi_answers SET item1 = ?, item2 = ?, item3 = ?, item4 = ?, "
                    "sealed = ? WHERE checkin_id = ?",
                    [*values, sealed, checkin_id],
                )
        for revision_id, raw in db.execute(
            "SELECT id, answers FROM checkin_revisions WHERE checkin_id = ?", [checkin_id]
        ).fetchall():
            converted = _convert_answers_json(raw, partner_id, day, once)
            if converted != raw:
                db.execute(
                    "UPDATE checkin_revisions SET answers = ? WHERE id = ?",
                    [converted, revision_id],
                )
    for week, raw in db.execute(
        "SELECT week, answers FROM checkin_drafts WHERE partner_id = ?", [partner_id]
    ).fetchall():
        db.execute(
            "UPDATE checkin_drafts SET answers = ? WHERE partner_id = ? AND week = ?",
            [
                _convert_answers_json(raw, partner_id, date.fromisoformat(week), once),
                partner_id,
                week,
            ],
        )


def _convert_answers_json(
    raw: str, partner_id: int, week: date, convert: Callable[[str, str], str | None]
) -> str:
    """A saved version or draft (answers JSON) with its private parts passed through convert."""
    data = json.loads(raw)
    for prompt, reflection in list(data["reflections"].items()):
        if not reflection["shared"]:
            place = vault.place_of(partner_id, week, _reflection_field(prompt))
            new = convert(reflection["text"], place)
            if new is None:
                del data["reflections"][prompt]
            else:
                reflection["text"] = new
    csi = data.get("csi")
    if csi and not csi["shared"]:
        place = vault.place_of(partner_id, week, CSI_FIELD)
        new = convert(csi.get("sealed") or json.dumps(csi["values"]), place)
        if new is None:
            del data["csi"]
        else:
            values, sealed = _csi_columns(new)
            data["csi"] = {"values": list(values), "shared": False}
            if sealed:
                data["csi"]["sealed"] = sealed
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _csi_columns(value: str) -> tuple[tuple[int | None, ...], str | None]:
    """Private CSI-4 answers as stored: four NULLs and the sealed value, or the four values."""
    if vault.is_sealed(value):
        return (None, None, None, None), value
    return tuple(json.loads(value)), None


def _sealer(key: bytes) -> Callable[[str, str], str]:
    return lambda value, place: value if vault.is_sealed(value) else vault.seal(key, value, place)


def _opener(key: bytes) -> Callable[[str, str], str]:
    def open_value(value: str, place: str) -> str:
        if not vault.is_sealed(value):
            return value
        try:
            return vault.open_sealed(key, value, place)
        except vault.VaultError:
            # Sealed under another key (a restored file): it stays as it is, still unreadable.
            return value

    return open_value


@dataclass(frozen=True)
class NewPasscode:
    """What setting a passcode stores: its hash and the data key wrapped two ways."""

    passcode_hash: str
    key_by_passcode: str
    key_by_recovery: str


def set_passcode(db: Database, partner_id: int, new: NewPasscode, key: bytes) -> None:
    """Give a partner a passcode and seal every private note they wrote, in one transaction."""
    with write_transaction(db):
        db.execute(
            "UPDATE partners SET passcode_hash = ?, key_by_passcode = ?, key_by_recovery = ?, "
            "failed_unlocks = 0, last_failed_unlock = NULL WHERE id = ?",
            [new.passcode_hash, new.key_by_passcode, new.key_by_recovery, partner_id],
        )
        _convert_private_notes(db, partner_id, _sealer(key))
    scrub_free_space(db)


def change_passcode(
    db: Database, partner_id: int, passcode_hash: str, key_by_passcode: str
) -> None:
    """A new passcode for the same data key: re-wrapped, nothing re-encrypted."""
    with write_transaction(db):
        db.execute(
            "UPDATE partners SET passcode_hash = ?, key_by_passcode = ?, failed_unlocks = 0, "
            "last_failed_unlock = NULL WHERE id = ?",
            [passcode_hash, key_by_passcode, partner_id],
        )


def remove_passcode(db: Database, partner_id: int, key: bytes | None) -> None:
    """Take a partner's passcode away, opening their sealed notes back into plain text."""
    with write_transaction(db):
        if key is not None:
            _convert_private_notes(db, partner_id, _opener(key))
        db.execute(
            "UPDATE partners SET passcode_hash = NULL, key_by_passcode = NULL, "
            "key_by_recovery = NULL, failed_unlocks = 0, last_failed_unlock = NULL WHERE id = ?",
            [partner_id],
        )


def forget_passcode(db: Database, partner_id: int) -> None:
    """Remove a forgotten passcode without its key: sealed notes can't be read, so they go."""
    with write_transaction(db):
        _convert_private_notes(
            db, partner_id, lambda value, place: None if vault.is_sealed(value) else value
        )
        db.execute(
            "UPDATE partners SET passcode_hash = NULL, key_by_passcode = NULL, "
            "key_by_recovery = NULL, failed_unlocks = 0, last_failed_unlock = NULL WHERE id = ?",
            [partner_id],
        )
    scrub_free_space(db)


@dataclass(frozen=True)
class SealedNotes:
    """How much of a partner's writing is sealed: notes, CSI-4 answers, earlier versions."""

    notes: int
    csi_answers: int
    earlier_versions: int


def count_sealed_notes(db: Database, partner_id: int) -> SealedNotes:
    """What would become unreadable if this partner's key were lost."""
    notes, csi, versions = db.execute(
        "SELECT"
        " (SELECT count(*) FROM reflections r JOIN checkins c ON c.id = r.checkin_id"
        "  WHERE c.partner_id = :p AND r.body LIKE 'sealed:%'),"
        " (SELECT count(*) FROM csi_answers a JOIN checkins c ON c.id = a.checkin_id"
        "  WHERE c.partner_id = :p AND a.sealed IS NOT NULL),"
        " (SELECT count(*) FROM checkin_revisions v JOIN checkins c ON c.id = v.checkin_id"
        "  WHERE c.partner_id = :p AND v.revision < c.revision AND v.answers LIKE '%sealed:%')",
        {"p": partner_id},
    ).fetchone()
    return SealedNotes(notes, csi, versions)


@dataclass(frozen=True)
class WrappedKeys:
    """A partner's data key as stored: wrapped by their passcode and by their recovery code."""

    by_passcode: str | None
    by_recovery: str | None


def load_wrapped_keys(db: Database, partner_id: int) -> WrappedKeys:
    """The wrapped forms of a partner's data key (both None without a passcode key)."""
    row = db.execute(
        "SELECT key_by_passcode, key_by_recovery FROM partners WHERE id = ?", [partner_id]
    ).fetchone()
    return WrappedKeys(*row) if row else WrappedKeys(None, None)


def scrub_free_space(db: Database) -> None:
    """Empty the write-ahead log into the file, so replaced text lives on in neither."""
    # Another session's read can hold the log open for a moment: try for up to 5 seconds.
    for _ in range(50):
        busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if not busy:
            return
        sleep(0.1)
    log.warning("write-ahead log still in use after 5 s; it is emptied at the next checkpoint")


def _has_plain_private_notes(db: Database, partner_id: int) -> bool:
    found: list[str] = []

    def note(value: str, place: str) -> str:
        if not vault.is_sealed(value):
            found.append(place)
        return value

    _convert_private_notes(db, partner_id, note)
    return bool(found)


def seal_restored_notes(db: Database) -> None:
    """Seal plain private notes that a restore brought in for partners with a key.

    Call inside the restore's transaction, with the keys of everyone whose data it reached
    in ``db.keyring``. A keyed partner whose plain notes arrived without their key in hand
    makes it raise StoreError, so the restore rolls back rather than leave them readable.
    """
    keyring = _keyring(db)
    for (partner_id,) in db.execute(
        "SELECT id FROM partners WHERE key_by_passcode IS NOT NULL ORDER BY id"
    ).fetchall():
        key = keyring.get(partner_id)
        if key is not None:
            _convert_private_notes(db, partner_id, _sealer(key))
            continue
        if _has_plain_private_notes(db, partner_id):
            raise StoreError(
                "This would bring back private notes of someone with a passcode without sealing "
                "them, so nothing was changed. Ask them to unlock Closer and try again."
            )


def apply_passcode_to_copy(path: Path, partner: Partner, key: bytes, *, seal: bool) -> bool:
    """Seal (or open) a partner's private notes inside a database copy, such as a backup.

    Returns False, changing nothing, when the copy does not hold this partner (same id and
    name). The copy is brought up to this schema first, then compacted (VACUUM) so no free
    page keeps the old text.
    """
    with open_db(path) as db:
        row = db.execute("SELECT name FROM partners WHERE id = ?", [partner.id]).fetchone()
        if row is None or row[0].casefold() != partner.name.casefold():
            return False
        if migrations.pending(db):
            with write_transaction(db):
                migrations.apply(db)
        with write_transaction(db):
            _convert_private_notes(db, partner.id, _sealer(key) if seal else _opener(key))
        db.execute("VACUUM")
    return True


def partners_without_passcode(db: Database) -> list[str]:
    """The names of partners who have no passcode, in joining order."""
    return [
        row[0]
        for row in db.execute("SELECT name FROM partners WHERE passcode_hash IS NULL ORDER BY id")
    ]


@dataclass(frozen=True)
class Reservation:
    """A passcode try asked for: let through (counted as wrong until proven right), or a wait."""

    passcode_hash: str | None
    failed_unlocks: int  # the run of wrong tries, this one included when it was let through
    wait: timedelta  # zero when the try was let through


def _unlock_wait(
    db: Database, partner_id: int, now: datetime
) -> tuple[UnlockState, int, timedelta]:
    state = load_unlock_state(db, partner_id)
    failed = read_count(state.failed_unlocks)
    last = read_moment(state.last_failed_unlock, now)
    if last is not None and last == now and state.last_failed_unlock != now.isoformat():
        # Stored in the future (a clock put back, an edited file): it counts as now, and now
        # is written down, so the wait runs out instead of starting again on every visit.
        db.execute(
            "UPDATE partners SET last_failed_unlock = ? WHERE id = ?", [now.isoformat(), partner_id]
        )
    return state, failed, wait_before_next_try(failed, last, now)


def unlock_wait(db: Database, partner_id: int, now: datetime) -> timedelta:
    """How long a partner must wait before their next passcode try (zero: they may try now)."""
    return _unlock_wait(db, partner_id, now)[2]


def reserve_unlock_attempt(db: Database, partner_id: int, now: datetime) -> Reservation:
    """Check the wait and count a try as wrong in one write transaction, before any checking.

    Many browser tabs pressing Unlock at once queue on the write lock: the first takes the
    try and starts the next wait, so the others are told to wait instead of being checked.
    A right passcode then clears the count with ``record_unlock(db, partner_id, True)``.
    """
    with write_transaction(db):
        state, failed, wait = _unlock_wait(db, partner_id, now)
        if wait:
            return Reservation(state.passcode_hash, failed, wait)
        db.execute(
            "UPDATE partners SET failed_unlocks = ?, last_failed_unlock = ? WHERE id = ?",
            [failed + 1, now.isoformat(), partner_id],
        )
    return Reservation(state.passcode_hash, failed + 1, timedelta(0))


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


# Whole tables, for backups, restores and erasing (closer.tables says what each one holds)


def table_rows(
    db: Database, table: str, columns: list[str], order_by: str | None = None
) -> Iterator[dict]:
    """Every row of any table as dictionaries, in the given columns and order."""
    select = ", ".join(quote_identifier(c) for c in columns)
    return db[table].rows_where(select=select, order_by=order_by)


def find_by_key(
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


def insert_row(db: Database, table: str, record: dict) -> int:
    """Insert one row into any table; returns its rowid."""
    return db[table].insert(record).last_rowid


def insert_rows(db: Database, table: str, records: list[dict]) -> None:
    """Insert rows into any table."""
    db[table].insert_all(records)


def delete_rows(db: Database, table: str) -> None:
    """Delete every row of any table."""
    db[table].delete_where()


def set_checkin_revision(db: Database, checkin_id: int, revision: int) -> None:
    """Point a check-in at its current revision number (after a merge renumbers its history)."""
    db.execute("UPDATE checkins SET revision = ? WHERE id = ?", [revision, checkin_id])


def checkin_revision(db: Database, checkin_id: int) -> int:
    """The current revision number of a check-in."""
    return db.execute("SELECT revision FROM checkins WHERE id = ?", [checkin_id]).fetchone()[0]


def delete_checkins(db: Database, week: date, partner_id: int | None = None) -> int:
    """Delete one partner's or both check-ins of a week, in a transaction; returns how many."""
    if not db.execute("PRAGMA foreign_keys").fetchone()[0]:
        # Without them the check-in would go and its reflections stay behind, unreachable.
        raise ValueError("foreign keys are off: open the database with store.open_db")
    where, params = "week = ?", [week.isoformat()]
    if partner_id is not None:
        where, params = f"{where} AND partner_id = ?", [*params, partner_id]
    with write_transaction(db):
        count = db["checkins"].count_where(where, params)
        db["checkins"].delete_where(where, params)
    return count


@contextmanager
def secure_erase(db: Database) -> Iterator[None]:
    """Overwrite deleted content on disk too, so it cannot be read back from the file."""
    previous = db.execute("PRAGMA secure_delete").fetchone()[0]
    db.execute("PRAGMA secure_delete = ON")
    try:
        yield
    finally:
        db.execute(f"PRAGMA secure_delete = {int(previous)}")
    # Until a checkpoint the old pages also live on in the write-ahead log.
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


# Whole database files


def copy_database(source: Path, target: Path, *, standalone: bool = False) -> None:
    """Copy a whole database with SQLite's online backup API, safe while others use it."""
    src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        dst = sqlite3.connect(target, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            src.backup(dst)
            if standalone:
                # One self-contained file: no -wal or -shm beside it once closed.
                dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def inspect_database_file(path: Path) -> tuple[bool, list[str]] | None:
    """Read-only: whether a file passes SQLite's quick check and the migrations it has applied.

    None when the file is not an SQLite database at all.
    """
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return False, []
            return True, [m.name for m in migrations.applied(Database(conn))]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None


# Credentials through a restore: they stay with their partner, never come from a file


def load_credentials(db: Database) -> dict[int, tuple[str, dict[str, object]]]:
    """Each partner's name and credential columns, keyed by id."""
    columns = ", ".join(CREDENTIAL_COLUMNS)
    return {
        row[0]: (row[1], dict(zip(CREDENTIAL_COLUMNS, row[2:], strict=True)))
        for row in db.execute(f"SELECT id, name, {columns} FROM partners")
    }


def keep_credentials(db: Database, saved: dict[int, tuple[str, dict[str, object]]]) -> None:
    """Put saved credentials back on partners with the same id and name (ignoring case).

    A partner nobody here matches keeps what the restored data gave them, but never a wait:
    an unlock count is about this computer's recent tries, not about the data.
    """
    for partner_id, name in db.execute("SELECT id, name FROM partners").fetchall():
        found = saved.get(partner_id)
        if found and found[0].casefold() == name.casefold():
            values = found[1]
        else:
            values = {"failed_unlocks": 0, "last_failed_unlock": None}
        assignments = ", ".join(f"{column} = ?" for column in values)
        db.execute(
            f"UPDATE partners SET {assignments} WHERE id = ?", [*values.values(), partner_id]
        )


def checkin_owner(db: Database, checkin_id: int) -> int:
    """The partner a check-in belongs to."""
    return db.execute("SELECT partner_id FROM checkins WHERE id = ?", [checkin_id]).fetchone()[0]


def unreadable_weeks(db: Database) -> dict[str, int]:
    """How many check-ins and plan items have a week Closer can't read (see VALID_WEEK)."""
    return {
        table: db.execute(f"SELECT count(*) FROM {table} WHERE NOT {VALID_WEEK}").fetchone()[0]
        for table in ("checkins", "plan_items")
    }


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
