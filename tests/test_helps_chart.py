"""The What helps us dot plot, checked through ``chart.to_dict()``."""

from __future__ import annotations

import math

from closer import charts, helps
from closer.plan_items import ItemKind
from tests.test_charts import data_of, layer_marks
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
    assert layer_marks(spec) == ["rule", "bar", "tick", "circle"]
    zero, band, usual, dots = spec["layer"]
    assert zero["encoding"]["y"] == {"datum": 0}
    # The band: bounce ± 0.25, lowest to highest, only where there is a bounce.
    assert band["transform"][0] == {"filter": "isValid(datum.bounce)"}
    assert band["encoding"]["y"]["field"] == "low" and band["encoding"]["y"]["aggregate"] == "min"
    assert band["encoding"]["y2"] == {"field": "high", "aggregate": "max"}
    assert usual["encoding"]["y"]["aggregate"] == "mean"
    assert dots["encoding"]["y"]["field"] == "change"
    assert dots["encoding"]["xOffset"]["field"] == "try"
    x = dots["encoding"]["x"]
    assert x["sort"] == ["The 20-second hug|seems to help", "Once|too early to tell"]
    assert x["axis"]["labelExpr"] == "split(datum.label, '|')"
    # From at least -4 to +4, and up to 7 here.
    assert dots["encoding"]["y"]["scale"]["domain"] == [-4.0, 7]
    assert {r["when"] for r in data_of(spec)} >= {"week of 17 Mar 2025"}


def test_the_dot_plot_builds_with_no_tries():
    empty = helps.tries_table([], TITLES)
    spec = charts.helps_chart(empty).to_dict()
    assert spec["layer"][3]["encoding"]["y"]["scale"]["domain"] == [-4.0, 4.0]
