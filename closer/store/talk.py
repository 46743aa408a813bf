"""Replies to shared notes, and notes marked to talk about."""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from closer.store.db import VALID_WEEK, _now, write_transaction
from closer.store.model import NoteReply, TalkMark
from closer.store.readable import checked_week


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
        NoteReply(checked_week(w), note_author_id, prompt, author_id, body)
        for w, note_author_id, prompt, author_id, body in db.execute(
            "SELECT week, note_author_id, prompt, author_id, body FROM note_replies"
            f" WHERE week = ? AND {VALID_WEEK} ORDER BY id",
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
        TalkMark(checked_week(w), note_author_id, prompt, marked_by)
        for w, note_author_id, prompt, marked_by in db.execute(
            "SELECT week, note_author_id, prompt, marked_by FROM talk_marks"
            f" WHERE week = ? AND {VALID_WEEK} ORDER BY id",
            [week.isoformat()],
        )
    ]
