"""The check-in's monthly satisfaction questions and its follow-up on last week's plan."""

from __future__ import annotations

from datetime import timedelta

from closer import store
from closer.settings import Settings
from tests.apptest import (
    CHECKIN,
    current_week,
    go_to_review,
    open_app,
    open_checkin_step,
    open_scores_tab,
    open_words_tab,
    save_checkin,
)
from tests.factories import answers


def save(at, partner_id: int):
    """Give one score (a check-in needs one) and save."""
    open_scores_tab(at, partner_id)
    score = next(p for p in at.pills if p.key.endswith("-physical"))
    at.pills(key=score.key).set_value(6)
    return save_checkin(at)


def test_csi_is_asked_in_the_fourth_week_and_stays_private_by_default(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, current_week() - timedelta(weeks=3), answers())
    at = open_checkin_step(open_app(alex.id, CHECKIN), alex.id, "monthly")
    radios = [r for r in at.radio if r.key and r.key.startswith("csi-")]
    assert [r.label for r in radios] == [
        "Please indicate the degree of happiness, all things considered, of your relationship.",
        "I have a warm and comfortable relationship with my partner.",
        "How rewarding is your relationship with your partner?",
        "In general, how satisfied are you with your relationship?",
    ]
    assert radios[0].options == [
        "Extremely unhappy",
        "Fairly unhappy",
        "A little unhappy",
        "Happy",
        "Very happy",
        "Extremely happy",
        "Perfect",
    ]
    assert "Funk" in " ".join(c.value for c in at.caption)
    for radio, value in zip(radios, (3, 4, 2, 3), strict=True):
        radio.set_value(value)
    save(at, alex.id)
    with store.open_db(db_path) as db:
        (record,) = store.load_csi(db)
    # 3 + 4 + 2 + 3 = 12: below the 13.5 cut-off, stored as answered, not shared.
    assert (record.values, record.shared, record.week) == ((3, 4, 2, 3), False, current_week())


def test_csi_is_not_asked_in_other_weeks_or_when_turned_off(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, current_week() - timedelta(weeks=2), answers())
    at = open_words_tab(open_app(alex.id, CHECKIN), alex.id)
    assert not [r for r in at.radio if r.key and r.key.startswith("csi-")]
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, current_week() - timedelta(weeks=3), answers())
        settings = store.load_settings(db)
        store.save_settings(
            db, Settings(settings.active_dimensions, 6, settings.checkin_time, False)
        )
    at = open_words_tab(open_app(alex.id, CHECKIN), alex.id)
    assert not [r for r in at.radio if r.key and r.key.startswith("csi-")]


def test_last_weeks_plan_is_followed_up_and_saved_with_the_checkin(db_path, couple):
    alex, sam = couple
    last_week = current_week() - timedelta(weeks=1)
    with store.open_db(db_path) as db:
        store.add_plan_item(db, last_week, "exercise", "twenty-second-hug", "physical", alex.id)
        store.save_commitment(db, last_week, sam.id, "**cook** <b>Friday</b>")
        plan = store.load_plan(db, last_week)
    at = open_checkin_step(open_app(alex.id, CHECKIN), alex.id, "plan")
    assert "**cook** <b>Friday</b>" in [t.value for t in at.text]  # verbatim
    exercise, commitment = plan
    at.checkbox(key=f"done-{alex.id}-{current_week().isoformat()}-{exercise.id}").check()
    at.radio(key=f"rating-{alex.id}-{current_week().isoformat()}-{exercise.id}").set_value(
        "It helped"
    )
    at.radio(key=f"rating-{alex.id}-{current_week().isoformat()}-{commitment.id}").set_value(
        "It didn't help"
    )
    save(at, alex.id)
    with store.open_db(db_path) as db:
        followups = store.load_followups(db)
    assert [(f.plan_item_id, f.partner_id, f.done, f.rating) for f in followups] == [
        (exercise.id, alex.id, True, 1),
        (commitment.id, alex.id, False, -1),
    ]


def test_an_old_plan_is_not_asked_about(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.add_plan_item(
            db, current_week() - timedelta(weeks=4), "exercise", "twenty-second-hug", None, alex.id
        )
    at = go_to_review(open_app(alex.id, CHECKIN))
    assert "Last week's plan" not in [m.value for m in at.markdown]
