"""The Trends report on real databases: empty, one week, one partner, many weeks, privacy."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from closer import store
from closer.checkin import Answers
from closer.settings import Settings
from closer.trends import trends_report
from closer.weeks import week_start

TODAY = date(2026, 11, 21)
THIS_WEEK = week_start(TODAY)
ALL = Settings().active_dimensions


def save(db, partner_id, weeks_ago, physical):
    week = THIS_WEEK - timedelta(weeks=weeks_ago)
    store.save_checkin(db, partner_id, week, Answers({"physical": physical, "social": 7}))


def test_no_data_is_an_empty_report(db_path, couple):
    with store.open_db(db_path) as db:
        report = trends_report(db, couple[0].id, 8, TODAY, ALL)
    assert report.empty and report.charts == [] and report.partners == 2


def test_one_week_has_a_wheel_but_no_heatmap_or_gap(db_path):
    with store.open_db(db_path) as db:
        (alex,) = store.setup_couple(db, ["Alex"], Settings())
        save(db, alex.id, 0, 6)
        report = trends_report(db, alex.id, 8, TODAY, ALL)
    assert report.checkins_shown == 1
    # One week is no line and no heatmap: a single week stretched over the width says nothing.
    assert [c.name for c in report.charts] == ["wheel"]
    assert report.partners == 1
    wheel = report.chart("wheel")
    assert wheel.spec["title"]["text"] == f"Your week, {THIS_WEEK:%-d %b}"
    assert wheel.summary == f"Your week, {THIS_WEEK:%-d %b}: Alex: Physical 6, Social 7."
    assert wheel.table.to_dict("list") == {"Type": ["Physical", "Social"], "Alex": ["6", "7"]}


def test_a_decline_is_a_weak_area_with_its_reason(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        # Physical, both partners, oldest first: 8 8 8 8 then 5 5 5 5 → down from 8.0 to 5.0.
        for weeks_ago, physical in enumerate([5, 5, 5, 5, 8, 8, 8, 8]):
            save(db, alex.id, weeks_ago, physical)
            save(db, sam.id, weeks_ago, physical)
        report = trends_report(db, alex.id, 8, TODAY, ALL)
    assert report.weak[0].dimension == "physical"
    assert any("down from 8.0 to 5.0" in r for r in report.weak[0].reasons)
    assert {c.name for c in report.charts} == {
        "trend-physical",
        "trend-social",
        "wheel",
        "gap",
        "heatmap",
    }
    assert report.checkins_shown == 8
    assert report.shared_weeks == 4
    trend = report.chart("trend-physical")
    assert trend.summary == "Physical: Alex down from 8.0 to 5.0; Sam down from 8.0 to 5.0."
    assert list(trend.table.columns) == ["When", "Alex", "Sam", "Together, 4-week average"]
    assert len(trend.table) == 8
    # Both saw everything alike, so the widest gap is 0 on the first type in survey order.
    assert report.chart("gap").summary == (
        "Over your last four shared weeks, you saw Physical most differently: Alex 5.0, Sam 5.0."
    )


def test_a_partners_unanswered_week_stays_out_of_every_chart(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        for weeks_ago in (3, 2, 1):  # this week is their fourth: it has a 4-week average
            save(db, alex.id, weeks_ago, 6)
            save(db, sam.id, weeks_ago, 4)
        save(db, sam.id, 0, 2)  # Sam answered this week, Alex not yet
        seen_by_alex = trends_report(db, alex.id, 8, TODAY, ALL)
        seen_by_sam = trends_report(db, sam.id, 8, TODAY, ALL)

    def this_weeks_rows(report):
        spec = report.chart("trend-physical").spec
        rows = next(iter(spec["datasets"].values()))
        return {
            (r["series"], r["score"])
            for r in rows
            if r["type"] == "Physical" and r["week"].startswith(THIS_WEEK.isoformat())
        }

    # Alex sees nothing of Sam's week: both partner rows empty, and the 4-week average
    # carries the earlier couple means (6 + 4) / 2 = 5.0 with nothing of Sam's 2 in it.
    assert this_weeks_rows(seen_by_alex) == {
        ("Alex", None),
        ("Sam", None),
        ("Together, 4-week average", 5.0),
    }
    assert "2.0" not in json.dumps(seen_by_alex.chart("trend-physical").spec)
    assert seen_by_alex.latest.date() == THIS_WEEK - timedelta(weeks=1)
    assert ("Sam", 2.0) in this_weeks_rows(seen_by_sam)
    assert seen_by_sam.latest.date() == THIS_WEEK


def test_fifty_years_all_range_stays_small_enough_to_draw(tmp_path):
    from closer.demo import write_demo

    path = tmp_path / "long.db"
    write_demo(path, weeks=52 * 12, today=TODAY)
    with store.open_db(path) as db:
        robin = store.list_partners(db)[0]
        report = trends_report(db, robin.id, None, TODAY, ALL)
    assert report.period == "M" and report.smoothed  # 12 years: monthly points, smoothed
    rows = {
        c.name: len(c.spec["datasets"][next(iter(c.spec["datasets"]))])
        for c in report.charts
        if "datasets" in c.spec
    }
    assert all(count < 5000 for count in rows.values()), rows


def test_csi_chart_shows_shared_answers_only_once_revealed(db_path, couple):
    from closer.checkin import CsiAnswers

    alex, sam = couple
    with store.open_db(db_path) as db:
        week = THIS_WEEK - timedelta(weeks=1)
        store.save_checkin(
            db, alex.id, week, Answers({"physical": 6}, csi=CsiAnswers((4, 4, 4, 4), False))
        )
        store.save_checkin(
            db, sam.id, week, Answers({"physical": 5}, csi=CsiAnswers((2, 2, 2, 2), True))
        )
        store.save_checkin(
            db, sam.id, THIS_WEEK, Answers({"physical": 5}, csi=CsiAnswers((1, 1, 1, 1), True))
        )
        for_alex = trends_report(db, alex.id, 8, TODAY, ALL)
        for_sam = trends_report(db, sam.id, 8, TODAY, ALL)

    def totals(report):
        rows = [r for data in report.chart("csi").spec["datasets"].values() for r in data]
        return sorted({(r.get("partner"), r.get("total")) for r in rows if "total" in r})

    # Alex: own private 16, Sam's shared 8 from last week; not Sam's 4 from this week.
    assert totals(for_alex) == [("Alex", 16), ("Sam", 8)]
    # Sam: own answers only (Alex's was private).
    assert totals(for_sam) == [("Sam", 4), ("Sam", 8)]


@pytest.mark.parametrize(("weeks", "period"), [(104, None), (105, "M")])
def test_all_draws_weekly_points_up_to_two_years_and_monthly_beyond(db_path, couple, weeks, period):
    alex, sam = couple
    with store.open_db(db_path) as db:
        for weeks_ago in (weeks - 1, 0):  # the first and the latest week: `weeks` in all
            save(db, alex.id, weeks_ago, 6)
            save(db, sam.id, weeks_ago, 7)
        report = trends_report(db, alex.id, None, TODAY, ALL)
    assert report.smoothed and report.period == period


def test_a_year_draws_smoothed_lines_and_a_heatmap_centred_on_the_couple(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        for weeks_ago in range(30):
            save(db, alex.id, weeks_ago, 4 + weeks_ago % 2)
            save(db, sam.id, weeks_ago, 8)
        report = trends_report(db, alex.id, 52, TODAY, ALL)
    assert report.smoothed and report.period is None
    layers = [layer["mark"]["type"] for layer in report.chart("trend-physical").spec["layer"]]
    assert layers == ["point", "line"]
    # Physical: 4/5 and 8 → 6.25 on average; social 7 throughout; the mean over all cells.
    heat = report.chart("heatmap")
    assert heat.spec["encoding"]["color"]["scale"]["domainMid"] == 6.62
    assert heat.summary.startswith("Your average together is 6.6; highest Social")


def test_a_long_range_charts_the_types_in_survey_order_and_sums_up_the_lines(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        for weeks_ago in range(30):
            for partner in couple:
                store.save_checkin(
                    db,
                    partner.id,
                    THIS_WEEK - timedelta(weeks=weeks_ago),
                    Answers({"social": 6, "intellectual": 5, "physical": 7}),
                )
        report = trends_report(db, alex.id, 52, TODAY, ALL)
    # Survey order (not alphabetical, which would put intellectual first).
    assert [c.name for c in report.trend_charts()] == [
        "trend-physical",
        "trend-intellectual",
        "trend-social",
    ]
    assert report.chart("trend-social").summary == "Social: Alex steady at 6.0; Sam steady at 6.0."


def test_every_chart_in_a_report_is_a_valid_vega_lite_spec(db_path, couple):
    # The report skips schema validation for speed: check here what it would have caught.
    from altair.vegalite.v6.schema.core import Root

    alex, sam = couple
    with store.open_db(db_path) as db:
        for weeks_ago, physical in enumerate([7, 6, 8, 5, 7, 6, 8, 7]):
            save(db, alex.id, weeks_ago, physical)
            save(db, sam.id, weeks_ago, physical)
        report = trends_report(db, alex.id, 8, TODAY, ALL)
    assert {c.name for c in report.charts} == {
        "trend-physical",
        "trend-social",
        "wheel",
        "gap",
        "heatmap",
    }
    for chart in report.charts:
        Root.validate(chart.spec)
    Root.validate(report.trends_spec())
    # And the check does catch a broken spec.
    with pytest.raises(Exception, match="mark"):
        Root.validate({**report.chart("heatmap").spec, "mark": "no-such-mark"})
