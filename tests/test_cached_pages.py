"""Pages that keep reads and charts between reruns still show a check-in right after it is saved."""

from __future__ import annotations

from datetime import timedelta

import pyarrow as pa

from closer import store
from closer.plan_items import ItemKind
from tests.apptest import current_week, open_app, open_trends_tab
from tests.factories import answers

SUGGESTIONS = "views/pages/suggestions.py"
TRENDS = "views/pages/trend_charts.py"


def chart_rows(at) -> list[dict]:
    """Every row the page's one chart was sent, from the Arrow datasets the browser gets."""
    (chart,) = at.get("vega_lite_chart")
    rows = []
    for dataset in chart.proto.datasets:
        rows += pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()
    return rows


def test_what_helps_shows_a_new_check_in_at_once(db_path, couple):
    # Both scored Physical 3 the week Alex planned the hug; the week after, Sam scored 9.
    alex, sam = couple
    tried, after = current_week() - timedelta(weeks=2), current_week() - timedelta(weeks=1)
    with store.open_db(db_path) as db:
        for partner in couple:
            store.save_checkin(db, partner.id, tried, answers({"physical": 3}))
        store.add_plan_item(db, tried, ItemKind.EXERCISE, "twenty-second-hug", "physical", alex.id)
        store.save_checkin(db, sam.id, after, answers({"physical": 9}))
    at = open_app(alex.id, SUGGESTIONS)
    assert not at.get("vega_lite_chart")  # Sam's week after is not revealed to Alex yet
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, after, answers({"physical": 7}))
    at.run()
    # The change is the mean over both partners: ((7 - 3) + (9 - 3)) / 2 = 5.
    assert [row["change"] for row in chart_rows(at) if "change" in row] == [5.0]
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, after, answers({"physical": 5}))
    at.run()
    # Alex's edit: ((5 - 3) + (9 - 3)) / 2 = 4, not the 5 drawn a moment ago.
    assert [row["change"] for row in chart_rows(at) if "change" in row] == [4.0]


def test_trends_lines_show_a_new_check_in_at_once(db_path, couple):
    alex, sam = couple
    last_week, this_week = current_week() - timedelta(weeks=1), current_week()
    with store.open_db(db_path) as db:
        for partner in couple:
            store.save_checkin(db, partner.id, last_week, answers({"physical": 8}))
            store.save_checkin(db, partner.id, this_week, answers({"physical": 6}))
    at = open_trends_tab(open_app(alex.id, TRENDS), "Over time")

    def alex_scores() -> list[float]:
        return [row["score"] for row in chart_rows(at) if row["series"] == "Alex"]

    assert alex_scores() == [8.0, 6.0]
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, this_week, answers({"physical": 2}))
    at.run()
    assert alex_scores() == [8.0, 2.0]


def test_home_counts_a_new_check_in_at_once(db_path, couple):
    # Home reads a year of scores once per data version: a save must still show at once.
    alex, sam = couple
    last_week, this_week = current_week() - timedelta(weeks=1), current_week()
    with store.open_db(db_path) as db:
        for partner in couple:
            store.save_checkin(db, partner.id, last_week, answers({"physical": 8}))
    at = open_app(alex.id)
    assert {m.label: m.value for m in at.metric}["Weeks checked in"] == "1 of the last 8"
    with store.open_db(db_path) as db:
        for partner in couple:
            store.save_checkin(db, partner.id, this_week, answers({"physical": 6}))
    at.run()
    assert {m.label: m.value for m in at.metric}["Weeks checked in"] == "2 of the last 8"
