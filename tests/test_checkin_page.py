"""The check-in page: answers only as given, the week in words, and a clear finish."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from closer import store
from closer.checkin import Answers, Reflection, unanswered
from closer.plans import followup_week
from closer.weeks import week_label
from tests.apptest import (
    CHECKIN,
    SAVE_LABELS,
    current_week,
    fill_checkin,
    go_to_review,
    open_app,
    open_scores_tab,
    this_week,
)


def save_button(at):
    """The Save button, at the check-in's last step (Next is pressed until it is there)."""
    go_to_review(at)
    return next(b for b in at.button if b.label in ("Save my check-in", "Save changes"))


def test_skip_greys_the_type_out_and_clears_its_score(couple):
    alex, _ = couple
    at = open_app(alex.id, CHECKIN)
    key = f"{alex.id}-{this_week()}-physical"
    at.pills(key=f"score-{key}").set_value(7).run()
    assert at.pills(key=f"score-{key}").value == 7
    at.checkbox(key=f"skip-{key}").check().run()
    assert at.pills(key=f"score-{key}").value is None
    assert at.pills(key=f"score-{key}").disabled
    at.checkbox(key=f"skip-{key}").uncheck().run()
    assert not at.pills(key=f"score-{key}").disabled
    assert at.pills(key=f"score-{key}").value is None  # not brought back: it was cleared


def test_saving_with_untouched_types_asks_once_then_stores_them_as_not_answered(db_path, couple):
    alex, _ = couple
    at = open_app(alex.id, CHECKIN)
    prefix = f"{alex.id}-{this_week()}"
    at.pills(key=f"score-{prefix}-emotional").set_value(6)
    at.checkbox(key=f"skip-{prefix}-sexual").check().run()
    for key in ("physical", "intellectual"):
        at.pills(key=f"score-{prefix}-{key}").set_value(5)
    save_button(at).click().run()
    assert [w.value for w in at.warning] == [
        "2 not answered: Spiritual, Social. Save anyway? They'll be kept as not answered "
        "(not as skipped), and you can come back to them."
    ]
    with store.open_db(db_path) as db:
        assert store.checked_in_weeks(db) == []  # nothing saved before the answer
    next(b for b in at.button if b.label == "Save anyway").click().run()
    with store.open_db(db_path) as db:
        saved = store.load_checkin(db, alex.id, current_week())
    assert saved.answers.scores == {
        "emotional": 6,
        "physical": 5,
        "intellectual": 5,
        "sexual": None,
    }


def test_answering_the_rest_after_the_question_saves_without_asking_again(db_path, couple):
    alex, _ = couple
    at = open_app(alex.id, CHECKIN)
    prefix = f"{alex.id}-{this_week()}"
    at.pills(key=f"score-{prefix}-emotional").set_value(6).run()
    save_button(at).click().run()
    assert at.warning[0].value.startswith("5 not answered")
    open_scores_tab(at, alex.id)
    for key in ("physical", "intellectual", "spiritual", "social", "sexual"):
        at.pills(key=f"score-{prefix}-{key}").set_value(4)
    at.run()
    assert not at.warning
    save_button(at).click().run()
    with store.open_db(db_path) as db:
        assert len(store.load_checkin(db, alex.id, current_week()).answers.scores) == 6


def test_last_weeks_score_is_a_hint_in_words_never_a_starting_value(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_checkin(
            db,
            alex.id,
            current_week() - timedelta(weeks=2),
            Answers({"emotional": 7, "social": None}),
        )
    at = open_app(alex.id, CHECKIN)
    labels = {p.key.rsplit("-", 1)[1]: p.label for p in at.pills}
    assert labels["emotional"].endswith("last time 7")
    assert labels["social"].endswith("skipped last time")
    assert "last time" not in labels["physical"]
    assert [p.value for p in at.pills] == [None] * 6


def test_after_saving_the_top_says_so_and_waits_for_the_partner(couple):
    alex, _ = couple
    at = fill_checkin(open_app(alex.id, CHECKIN), alex.id, dict.fromkeys(["physical"], 8))
    assert at.success[0].value == (
        f"Saved: your check-in for {_words(current_week())} ({week_label(current_week())}). "
        "That's 1 week you've checked in."
    )
    assert at.info[0].value.startswith("**Waiting for Sam.**")
    assert not at.pills  # the form does not simply come back
    next(b for b in at.button if b.label == "Change my answers").click().run()
    assert at.pills[1].value == 8


def test_when_both_are_in_the_finish_leads_to_the_reveal(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, sam.id, current_week(), Answers({"physical": 3}))
    at = fill_checkin(open_app(alex.id, CHECKIN), alex.id, {"physical": 8})
    assert any(m.value.startswith("**You've both checked in.**") for m in at.markdown)
    (link,) = [e for e in at.get("page_link") if e.proto.label == "**See each other's answers**"]
    assert link.proto.page == "this-week"
    at.switch_page("views/pages/this_week.py").run()
    assert at.title[0].value == "This week"
    # The two check-ins side by side: a card per type with both scores on a 1–10 bar.
    assert [p.proto.text for p in at.get("progress")] == ["You: 8 of 10", "Sam: 3 of 10"]


def test_last_week_is_asked_about_as_last_week(couple):
    alex, _ = couple
    at = open_app(alex.id, CHECKIN)
    week = current_week()
    last_week = week - timedelta(weeks=1)
    at.radio(key=f"checkin-week-{alex.id}").set_value(last_week).run()
    words = "the week before" if date.today() > week + timedelta(days=6) else "last week"
    assert at.subheader[0].value == f"How connected did you feel {words}?"
    assert f"This check-in is for the week of {week_label(last_week)}, {words}." in [
        c.value for c in at.caption
    ]


def _words(week: date) -> str:
    today = date.today()
    return "the week just ending" if today >= week + timedelta(days=6) else "this week"


def test_unanswered_lists_types_neither_scored_nor_skipped():
    answers = Answers({"emotional": 4, "physical": None}, reflections={"x": Reflection("", True)})
    assert unanswered(answers, ["emotional", "physical", "social", "sexual"]) == [
        "social",
        "sexual",
    ]


@pytest.mark.parametrize(
    ("week", "plan_week"),
    [
        (date(2026, 11, 23), date(2026, 11, 16)),  # the plan made last week
        (date(2026, 11, 26), date(2026, 11, 16)),  # any day of the week: its Monday's
        (date(2026, 11, 30), date(2026, 11, 23)),  # a week on: the next plan, never the old
    ],
)
def test_a_check_in_asks_about_the_plan_of_the_week_before_only(week, plan_week):
    assert followup_week(week) == plan_week


def test_saving_again_asks_only_about_types_newly_left_unanswered(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, current_week(), Answers({"emotional": 6, "physical": 5}))
    at = open_app(alex.id, CHECKIN)
    prefix = f"{alex.id}-{this_week()}"
    at.pills(key=f"score-{prefix}-emotional").set_value(8).run()
    save_button(at).click().run()
    assert not at.warning  # the four left out were confirmed with the first save
    with store.open_db(db_path) as db:
        assert store.load_checkin(db, alex.id, current_week()).answers.scores == {
            "emotional": 8,
            "physical": 5,
        }
    next(b for b in at.button if b.label == "Change my answers").click().run()
    at.pills(key=f"score-{prefix}-physical").set_value(None).run()
    save_button(at).click().run()
    assert at.warning[0].value.startswith("1 not answered: Physical.")


def test_the_reveal_tells_not_answered_from_skipped(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, current_week(), Answers({"physical": 6, "social": None}))
        store.save_checkin(db, sam.id, current_week(), Answers({"physical": 4, "emotional": 7}))
    at = open_app(alex.id, "views/pages/this_week.py")
    bars = [p.proto.text for p in at.get("progress")]
    notes = [c.value for c in at.caption]
    # Cards in survey order: emotional, physical, social.
    assert bars == ["Sam: 7 of 10", "You: 6 of 10", "Sam: 4 of 10"]
    assert "You: not answered" in notes  # emotional: left alone
    assert "You: skipped this week" in notes  # social: chosen
    assert "Sam: not answered" in notes  # social


def test_a_late_check_in_stays_on_last_week_through_every_step(db_path, couple):
    # The week's choice is drawn on the first step only; the steps after it and the save
    # must still be for the week chosen there, not this week.
    alex, _ = couple
    at = open_app(alex.id, CHECKIN)
    last_week = current_week() - timedelta(weeks=1)
    at.radio(key=f"checkin-week-{alex.id}").set_value(last_week).run()
    for pills in at.pills:
        if pills.key and pills.key.startswith("score-"):
            pills.set_value(6)
    at.run()
    go_to_review(at)
    assert not at.radio
    assert f"For the week of {week_label(last_week)}" in at.caption[0].value
    next(b for b in at.button if b.label in SAVE_LABELS).click().run()
    assert not at.exception, at.exception
    with store.open_db(db_path) as db:
        assert [c.week for c in store.load_week(db, last_week)] == [last_week]
        assert store.load_week(db, current_week()) == []
