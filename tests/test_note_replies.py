"""Replies to shared notes and "let's talk about this" marks, on a real database."""

from __future__ import annotations

from datetime import date

from closer import store

WEEK = date(2026, 11, 16)


def test_the_schema_adds_replies_and_marks_after_m003():
    names = store.migration_names()
    assert (
        names.index("m004_note_replies_and_talk_marks")
        == names.index("m003_private_notes_keys") + 1
    )


def test_a_reply_is_kept_and_a_second_one_replaces_the_first(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.save_note_reply(db, WEEK, alex.id, "working", sam.id, "me too")
        store.save_note_reply(db, WEEK, alex.id, "working", sam.id, "me too, really")
        store.save_note_reply(db, WEEK, sam.id, "lacking", alex.id, "let's do it")
        replies = store.load_note_replies(db, WEEK)
        other_week = store.load_note_replies(db, date(2026, 11, 9))
    assert replies == [
        store.NoteReply(WEEK, alex.id, "working", sam.id, "me too, really"),
        store.NoteReply(WEEK, sam.id, "lacking", alex.id, "let's do it"),
    ]
    assert other_week == []


def test_a_note_is_marked_once_and_the_mark_can_be_taken_off(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.set_talk_mark(db, WEEK, alex.id, "lacking", sam.id, True)
        store.set_talk_mark(db, WEEK, alex.id, "lacking", alex.id, True)  # already marked
        assert store.load_talk_marks(db, WEEK) == [store.TalkMark(WEEK, alex.id, "lacking", sam.id)]
        store.set_talk_mark(db, WEEK, alex.id, "lacking", alex.id, False)
        assert store.load_talk_marks(db, WEEK) == []
