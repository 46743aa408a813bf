"""The What helps us dot plot, checked through ``chart.to_dict()``."""

from __future__ import annotations

import math

from closer import charts, helps
from closer.charts import what_helps
from closer.plan_items import ItemKind
from tests.test_charts import data_for, layer_marks
from tests.test_helps import LOWS, plan, score_table, series

TITLES = {(ItemKind.EXERCISE, "hug"): "The 20-second hug", (ItemKind.EXERCISE, "once"): "Once"}


def table():
    # Tries in weeks 10, 13 and 16 (17 Mar, 7 Apr, 28 Apr 2025) lift the next week to 9:
    # +7 each, against a usual bounce of +4. "once" in week 1 has nothing earlier to compare.
    values = LOWS[:]
    values[11] = values[14] = values[17] = 9
    scores = score_table(*series(values))
    plans = [plan(1, "once"), *(plan(w) for w in (10, 13, 16))]
    return helps.tries_table(helps.what_helps(scores, plans), TITLES)


def test_the_table_has_a_row_per_try_with_its_week_named_as_the_app_does():
    rows = table()
    assert rows["when"].tolist() == [
        "week of 17 Mar 2025",
        "week of 7 Apr 2025",
        "week of 28 Apr 2025",
        "week of 13 Jan 2025",
    ]
    assert rows["row"].tolist()[0] == "The 20-second hug|seems to help"
    assert rows["row"].tolist()[-1] == "Once|too early to tell"
    assert rows["try"].tolist() == [1, 2, 3, 1]
    assert rows["area"].unique().tolist() == ["Physical"]
    assert rows["change"].tolist() == [7.0, 7.0, 7.0, 4.0]
    assert rows["bounce"].tolist()[:3] == [4.0, 4.0, 4.0] and math.isnan(rows["bounce"].iloc[3])


def test_the_dot_plot_draws_each_try_against_the_usual_bounce_band():
    spec = charts.helps_chart(table()).to_dict()  # validated against the schema
    assert layer_marks(spec) == ["rule", "rect", "rule", "circle"]
    zero, band, usual, dots = spec["layer"]
    assert zero["encoding"]["y"] == {"datum": 0}
    # One band, for the hug only ("once" has nothing to compare with): its column is 0, the
    # band 0.35 either side, from the bounce 4.0 less a quarter point to 4.0 plus one.
    assert data_for(spec, band) == [
        {
            "item": "The 20-second hug",
            "left": -0.35,
            "right": 0.35,
            "low": 3.75,
            "high": 4.25,
            "usual": 4.0,
        }
    ]
    assert usual["encoding"]["y"]["field"] == "usual"
    # Dots: three tries side by side about column 0 (0.12 apart), one alone in column 1.
    rows = data_for(spec, dots)
    assert [round(r["x"], 2) for r in rows] == [-0.12, 0.0, 0.12, 1.0]
    assert [r["change"] for r in rows] == [7.0, 7.0, 7.0, 4.0]
    assert {r["when"] for r in rows} >= {"week of 17 Mar 2025"}
    x = dots["encoding"]["x"]
    assert x["axis"]["values"] == [0, 1]
    assert x["axis"]["labelExpr"] == (
        "split(['The 20-second hug|seems to help', 'Once|too early to tell'][datum.value] "
        "|| '', '|')"
    )
    # From at least -4 to +4, and here up to 8: half a point above the highest dot (7).
    assert dots["encoding"]["y"]["scale"]["domain"] == [-4.0, 8]


def test_the_dot_plot_builds_with_no_tries():
    empty = helps.tries_table([], TITLES)
    spec = charts.helps_chart(empty).to_dict()
    assert spec["layer"][3]["encoding"]["y"]["scale"]["domain"] == [-4.0, 4.0]


def test_a_title_with_a_quote_stays_one_vega_string():
    assert what_helps._vega_string("Kai's walk") == "'Kai\\'s walk'"
