"""The Trends report for one viewer and range: weak areas and ready-to-draw charts with words.

Every chart comes with a one-line summary and a table of what it draws, so the page can
offer the same information to someone who cannot see the chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlite_utils import Database

from closer import analysis, charts, helps, store
from closer.csi4 import csi_total, visible_csi
from closer.plan_items import ItemKind
from closer.plans import catalogue_text, checkin_weeks, history_window_start, visible_followups
from closer.reveal import visible_scores
from closer.weeks import week_start

RECENT_WEEKS = 26  # enough history for every weak-area signal, whatever the range shown
HEATMAP_MIN_CHECKINS = 4  # fewer weeks than this would be stretched over the whole width
_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four"}
_DATE = "%-d %b %Y"


@dataclass(frozen=True)
class ChartView:
    """One chart: its Vega-Lite spec, a one-line summary and the table it draws."""

    name: str
    spec: dict
    summary: str
    table: pd.DataFrame


@dataclass(frozen=True)
class TrendsReport:
    """Everything the Trends page shows, with charts ready to draw."""

    empty: bool
    weak: list[analysis.WeakArea] = field(default_factory=list)
    checkins_shown: int = 0
    period: str | None = None
    smoothed: bool = False
    smooth_window: int = 0  # how many weeks (months, with a period) each smoothed point averages
    latest: pd.Timestamp | None = None
    partners: int = 0
    shared_weeks: int = 0
    charts: list[ChartView] = field(default_factory=list)
    what_helps: list[helps.Finding] = field(default_factory=list)

    def chart(self, name: str) -> ChartView | None:
        """The chart of this name, or None when the report has none."""
        return next((c for c in self.charts if c.name == name), None)

    def trend_charts(self) -> list[ChartView]:
        """The per-type line charts, in survey order."""
        return [c for c in self.charts if c.name.startswith("trend-")]

    def trends_spec(self) -> dict | None:
        """The per-type line charts stacked into one chart (one Vega view), or None."""
        lines = self.trend_charts()
        return charts.stacked([c.spec for c in lines]) if lines else None


# Longer ranges are drawn as monthly averages. Ten years of weekly points (12,000 in the six
# panels) took Chromium 0.8-1.0 s to draw on every visit to "All", 2.1-2.2 s the first time,
# and lay a pixel or two apart at a phone's width; as months: 0.36-0.54 s and 1.3-1.4 s.
WEEKLY_POINTS_MAX_WEEKS = 104


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
    # The 4-week average at the first week shown needs the three weeks before it.
    before_shown = None if first_shown is None else first_shown - timedelta(weeks=3)
    since = (
        None
        if before_shown is None
        else min(before_shown, this_week - timedelta(weeks=RECENT_WEEKS))
    )
    loaded = store.load_scores(db, since=since)
    ids = [p.id for p in partners]
    scores = visible_scores(loaded, viewer_id, ids)
    if scores.empty:
        return TrendsReport(empty=True, partners=len(partners))
    names = [p.name for p in partners]
    # From the first check-in, not from the start of the range: two weeks of a new couple
    # fill the width instead of sitting at the right edge of eight.
    first_scored = scores["week"].min()
    start = first_scored if first_shown is None else max(pd.Timestamp(first_shown), first_scored)
    weeks = analysis.calendar_weeks(start, this_week)
    weekly = _average_from_fourth_week(
        analysis.weekly_scores(scores, weeks, dims=active), store.first_checkin_week(db)
    )
    latest = analysis.latest_week(scores)
    checkins_shown = scores.loc[scores["week"] >= pd.Timestamp(weeks[0]), "week"].nunique()
    smooth = len(weeks) > analysis.SMOOTH_ABOVE_WEEKS
    period = "M" if len(weeks) > WEEKLY_POINTS_MAX_WEEKS else None
    gaps = analysis.partner_gaps(scores, dims=active)
    charts.enable_theme()

    built: list[ChartView] = []
    window = 0
    if checkins_shown >= 2:
        lines = analysis.by_period(weekly, period) if period else weekly
        if smooth:
            window = analysis.smoothing_window(len(lines["week"].unique()))
            lines = analysis.smoothed(lines, window)
        present = set(lines["dimension"].unique())
        for key in (k for k in active if k in present):
            if not lines.loc[lines["dimension"] == key, "score"].notna().any():
                continue
            chart = (charts.smoothed_trend_chart if smooth else charts.trend_chart)(
                lines, names, key, period=period
            )
            built.append(_trend_view(key, chart, lines, names, period))
    built.append(_wheel_view(weekly, latest, names, viewer_id, partners))
    if not gaps.empty:
        built.append(_gap_view(gaps, names))
    if checkins_shown >= HEATMAP_MIN_CHECKINS:
        built.append(_heatmap_view(weekly))
    # CSI-4 answers follow the same rules as everything else: shared, and revealed.
    csi = visible_csi(
        store.load_csi(db, since=first_shown),
        viewer_id,
        checkin_weeks(loaded, viewer_id),
    )
    if any(csi_total(r.values) is not None for r in csi):
        built.append(_csi_view(csi, {p.id: p.name for p in partners}))
    found, helps_view = _helps(db, loaded, since, viewer_id, ids, today)
    if helps_view is not None:
        built.append(helps_view)
    return TrendsReport(
        empty=False,
        weak=analysis.weak_areas(scores, active, today),
        checkins_shown=checkins_shown,
        period=period,
        smoothed=smooth,
        smooth_window=window,
        latest=latest,
        partners=len(partners),
        shared_weeks=int(gaps["weeks"].max()) if not gaps.empty else 0,
        charts=built,
        what_helps=found,
    )


def _average_from_fourth_week(weekly: pd.DataFrame, first: date | None) -> pd.DataFrame:
    """The 4-week average only from the couple's fourth week: before it, it averages fewer."""
    if first is None:
        return weekly
    early = (weekly["kind"] == "rolling") & (
        weekly["week"] < pd.Timestamp(first + timedelta(weeks=analysis.ROLLING_WEEKS - 1))
    )
    return weekly.assign(score=weekly["score"].mask(early))


def _helps(
    db: Database,
    loaded: pd.DataFrame,
    since: date | None,
    viewer_id: int,
    ids: list[int],
    today: date,
) -> tuple[list[helps.Finding], ChartView | None]:
    """What helps us over the last year, as on Suggestions: the findings and the dot plot."""
    year = history_window_start(today)
    window = loaded if since is not None and since <= year else store.load_scores(db, since=year)
    window = window[window["week"] >= pd.Timestamp(year)]
    scores = visible_scores(window.reset_index(drop=True), viewer_id, ids)
    plans = store.load_all_plans(db)
    verdicts = [v for v in helps.what_helps(scores, plans) if v.kind == ItemKind.EXERCISE]
    if not verdicts:
        return [], None
    titles = {(v.kind, v.item_id): catalogue_text(v.kind, v.item_id) for v in verdicts}
    seen = visible_followups(store.load_followups(db), viewer_id)
    found = helps.findings(verdicts, titles, plans, seen, week_start(today))
    table = helps.tries_table(verdicts, titles)
    if table.empty:
        return found, None
    summary = "; ".join(f"{f.title}: {f.label}" for f in found) + "."
    shown = pd.DataFrame(
        {
            "Tried": table["item"],
            "When": table["when"],
            "For": table["area"],
            "Change the week after": table["change"].round(1),
            "Usual bounce": table["bounce"].round(1),
            "Says": table["label"],
        }
    )
    return found, ChartView("helps", spec_of(charts.helps_chart(table)), summary, shown)


def shared_weeks_words(count: int) -> str:
    """'your one shared week', 'your last three shared weeks': what the gap chart rests on."""
    if count == 1:
        return "your one shared week"
    return f"your last {_NUMBER_WORDS.get(count, str(count))} shared weeks"


def spec_of(chart) -> dict:
    """A chart's Vega-Lite spec, without checking it against the schema on every build."""
    # Schema validation was about a third of building the report on a cache miss (the first
    # Trends after a save); the chart tests validate every builder's output instead.
    return chart.to_dict(validate=False)


def _trend_view(
    key: str, chart, lines: pd.DataFrame, names: list[str], period: str | None
) -> ChartView:
    rows = lines[(lines["dimension"] == key) & lines["kind"].isin(["partner", "rolling"])]
    table = rows.pivot_table(index="week", columns="series", values="score", sort=True)
    table = table[[c for c in [*names, analysis.TOGETHER_ROLLING] if c in table.columns]]
    table = table.dropna(how="all").round(1).reset_index()
    table.insert(0, "When", [charts.week_words(w, period) for w in table.pop("week")])
    # The summary follows the lines drawn: the smoothed ones where there are any.
    drawn = lines[(lines["dimension"] == key) & (lines["kind"] == analysis.SMOOTH)]
    answered = rows[rows["kind"] == "partner"]
    if drawn.empty:
        drawn = answered
    parts = []
    for name in names:
        present = drawn.loc[drawn["series"] == name, "score"].dropna()
        if len(present):
            weeks = answered.loc[answered["series"] == name, "score"]
            parts.append(
                f"{name} {_movement(present.tolist())}"
                + _answered_words(int(weeks.notna().sum()), len(weeks), period)
            )
    summary = f"{analysis.type_name(key)}: " + ("; ".join(parts) or "no scores") + "."
    return ChartView(f"trend-{key}", spec_of(chart), summary, table)


def _movement(values: list[float]) -> str:
    """'up from 5.0 to 7.0', 'down from …', 'steady at 6.0', 'back at 5.0 (5.0 to 8.0)', '6.0'."""
    first, last = values[0], values[-1]
    low, high = min(values), max(values)
    if len(values) == 1:
        return f"{last:.1f}"
    if high - low < 0.05:
        return f"steady at {last:.1f}"
    if abs(last - first) < 0.05:
        return f"back at {last:.1f} (between {low:.1f} and {high:.1f})"
    return f"{'up' if last > first else 'down'} from {first:.1f} to {last:.1f}"


def _answered_words(answered: int, shown: int, period: str | None) -> str:
    """' (3 of 8 weeks answered)' when a partner left weeks out, else nothing."""
    if answered >= shown:
        return ""
    unit = "months" if period == "M" else "weeks"
    return f" ({answered} of {shown} {unit} answered)"


def _wheel_view(
    weekly: pd.DataFrame,
    latest: pd.Timestamp,
    names: list[str],
    viewer_id: int,
    partners: list[store.Partner],
) -> ChartView:
    rows = weekly[(weekly["kind"] == "partner") & (weekly["week"] == latest)]
    by_partner: dict[str, dict[str, float]] = {}
    for name, group in rows.groupby("series", sort=False):
        if group["score"].notna().any():
            scored = group[group["score"].notna()]
            by_partner[str(name)] = dict(zip(scored["dimension"], scored["score"], strict=True))
    drawn = [n for n in names if n in by_partner]
    me = next(p.name for p in partners if p.id == viewer_id)
    title = f"{'Your' if drawn == [me] else 'Your latest shared'} week, {latest:%-d %b}"
    chart = charts.wheel_chart(by_partner, names, title=title)
    keys = [k for k in dict.fromkeys(rows["dimension"]) if any(k in by_partner[n] for n in drawn)]
    table = pd.DataFrame({"Type": [analysis.type_name(k) for k in keys]})
    for name in drawn:
        table[name] = [_score(by_partner[name].get(k)) for k in keys]
    summary = f"{title}: " + "; ".join(
        f"{name}: "
        + ", ".join(f"{analysis.type_name(k)} {_score(by_partner[name].get(k))}" for k in keys)
        for name in drawn
    )
    return ChartView("wheel", spec_of(chart), summary + ".", table)


def _gap_view(gaps: pd.DataFrame, names: list[str]) -> ChartView:
    widest = gaps.loc[gaps["gap"].idxmax()]
    weeks = int(gaps["weeks"].max())
    summary = (
        f"Over {shared_weeks_words(weeks)}, you saw {analysis.type_name(widest['dimension'])} "
        f"most differently: {widest['partner_a']} {widest['score_a']:.1f}, "
        f"{widest['partner_b']} {widest['score_b']:.1f}."
    )
    table = pd.DataFrame(
        {
            "Type": [analysis.type_name(k) for k in gaps["dimension"]],
            str(widest["partner_a"]): gaps["score_a"].round(1),
            str(widest["partner_b"]): gaps["score_b"].round(1),
            "Apart by": gaps["gap"].round(1),
            "Shared weeks": gaps["weeks"],
        }
    )
    return ChartView("gap", spec_of(charts.gap_chart(gaps, names)), summary, table)


def _heatmap_view(weekly: pd.DataFrame) -> ChartView:
    means = weekly[(weekly["kind"] == "mean") & weekly["score"].notna()]
    chart = charts.heatmap_chart(weekly)
    cells = charts.heatmap_cells(means[["week", "dimension", "score"]])
    high, low = cells.loc[cells["score"].idxmax()], cells.loc[cells["score"].idxmin()]
    summary = (
        f"Your average together is {cells['score'].mean():.1f}; highest {high['type']} "
        f"({high['period']}, {high['score']:.1f}), lowest {low['type']} "
        f"({low['period']}, {low['score']:.1f})."
    )
    table = pd.DataFrame(
        {
            "When": cells["period"],
            "Type": cells["type"],
            "Together": cells["score"].round(1),
            "Weeks with a check-in": cells["weeks"],
        }
    )
    return ChartView("heatmap", spec_of(chart), summary, table)


def _csi_view(records, partners: dict[int, str]) -> ChartView:
    rows = [
        (r.week, partners[r.partner_id], total)
        for r in records
        if r.partner_id in partners and (total := csi_total(list(r.values))) is not None
    ]
    rows.sort()
    latest = {who: (week, total) for week, who, total in rows}
    summary = "Latest totals (0 to 21): " + ", ".join(
        f"{who} {total} (week of {week:{_DATE}})" for who, (week, total) in latest.items()
    )
    table = pd.DataFrame(
        {
            "Week of": [f"{w:{_DATE}}" for w, _, _ in rows],
            "Who": [who for _, who, _ in rows],
            "Total (0–21)": [t for _, _, t in rows],
        }
    )
    return ChartView("csi", spec_of(charts.csi_chart(records, partners)), summary + ".", table)


def _score(value: float | None) -> str:
    return "not answered" if value is None or np.isnan(value) else f"{value:g}"
