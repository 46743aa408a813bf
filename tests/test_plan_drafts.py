"""The answers about last week's plan are kept in the draft as they are given: back after a
reload, gone with the draft, and read back only when they are answers Closer could write."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from closer import store
from closer.plan_items import FollowupAnswer, ItemKind, Rating
from tests.apptest import CHECKIN, current_week, open_app, open_checkin_step, this_week
from tests.factories import MONDAY, answers, give_passcode, write_raw


def plan_last_week(db_path, partner_id: int, week) -> tuple[int, int]:
    """An exercise and this partner's own promise in the plan of the week before ``week``."""
    last = week - timedelta(weeks=1)
    with store.open_db(db_path) as db:
        store.add_plan_item(
            db, last, ItemKind.EXERCISE, "twenty-second-hug", "physical", partner_id
        )
        store.save_commitment(db, last, partner_id, "Cook on Wednesday")
        hug, promise = store.load_plan(db, last)
    return hug.id, promise.id


def test_plan_answers_come_back_after_a_reload_and_go_with_the_draft(db_path, couple):
    alex, _ = couple
    hug, promise = plan_last_week(db_path, alex.id, current_week())
    prefix = f"{alex.id}-{this_week()}"
    at = open_checkin_step(open_app(alex.id, CHECKIN), alex.id, "plan")
    at.checkbox(key=f"done-{prefix}-{hug}").check().run()
    at.radio(key=f"rating-{prefix}-{hug}").set_value("It didn't help").run()
    at.radio(key=f"rating-{prefix}-{promise}").set_value("It helped").run()
    assert not at.exception, at.exception

    again = open_checkin_step(open_app(alex.id, CHECKIN), alex.id, "plan")  # a reload
    assert again.checkbox(key=f"done-{prefix}-{hug}").value is True
    assert again.radio(key=f"rating-{prefix}-{hug}").value == "It didn't help"
    assert again.checkbox(key=f"done-{prefix}-{promise}").value is False
    assert again.radio(key=f"rating-{prefix}-{promise}").value == "It helped"
    with store.open_db(db_path) as db:
        assert store.load_followups(db) == []  # kept, not saved

    # "Start again" forgets them with the rest of the draft: it is offered on the first
    # step, where a reload starts.
    again = open_checkin_step(again, alex.id, "scores")
    next(b for b in again.button if b.label == "Start again from empty").click().run()
    fresh = open_checkin_step(open_app(alex.id, CHECKIN), alex.id, "plan")
    assert fresh.checkbox(key=f"done-{prefix}-{hug}").value is False
    assert fresh.radio(key=f"rating-{prefix}-{hug}").value is None
    assert fresh.radio(key=f"rating-{prefix}-{promise}").value is None
    with store.open_db(db_path) as db:
        assert store.load_draft(db, alex.id, current_week()) is None


def test_a_draft_without_plan_answers_starts_from_what_a_save_answered(db_path, couple):
    alex, _ = couple
    hug, _ = plan_last_week(db_path, alex.id, current_week())
    with store.open_db(db_path) as db:
        store.save_checkin(
            db,
            alex.id,
            current_week(),
            answers({"emotional": 6}),
            followups={hug: FollowupAnswer(True, Rating.HELPED)},
        )
        # A draft kept before plan answers were kept in drafts: words only.
        store.save_draft(db, alex.id, current_week(), answers(working=("walks", True)), 1)
    prefix = f"{alex.id}-{this_week()}"
    at = open_checkin_step(open_app(alex.id, CHECKIN), alex.id, "plan")
    assert at.checkbox(key=f"done-{prefix}-{hug}").value is True
    assert at.radio(key=f"rating-{prefix}-{hug}").value == "It helped"


def test_plan_answers_round_trip_through_the_file(db_path, couple):
    alex, sam = couple
    kept = {12: FollowupAnswer(True, Rating.NOT_SURE), 3: FollowupAnswer(False, None)}
    with store.open_db(db_path) as db:
        store.save_draft(db, alex.id, MONDAY, answers({"physical": 4}), 0, kept)
    with store.open_db(db_path) as db:
        draft = store.load_draft(db, alex.id, MONDAY)
        raw = db.execute("SELECT answers FROM checkin_drafts").fetchone()[0]
    assert draft.followups == kept
    assert draft.answers.scores == {"physical": 4}
    # As written in the file, by hand: what a backup holds and a restore checks.
    assert json.loads(raw)["followups"] == {
        "3": {"done": False, "rating": None},
        "12": {"done": True, "rating": 0},
    }
    # A draft without plan answers holds no followups at all.
    with store.open_db(db_path) as db:
        store.save_draft(db, sam.id, MONDAY, answers({"physical": 4}), 0)
        assert store.load_draft(db, sam.id, MONDAY).followups == {}
        raw = db.execute("SELECT answers FROM checkin_drafts WHERE partner_id = ?", [sam.id])
        assert "followups" not in json.loads(raw.fetchone()[0])


def test_sealing_a_draft_with_a_new_passcode_keeps_its_plan_answers(db_path, couple):
    alex, _ = couple
    kept = {7: FollowupAnswer(True, Rating.DID_NOT_HELP)}
    with store.open_db(db_path) as db:
        store.save_draft(db, alex.id, MONDAY, answers(unsaid=("a private line", False)), 0, kept)
    key, _ = give_passcode(db_path, alex.id)  # seals the draft's private note in place
    assert b"a private line" not in db_path.read_bytes()
    with store.open_db(db_path, {alex.id: key}) as db:
        draft = store.load_draft(db, alex.id, MONDAY)
    assert draft.answers.reflections["unsaid"].text == "a private line"
    assert draft.followups == kept


@pytest.mark.parametrize(
    ("followups", "problem"),
    [
        ([], "aren't a set of answers"),
        ({"twelve": {"done": True, "rating": 1}}, "name a plan item that can't exist"),
        ({"012": {"done": True, "rating": 1}}, "name a plan item that can't exist"),
        ({"1" * 19: {"done": True, "rating": 1}}, "name a plan item that can't exist"),
        ({"١٢": {"done": True, "rating": 1}}, "name a plan item that can't exist"),
        ({"12": {"done": 1, "rating": 1}}, "aren't done or not, and a rating"),
        ({"12": {"done": True, "rating": 2}}, "aren't done or not, and a rating"),
        ({"12": {"done": True, "rating": True}}, "aren't done or not, and a rating"),
        ({"12": {"done": True, "rating": 1.0}}, "aren't done or not, and a rating"),
        ({"12": {"done": True}}, "aren't done or not, and a rating"),
        ({"12": {"done": True, "rating": 1, "note": "x"}}, "aren't done or not, and a rating"),
    ],
)
def test_plan_answers_no_closer_could_write_make_the_draft_unreadable(
    db_path, couple, followups, problem
):
    alex, _ = couple
    raw = json.dumps({"scores": {}, "wants_more": [], "reflections": {}, "followups": followups})
    write_raw(
        db_path,
        "INSERT INTO checkin_drafts (partner_id, week, base_revision, saved_at, answers) "
        "VALUES (?, ?, 0, '2026-11-22T20:00:00+00:00', ?)",
        [alex.id, MONDAY.isoformat(), raw],
    )
    with store.open_db(db_path) as db:
        assert store.load_draft(db, alex.id, MONDAY) is None  # as good as none
        (row,) = store.unreadable_rows(db)
    assert (row.table, row.problem) == (
        "checkin_drafts",
        f"its answers about last week's plan {problem}",
    )


def test_a_merge_leaves_a_drafts_plan_answers_behind_and_a_replace_keeps_them(
    db_path, couple, tmp_path
):
    from closer.backup import file_format, restore
    from tests.backups import fresh_db

    alex, _ = couple
    kept = {1: FollowupAnswer(True, Rating.HELPED)}
    with store.open_db(db_path) as db:
        store.save_draft(db, alex.id, MONDAY, answers({"physical": 4}), 0, kept)
        raw = file_format.backup_json(db)
    for mode, expected in (("merge", {}), ("replace", kept)):
        target = fresh_db(tmp_path / f"{mode}.db")
        with store.open_db(target) as db:
            restore.restore_backup(db, file_format.read_backup(raw, db), mode, consented=())
        with store.open_db(target) as db:
            (partner,) = [p for p in store.list_partners(db) if p.name == "Alex"]
            draft = store.load_draft(db, partner.id, MONDAY)
        # Merged rows get new ids, so item 1 in the file may be another item here.
        assert draft.answers.scores == {"physical": 4}
        assert draft.followups == expected, mode
