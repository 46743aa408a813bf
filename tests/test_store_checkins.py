"""Saving and loading check-ins in a real SQLite file."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import timedelta

import pytest

from closer import store
from closer.checkin import CsiAnswers
from closer.plan_items import FollowupAnswer, ItemKind, Rating
from tests.factories import MONDAY, answers


def test_first_save_creates_revision_one_and_counts_weeks(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        result = store.save_checkin(db, alex.id, MONDAY, answers({"physical": 7}))
        loaded = store.load_checkin(db, alex.id, MONDAY)
    assert result == store.SavedCheckin(revision=1, weeks_checked_in=1)
    assert loaded.answers.scores == {"physical": 7}
    assert loaded.week == MONDAY


def test_saving_again_updates_and_keeps_every_earlier_version(db_path, couple):
    alex, _ = couple
    first = answers({"physical": 4}, working=("walks", True))
    second = answers({"physical": 8}, working=("long walks", False))
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, MONDAY, first)
        result = store.save_checkin(db, alex.id, MONDAY, second)
        current = store.load_checkin(db, alex.id, MONDAY)
        revisions = store.load_revisions(db, alex.id, MONDAY)
        rows = db.execute("SELECT count(*) FROM checkins").fetchone()[0]
    assert result == store.SavedCheckin(revision=2, weeks_checked_in=1)
    assert rows == 1  # one check-in per partner per week
    assert current.revision == 2
    assert current.answers == second
    assert [(r, a) for r, _, a in revisions] == [(1, first), (2, second)]


def test_weeks_checked_in_counts_distinct_weeks_of_that_partner_only(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, MONDAY, answers())
        store.save_checkin(db, alex.id, MONDAY - timedelta(weeks=1), answers())
        edit = store.save_checkin(db, alex.id, MONDAY, answers())  # an edit is not a new week
        result = store.save_checkin(db, sam.id, MONDAY, answers())
    assert (edit.weeks_checked_in, result.weeks_checked_in) == (2, 1)


def test_skip_is_stored_as_no_score_not_zero(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, MONDAY, answers({"sexual": None, "social": 6}))
        raw = dict(db.execute("SELECT dimension, score FROM scores").fetchall())
        loaded = store.load_checkin(db, alex.id, MONDAY)
    assert raw == {"sexual": None, "social": 6}
    assert loaded.answers.scores == {"sexual": None, "social": 6}


def test_blank_reflections_are_not_stored_but_typed_text_is_kept_exactly(db_path, couple):
    alex, _ = couple
    typed = "  **hi** <b>x</b>\n second line "
    with store.open_db(db_path) as db:
        store.save_checkin(
            db, alex.id, MONDAY, answers(working=(typed, True), lacking=("   \n", True))
        )
        loaded = store.load_checkin(db, alex.id, MONDAY)
    assert set(loaded.answers.reflections) == {"working"}
    assert loaded.answers.reflections["working"].text == typed


def test_wants_more_round_trips(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_checkin(
            db, alex.id, MONDAY, answers({"physical": 3, "social": 8}, ("physical",))
        )
        loaded = store.load_checkin(db, alex.id, MONDAY)
    assert loaded.answers.wants_more == frozenset({"physical"})


def test_load_scores_is_long_form_with_nan_for_skips(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.save_checkin(
            db, alex.id, MONDAY, answers({"physical": 7, "sexual": None}, ("physical",))
        )
        store.save_checkin(db, sam.id, MONDAY, answers({"physical": 5}))
        frame = store.load_scores(db)
    assert list(frame.columns) == store.SCORE_COLUMNS
    assert len(frame) == 3  # 2 rows for Alex + 1 for Sam
    rows = {(r.partner, r.dimension): (r.score, r.wants_more) for r in frame.itertuples()}
    assert rows[("Alex", "physical")] == (7.0, True)
    assert rows[("Sam", "physical")] == (5.0, False)
    assert math.isnan(rows[("Alex", "sexual")][0])
    assert frame["week"].iloc[0].date() == MONDAY


def test_load_scores_since_leaves_out_older_weeks(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        for weeks_ago in range(5):
            store.save_checkin(db, alex.id, MONDAY - timedelta(weeks=weeks_ago), answers())
        frame = store.load_scores(db, since=MONDAY - timedelta(weeks=1))
    assert sorted(frame["week"].dt.date) == [MONDAY - timedelta(weeks=1), MONDAY]


def test_load_csi_since_leaves_out_older_weeks_of_either_partner(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        for weeks_ago, values in ((0, (4, 3, 2, 5)), (4, (1, 1, 1, 1)), (12, (6, 5, 5, 5))):
            week = MONDAY - timedelta(weeks=weeks_ago)
            store.save_checkin(db, alex.id, week, replace(answers(), csi=CsiAnswers(values, False)))
        store.save_checkin(
            db,
            sam.id,
            MONDAY - timedelta(weeks=5),
            replace(answers(), csi=CsiAnswers((2,) * 4, False)),
        )
        recent = store.load_csi(db, since=MONDAY - timedelta(weeks=4))
        every = store.load_csi(db)
    # Weeks 0 and 4 of Alex's count from four weeks back; Sam's week 5 and Alex's 12 don't.
    assert [(r.partner_id, r.week, r.values) for r in recent] == [
        (alex.id, MONDAY - timedelta(weeks=4), (1, 1, 1, 1)),
        (alex.id, MONDAY, (4, 3, 2, 5)),
    ]
    assert [r.week for r in every] == [MONDAY - timedelta(weeks=w) for w in (12, 5, 4, 0)]


def test_checked_in_weeks_newest_first_and_load_weeks_groups(db_path, couple):
    alex, sam = couple
    older = MONDAY - timedelta(weeks=3)
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, older, answers())
        store.save_checkin(db, alex.id, MONDAY, answers())
        store.save_checkin(db, sam.id, MONDAY, answers())
        assert store.checked_in_weeks(db) == [MONDAY, older]
        grouped = store.load_weeks(db, [MONDAY, older])
    assert sorted(c.partner_id for c in grouped[MONDAY]) == [alex.id, sam.id]
    assert [c.partner_id for c in grouped[older]] == [alex.id]


def test_a_failed_save_stores_nothing_half_way(db_path, couple):
    alex, _ = couple
    # 11 passes validation nowhere; the CHECK constraint makes the insert fail mid-save.
    bad = answers({"physical": 7, "social": 11}, working=("kept?", True))
    with pytest.raises(store.StoreError):
        with store.open_db(db_path) as db:
            store.save_checkin(db, alex.id, MONDAY, bad)
    with store.open_db(db_path) as db:
        counts = [
            db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("checkins", "scores", "reflections", "checkin_revisions")
        ]
    assert counts == [0, 0, 0, 0]


def test_partners_setup_and_names(db_path):
    from closer.settings import Settings

    with store.open_db(db_path) as db:
        (alex,) = store.setup_couple(db, ["Alex"], Settings(("physical", "emotional"), 0))
        store.rename_partner(db, alex.id, "Alexandra", new_partner="Sam")
        names = [p.name for p in store.list_partners(db)]
        settings = store.load_settings(db)
    assert names == ["Alexandra", "Sam"]
    assert settings.active_dimensions == ("emotional", "physical")  # survey order
    assert settings.checkin_weekday == 0


def test_a_third_partner_is_refused(db_path, couple):
    with store.open_db(db_path) as db:
        with pytest.raises(store.StoreError, match="made for two"):
            store.rename_partner(db, couple[0].id, "Alex", new_partner="Kim")
        assert len(store.list_partners(db)) == 2


def test_settings_round_trip(db_path):
    from datetime import time

    from closer.settings import Settings

    chosen = Settings(("social", "emotional"), 2, time(19, 30))
    with store.open_db(db_path) as db:
        store.save_settings(db, chosen)
        assert store.load_settings(db) == Settings(("emotional", "social"), 2, time(19, 30))


def test_history_survives_turning_a_type_off(db_path, couple):
    from closer.settings import Settings

    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, MONDAY, answers({"spiritual": 6, "physical": 7}))
        store.save_settings(db, Settings(("physical",)))
        frame = store.load_scores(db)
    assert sorted(frame["dimension"]) == ["physical", "spiritual"]


def test_plan_items_and_follow_ups_come_back_typed(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.add_plan_item(db, MONDAY, ItemKind.QUESTION, "q1", "physical", alex.id)
        store.save_commitment(db, MONDAY, sam.id, "Breakfast in bed")
        question, promise = store.load_plan(db, MONDAY)
        store.save_checkin(
            db,
            alex.id,
            MONDAY + timedelta(weeks=1),
            answers({"physical": 7}),
            followups={
                question.id: FollowupAnswer(True, Rating.DID_NOT_HELP),
                promise.id: FollowupAnswer(False),
            },
        )
        followups = store.load_followups(db)
    assert (question.kind, promise.kind) == (ItemKind.QUESTION, ItemKind.COMMITMENT)
    assert type(question.kind) is ItemKind
    assert [(f.done, f.rating) for f in followups] == [(True, Rating.DID_NOT_HELP), (False, None)]
    assert type(followups[0].rating) is Rating


def test_the_data_version_changes_with_every_save_edit_and_delete(db_path, couple):
    # Pages keep a year of scores between clicks under this token: a token that stays the
    # same after a change would show old scores.
    alex, sam = couple
    seen = []
    with store.open_db(db_path) as db:
        seen.append(store.data_version(db))
        store.save_checkin(db, alex.id, MONDAY, answers({"emotional": 5}))
        seen.append(store.data_version(db))
        store.save_checkin(db, alex.id, MONDAY, answers({"emotional": 6}))  # an edit
        seen.append(store.data_version(db))
        store.save_checkin(db, sam.id, MONDAY, answers({"emotional": 7}))
        seen.append(store.data_version(db))
        # One week deleted, another saved in its place: the same count of check-ins.
        store.delete_checkins(db, MONDAY, sam.id)
        store.save_checkin(db, sam.id, MONDAY + timedelta(weeks=1), answers({"emotional": 7}))
        seen.append(store.data_version(db))
        # And again in the same week, with another score.
        store.delete_checkins(db, MONDAY + timedelta(weeks=1), sam.id)
        store.save_checkin(db, sam.id, MONDAY + timedelta(weeks=1), answers({"emotional": 8}))
        seen.append(store.data_version(db))
        unchanged = store.data_version(db)
    assert len(set(seen)) == len(seen) == 6
    assert unchanged == seen[-1]
