"""The schema: every migration, in order, and the names a newer file is recognised by."""

from __future__ import annotations

import json

from sqlite_utils import Database, Migrations

MIGRATION_SET = "closer"


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


@_migration
def m006_deck_cards(db: Database) -> None:
    """Date-night evenings, the cards each showed, and each partner's say on sex questions."""
    # Only which cards were shown, skipped and starred: never anything anyone said.
    db.execute(
        "CREATE TABLE deck_evenings ("
        " id INTEGER PRIMARY KEY,"
        " started_at TEXT NOT NULL UNIQUE,"
        " minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 600))"
    )
    db.execute(
        "CREATE TABLE deck_cards ("
        " evening_id INTEGER NOT NULL REFERENCES deck_evenings(id) ON DELETE CASCADE,"
        " position INTEGER NOT NULL CHECK (position >= 1),"
        " question_id TEXT NOT NULL,"
        " skipped INTEGER NOT NULL CHECK (skipped IN (0, 1)),"
        " starred INTEGER NOT NULL CHECK (starred IN (0, 1)),"
        " PRIMARY KEY (evening_id, question_id))"
    )
    # Each partner's own say: sexual questions join a deck only when both have said yes.
    db.execute(
        "CREATE TABLE deck_opt_ins ("
        " partner_id INTEGER PRIMARY KEY REFERENCES partners(id) ON DELETE CASCADE,"
        " sexual INTEGER NOT NULL CHECK (sexual IN (0, 1)),"
        " changed_at TEXT NOT NULL)"
    )


@_migration
def m008_notifications(db: Database) -> None:
    """Each partner's notification addresses, and a log so no notice is ever sent twice."""
    # An address can hold a token (a topic, a password): like a passcode it stays on this
    # computer, never in a backup file (closer.store.tables.LOCAL_TABLES).
    db.execute(
        "CREATE TABLE notify_addresses ("
        " id INTEGER PRIMARY KEY,"
        " partner_id INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,"
        " url TEXT NOT NULL,"
        " created_at TEXT NOT NULL,"
        " UNIQUE (partner_id, url))"
    )
    # One row per notice, claimed before it is sent: the key (event, week, partner) is unique,
    # so a second claim of the same notice finds it taken.
    db.execute(
        "CREATE TABLE notice_log ("
        " key TEXT PRIMARY KEY,"
        " event TEXT NOT NULL,"
        " week TEXT NOT NULL,"
        " partner_id INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,"
        " claimed_at TEXT NOT NULL,"
        " outcome TEXT)"  # NULL while sending; 'sent', or what went wrong in words
    )


@_migration
def m009_sealed_notes_marked(db: Database) -> None:
    """Sealed private notes marked by a column (and a JSON field) of their own."""
    # Until now a sealed note was told from text by its "sealed:v1:" prefix, so a note typed
    # to look like one read as locked, and was never sealed. From here on only the mark says.
    db.execute(
        "ALTER TABLE reflections ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0 "
        "CHECK (sealed IN (0, 1))"
    )
    mark_sealed_by_prefix(db)


# The only place the old prefix still means anything: data written before m009 (a database
# being upgraded, or a backup file made by an earlier version). Only partners with a key ever
# had anything sealed, and only private notes.
LEGACY_SEALED_PREFIX = "sealed:v1:"


def mark_sealed_by_prefix(db: Database, checkin_ids: list[int] | None = None) -> None:
    """Mark the sealed notes of data written before m009, recognised by the old prefix."""
    keyed = (
        "SELECT c.id FROM checkins c JOIN partners p ON p.id = c.partner_id "
        "WHERE p.key_by_passcode IS NOT NULL"
    )
    if checkin_ids is not None:
        keyed += f" AND c.id IN ({','.join('?' * len(checkin_ids))})"
    params = list(checkin_ids or [])
    db.execute(
        "UPDATE reflections SET sealed = 1 WHERE shared = 0 AND substr(body, 1, ?) = ? "
        f"AND checkin_id IN ({keyed})",
        [len(LEGACY_SEALED_PREFIX), LEGACY_SEALED_PREFIX, *params],
    )
    rows = db.execute(
        f"SELECT 'checkin_revisions', id, answers FROM checkin_revisions WHERE checkin_id IN "
        f"({keyed}) UNION ALL SELECT 'checkin_drafts', d.rowid, d.answers FROM checkin_drafts d "
        "JOIN partners p ON p.id = d.partner_id WHERE p.key_by_passcode IS NOT NULL",
        params,
    ).fetchall()
    for table, row_id, raw in rows:
        marked = marked_answers(raw)
        if marked != raw:
            db.execute(f"UPDATE {table} SET answers = ? WHERE rowid = ?", [marked, row_id])


def marked_answers(raw: str) -> str:
    """Answers JSON with each private note that carries the old prefix marked sealed."""
    try:
        data = json.loads(raw)
        notes = data["reflections"].values()
    except (ValueError, TypeError, KeyError, AttributeError):
        return raw  # unreadable: left as it is (Your data lists such rows)
    changed = False
    for note in notes:
        text = note.get("text") if isinstance(note, dict) else None
        if (
            isinstance(text, str)
            and text.startswith(LEGACY_SEALED_PREFIX)
            and not note.get("shared")
        ):
            note["sealed"] = True
            changed = True
    return json.dumps(data, ensure_ascii=False, sort_keys=True) if changed else raw


def migration_names() -> list[str]:
    """The schema migrations this version of Closer knows, oldest first."""
    return list(_migration_names)
