"""A copy of what you can see: the other partner's hidden content is in no byte of it."""

from __future__ import annotations

import json
from datetime import timedelta

from closer import store
from closer.backup import file_format, restore
from closer.backup.visible_copy import visible_backup_json, visible_tables
from tests.backups import fresh_db
from tests.factories import MONDAY, answers, give_passcode

T = "2026-11-22T20:00:00+00:00"
W1, W2, W3 = "2026-11-09", "2026-11-16", "2026-11-23"
ALEX, SAM = 1, 2  # Sam is the viewer


def _answers(reflections: dict, scores: dict | None = None, csi: dict | None = None) -> str:
    data = {"reflections": reflections, "scores": scores or {"emotional": 6}, "wants_more": []}
    if csi:
        data["csi"] = csi
    return json.dumps(data, sort_keys=True)


def _table(columns: str, *rows: list) -> dict:
    return {"columns": columns.split(), "rows": [list(r) for r in rows]}


ALEX_THEN = _answers({"working": {"shared": True, "text": "alex earlier, later private"}})
ALEX_NOW = _answers(
    {
        "working": {"shared": True, "text": "alex shared W1"},
        "unsaid": {"shared": False, "text": "sealed:v1:AAAA"},
    },
    csi={"values": [None, None, None, None], "shared": False, "sealed": "sealed:v1:BBBB"},
)
SAM_NOW = _answers(
    {
        "working": {"shared": True, "text": "sam shared"},
        "unsaid": {"shared": False, "text": "sam private"},
    },
    {"emotional": 8},
    csi={"values": [1, 2, 3, 4], "shared": False},
)
ALEX_W2 = _answers({"working": {"shared": True, "text": "alex shared W2"}}, {"emotional": 2})

TABLES = {
    "partners": _table("id name created_at", [ALEX, "Alex", T], [SAM, "Sam", T]),
    "settings": _table("key value", ["checkin_time", '"20:00"']),
    "checkins": _table(
        "id partner_id week revision created_at updated_at",
        [1, ALEX, W1, 2, T, T],
        [2, SAM, W1, 1, T, T],
        [3, ALEX, W2, 1, T, T],
    ),
    "scores": _table(
        "checkin_id dimension score wants_more",
        [1, "emotional", 6, 0],
        [2, "emotional", 8, 0],
        [3, "emotional", 2, 0],
    ),
    "reflections": _table(
        "checkin_id prompt body shared",
        [1, "unsaid", "sealed:v1:AAAA", 0],
        [1, "working", "alex shared W1", 1],
        [2, "unsaid", "sam private", 0],
        [2, "working", "sam shared", 1],
        [3, "working", "alex shared W2", 1],
    ),
    "csi_answers": _table(
        "checkin_id item1 item2 item3 item4 shared sealed",
        [1, None, None, None, None, 0, "sealed:v1:BBBB"],
        [2, 1, 2, 3, 4, 0, None],
    ),
    "checkin_revisions": _table(
        "id checkin_id revision saved_at answers",
        [1, 1, 1, T, ALEX_THEN],
        [2, 1, 2, T, ALEX_NOW],
        [3, 2, 1, T, SAM_NOW],
        [4, 3, 1, T, ALEX_W2],
    ),
    "checkin_drafts": _table(
        "partner_id week base_revision saved_at answers",
        [ALEX, W3, 0, T, _answers({"working": {"shared": True, "text": "alex draft"}})],
        [SAM, W3, 0, T, _answers({"working": {"shared": True, "text": "sam draft"}})],
    ),
    "plan_items": _table(
        "id week kind item_id dimension partner_id body created_at",
        [1, W1, "commitment", None, None, ALEX, "alex promise", T],
        [2, W1, "question", "q1", "emotional", None, None, T],
        [3, W2, "question", "q2", "social", None, None, T],
    ),
    "followups": _table(
        "plan_item_id partner_id done rating answered_at",
        [2, ALEX, 1, 1, T],
        [3, ALEX, 1, 0, T],
        [2, SAM, 1, 0, T],
    ),
    "note_replies": _table(
        "id week note_author_id prompt author_id body created_at",
        [1, W1, ALEX, "working", SAM, "sam replies", T],
        [2, W1, SAM, "working", ALEX, "alex replies to sam", T],
        [3, W2, ALEX, "working", ALEX, "alex replies in W2", T],
    ),
    "talk_marks": _table(
        "id week note_author_id prompt marked_by created_at",
        [1, W1, ALEX, "working", ALEX, T],
        [2, W2, ALEX, "working", ALEX, T],
    ),
    "a_table_added_later": _table("id partner_id body", [1, ALEX, "unknown"]),
}


def test_the_viewer_keeps_all_of_theirs_and_only_what_they_see_of_the_other():
    seen = visible_tables(TABLES, SAM)
    rows = {name: body["rows"] for name, body in seen.items()}

    assert "a_table_added_later" not in seen  # no rule, not shared
    assert rows["partners"] == TABLES["partners"]["rows"]
    assert rows["settings"] == TABLES["settings"]["rows"]
    assert rows["plan_items"] == TABLES["plan_items"]["rows"]
    # Alex's W2 check-in is hidden until Sam checks in; Alex's W1 one reads as one version.
    assert rows["checkins"] == [[1, ALEX, W1, 1, T, T], [2, SAM, W1, 1, T, T]]
    assert rows["scores"] == [[1, "emotional", 6, 0], [2, "emotional", 8, 0]]
    assert rows["reflections"] == [
        [1, "working", "alex shared W1", 1],
        [2, "unsaid", "sam private", 0],
        [2, "working", "sam shared", 1],
    ]
    assert rows["csi_answers"] == [[2, 1, 2, 3, 4, 0, None]]
    assert rows["checkin_revisions"] == [
        [2, 1, 1, T, _answers({"working": {"shared": True, "text": "alex shared W1"}})],
        [3, 2, 1, T, SAM_NOW],
    ]
    assert rows["checkin_drafts"] == [TABLES["checkin_drafts"]["rows"][1]]
    assert rows["followups"] == [[2, ALEX, 1, 1, T], [2, SAM, 1, 0, T]]
    assert [r[0] for r in rows["note_replies"]] == [1, 2]
    assert [r[0] for r in rows["talk_marks"]] == [1]
    assert seen["checkins"]["columns"] == TABLES["checkins"]["columns"]


def test_alone_a_partner_sees_everything_of_their_own():
    alone = {
        "partners": _table("id name created_at", [SAM, "Sam", T]),
        "checkins": _table(
            "id partner_id week revision created_at updated_at",
            [2, SAM, W1, 3, T, T],
            [4, SAM, W2, 1, T, T],
        ),
        "checkin_drafts": _table(
            "partner_id week base_revision saved_at answers", [SAM, W3, 0, T, "{}"]
        ),
    }
    assert visible_tables(alone, SAM) == alone


UNREVEALED = "zq-unrevealed-week"
EARLIER = "zq-earlier-version"
NOW_PRIVATE = "zq-now-private"
DRAFT = "zq-unsaved-draft"


def _alex_with_hidden_content(db_path, couple):
    alex, sam = couple
    key, _ = give_passcode(db_path, alex.id)
    later = MONDAY + timedelta(weeks=1)
    with store.open_db(db_path, {alex.id: key}) as db:
        store.save_checkin(db, alex.id, MONDAY, answers({"emotional": 3}, working=(EARLIER, True)))
        store.save_checkin(
            db, alex.id, MONDAY, answers({"emotional": 4}, working=(NOW_PRIVATE, False))
        )
        store.save_checkin(db, sam.id, MONDAY, answers({"emotional": 8}))
        store.save_checkin(
            db, alex.id, later, answers({"emotional": 9}, working=(UNREVEALED, True))
        )
        draft = answers(working=(DRAFT, True))
        store.save_draft(db, alex.id, later + timedelta(weeks=1), draft, base_revision=0)
    return alex, sam


def test_the_copy_of_what_sam_sees_holds_none_of_alexs_hidden_content(db_path, couple, tmp_path):
    alex, sam = _alex_with_hidden_content(db_path, couple)
    with store.open_db(db_path) as db:
        full = file_format.backup_json(db)
        copy = visible_backup_json(db, sam.id)
    for marker in (UNREVEALED, EARLIER, DRAFT):
        assert marker in full
    for marker in (UNREVEALED, EARLIER, NOW_PRIVATE, DRAFT, "sealed:"):
        assert marker not in copy, marker
    assert '"emotional": 9' not in copy  # Alex's unrevealed score

    # Still a backup Closer reads and restores.
    other = fresh_db(tmp_path / "restored.db")
    with store.open_db(other) as db:
        found = file_format.read_backup(copy, db)
        restore.restore_backup(db, found, "replace", consented=set())
        weeks = {(c.partner_id, c.week) for c in store.load_week(db, MONDAY)}
        assert weeks == {(alex.id, MONDAY), (sam.id, MONDAY)}
        theirs = store.load_checkin(db, alex.id, MONDAY)
        assert theirs.answers.scores == {"emotional": 4} and theirs.answers.reflections == {}


def test_merging_your_own_copy_back_adds_nothing_and_needs_nobody_else(db_path, couple):
    alex, sam = _alex_with_hidden_content(db_path, couple)
    with store.open_db(db_path) as db:
        before = file_format.backup_json(db)
        found = file_format.read_backup(visible_backup_json(db, sam.id), db)
        assert restore.merge_reaches(db, found) == set()
        added = restore.restore_backup(db, found, "merge", consented={sam.id})
        assert sum(added.rows.values()) == 0
        assert json.loads(file_format.backup_json(db))["tables"] == json.loads(before)["tables"]
