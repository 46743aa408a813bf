"""Rows Closer can't read (another program, a damaged disk): listing them, and deleting them.

Every reader in the store leaves such rows out (store.db's closer_week, closer_moment and
closer_answers checks), so none of them stops a page; this module is how Your data says
which they are and lets their owner delete them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

from closer.store.db import VALID_WEEK, secure_erase, write_transaction
from closer.store.readable import (
    _readable_checkin,
    answers_problem,
    readable_moment,
    readable_week,
)
from closer.words import cut


@dataclass(frozen=True)
class UnreadableRow:
    """One row Closer leaves out: where it is, whose it is, and what is wrong with it."""

    table: str
    rowid: int
    owner_id: int | None  # the partner it belongs to; None when it is nobody's in particular
    what: str  # "a check-in", "a draft", ... in product words
    week: str  # the week as stored, cut to closer.words.SHOWN_CHARS
    problem: str


# (table, owner column, what it is) for the tables whose rows are named by a week.
_WEEK_TABLES = (
    ("checkins", "partner_id", "a check-in"),
    ("checkin_drafts", "partner_id", "an unsaved check-in (a draft)"),
    ("plan_items", "partner_id", "a plan item"),
    ("note_replies", "author_id", "a reply to a note"),
    ("talk_marks", "marked_by", "a note marked for Our talk"),
)
BAD_WEEK = "its week isn't a real Monday"


# SQL: a row of each table Closer can read (the same checks as the readers use).
_READABLE = {
    "checkins": _readable_checkin(),
    "checkin_drafts": (
        "closer_week(week) AND closer_moment(saved_at) AND closer_answers(answers) "
        "AND typeof(base_revision) = 'integer' AND base_revision >= 0"
    ),
}


def unreadable_rows(db: Database) -> list[UnreadableRow]:
    """Every row Closer leaves out because it can't read it, table by table."""
    found = []
    for table, owner, what in _WEEK_TABLES:
        extra = {
            "checkins": ", updated_at, revision",
            "checkin_drafts": ", saved_at, answers, base_revision",
        }.get(table, "")
        # SQLite picks out the few bad rows; Python says what is wrong with each.
        for rowid, owner_id, week, *rest in db.execute(
            f"SELECT rowid, {owner}, week{extra} FROM {table} "
            f"WHERE NOT ({_READABLE.get(table, VALID_WEEK)}) ORDER BY rowid"
        ):
            problem = _problem(table, week, rest) or "it can't be read"
            found.append(UnreadableRow(table, rowid, owner_id, what, cut(week), problem))
    # A saved version of a check-in that is itself unreadable goes with it, listed already.
    for rowid, owner_id, week, saved_at, answers in db.execute(
        "SELECT r.rowid, c.partner_id, c.week, r.saved_at, r.answers "
        "FROM checkin_revisions r JOIN checkins c ON c.id = r.checkin_id "
        f"WHERE {_readable_checkin('c.')} "
        "AND NOT (closer_moment(r.saved_at) AND closer_answers(r.answers)) ORDER BY r.rowid"
    ):
        problem = (
            _moment_problem(saved_at, "saved") or answers_problem(answers) or "it can't be read"
        )
        what = "a saved version of a check-in"
        found.append(
            UnreadableRow("checkin_revisions", rowid, owner_id, what, cut(week), problem or "")
        )
    return found


def _moment_problem(value: object, verb: str) -> str | None:
    return None if readable_moment(value) else f"the time it was {verb} can't be read"


def _problem(table: str, week: object, rest: list) -> str | None:
    if readable_week(week) is None:
        return BAD_WEEK
    if table == "checkins":
        updated_at, revision = rest
        if not isinstance(revision, int):
            return "its version number isn't a whole number"
        return _moment_problem(updated_at, "saved")
    if table == "checkin_drafts":
        saved_at, answers, base = rest
        if not isinstance(base, int) or base < 0:
            return "the version it started from isn't a whole number"
        return _moment_problem(saved_at, "kept") or answers_problem(answers)
    return None


def delete_unreadable_row(db: Database, table: str, rowid: int, partner_id: int) -> bool:
    """Delete one unreadable row of this partner's (or of nobody's); False if there was none.

    Only a row that is still unreadable goes: this never deletes anything Closer can read.
    A damaged saved version is taken out of its check-in's history, which is numbered again
    from 1; when it was the newest, it is written again from the check-in's current answers.
    """
    with secure_erase(db), write_transaction(db):
        row = next(
            (
                r
                for r in unreadable_rows(db)
                if (r.table, r.rowid) == (table, rowid) and r.owner_id in (None, partner_id)
            ),
            None,
        )
        if row is None:
            return False
        if table == "checkin_revisions":
            _mend_history(db, rowid)
        else:
            db.execute(f"DELETE FROM {table} WHERE rowid = ?", [rowid])
    return True


def _mend_history(db: Database, rowid: int) -> None:
    checkin_id, number = db.execute(
        "SELECT checkin_id, revision FROM checkin_revisions WHERE rowid = ?", [rowid]
    ).fetchone()
    latest = db.execute("SELECT revision FROM checkins WHERE id = ?", [checkin_id]).fetchone()[0]
    if number == latest:
        db.execute(
            "UPDATE checkin_revisions SET answers = ? WHERE rowid = ?",
            [_current_answers_json(db, checkin_id), rowid],
        )
        return
    db.execute("DELETE FROM checkin_revisions WHERE rowid = ?", [rowid])
    # One at a time, upwards: each number is free by the time the next moves into it.
    for (later,) in db.execute(
        "SELECT revision FROM checkin_revisions WHERE checkin_id = ? AND revision > ? "
        "ORDER BY revision",
        [checkin_id, number],
    ).fetchall():
        db.execute(
            "UPDATE checkin_revisions SET revision = ? WHERE checkin_id = ? AND revision = ?",
            [later - 1, checkin_id, later],
        )
    db.execute("UPDATE checkins SET revision = revision - 1 WHERE id = ?", [checkin_id])


def _current_answers_json(db: Database, checkin_id: int) -> str:
    """A check-in's current rows as a saved version holds them (sealed parts as they are)."""
    scores, wants = {}, []
    for dimension, score, wants_more in db.execute(
        "SELECT dimension, score, wants_more FROM scores WHERE checkin_id = ?", [checkin_id]
    ):
        scores[dimension] = score
        if wants_more:
            wants.append(dimension)
    data: dict = {
        "scores": scores,
        "wants_more": sorted(wants),
        "reflections": {
            prompt: {"text": body, "shared": bool(shared)}
            for prompt, body, shared in db.execute(
                "SELECT prompt, body, shared FROM reflections WHERE checkin_id = ?", [checkin_id]
            )
        },
    }
    csi = db.execute(
        "SELECT item1, item2, item3, item4, shared, sealed FROM csi_answers WHERE checkin_id = ?",
        [checkin_id],
    ).fetchone()
    if csi is not None:
        data["csi"] = {"values": list(csi[:4]), "shared": bool(csi[4])}
        if csi[5]:
            data["csi"]["sealed"] = csi[5]
    return json.dumps(data, ensure_ascii=False, sort_keys=True)
