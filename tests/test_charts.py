"""Chart specs for the trends page, checked through ``chart.to_dict()``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import pytest

from closer import analysis, charts
from closer.analysis import TOGETHER_ROLLING
from tests.factories import W, score_table

SURVEY_ORDER = ["Emotional", "Physical", "Intellectual", "Spiritual", "Social", "Sexual"]
BLUE, VERMILLION = charts.PARTNER_COLOURS[:2]


# Sam and Alex over five weeks, Sam missing week 2 (so Sam's line must break there);
# the rows are listed sexual-first and Alex-first on purpose.
FIVE_WEEKS = score_table(
    *[(w, "Alex", "sexual", 6) for w in range(5)],
    *[(w, "Alex", "physical", 5 + w % 2) for w in range(5)],
    *[(w, "Sam", "physical", 7) for w in (0, 1, 3, 4)],
    *[(w, "Sam", "emotional", 8) for w in range(5)],
)
WEEKLY = analysis.weekly_scores(FIVE_WEEKS)
PARTNERS = ["Sam", "Alex"]


def data_of(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of the chart's top-level dataset."""
    return spec["datasets"][spec["data"]["name"]]


def data_for(spec: dict[str, Any], layer: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of one layer's own dataset."""
    return spec["datasets"][layer["data"]["name"]]


def layer_marks(spec: dict[str, Any]) -> list[str]:
    """The mark type of each layer."""
    return [
        layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        for layer in spec["layer"]
    ]


def test_theme_is_registered_but_not_switched_on_by_import() -> None:
    # A fresh interpreter: a page run earlier in this session may have enabled the theme.
    code = (
        "import altair as alt, closer.charts as c\n"
        "print(c.THEME in alt.theme.names(), alt.theme.active)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.stdout.split() == ["True", "default"]


def test_charts_are_built_without_checking_each_part_but_checked_whole_by_to_dict() -> None:
    # Altair's default checks every part against the schema as it is made: without that, the
    # Trends report after a save takes 348 ms instead of 528 (eight weeks, ten years).
    from altair.utils import schemapi

    was = schemapi.DEBUG_MODE
    try:
        schemapi.enable_debug_mode()
        charts.enable_theme()
        bad = alt.Chart().mark_point(size="large")  # not a number: built, not yet checked
        with pytest.raises(schemapi.SchemaValidationError):
            bad.to_dict()  # the tests' to_dict() still checks the whole spec
    finally:
        (schemapi.enable_debug_mode if was else schemapi.disable_debug_mode)()


def test_enable_theme() -> None:
    before = alt.theme.active
    try:
        charts.enable_theme()
        assert alt.theme.active == charts.THEME
        config = alt.Chart().mark_point().to_dict()["config"]
        assert config["background"] == charts.BACKGROUND
        assert config["axisX"] == {"grid": False}
    finally:
        alt.theme.enable(before)


def test_trend_chart_is_one_type_as_wide_as_its_column() -> None:
    spec = charts.trend_chart(WEEKLY, PARTNERS, "physical").to_dict()
    assert spec["width"] == "container"
    assert spec["title"] == "Physical"
    assert {row["type"] for row in data_of(spec)} == {"Physical"}


def test_trend_chart_marks_and_typed_encodings() -> None:
    spec = charts.trend_chart(WEEKLY, PARTNERS, "physical").to_dict()
    assert layer_marks(spec) == ["line", "point"]
    line = spec["layer"][0]["encoding"]
    assert (line["x"]["field"], line["x"]["type"]) == ("week", "temporal")
    assert (line["y"]["field"], line["y"]["type"]) == ("score", "quantitative")
    assert line["y"]["scale"]["domain"] == [1, 10]
    assert (line["color"]["field"], line["color"]["type"]) == ("series", "nominal")
    tooltip = spec["layer"][1]["encoding"]["tooltip"]
    assert [(t["field"], t["type"]) for t in tooltip] == [
        ("when", "nominal"),
        ("series", "nominal"),
        ("type", "nominal"),
        ("score", "quantitative"),
    ]
    assert tooltip[0]["title"] == "When"


def test_trend_chart_colours_follow_partner_order_not_data_order() -> None:
    shuffled = WEEKLY.sample(frac=1, random_state=3)
    for weekly in (WEEKLY, shuffled, WEEKLY[WEEKLY["series"] != "Sam"]):
        spec = charts.trend_chart(weekly, PARTNERS, "physical").to_dict()
        assert spec["layer"][0]["encoding"]["color"]["scale"] == {
            "domain": ["Sam", "Alex", TOGETHER_ROLLING],
            "range": [BLUE, VERMILLION, charts.TOGETHER_COLOUR],
        }


def test_trend_chart_tells_series_apart_without_colour() -> None:
    spec = charts.trend_chart(WEEKLY, PARTNERS, "physical").to_dict()
    line, points = spec["layer"][0], spec["layer"][1]
    dash = line["encoding"]["strokeDash"]["scale"]
    assert dash["domain"] == ["Sam", "Alex", TOGETHER_ROLLING]
    assert dash["range"][-1] == list(charts.ROLLING_DASH)
    assert dash["range"][0] == dash["range"][1] == list(charts.PARTNER_DASH)
    widths = line["encoding"]["strokeWidth"]["scale"]["range"]
    assert widths[-1] > widths[0]
    assert points["encoding"]["shape"]["scale"]["range"] == ["circle", "square"]


def test_trend_chart_breaks_lines_at_missed_weeks() -> None:
    spec = charts.trend_chart(WEEKLY, PARTNERS, "physical").to_dict()
    assert spec["layer"][0]["mark"]["invalid"] == "break-paths-show-domains"
    sam = [r["score"] for r in data_of(spec) if r["series"] == "Sam"]
    assert sam == [7, 7, None, 7, 7]
    # A run of empty weeks needs only one null, and a line that has not started needs none.
    sexual = charts.trend_chart(WEEKLY, PARTNERS, "sexual").to_dict()
    assert [r["score"] for r in data_of(sexual) if r["series"] == "Sam"] == []


@pytest.mark.parametrize(
    ("frame", "partners"),
    [
        (FIVE_WEEKS.iloc[:0], PARTNERS),
        (FIVE_WEEKS[FIVE_WEEKS["partner"] == "Alex"], ["Alex"]),
        (FIVE_WEEKS.iloc[:1], ["Alex"]),
    ],
    ids=["empty", "one partner", "one check-in"],
)
def test_trend_chart_builds_on_little_data(frame: pd.DataFrame, partners: list[str]) -> None:
    spec = charts.trend_chart(analysis.weekly_scores(frame), partners, "sexual").to_dict()
    colour = spec["layer"][0]["encoding"]["color"]["scale"]
    assert colour["range"][: len(partners)] == [BLUE, VERMILLION][: len(partners)]


def test_smoothed_trend_chart_draws_light_weekly_points_under_a_line_per_partner() -> None:
    lines = analysis.smoothed(WEEKLY, 3)
    spec = charts.smoothed_trend_chart(lines, PARTNERS, "physical").to_dict()
    assert spec["width"] == "container"
    assert layer_marks(spec) == ["point", "line"]
    points, line = spec["layer"]
    assert points["mark"]["opacity"] < 0.5
    assert points["transform"] == [{"filter": "(datum.kind === 'partner')"}]
    assert line["transform"] == [{"filter": "(datum.kind === 'smooth')"}]
    assert line["encoding"]["color"]["scale"] == {"domain": PARTNERS, "range": [BLUE, VERMILLION]}
    # Sam's physical 7, 7, –, 7, 7 smooths to 7 throughout, the missed week filled by its
    # neighbours; Alex's 5, 6, 5, 6, 5 over three weeks: 5.5, 5.33, 5.67, 5.33, 5.5.
    rows = data_of(spec)
    sam = [r["score"] for r in rows if r["series"] == "Sam" and r["kind"] == "smooth"]
    alex = [r["score"] for r in rows if r["series"] == "Alex" and r["kind"] == "smooth"]
    assert sam == [7, 7, 7, 7, 7]
    assert alex == pytest.approx([5.5, 16 / 3, 17 / 3, 16 / 3, 5.5])


# stacked --------------------------------------------------------------------------------


def test_stacked_draws_each_type_as_its_own_panel_in_one_view() -> None:
    charts.enable_theme()
    physical = charts.trend_chart(WEEKLY, PARTNERS, "physical").to_dict()
    sexual = charts.trend_chart(WEEKLY, PARTNERS, "sexual").to_dict()
    spec = charts.stacked([physical, sexual])
    # One view: the panels sit side by side in one vconcat, in the order given.
    assert [panel["title"] for panel in spec["vconcat"]] == ["Physical", "Sexual"]
    for panel, alone in zip(spec["vconcat"], (physical, sexual), strict=True):
        assert panel["layer"] == alone["layer"]
        assert panel["data"] == alone["data"]
        assert panel["height"] == alone["height"]
        # Streamlit gives each panel the column's width; fit-x keeps the axes inside it.
        assert "width" not in panel
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    # The same theme, but the one shared legend sits above the stack, not below six panels.
    assert {k: v for k, v in spec["config"].items() if k != "legend"} == {
        k: v for k, v in physical["config"].items() if k != "legend"
    }
    assert physical["config"]["legend"]["orient"] == "bottom"
    assert spec["config"]["legend"] == {**physical["config"]["legend"], "orient": "top"}
    assert spec["datasets"] == {**physical["datasets"], **sexual["datasets"]}
    rows = spec["datasets"][spec["vconcat"][0]["data"]["name"]]
    assert [r["score"] for r in rows if r["series"] == "Sam"] == [7, 7, None, 7, 7]


@pytest.mark.parametrize(("weeks", "window"), [(27, 5), (52, 5), (120, 7), (520, 27)])
def test_smoothing_window_grows_with_the_range(weeks: int, window: int) -> None:
    assert analysis.smoothing_window(weeks) == window


def test_wheel_chart_draws_one_wedge_per_partner_in_each_type() -> None:
    week = {"Alex": {"social": 6.0, "emotional": 8.0}, "Sam": {"emotional": 7.0, "social": np.nan}}
    spec = charts.wheel_chart(week, PARTNERS, title="Your latest shared week").to_dict()
    assert layer_marks(spec) == ["arc", "arc", "arc", "text"]
    sectors, wedges = spec["layer"][0], spec["layer"][2]
    # A faint sector behind each type, a little narrower than its half of the circle.
    assert [(r["start"], r["end"]) for r in data_for(spec, sectors)] == [
        (pytest.approx(0.03 * np.pi), pytest.approx(0.97 * np.pi)),
        (pytest.approx(1.03 * np.pi), pytest.approx(1.97 * np.pi)),
    ]
    assert wedges["encoding"]["radius"]["field"] == "score"
    assert wedges["encoding"]["radius"]["scale"]["domain"] == [0, 10]
    # The legend is the partners drawn, in their own colours: nothing else is in it.
    assert wedges["encoding"]["color"]["field"] == "partner"
    assert wedges["encoding"]["color"]["scale"] == {
        "domain": ["Sam", "Alex"],
        "range": [BLUE, VERMILLION],
    }
    # Titled with what it shows and nothing else: no subtitle about what is not drawn.
    assert spec["title"] == {"text": "Your latest shared week", "offset": 16}
    rows = data_for(spec, wedges)
    assert [(r["type"], r["partner"], r["score"]) for r in rows] == [
        ("Emotional", "Sam", 7.0),
        ("Emotional", "Alex", 8.0),
        ("Social", "Sam", None),
        ("Social", "Alex", 6.0),
    ]
    # Each type's half of the circle, less a gap of 6 % of it either side, is shared
    # equally: Sam from 0.06 pi to 0.5 pi, Alex from 0.5 pi to 0.94 pi.
    assert rows[0]["start"] == pytest.approx(0.06 * np.pi)
    assert rows[1]["start"] == pytest.approx(np.pi / 2)
    assert rows[1]["end"] == pytest.approx(0.94 * np.pi)


def test_wheel_chart_of_one_partner_keeps_their_own_colour() -> None:
    spec = charts.wheel_chart({"Alex": {"physical": 6.0}}, PARTNERS).to_dict()
    assert spec["layer"][2]["encoding"]["color"]["scale"] == {
        "domain": ["Alex"],
        "range": [VERMILLION],
    }


def test_wheel_chart_builds_without_data() -> None:
    spec = charts.wheel_chart({}, PARTNERS).to_dict()
    assert data_for(spec, spec["layer"][2]) == []


def test_gap_chart_is_a_dumbbell_per_type() -> None:
    gaps = analysis.partner_gaps(FIVE_WEEKS)
    spec = charts.gap_chart(gaps, PARTNERS).to_dict()
    assert layer_marks(spec) == ["rule", "point"]
    rule, points = (layer["encoding"] for layer in spec["layer"])
    assert (rule["x"]["aggregate"], rule["x2"]["aggregate"]) == ("min", "max")
    assert (points["y"]["field"], points["y"]["type"]) == ("type", "nominal")
    assert points["y"]["sort"] == SURVEY_ORDER
    assert (points["x"]["field"], points["x"]["type"]) == ("score", "quantitative")
    assert points["color"]["scale"] == {"domain": PARTNERS, "range": [BLUE, VERMILLION]}
    assert points["shape"]["scale"]["range"] == ["circle", "square"]
    # Physical, last four shared weeks (0, 1, 3, 4): Sam 7, Alex (5 + 6 + 6 + 5) / 4 = 5.5.
    assert sorted((r["partner"], r["score"]) for r in data_of(spec)) == [
        ("Alex", 5.5),
        ("Sam", 7.0),
    ]


def test_gap_chart_builds_with_one_partner() -> None:
    gaps = analysis.partner_gaps(FIVE_WEEKS[FIVE_WEEKS["partner"] == "Sam"])
    assert data_of(charts.gap_chart(gaps, ["Sam"]).to_dict()) == []


def weekly_means(weeks: pd.DatetimeIndex) -> pd.DataFrame:
    """A weekly_scores-shaped frame of couple means for all six types, score 6 every week."""
    dims = ["emotional", "physical", "intellectual", "spiritual", "social", "sexual"]
    return pd.DataFrame(
        {
            "week": np.repeat(weeks, len(dims)),
            "dimension": np.tile(dims, len(weeks)),
            "series": analysis.TOGETHER,
            "kind": "mean",
            "score": 6.0,
        }
    )


def test_heatmap_chart_encodings() -> None:
    spec = charts.heatmap_chart(WEEKLY).to_dict()
    assert spec["mark"]["type"] == "rect"
    enc = spec["encoding"]
    assert (enc["x"]["field"], enc["x"]["type"]) == ("start", "temporal")
    assert enc["x2"]["field"] == "end"
    assert (enc["y"]["field"], enc["y"]["type"], enc["y"]["sort"]) == (
        "type",
        "nominal",
        SURVEY_ORDER,
    )
    assert (enc["color"]["field"], enc["color"]["type"]) == ("score", "quantitative")
    # Centred on the couple's own average over the cells: (6 + 6.5 + 5 + 6.5 + 6) / 5
    # physical, 8 emotional, 6 sexual → (30 + 40 + 30) / 15 = 6.67.
    assert enc["color"]["scale"] == {"domainMid": 6.67, "scheme": charts.HEATMAP_SCHEME}
    assert enc["color"]["title"] == "Together; orange above your average (6.7), blue below"
    assert spec["width"] == "container"
    assert [t["field"] for t in enc["tooltip"]] == ["period", "type", "score", "weeks"]
    # Weekly cells for a short range; the missed physical week 2 is still there for Alex.
    rows = data_of(spec)
    assert len(rows) == 5 * 3
    physical = [r for r in rows if r["type"] == "Physical"]
    # Week 0: (7 + 5) / 2 = 6; week 2: Alex alone, 5.
    assert [r["score"] for r in physical] == [6.0, 6.5, 5.0, 6.5, 6.0]
    assert physical[0]["period"] == "Week of 6 Jan 2025"


def test_heatmap_chart_keeps_weeks_up_to_two_years() -> None:
    weeks = pd.date_range("2023-01-02", periods=104, freq="7D")
    assert len(data_of(charts.heatmap_chart(weekly_means(weeks)).to_dict())) == 104 * 6


def test_heatmap_chart_switches_to_months_beyond_two_years() -> None:
    weeks = pd.date_range("2022-01-03", periods=3 * 52, freq="7D")
    rows = data_of(charts.heatmap_chart(weekly_means(weeks)).to_dict())
    # 3 Jan 2022 to 19 Dec 2024: 36 months × 6 types.
    assert len(rows) == 36 * 6
    assert rows[0]["start"].startswith("2022-01-01")
    assert rows[0]["end"].startswith("2022-02-01")
    assert rows[0]["period"] == "January 2022"
    assert rows[0]["weeks"] == 5  # Mondays 3, 10, 17, 24, 31 January


def test_heatmap_chart_of_fifty_years_stays_small() -> None:
    weeks = pd.date_range("1975-01-06", periods=50 * 52, freq="7D")
    rows = data_of(charts.heatmap_chart(weekly_means(weeks)).to_dict())
    assert len(rows) < 1000
    assert rows[0]["period"] == "1975"


def test_heatmap_chart_uses_quarters_when_months_are_too_many() -> None:
    weeks = pd.date_range("2000-01-03", periods=20 * 52, freq="7D")
    rows = data_of(charts.heatmap_chart(weekly_means(weeks)).to_dict())
    assert rows[0]["period"] == "Q1 2000"
    assert len(rows) == 80 * 6


# Sam alone: emotional 8 in all five weeks, physical 7 in weeks 0, 1, 3 and 4; the missed
# week leaves no cell rather than a zero.
SAM_CELLS = sorted(
    [("Emotional", w, 8.0) for w in range(5)] + [("Physical", w, 7.0) for w in (0, 1, 3, 4)]
)


@pytest.mark.parametrize(
    ("frame", "cells"),
    [(FIVE_WEEKS.iloc[:0], []), (FIVE_WEEKS[FIVE_WEEKS["partner"] == "Sam"], SAM_CELLS)],
    ids=["empty", "one partner"],
)
def test_heatmap_chart_builds_on_little_data(frame: pd.DataFrame, cells: list[tuple]) -> None:
    rows = data_of(charts.heatmap_chart(analysis.weekly_scores(frame)).to_dict())
    week = {f"Week of {d.day} {d:%b %Y}": i for i, d in enumerate(W)}
    assert sorted((r["type"], week[r["period"]], r["score"]) for r in rows) == cells
