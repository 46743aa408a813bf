"""Trends across the intimacy types: weekly series, changes, gaps, rhythm and weak areas."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from closer import analysis
from closer.analysis import TOGETHER, TOGETHER_ROLLING, Rhythm, WeakArea
from tests.factories import W, score_table


def couple(dim: str, means: list[float | None], weeks: list[int] | None = None) -> pd.DataFrame:
    """Both partners give the same score, so each week's couple mean is exactly ``means[i]``."""
    weeks = list(range(len(means))) if weeks is None else weeks
    return score_table(
        *[(w, p, dim, m) for w, m in zip(weeks, means, strict=True) for p in ("Sam", "Alex")]
    )


def series(weekly: pd.DataFrame, dim: str, name: str) -> list[float | None]:
    """One line of weekly_scores output as a list, None for gaps, rounded for comparison."""
    rows = weekly[(weekly["dimension"] == dim) & (weekly["series"] == name)]
    return [None if math.isnan(v) else round(v, 4) for v in rows["score"]]


EMPTY = score_table()

# A month of physical scores with a skip, a missed week and a lone check-in:
#   week 0: Sam 8, Alex 6      → couple mean 7
#   week 1: Sam 6, Alex skips  → 6
#   week 2: nobody checks in   → gap
#   week 3: Sam 4, Alex 2      → 3
#   week 4: Alex 5             → 5
MONTH = score_table(
    (0, "Sam", "physical", 8),
    (0, "Alex", "physical", 6),
    (1, "Sam", "physical", 6),
    (1, "Alex", "physical", None),
    (3, "Sam", "physical", 4),
    (3, "Alex", "physical", 2),
    (4, "Alex", "physical", 5),
)


def test_weekly_scores_of_no_data_is_an_empty_frame_with_the_columns() -> None:
    weekly = analysis.weekly_scores(EMPTY)
    assert list(weekly.columns) == list(analysis.WEEKLY_COLUMNS)
    assert weekly.empty


def test_weekly_scores_keeps_gaps_and_averages_only_weeks_with_a_value() -> None:
    weekly = analysis.weekly_scores(MONTH)
    assert series(weekly, "physical", "Sam") == [8, 6, None, 4, None]
    assert series(weekly, "physical", "Alex") == [6, None, None, 2, 5]
    assert series(weekly, "physical", TOGETHER) == [7, 6, None, 3, 5]
    # Rolling windows of this week and the three before, over the weeks that have a mean:
    #   week 0: 7 / 1 = 7;  week 1: (7 + 6) / 2 = 6.5;  week 2: (7 + 6) / 2 = 6.5
    #   week 3: (7 + 6 + 3) / 3 = 5.3333;  week 4: (6 + 3 + 5) / 3 = 4.6667
    assert series(weekly, "physical", TOGETHER_ROLLING) == [7, 6.5, 6.5, 5.3333, 4.6667]


def test_weekly_scores_rolling_mean_is_a_gap_when_four_weeks_have_nothing() -> None:
    weekly = analysis.weekly_scores(couple("social", [6, None, None, None, None, 8]))
    # Week 4's window is weeks 1–4: no mean at all, so no average either (not 0, not 7).
    assert series(weekly, "social", TOGETHER_ROLLING) == [6, 6, 6, 6, None, 8]


def test_weekly_scores_shape_order_and_types() -> None:
    weekly = analysis.weekly_scores(MONTH)
    # 5 weeks × 1 type × (2 partners + couple mean + rolling mean)
    assert len(weekly) == 20
    assert weekly["series"].unique().tolist() == ["Sam", "Alex", TOGETHER, TOGETHER_ROLLING]
    assert weekly["kind"].unique().tolist() == ["partner", "mean", "rolling"]
    assert weekly["week"].iloc[:5].tolist() == W[:5]
    assert str(weekly["week"].dtype).startswith("datetime64")
    assert weekly["score"].dtype == "float64"


def test_weekly_scores_window_shows_its_weeks_but_averages_the_weeks_before() -> None:
    weekly = analysis.weekly_scores(MONTH, weeks=[W[3], W[4], W[5]])
    assert sorted(weekly["week"].unique()) == [W[3], W[4], W[5]]
    assert series(weekly, "physical", TOGETHER) == [3, 5, None]
    # Week 5's window is weeks 2–5: (3 + 5) / 2 = 4.
    assert series(weekly, "physical", TOGETHER_ROLLING) == [5.3333, 4.6667, 4]


def test_weekly_scores_with_one_partner_has_their_line_and_the_couple_lines() -> None:
    weekly = analysis.weekly_scores(MONTH[MONTH["partner"] == "Sam"])
    assert weekly["series"].unique().tolist() == ["Sam", TOGETHER, TOGETHER_ROLLING]
    assert series(weekly, "physical", TOGETHER) == [8, 6, None, 4]


def test_weekly_scores_of_one_check_in() -> None:
    weekly = analysis.weekly_scores(score_table((2, "Sam", "emotional", 7)))
    assert weekly[["week", "series", "kind", "score"]].values.tolist() == [
        [W[2], "Sam", "partner", 7.0],
        [W[2], TOGETHER, "mean", 7.0],
        [W[2], TOGETHER_ROLLING, "rolling", 7.0],
    ]


def test_weekly_scores_types_follow_dims_in_survey_order() -> None:
    frame = pd.concat([MONTH, couple("spiritual", [5, 5])])
    # Spiritual is turned off; social is on but has no data yet (a row of gaps).
    weekly = analysis.weekly_scores(frame, dims=["social", "physical"])
    assert weekly["dimension"].unique().tolist() == ["physical", "social"]
    assert series(weekly, "social", TOGETHER) == [None] * 5


def test_weekly_scores_of_equal_scores_stay_flat() -> None:
    weekly = analysis.weekly_scores(couple("intellectual", [6, 6, 6, 6, 6]))
    assert series(weekly, "intellectual", TOGETHER_ROLLING) == [6] * 5


def test_weekly_scores_of_skipped_scores_are_gaps_not_zeros() -> None:
    weekly = analysis.weekly_scores(couple("sexual", [None, None, 4]))
    assert series(weekly, "sexual", TOGETHER) == [None, None, 4]
    assert series(weekly, "sexual", TOGETHER_ROLLING) == [None, None, 4]


def test_changes_compares_latest_with_previous_and_the_four_before() -> None:
    frame = pd.concat([MONTH, score_table((5, "Sam", "physical", 8))])
    row = analysis.changes(frame, ["physical"]).iloc[0]
    # Check-ins: 7, 6, 3, 5, then 8 in week 5. Four before the latest: (7+6+3+5)/4 = 5.25.
    assert row["latest_week"] == W[5]
    assert (row["latest"], row["previous"], row["prior4"]) == (8, 5, 5.25)
    assert row["prior_count"] == 4
    assert row["vs_previous"] == 3
    assert row["vs_prior4"] == 2.75


def test_changes_per_type_with_missing_values_as_nan() -> None:
    frame = pd.concat([MONTH, score_table((1, "Alex", "emotional", 6), (2, "Sam", "social", None))])
    result = analysis.changes(frame, ["emotional", "social", "sexual"])
    assert list(result.columns) == list(analysis.CHANGES_COLUMNS)
    assert result["dimension"].tolist() == ["emotional", "social", "sexual"]
    # Emotional has one check-in; social was only skipped; sexual has no rows at all.
    assert result["latest"].tolist()[0] == 6
    assert result["latest"].isna().tolist() == [False, True, True]
    assert result["previous"].isna().all() and result["vs_prior4"].isna().all()
    assert result["prior_count"].tolist() == [0, 0, 0]
    assert pd.isna(result["latest_week"].iloc[1])


def test_changes_since_drops_earlier_weeks() -> None:
    row = analysis.changes(MONTH, ["physical"], since=W[2]).iloc[0]
    # Only weeks 3 and 4 remain: latest 5, previous 3, the one before averages 3.
    assert (row["latest"], row["previous"], row["prior4"], row["prior_count"]) == (5, 3, 3, 1)


def test_changes_of_no_data() -> None:
    result = analysis.changes(EMPTY, ["physical"])
    assert result["dimension"].tolist() == ["physical"]
    assert result["latest"].isna().all()


# Emotional, weeks 1–4: Sam 8, 8, 9, 7 (mean 8.0), Alex 4, 5, 5, 4 (mean 4.5): gap 3.5.
# Week 0 (1 vs 10) is older than the last four shared weeks; in week 5 Alex skipped.
APART = score_table(
    (0, "Sam", "emotional", 1),
    (0, "Alex", "emotional", 10),
    (1, "Sam", "emotional", 8),
    (1, "Alex", "emotional", 4),
    (2, "Sam", "emotional", 8),
    (2, "Alex", "emotional", 5),
    (3, "Sam", "emotional", 9),
    (3, "Alex", "emotional", 5),
    (4, "Sam", "emotional", 7),
    (4, "Alex", "emotional", 4),
    (5, "Sam", "emotional", 2),
    (5, "Alex", "emotional", None),
)


def test_partner_gaps_use_recent_means_over_weeks_both_scored() -> None:
    gaps = analysis.partner_gaps(APART)
    assert list(gaps.columns) == list(analysis.GAP_COLUMNS)
    assert gaps.iloc[0].tolist() == ["emotional", 4, "Sam", 8.0, "Alex", 4.5, 3.5]


def test_partner_gaps_last_n() -> None:
    # Weeks 3 and 4: Sam (9 + 7) / 2 = 8, Alex (5 + 4) / 2 = 4.5.
    gaps = analysis.partner_gaps(APART, last_n=2)
    assert gaps[["weeks", "score_a", "score_b", "gap"]].iloc[0].tolist() == [2, 8.0, 4.5, 3.5]


def test_partner_gaps_skip_types_never_scored_by_both_in_one_week() -> None:
    frame = pd.concat([APART, score_table((1, "Sam", "social", 5), (2, "Alex", "social", 5))])
    assert analysis.partner_gaps(frame)["dimension"].tolist() == ["emotional"]


@pytest.mark.parametrize("frame", [EMPTY, APART[APART["partner"] == "Sam"]], ids=["none", "one"])
def test_partner_gaps_need_two_partners(frame: pd.DataFrame) -> None:
    gaps = analysis.partner_gaps(frame)
    assert gaps.empty
    assert list(gaps.columns) == list(analysis.GAP_COLUMNS)


def both_weeks(*weeks: int) -> pd.DataFrame:
    """Both partners checked in (physical only) in these weeks."""
    return score_table(*[(w, p, "physical", 7) for w in weeks for p in ("Sam", "Alex")])


@pytest.mark.parametrize(
    ("weeks", "today", "expected"),
    [
        # Sunday evening of week 3, done: weeks 0–3 in a row.
        ((0, 1, 2, 3), date(2025, 2, 2), Rhythm(4, 8, 4, True, {"Sam": 4, "Alex": 4})),
        # Wednesday of week 4, not done yet: the open week does not break the run.
        ((0, 1, 2, 3), date(2025, 2, 5), Rhythm(4, 8, 4, False, {"Sam": 4, "Alex": 4})),
        # Week 5 and nothing last week either: the run is over (the count stays).
        ((0, 1, 2, 3), date(2025, 2, 12), Rhythm(4, 8, 0, False, {"Sam": 4, "Alex": 4})),
        # A missed week 2 breaks the run; week 3 starts a new one.
        ((0, 1, 3), date(2025, 1, 29), Rhythm(3, 8, 1, True, {"Sam": 3, "Alex": 3})),
        # Ten weeks in a row, but the window only counts the last eight.
        (tuple(range(10)), date(2025, 3, 14), Rhythm(8, 8, 10, True, {"Sam": 8, "Alex": 8})),
    ],
)
def test_rhythm(weeks: tuple[int, ...], today: date, expected: Rhythm) -> None:
    assert analysis.rhythm(both_weeks(*weeks), today) == expected


def test_rhythm_counts_each_partner_and_any_check_in() -> None:
    frame = pd.concat(
        [
            score_table(*[(w, "Sam", "physical", 6) for w in range(4)]),
            # Alex checked in once and skipped every type: still a check-in.
            score_table((3, "Alex", "physical", None)),
        ]
    )
    result = analysis.rhythm(frame, date(2025, 1, 30), window=3)
    assert result == Rhythm(3, 3, 4, True, {"Sam": 3, "Alex": 1})


def test_rhythm_of_one_partner_ignores_weeks_after_today() -> None:
    frame = score_table((0, "Sam", "physical", 6), (9, "Sam", "physical", 6))
    assert analysis.rhythm(frame, date(2025, 1, 8)) == Rhythm(1, 8, 1, True, {"Sam": 1})


def test_rhythm_of_no_data() -> None:
    assert analysis.rhythm(EMPTY, date(2025, 1, 8)) == Rhythm(0, 8, 0, False, {})


ALL_TYPES = ["emotional", "physical", "intellectual", "spiritual", "social", "sexual"]


def reasons(frame: pd.DataFrame, dims: list[str] | None = None) -> dict[str, list[str]]:
    """Weak areas as {type: reasons}, in ranking order."""
    return {w.dimension: w.reasons for w in analysis.weak_areas(frame, dims or ALL_TYPES)}


def test_weak_areas_example_from_the_issue() -> None:
    # Physical: 7.5 for four weeks (Sam 8, Alex 7), then 5.0 for four weeks (both 5).
    frame = score_table(
        *[(w, "Sam", "physical", 8) for w in range(4)],
        *[(w, "Alex", "physical", 7) for w in range(4)],
        *[(w, p, "physical", 5) for w in range(4, 8) for p in ("Sam", "Alex")],
    )
    [area] = analysis.weak_areas(frame, ["physical"])
    assert area.dimension == "physical"
    assert area.reasons == [
        "Physical: averaging 5.0 over your last four check-ins",
        "Physical: down from 7.5 to 5.0 over the last four weeks",
    ]
    assert area.recent_mean == 5.0
    # low level 2.0 + decline 1.5 + (10 − 5) / 9
    assert area.severity == pytest.approx(3.5 + 5 / 9)


@pytest.mark.parametrize(
    ("before", "after", "declined"),
    [
        (7.0, 6.0, True),
        # 7.3 − 6.3 is 0.9999999999999998 in floating point: still exactly 1.0 to a person.
        (7.3, 6.3, True),
        (7.3, 6.4, False),
        (7.0, 6.1, False),
    ],
)
def test_weak_areas_decline_threshold(before: float, after: float, declined: bool) -> None:
    frame = couple("social", [before] * 4 + [after] * 4)
    expected = f"Social: down from {before:.1f} to {after:.1f} over the last four weeks"
    assert reasons(frame) == ({"social": [expected]} if declined else {})


def test_weak_areas_decline_over_check_ins_that_were_not_consecutive_weeks() -> None:
    frame = couple("social", [8] * 4 + [6] * 4, weeks=[0, 1, 2, 3, 4, 6, 8, 10])
    assert reasons(frame) == {
        "social": ["Social: down from 8.0 to 6.0 over your last four check-ins"]
    }


@pytest.mark.parametrize(
    ("means", "expected"),
    [
        ([5, 5, 5, 5], "averaging 5.0 over your last four check-ins"),
        # (5 + 5 + 5 + 5.4) / 4 = 5.1: above the line.
        ([5, 5, 5, 5.4], None),
        # Only the last four count: (8 + 8 + 8 + 8) / 4, whatever came before.
        ([2, 8, 8, 8, 8], None),
        # Fewer than four check-ins: the mean of those there are, (4.5 + 5 + 5.5) / 3 = 5.0.
        ([4.5, 5, 5.5], "averaging 5.0 over your last three check-ins"),
        # Two middling check-ins are not yet a pattern; a clear low is, from the first week.
        ([4.5, 5.5], None),
        ([4], None),
        ([3], "3.0 in your latest check-in"),
        ([3.5, 2.5], "averaging 3.0 over your last two check-ins"),
    ],
)
def test_weak_areas_low_level_threshold(means: list[float], expected: str | None) -> None:
    result = reasons(couple("spiritual", means))
    assert result == ({"spiritual": [f"Spiritual: {expected}"]} if expected else {})


@pytest.mark.parametrize(
    ("step", "weeks", "expected"),
    [
        # Six weekly check-ins falling 0.3 a week (8.0 → 6.5): slope −0.3 counts.
        (
            0.3,
            range(6),
            "Social: drifting down over your last six check-ins, from about 8.0 to 6.5",
        ),
        (0.29, range(6), None),
        # The same six values every other week fall 0.15 a week: too slow to flag.
        (0.3, range(0, 12, 2), None),
    ],
)
def test_weak_areas_slope_threshold(step: float, weeks: range, expected: str | None) -> None:
    frame = couple("social", [8 - step * i for i in range(6)], weeks=list(weeks))
    assert reasons(frame) == ({"social": [expected]} if expected else {})


@pytest.mark.parametrize(("alex", "apart"), [(5.0, True), (5.1, False)])
def test_weak_areas_gap_threshold(alex: float, apart: bool) -> None:
    frame = score_table(
        *[(w, "Sam", "social", 8) for w in range(4)],
        *[(w, "Alex", "social", alex) for w in range(4)],
    )
    expected = f"Social: you two see this one differently: 8.0 and {alex:.1f}"
    assert reasons(frame) == ({"social": [expected]} if apart else {})


def test_weak_areas_gap_reason_for_the_example() -> None:
    assert reasons(APART)["emotional"][-1] == (
        "Emotional: you two see this one differently: 8.0 and 4.5"
    )


def test_weak_areas_wishes_come_from_each_partners_latest_check_in() -> None:
    frame = score_table(
        (0, "Sam", "social", 8, True),
        (1, "Sam", "social", 8, False),  # Sam's latest: no longer ticked
        (0, "Alex", "social", 8, True),  # Alex's latest (not done week 1 yet): still ticked
        (1, "Sam", "sexual", 8, True),
        (0, "Alex", "sexual", 8, True),
    )
    assert reasons(frame) == {
        "sexual": ["Sexual: Sam and Alex would both like more of this"],
        "social": ["Social: Alex would like more of this"],
    }


def test_weak_areas_ignore_types_turned_off_and_types_without_data() -> None:
    frame = pd.concat([couple("spiritual", [2, 2, 2, 2]), couple("social", [3])])
    assert [w.dimension for w in analysis.weak_areas(frame, ["social", "sexual"])] == ["social"]


def test_weak_areas_rank_by_severity_then_survey_order() -> None:
    frame = pd.concat(
        [
            couple("sexual", [3, 3]),  # low: 2.0 + (10 − 3) / 9 = 2.78
            couple("social", [4, 4, 4]),  # low: 2.0 + 6 / 9 = 2.67
            couple("emotional", [4, 4, 4]),  # same as social: survey order puts it first
            couple("spiritual", [4, 4]),  # two middling weeks: not enough to say anything
            score_table((2, "Sam", "physical", 9, True)),  # wish only: 1.0 + 1 / 9 = 1.11
        ]
    )
    ranked = analysis.weak_areas(frame, ["physical", "social", "emotional", "sexual"])
    assert [w.dimension for w in ranked] == ["sexual", "emotional", "social", "physical"]
    assert [round(w.severity, 3) for w in ranked] == [2.778, 2.667, 2.667, 1.111]


def test_weak_areas_of_one_check_in_and_one_partner() -> None:
    [area] = analysis.weak_areas(score_table((0, "Sam", "physical", 4.5, True)), ALL_TYPES)
    # One 4.5 is not a pattern (that needs three check-ins, or a 3 or lower); the wish is.
    assert area == WeakArea(
        "physical",
        ["Physical: Sam would like more of this"],
        1.0 + 5.5 / 9,
        4.5,
        "Based on what you ticked in your latest check-ins.",
    )


def test_weak_areas_say_what_they_rest_on() -> None:
    [area] = analysis.weak_areas(couple("social", [4, 4, 5, 4, 4]), ALL_TYPES)
    assert area.based_on == "Based on your last 5 check-ins."
    [wish] = analysis.weak_areas(score_table((0, "Sam", "physical", 8, True)), ALL_TYPES)
    assert wish.based_on == "Based on what you ticked in your latest check-ins."


def test_weak_areas_need_several_shared_weeks_for_a_gap() -> None:
    two = score_table(
        *[(w, p, "emotional", s) for w in (0, 1) for p, s in (("Sam", 9), ("Alex", 5))]
    )
    assert reasons(two) == {}
    three = score_table(
        *[(w, p, "emotional", s) for w in (0, 1, 2) for p, s in (("Sam", 9), ("Alex", 5))]
    )
    assert reasons(three) == {
        "emotional": ["Emotional: you two see this one differently: 9.0 and 5.0"]
    }


def test_weak_areas_of_skipped_scores() -> None:
    frame = score_table(
        (0, "Sam", "physical", 3),
        (0, "Alex", "physical", None),  # a skip is not a zero: the mean stays 3
        (0, "Sam", "social", None, True),  # only skips, but a wish: no level to report
        (0, "Alex", "sexual", None),  # only skips and no wish: nothing to say
    )
    areas = {w.dimension: w for w in analysis.weak_areas(frame, ALL_TYPES)}
    assert set(areas) == {"physical", "social"}
    assert areas["physical"].recent_mean == 3
    assert areas["social"].recent_mean is None
    assert areas["social"].reasons == ["Social: Sam would like more of this"]


def test_weak_areas_of_equal_scores_is_nothing() -> None:
    assert analysis.weak_areas(couple("emotional", [7] * 10), ALL_TYPES) == []


def test_weak_areas_with_a_missed_week() -> None:
    # Week 3 missed: the last four check-ins are weeks 1, 2, 4, 5 → (4 + 4 + 5 + 5) / 4 = 4.5.
    frame = couple("intellectual", [9, 4, 4, 5, 5], weeks=[0, 1, 2, 4, 5])
    assert reasons(frame) == {
        "intellectual": ["Intellectual: averaging 4.5 over your last four check-ins"]
    }


def test_weak_areas_ignore_weeks_after_today_and_before_since() -> None:
    frame = couple("social", [4, 4, 4, 9, 9, 9])
    assert reasons(frame) == {}
    today = W[2] + pd.Timedelta(days=3)
    assert [w.dimension for w in analysis.weak_areas(frame, ALL_TYPES, today)] == ["social"]
    assert analysis.weak_areas(frame, ALL_TYPES, today, since=W[3]) == []


def test_weak_areas_of_no_data() -> None:
    assert analysis.weak_areas(EMPTY, ALL_TYPES) == []
    assert analysis.weak_areas(couple("social", [2]), []) == []


@pytest.mark.parametrize(
    "day", [date(2025, 1, 6), date(2025, 1, 9), date(2025, 1, 12), pd.Timestamp("2025-01-12 21:30")]
)
def test_week_of_is_the_monday(day: date) -> None:
    assert analysis.week_of(day) == W[0]


def test_calendar_weeks() -> None:
    assert analysis.calendar_weeks(date(2025, 1, 8), date(2025, 1, 20)) == W[:3]


def test_type_name() -> None:
    assert analysis.type_name("physical") == "Physical"
    assert analysis.type_name("retired") == "retired"


def test_fifty_years_of_history_from_before_1970() -> None:
    """Decades of weekly check-ins (the benchmark size) give the same answers as a month."""
    weeks = pd.date_range("1960-01-04", periods=52 * 50, freq="7D")
    n = len(weeks) * 2 * len(ALL_TYPES)
    frame = pd.DataFrame(
        {
            "week": np.repeat(weeks, 2 * len(ALL_TYPES)),
            "partner_id": np.tile(np.repeat([1, 2], len(ALL_TYPES)), len(weeks)),
            "partner": np.tile(np.repeat(["Sam", "Alex"], len(ALL_TYPES)), len(weeks)),
            "dimension": np.tile(ALL_TYPES, 2 * len(weeks)),
            "score": np.full(n, 7.0),
            "wants_more": np.zeros(n, dtype=bool),
        }
    )
    # Physical drops to 4 in the last four weeks: (7 + 7 + 7 + 7) / 4 → (4 + 4 + 4 + 4) / 4.
    frame.loc[(frame["week"] >= weeks[-4]) & (frame["dimension"] == "physical"), "score"] = 4.0
    frame = frame.sample(frac=1, random_state=1)  # storage order must not matter

    recent = analysis.calendar_weeks(weeks[-6], weeks[-1])
    weekly = analysis.weekly_scores(frame, recent)
    assert len(weekly) == 6 * 6 * 4
    # Rolling over weeks −6…−1: 7, 7, (7+7+7+4)/4 = 6.25, 5.5, 4.75, 4
    assert series(weekly, "physical", TOGETHER_ROLLING) == [7, 7, 6.25, 5.5, 4.75, 4]
    assert len(analysis.weekly_scores(frame)) == len(weeks) * 6 * 4
    [area] = analysis.weak_areas(frame, ALL_TYPES)
    assert area.reasons == [
        "Physical: averaging 4.0 over your last four check-ins",
        "Physical: down from 7.0 to 4.0 over the last four weeks",
    ]
    assert analysis.rhythm(frame, weeks[-1].date()).current_run == len(weeks)


def test_by_period_averages_weeks_and_keeps_empty_months_as_gaps():
    weekly = pd.DataFrame(
        {
            "week": pd.to_datetime(
                ["2026-01-05", "2026-01-12", "2026-02-02", "2026-03-02", "2026-03-09"]
            ),
            "dimension": ["physical"] * 5,
            "series": ["Together"] * 5,
            "kind": ["mean"] * 5,
            "score": [4.0, 6.0, np.nan, 8.0, np.nan],
        }
    )
    monthly = analysis.by_period(weekly, "M")
    assert list(monthly["week"].dt.strftime("%Y-%m-%d")) == [
        "2026-01-01",
        "2026-02-01",
        "2026-03-01",
    ]
    # January (4 + 6) / 2 = 5; February has no value; March only 8.
    assert monthly["score"].tolist()[0] == 5.0
    assert np.isnan(monthly["score"].tolist()[1])
    assert monthly["score"].tolist()[2] == 8.0


def moves_table(*rows: tuple[str, float, float | None]) -> pd.DataFrame:
    """A changes()-shaped table from (type, latest, change since the check-in before)."""
    return pd.DataFrame(
        {
            "dimension": [r[0] for r in rows],
            "latest": [r[1] for r in rows],
            "vs_previous": [np.nan if r[2] is None else r[2] for r in rows],
        }
    )


def test_highlights_lead_with_every_rise_biggest_first() -> None:
    found = analysis.highlights(
        moves_table(
            ("emotional", 7, 0.5), ("physical", 6, -1.5), ("social", 8, 2), ("sexual", 5, -0.5)
        )
    )
    assert found.rises == [
        analysis.Move("social", 8, 2),
        analysis.Move("emotional", 7, 0.5),
    ]
    assert found.strongest is None
    assert found.biggest_drop == analysis.Move("physical", 6, -1.5)


def test_highlights_without_a_rise_name_the_strongest_steady_type() -> None:
    found = analysis.highlights(
        moves_table(("emotional", 7, 0), ("social", 8, 0), ("sexual", 9, -1))
    )
    assert found.rises == []
    assert found.strongest == analysis.Move("social", 8, 0)
    assert found.biggest_drop == analysis.Move("sexual", 9, -1)


def test_highlights_need_two_check_ins() -> None:
    found = analysis.highlights(moves_table(("emotional", 7, None)))
    assert found == analysis.Highlights([], None, None)
