"""Trends true at two to four weeks: week labels, the axis's start, the average's start, words."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from closer import charts, store
from closer.analysis import TOGETHER_ROLLING
from closer.checkin import Answers
from closer.settings import Settings
from closer.trends import trends_report
from closer.weeks import week_start

TODAY = date(2026, 11, 21)  # a Saturday in the week of 16 Nov 2026
THIS_WEEK = week_start(TODAY)
ALL = Settings().active_dimensions


def save(db, partner_id, weeks_ago, scores):
    store.save_checkin(db, partner_id, THIS_WEEK - timedelta(weeks=weeks_ago), Answers(scores))


def rows_of(spec: dict) -> list[dict]:
    return next(iter(spec["datasets"].values()))


def report_of(db_path, couple, history: dict[int, tuple[dict, dict]], span=8, viewer=0):
    """history maps weeks ago to (first partner's scores, second partner's scores)."""
    with store.open_db(db_path) as db:
        for ago, (first, second) in history.items():
            if first is not None:
                save(db, couple[0].id, ago, first)
            if second is not None:
                save(db, couple[1].id, ago, second)
        return trends_report(db, couple[viewer].id, span, TODAY, ALL)


def test_two_weeks_fill_the_chart_from_the_first_check_in(db_path, couple):
    report = report_of(
        db_path,
        couple,
        {1: ({"physical": 6}, {"physical": 7}), 0: ({"physical": 8}, {"physical": 7})},
    )
    spec = report.chart("trend-physical").spec
    x = spec["layer"][0]["encoding"]["x"]
    # 9 Nov (the first check-in) to 16 Nov, not eight weeks back from 16 Nov.
    assert x["scale"]["domain"] == [
        {"year": 2026, "month": 11, "date": 9},
        {"year": 2026, "month": 11, "date": 16},
    ]


def test_ticks_fall_on_the_weeks_and_the_first_says_week_of(db_path, couple):
    report = report_of(
        db_path, couple, {ago: ({"physical": 6}, {"physical": 7}) for ago in range(8)}
    )
    axis = report.chart("trend-physical").spec["layer"][0]["encoding"]["x"]["axis"]
    ticks = [date(v["year"], v["month"], v["date"]) for v in axis["values"]]
    # Eight weeks from 28 Sep: every third week, so at most four labels.
    assert ticks == [date(2026, 9, 28), date(2026, 10, 19), date(2026, 11, 9)]
    assert all(t.weekday() == 0 for t in ticks)  # Mondays, as the weeks are
    assert axis["labelExpr"] == (
        "(datum.index == 0 ? 'week of ' : '') + timeFormat(datum.value, '%-d %b')"
    )


def test_every_point_carries_its_week_named_as_the_app_names_it(db_path, couple):
    report = report_of(
        db_path,
        couple,
        {1: ({"physical": 6}, {"physical": 7}), 0: ({"physical": 8}, {"physical": 7})},
    )
    rows = rows_of(report.chart("trend-physical").spec)
    assert {r["when"] for r in rows} == {"week of 9 Nov 2026", "week of 16 Nov 2026"}
    assert report.chart("trend-physical").table["When"].tolist() == [
        "week of 9 Nov 2026",
        "week of 16 Nov 2026",
    ]
    tooltip = report.chart("trend-physical").spec["layer"][1]["encoding"]["tooltip"][0]
    assert tooltip == {"field": "when", "title": "When", "type": "nominal"}


def test_the_four_week_average_starts_at_the_fourth_week(db_path, couple):
    # Five weeks; the couple mean is 6.5 every week. The average appears from the fourth
    # week (26 Oct + 3 weeks = 9 Nov), never at the first three.
    history = {ago: ({"physical": 6}, {"physical": 7}) for ago in range(5)}
    report = report_of(db_path, couple, history)
    rows = rows_of(report.chart("trend-physical").spec)
    averaged = sorted(
        r["week"][:10] for r in rows if r["series"] == TOGETHER_ROLLING and r["score"] is not None
    )
    assert averaged == ["2026-11-09", "2026-11-16"]


def test_an_average_over_a_longer_history_is_drawn_from_the_first_week_shown(db_path, couple):
    history = {ago: ({"physical": 6}, {"physical": 7}) for ago in range(12)}
    report = report_of(db_path, couple, history)
    rows = rows_of(report.chart("trend-physical").spec)
    first = min(r["week"][:10] for r in rows if r["series"] == TOGETHER_ROLLING and r["score"])
    assert first == "2026-09-28"


def test_the_legend_shows_the_average_as_a_dashed_stroke(db_path, couple):
    history = {ago: ({"physical": 6}, {"physical": 7}) for ago in range(5)}
    lines, points = report_of(db_path, couple, history).chart("trend-physical").spec["layer"]
    assert lines["encoding"]["color"]["legend"]["symbolType"] == "stroke"
    assert lines["encoding"]["strokeDash"]["scale"]["range"][-1] == list(charts.ROLLING_DASH)
    # Points differ by shape on a copy of the series, so the shapes stay out of the legend.
    assert points["encoding"]["color"]["legend"] is None
    assert points["encoding"]["shape"]["field"] == "who"


def test_before_the_fourth_week_the_legend_has_no_average(db_path, couple):
    history = {1: ({"physical": 6}, {"physical": 7}), 0: ({"physical": 8}, {"physical": 7})}
    lines, _ = report_of(db_path, couple, history).chart("trend-physical").spec["layer"]
    names = [couple[0].name, couple[1].name]
    assert lines["encoding"]["color"]["scale"]["domain"] == names
    # Solid: no dash at all (an empty dash list), for both partners.
    assert lines["encoding"]["strokeDash"]["scale"]["range"] == [[], []]


def test_words_describe_only_the_weeks_each_partner_answered(db_path, couple):
    # Sam (second) answered spiritual 5 in week 3 and 5 in week 0, skipping it in between;
    # Alex rose from 4 to 7 over all four weeks.
    history = {
        3: ({"spiritual": 4}, {"spiritual": 5}),
        2: ({"spiritual": 5}, {"spiritual": None}),
        1: ({"spiritual": 6}, {"spiritual": None}),
        0: ({"spiritual": 7}, {"spiritual": 5}),
    }
    report = report_of(db_path, couple, history)
    first, second = couple[0].name, couple[1].name
    assert report.chart("trend-spiritual").summary == (
        f"Spiritual: {first} up from 4.0 to 7.0; {second} steady at 5.0 (2 of 4 weeks answered)."
    )


def test_the_wheel_says_not_answered_for_a_type_left_unanswered(db_path, couple):
    report = report_of(
        db_path, couple, {0: ({"physical": 6, "social": None}, {"physical": 7, "social": 5})}
    )
    assert "Social not answered" in report.chart("wheel").summary
    assert "skipped" not in report.chart("wheel").summary


def test_a_year_says_how_many_weeks_each_smoothed_point_averages(db_path, couple):
    history = {ago: ({"physical": 6}, {"physical": 7}) for ago in range(40)}
    report = report_of(db_path, couple, history, span=52)
    assert report.smoothed and report.smooth_window == 5
    assert pd.Timestamp(report.latest).date() == THIS_WEEK


def test_a_line_that_ends_where_it_began_is_not_called_steady(db_path, couple):
    history = {
        3: ({"sexual": 5}, {"sexual": 6}),
        2: ({"sexual": 6}, {"sexual": 6}),
        1: ({"sexual": 8}, {"sexual": 6}),
        0: ({"sexual": 5}, {"sexual": 6}),
    }
    report = report_of(db_path, couple, history)
    first, second = couple[0].name, couple[1].name
    assert report.chart("trend-sexual").summary == (
        f"Sexual: {first} back at 5.0 (between 5.0 and 8.0); {second} steady at 6.0."
    )


def test_the_weekly_heatmap_has_its_ticks_on_the_weeks(db_path, couple):
    history = {ago: ({"physical": 6}, {"physical": 7}) for ago in range(4)}
    spec = report_of(db_path, couple, history).chart("heatmap").spec
    axis = spec["encoding"]["x"]["axis"]
    ticks = [date(v["year"], v["month"], v["date"]) for v in axis["values"]]
    assert ticks == [date(2026, 10, 26), date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]
    assert {r["period"] for r in rows_of(spec)} >= {"Week of 16 Nov 2026"}
