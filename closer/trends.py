"""The Trends report for one viewer and range: weak areas and ready-to-draw chart specs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd
from sqlite_utils import Database

from closer import analysis, charts, store
from closer.csi4 import csi_total, visible_csi
from closer.plans import checkin_weeks
from closer.reveal import visible_scores
from closer.weeks import week_start

RECENT_WEEKS = 26  # enough history for every weak-area signal, whatever the range shown


@dataclass(frozen=True)
class TrendsReport:
    """Everything the Trends page shows, with Vega-Lite specs ready to draw."""

    empty: bool
    weak: list[analysis.WeakArea] = field(default_factory=list)
    checkins_shown: int = 0
    period: str | None = None
    latest: pd.Timestamp | None = None
    partners: int = 0
    specs: dict[str, dict] = field(default_factory=dict)


def trends_report(
    db: Database,
    viewer_id: int,
    span_weeks: int | None,
    today: date,
    active: tuple[str, ...],
) -> TrendsReport:
    """Load what the viewer may see, analyse it and chart the range (None: all of it)."""
    partners = store.list_partners(db)
    this_week = week_start(today)
    first_shown = None if span_weeks is None else this_week - timedelta(weeks=span_weeks - 1)
    since = (
        None if first_shown is None else min(first_shown, this_week - timedelta(weeks=RECENT_WEEKS))
    )
    loaded = store.load_scores(db, since=since)
    scores = visible_scores(loaded, viewer_id, [p.id for p in partners])
    if scores.empty:
        return TrendsReport(empty=True, partners=len(partners))
    names = [p.name for p in partners]
    weeks = analysis.calendar_weeks(first_shown or scores["week"].min(), this_week)
    weekly = analysis.weekly_scores(scores, weeks, dims=active)
    latest = analysis.latest_week(scores)
    period = analysis.chart_period(len(weeks))
    gaps = analysis.partner_gaps(scores, dims=active)
    charts.enable_theme()
    built = {
        "trend": charts.trend_chart(
            analysis.by_period(weekly, period) if period else weekly, names
        ),
        "wheel": charts.wheel_chart(
            analysis.week_means(weekly, latest),
            analysis.week_means(weekly, latest - timedelta(weeks=4)),
            title=f"Your most recent week, {latest:%-d %b}",
        ),
    }
    if not gaps.empty:
        built["gap"] = charts.gap_chart(gaps, names)
    if len(weeks) >= 8:
        built["heatmap"] = charts.heatmap_chart(weekly)
    # CSI-4 answers follow the same rules as everything else: shared, and revealed.
    csi = visible_csi(
        [r for r in store.load_csi(db) if first_shown is None or r.week >= first_shown],
        viewer_id,
        checkin_weeks(loaded, viewer_id),
    )
    if any(csi_total(r.values) is not None for r in csi):
        built["csi"] = charts.csi_chart(csi, {p.id: p.name for p in partners})
    return TrendsReport(
        empty=False,
        weak=analysis.weak_areas(scores, active, today),
        checkins_shown=scores.loc[scores["week"] >= pd.Timestamp(weeks[0]), "week"].nunique(),
        period=period,
        latest=latest,
        partners=len(partners),
        specs={name: chart.to_dict() for name, chart in built.items()},
    )
