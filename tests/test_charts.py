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

from closer import analysis, charts, store
from closer.analysis import TOGETHER_ROLLING

PARTNER_IDS = {"Sam": 1, "Alex": 2}
W = [pd.Timestamp("2025-01-06") + pd.Timedelta(weeks=i) for i in range(20)]
SURVEY_ORDER = ["Emotional", "Physical", "Intellectual", "Spiritual", "Social", "Sexual"]
BLUE, VERMILLION = charts.PARTNER_COLOURS[:2]


def scores(*rows: tuple) -> pd.DataFrame:
    """A score table as the storage layer gives it, from (week index, partner, type, score)."""
    records = [
        (W[w], PARTNER_IDS[p], p, dim, np.nan if s is None else float(s), False)
        for w, p, dim, s in rows
    ]
    frame = pd.DataFrame.from_records(records, columns=list(store.SCORE_COLUMNS))
    return frame.astype({"week": "datetime64[ns]", "partner": "str", "dimension": "str"})


# Sam and Alex over five weeks, Sam missing week 2 (so Sam's line must break there);
# the rows are listed sexual-first and Alex-first on purpose.
FIVE_WEEKS = scores(
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


def layer_marks(spec: dict[str, Any]) -> list[str]:
    """The mark type of each layer."""
    return [
        layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        for layer in spec["layer"]
    ]


# theme --------------------------------------------------------------------------------


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


def test_closer_never_imports_streamlit() -> None:
    for module in (analysis, charts):
        source = Path(module.__file__).read_text()
        assert "import streamlit" not in source and "from streamlit" not in source


# trend_chart --------------------------------------------------------------------------


def test_trend_chart_facets_one_panel_per_type_in_survey_order() -> None:
    spec = charts.trend_chart(WEEKLY, PARTNERS).to_dict()
    assert spec["facet"]["field"] == "type"
    assert spec["facet"]["type"] == "nominal"
    assert spec["facet"]["sort"] == SURVEY_ORDER
    assert spec["columns"] == 2
    assert {row["type"] for row in data_of(spec)} == {"Emotional", "Physical", "Sexual"}
    assert charts.trend_chart(WEEKLY, PARTNERS, columns=3).to_dict()["columns"] == 3


def test_trend_chart_marks_and_typed_encodings() -> None:
    spec = charts.trend_chart(WEEKLY, PARTNERS).to_dict()["spec"]
    assert layer_marks(spec) == ["line", "point"]
    line = spec["layer"][0]["encoding"]
    assert (line["x"]["field"], line["x"]["type"]) == ("week", "temporal")
    assert (line["y"]["field"], line["y"]["type"]) == ("score", "quantitative")
    assert line["y"]["scale"]["domain"] == [1, 10]
    assert (line["color"]["field"], line["color"]["type"]) == ("series", "nominal")
    tooltip = spec["layer"][1]["encoding"]["tooltip"]
    assert [(t["field"], t["type"]) for t in tooltip] == [
        ("week", "temporal"),
        ("series", "nominal"),
        ("type", "nominal"),
        ("score", "quantitative"),
    ]
    assert tooltip[0]["format"] == "%-d %b %Y"


def test_trend_chart_colours_follow_partner_order_not_data_order() -> None:
    shuffled = WEEKLY.sample(frac=1, random_state=3)
    for weekly in (WEEKLY, shuffled, WEEKLY[WEEKLY["series"] != "Sam"]):
        colour = charts.trend_chart(weekly, PARTNERS).to_dict()["spec"]["layer"][0]["encoding"]
        assert colour["color"]["scale"] == {
            "domain": ["Sam", "Alex", TOGETHER_ROLLING],
            "range": [BLUE, VERMILLION, charts.TOGETHER_COLOUR],
        }


def test_trend_chart_tells_series_apart_without_colour() -> None:
    spec = charts.trend_chart(WEEKLY, PARTNERS).to_dict()["spec"]
    line, points = spec["layer"][0], spec["layer"][1]
    dash = line["encoding"]["strokeDash"]["scale"]
    assert dash["domain"] == ["Sam", "Alex", TOGETHER_ROLLING]
    assert dash["range"][-1] == list(charts.ROLLING_DASH)
    assert dash["range"][0] == dash["range"][1] == list(charts.PARTNER_DASH)
    widths = line["encoding"]["strokeWidth"]["scale"]["range"]
    assert widths[-1] > widths[0]
    assert points["encoding"]["shape"]["scale"]["range"] == ["circle", "square"]


def test_trend_chart_breaks_lines_at_missed_weeks() -> None:
    spec = charts.trend_chart(WEEKLY, PARTNERS).to_dict()
    assert spec["spec"]["layer"][0]["mark"]["invalid"] == "break-paths-show-domains"
    sam = [r["score"] for r in data_of(spec) if r["series"] == "Sam" and r["type"] == "Physical"]
    assert sam == [7, 7, None, 7, 7]
    # A run of empty weeks needs only one null, and a line that has not started needs none.
    sexual = [r["score"] for r in data_of(spec) if r["series"] == "Sam" and r["type"] == "Sexual"]
    assert sexual == []


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
    spec = charts.trend_chart(analysis.weekly_scores(frame), partners).to_dict()
    colour = spec["spec"]["layer"][0]["encoding"]["color"]["scale"]
    assert colour["range"][: len(partners)] == [BLUE, VERMILLION][: len(partners)]


# wheel_chart --------------------------------------------------------------------------


def test_wheel_chart_draws_this_week_against_four_weeks_ago() -> None:
    now = {"social": 6.0, "emotional": 8.0, "physical": np.nan}
    before = pd.Series({"emotional": 6.5, "social": 7.0})
    spec = charts.wheel_chart(now, before).to_dict()
    assert layer_marks(spec) == ["arc", "arc", "arc", "text"]
    filled, outline = spec["layer"][1], spec["layer"][2]
    assert filled["encoding"]["radius"]["field"] == "now"
    assert outline["encoding"]["radius"]["field"] == "before"
    assert filled["encoding"]["radius"]["scale"]["domain"] == [0, 10]
    assert filled["encoding"]["theta"]["scale"] is None
    assert outline["mark"]["filled"] is False
    assert outline["mark"]["strokeDash"] == list(charts.ROLLING_DASH)
    rows = data_of(spec)
    # Spokes in survey order, equal wedges, a label per type even when it was skipped.
    assert [r["label"] for r in rows] == ["Emotional 8.0", "Physical –", "Social 6.0"]
    assert [r["before"] for r in rows] == [6.5, None, 7.0]
    assert rows[1]["start"] == pytest.approx(2 * np.pi / 3)


def test_wheel_chart_builds_without_data() -> None:
    spec = charts.wheel_chart({}, {}).to_dict()
    assert data_of(spec) == []


# gap_chart ----------------------------------------------------------------------------


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


# heatmap_chart ------------------------------------------------------------------------


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
    assert enc["color"]["scale"] == {"domain": [1, 10], "scheme": charts.HEATMAP_SCHEME}
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


@pytest.mark.parametrize(
    "frame",
    [FIVE_WEEKS.iloc[:0], FIVE_WEEKS[FIVE_WEEKS["partner"] == "Sam"]],
    ids=["empty", "one partner"],
)
def test_heatmap_chart_builds_on_little_data(frame: pd.DataFrame) -> None:
    charts.heatmap_chart(analysis.weekly_scores(frame)).to_dict()
