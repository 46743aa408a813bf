"""The What helps us chart: each try's change the week after, against the usual bounce."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from closer.charts.theme import BACKGROUND, GRID_COLOUR, TOGETHER_COLOUR

HELPS_COLOUR = "#009E73"
BOUNCE_COLOUR = "#B8B0A6"
EARLY_COLOUR = "#8C8279"
BOUNCE_HALF_WIDTH = 0.25  # the band is drawn at least this far either side of the bounce
HELPS_HALF_COLUMN = 0.35  # of an exercise's column, either side of its middle
HELPS_DOT_SPREAD = 0.12  # between neighbouring tries' dots, at most


def helps_chart(tries: pd.DataFrame) -> alt.LayerChart:
    """Each try of each exercise as a dot (its change the week after) against the usual bounce.

    ``tries`` is ``helps.tries_table`` output. Each exercise gets a column, its name and label
    on two lines beneath; the grey band spans the usual bounces its tries were compared
    with (a quarter point either side), and the line across it is their mean. Dots sit side
    by side in the order tried. Columns are numbered on a plain number axis, so the band
    and the dots share one width whatever the browser does with offsets.
    """
    order = list(dict.fromkeys(tries["row"]))
    column = {row: i for i, row in enumerate(order)}
    counts = np.asarray(tries.groupby("row", sort=False)["try"].transform("max"), dtype=float)
    spread = np.minimum(HELPS_DOT_SPREAD, 2 * HELPS_HALF_COLUMN / (counts + 1))
    middles = np.array([column[r] for r in tries["row"]], dtype=float)
    dots_data = tries.assign(x=middles + (tries["try"].to_numpy() - (counts + 1) / 2) * spread)
    with_bounce = tries[tries["bounce"].notna()]
    band_data = pd.DataFrame(
        {
            "item": with_bounce.groupby("row", sort=False)["item"].first(),
            "left": [column[r] - HELPS_HALF_COLUMN for r in with_bounce["row"].unique()],
            "right": [column[r] + HELPS_HALF_COLUMN for r in with_bounce["row"].unique()],
            "low": with_bounce.groupby("row", sort=False)["bounce"].min() - BOUNCE_HALF_WIDTH,
            "high": with_bounce.groupby("row", sort=False)["bounce"].max() + BOUNCE_HALF_WIDTH,
            "usual": with_bounce.groupby("row", sort=False)["bounce"].mean(),
        }
    ).reset_index(drop=True)
    # At least four points either way, so a small change never fills the chart, and half a
    # point of room beyond the furthest dot, which was cut in half on the edge.
    values = pd.concat([tries["change"], tries["bounce"]]).dropna()
    top = max(4.0, math.ceil(values.max() + 0.5)) if len(values) else 4.0
    bottom = min(-4.0, math.floor(values.min() - 0.5)) if len(values) else -4.0
    y_scale = alt.Scale(domain=[bottom, top], nice=False)
    names = "[" + ", ".join(_vega_string(r) for r in order) + "]"
    x_scale = alt.Scale(domain=[-0.5, max(len(order), 1) - 0.5], nice=False, zero=False)
    x = alt.X(
        "x:Q",
        title=None,
        scale=x_scale,
        axis=alt.Axis(
            values=list(range(len(order))),
            labelExpr=f"split({names}[datum.value] || '', '|')",
            labelLimit=150,
            labelPadding=8,
            labelFlush=False,
            ticks=False,
            grid=False,
        ),
    )
    zero = alt.Chart().mark_rule(color=GRID_COLOUR, strokeWidth=1.5).encode(y=alt.datum(0))
    band = (
        alt.Chart(band_data)
        .mark_rect(color=BOUNCE_COLOUR, opacity=0.45)
        .encode(
            x=alt.X("left:Q", scale=x_scale, title=None),
            x2=alt.X2("right"),
            y=alt.Y("low:Q", scale=y_scale, title=None),
            y2=alt.Y2("high"),
            tooltip=[
                alt.Tooltip("item:N", title="Tried"),
                alt.Tooltip("usual:Q", title="Usually bounces back", format="+.1f"),
            ],
        )
    )
    usual = (
        alt.Chart(band_data)
        .mark_rule(color=TOGETHER_COLOUR, strokeWidth=2, opacity=0.8)
        .encode(
            x=alt.X("left:Q", scale=x_scale, title=None),
            x2=alt.X2("right"),
            y=alt.Y("usual:Q", scale=y_scale, title=None),
        )
    )
    dots = (
        alt.Chart(dots_data)
        .mark_circle(size=80, opacity=0.9, stroke=BACKGROUND, strokeWidth=1)
        .encode(
            x=x,
            y=alt.Y(
                "change:Q",
                scale=y_scale,
                title="Change the week after (points)",
                axis=alt.Axis(titleFontWeight="normal", tickMinStep=1),
            ),
            color=alt.Color(
                "label:N",
                title=None,
                scale=alt.Scale(
                    domain=["seems to help", "no sign yet", "too early to tell"],
                    range=[HELPS_COLOUR, TOGETHER_COLOUR, EARLY_COLOUR],
                ),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("item:N", title="Tried"),
                alt.Tooltip("when:N", title="When"),
                alt.Tooltip("area:N", title="For"),
                alt.Tooltip("change:Q", title="Change the week after", format="+.1f"),
                alt.Tooltip("bounce:Q", title="Usually bounces back", format="+.1f"),
            ],
        )
    )
    return alt.LayerChart(
        layer=[zero, band, usual, dots],
        width="container",
        height=260,
        # Short enough for a phone's width: longer titles were cut off at 390 px.
        title=alt.Title(
            "The week after each try", subtitle="Dot: one try. Band: the usual bounce."
        ),
    )


def _vega_string(text: str) -> str:
    """A string as a Vega expression literal (quotes and backslashes escaped)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
