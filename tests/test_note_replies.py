"""Replies to shared notes and "let's talk about this" marks, on a real database."""

from __future__ import annotations

from datetime import date

from closer import store
from tests.apptest import current_week, open_app
from tests.factories import answers

WEEK = date(2026, 11, 16)


def week_with_a_shared_note(db_path, couple) -> date:
    """This week, both checked in, Alex sharing what they need more of ("more walks")."""
    alex, sam = couple
    this_week = current_week()
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, this_week, answers(lacking=("more walks", True)))
        store.save_checkin(db, sam.id, this_week, answers())
    return this_week


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


def test_on_this_week_a_partner_replies_to_a_note_and_marks_it_for_the_talk(db_path, couple):
    alex, sam = couple
    this_week = current_week()
    with store.open_db(db_path) as db:
        store.save_checkin(
            db, alex.id, this_week, answers({"physical": 5}, lacking=("more walks", True))
        )
        store.save_checkin(db, sam.id, this_week, answers({"physical": 6}))
    at = open_app(sam.id, "views/pages/this_week.py")
    key = f"{this_week.isoformat()}-{alex.id}-lacking"
    at.text_area(key=f"reply-text-{key}").input("**yes** please")
    at.button(key=f"FormSubmitter:reply-{key}-Reply").click().run()
    assert not at.exception
    at.checkbox(key=f"mark-{key}").check().run()
    with store.open_db(db_path) as db:
        assert store.load_note_replies(db, this_week) == [
            store.NoteReply(this_week, alex.id, "lacking", sam.id, "**yes** please")
        ]
        assert store.load_talk_marks(db, this_week) == [
            store.TalkMark(this_week, alex.id, "lacking", sam.id)
        ]
    # Alex sees the reply exactly as typed, and the note already marked.
    at = open_app(alex.id, "views/pages/this_week.py")
    assert "**yes** please" in [t.value for t in at.text]
    assert at.checkbox(key=f"mark-{key}").value is True
    # Alex cannot reply to a note of their own.
    assert f"reply-text-{key}" not in [t.key for t in at.text_area]


def test_a_mark_that_cannot_be_saved_says_so_where_it_was_made(db_path, couple):
    import sqlite3

    alex, sam = couple
    this_week = week_with_a_shared_note(db_path, couple)
    # The file refuses new marks (as a full disk or a damaged file might).
    with sqlite3.connect(db_path) as raw:
        raw.execute(
            "CREATE TRIGGER no_marks BEFORE INSERT ON talk_marks "
            "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"
        )
    at = open_app(sam.id, "views/pages/this_week.py")
    at.checkbox(key=f"mark-{this_week.isoformat()}-{alex.id}-lacking").check().run()
    assert not at.exception
    assert [e.value for e in at.error if "The mark wasn't saved." in e.value]
    with store.open_db(db_path) as db:
        assert store.load_talk_marks(db, this_week) == []


def test_a_reply_too_long_is_kept_in_its_box_with_a_message(db_path, couple):
    alex, sam = couple
    this_week = week_with_a_shared_note(db_path, couple)
    at = open_app(sam.id, "views/pages/this_week.py")
    key = f"{this_week.isoformat()}-{alex.id}-lacking"
    long_reply = "yes " * 200  # 800 characters: the browser would drop it whole at a cap
    at.text_area(key=f"reply-text-{key}").input(long_reply)
    at.button(key=f"FormSubmitter:reply-{key}-Reply").click().run()
    assert not at.exception
    assert "the limit is 500" in " ".join(e.value for e in at.error)
    assert at.text_area(key=f"reply-text-{key}").value == long_reply  # nothing lost
    with store.open_db(db_path) as db:
        assert store.load_note_replies(db, this_week) == []
    at.text_area(key=f"reply-text-{key}").input("yes, Sunday")
    at.button(key=f"FormSubmitter:reply-{key}-Reply").click().run()
    assert at.text_area(key=f"reply-text-{key}").value == ""  # saved: the box is empty again
    with store.open_db(db_path) as db:
        assert [r.body for r in store.load_note_replies(db, this_week)] == ["yes, Sunday"]
