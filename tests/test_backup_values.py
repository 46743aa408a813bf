"""Every value a backup brings in is checked as if a stranger wrote it, table by table.

A full backup of real data (every table with a row) is changed one cell at a time to a
literal bad value; each must be refused with a short message that names the table, the row
and the rule, never with an exception of another kind and never quoting a long value whole.
"""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from closer import store
from closer.backup import file_format
from closer.deck import CardRecord
from closer.plan_items import FollowupAnswer, ItemKind
from tests.backups import NOW
from tests.factories import answers, low_csi

WEEK = date(2026, 11, 16)
MAX_MESSAGE = 300  # characters: a refusal is a sentence or two, whatever the file holds


@pytest.fixture
def full_backup(db_path, couple) -> dict:
    """A backup in which every table of the couple's data has at least one row."""
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, WEEK, answers({"physical": 7}, working=("tea", True)))
        store.save_checkin(db, sam.id, WEEK, low_csi(shared=True))
        store.save_draft(db, alex.id, date(2026, 11, 23), answers({"physical": 5}), 0)
        store.add_plan_item(db, WEEK, ItemKind.QUESTION, "q001", "emotional", alex.id)
        store.save_commitment(db, WEEK, sam.id, "a walk")
        plan_id = store.load_plan(db, WEEK)[0].id
        store.save_followups(db, alex.id, {plan_id: FollowupAnswer(True, None)})
        store.save_note_reply(db, WEEK, alex.id, "working", sam.id, "me too")
        store.set_talk_mark(db, WEEK, alex.id, "working", sam.id, True)
        evening = store.start_deck_evening(db, NOW, 30)
        store.save_deck_cards(db, evening, [CardRecord(1, "emo-l-01", False, True)])
        store.set_deck_opt_in(db, sam.id, True)
        data = file_format.export_backup(db, NOW)
    assert all(body["rows"] for body in data["tables"].values()), "every table has a row"
    return data


def _with(data: dict, table: str, column: str, value: object) -> str:
    changed = copy.deepcopy(data)
    body = changed["tables"][table]
    body["rows"][0][body["columns"].index(column)] = value
    return json.dumps(changed)


def _refusal(db_path, raw: str) -> str:
    with store.open_db(db_path) as db, pytest.raises(file_format.BackupError) as caught:
        file_format.read_backup(raw, db)
    message = str(caught.value)
    assert len(message) <= MAX_MESSAGE, message
    return message


LONG = "A" * 10_000
NOT_A_MONDAY = "the date of a Monday, such as 2026-11-16"
A_MOMENT = "a date and time, such as 2026-11-22T20:00:00+00:00"
SAVED = "a check-in as Closer saves it"
BAD_CELLS = [
    # Weeks: real calendar dates and Mondays, in every table that names one.
    ("checkins", "week", "2026-02-30", f"week must be {NOT_A_MONDAY}"),
    ("checkins", "week", "2026-11-17", f"week must be {NOT_A_MONDAY}"),
    ("plan_items", "week", "2026-02-30", f"week must be {NOT_A_MONDAY}"),
    ("checkin_drafts", "week", "2026-02-30", f"week must be {NOT_A_MONDAY}"),
    ("checkin_drafts", "week", "2026-02-31", f"week must be {NOT_A_MONDAY}"),
    ("note_replies", "week", "2026-02-30", f"week must be {NOT_A_MONDAY}"),
    ("talk_marks", "week", "2026-02-30", f"week must be {NOT_A_MONDAY}"),
    ("checkin_drafts", "week", "1999-12-27", "the week 1999-12-27 is outside the weeks"),
    ("note_replies", "week", "2099-01-05", "the week 2099-01-05 is outside the weeks"),
    ("talk_marks", "week", "1999-12-27", "the week 1999-12-27 is outside the weeks"),
    # Answers: JSON of a check-in's shape, drafts included; never "sealed" as a whole.
    ("checkin_revisions", "answers", "sealed:garbage", f"answers must be {SAVED}"),
    ("checkin_revisions", "answers", "[1, 2]", f"answers must be {SAVED}"),
    ("checkin_drafts", "answers", "not json{", f"answers must be {SAVED}"),
    ("checkin_drafts", "answers", "sealed:garbage", f"answers must be {SAVED}"),
    (
        "checkin_drafts",
        "answers",
        '{"scores": {"physical": 99}, "wants_more": [], "reflections": {}}',
        f"answers must be {SAVED}",
    ),
    (
        "checkin_drafts",
        "answers",
        '{"scores": {}, "wants_more": [], "reflections": {"working": "tea"}}',
        f"answers must be {SAVED}",
    ),
    # Moments: real dates and times, in years Closer can show.
    ("checkins", "updated_at", "2026-13-45T00:00:00", f"updated_at must be {A_MOMENT}"),
    ("checkin_drafts", "saved_at", "2026-02-30T20:00:00", f"saved_at must be {A_MOMENT}"),
    ("checkin_revisions", "saved_at", "2026-11-22garbage", f"saved_at must be {A_MOMENT}"),
    ("followups", "answered_at", "2026-11-22T25:00", f"answered_at must be {A_MOMENT}"),
    ("partners", "created_at", "0001-01-01T00:00:00", f"created_at must be {A_MOMENT}"),
    # Types, whatever JSON can hold.
    ("partners", "name", [[["Alex"]]], "name must be text"),
    ("partners", "name", {"first": "Alex"}, "name must be text"),
    ("checkins", "revision", [1], "revision must be a whole number"),
    ("scores", "score", 11, "score must be a whole number from 1 to 10 or empty"),
    ("scores", "score", 7.5, "score must be a whole number from 1 to 10 or empty"),
    ("scores", "wants_more", True, "wants_more must be 0 or 1"),
    ("checkin_drafts", "base_revision", -1, "base_revision must be a whole number, 0 or more"),
    ("followups", "rating", 2, "rating must be -1, 0, 1 or empty"),
    ("csi_answers", "item1", 7, "item1 must be a whole number from 0 to 6 or empty"),
    # Long values are quoted cut, never whole.
    ("partners", "name", LONG, "the name “" + "A" * 39 + "…”: Names can be up to 40"),
]


@pytest.mark.parametrize(
    ("table", "column", "value", "expected"),
    BAD_CELLS,
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else None,
)
def test_a_bad_value_is_refused_shortly_with_its_rule(
    db_path, full_backup, table, column, value, expected
):
    message = _refusal(db_path, _with(full_backup, table, column, value))
    assert f"table '{table}' row 1" in message
    assert expected in message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d.update(exported_at="9995-01-01T00:00:00+00:00"),
            "The backup is damaged: its 'exported_at' isn't a date and time Closer can use "
            "(from 2000 to 2200).",
        ),
        (
            lambda d: d.update(exported_at="0001-01-01T00:00:00+00:00"),
            "The backup is damaged: its 'exported_at' isn't a date and time Closer can use "
            "(from 2000 to 2200).",
        ),
        (
            lambda d: d["tables"].update({"x" * 10_000: {"columns": [], "rows": []}}),
            f"The backup is damaged: it has a table '{'x' * 39}…' that this version of Closer "
            "doesn't have.",
        ),
        (
            lambda d: d["tables"]["settings"]["columns"].append("y" * 10_000),
            f"The backup is damaged: table 'settings' has a column '{'y' * 39}…' that this "
            "version of Closer doesn't have.",
        ),
        (
            lambda d: d["tables"]["settings"]["rows"][0].__setitem__(1, "[" * 100_000),
            "The backup can't be used: table 'settings' row 1: active_dimensions must be a "
            "value Closer saves, not this text. Nothing was changed.",
        ),
    ],
    ids=["exported in 9995", "exported in year 1", "long table name", "long column", "deep JSON"],
)
def test_a_bad_file_is_refused_in_one_short_sentence(db_path, full_backup, change, expected):
    data = copy.deepcopy(full_backup)
    change(data)
    assert _refusal(db_path, json.dumps(data)) == expected


def test_the_full_backup_itself_is_accepted(db_path, full_backup):
    with store.open_db(db_path) as db:
        file_format.read_backup(json.dumps(full_backup), db)


def _row_where(data: dict, table: str, column: str, value: object) -> int:
    body = data["tables"][table]
    return next(
        i for i, row in enumerate(body["rows"]) if row[body["columns"].index(column)] == value
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("x" * 501, ": a promise is at most 500 characters, and this one has 501"),
        ("bell\x07", ": body must be text without hidden control characters"),  # the schema's
        ("   ", ": a promise can't be empty"),
    ],
    ids=["too long", "control character", "blank"],
)
def test_a_promise_obeys_the_typed_rules(db_path, full_backup, body, expected):
    data = copy.deepcopy(full_backup)
    number = _row_where(data, "plan_items", "kind", "commitment")
    data["tables"]["plan_items"]["rows"][number][
        data["tables"]["plan_items"]["columns"].index("body")
    ] = body
    message = _refusal(db_path, json.dumps(data))
    assert f"table 'plan_items' row {number + 1}{expected}" in message


def test_a_mark_is_on_one_of_the_checkins_questions(db_path, full_backup):
    message = _refusal(db_path, _with(full_backup, "talk_marks", "prompt", "dreams"))
    assert "table 'talk_marks' row 1: prompt must be one of Closer's reflection questions" in (
        message
    )
