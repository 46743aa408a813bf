"""A merge can't speak for the other partner: a row by or about them needs their passcode, and a
restored reply follows the rules a typed one does."""

from __future__ import annotations

import json

import pytest

from closer import store
from closer.backup import file_format, restore
from closer.backup.consent import ConsentNeeded
from closer.passcode import hash_passcode
from closer.settings import Settings
from tests.backups import exported_tables, fresh_db
from tests.factories import MONDAY, answers, set_passcode_hash

T = "2026-11-22T20:00:00+00:00"
WEEK = MONDAY.isoformat()
ALEX, SAM = 1, 2  # the same ids in the file and here


@pytest.fixture
def here(db_path, couple):
    """Alex has a passcode; Sam, at the screen, has none; both checked in, both shared a note."""
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, MONDAY, answers(working=("alex note", True)))
        store.save_checkin(db, sam.id, MONDAY, answers(working=("sam note", True)))
        set_passcode_hash(db, alex.id, hash_passcode("alex-1234"))
    assert (alex.id, sam.id) == (ALEX, SAM)
    return db_path


def _file_with(tmp_path, table: str, columns: list[str], row: list) -> str:
    """A backup of the same couple holding nothing but one row of one table."""
    path = fresh_db(tmp_path / "forger.db")
    with store.open_db(path) as db:
        store.setup_couple(db, ["Alex", "Sam"], Settings())
        data = file_format.export_backup(db)
    data["tables"] = {
        "partners": data["tables"]["partners"],
        table: {"columns": columns, "rows": [row]},
    }
    return json.dumps(data)


REPLY = ["id", "week", "note_author_id", "prompt", "author_id", "body", "created_at"]
MARK = ["id", "week", "note_author_id", "prompt", "marked_by", "created_at"]
PLAN = ["id", "week", "kind", "item_id", "dimension", "partner_id", "body", "created_at"]
DRAFT = ["partner_id", "week", "base_revision", "saved_at", "answers"]
FORGED = {
    "reply by Alex": ("note_replies", REPLY, [9, WEEK, SAM, "working", ALEX, "I agree", T]),
    "reply about Alex's note": (
        "note_replies",
        REPLY,
        [9, WEEK, ALEX, "working", SAM, "you said so", T],
    ),
    "talk mark by Alex": ("talk_marks", MARK, [9, WEEK, SAM, "working", ALEX, T]),
    "promise by Alex": ("plan_items", PLAN, [9, WEEK, "commitment", None, None, ALEX, "I will", T]),
    "a plan for both": (
        "plan_items",
        PLAN,
        [9, WEEK, "question", "q9", "emotional", None, None, T],
    ),
    "draft of Alex": ("checkin_drafts", DRAFT, [ALEX, "2026-11-23", 0, T, answers().to_json()]),
}


@pytest.mark.parametrize("forged", FORGED)
def test_a_merge_adding_a_row_by_or_about_alex_needs_alexs_passcode(here, tmp_path, forged):
    table, columns, row = FORGED[forged]
    raw = _file_with(tmp_path, table, columns, row)
    before = exported_tables(here)
    with store.open_db(here) as db:
        found = file_format.read_backup(raw, db)
        assert ALEX in restore.merge_reaches(db, found)
        with pytest.raises(ConsentNeeded):
            restore.restore_backup(db, found, "merge", consented={SAM})
    assert exported_tables(here) == before
    with store.open_db(here) as db:
        added = restore.restore_backup(db, found, "merge", consented={SAM, ALEX})
    assert added.rows[table] == 1


def test_a_merge_of_sams_own_reply_to_sams_own_note_needs_no_other_passcode(here, tmp_path):
    raw = _file_with(tmp_path, "note_replies", REPLY, [9, WEEK, SAM, "working", SAM, "me", T])
    with store.open_db(here) as db:
        found = file_format.read_backup(raw, db)
        assert restore.merge_reaches(db, found) == {SAM}
        assert restore.restore_backup(db, found, "merge", consented={SAM}).rows["note_replies"] == 1


BAD_REPLIES = {
    "too long": ("x" * 300_000, "a reply is at most 500 characters, and this one has 300,000"),
    "hidden characters": ("hi \u202e\x07\x1b[31m", "a reply can't hold hidden control characters"),
    "empty": ("   ", "a reply can't be empty"),
    "all three": (
        "\u202e\x07\x1b" + "y" * 300_000,
        "a reply is at most 500 characters, and this one has 300,003",
    ),
}


@pytest.mark.parametrize("mode", ["merge", "replace"])
@pytest.mark.parametrize("bad", BAD_REPLIES)
def test_a_restored_reply_obeys_the_rules_of_a_typed_one(here, tmp_path, bad, mode):
    text, rule = BAD_REPLIES[bad]
    raw = _file_with(tmp_path, "note_replies", REPLY, [9, WEEK, SAM, "working", SAM, text, T])
    before = exported_tables(here)
    with store.open_db(here) as db:
        with pytest.raises(file_format.BackupError) as caught:
            file_format.read_backup(raw, db)
        # And again by the restore itself, handed the file without that first check.
        with pytest.raises(file_format.BackupError):
            restore.restore_backup(db, file_format._parse(raw), mode, consented={SAM, ALEX})
    assert str(caught.value) == (
        f"The backup can't be used: table 'note_replies' row 1: {rule}. Nothing was changed."
    )
    assert len(str(caught.value)) < 200
    assert exported_tables(here) == before


def test_a_restored_promise_obeys_the_rules_of_a_typed_one(here, tmp_path):
    row = [9, WEEK, "commitment", None, None, SAM, "z" * 5000, T]
    raw = _file_with(tmp_path, "plan_items", PLAN, row)
    # Refused as the file is read, with the rule named, before any restore can begin.
    with store.open_db(here) as db, pytest.raises(file_format.BackupError) as refused:
        file_format.read_backup(raw, db)
    assert "a promise is at most 500 characters, and this one has 5,000" in str(refused.value)


def test_on_your_data_a_forged_reply_asks_for_alexs_passcode(here, tmp_path):
    from tests.apptest import open_app

    raw = _file_with(tmp_path, *FORGED["reply by Alex"]).encode()
    at = open_app(SAM, "views/pages/your_data.py")
    at.file_uploader[0].upload("b.json", raw, "application/json").run()
    assert at.text_input(key="consent-restore-file").label == "Alex's passcode"
    at.button(key="restore-file").click().run()
    assert not at.success
    with store.open_db(here) as db:
        assert store.load_note_replies(db, MONDAY) == []


def test_on_your_data_a_reply_breaking_the_rules_is_refused_at_once(here, tmp_path):
    from tests.apptest import open_app

    text, rule = BAD_REPLIES["all three"]
    row = [9, WEEK, SAM, "working", SAM, text, T]
    raw = _file_with(tmp_path, "note_replies", REPLY, row).encode()
    at = open_app(SAM, "views/pages/your_data.py")
    at.file_uploader[0].upload("b.json", raw, "application/json").run()
    assert not at.exception
    assert rule.replace(",", "") in at.error[0].value.replace("\\", "").replace(",", "")
    assert not [b for b in at.button if b.key == "restore-file"]
