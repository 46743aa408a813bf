"""Home and Trends through AppTest at no data, one week and many weeks, and the sample data."""

from __future__ import annotations

import json
from datetime import timedelta

from closer import store
from closer.checkin import Answers
from closer.markdown import escape_markdown
from tests.apptest import current_week, open_app, open_trends_tab

TRENDS = "views/pages/trend_charts.py"


def marks_in(spec) -> set[str]:
    """Every mark type a Vega-Lite spec draws, however deeply layered or concatenated."""
    if isinstance(spec, list):
        return set().union(*(marks_in(part) for part in spec)) if spec else set()
    if not isinstance(spec, dict):
        return set()
    found = set()
    for key, value in spec.items():
        if key == "mark":
            found.add(value if isinstance(value, str) else value["type"])
        else:
            found |= marks_in(value)
    return found


def save_weeks(db_path, partner_ids, physical_oldest_first):
    with store.open_db(db_path) as db:
        count = len(physical_oldest_first)
        for index, physical in enumerate(physical_oldest_first):
            week = current_week() - timedelta(weeks=count - 1 - index)
            for partner_id in partner_ids:
                store.save_checkin(db, partner_id, week, Answers({"physical": physical}))


def test_home_with_no_checkins_explains_each_part(couple):
    at = open_app(couple[0].id)
    assert at.title[0].value == "Hello, Alex"
    assert at.info[0].value == "You haven't checked in this week yet."
    captions = [c.value for c in at.caption]
    assert "Your rhythm shows here after your first check-in." in captions
    assert "After two check-ins you'll see here what went up, and what is going strong." in captions
    assert not at.metric


def test_home_after_eight_weeks_shows_rhythm_moves_and_the_weak_area(db_path, couple):
    alex, sam = couple
    save_weeks(db_path, [alex.id, sam.id], [8, 8, 8, 8, 5, 5, 5, 4])
    at = open_app(alex.id)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"In a row": "8 weeks", "Weeks checked in": "8 of the last 8"}
    # Physical fell from 5 to 4: nothing went up, and the fall is explained as worth attention.
    assert [h.value for h in at.header] == [
        "What went well",
        "Worth some attention",
        "Your rhythm",
        "Next check-in",
    ]
    captions = [c.value for c in at.caption]
    assert "Nothing went up since the check-in before. Weeks like that happen: see below." in (
        captions
    )
    assert any(escape_markdown("Physical: down from 8.0 to 4.8") in m.value for m in at.markdown)
    assert "Based on your last 8 check-ins." in captions


def test_home_leads_with_what_went_well(db_path, couple):
    alex, sam = couple
    save_weeks(db_path, [alex.id, sam.id], [5, 7])
    at = open_app(alex.id)
    assert at.header[0].value == "What went well"
    assert any(
        "**Physical** went up: 7.0, +2.0 since the check-in before." in m.value for m in at.markdown
    )
    # Two check-ins at 5 and 7 are not a pattern worth flagging.
    assert "Nothing in the weekly scores stands out as needing attention right now. Enjoy it." in [
        c.value for c in at.caption
    ]
    assert at.subheader[0].value == "Your week is ready"


def test_trends_with_no_data_explains_instead_of_empty_charts(couple):
    at = open_app(couple[0].id, TRENDS)
    assert "Your trends appear here after your first check-in" in at.info[0].value
    assert not at.get("vega_lite_chart")


def test_trends_after_one_week_opens_on_the_wheel_and_says_why_no_lines(db_path, couple):
    alex, sam = couple
    save_weeks(db_path, [alex.id, sam.id], [6])
    at = open_app(alex.id, TRENDS)
    # No lines from one week: the tab that shows the week opens first, and it alone is drawn.
    assert [t.label for t in at.tabs] == [
        "Over time",
        "Wheel",
        "Side by side",
        "Whole picture",
        "What helps us",
    ]
    (wheel,) = at.get("vega_lite_chart")
    assert marks_in(json.loads(wheel.proto.spec)) == {"arc", "text"}
    summary = (
        f"Your latest shared week, {current_week():%-d %b}: Alex: Physical 6; Sam: Physical 6."
    )
    assert escape_markdown(summary) in [c.value for c in at.caption]
    at.toggle(key="table-wheel").set_value(True).run()
    assert [list(d.value.columns) for d in at.dataframe] == [["Type", "Alex", "Sam"]]

    open_trends_tab(at, "Over time")
    assert not at.get("vega_lite_chart")
    assert any(c.value.startswith("One week so far") for c in at.caption)

    open_trends_tab(at, "Side by side")
    assert len(at.get("vega_lite_chart")) == 1
    captions = [c.value for c in at.caption]
    assert "Each of you over your one shared week. A wide gap is worth a gentle talk." in captions
    # Every chart says what it shows in words, and has its table behind "Show as table".
    assert not at.dataframe
    at.toggle(key="table-gap").set_value(True).run()
    assert [list(d.value.columns) for d in at.dataframe] == [
        ["Type", "Alex", "Sam", "Apart by", "Shared weeks"]
    ]

    open_trends_tab(at, "Whole picture")
    assert not at.get("vega_lite_chart")
    assert "This appears after 4 weeks with a check-in in this range: you have 1 so far." in [
        c.value for c in at.caption
    ]


def test_trends_after_many_weeks_draws_one_chart_per_tab_and_the_reason(db_path, couple):
    alex, sam = couple
    save_weeks(db_path, [alex.id, sam.id], [8, 8, 8, 8, 5, 5, 5, 4])
    at = open_app(alex.id, TRENDS)
    assert any(escape_markdown("Physical: down from 8.0 to 4.8") in m.value for m in at.markdown)
    for range_ in ("8 weeks", "All"):
        at.segmented_control(key="trends-range").set_value(range_).run()
        drawn = {}
        for tab in ("Over time", "Wheel", "Side by side", "Whole picture"):
            open_trends_tab(at, tab)
            (chart,) = at.get("vega_lite_chart")
            drawn[tab] = json.loads(chart.proto.spec)
        # Each tab draws its own chart: lines in one panel per type, the wheel's arcs, the
        # gap's rules between two points, the heatmap's cells.
        assert len(drawn["Over time"]["vconcat"]) == 1  # one panel per type scored: Physical
        assert marks_in(drawn["Over time"]) == {"line", "point"}
        assert marks_in(drawn["Wheel"]) == {"arc", "text"}
        assert marks_in(drawn["Side by side"]) == {"point", "rule"}
        assert marks_in(drawn["Whole picture"]) == {"rect"}


def test_trends_for_one_partner_explains_the_gap_chart(db_path):
    from closer.settings import Settings

    with store.open_db(db_path) as db:
        (alex,) = store.setup_couple(db, ["Alex"], Settings())
    save_weeks(db_path, [alex.id], [6, 7, 5])
    at = open_app(alex.id, TRENDS)
    open_trends_tab(at, "Side by side")
    assert not at.get("vega_lite_chart")
    assert "Once your partner checks in too, this shows where you see things alike or not." in [
        c.value for c in at.caption
    ]


def test_a_new_save_shows_up_in_trends_straight_away(db_path, couple):
    alex, sam = couple
    save_weeks(db_path, [alex.id, sam.id], [6, 6])
    at = open_app(alex.id, TRENDS)
    assert not any("averaging" in m.value for m in at.markdown)
    save_weeks(db_path, [alex.id, sam.id], [2, 2, 2])  # rewrites the last weeks lower
    at.run()
    assert any(escape_markdown("Physical: averaging 2.0") in m.value for m in at.markdown)


def test_sample_data_is_separate_labelled_and_one_click_away(db_path):
    at = open_app()
    next(b for b in at.button if b.label == "Explore with sample data").click().run()
    assert not at.exception
    assert at.session_state["demo"] is True
    assert any("Sample data" in i.value for i in at.info)
    with store.open_db(db_path) as db:
        assert store.list_partners(db) == []  # the couple's own file is untouched
    at.session_state["partner_id"] = 1
    at.switch_page(TRENDS).run()
    # Each tab's chart: the lines (a panel per type, six), the wheel, the gap, the heatmap.
    drawn = []
    for tab in ("Over time", "Wheel", "Side by side", "Whole picture"):
        open_trends_tab(at, tab)
        drawn += [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert len(drawn) == 4
    # Drawn on a canvas: much faster in the browser than an SVG node per mark.
    assert [d["usermeta"]["embedOptions"]["renderer"] for d in drawn] == ["canvas"] * 4
    assert [panel["title"] for panel in drawn[0]["vconcat"]] == [
        "Emotional",
        "Physical",
        "Intellectual",
        "Spiritual",
        "Social",
        "Sexual",
    ]
    assert any("Sample data" in i.value for i in at.info)
    next(b for b in at.button if b.label == "Back to my own data").click().run()
    assert at.session_state["demo"] is False
    assert at.title[0].value == "Welcome to Closer"


def test_sample_data_is_reachable_from_settings_too(db_path, couple):
    at = open_app(couple[0].id, "views/pages/our_settings.py")
    next(b for b in at.button if b.label == "Explore with sample data").click().run()
    assert not at.exception
    assert at.session_state["demo"] is True
    with store.open_db(db_path) as db:
        assert [p.name for p in store.list_partners(db)] == ["Alex", "Sam"]  # untouched


def test_trends_has_a_monthly_tab_only_when_there_is_a_csi_4_to_show(db_path, couple):
    from closer.checkin import CsiAnswers

    alex, sam = couple
    save_weeks(db_path, [alex.id, sam.id], [6, 7])
    at = open_app(alex.id, TRENDS)
    assert "Monthly check" not in [t.label for t in at.tabs]
    with store.open_db(db_path) as db:
        store.save_checkin(
            db,
            alex.id,
            current_week(),
            Answers({"physical": 7}, csi=CsiAnswers((4, 4, 4, 4), True)),
        )
    at.run()
    assert [t.label for t in at.tabs][-1] == "Monthly check"
    open_trends_tab(at, "Monthly check")
    assert len(at.get("vega_lite_chart")) == 1
    captions = [c.value for c in at.caption]
    assert any(c.startswith("The four CSI-4 questions, 0 to 21") for c in captions)
    # The chart's summary: the four answers summed, 4 + 4 + 4 + 4.
    summary = f"Latest totals (0 to 21): Alex 16 (week of {current_week():%-d %b %Y})."
    assert escape_markdown(summary) in captions


def test_home_shows_the_care_note_for_low_recent_weeks_and_not_for_old_ones(db_path, couple):
    from closer.csi4 import SCORES_NOTE

    alex, sam = couple
    # Three low weeks twenty weeks ago (Home loads a year), then three fine recent ones: the
    # care note looks at the last eight weeks only, so there is none.
    with store.open_db(db_path) as db:
        for weeks_ago, physical in ((22, 2), (21, 2), (20, 2), (2, 7), (1, 7), (0, 7)):
            for partner in (alex, sam):
                week = current_week() - timedelta(weeks=weeks_ago)
                store.save_checkin(db, partner.id, week, Answers({"physical": physical}))
    assert SCORES_NOTE not in [i.value for i in open_app(alex.id).info]
    # Three low weeks now: a couple mean of 2.0 (at most 3.0 asks for care), for both.
    save_weeks(db_path, [alex.id, sam.id], [2, 2, 2])
    for partner in (alex, sam):
        assert SCORES_NOTE in [i.value for i in open_app(partner.id).info]


def test_a_tab_that_is_gone_opens_the_first_one_instead(db_path, couple):
    # The monthly tab was open, and the range now shown has no CSI-4 (so no such tab).
    alex, sam = couple
    save_weeks(db_path, [alex.id, sam.id], [6, 7])
    at = open_trends_tab(open_app(alex.id, TRENDS), "Monthly check")
    assert [t.label for t in at.tabs] == [
        "Over time",
        "Wheel",
        "Side by side",
        "Whole picture",
        "What helps us",
    ]
    (chart,) = at.get("vega_lite_chart")
    assert marks_in(json.loads(chart.proto.spec)) == {"line", "point"}
