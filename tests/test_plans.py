"""The weekly plan's pure helpers, on literal data worked out by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from closer import plans
from closer.checkin import Answers, Checkin, Reflection
from closer.csi4 import CsiResult
from closer.store import SCORE_COLUMNS, CsiRecord, Followup, PlanItem
from closer.suggest import TriedItem

ALEX, SAM = 1, 2
W1, W2, W3 = date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)


def item(
    id_, week, kind="question", item_id=None, dimension="physical", partner_id=ALEX, body=None
):
    """A stored plan item; question and exercise ids default to 'q<id>'."""
    if item_id is None and kind != "commitment":
        item_id = f"q{id_}"
    return PlanItem(id_, week, kind, item_id, dimension, partner_id, body)


def scores(*rows: tuple[str, int, str, float | None]) -> pd.DataFrame:
    """A score table like ``store.load_scores`` gives, from (week, partner_id, type, score)."""
    return pd.DataFrame(
        [(pd.Timestamp(w), p, "AS"[p - 1], d, s, False) for w, p, d, s in rows],
        columns=SCORE_COLUMNS,
    ).astype({"week": "datetime64[ns]", "partner_id": "int64", "score": "float64"})


def test_a_partners_follow_up_shows_only_once_the_viewer_answered_the_same_item():
    followups = [
        Followup(10, SAM, True, 1),
        Followup(11, SAM, False, None),
        Followup(11, ALEX, True, 0),
        Followup(12, ALEX, True, -1),
    ]
    assert plans.visible_followups(followups, ALEX) == followups[1:]
    assert plans.visible_followups(followups, SAM) == followups[:3]


def test_tried_items_keep_questions_and_exercises_with_ratings_by_partner():
    plan = [
        item(1, W1),
        item(2, W1, "exercise", "hug"),
        item(3, W1, "commitment", body="cook"),
        item(4, W2, item_id="q9"),
    ]
    followups = [
        Followup(2, SAM, True, 1),
        Followup(2, ALEX, True, -1),
        Followup(1, ALEX, False, None),  # not done, no rating: adds none
        Followup(3, SAM, True, 1),
    ]
    assert plans.tried_items(plan, followups) == [
        TriedItem(W1, "question", "q1", ()),
        TriedItem(W1, "exercise", "hug", (-1, 1)),
        TriedItem(W2, "question", "q9", ()),
    ]


def test_tried_items_before_a_week_leave_that_week_and_later_out():
    plan = [item(1, W1), item(2, W2), item(3, W3)]
    assert [t.item_id for t in plans.tried_items(plan, [], before=W2)] == ["q1"]


def test_plan_for_chosen_picked_and_commitments():
    plan = [
        item(1, W2),
        item(2, W3, "exercise", "hug"),
        item(3, W3, "commitment", body="cook", partner_id=SAM),
        item(4, W3, item_id="q7"),
    ]
    this_week = plans.plan_for(plan, W3)
    assert [p.id for p in this_week] == [2, 3, 4]
    assert plans.chosen(this_week) == {("exercise", "hug"), ("question", "q7")}
    assert [p.id for p in plans.picked_items(this_week)] == [2, 4]
    assert plans.commitments(this_week) == {SAM: plan[2]}


def test_plan_history_is_newest_first_with_visible_and_hidden_answers():
    plan = [item(1, W1), item(2, W2), item(3, W2, "exercise", "hug"), item(4, W3)]
    followups = [
        Followup(1, SAM, True, 1),
        Followup(1, ALEX, True, 1),
        Followup(2, SAM, False, None),  # Alex has not answered item 2: Sam's stays hidden
    ]
    history = plans.plan_history(plan, followups, ALEX, before=W3)
    assert [w.week for w in history] == [W2, W1]
    assert [e.item.id for e in history[0].entries] == [2, 3]
    assert history[0].entries[0].answers == ()
    assert history[0].entries[0].hidden == (SAM,)
    assert history[1].entries[0].answers == (followups[1], followups[0])  # by partner id
    assert history[1].entries[0].hidden == ()
    assert [w.week for w in plans.plan_history(plan, followups, ALEX, before=W3, weeks=1)] == [W2]


def test_followup_summary_in_partner_order():
    entry = plans.TriedEntry(item(1, W1), (Followup(1, ALEX, True, 1),), (SAM,))
    assert plans.followup_summary(entry, [ALEX, SAM]) == [
        (ALEX, "did it, and it helped"),
        (SAM, "has answered; you'll see it once you've answered too"),
    ]
    assert plans.followup_summary(plans.TriedEntry(item(1, W1), (), ()), [SAM]) == [
        (SAM, "hasn't said yet")
    ]


@pytest.mark.parametrize(
    ("followup", "words"),
    [
        (None, "hasn't said yet"),
        (Followup(1, ALEX, False, None), "didn't get to it"),
        (Followup(1, ALEX, True, None), "did it"),
        (Followup(1, ALEX, True, 1), "did it, and it helped"),
        (Followup(1, ALEX, True, 0), "did it, not sure yet if it helped"),
        (Followup(1, ALEX, True, -1), "did it, and it didn't help this time"),
    ],
)
def test_followup_words(followup, words):
    assert plans.followup_words(followup) == words


def test_catalogue_text_for_questions_and_exercises():
    assert plans.catalogue_text("question", "emo-l-01") == (
        "What was the nicest small moment of your day today?"
    )
    assert plans.catalogue_text("exercise", "twenty-second-hug") == "The 20-second hug"
    assert plans.find_exercise("twenty-second-hug").minutes == 1
    assert plans.catalogue_text("question", "gone-l-99") == (
        "A question that is no longer in Closer's list"
    )
    assert plans.catalogue_text("exercise", None) == (
        "An exercise that is no longer in Closer's list"
    )
    with pytest.raises(ValueError, match="own words"):
        plans.catalogue_text("commitment", None)


def test_area_names():
    assert plans.area_name("physical") == "Physical"
    assert plans.area_name("us") == "The two of you"
    assert plans.area_name(None) == "The two of you"


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (0, "0 minutes"),
        (1, "1 minute"),
        (20, "20 minutes"),
        (60, "1 hour"),
        (61, "1 hour 1 minute"),
        (90, "1 hour 30 minutes"),
        (180, "3 hours"),
    ],
)
def test_minutes_words(minutes, words):
    assert plans.minutes_words(minutes) == words


@pytest.mark.parametrize(
    ("elapsed", "left", "fraction", "text"),
    [
        (0.0, 300, 1.0, "5:00"),
        (0.4, 300, 1.0, "5:00"),  # a part second still shows as a whole one left
        (59.5, 241, 241 / 300, "4:01"),
        (290.0, 10, 10 / 300, "0:10"),
        (300.0, 0, 0.0, "0:00"),
        (1000.0, 0, 0.0, "0:00"),
        (-5.0, 300, 1.0, "5:00"),  # a clock that went back never shows more than the step
    ],
)
def test_countdown(elapsed, left, fraction, text):
    assert plans.countdown(1000.0, 5, 1000.0 + elapsed) == plans.Countdown(left, fraction, text)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Cook on Thursday", None),
        ("**hi** <b>x</b>", None),
        ("two\nlines", None),
        ("x" * 500, None),
        ("   \n ", "Write one small thing first: a sentence is plenty."),
        (
            "x" * 501,
            "This is 501 characters; the limit is 500. Shorten it a little and save again.",
        ),
        (
            "pasted\x1b[31m",
            "This text contains hidden control characters (often from a paste). "
            "Retype the affected part and save again.",
        ),
    ],
)
def test_commitment_problem(text, problem):
    assert plans.commitment_problem(text) == problem


def test_shared_notes_leave_private_ones_and_missing_check_ins_out():
    def checkin(partner_id, **reflections):
        answers = Answers({}, frozenset(), {k: Reflection(*v) for k, v in reflections.items()})
        return Checkin(partner_id, partner_id, W3, 1, "", answers)

    mine = checkin(ALEX, appreciation=("thank you", True), unsaid=("worry", False))
    theirs = checkin(SAM, appreciation=("you too", True), unsaid=("let's talk", True))
    assert plans.shared_notes([mine, theirs], "appreciation") == {
        ALEX: "thank you",
        SAM: "you too",
    }
    assert plans.shared_notes([mine, theirs], "unsaid") == {SAM: "let's talk"}
    assert plans.shared_notes([mine, None], "working") == {}


def test_couple_means_average_partners_and_ignore_skips():
    table = scores(
        (W2, SAM, "physical", 5),
        (W1, ALEX, "physical", 8),
        (W1, SAM, "physical", 4),
        (W1, SAM, "social", None),
    )
    assert plans.couple_means(table) == {(W1, "physical"): 6.0, (W2, "physical"): 5.0}
    assert list(plans.couple_means(table)) == [(W1, "physical"), (W2, "physical")]
    assert plans.couple_means(scores()) == {}


def test_recent_levels_use_the_last_four_couple_means_of_each_type():
    weeks = [date(2026, 10, d) for d in (5, 12, 19, 26)] + [W1, W2]
    table = scores(
        *[(w, ALEX, "physical", s) for w, s in zip(weeks, (1, 1, 8, 8, 6, 6), strict=True)],
        (W2, ALEX, "social", 7),
        (W2, SAM, "social", 4),
        (W2, SAM, "sexual", None),
    )
    assert plans.recent_levels(table, ["emotional", "physical", "social", "sexual"]) == {
        "physical": 7.0,  # (8 + 8 + 6 + 6) / 4: the two 1s are older
        "social": 5.5,
    }
    assert plans.recent_levels(table, ["social"]) == {"social": 5.5}


def test_weekly_couple_means_are_means_over_types_oldest_first():
    table = scores(
        (W2, ALEX, "physical", 8),
        (W2, SAM, "physical", 4),  # physical 6
        (W2, ALEX, "social", 3),  # social 3: week 4.5
        (W1, ALEX, "physical", 2),
        (W1, ALEX, "social", None),  # week 2
        (W3, SAM, "social", None),  # nothing scored: no week
    )
    assert plans.weekly_couple_means(table) == [2.0, 4.5]
    assert plans.weekly_couple_means(table, since=W2) == [4.5]
    assert plans.weekly_couple_means(scores()) == []


def test_windows_count_back_from_this_week():
    wednesday = date(2026, 11, 18)
    assert plans.care_window_start(wednesday) == date(2026, 9, 28)  # 8 weeks incl. this one
    assert plans.history_window_start(wednesday) == date(2025, 11, 24)  # 52 weeks
    assert plans.csi_window_start(wednesday) == date(2026, 8, 31)  # 12 weeks incl. this one


def test_checkin_weeks_of_one_partner():
    table = scores((W1, ALEX, "physical", None), (W2, SAM, "physical", 5), (W3, ALEX, "x", 3))
    assert plans.checkin_weeks(table, ALEX) == {W1, W3}
    assert plans.checkin_weeks(scores(), ALEX) == set()


def test_latest_csi_per_partner_within_the_window():
    records = [
        CsiRecord(ALEX, W1, (1, 1, 1, 1), True),
        CsiRecord(SAM, W1, (5, 5, 5, 5), True),
        CsiRecord(ALEX, W3, (6, 5, 5, None), False),
        CsiRecord(SAM, date(2026, 1, 5), (0, 0, 0, 0), True),
    ]
    assert plans.latest_csi(records) == [records[2], records[1]]
    assert plans.latest_csi(records, since=W2) == [records[2]]


def test_csi_results_total_each_answer():
    records = [CsiRecord(ALEX, W1, (6, 5, 5, 5), False), CsiRecord(SAM, W1, (1, None, 1, 1), True)]
    assert plans.csi_results(records) == [
        CsiResult(ALEX, 21, shared=False, week=W1),
        CsiResult(SAM, None, shared=True, week=W1),
    ]
