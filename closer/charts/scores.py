"""Altair charts of the scores for the Trends page: data in, one ``alt.Chart`` out per function.

Charts expect data that is already windowed or aggregated (``to_dict()`` refuses more than
5,000 rows). Nothing is told by colour alone: partners also differ by point shape, the
couple's average by a dashed grey line, and legends carry names.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Final

import altair as alt
import numpy as np
import pandas as pd
from altair.utils.schemapi import UndefinedType

from closer import survey
from closer.analysis import TOGETHER_ROLLING, type_name
from closer.charts.theme import (
    BACKGROUND,
    GRID_COLOUR,
    TOGETHER_COLOUR,
    _colour_of,
    _partner_colours,
    _partner_shapes,
)

WHEEL_COLOUR = "#E69F00"
WHEEL_GAP = 0.06  # of each type's sector, left empty on either side of its wedges
# Diverging and colour-blind safe, centred on the couple's own average (domainMid).
HEATMAP_SCHEME: Final = "blueorange"

SCORE_DOMAIN = (1, 10)
TREND_HEIGHT = 230  # Streamlit fits the title, axis and legend inside this too
# A solid line as no dash at all: a dash pattern of (1, 0) looks the same, but the browser
# took 6-18 ms more to draw the six panels with it (measured, CONTRIBUTING "Speed").
PARTNER_DASH: tuple[int, ...] = ()
ROLLING_DASH = (6, 4)

# Above about two years of weeks a weekly heatmap gets too thin to read; months then,
# and coarser still so the chart stays under ~1000 cells (160 periods × 6 types).
HEATMAP_WEEKLY_MAX_DAYS = 731
HEATMAP_MAX_PERIODS = 160


def trend_chart(
    weekly: pd.DataFrame, partners: Sequence[str], dimension: str, *, period: str | None = None
) -> alt.LayerChart:
    """One type over time, as wide as its column: each partner's weekly line and the average.

    One chart per type (not a facet), because a facet cannot take the width of the column
    it is drawn in; ``stacked`` puts the six in one view for the page. ``weekly`` is
    ``analysis.weekly_scores`` output (or ``by_period``): its NaN rows break the lines, so
    a missed week shows as a gap, never as a slope.
    ``partners`` fixes colours and shapes by position; ``period`` ("M") says the rows are
    months, not weeks, for the labels.
    """
    rows = weekly[(weekly["dimension"] == dimension) & weekly["kind"].isin(["partner", "rolling"])]
    data = _line_rows(rows, period)
    # The average has no legend entry until its line shows: two values, from the fifth week.
    averaged = int(((data["series"] == TOGETHER_ROLLING) & data["score"].notna()).sum()) >= 2
    domain = [*partners, TOGETHER_ROLLING] if averaged else list(partners)
    n = len(partners)
    colours = [*_partner_colours(n), TOGETHER_COLOUR][: len(domain)]
    base = _over_time(weekly["week"], domain, colours, period)
    # Stated rather than left to the default, because the gaps depend on it.
    lines = base.mark_line(invalid="break-paths-show-domains").encode(
        strokeDash=alt.StrokeDash(
            "series:N",
            title=None,
            scale=alt.Scale(
                domain=domain, range=[list(PARTNER_DASH)] * n + [list(ROLLING_DASH)] * averaged
            ),
        ),
        strokeWidth=alt.StrokeWidth(
            "series:N",
            scale=alt.Scale(domain=domain, range=[2] * n + [3.5] * averaged),
            legend=None,
        ),
    )
    # The legend comes from the lines alone, so its swatches are strokes and the average's
    # is dashed; merged with the points it showed a grey dot (seen at two weeks).
    points = (
        base.transform_filter(alt.datum.series != TOGETHER_ROLLING)
        .mark_point(filled=True, size=36, opacity=1)
        .encode(
            color=alt.Color("series:N", scale=alt.Scale(domain=domain), legend=None),
            shape=_partner_shape(partners),
            tooltip=_line_tooltip(),
        )
    )
    return _type_panel(data, [lines, points], dimension)


def smoothed_trend_chart(
    weekly: pd.DataFrame, partners: Sequence[str], dimension: str, *, period: str | None = None
) -> alt.LayerChart:
    """One type over a long range: each week as a light point, a smoothed line per partner.

    ``weekly`` holds ``kind="partner"`` rows (the points) and ``kind="smooth"`` rows (the
    lines, ``analysis.smoothed``); ``partners`` fixes colours and shapes by position.
    """
    rows = weekly[(weekly["dimension"] == dimension) & weekly["score"].notna()]
    data = pd.DataFrame(
        {
            "week": rows["week"],
            "when": [week_words(w, period) for w in rows["week"]],
            "series": rows["series"],
            "who": rows["series"],
            "kind": rows["kind"],
            "type": _type_names(rows["dimension"]),
            "score": rows["score"],
        }
    ).reset_index(drop=True)
    base = _over_time(weekly["week"], list(partners), _partner_colours(len(partners)), period)
    points = (
        base.transform_filter(alt.datum.kind == "partner")
        .mark_point(filled=True, size=14, opacity=0.25)
        .encode(shape=_partner_shape(partners), tooltip=_line_tooltip())
    )
    lines = base.transform_filter(alt.datum.kind == "smooth").mark_line(strokeWidth=2.5)
    return _type_panel(data, [points, lines], dimension)


def stacked(specs: Sequence[dict]) -> dict:
    """Per-type chart specs as one Vega view: a panel per type, each as wide as the column.

    One view instead of six: each Vega view costs the browser about as much as a page switch
    of its own. A plain ``vconcat`` of layered panels (not a facet) keeps every panel's own
    title, and Streamlit gives each panel the column's width; ``fit-x`` keeps the axes inside
    it. Shared scales give one legend for the whole stack.
    """
    first = specs[0]
    panels = []
    datasets: dict = {}
    for spec in specs:
        datasets.update(spec.get("datasets", {}))
        panel = {k: v for k, v in spec.items() if k not in ("$schema", "config", "datasets")}
        # Streamlit sets each panel's width to the column's; "container" is for single views.
        panel.pop("width", None)
        panels.append(panel)
    config = first.get("config", {})
    # One legend for the whole stack, above it: below six panels it would be out of sight
    # while the first ones are read (seen in the screenshots).
    config = {**config, "legend": {**config.get("legend", {}), "orient": "top"}}
    combined = {
        "$schema": first.get("$schema"),
        "config": config,
        "datasets": datasets,
        "vconcat": panels,
        "spacing": 28,
        "autosize": {"type": "fit-x", "contains": "padding"},
    }
    return {k: v for k, v in combined.items() if v is not None}


def _type_panel(data: pd.DataFrame, layers: list[alt.Chart], dimension: str) -> alt.LayerChart:
    """One type's panel over time: its layers on the same data, as wide as the column."""
    return alt.LayerChart(
        data=data,
        layer=layers,
        width="container",
        height=TREND_HEIGHT,
        title=type_name(dimension),
    )


def _over_time(
    weeks: pd.Series, domain: list[str], colours: list[str], period: str | None = None
) -> alt.Chart:
    """The shared x (weeks), y (scores 1–10) and colour (series) of the line charts."""
    return alt.Chart().encode(
        x=alt.X(
            "week:T",
            title=None,
            scale=alt.Scale(domain=_date_domain(weeks)),
            axis=_week_axis(weeks, period),
        ),
        y=alt.Y(
            "score:Q",
            title=None,
            scale=alt.Scale(domain=list(SCORE_DOMAIN), nice=False, zero=False),
            axis=alt.Axis(values=[1, 4, 7, 10]),
        ),
        color=alt.Color(
            "series:N",
            title=None,
            scale=alt.Scale(domain=domain, range=colours),
            legend=alt.Legend(symbolType="stroke", symbolStrokeWidth=3, symbolOpacity=1),
        ),
    )


def _partner_shape(partners: Sequence[str]) -> alt.Shape:
    # On its own copy of the series ("who"): a shape on "series" itself takes over the
    # legend's symbols, which then showed dots and a grey blob instead of strokes and dashes.
    return alt.Shape(
        "who:N",
        scale=alt.Scale(domain=list(partners), range=_partner_shapes(len(partners))),
        legend=None,
    )


def _line_tooltip() -> list[alt.Tooltip]:
    return [
        alt.Tooltip("when:N", title="When"),
        alt.Tooltip("series:N", title="Who"),
        alt.Tooltip("type:N", title="Type"),
        alt.Tooltip("score:Q", title="Score", format=".1f"),
    ]


def wheel_chart(
    scores: Mapping[str, Mapping[str, float]],
    partners: Sequence[str],
    *,
    size: int = 320,
    title: str = "This week across the types",
) -> alt.LayerChart:
    """A wheel of the types with one wedge per partner in each, coloured as in the legend.

    ``scores`` maps a partner's name to their scores by type key (NaN or missing when they
    skipped it); only partners in it are drawn, in the order of ``partners``, which also
    fixes their colours. Each wedge's radius is the score on a 0–10 scale; the spokes
    follow survey order and are labelled with the type's name.
    """
    drawn = [p for p in partners if p in scores]
    keys = _keys_in_order([k for p in drawn for k in scores[p]])
    step = 2 * math.pi / max(len(keys), 1)
    # A gap between types, and a faint sector behind each, so each pair of wedges reads as
    # one type under its label (twelve equal wedges were hard to match to six labels).
    gap = step * WHEEL_GAP
    part = (step - 2 * gap) / max(len(drawn), 1)
    records = []
    for i, key in enumerate(keys):
        for j, name in enumerate(drawn):
            start = i * step + gap + j * part
            records.append(
                (type_name(key), name, start, start + part, _number(scores[name].get(key)))
            )
    data = pd.DataFrame.from_records(
        records, columns=["type", "partner", "start", "end", "score"]
    ).astype({"type": "str", "partner": "str", "score": "float64"})
    labels = pd.DataFrame(
        {
            "type": [type_name(k) for k in keys],
            "middle": [(i + 0.5) * step for i in range(len(keys))],
        }
    ).astype({"type": "str"})
    outer = size / 2 - 40  # room for the labels around the rim
    radius_scale = alt.Scale(type="linear", domain=[0, 10], range=[0, outer], zero=True)
    rings = (
        alt.Chart(pd.DataFrame({"ring": [5, 10]}))
        .mark_arc(filled=False, stroke=GRID_COLOUR, strokeWidth=1)
        .encode(
            theta=alt.value(0),
            theta2=alt.value(2 * math.pi),
            radius=alt.Radius("ring:Q", scale=radius_scale, stack=None),
        )
    )
    wedges = (
        alt.Chart(data)
        .mark_arc(opacity=0.85, stroke=BACKGROUND, strokeWidth=1.5)
        .encode(
            theta=alt.Theta("start:Q", scale=None),
            theta2=alt.Theta2("end:Q"),
            radius=alt.Radius("score:Q", scale=radius_scale, stack=None),
            color=alt.Color(
                "partner:N",
                title=None,
                scale=alt.Scale(domain=drawn, range=[_colour_of(p, partners) for p in drawn]),
            ),
            tooltip=[
                alt.Tooltip("type:N", title="Type"),
                alt.Tooltip("partner:N", title="Who"),
                alt.Tooltip("score:Q", title="Score", format=".0f"),
            ],
        )
    )
    sectors = (
        alt.Chart(
            pd.DataFrame(
                {
                    "start": [i * step + gap / 2 for i in range(len(keys))],
                    "end": [(i + 1) * step - gap / 2 for i in range(len(keys))],
                    "ring": [10] * len(keys),
                }
            )
        )
        .mark_arc(color=GRID_COLOUR, opacity=0.6)
        .encode(
            theta=alt.Theta("start:Q", scale=None),
            theta2=alt.Theta2("end:Q"),
            radius=alt.Radius("ring:Q", scale=radius_scale, stack=None),
        )
    )
    names = (
        alt.Chart(labels)
        .mark_text(fontSize=12, fontWeight=600)
        .encode(
            theta=alt.Theta("middle:Q", scale=None),
            radius=alt.value(outer + 22),
            text=alt.Text("type:N"),
        )
    )
    return alt.LayerChart(
        layer=[sectors, rings, wedges, names],
        width=size,
        height=size,
        title=alt.Title(title, offset=16),
        padding={"top": 8, "bottom": 8, "left": 8, "right": 8},
    )


def gap_chart(gaps: pd.DataFrame, partners: Sequence[str]) -> alt.LayerChart:
    """Per type, where each partner stands lately: two points joined by a line (a dumbbell).

    ``gaps`` is ``analysis.partner_gaps`` output; ``partners`` fixes colours and shapes.
    """
    cols = ["dimension", "gap"]
    long = pd.concat(
        [
            gaps[[*cols, "partner_a", "score_a"]].set_axis([*cols, "partner", "score"], axis=1),
            gaps[[*cols, "partner_b", "score_b"]].set_axis([*cols, "partner", "score"], axis=1),
        ],
        ignore_index=True,
    )
    long = long.assign(type=_type_names(long["dimension"])).drop(columns="dimension")
    y = alt.Y("type:N", title=None, sort=_names_in_order(long["type"]))
    x_scale = alt.Scale(domain=list(SCORE_DOMAIN), nice=False, zero=False)
    n = len(partners)

    rule = (
        alt.Chart()
        .mark_rule(color=TOGETHER_COLOUR, strokeWidth=2, opacity=0.6)
        .encode(y=y, x=alt.X("min(score):Q", scale=x_scale, title=None), x2=alt.X2("max(score)"))
    )
    points = (
        alt.Chart()
        .mark_point(filled=True, size=90, opacity=1)
        .encode(
            y=y,
            x=alt.X("score:Q", scale=x_scale, title=None, axis=alt.Axis(values=[1, 4, 7, 10])),
            color=alt.Color(
                "partner:N",
                title=None,
                scale=alt.Scale(domain=list(partners), range=_partner_colours(n)),
            ),
            shape=alt.Shape(
                "partner:N",
                title=None,
                scale=alt.Scale(domain=list(partners), range=_partner_shapes(n)),
            ),
            tooltip=[
                alt.Tooltip("type:N", title="Type"),
                alt.Tooltip("partner:N", title="Who"),
                alt.Tooltip("score:Q", title="Lately", format=".1f"),
                alt.Tooltip("gap:Q", title="Apart by", format=".1f"),
            ],
        )
    )
    return alt.LayerChart(
        data=long,
        layer=[rule, points],
        width="container",
        height=alt.Step(30),
        title="Where each of you stands lately",
    )


def heatmap_chart(weekly: pd.DataFrame) -> alt.Chart:
    """The couple's mean per type over time, as coloured cells; long ranges shown by month.

    ``weekly`` is ``analysis.weekly_scores`` output (only ``kind="mean"`` rows are used).
    Up to about two years each cell is a week; beyond that weeks are averaged into months
    (a week belongs to the month its Monday falls in), and into quarters or years when even
    months would exceed ``HEATMAP_MAX_PERIODS``. A cell's value is the mean of the weekly
    couple means in it; periods without any are left blank. The colours are centred on the
    couple's own average over the cells, so their ups and downs show whatever their level;
    the legend's title says so.
    """
    means = weekly.loc[(weekly["kind"] == "mean") & weekly["score"].notna()]
    cells = heatmap_cells(means[["week", "dimension", "score"]])
    average = float(cells["score"].mean()) if len(cells) else 5.5
    weekly_cells = bool(len(cells)) and bool(
        (cells["end"] - cells["start"]).eq(pd.Timedelta(weeks=1)).all()
    )
    # Weekly cells get ticks on their Mondays, as the line charts do (Vega's own fell on Sundays).
    x_axis = (
        _week_axis(cells["start"], None)
        if weekly_cells
        else alt.Axis(tickCount=4, labelOverlap=True)
    )
    return (
        alt.Chart(cells, width="container", height=alt.Step(22))
        .mark_rect()
        .encode(
            x=alt.X("start:T", title=None, axis=x_axis),
            x2=alt.X2("end"),
            y=alt.Y(
                "type:N",
                title=None,
                sort=_names_in_order(cells["type"]),
                scale=alt.Scale(paddingInner=0.1),
            ),
            color=alt.Color(
                "score:Q",
                title=f"Together; orange above your average ({average:.1f}), blue below",
                scale=alt.Scale(scheme=HEATMAP_SCHEME, domainMid=round(average, 2)),
                legend=alt.Legend(orient="bottom", gradientLength=160, titleLimit=400),
            ),
            tooltip=[
                alt.Tooltip("period:N", title="When"),
                alt.Tooltip("type:N", title="Type"),
                alt.Tooltip("score:Q", title="Together", format=".1f"),
                alt.Tooltip("weeks:Q", title="Weeks with a check-in"),
            ],
        )
    )


def heatmap_cells(means: pd.DataFrame) -> pd.DataFrame:
    """Average weekly couple means into cells of the finest readable period."""
    columns = ["start", "end", "period", "type", "score", "weeks"]
    if means.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
    span_days = (means["week"].max() - means["week"].min()).days
    if span_days <= HEATMAP_WEEKLY_MAX_DAYS:
        cells = means.groupby(["week", "dimension"], as_index=False)["score"].agg(
            score="mean", weeks="size"
        )
        cells["start"] = cells["week"]
        cells["end"] = cells["week"] + pd.Timedelta(weeks=1)
        cells["period"] = "Week of " + cells["week"].dt.strftime("%d %b %Y").str.lstrip("0")
    else:
        label: str | None  # a strftime pattern; None for quarters, which have none
        freq, label = "M", "%B %Y"
        for coarser, coarser_label in (("Q", None), ("Y", "%Y")):
            if means["week"].dt.to_period(freq).nunique() <= HEATMAP_MAX_PERIODS:
                break
            freq, label = coarser, coarser_label
        periods = means["week"].dt.to_period(freq)
        cells = means.groupby([periods.rename("p"), "dimension"], as_index=False)["score"].agg(
            score="mean", weeks="size"
        )
        cells["start"] = cells["p"].dt.start_time
        cells["end"] = (cells["p"] + 1).dt.start_time
        if label is None:
            cells["period"] = (
                "Q" + cells["p"].dt.quarter.astype(str) + " " + cells["p"].dt.year.astype(str)
            )
        else:
            cells["period"] = cells["p"].dt.strftime(label)
    cells["type"] = _type_names(cells["dimension"])
    return cells[columns]


def _line_rows(weekly: pd.DataFrame, period: str | None = None) -> pd.DataFrame:
    """The rows a line chart needs: every value, plus one NaN row after each to break the line.

    Runs of empty weeks need only their first row to break a line, and leading ones none,
    so dropping the rest keeps the chart data (and its JSON) small.
    """
    rows = weekly.sort_values(["dimension", "series", "week"])
    present = rows["score"].notna()
    same_line = (rows["dimension"] == rows["dimension"].shift()) & (
        rows["series"] == rows["series"].shift()
    )
    keep = present | (present.shift(fill_value=False) & same_line)
    rows = rows[keep]
    return pd.DataFrame(
        {
            "week": rows["week"],
            "when": [week_words(w, period) for w in rows["week"]],
            "type": _type_names(rows["dimension"]),
            "series": rows["series"],
            "who": rows["series"],
            "score": rows["score"],
        }
    ).reset_index(drop=True)


def _date_domain(weeks: pd.Series) -> list[alt.DateTime] | UndefinedType:
    """The first and last week as an x domain, so empty weeks at either end still show."""
    if weeks.empty or weeks.isna().all():
        return alt.Undefined
    # Vega reads the data's ISO dates as local time, and so does DateTime: they line up.
    return [
        alt.DateTime(year=ts.year, month=ts.month, date=ts.day) for ts in (weeks.min(), weeks.max())
    ]


WEEK_TICKS = 4  # at most this many labelled weeks: four short dates fit a phone


def week_words(week: pd.Timestamp | date, period: str | None = None) -> str:
    """A week named as the app names it, 'week of 21 Dec 2026'; a month row, 'Dec 2026'."""
    if period == "M":
        return f"{week:%b %Y}"
    return f"week of {week.day} {week:%b %Y}"


def _week_axis(weeks: pd.Series, period: str | None) -> alt.Axis:
    """Ticks on the weeks themselves (Mondays), not on Vega's Sundays: '21 Dec', '28 Dec'.

    The first label says "week of" once, so a tick is read as the week it starts.
    """
    present = sorted(pd.to_datetime(weeks.dropna()).unique())
    if not present:
        return alt.Axis(tickCount=WEEK_TICKS, labelOverlap=True)
    step = max(1, math.ceil((len(present) - 1) / (WEEK_TICKS - 1)))
    ticks = present[::step]
    if period == "M" or (present[-1] - present[0]).days > 366:
        fmt = "%b %Y"
        label = f"timeFormat(datum.value, '{fmt}')"
    else:
        fmt = "%-d %b"
        label = f"(datum.index == 0 ? 'week of ' : '') + timeFormat(datum.value, '{fmt}')"
    return alt.Axis(
        values=[alt.DateTime(year=t.year, month=t.month, date=t.day) for t in ticks],
        labelExpr=label,
        labelOverlap=True,
        labelFlush=True,
        grid=False,
    )


def _type_names(keys: pd.Series) -> pd.Series:
    """Display names for a column of type keys."""
    return keys.map({k: type_name(k) for k in keys.unique()}).astype(str)


def _keys_in_order(keys: Sequence[str] | Mapping[str, float]) -> list[str]:
    """Type keys in survey order, unknown ones last."""
    rank = {k: i for i, k in enumerate(survey.dimension_keys())}
    return sorted(dict.fromkeys(keys), key=lambda k: rank.get(k, len(rank)))


def _names_in_order(names: pd.Series) -> list[str]:
    """Every survey display name, then any other names present, for Altair's ``sort``."""
    known = [d.name for d in survey.dimensions()]
    return known + sorted(set(names.unique()) - set(known))


def _number(value: float | None) -> float:
    """A score as a float, NaN for a missing one."""
    return np.nan if value is None or pd.isna(value) else float(value)
