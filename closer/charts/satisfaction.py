"""The CSI-4 chart: each partner's satisfaction total over time, against the published cut-off."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from closer import csi4
from closer.charts.theme import (
    BACKGROUND,
    TEXT_COLOUR,
    TOGETHER_COLOUR,
    _partner_colours,
    _partner_shapes,
)

if TYPE_CHECKING:
    from closer.store import CsiRecord

_DATE_FORMAT = "%-d %b %Y"


CSI_CUTOFF_LABEL = "Below this line, many couples find support helpful"


def csi_chart(
    records: Sequence[CsiRecord],
    partners: Mapping[int, str],
    *,
    width: int = 320,
    height: int = 280,
) -> alt.LayerChart:
    """Each partner's CSI-4 total over time (0–21), with a faint line at the published cut-off.

    ``records`` are ``store.load_csi`` rows the viewer may see (``csi4.visible_csi``);
    incomplete answers have no total and are left out. ``partners`` maps partner id to name
    in the order that fixes colours and shapes, as in the other charts; records of anyone
    not in it are left out.
    """
    rows = [
        (pd.Timestamp(r.week), partners[r.partner_id], total)
        for r in records
        if r.partner_id in partners and (total := csi4.csi_total(list(r.values))) is not None
    ]
    data = pd.DataFrame(rows, columns=["week", "partner", "total"]).astype(
        {"week": "datetime64[us]", "partner": "str", "total": "int64"}
    )
    names = list(partners.values())
    n = len(names)
    y_scale = alt.Scale(domain=[0, csi4.MAX_TOTAL], nice=False, zero=True)
    # Every layer states the same axis: Vega-Lite merges them, and one without would hide it.
    y_axis = alt.Axis(values=[0, 7, 14, 21])
    base = alt.Chart(data).encode(
        x=alt.X("week:T", title=None, axis=alt.Axis(tickCount=4, labelOverlap=True)),
        y=alt.Y("total:Q", title=None, scale=y_scale, axis=y_axis),
        color=alt.Color(
            "partner:N",
            title=None,
            scale=alt.Scale(domain=names, range=_partner_colours(n)),
        ),
    )
    lines = base.mark_line(strokeWidth=2)
    points = base.mark_point(filled=True, size=60, opacity=1).encode(
        shape=alt.Shape(
            "partner:N", title=None, scale=alt.Scale(domain=names, range=_partner_shapes(n))
        ),
        tooltip=[
            alt.Tooltip("week:T", title="Week of", format=_DATE_FORMAT),
            alt.Tooltip("partner:N", title="Who"),
            alt.Tooltip("total:Q", title="Total (0–21)", format="d"),
        ],
    )
    cutoff_y = alt.Y("cutoff:Q", scale=y_scale, title=None, axis=y_axis)
    cutoff = alt.Chart(pd.DataFrame({"cutoff": [csi4.CUTOFF], "label": [CSI_CUTOFF_LABEL]}))
    rule = cutoff.mark_rule(
        color=TOGETHER_COLOUR, strokeDash=[4, 4], strokeWidth=1, opacity=0.5
    ).encode(y=cutoff_y)
    return alt.LayerChart(
        layer=[
            rule,
            lines,
            points,
            _cutoff_words(cutoff, cutoff_y, True),
            _cutoff_words(cutoff, cutoff_y, False),
        ],
        width=width,
        height=height,
        title=alt.Title(
            "How satisfied each of you feels",
            subtitle="From 0 to 21: higher means more satisfied",
        ),
    )


def _cutoff_words(cutoff: alt.Chart, y: alt.Y, halo: bool) -> alt.Chart:
    """The cutoff's label at the left edge, just under its line: the words, or their halo.

    The halo (a stroke in the background colour) is drawn first, over the lines, so a line
    passing under the words never makes them hard to read.
    """
    return cutoff.mark_text(
        align="left",
        baseline="top",
        dx=4,
        dy=4,
        fontSize=11,
        stroke=BACKGROUND if halo else alt.Undefined,
        strokeWidth=4 if halo else alt.Undefined,
        strokeJoin="round" if halo else alt.Undefined,
        color=alt.Undefined if halo else TEXT_COLOUR,
        opacity=alt.Undefined if halo else 0.8,
    ).encode(y=y, x=alt.value(0), text=alt.Text("label:N"))
